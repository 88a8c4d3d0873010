//! The HTTP server: Leptos pages and server functions, static files, graceful shutdown.

use app::api::AppError;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_sessions::cookie::SameSite;
use tower_sessions::Session;
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
    let options =
        LeptosOptions::builder().output_name("jixiao").site_root(site_root).env(leptos::config::Env::PROD).build();
    let routes = generate_route_list(App);
    let shell_options = options.clone();
    let audit_db = db.clone();
    let system_audit_db = db.clone();
    let files_db = db.clone();
    let throttle: app::api::ssr::SharedThrottle = Default::default();
    let context = move || {
        provide_context(db.clone());
        provide_context(throttle.clone());
    };
    Router::new()
        .route(
            "/projects/{id}/audit.csv",
            axum::routing::get(move |session: Session, Path(id): Path<i32>| audit_csv(audit_db.clone(), session, id)),
        )
        .route(
            "/admin/audit.csv",
            axum::routing::get(move |session: Session| system_audit_csv(system_audit_db.clone(), session)),
        )
        .merge(crate::files::routes(files_db))
        // The WASM, JS and CSS bundle, served as the build's `.br`/`.gz` twins when the browser
        // accepts them (`cargo leptos build --precompress`), else compressed on the fly below.
        .nest_service("/pkg", static_bundle(site_root))
        .leptos_routes_with_context(&options, routes, context.clone(), move || shell(shell_options.clone()))
        // Unknown paths render the not-found page, whose user menu reads the database too.
        .fallback(leptos_axum::file_and_error_handler_with_context(context, shell))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(sessions)
        .layer(axum::middleware::from_fn(crate::security::guard_writes))
        .layer(axum::middleware::from_fn(crate::security::headers))
        // Not the streamed upload answers: a compressor would hold their progress lines back.
        .layer(tower_http::compression::CompressionLayer::new().compress_when({
            use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
            DefaultPredicate::new().and(NotForContentType::const_new(crate::files::NDJSON))
        }))
        .with_state(options)
}

/// The site's `pkg/` folder with its precompressed twins. A missing file answers 404.
fn static_bundle(site_root: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(std::path::Path::new(site_root).join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
}

/// The largest server-function error body the status middleware reads.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A failed server function answers with its [`AppError`] as JSON; this gives the response the
/// error's HTTP status (`AppError::status`, the one mapping) instead of the framework's 500 and
/// adds the error's `message`: `{"error": "stale", "detail": …, "message": "数据已被他人修改…"}`.
async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return refuse(&AppError::Internal);
    };
    let Ok(error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Ok(status) = StatusCode::from_u16(error.status()) {
        parts.status = status;
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(error_json(&error)))
}

/// The error as data, plus the message a person reads (a script or a form post without
/// JavaScript sees the Chinese text; the browser's decoder ignores the extra field).
fn error_json(error: &AppError) -> String {
    let mut body = serde_json::to_value(error).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        object.insert("message".into(), error.message().into());
    }
    body.to_string()
}

/// A refusal of a write before it reached its server function: the same JSON a server function's
/// error has (`{"error", "detail", "message"}`), with the error's status.
pub fn refuse_json(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], error_json(error)).into_response()
}

/// A refusal of a plain route: the error's status and message as text.
pub fn refuse(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], error.message()).into_response()
}

pub fn internal(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!("{what}: {e}");
    refuse(&AppError::Internal)
}

/// The signed-in user of a plain route, or the refusal to send.
pub async fn signed_in(db: &db::DatabaseConnection, session: &Session) -> Result<db::entities::user::Model, Response> {
    match app::api::ssr::user_from_session(db, session).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(refuse(&AppError::NotSignedIn)),
        Err(e) => Err(refuse(&e)),
    }
}

/// 操作记录 of one project as CSV, for whoever may read the project.
async fn audit_csv(db: db::DatabaseConnection, session: Session, project_id: i32) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    if let Err(e) = app::api::ssr::readable_project(&db, &db::accounts::actor(&user), project_id).await {
        return refuse(&e);
    }
    match db::store::audit::for_project(&db, project_id).await {
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
    if let Err(refusal) = domain::workflow::require_admin(&db::accounts::actor(&user)) {
        return refuse(&AppError::Refused(refusal));
    }
    match db::store::audit::all(&db).await {
        Ok(rows) => csv_download(&rows, "audit-all.csv"),
        Err(e) => internal("audit export", e),
    }
}

/// Audit rows as a CSV download (UTF-8 with BOM, so spreadsheet programs read the Chinese);
/// fields, actions and values of value sets by their Chinese names.
fn csv_download(rows: &[db::entities::audit_log::Model], filename: &str) -> Response {
    let write = || -> Result<Vec<u8>, csv::Error> {
        let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        out.write_record(["时间（UTC）", "用户", "对象", "对象编号", "项目编号", "字段", "原值", "新值", "操作"])?;
        for r in rows {
            let field = r.field.map(|f| f.0);
            let value = |v: &Option<String>| match (field, v) {
                (Some(f), Some(v)) => f.display_value(v),
                (None, Some(v)) => v.clone(),
                (_, None) => String::new(),
            };
            // Usernames and values are user input: a formula-like cell is written as text.
            let cell = crate::security::csv_cell;
            out.write_record([
                r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                cell(r.username.clone()),
                r.entity.0.label().to_owned(),
                r.entity_id.to_string(),
                r.project_id.map(|p| p.to_string()).unwrap_or_default(),
                field.map(|f| f.label().to_owned()).unwrap_or_default(),
                cell(value(&r.old_value)),
                cell(value(&r.new_value)),
                r.action.0.label().to_owned(),
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

/// How often the server deletes expired sessions.
pub const SESSION_PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes expired sessions now and then every `every`, for as long as the server runs.
pub fn spawn_session_purge(db: db::DatabaseConnection, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match db::session_store::delete_expired(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("已清理 {n} 个过期会话"),
                Err(e) => tracing::warn!("清理过期会话失败：{e}"),
            }
        }
    })
}

pub async fn serve(db: db::DatabaseConnection, addr: SocketAddr, site_root: &str) -> anyhow::Result<()> {
    if !std::path::Path::new(site_root).join("pkg").exists() {
        tracing::warn!(
            "{site_root}/pkg 不存在：页面可以显示，但浏览器端交互需要先构建前端（cargo leptos build --release）"
        );
    }
    let purge = spawn_session_purge(db.clone(), SESSION_PURGE_EVERY);
    let app = router(db, site_root);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("jixiao 已启动：http://{addr}/");
    // The peer address reaches the sign-in throttle as `ConnectInfo`.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    purge.abort();
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
