//! User accounts: creating them (argon2id password hashes), logging in with throttling, and the
//! workflow [`Actor`] a user acts as.
//!
//! Throttling: after [`MAX_FAILED_LOGINS`] consecutive wrong passwords the account is locked for
//! [`LOCK_MINUTES`] minutes, during which even the right password is refused; a successful login
//! resets the count. Unknown users and wrong passwords get the same message. Every attempt is
//! written to the audit log.

use crate::audit::{self, action, entity, AuditEntry};
use crate::entities::{department, user};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use domain::workflow::{Actor, Role};
use password_hash::rand_core::OsRng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr, TransactionTrait,
};
use std::sync::OnceLock;

/// Consecutive wrong passwords that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_USERNAME_CHARS: usize = 64;
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;

/// An account to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    /// 姓名; the username when blank.
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// Required for [`Role::Department`], refused for the others.
    pub department_id: Option<i32>,
}

/// Why an account was not created; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("用户名“{0}”已被使用，请换一个用户名")]
    DuplicateUsername(String),
    #[error("密码处理失败：{0}")]
    Hash(String),
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

/// Why a login was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user or wrong password: deliberately the same message.
    #[error("用户名或密码错误")]
    InvalidCredentials,
    #[error(
        "登录失败次数过多，账号已临时锁定，请于{minutes_left}分钟后（北京时间 {} 之后）重试",
        beijing_time(*until)
    )]
    Locked { until: DateTime<Utc>, minutes_left: i64 },
    #[error("账号已停用，请联系系统管理员")]
    Inactive,
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

/// The role as stored in `app_user.role`.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Finance => "finance",
        Role::Department => "department",
    }
}

/// The role of a stored `app_user.role`, if it is one.
pub fn parse_role(key: &str) -> Option<Role> {
    Role::ALL.into_iter().find(|&r| role_key(r) == key)
}

/// The workflow actor `user` acts as. An unknown stored role acts as a department user without a
/// department, who can do nothing. (Whether the account is active is the caller's to check.)
pub fn actor(user: &user::Model) -> Actor {
    match parse_role(&user.role) {
        Some(role) => Actor { user_id: user.id, role, department_id: user.department_id },
        None => Actor { user_id: user.id, role: Role::Department, department_id: None },
    }
}

fn invalid<T>(message: impl Into<String>) -> Result<T, AccountError> {
    Err(AccountError::Invalid(message.into()))
}

/// Creates an account with an argon2id hash of its password.
pub async fn create_user(db: &DatabaseConnection, new: NewUser) -> Result<user::Model, AccountError> {
    let username = new.username.trim().to_owned();
    if username.is_empty() {
        return invalid("用户名不能为空");
    }
    if username.chars().count() > MAX_USERNAME_CHARS || username.chars().any(char::is_control) {
        return invalid(format!("用户名不能超过{MAX_USERNAME_CHARS}个字符，且不能含控制字符"));
    }
    let display_name = match new.display_name.trim() {
        "" => username.clone(),
        name => name.to_owned(),
    };
    if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return invalid(format!("姓名不能超过{MAX_DISPLAY_NAME_CHARS}个字符"));
    }
    let password_chars = new.password.chars().count();
    if password_chars < MIN_PASSWORD_CHARS {
        return invalid(format!("密码至少需要{MIN_PASSWORD_CHARS}个字符"));
    }
    if password_chars > MAX_PASSWORD_CHARS {
        return invalid(format!("密码不能超过{MAX_PASSWORD_CHARS}个字符"));
    }
    match (new.role, new.department_id) {
        (Role::Department, None) => return invalid("部门填报人员必须选择所属部门"),
        (Role::Department, Some(id)) => {
            if department::Entity::find_by_id(id).one(db).await?.is_none() {
                return invalid("所选部门不存在");
            }
        }
        (role, Some(_)) => return invalid(format!("{}不属于任何部门，请不要选择部门", role.label())),
        (_, None) => {}
    }
    if find_by_username(db, &username).await?.is_some() {
        return Err(AccountError::DuplicateUsername(username));
    }
    let password = new.password;
    let password_hash = blocking(move || hash_password(&password)).await?.map_err(AccountError::Hash)?;
    let inserted = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(role_key(new.role).to_owned()),
        department_id: Set(new.department_id),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(Utc::now()),
        version: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(AccountError::DuplicateUsername(username))
        }
        other => Ok(other?),
    }
}

/// Checks a login at time `now` and returns the account. See the module documentation for the
/// throttling; every attempt is audited.
pub async fn verify_login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<user::Model, LoginError> {
    let name: String = username.trim().chars().take(MAX_USERNAME_CHARS).collect();
    let password = password.to_owned();
    let Some(user) = find_by_username(db, &name).await? else {
        // Spend the same time as a real check, so response times do not reveal which names exist.
        blocking(move || password_matches(&password, dummy_hash())).await?;
        log_login(db, None, &name, now, action::LOGIN_FAILED, "用户名不存在").await?;
        return Err(LoginError::InvalidCredentials);
    };
    if let Some(until) = user.locked_until.filter(|&until| until > now) {
        log_login(db, Some(&user), &name, now, action::LOGIN_FAILED, "账号锁定中").await?;
        return Err(locked(until, now));
    }
    let hash = user.password_hash.clone();
    if !blocking(move || password_matches(&password, &hash)).await? {
        return Err(record_failure(db, &user, &name, now).await?);
    }
    if !user.active {
        log_login(db, Some(&user), &name, now, action::LOGIN_FAILED, "账号已停用").await?;
        return Err(LoginError::Inactive);
    }
    let txn = db.begin().await?;
    if user.failed_logins != 0 || user.locked_until.is_some() {
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(user::Column::Id.eq(user.id))
            .exec(&txn)
            .await?;
    }
    log_login(&txn, Some(&user), &name, now, action::LOGIN, "登录成功").await?;
    let user = user::Entity::find_by_id(user.id).one(&txn).await?.unwrap_or(user);
    txn.commit().await?;
    Ok(user)
}

/// Counts a wrong password (atomically, so concurrent attempts all count) and locks the account
/// at the limit. Returns the error to show.
async fn record_failure(
    db: &DatabaseConnection,
    user: &user::Model,
    name: &str,
    now: DateTime<Utc>,
) -> Result<LoginError, DbErr> {
    let txn = db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::col(user::Column::FailedLogins).add(1))
        .filter(user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    let failures = user::Entity::find_by_id(user.id).one(&txn).await?.map_or(MAX_FAILED_LOGINS, |u| u.failed_logins);
    let outcome = if failures >= MAX_FAILED_LOGINS {
        let until = now + Duration::minutes(LOCK_MINUTES);
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .col_expr(user::Column::LockedUntil, Expr::value(Some(until)))
            .filter(user::Column::Id.eq(user.id))
            .exec(&txn)
            .await?;
        let note = format!("密码错误（连续第{failures}次），账号锁定至北京时间 {}", beijing_time(until));
        log_login(&txn, Some(user), name, now, action::LOGIN_FAILED, &note).await?;
        locked(until, now)
    } else {
        log_login(&txn, Some(user), name, now, action::LOGIN_FAILED, &format!("密码错误（连续第{failures}次）"))
            .await?;
        LoginError::InvalidCredentials
    };
    txn.commit().await?;
    Ok(outcome)
}

async fn log_login(
    conn: &impl ConnectionTrait,
    user: Option<&user::Model>,
    typed_name: &str,
    now: DateTime<Utc>,
    what: &str,
    note: &str,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        at: now,
        user_id: user.map(|u| u.id),
        username: typed_name.to_owned(),
        entity: entity::APP_USER.to_owned(),
        entity_id: user.map_or(0, |u| u.id),
        new_value: Some(note.to_owned()),
        action: what.to_owned(),
        ..AuditEntry::default()
    };
    audit::record(conn, entry).await.map(drop)
}

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> LoginError {
    let seconds = (until - now).num_seconds().max(1);
    LoginError::Locked { until, minutes_left: (seconds + 59) / 60 }
}

/// "HH:MM" in Beijing time (UTC+8), the time users read.
fn beijing_time(t: DateTime<Utc>) -> String {
    (t + Duration::hours(8)).format("%H:%M").to_string()
}

/// One account by id.
pub async fn find_user(db: &impl ConnectionTrait, id: i32) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// Every account, in creation order.
pub async fn list_users(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find().order_by_asc(user::Column::Id).all(db).await
}

async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await
}

/// An argon2id PHC string (random salt, default parameters) for `password`.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`; false for a malformed hash.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("jixiao-dummy-password").unwrap_or_default())
}

/// Runs CPU-heavy hashing on tokio's blocking pool, off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, DbErr> {
    tokio::task::spawn_blocking(f).await.map_err(|e| DbErr::Custom(format!("密码校验任务失败：{e}")))
}
