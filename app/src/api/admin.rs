//! Administration (系统管理员 only): fiscal years and their scoring profile, departments,
//! accounts, and the newest entries of the whole audit log. Reads are refused for everyone else.

use super::AppError;
use domain::vocab::{Role, ScoringProfile};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub years: Vec<YearView>,
    pub departments: Vec<DepartmentView>,
    pub users: Vec<UserView>,
    /// The newest entries of the whole audit log (logins, administration, every project).
    pub audit: Vec<super::AuditRow>,
    /// The 指标库, in tree order.
    pub library: Vec<super::LibraryItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearView {
    pub id: i32,
    pub year: i32,
    pub profile: ScoringProfile,
    /// 申报截止, 监控截止, 自评截止 (the 待办 view measures against them).
    pub deadlines: domain::todo::Deadlines,
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
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
    pub version: i32,
}

#[server]
pub async fn get_admin() -> Result<AdminView, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    domain::workflow::require_admin(&actor).map_err(AppError::Refused)?;
    let db = super::ssr::db()?;
    ssr::view(&db).await
}

#[server]
pub async fn create_fiscal_year(year: i32, profile: ScoringProfile) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::create_fiscal_year(&db, &user, year, profile).await?;
    Ok(())
}

#[server]
pub async fn set_scoring_profile(fiscal_year_id: i32, profile: ScoringProfile) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::set_scoring_profile(&db, &user, fiscal_year_id, profile).await?;
    Ok(())
}

/// Sets a fiscal year's 申报截止, 监控截止 and 自评截止 from the date fields' text (`2021-06-30`;
/// empty clears one). All or nothing.
#[server]
pub async fn set_deadlines(
    fiscal_year_id: i32,
    declaration: String,
    monitoring: String,
    self_evaluation: String,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    use domain::vocab::Phase;
    let texts =
        [(Phase::Declaration, declaration), (Phase::Monitoring, monitoring), (Phase::SelfEvaluation, self_evaluation)];
    db::admin::set_deadlines(&db, &user, fiscal_year_id, &texts).await?;
    Ok(())
}

#[server]
pub async fn create_department(name: String, parent_id: Option<i32>) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::create_department(&db, &user, &name, parent_id).await?;
    Ok(())
}

/// Creates an account.
#[server]
pub async fn create_account(
    username: String,
    display_name: String,
    password: String,
    role: Role,
    department_id: Option<i32>,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let new = db::accounts::NewUser { username, display_name, password, role, department_id };
    db::admin::create_user(&db, &user, new).await?;
    Ok(())
}

#[server]
pub async fn set_account_active(user_id: i32, active: bool, expected_version: i32) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::admin::set_user_active(&db, &user, user_id, active, expected_version).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{AdminView, AppError, DepartmentView, UserView, YearView};
    use db::DatabaseConnection;

    /// How many of the newest audit entries the administration page shows (the CSV has all).
    pub const RECENT_AUDIT: u64 = 100;

    pub async fn view(db: &DatabaseConnection) -> Result<AdminView, AppError> {
        let years = db::store::directory::fiscal_years(db).await?;
        let deadlines = db::store::directory::deadlines(db).await?;
        let departments = db::store::directory::departments(db).await?;
        let users = db::store::users::all(db).await?;
        let dept_name =
            |id: Option<i32>| id.and_then(|id| departments.iter().find(|d| d.id == id)).map(|d| d.name.clone());
        Ok(AdminView {
            years: years
                .into_iter()
                .map(|y| YearView {
                    id: y.id,
                    year: y.year,
                    profile: y.scoring_profile.0,
                    deadlines: deadlines.get(&y.id).copied().unwrap_or_default(),
                })
                .collect(),
            departments: departments
                .iter()
                .map(|d| DepartmentView { id: d.id, name: d.name.clone(), parent: dept_name(d.parent_id) })
                .collect(),
            users: users
                .into_iter()
                .map(|u| UserView {
                    id: u.id,
                    role: u.role.0,
                    department: dept_name(u.department_id),
                    username: u.username,
                    display_name: u.display_name,
                    active: u.active,
                    version: u.version,
                })
                .collect(),
            audit: db::store::audit::recent(db, RECENT_AUDIT)
                .await?
                .into_iter()
                .map(crate::api::workflow::ssr::audit_row)
                .collect(),
            library: crate::api::declare::ssr::library(db).await?,
        })
    }
}
