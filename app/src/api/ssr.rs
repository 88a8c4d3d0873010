//! Server-only helpers shared by the server functions: the database, the session, the signed-in
//! user, and errors said in Chinese. Access rules themselves live in `domain::workflow`.

use db::entities::user;
use db::DatabaseConnection;
use domain::workflow::Actor;
use leptos::prelude::*;
use tower_sessions::Session;

/// Session key of the signed-in user's id.
pub const USER_KEY: &str = "uid";
/// Session key of the login time (unix seconds), for the absolute expiry.
pub const LOGIN_AT_KEY: &str = "login_at";
/// A session ends this long after login, however active it is.
pub const ABSOLUTE_EXPIRY_HOURS: i64 = 12;

/// The database pool the server provides to every request.
pub fn db() -> Result<DatabaseConnection, ServerFnError> {
    use_context::<DatabaseConnection>().ok_or_else(|| ServerFnError::new("服务器未配置数据库连接"))
}

/// Logs a database error and returns a message without internals.
pub fn internal(e: impl std::fmt::Display) -> ServerFnError {
    leptos::logging::error!("server error: {e}");
    ServerFnError::new("服务器内部错误，请稍后重试")
}

pub fn set_status(code: http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(code);
    }
}

/// A refusal: sets the HTTP status and returns the message for the user.
pub fn refuse(code: http::StatusCode, message: &str) -> ServerFnError {
    set_status(code);
    ServerFnError::new(message)
}

pub async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>().await.map_err(|_| ServerFnError::new("会话不可用"))
}

/// The signed-in user, or `None` (an expired or invalid session is cleared).
pub async fn current_user() -> Result<Option<user::Model>, ServerFnError> {
    user_from_session(&db()?, &session().await?).await.map_err(internal)
}

/// The user of a session: `None` without a login, after the absolute expiry, or for an
/// account that no longer exists or was deactivated (the session is then cleared). Plain axum
/// routes (downloads) use this too.
pub async fn user_from_session(db: &DatabaseConnection, session: &Session) -> Result<Option<user::Model>, String> {
    let Some(id) = session.get::<i32>(USER_KEY).await.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let login_at = session.get::<i64>(LOGIN_AT_KEY).await.map_err(|e| e.to_string())?.unwrap_or(0);
    let expired = chrono::Utc::now().timestamp() - login_at > ABSOLUTE_EXPIRY_HOURS * 3600;
    let user = db::accounts::find_user(db, id).await.map_err(|e| e.to_string())?;
    match user {
        Some(u) if u.active && !expired => Ok(Some(u)),
        _ => {
            session.flush().await.map_err(|e| e.to_string())?;
            Ok(None)
        }
    }
}

/// The signed-in user and the actor they act as, or a 401 refusal.
pub async fn require_user() -> Result<(user::Model, Actor), ServerFnError> {
    match current_user().await? {
        Some(u) => {
            let actor = db::accounts::actor(&u);
            Ok((u, actor))
        }
        None => Err(refuse(http::StatusCode::UNAUTHORIZED, NOT_SIGNED_IN)),
    }
}

/// The message of a request without a valid session; pages recognise it and offer the login.
pub const NOT_SIGNED_IN: &str = "请先登录";

/// The refusal for another department's project; it does not say whose it is.
pub const FORBIDDEN_PROJECT: &str = "无权查看该项目：只能查看本部门的项目";

/// The project, if the actor may read it; else 404 / 403.
pub async fn readable_project(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: i32,
) -> Result<db::queries::ProjectRow, ServerFnError> {
    let Some(row) = db::queries::project(db, project_id).await.map_err(internal)? else {
        return Err(refuse(http::StatusCode::NOT_FOUND, "项目不存在"));
    };
    if !domain::workflow::can_read(actor, row.project.department_id) {
        return Err(refuse(http::StatusCode::FORBIDDEN, FORBIDDEN_PROJECT));
    }
    Ok(row)
}

/// A refused or failed edit as the user sees it: 403 for a forbidden one, 404 / 409 / 422 for
/// a missing target, a stale version or invalid content, 500 (logged) for the database.
pub fn update_error(e: db::UpdateError) -> ServerFnError {
    use db::UpdateError as E;
    use domain::workflow::Refusal;
    use http::StatusCode;
    match e {
        E::Db(e) => internal(e),
        E::Refused(Refusal::Forbidden { .. }) | E::Forbidden(_) => refuse(StatusCode::FORBIDDEN, &e.to_string()),
        E::NotFound => refuse(StatusCode::NOT_FOUND, &e.to_string()),
        E::Conflict => refuse(StatusCode::CONFLICT, &e.to_string()),
        E::Refused(_) | E::Invalid(_) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

/// A number typed into `field` (blank = none), or a 422 naming the field.
pub fn number(field: &str, text: Option<String>) -> Result<Option<rust_decimal::Decimal>, ServerFnError> {
    domain::money::parse_input(field, text.as_deref().unwrap_or(""))
        .map_err(|m| refuse(http::StatusCode::UNPROCESSABLE_ENTITY, &m))
}
