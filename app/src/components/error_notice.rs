use leptos::prelude::*;
use leptos::server_fn::error::ServerFnError;

/// The user-facing text of a server function error (without the framework's prefix).
pub fn server_message(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(m) => m.clone(),
        ServerFnError::Request(_) => "无法连接服务器，请检查网络后重试".to_owned(),
        other => other.to_string(),
    }
}

/// A failed request, said in the user's language; a missing login offers the login page.
#[component]
pub fn ErrorNotice(error: ServerFnError) -> impl IntoView {
    let message = server_message(&error);
    let needs_login = message == "请先登录";
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"出错了："</strong>
            {message}
            {needs_login.then(|| view! { " " <a href="/login">"前往登录"</a> })}
        </div>
    }
}
