use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for unknown addresses and unknown projects (HTTP 404 when rendered by the server).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::ssr::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <section class="empty-state">
            <h1>"未找到该页面"</h1>
            <p>"您要查看的页面或项目不存在，可能已被删除或地址有误。"</p>
            <A href="/">"返回项目列表"</A>
        </section>
    }
}
