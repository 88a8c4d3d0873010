use crate::api::Login;
use leptos::prelude::*;

/// 登录. Works without JavaScript too (the form posts to the server function).
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    // `?next=` is the page the visitor asked for before signing in (`ErrorNotice`).
    let next = leptos_router::hooks::use_query_map()
        .with_untracked(|q| domain::workflow::after_login(q.get("next").as_deref()).to_owned());
    // After a successful login, load that page afresh (the header shows the new user).
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            crate::components::load_page(&next);
        }
    });
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(e.message()),
        _ => None,
    };
    view! {
        <section class="login card">
            <h1>"登录"</h1>
            <p class="muted">"预算绩效目标管理系统：部门填报、财政审核与绩效评价。"</p>
            <ActionForm action=login attr:class="form">
                <label>
                    <span>"用户名"</span>
                    <input type="text" name="username" autocomplete="username" required/>
                </label>
                <label>
                    <span>"密码"</span>
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                {move || error().map(|e| view! { <p class="notice notice-error" role="alert" data-testid="login-error">{e}</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "正在登录…" } else { "登录" }}
                </button>
            </ActionForm>
        </section>
    }
}
