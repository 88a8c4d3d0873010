//! Administration (系统管理员 only): fiscal years and their scoring profile, departments,
//! accounts. Reads are refused (403) for everyone else too.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub years: Vec<YearView>,
    pub departments: Vec<DepartmentView>,
    pub users: Vec<UserView>,
    /// (name, label) of every scoring profile.
    pub profiles: Vec<(String, String)>,
    /// The newest entries of the whole audit log (logins, administration, every project).
    pub audit: Vec<super::AuditRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearView {
    pub id: i32,
    pub year: i32,
    pub profile: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub id: i32,
    pub name: String,
    pub parent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub department: Option<String>,
    pub active: bool,
    pub version: i32,
}

#[server]
pub async fn get_admin() -> Result<AdminView, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    if !domain::workflow::can_administer(&actor) {
        return Err(super::ssr::refuse(http::StatusCode::FORBIDDEN, ssr::ADMIN_ONLY));
    }
    let db = super::ssr::db()?;
    ssr::view(&db).await.map_err(super::ssr::internal)
}

#[server]
pub async fn create_fiscal_year(year: i32, profile: String) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::create_fiscal_year(&db, &user, year, &profile).await.map(|_| ()).map_err(super::ssr::update_error)
}

#[server]
pub async fn set_scoring_profile(fiscal_year_id: i32, profile: String) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::set_scoring_profile(&db, &user, fiscal_year_id, &profile).await.map(|_| ()).map_err(super::ssr::update_error)
}

#[server]
pub async fn create_department(name: String, parent_id: Option<i32>) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::create_department(&db, &user, &name, parent_id).await.map(|_| ()).map_err(super::ssr::update_error)
}

/// Creates an account; `role` is admin / finance / department.
#[server]
pub async fn create_account(
    username: String,
    display_name: String,
    password: String,
    role: String,
    department_id: Option<i32>,
) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let Some(role) = db::accounts::parse_role(&role) else {
        return Err(super::ssr::refuse(http::StatusCode::UNPROCESSABLE_ENTITY, "未知的角色"));
    };
    let new = db::accounts::NewUser { username, display_name, password, role, department_id };
    db::admin::create_user(&db, &user, new).await.map(|_| ()).map_err(super::ssr::update_error)
}

#[server]
pub async fn set_account_active(user_id: i32, active: bool, expected_version: i32) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::set_user_active(&db, &user, user_id, active, expected_version).await.map(|_| ()).map_err(super::ssr::update_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{AdminView, DepartmentView, UserView, YearView};
    use db::DatabaseConnection;

    pub const ADMIN_ONLY: &str = "只有系统管理员可以进行此操作";

    /// How many of the newest audit entries the administration page shows (the CSV has all).
    pub const RECENT_AUDIT: u64 = 100;

    pub async fn view(db: &DatabaseConnection) -> Result<AdminView, db::DbErr> {
        let years = db::admin::fiscal_years(db).await?;
        let departments = db::directory::list_departments(db).await?;
        let users = db::accounts::list_users(db).await?;
        let dept_name = |id: Option<i32>| id.and_then(|id| departments.iter().find(|d| d.id == id)).map(|d| d.name.clone());
        Ok(AdminView {
            years: years.into_iter().map(|y| YearView { id: y.id, year: y.year, profile: y.scoring_profile }).collect(),
            departments: departments
                .iter()
                .map(|d| DepartmentView { id: d.id, name: d.name.clone(), parent: dept_name(d.parent_id) })
                .collect(),
            users: users
                .into_iter()
                .map(|u| UserView {
                    id: u.id,
                    role_label: db::accounts::actor(&u).role.label().to_owned(),
                    department: dept_name(u.department_id),
                    username: u.username,
                    display_name: u.display_name,
                    active: u.active,
                    version: u.version,
                })
                .collect(),
            profiles: db::admin::PROFILES.iter().map(|p| (p.to_string(), db::admin::profile_label(p).to_owned())).collect(),
            audit: db::audit::recent(db, RECENT_AUDIT)
                .await?
                .into_iter()
                .map(crate::api::workflow::ssr::audit_row)
                .collect(),
        })
    }
}
