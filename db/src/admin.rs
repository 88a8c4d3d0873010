//! Administration (系统管理员 only, checked here through `domain::workflow::can_administer`):
//! departments with their 主管部门, accounts, fiscal years and each year's scoring profile.
//! Every change is audited.

use crate::accounts::{self, AccountError, NewUser};
use crate::audit::{action, entity};
use crate::edit;
use crate::entities::{department, fiscal_year, user};
use crate::queries::UpdateError;
use chrono::Utc;
use domain::scoring::Profile;
use domain::workflow::can_administer;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// The scoring profiles a fiscal year may use.
pub const PROFILES: [&str; 4] = ["national", "2021", "national_strict", "2021_strict"];

/// The profile as administrators see it.
pub fn profile_label(name: &str) -> &'static str {
    match name {
        "national" => "全国通用（产出50/效益30/满意度10/执行率10）",
        "2021" => "2021版（含成本指标一级）",
        "national_strict" => "全国通用 + 执行率封顶",
        "2021_strict" => "2021版 + 执行率封顶",
        _ => "未知方案",
    }
}

fn require_admin(user: &user::Model) -> Result<(), UpdateError> {
    if can_administer(&accounts::actor(user)) {
        Ok(())
    } else {
        Err(UpdateError::Forbidden("只有系统管理员可以进行此操作".to_owned()))
    }
}

/// Every fiscal year, newest first.
pub async fn fiscal_years(db: &DatabaseConnection) -> Result<Vec<fiscal_year::Model>, sea_orm::DbErr> {
    fiscal_year::Entity::find().order_by_desc(fiscal_year::Column::Year).all(db).await
}

/// Creates fiscal year `year` with scoring profile `profile`.
pub async fn create_fiscal_year(
    db: &DatabaseConnection,
    admin: &user::Model,
    year: i32,
    profile: &str,
) -> Result<fiscal_year::Model, UpdateError> {
    require_admin(admin)?;
    if !(2000..=2100).contains(&year) {
        return Err(UpdateError::Invalid(format!("年度 {year} 不在 2000–2100 之间")));
    }
    check_profile(profile)?;
    let txn = db.begin().await?;
    if fiscal_year::Entity::find().filter(fiscal_year::Column::Year.eq(year)).one(&txn).await?.is_some() {
        return Err(UpdateError::Invalid(format!("{year} 年度已存在")));
    }
    let saved = fiscal_year::ActiveModel { year: Set(year), scoring_profile: Set(profile.to_owned()), ..Default::default() }
        .insert(&txn)
        .await?;
    let base = crate::audit::AuditEntry::by(admin, Utc::now(), action::CREATE, entity::FISCAL_YEAR, saved.id);
    edit::record_changes(&txn, &base, vec![("year", None, Some(year.to_string())), ("scoring_profile", None, Some(profile.to_owned()))])
        .await?;
    txn.commit().await?;
    Ok(saved)
}

fn check_profile(profile: &str) -> Result<(), UpdateError> {
    if PROFILES.contains(&profile) && Profile::by_name(profile).is_some() {
        Ok(())
    } else {
        Err(UpdateError::Invalid(format!("未知的评分方案“{profile}”（可用：{}）", PROFILES.join("、"))))
    }
}

/// Sets the scoring profile of a fiscal year.
pub async fn set_scoring_profile(
    db: &DatabaseConnection,
    admin: &user::Model,
    fiscal_year_id: i32,
    profile: &str,
) -> Result<fiscal_year::Model, UpdateError> {
    require_admin(admin)?;
    check_profile(profile)?;
    let txn = db.begin().await?;
    let old = fiscal_year::Entity::find_by_id(fiscal_year_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    fiscal_year::Entity::update_many()
        .col_expr(fiscal_year::Column::ScoringProfile, Expr::value(profile))
        .filter(fiscal_year::Column::Id.eq(fiscal_year_id))
        .exec(&txn)
        .await?;
    let base = crate::audit::AuditEntry::by(admin, Utc::now(), action::UPDATE, entity::FISCAL_YEAR, old.id);
    edit::record_changes(&txn, &base, vec![("scoring_profile", Some(old.scoring_profile.clone()), Some(profile.to_owned()))])
        .await?;
    let saved = fiscal_year::Entity::find_by_id(fiscal_year_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    txn.commit().await?;
    Ok(saved)
}

/// Creates a department (预算单位), optionally under a 主管部门.
pub async fn create_department(
    db: &DatabaseConnection,
    admin: &user::Model,
    name: &str,
    parent_id: Option<i32>,
) -> Result<department::Model, UpdateError> {
    require_admin(admin)?;
    let name = edit::required_text(name, "部门名称", 100)?;
    let txn = db.begin().await?;
    if crate::directory::department_by_name(&txn, &name).await?.is_some() {
        return Err(UpdateError::Invalid(format!("部门“{name}”已存在")));
    }
    if let Some(pid) = parent_id {
        if department::Entity::find_by_id(pid).one(&txn).await?.is_none() {
            return Err(UpdateError::Invalid("所选主管部门不存在".to_owned()));
        }
    }
    let saved = department::ActiveModel { name: Set(name.clone()), parent_id: Set(parent_id), ..Default::default() }
        .insert(&txn)
        .await?;
    let base = crate::audit::AuditEntry::by(admin, Utc::now(), action::CREATE, entity::DEPARTMENT, saved.id);
    edit::record_changes(&txn, &base, vec![("name", None, Some(name)), ("parent_id", None, parent_id.map(|p| p.to_string()))])
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Creates an account as `admin` (audited).
pub async fn create_user(db: &DatabaseConnection, admin: &user::Model, new: NewUser) -> Result<user::Model, UpdateError> {
    require_admin(admin)?;
    let role = accounts::role_key(new.role);
    let saved = accounts::create_user(db, new).await.map_err(|e| match e {
        AccountError::Db(e) => UpdateError::Db(e),
        other => UpdateError::Invalid(other.to_string()),
    })?;
    let base = crate::audit::AuditEntry::by(admin, Utc::now(), action::CREATE, entity::APP_USER, saved.id);
    edit::record_changes(db, &base, vec![("username", None, Some(saved.username.clone())), ("role", None, Some(role.to_owned()))])
        .await?;
    Ok(saved)
}

/// Activates or deactivates an account as `admin`; a deactivated account cannot sign in and its
/// sessions end at their next request. Administrators cannot deactivate themselves.
pub async fn set_user_active(
    db: &DatabaseConnection,
    admin: &user::Model,
    user_id: i32,
    active: bool,
    expected_version: i32,
) -> Result<user::Model, UpdateError> {
    require_admin(admin)?;
    if user_id == admin.id && !active {
        return Err(UpdateError::Invalid("不能停用自己的账号".to_owned()));
    }
    let txn = db.begin().await?;
    let old = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(active))
        .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(UpdateError::Conflict);
    }
    let base = crate::audit::AuditEntry::by(admin, Utc::now(), action::UPDATE, entity::APP_USER, old.id);
    edit::record_changes(&txn, &base, vec![("active", Some(old.active.to_string()), Some(active.to_string()))]).await?;
    let saved = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    txn.commit().await?;
    Ok(saved)
}
