//! The HTTP server: Leptos pages and server functions, static files, graceful shutdown.

use app::{shell, App};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_sessions::Session;
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
    let audit_db = db.clone();
    let system_audit_db = db.clone();
    Router::new()
        .route(
            "/projects/{id}/audit.csv",
            axum::routing::get(move |session: Session, Path(id): Path<i32>| audit_csv(audit_db.clone(), session, id)),
        )
        .route(
            "/admin/audit.csv",
            axum::routing::get(move |session: Session| system_audit_csv(system_audit_db.clone(), session)),
        )
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

fn refuse(code: StatusCode, msg: &str) -> Response {
    (code, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], msg.to_owned()).into_response()
}

fn internal(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!("{what}: {e}");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误，请稍后重试")
}

/// The signed-in user of a plain route, or the refusal to send.
async fn signed_in(db: &db::DatabaseConnection, session: &Session) -> Result<db::entities::user::Model, Response> {
    match app::api::ssr::user_from_session(db, session).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(refuse(StatusCode::UNAUTHORIZED, "请先登录")),
        Err(e) => Err(internal("session", e)),
    }
}

/// 操作记录 of one project as CSV, for whoever may read the project.
async fn audit_csv(db: db::DatabaseConnection, session: Session, project_id: i32) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    let project = match db::queries::project(&db, project_id).await {
        Ok(Some(p)) => p,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "项目不存在"),
        Err(e) => return internal("audit export", e),
    };
    if !domain::workflow::can_read(&db::accounts::actor(&user), project.project.department_id) {
        return refuse(StatusCode::FORBIDDEN, app::api::ssr::FORBIDDEN_PROJECT);
    }
    match db::audit::for_project(&db, project_id).await {
        Ok(rows) => csv_download(&rows, &format!("audit-project-{project_id}.csv")),
        Err(e) => internal("audit export", e),
    }
}

/// The whole audit log (accounts, logins, administration and every project) as CSV, for
/// administrators.
async fn system_audit_csv(db: db::DatabaseConnection, session: Session) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    if !domain::workflow::can_administer(&db::accounts::actor(&user)) {
        return refuse(StatusCode::FORBIDDEN, app::api::admin::ssr::ADMIN_ONLY);
    }
    match db::audit::all(&db).await {
        Ok(rows) => csv_download(&rows, "audit-all.csv"),
        Err(e) => internal("audit export", e),
    }
}

/// Audit rows as a CSV download (UTF-8 with BOM, so spreadsheet programs read the Chinese).
fn csv_download(rows: &[db::entities::audit_log::Model], filename: &str) -> Response {
    let write = || -> Result<Vec<u8>, csv::Error> {
        let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        out.write_record(["时间（UTC）", "用户", "对象", "对象编号", "项目编号", "字段", "原值", "新值", "操作"])?;
        for r in rows {
            out.write_record([
                r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                r.username.clone(),
                r.entity.clone(),
                r.entity_id.to_string(),
                r.project_id.map(|p| p.to_string()).unwrap_or_default(),
                r.field.clone().unwrap_or_default(),
                r.old_value.clone().unwrap_or_default(),
                r.new_value.clone().unwrap_or_default(),
                r.action.clone(),
            ])?;
        }
        out.into_inner().map_err(|e| e.into_error().into())
    };
    match write() {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => internal("audit export", e),
    }
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
