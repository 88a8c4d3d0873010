use crate::api::{
    get_admin, AdminView, CreateAccount, CreateDepartment, CreateFiscalYear, SetAccountActive, SetScoringProfile,
};
use crate::components::{non_blank as opt, AuditTable, ErrorNotice, SaveStatus};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnError;

/// 系统管理 (系统管理员 only; others get the server's refusal): fiscal years and their scoring
/// profile, departments with their 主管部门, and accounts.
#[component]
pub fn AdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin());
    view! {
        <h1>"系统管理"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <AdminView view reload=move || data.refetch()/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Refetches the page data after each successful action.
fn reload_after(value: Signal<Option<Result<(), ServerFnError>>>, reload: impl Fn() + Send + Sync + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            reload();
        }
    });
}

#[component]
fn AdminView(view: AdminView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let AdminView { years, departments, users, profiles, audit } = view;
    let hydrated = crate::components::use_hydrated();
    let set_profile = ServerAction::<SetScoringProfile>::new();
    let create_year = ServerAction::<CreateFiscalYear>::new();
    let create_department = ServerAction::<CreateDepartment>::new();
    let create_account = ServerAction::<CreateAccount>::new();
    let set_active = ServerAction::<SetAccountActive>::new();
    reload_after(set_profile.value().into(), reload);
    reload_after(create_year.value().into(), reload);
    reload_after(create_department.value().into(), reload);
    reload_after(create_account.value().into(), reload);
    reload_after(set_active.value().into(), reload);

    let new_year = RwSignal::new(String::new());
    let new_year_profile = RwSignal::new("national".to_owned());
    let dept_name = RwSignal::new(String::new());
    let dept_parent = RwSignal::new(String::new());
    let (username, display_name, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new("department".to_owned());
    let user_dept = RwSignal::new(String::new());

    let profile_options = move |selected: &str| {
        profiles
            .iter()
            .map(|(name, label)| view! { <option value=name.clone() selected=selected == name>{format!("{name}：{label}")}</option> })
            .collect_view()
    };
    let year_rows = years
        .into_iter()
        .map(|y| {
            let choice = RwSignal::new(y.profile.clone());
            let options = profile_options(&y.profile);
            view! {
                <tr data-year=y.year>
                    <td>{y.year}</td>
                    <td><select aria-label="评分方案" on:change=move |ev| choice.set(event_target_value(&ev))>{options}</select></td>
                    <td><button class="btn" on:click=move |_| {
                        set_profile.dispatch(SetScoringProfile { fiscal_year_id: y.id, profile: choice.get_untracked() });
                    }>"保存"</button></td>
                </tr>
            }
        })
        .collect_view();
    let dept_options = departments.iter().map(|d| view! { <option value=d.id>{d.name.clone()}</option> }).collect_view();
    let dept_options2 = departments.iter().map(|d| view! { <option value=d.id>{d.name.clone()}</option> }).collect_view();
    let dept_rows = departments
        .into_iter()
        .map(|d| view! { <tr><td>{d.name}</td><td>{d.parent.unwrap_or_default()}</td></tr> })
        .collect_view();
    let user_rows = users
        .into_iter()
        .map(|u| {
            let (id, active, version) = (u.id, u.active, u.version);
            let name = u.username.clone();
            view! {
                <tr data-user=name>
                    <td>{u.username}</td><td>{u.display_name}</td><td>{u.role_label}</td>
                    <td>{u.department.unwrap_or_default()}</td>
                    <td><span class=if active { "badge status-approved" } else { "badge status-returned" }>{if active { "启用" } else { "停用" }}</span></td>
                    <td><button class="btn" on:click=move |_| {
                        set_active.dispatch(SetAccountActive { user_id: id, active: !active, expected_version: version });
                    }>{if active { "停用" } else { "启用" }}</button></td>
                </tr>
            }
        })
        .collect_view();
    let new_profile_options = profile_options("national");

    view! {
        <div class="admin" data-hydrated=move || hydrated.get().to_string()>
            <section class="card" id="years">
                <div class="card-head"><h2>"年度与评分方案"</h2>
                    <SaveStatus value=set_profile.value() pending=set_profile.pending()/></div>
                <table class="data-table"><thead><tr><th>"年度"</th><th>"评分方案"</th><th></th></tr></thead>
                    <tbody>{year_rows}</tbody></table>
                <form class="form inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    create_year.dispatch(CreateFiscalYear {
                        year: new_year.get_untracked().trim().parse().unwrap_or(0),
                        profile: new_year_profile.get_untracked(),
                    });
                }>
                    <label>"新增年度"<input inputmode="numeric" placeholder="如 2022" prop:value=move || new_year.get()
                        on:input=move |ev| new_year.set(event_target_value(&ev))/></label>
                    <label>"评分方案"<select on:change=move |ev| new_year_profile.set(event_target_value(&ev))>{new_profile_options}</select></label>
                    <div><button class="btn btn-primary" type="submit">"新增年度"</button>" "
                        <SaveStatus value=create_year.value() pending=create_year.pending() ok_text="已新增"/></div>
                </form>
            </section>
            <section class="card" id="departments">
                <div class="card-head"><h2>"部门"</h2></div>
                <table class="data-table"><thead><tr><th>"部门（预算单位）"</th><th>"主管部门"</th></tr></thead>
                    <tbody>{dept_rows}</tbody></table>
                <form class="form inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    create_department.dispatch(CreateDepartment {
                        name: dept_name.get_untracked(),
                        parent_id: dept_parent.get_untracked().parse().ok(),
                    });
                }>
                    <label>"部门名称"<input prop:value=move || dept_name.get() on:input=move |ev| dept_name.set(event_target_value(&ev))/></label>
                    <label>"主管部门"<select on:change=move |ev| dept_parent.set(event_target_value(&ev))>
                        <option value="">"（无）"</option>{dept_options}</select></label>
                    <div><button class="btn btn-primary" type="submit">"新增部门"</button>" "
                        <SaveStatus value=create_department.value() pending=create_department.pending() ok_text="已新增"/></div>
                </form>
            </section>
            <section class="card" id="accounts">
                <div class="card-head"><h2>"账号"</h2>
                    <SaveStatus value=set_active.value() pending=set_active.pending()/></div>
                <table class="data-table"><thead><tr><th>"用户名"</th><th>"姓名"</th><th>"角色"</th><th>"部门"</th><th>"状态"</th><th></th></tr></thead>
                    <tbody>{user_rows}</tbody></table>
                <form class="form inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    create_account.dispatch(CreateAccount {
                        username: username.get_untracked(),
                        display_name: display_name.get_untracked(),
                        password: password.get_untracked(),
                        role: role.get_untracked(),
                        department_id: opt(user_dept.get_untracked()).and_then(|d| d.parse().ok()),
                    });
                }>
                    <label>"用户名"<input prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/></label>
                    <label>"姓名"<input prop:value=move || display_name.get() on:input=move |ev| display_name.set(event_target_value(&ev))/></label>
                    <label>"初始密码"<input type="password" autocomplete="new-password" prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/></label>
                    <label>"角色"<select on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="department" selected>"部门填报人员"</option>
                        <option value="finance">"财政局审核人员"</option>
                        <option value="admin">"系统管理员"</option>
                    </select></label>
                    <label>"所属部门"<select on:change=move |ev| user_dept.set(event_target_value(&ev))>
                        <option value="">"（财政局或管理员不选）"</option>{dept_options2}</select></label>
                    <div><button class="btn btn-primary" type="submit">"新增账号"</button>" "
                        <SaveStatus value=create_account.value() pending=create_account.pending() ok_text="已新增"/></div>
                </form>
            </section>
            <section class="card" id="system-audit">
                <div class="card-head">
                    <h2>"全系统操作记录"</h2>
                    <span class="muted">"最近 100 条（登录、系统管理及各项目）"</span>
                    <a class="btn btn-secondary" href="/admin/audit.csv" download>"导出全部 CSV"</a>
                </div>
                <AuditTable rows=audit/>
            </section>
        </div>
    }.into_any()
}
