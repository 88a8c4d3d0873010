use crate::api::{
    get_admin, AdminView, AppError, CreateAccount, CreateDepartment, CreateFiscalYear, DepartmentView,
    SetAccountActive, SetDeadlines, SetScoringProfile, UserView, YearView,
};
use crate::components::{non_blank as opt, AuditTable, ChoiceCell, ErrorNotice, FormErrors, SaveStatus, TextCell};
use domain::todo::deadline_field;
use domain::vocab::{Field, Phase, Role, ScoringProfile};
use leptos::prelude::*;

/// 系统管理 (系统管理员 only; others get the server's refusal): fiscal years and their scoring
/// profile, departments with their 主管部门, accounts, and the whole audit trail.
#[component]
pub fn AdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin());
    view! {
        <h1>"系统管理"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <AdminSections view reload=move || data.refetch()/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Refetches the page data after each successful action.
pub(super) fn reload_after(value: Signal<Option<Result<(), AppError>>>, reload: impl Fn() + Send + Sync + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            reload();
        }
    });
}

#[component]
fn AdminSections(view: AdminView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let AdminView { years, departments, users, audit, library } = view;
    let hydrated = crate::components::use_hydrated();
    view! {
        <div class="admin" data-hydrated=move || hydrated.get().to_string()>
            <YearsSection years reload/>
            <DepartmentsSection departments=departments.clone() reload/>
            <AccountsSection users departments reload/>
            <super::admin_library::LibrarySection items=library reload/>
            <section class="card" id="system-audit">
                <div class="card-head">
                    <h2>"全系统操作记录"</h2>
                    <span class="muted">"最近 100 条（登录、系统管理及各项目）"</span>
                    <a class="btn btn-secondary" href="/admin/audit.csv" download>"导出全部 CSV"</a>
                </div>
                <AuditTable rows=audit/>
            </section>
        </div>
    }
}

/// 年度与评分方案: each fiscal year's scoring profile and deadlines, and a new year.
#[component]
fn YearsSection(years: Vec<YearView>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let create_year = ServerAction::<CreateFiscalYear>::new();
    reload_after(create_year.value().into(), reload);
    let errors = FormErrors::of(create_year);
    let new_year = RwSignal::new(String::new());
    let new_year_profile = RwSignal::new(Some(ScoringProfile::National));
    let rows = years.into_iter().map(|y| view! { <YearRow year=y reload/> }).collect_view();
    view! {
        <section class="card" id="years">
            <div class="card-head"><h2>"年度、评分方案与截止日期"</h2></div>
            <p class="hint">"截止日期用于“待办”：逾期未提交的项目标为已逾期。留空表示不设截止日期。"</p>
            <table class="data-table"><thead><tr><th>"年度"</th><th>"评分方案"</th>
                {Phase::ALL.iter().map(|p| view! { <th>{deadline_field(*p).label()}</th> }).collect_view()}
                <th></th></tr></thead>
                <tbody>{rows}</tbody></table>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                create_year.dispatch(CreateFiscalYear {
                    year: new_year.get_untracked().trim().parse().unwrap_or(0),
                    profile: new_year_profile.get_untracked().unwrap_or(ScoringProfile::National),
                });
            }>
                <label>"新增年度"<TextCell value=new_year label="新增年度" numeric=true placeholder="如 2022"
                    field=Field::Year errors/></label>
                <label>"评分方案"<ChoiceCell value=new_year_profile label="评分方案" none="—"/></label>
                <div><button class="btn btn-primary" type="submit">"新增年度"</button>" "
                    <SaveStatus value=create_year.value() pending=create_year.pending() ok_text="已新增"/></div>
            </form>
        </section>
    }
}

/// One fiscal year: its scoring profile and its three deadlines, saved with one button (each
/// server call only when its part changed).
#[component]
fn YearRow(year: YearView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let set_profile = ServerAction::<SetScoringProfile>::new();
    let set_deadlines = ServerAction::<SetDeadlines>::new();
    reload_after(set_profile.value().into(), reload);
    reload_after(set_deadlines.value().into(), reload);
    let errors = FormErrors::of(set_deadlines);
    let choice = RwSignal::new(Some(year.profile));
    let text = |d: Option<domain::todo::NaiveDate>| d.map(domain::todo::date_text).unwrap_or_default();
    const PHASES: [Phase; 3] = [Phase::Declaration, Phase::Monitoring, Phase::SelfEvaluation];
    let dates = PHASES.map(|p| RwSignal::new(text(year.deadlines.of(p))));
    let stored = PHASES.map(|p| text(year.deadlines.of(p)));
    let date_cells = PHASES
        .iter()
        .zip(dates)
        .map(|(p, value)| {
            let field = deadline_field(*p);
            view! {
                <td>
                    <input type="date" class="cell" aria-label=format!("{}年{}", year.year, field.label())
                        aria-invalid=move || errors.message(field).map(|_| "true")
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    {move || errors.message(field).map(|m| view! { <span class="field-error" role="alert">{m}</span> })}
                </td>
            }
        })
        .collect_view();
    let id = year.id;
    let profile = year.profile;
    let save = move |_| {
        if let Some(p) = choice.get_untracked().filter(|p| *p != profile) {
            set_profile.dispatch(SetScoringProfile { fiscal_year_id: id, profile: p });
        }
        let [declaration, monitoring, self_evaluation] = dates.map(|d| d.get_untracked());
        if [&declaration, &monitoring, &self_evaluation] != [&stored[0], &stored[1], &stored[2]] {
            set_deadlines.dispatch(SetDeadlines { fiscal_year_id: id, declaration, monitoring, self_evaluation });
        }
    };
    view! {
        <tr data-year=year.year>
            <td>{year.year}</td>
            <td><ChoiceCell value=choice label="评分方案" none="—"/></td>
            {date_cells}
            <td><button class="btn" on:click=save>"保存"</button>" "
                <SaveStatus value=set_profile.value() pending=set_profile.pending()/>
                <SaveStatus value=set_deadlines.value() pending=set_deadlines.pending()/></td>
        </tr>
    }
}

fn department_options(departments: &[DepartmentView]) -> impl IntoView {
    departments.iter().map(|d| view! { <option value=d.id>{d.name.clone()}</option> }).collect_view()
}

/// 部门: departments with their 主管部门, and a new one.
#[component]
fn DepartmentsSection(
    departments: Vec<DepartmentView>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let create = ServerAction::<CreateDepartment>::new();
    reload_after(create.value().into(), reload);
    let errors = FormErrors::of(create);
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let options = department_options(&departments);
    let rows = departments
        .into_iter()
        .map(|d| view! { <tr><td>{d.name}</td><td>{d.parent.unwrap_or_default()}</td></tr> })
        .collect_view();
    view! {
        <section class="card" id="departments">
            <div class="card-head"><h2>"部门"</h2></div>
            <table class="data-table"><thead><tr><th>"部门（预算单位）"</th><th>"主管部门"</th></tr></thead>
                <tbody>{rows}</tbody></table>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateDepartment { name: name.get_untracked(), parent_id: parent.get_untracked().parse().ok() });
            }>
                <label>"部门名称"<TextCell value=name label="部门名称" field=Field::Name errors/></label>
                <label>"主管部门"<select on:change=move |ev| parent.set(event_target_value(&ev))>
                    <option value="">"（无）"</option>{options}</select></label>
                <div><button class="btn btn-primary" type="submit">"新增部门"</button>" "
                    <SaveStatus value=create.value() pending=create.pending() ok_text="已新增"/></div>
            </form>
        </section>
    }
}

/// 账号: every account with its role and state, 停用 / 启用, and a new account.
#[component]
fn AccountsSection(
    users: Vec<UserView>,
    departments: Vec<DepartmentView>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let set_active = ServerAction::<SetAccountActive>::new();
    reload_after(create.value().into(), reload);
    reload_after(set_active.value().into(), reload);
    let errors = FormErrors::of(create);
    let (username, display_name, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Some(Role::Department));
    let department = RwSignal::new(String::new());
    let rows = users
        .into_iter()
        .map(|u| {
            let (id, active, version) = (u.id, u.active, u.version);
            let key = u.username.clone();
            view! {
                <tr data-user=key>
                    <td>{u.username}</td><td>{u.display_name}</td><td>{u.role.label()}</td>
                    <td>{u.department.unwrap_or_default()}</td>
                    <td><span class=if active { "badge status-approved" } else { "badge status-returned" }>
                        {if active { "启用" } else { "停用" }}</span></td>
                    <td><button class="btn" on:click=move |_| {
                        set_active.dispatch(SetAccountActive { user_id: id, active: !active, expected_version: version });
                    }>{if active { "停用" } else { "启用" }}</button></td>
                </tr>
            }
        })
        .collect_view();
    let options = department_options(&departments);
    view! {
        <section class="card" id="accounts">
            <div class="card-head"><h2>"账号"</h2>
                <SaveStatus value=set_active.value() pending=set_active.pending()/></div>
            <table class="data-table"><thead><tr><th>"用户名"</th><th>"姓名"</th><th>"角色"</th><th>"部门"</th><th>"状态"</th><th></th></tr></thead>
                <tbody>{rows}</tbody></table>
            <form class="form inline-form" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateAccount {
                    username: username.get_untracked(),
                    display_name: display_name.get_untracked(),
                    password: password.get_untracked(),
                    role: role.get_untracked().unwrap_or(Role::Department),
                    department_id: opt(department.get_untracked()).and_then(|d| d.parse().ok()),
                });
            }>
                <label>"用户名"<TextCell value=username label="用户名" field=Field::Username errors/></label>
                <label>"姓名"<TextCell value=display_name label="姓名" field=Field::DisplayName errors/></label>
                <label>"初始密码"<input type="password" autocomplete="new-password" prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))/></label>
                <label>"角色"<ChoiceCell value=role label="角色" none="—"/></label>
                <label>"所属部门"<select on:change=move |ev| department.set(event_target_value(&ev))>
                    <option value="">"（财政局或管理员不选）"</option>{options}</select></label>
                <div><button class="btn btn-primary" type="submit">"新增账号"</button>" "
                    <SaveStatus value=create.value() pending=create.pending() ok_text="已新增"/></div>
            </form>
        </section>
    }
}
