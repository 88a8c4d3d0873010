use crate::api::AppError;
use leptos::prelude::*;

/// A failed request, said in the user's language; a missing login offers the login page. On the
/// server it also sets the page's HTTP status from the error.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Ok(code) = http::StatusCode::from_u16(error.status()) {
        crate::api::ssr::set_status(code);
    }
    let needs_login = error == AppError::NotSignedIn;
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"出错了："</strong>
            {error.message()}
            {needs_login.then(|| view! { " " <a href="/login">"前往登录"</a> })}
        </div>
    }
}
