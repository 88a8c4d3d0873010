//! 新建项目 (`/projects/new`): a department user (or an administrator, for any department) starts
//! a project of an open fiscal year from scratch — 项目名称, 实施单位, 财政拨款 and 其他资金 (the
//! 年度资金总额 is their sum, shown as typed), 总体目标 and 年度目标 — and lands on its page to
//! build the indicator tree.

use crate::api::{new_project_options, CreateProject, NewProjectChoices};
use crate::components::{use_hydrated, ErrorNotice, FormErrors, HeaderFields, HeaderInputs};
use leptos::prelude::*;

#[component]
pub fn NewProjectPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| new_project_options());
    view! {
        <nav class="breadcrumb"><a href="/">"项目"</a>" / "<span>"新建项目"</span></nav>
        <h1>"新建项目"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) if o.years.is_empty() => view! {
                        <p class="empty-state" data-testid="no-open-year">
                            "还没有开放的年度，请联系系统管理员在“系统管理”中新增年度。"
                        </p>
                    }.into_any(),
                    Ok(o) => view! { <NewProjectForm options=o/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewProjectForm(options: NewProjectChoices) -> impl IntoView {
    let hydrated = use_hydrated();
    let create = ServerAction::<CreateProject>::new();
    let errors = FormErrors::of(create);
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            crate::components::load_page(&format!("/projects/{id}#declaration"));
        }
    });
    let year = RwSignal::new(options.years.first().copied().unwrap_or_default());
    let department = RwSignal::new(options.departments.first().map(|d| d.0));
    let fields = HeaderFields::new(None);
    let several_departments = options.departments.len() > 1;
    let departments = options.departments.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateProject {
            year: year.get_untracked(),
            department_id: department.get_untracked(),
            name: fields.name(),
            implementing_unit: fields.unit(),
            funds_fiscal: fields.fiscal(),
            funds_other: fields.other(),
            overall_goal: fields.overall(),
            annual_goals: fields.goals(),
        });
    };
    view! {
        <form class="card form new-project" data-testid="new-project" on:submit=submit
            data-hydrated=move || hydrated.get().to_string()>
            <div class="form-grid">
                <label><span>"年度"</span>
                    <select aria-label="年度" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }
                    }>
                        {options.years.iter().map(|y| view! {
                            <option value=y.to_string() selected=Some(*y) == options.years.first().copied()>{format!("{y}年度")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label><span>"主管部门"</span>
                    {if several_departments {
                        view! {
                            <select aria-label="主管部门" on:change=move |ev| department.set(event_target_value(&ev).parse().ok())>
                                {departments.iter().map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                            </select>
                        }.into_any()
                    } else {
                        view! { <strong>{departments.first().map(|d| d.1.clone()).unwrap_or_default()}</strong> }.into_any()
                    }}
                </label>
                <HeaderInputs fields errors/>
            </div>
            {move || create.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|e| view! {
                <p class="notice notice-error" role="alert">{e.message()}</p>
            })}
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get() || !hydrated.get()>
                {move || if create.pending().get() { "正在创建…" } else { "创建项目并填报指标" }}
            </button>
        </form>
    }
}
