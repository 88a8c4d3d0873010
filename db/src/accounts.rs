//! User accounts: creating them (argon2id password hashes), checking a sign-in, and the
//! workflow [`Actor`] a user acts as.
//!
//! Unknown users and wrong passwords get the same message and take the same time. Every checked
//! attempt is written to the audit log; throttling (per source address and per account, so that
//! nobody can lock someone else out) happens before, in the server (`domain::workflow::LoginThrottle`),
//! and a throttled attempt never reaches the database.

use crate::entities::{department, user};
use crate::error::{is_unique_violation, Error, Result};
use crate::store::audit::{self, AuditEntry};
use crate::store::users::by_username;
use crate::{write, Key};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use domain::input::Invalid;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{Actor, LoginRefusal, Role};
use password_hash::rand_core::OsRng;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use std::sync::OnceLock;

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

/// The workflow actor `user` acts as. (Whether the account is active is the caller's to check.)
pub fn actor(user: &user::Model) -> Actor {
    Actor { user_id: user.id, role: user.role.0, department_id: user.department_id }
}

/// Checks a new account: username, 姓名, password length and the department its role needs.
/// Returns the trimmed username and 姓名.
fn check_new_user(new: &NewUser) -> Result<(String, String), Invalid> {
    let username = domain::input::new_username(&new.username, MAX_USERNAME_CHARS)?;
    let display_name = match new.display_name.trim() {
        "" => username.clone(),
        name => name.to_owned(),
    };
    let len = display_name.chars().count();
    if len > MAX_DISPLAY_NAME_CHARS {
        return Err(Invalid::TooLong { field: Field::DisplayName, max: MAX_DISPLAY_NAME_CHARS, len });
    }
    domain::input::new_password(&new.password, &username, MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS)?;
    match (new.role, new.department_id) {
        (Role::Department, None) => Err(Invalid::DepartmentRequired),
        (Role::Department, Some(_)) | (_, None) => Ok((username, display_name)),
        (role, Some(_)) => Err(Invalid::DepartmentNotAllowed { role }),
    }
}

/// Creates an account with an argon2id hash of its password, in the caller's transaction.
pub async fn create_user_in(conn: &impl ConnectionTrait, new: NewUser) -> Result<user::Model> {
    let (username, display_name) = check_new_user(&new)?;
    if let Some(id) = new.department_id {
        if department::Entity::find_by_id(id).one(conn).await?.is_none() {
            return Err(Invalid::UnknownReference { field: Field::Department }.into());
        }
    }
    if by_username(conn, &username).await?.is_some() {
        return Err(Invalid::Duplicate { field: Field::Username, value: username }.into());
    }
    let password = new.password;
    let password_hash = blocking(move || hash_password(&password)).await?.map_err(|e| Error::Db(DbErr::Custom(e)))?;
    let inserted = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(Key(new.role)),
        department_id: Set(new.department_id),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(Utc::now()),
        version: Set(0),
        ..Default::default()
    }
    .insert(conn)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(Invalid::Duplicate { field: Field::Username, value: username }.into()),
        other => Ok(other?),
    }
}

/// Creates an account (see [`create_user_in`]) in a transaction of its own.
pub async fn create_user(db: &DatabaseConnection, new: NewUser) -> Result<user::Model> {
    let txn = write::begin(db).await?;
    let saved = create_user_in(&txn, new).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Checks a sign-in at time `now` and returns the account; every attempt is audited.
pub async fn verify_login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<user::Model> {
    // As typed for the audit log, but without control characters (PostgreSQL refuses a NUL in
    // text); looked up in the stored form. No stored name has a control character.
    let name: String = username.trim().chars().filter(|c| !c.is_control()).take(MAX_USERNAME_CHARS).collect();
    let key = domain::input::username_key(&name);
    let password = password.to_owned();
    let found = match username.chars().any(char::is_control) {
        true => None,
        false => by_username(db, &key).await?,
    };
    let Some(user) = found else {
        // Spend the same time as a real check, so response times do not reveal which names exist.
        blocking(move || password_matches(&password, dummy_hash())).await?;
        log_login(db, None, &name, now, AuditAction::LoginFailed, "用户名不存在").await?;
        return Err(LoginRefusal::InvalidCredentials.into());
    };
    let hash = user.password_hash.clone();
    if !blocking(move || password_matches(&password, &hash)).await? {
        log_login(db, Some(&user), &name, now, AuditAction::LoginFailed, "密码错误").await?;
        return Err(LoginRefusal::InvalidCredentials.into());
    }
    if !user.active {
        log_login(db, Some(&user), &name, now, AuditAction::LoginFailed, "账号已停用").await?;
        return Err(LoginRefusal::Inactive.into());
    }
    log_login(db, Some(&user), &name, now, AuditAction::Login, "登录成功").await?;
    Ok(user)
}

/// Sets a new password for `username` (the administrator's `jixiao user reset-password`), with
/// the rules for new passwords; audited without the password itself. Returns the account.
pub async fn reset_password(db: &DatabaseConnection, username: &str, password: &str) -> Result<user::Model> {
    let key = domain::input::username_key(username);
    let found = match username.chars().any(char::is_control) {
        true => None,
        false => by_username(db, &key).await?,
    };
    let user = found.ok_or(Error::NotFound(EntityKind::User))?;
    domain::input::new_password(password, &user.username, MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS)?;
    let password = password.to_owned();
    let hash = blocking(move || hash_password(&password)).await?.map_err(|e| Error::Db(DbErr::Custom(e)))?;
    let txn = write::begin(db).await?;
    let mut row: user::ActiveModel = user.clone().into();
    row.password_hash = Set(hash);
    row.version = Set(user.version + 1);
    let saved = row.update(&txn).await?;
    let entry = AuditEntry {
        at: Utc::now(),
        user_id: None,
        username: "（命令行）".to_owned(),
        entity: EntityKind::User,
        entity_id: user.id,
        project_id: None,
        field: Some(Field::Password),
        old_value: None,
        new_value: Some("已重置".to_owned()),
        action: AuditAction::Update,
    };
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn log_login(
    conn: &impl ConnectionTrait,
    user: Option<&user::Model>,
    typed_name: &str,
    now: DateTime<Utc>,
    what: AuditAction,
    note: &str,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        at: now,
        user_id: user.map(|u| u.id),
        username: typed_name.to_owned(),
        entity: EntityKind::User,
        entity_id: user.map_or(0, |u| u.id),
        project_id: None,
        field: None,
        old_value: None,
        new_value: Some(note.to_owned()),
        action: what,
    };
    audit::record(conn, entry).await.map(drop)
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
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> std::result::Result<T, DbErr> {
    tokio::task::spawn_blocking(f).await.map_err(|e| DbErr::Custom(format!("密码校验任务失败：{e}")))
}
