//! Sign-in, sign-out and who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    /// 系统管理员 / 财政局审核人员 / 部门填报人员
    pub role_label: String,
    pub department: Option<String>,
    /// Whether the user may open 系统管理.
    pub is_admin: bool,
}

#[server]
pub async fn current_user() -> Result<Option<SignedInUser>, ServerFnError> {
    match super::ssr::current_user().await? {
        Some(u) => Ok(Some(ssr::describe(&u).await?)),
        None => Ok(None),
    }
}

/// Signs in; a refused login changes nothing and says why (locked accounts say until when).
#[server]
pub async fn login(username: String, password: String) -> Result<SignedInUser, ServerFnError> {
    use super::ssr::{db, internal, refuse, session, LOGIN_AT_KEY, USER_KEY};
    let db = db()?;
    let user = db::accounts::verify_login(&db, &username, &password, chrono::Utc::now()).await.map_err(|e| match e {
        db::accounts::LoginError::Db(e) => internal(e),
        refused => refuse(http::StatusCode::UNAUTHORIZED, &refused.to_string()),
    })?;
    let session = session().await?;
    // A new session id on login, so an id planted before login is worthless.
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.id).await.map_err(internal)?;
    session.insert(LOGIN_AT_KEY, chrono::Utc::now().timestamp()).await.map_err(internal)?;
    ssr::describe(&user).await
}

#[server]
pub async fn logout() -> Result<(), ServerFnError> {
    let session = super::ssr::session().await?;
    session.flush().await.map_err(super::ssr::internal)?;
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::SignedInUser;
    use db::entities::user;
    use leptos::prelude::*;

    pub async fn describe(u: &user::Model) -> Result<SignedInUser, ServerFnError> {
        let db = super::super::ssr::db()?;
        let department = match u.department_id {
            Some(id) => db::directory::department_name(&db, id).await.map_err(super::super::ssr::internal)?,
            None => None,
        };
        Ok(SignedInUser {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role_label: db::accounts::actor(u).role.label().to_owned(),
            department,
            is_admin: domain::workflow::can_administer(&db::accounts::actor(u)),
        })
    }
}
