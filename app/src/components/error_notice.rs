use crate::api::AppError;
use leptos::prelude::*;

/// A failed request, said in the user's language. A missing login sends the visitor to the login
/// page, which returns them to the page they asked for (on the server a redirect; in the browser
/// a link). On the server it otherwise sets the page's HTTP status from the error.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let needs_login = error == AppError::NotSignedIn;
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let here = match search.trim_start_matches('?') {
        "" => location.pathname.get_untracked(),
        q => format!("{}?{q}", location.pathname.get_untracked()),
    };
    let login = domain::workflow::login_href(&here);
    #[cfg(feature = "ssr")]
    if needs_login {
        leptos_axum::redirect(&login);
    } else if let Ok(code) = http::StatusCode::from_u16(error.status()) {
        crate::api::ssr::set_status(code);
    }
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"出错了："</strong>
            {error.message()}
            {needs_login.then(|| view! { " " <a href=login>"前往登录"</a> })}
        </div>
    }
}
