use crate::api::{current_user, Logout};
use leptos::prelude::*;

/// Who is signed in, with 退出; or a link to 登录.
#[component]
pub fn UserMenu() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            crate::components::load_page("/login");
        }
    });
    view! {
        <div class="user-menu">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => view! {
                            {u.is_admin.then(|| view! { <a href="/admin" class="btn btn-secondary">"系统管理"</a> })}
                            <span class="user" data-testid="current-user">
                                <strong>{u.display_name}</strong>
                                <span class="muted">
                                    {u.department.map(|d| format!("{d} · ")).unwrap_or_default()}
                                    {u.role.label()}
                                </span>
                            </span>
                            <ActionForm action=logout>
                                <button type="submit" class="btn btn-secondary">"退出"</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! { <a class="btn" href="/login">"登录"</a> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
