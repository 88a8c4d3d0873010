//! jixiao's web application: pages, components and the server functions they call.
//!
//! Built twice: with `ssr` into the server (renders HTML, runs server functions against the
//! database) and with `hydrate` into the browser's WASM (attaches interactivity). Server-only
//! code sits behind `#[cfg(feature = "ssr")]`; pure rules live in the `domain` crate.

#![recursion_limit = "256"]
// A server function takes its form's fields as arguments (the wire format is the form).
#![allow(clippy::too_many_arguments)]

pub mod api;
pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The HTML document around the app (server-side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    api::ssr::content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, so this flips once the WASM has hydrated the page.
    // Browser tests wait for it; it also lets CSS reveal controls that need JavaScript.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/jixiao.css"/>
        <Title text="预算绩效目标管理"/>
        <Router>
            <div id="app" data-hydrated=move || if hydrated.get() { "true" } else { "false" }>
                <header class="topbar">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark">"绩"</span>
                        <span>"预算绩效目标管理"</span>
                    </A>
                    <nav>
                        <A href="/">"项目"</A>
                        <A href="/todo">"待办"</A>
                        <A href="/overview">"绩效概览"</A>
                        <A href="/imports">"批量导入"</A>
                    </nav>
                    <components::UserMenu/>
                </header>
                <main class="page">
                    <Routes fallback=|| view! { <pages::NotFound/> }>
                        // Data pages render completely before the response starts, so a refusal
                        // or a missing project sets the HTTP status (401 / 403 / 404).
                        <Route path=path!("/") view=pages::ProjectList ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=pages::LoginPage/>
                        <Route path=path!("/projects/new") view=pages::NewProjectPage ssr=SsrMode::Async/>
                        <Route path=path!("/projects/:id") view=pages::ProjectPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin") view=pages::AdminPage ssr=SsrMode::Async/>
                        <Route path=path!("/imports") view=pages::ImportPage ssr=SsrMode::Async/>
                        <Route path=path!("/overview") view=pages::OverviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/todo") view=pages::TodoPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
