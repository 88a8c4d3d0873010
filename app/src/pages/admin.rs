use crate::api::{
    get_admin, AdminView, AppError, CreateAccount, CreateDepartment, CreateFiscalYear, DepartmentView,
    SetAccountActive, SetScoringProfile, UserView, YearView,
};
use crate::components::{non_blank as opt, AuditTable, ChoiceCell, ErrorNotice, FormErrors, SaveStatus, TextCell};
use domain::vocab::{Field, Role, ScoringProfile};
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
fn reload_after(value: Signal<Option<Result<(), AppError>>>, reload: impl Fn() + Send + Sync + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            reload();
        }
    });
}

#[component]
fn AdminSections(view: AdminView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let AdminView { years, departments, users, audit } = view;
    let hydrated = crate::components::use_hydrated();
    view! {
        <div class="admin" data-hydrated=move || hydrated.get().to_string()>
            <YearsSection years reload/>
            <DepartmentsSection departments=departments.clone() reload/>
            <AccountsSection users departments reload/>
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

/// 年度与评分方案: each fiscal year's scoring profile, and a new year.
#[component]
fn YearsSection(years: Vec<YearView>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let set_profile = ServerAction::<SetScoringProfile>::new();
    let create_year = ServerAction::<CreateFiscalYear>::new();
    reload_after(set_profile.value().into(), reload);
    reload_after(create_year.value().into(), reload);
    let errors = FormErrors::of(create_year);
    let new_year = RwSignal::new(String::new());
    let new_year_profile = RwSignal::new(Some(ScoringProfile::National));
    let rows = years
        .into_iter()
        .map(|y| {
            let choice = RwSignal::new(Some(y.profile));
            view! {
                <tr data-year=y.year>
                    <td>{y.year}</td>
                    <td><ChoiceCell value=choice label="评分方案" none="—"/></td>
                    <td><button class="btn" on:click=move |_| {
                        if let Some(profile) = choice.get_untracked() {
                            set_profile.dispatch(SetScoringProfile { fiscal_year_id: y.id, profile });
                        }
                    }>"保存"</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="years">
            <div class="card-head"><h2>"年度与评分方案"</h2>
                <SaveStatus value=set_profile.value() pending=set_profile.pending()/></div>
            <table class="data-table"><thead><tr><th>"年度"</th><th>"评分方案"</th><th></th></tr></thead>
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
