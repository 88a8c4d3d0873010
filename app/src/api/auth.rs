//! Sign-in, sign-out and who is signed in.

use super::AppError;
use domain::vocab::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// Whether the user may open 系统管理.
    pub is_admin: bool,
}

#[server]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    match super::ssr::current_user().await? {
        Some(u) => Ok(Some(ssr::describe(&u).await?)),
        None => Ok(None),
    }
}

/// Signs in; a refused login changes nothing and says why. Too many failures from one address
/// or for one name are throttled (`domain::workflow::LoginThrottle`) before the password is
/// looked at, with a message that does not reveal whether the account exists.
#[server]
pub async fn login(username: String, password: String) -> Result<SignedInUser, AppError> {
    use super::error::internal;
    use super::ssr::{client_address, db, session, SharedThrottle, LOGIN_AT_KEY, USER_KEY, USER_VERSION_KEY};
    use domain::workflow::LoginRefusal;
    let db = db()?;
    let shared = use_context::<SharedThrottle>().ok_or_else(|| internal("no login throttle in context"))?;
    // A poisoned lock still holds valid counts.
    let throttle = || shared.lock().unwrap_or_else(|e| e.into_inner());
    let address = client_address();
    let now = chrono::Utc::now();
    let check = throttle().check(&address, &username, now);
    if let Err(minutes_left) = check {
        return Err(AppError::Login(LoginRefusal::Throttled { minutes_left }));
    }
    let user = match db::accounts::verify_login(&db, &username, &password, now).await {
        Ok(user) => {
            throttle().succeeded(&address, &username);
            user
        }
        Err(e) => {
            if matches!(e, db::Error::Login(LoginRefusal::InvalidCredentials)) {
                throttle().failed(&address, &username, now);
            }
            return Err(e.into());
        }
    };
    let session = session().await?;
    // A new session id on login, so an id planted before login is worthless.
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.id).await.map_err(internal)?;
    session.insert(LOGIN_AT_KEY, chrono::Utc::now().timestamp()).await.map_err(internal)?;
    session.insert(USER_VERSION_KEY, user.version).await.map_err(internal)?;
    ssr::describe(&user).await
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    let session = super::ssr::session().await?;
    session.flush().await.map_err(super::error::internal)?;
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{AppError, SignedInUser};
    use db::entities::user;

    pub async fn describe(u: &user::Model) -> Result<SignedInUser, AppError> {
        let db = super::super::ssr::db()?;
        let department = match u.department_id {
            Some(id) => db::store::directory::department_name(&db, id).await?,
            None => None,
        };
        Ok(SignedInUser {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.0,
            department,
            is_admin: domain::workflow::can_administer(&db::accounts::actor(u)),
        })
    }
}
