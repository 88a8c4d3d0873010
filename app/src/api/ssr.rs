//! Server-only helpers shared by the server functions: the database, the session and the
//! signed-in user. Access rules themselves live in `domain::workflow`; errors are [`AppError`].

use super::AppError;
use db::entities::user;
use db::DatabaseConnection;
use domain::workflow::Actor;
use leptos::prelude::*;
use tower_sessions::Session;

/// Session key of the signed-in user's id.
pub const USER_KEY: &str = "uid";
/// Session key of the login time (unix seconds), for the absolute expiry.
pub const LOGIN_AT_KEY: &str = "login_at";
/// Session key of the account's version at login: a password reset or (de)activation bumps the
/// version, which ends every session opened before it.
pub const USER_VERSION_KEY: &str = "uver";
/// A session ends this long after login, however active it is.
pub const ABSOLUTE_EXPIRY_HOURS: i64 = 12;

/// The database pool the server provides to every request.
pub fn db() -> Result<DatabaseConnection, AppError> {
    use_context::<DatabaseConnection>().ok_or_else(|| super::error::internal("no database connection in context"))
}

/// Sets the HTTP status of the current response (a page whose data was not found, say).
pub fn set_status(code: http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(code);
    }
}

/// The page's Content-Security-Policy: scripts only from this site and the inline hydration
/// scripts that carry this response's nonce, WASM allowed, no framing, no plugins, forms post
/// only here. Set from the HTML shell, so every rendered page gets its own nonce.
pub fn content_security_policy() {
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The sign-in throttle of this server (one per router, provided as context).
pub type SharedThrottle = std::sync::Arc<std::sync::Mutex<domain::workflow::LoginThrottle>>;

/// The address the request came from: the TCP peer, or — only when `JIXIAO_TRUST_PROXY=1` says a
/// reverse proxy in front sets it — the first address of `X-Forwarded-For`. "unknown" when the
/// server runs without connection info (in-process tests).
pub fn client_address() -> String {
    let Some(parts) = use_context::<http::request::Parts>() else { return "unknown".into() };
    if std::env::var("JIXIAO_TRUST_PROXY").is_ok_and(|v| v == "1") {
        let forwarded = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        if let Some(first) = forwarded.and_then(|v| v.split(',').next()).map(str::trim).filter(|a| !a.is_empty()) {
            return first.chars().take(64).collect();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".into(), |info| info.0.ip().to_string())
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(super::error::internal)
}

/// The signed-in user, or `None` (an expired or invalid session is cleared).
pub async fn current_user() -> Result<Option<user::Model>, AppError> {
    user_from_session(&db()?, &session().await?).await
}

/// The user of a session: `None` without a login, after the absolute expiry, or for an
/// account that no longer exists or was deactivated (the session is then cleared). Plain axum
/// routes (downloads) use this too.
pub async fn user_from_session(db: &DatabaseConnection, session: &Session) -> Result<Option<user::Model>, AppError> {
    let Some(id) = session.get::<i32>(USER_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let login_at = session.get::<i64>(LOGIN_AT_KEY).await.map_err(session_error)?.unwrap_or(0);
    let expired = chrono::Utc::now().timestamp() - login_at > ABSOLUTE_EXPIRY_HOURS * 3600;
    let version = session.get::<i32>(USER_VERSION_KEY).await.map_err(session_error)?;
    let user = db::store::users::one(db, id).await?;
    match user {
        Some(u) if u.active && !expired && version == Some(u.version) => Ok(Some(u)),
        _ => {
            session.flush().await.map_err(session_error)?;
            Ok(None)
        }
    }
}

/// A session that could not be read: 503 when the database is unreachable or overloaded (the
/// user can retry), else an internal error.
fn session_error(e: tower_sessions::session::Error) -> AppError {
    match db::session_store::unavailable(&e) {
        Some(db_error) => db_error.into(),
        None => super::error::internal(e),
    }
}

/// The signed-in user and the actor they act as, or [`AppError::NotSignedIn`].
pub async fn require_user() -> Result<(user::Model, Actor), AppError> {
    match current_user().await? {
        Some(u) => {
            let actor = db::accounts::actor(&u);
            Ok((u, actor))
        }
        None => Err(AppError::NotSignedIn),
    }
}

/// The project, if the actor may read it.
pub async fn readable_project(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: i32,
) -> Result<db::store::projects::ProjectRow, AppError> {
    let row = db::store::projects::one(db, project_id)
        .await?
        .ok_or(AppError::NotFound(domain::vocab::EntityKind::Project))?;
    check_read(actor, row.project.department_id)?;
    Ok(row)
}

/// Refuses a project the actor may not read, without saying whose it is.
pub fn check_read(actor: &Actor, department_id: i32) -> Result<(), AppError> {
    if domain::workflow::can_read(actor, department_id) {
        Ok(())
    } else {
        Err(AppError::OtherDepartment)
    }
}

/// A number typed into `field` (blank = none).
pub fn number(field: domain::vocab::Field, text: Option<String>) -> Result<Option<rust_decimal::Decimal>, AppError> {
    domain::input::number(field, text.as_deref().unwrap_or("")).map_err(AppError::Invalid)
}

/// 北京时间 (UTC+8), whatever the server's time zone.
pub fn beijing_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// 北京时间 "2026-11-26 18:03".
pub fn beijing(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&beijing_offset()).format("%Y-%m-%d %H:%M").to_string()
}

/// Today's date in 北京时间.
pub fn beijing_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&beijing_offset()).date_naive()
}
