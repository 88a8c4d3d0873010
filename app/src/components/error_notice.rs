use leptos::prelude::*;

/// A failed request, said in the user's language.
#[component]
pub fn ErrorNotice(error: String) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <strong>"出错了："</strong>
            {error}
        </div>
    }
}
