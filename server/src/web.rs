//! The HTTP server: Leptos pages and server functions, static files, graceful shutdown.

use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// A signed-in session ends after this much inactivity (the absolute limit is in `app::api::ssr`).
pub const IDLE_MINUTES: i64 = 30;

/// Builds the router for the given database and built site folder.
pub fn router(db: db::DatabaseConnection, site_root: &str) -> Router {
    // Sessions live in the database, so several server instances can share them.
    let sessions = SessionManagerLayer::new(db::session_store::DbSessionStore::new(db.clone()))
        .with_name("jixiao_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(std::env::var("JIXIAO_SECURE_COOKIES").is_ok_and(|v| v == "1"))
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(IDLE_MINUTES)));
    let options = LeptosOptions::builder()
        .output_name("jixiao")
        .site_root(site_root)
        .env(leptos::config::Env::PROD)
        .build();
    let routes = generate_route_list(App);
    let shell_options = options.clone();
    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(db.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(sessions)
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(options)
}

pub async fn serve(db: db::DatabaseConnection, addr: SocketAddr, site_root: &str) -> anyhow::Result<()> {
    if !std::path::Path::new(site_root).join("pkg").exists() {
        tracing::warn!("{site_root}/pkg 不存在：页面可以显示，但浏览器端交互需要先构建前端（cargo leptos build --release）");
    }
    let app = router(db, site_root);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("jixiao 已启动：http://{addr}/");
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
