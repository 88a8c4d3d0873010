//! Reads and writes used by the server functions and the command line.

use crate::audit::{action, entity};
use crate::entities::{department, fiscal_year, indicator, project, user};
use crate::Amount;
use chrono::Utc;
use domain::workflow::{Phase, Refusal};
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
    indicators_in(db, project_id).await
}

/// [`indicators`] on any connection (a transaction).
pub async fn indicators_in(db: &impl ConnectionTrait, project_id: i32) -> Result<Vec<indicator::Model>, DbErr> {
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewIndicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
    /// 分值, when the table gives one.
    pub weight: Option<Decimal>,
    /// 指标性质 / 指标方向 from a separate column.
    pub direction: Option<String>,
    /// ★ 核心指标.
    pub core: bool,
}

/// The target as the value grammar reads it, as stored in `indicator.target_parsed` (JSON).
pub fn parsed_target_json(level2: &str, name: &str, direction: Option<&str>, target_text: &str) -> String {
    let ctx = domain::value::TargetContext {
        category: Some(level2.to_owned()),
        indicator_name: Some(name.to_owned()),
        comparator_column: direction.map(str::to_owned),
        unit_column: None,
    };
    let target = domain::value::parse_target(target_text, &ctx);
    serde_json::to_string(&target).unwrap_or_default()
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
            target_parsed: Set(Some(parsed_target_json(&ind.level2, &ind.name, ind.direction.as_deref(), &ind.target_text))),
            weight: Set(ind.weight.map(Amount)),
            direction: Set(ind.direction.clone()),
            basis: Set(None),
            core: Set(ind.core),
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
    /// Not the actor's to change (outside the workflow table: administration).
    #[error("{0}")]
    Forbidden(String),
    #[error("要修改的内容不存在")]
    NotFound,
    #[error("数据已被他人修改，请刷新后重试")]
    Conflict,
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

/// The longest 指标值 accepted, in characters.
pub const MAX_TARGET_CHARS: usize = 200;

/// An indicator's declared content, as the 目标申报 form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndicatorEdit {
    pub target_text: String,
    pub weight: Option<Decimal>,
    /// "≥", "≤", "=", "正向", "反向", or none.
    pub direction: Option<String>,
    /// 历史标准 / 行业标准 / 计划标准 / 其他认可标准, or none.
    pub basis: Option<String>,
    pub core: bool,
}

/// The 指标性质 values accepted.
pub const DIRECTIONS: [&str; 5] = ["≥", "≤", "=", "正向", "反向"];
/// The 取值依据 values accepted.
pub const BASES: [&str; 4] = ["历史标准", "行业标准", "计划标准", "其他认可标准"];

/// Changes an indicator's 指标值 as `user` (see [`update_indicator`]); the other fields stay.
pub async fn update_indicator_target(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    new_text: &str,
    expected_version: i32,
) -> Result<indicator::Model, UpdateError> {
    let Some(old) = indicator::Entity::find_by_id(indicator_id).one(db).await? else {
        return Err(UpdateError::NotFound);
    };
    let edit = IndicatorEdit {
        target_text: new_text.to_owned(),
        weight: old.weight.map(|w| w.0),
        direction: old.direction.clone(),
        basis: old.basis.clone(),
        core: old.core,
    };
    update_indicator(db, user, indicator_id, &edit, expected_version).await
}

/// Changes an indicator's declared content as `user`, if the indicator is still at
/// `expected_version` (the version the user saw) and the workflow lets the user edit the
/// project's 目标申报 now. Writes the change and one audit row per changed field (old → new) in
/// one transaction. The model for editable rows: check permission, check version,
/// `UPDATE … WHERE version = expected`, audit, commit.
pub async fn update_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    new: &IndicatorEdit,
    expected_version: i32,
) -> Result<indicator::Model, UpdateError> {
    let txn = db.begin().await?;
    let old = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let project = crate::edit::project_for_edit(&txn, user, old.project_id, Phase::Declaration).await?;
    let direction = new.direction.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = direction.filter(|d| !DIRECTIONS.contains(d)) {
        return Err(UpdateError::Invalid(format!("指标性质“{d}”无法识别（应为 ≥、≤、=、正向 或 反向）")));
    }
    let basis = new.basis.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let Some(b) = basis.filter(|b| !BASES.contains(b)) {
        return Err(UpdateError::Invalid(format!("取值依据“{b}”无法识别（应为 {}）", BASES.join("、"))));
    }
    let checked = indicator::Model { direction: direction.map(str::to_owned), ..old.clone() };
    let text = crate::versions::validate_target(&checked, &new.target_text)?;
    let weight = crate::edit::non_negative(new.weight, "分值")?;
    if weight.is_some_and(|w| w > Decimal::ONE_HUNDRED) {
        return Err(UpdateError::Invalid("分值不能超过100".to_owned()));
    }
    if old.version != expected_version {
        return Err(UpdateError::Conflict);
    }
    let old_weight = old.weight.map(|w| w.0.normalize());
    let changes: Vec<crate::edit::Change> = vec![
        ("target_text", Some(old.target_text.clone()), Some(text.clone())),
        ("weight", crate::edit::dec_text(old_weight), crate::edit::dec_text(weight)),
        ("direction", old.direction.clone(), direction.map(str::to_owned)),
        ("basis", old.basis.clone(), basis.map(str::to_owned)),
        ("core", Some(old.core.to_string()), Some(new.core.to_string())),
    ];
    if changes.iter().all(|(_, a, b)| a == b) {
        txn.commit().await?;
        return Ok(old);
    }
    let updated = indicator::Entity::update_many()
        .col_expr(indicator::Column::TargetText, Expr::value(text.clone()))
        .col_expr(
            indicator::Column::TargetParsed,
            Expr::value(Some(parsed_target_json(&old.level2, &old.name, direction, &text))),
        )
        .col_expr(indicator::Column::Weight, Expr::value(weight.map(Amount)))
        .col_expr(indicator::Column::Direction, Expr::value(direction.map(str::to_owned)))
        .col_expr(indicator::Column::Basis, Expr::value(basis.map(str::to_owned)))
        .col_expr(indicator::Column::Core, Expr::value(new.core))
        .col_expr(indicator::Column::Version, Expr::col(indicator::Column::Version).add(1))
        .filter(indicator::Column::Id.eq(indicator_id))
        .filter(indicator::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(UpdateError::Conflict);
    }
    let base = crate::edit::entry(user, Utc::now(), action::UPDATE, entity::INDICATOR, indicator_id, project.id);
    crate::edit::record_changes(&txn, &base, changes).await?;
    let saved = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::Conflict)?;
    txn.commit().await?;
    Ok(saved)
}
