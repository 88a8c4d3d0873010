//! Reads and writes used by the server functions and the command line.

use crate::audit::{self, action, entity, AuditEntry};
use crate::entities::{department, fiscal_year, indicator, project, user};
use crate::{accounts, workflow, Amount};
use chrono::Utc;
use domain::workflow::{transition, Action, Phase, Refusal};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// A project as the project list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub project: project::Model,
    pub department: String,
    pub year: i32,
    pub indicator_count: u64,
}

/// Every project, newest year first, then by department and name.
pub async fn list_projects(db: &DatabaseConnection) -> Result<Vec<ProjectRow>, DbErr> {
    let departments = department::Entity::find().all(db).await?;
    let years = fiscal_year::Entity::find().all(db).await?;
    let projects = project::Entity::find()
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(projects.len());
    for p in projects {
        let indicator_count = indicator::Entity::find()
            .filter(indicator::Column::ProjectId.eq(p.id))
            .count(db)
            .await?;
        rows.push(ProjectRow {
            department: name_of(&departments, p.department_id),
            year: years.iter().find(|y| y.id == p.fiscal_year_id).map_or(0, |y| y.year),
            indicator_count,
            project: p,
        });
    }
    rows.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then_with(|| a.department.cmp(&b.department))
            .then_with(|| a.project.name.cmp(&b.project.name))
    });
    Ok(rows)
}

fn name_of(departments: &[department::Model], id: i32) -> String {
    departments.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default()
}

/// One project with its department name and year, or `None` if there is no such project.
pub async fn project(db: &DatabaseConnection, id: i32) -> Result<Option<ProjectRow>, DbErr> {
    let Some(p) = project::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let department = department::Entity::find_by_id(p.department_id).one(db).await?;
    let year = fiscal_year::Entity::find_by_id(p.fiscal_year_id).one(db).await?;
    let indicator_count = indicator::Entity::find()
        .filter(indicator::Column::ProjectId.eq(p.id))
        .count(db)
        .await?;
    Ok(Some(ProjectRow {
        department: department.map(|d| d.name).unwrap_or_default(),
        year: year.map_or(0, |y| y.year),
        indicator_count,
        project: p,
    }))
}

/// A project's indicators in table order.
pub async fn indicators(db: &DatabaseConnection, project_id: i32) -> Result<Vec<indicator::Model>, DbErr> {
    indicator::Entity::find()
        .filter(indicator::Column::ProjectId.eq(project_id))
        .order_by_asc(indicator::Column::SortOrder)
        .order_by_asc(indicator::Column::Id)
        .all(db)
        .await
}

/// A project to store, as read from a target table (年度资金 in 万元).
#[derive(Clone, Debug, PartialEq)]
pub struct NewProject {
    pub department: String,
    pub year: i32,
    pub name: String,
    pub implementing_unit: Option<String>,
    pub funds_total: Decimal,
    pub funds_fiscal: Decimal,
    pub funds_other: Decimal,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
    pub indicators: Vec<NewIndicator>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIndicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
}

/// Stores a project with its indicators in one transaction, creating its department and
/// fiscal year when they do not exist yet. Returns the new project's id.
pub async fn insert_project(db: &DatabaseConnection, new: &NewProject) -> Result<i32, DbErr> {
    let ids = insert_projects(db, std::slice::from_ref(new)).await?;
    Ok(ids.first().copied().unwrap_or_default())
}

/// Stores several projects all-or-nothing: one transaction, rolled back on the first error.
pub async fn insert_projects(db: &DatabaseConnection, projects: &[NewProject]) -> Result<Vec<i32>, DbErr> {
    let txn = db.begin().await?;
    let mut ids = Vec::with_capacity(projects.len());
    for new in projects {
        ids.push(insert_project_in(&txn, new).await?);
    }
    txn.commit().await?;
    Ok(ids)
}

async fn insert_project_in(txn: &impl ConnectionTrait, new: &NewProject) -> Result<i32, DbErr> {
    let department_id = department_id(txn, &new.department).await?;
    let fiscal_year_id = fiscal_year_id(txn, new.year).await?;
    let duplicate = project::Entity::find()
        .filter(project::Column::DepartmentId.eq(department_id))
        .filter(project::Column::FiscalYearId.eq(fiscal_year_id))
        .filter(project::Column::Name.eq(new.name.as_str()))
        .one(txn)
        .await?;
    if duplicate.is_some() {
        return Err(DbErr::Custom(format!(
            "{} 年度“{}”的项目“{}”已存在，未重复导入",
            new.year, new.department, new.name
        )));
    }
    let p = project::ActiveModel {
        department_id: Set(department_id),
        fiscal_year_id: Set(fiscal_year_id),
        name: Set(new.name.clone()),
        implementing_unit: Set(new.implementing_unit.clone()),
        funds_total: Set(Amount(new.funds_total)),
        funds_fiscal: Set(Amount(new.funds_fiscal)),
        funds_other: Set(Amount(new.funds_other)),
        overall_goal: Set(new.overall_goal.clone()),
        annual_goals: Set(new.annual_goals.join("\n")),
        version: Set(0),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (i, ind) in new.indicators.iter().enumerate() {
        indicator::ActiveModel {
            project_id: Set(p.id),
            level1: Set(ind.level1.clone()),
            level2: Set(ind.level2.clone()),
            name: Set(ind.name.clone()),
            target_text: Set(ind.target_text.clone()),
            sort_order: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            version: Set(0),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(p.id)
}

async fn department_id(c: &impl ConnectionTrait, name: &str) -> Result<i32, DbErr> {
    if let Some(d) = department::Entity::find()
        .filter(department::Column::Name.eq(name))
        .one(c)
        .await?
    {
        return Ok(d.id);
    }
    let d = department::ActiveModel { name: Set(name.to_owned()), parent_id: Set(None), ..Default::default() }
        .insert(c)
        .await?;
    Ok(d.id)
}

async fn fiscal_year_id(c: &impl ConnectionTrait, year: i32) -> Result<i32, DbErr> {
    if let Some(y) = fiscal_year::Entity::find()
        .filter(fiscal_year::Column::Year.eq(year))
        .one(c)
        .await?
    {
        return Ok(y.id);
    }
    let y = fiscal_year::ActiveModel { year: Set(year), ..Default::default() }.insert(c).await?;
    Ok(y.id)
}

/// Number of projects stored.
pub async fn project_count(db: &DatabaseConnection) -> Result<u64, DbErr> {
    project::Entity::find().count(db).await
}

/// Why an edit was not saved; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("要修改的内容不存在")]
    NotFound,
    #[error("数据已被他人修改，请刷新后重试")]
    Conflict,
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

/// The longest 指标值 accepted, in characters.
pub const MAX_TARGET_CHARS: usize = 200;

/// Changes an indicator's 指标值 as `user`, if the indicator is still at `expected_version` (the
/// version the user saw) and the workflow lets the user edit the project's 目标申报 now. Writes
/// the change and its audit row (old → new) in one transaction. The model for editable rows:
/// check permission, check version, `UPDATE … WHERE version = expected`, audit, commit.
pub async fn update_indicator_target(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    new_text: &str,
    expected_version: i32,
) -> Result<indicator::Model, UpdateError> {
    let text = new_text.trim();
    if text.is_empty() {
        return Err(UpdateError::Invalid("指标值不能为空".to_owned()));
    }
    if text.chars().count() > MAX_TARGET_CHARS {
        return Err(UpdateError::Invalid(format!("指标值不能超过{MAX_TARGET_CHARS}个字符")));
    }
    let txn = db.begin().await?;
    let old = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let project = project::Entity::find_by_id(old.project_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let status = workflow::phase_status(&txn, project.id, Phase::Declaration).await?;
    transition(&accounts::actor(user), project.department_id, Phase::Declaration, status, &Action::Edit, None)?;
    if old.version != expected_version {
        return Err(UpdateError::Conflict);
    }
    if old.target_text == text {
        return Ok(old);
    }
    let updated = indicator::Entity::update_many()
        .col_expr(indicator::Column::TargetText, Expr::value(text))
        .col_expr(indicator::Column::Version, Expr::col(indicator::Column::Version).add(1))
        .filter(indicator::Column::Id.eq(indicator_id))
        .filter(indicator::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(UpdateError::Conflict);
    }
    let entry = AuditEntry {
        project_id: Some(project.id),
        ..AuditEntry::by(user, Utc::now(), action::UPDATE, entity::INDICATOR, indicator_id)
    };
    audit::record(&txn, entry.change("target_text", Some(old.target_text), Some(text.to_owned()))).await?;
    let saved = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::Conflict)?;
    txn.commit().await?;
    Ok(saved)
}
