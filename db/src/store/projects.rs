//! Projects and their indicators: reads, and storing new projects read from a target table.

use crate::entities::{department, fiscal_year, indicator, project};
use crate::{Amount, Key};
use domain::vocab::{Basis, IndicatorNature};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// A project with its department's name, its year and how many indicators it has.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub project: project::Model,
    pub department: String,
    pub year: i32,
    pub indicator_count: u64,
}

/// Every project, newest year first, then by department and name. A fixed number of queries,
/// however many projects there are.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<ProjectRow>, DbErr> {
    let departments: HashMap<i32, String> =
        department::Entity::find().all(conn).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let years: HashMap<i32, i32> =
        fiscal_year::Entity::find().all(conn).await?.into_iter().map(|y| (y.id, y.year)).collect();
    let counts: HashMap<i32, i64> = indicator::Entity::find()
        .select_only()
        .column(indicator::Column::ProjectId)
        .column_as(indicator::Column::Id.count(), "n")
        .group_by(indicator::Column::ProjectId)
        .into_tuple::<(i32, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let projects = project::Entity::find().order_by_asc(project::Column::Id).all(conn).await?;
    let mut rows: Vec<ProjectRow> = projects
        .into_iter()
        .map(|p| ProjectRow {
            department: departments.get(&p.department_id).cloned().unwrap_or_default(),
            year: years.get(&p.fiscal_year_id).copied().unwrap_or(0),
            indicator_count: counts.get(&p.id).map_or(0, |&n| u64::try_from(n).unwrap_or(0)),
            project: p,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then_with(|| a.department.cmp(&b.department))
            .then_with(|| a.project.name.cmp(&b.project.name))
    });
    Ok(rows)
}

/// One project with its department name and year, or `None` if there is no such project.
pub async fn one(conn: &impl ConnectionTrait, id: i32) -> Result<Option<ProjectRow>, DbErr> {
    let Some(p) = project::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let department = department::Entity::find_by_id(p.department_id).one(conn).await?;
    let year = fiscal_year::Entity::find_by_id(p.fiscal_year_id).one(conn).await?;
    let indicator_count = indicator::Entity::find().filter(indicator::Column::ProjectId.eq(p.id)).count(conn).await?;
    Ok(Some(ProjectRow {
        department: department.map(|d| d.name).unwrap_or_default(),
        year: year.map_or(0, |y| y.year),
        indicator_count,
        project: p,
    }))
}

/// A project's indicators in table order.
pub async fn indicators(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<indicator::Model>, DbErr> {
    indicator::Entity::find()
        .filter(indicator::Column::ProjectId.eq(project_id))
        .order_by_asc(indicator::Column::SortOrder)
        .order_by_asc(indicator::Column::Id)
        .all(conn)
        .await
}

/// The indicators of many projects, each project's in table order.
pub async fn indicators_of(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<HashMap<i32, Vec<indicator::Model>>, DbErr> {
    let mut by_project: HashMap<i32, Vec<indicator::Model>> = HashMap::new();
    for chunk in project_ids.chunks(CHUNK) {
        let rows = indicator::Entity::find()
            .filter(indicator::Column::ProjectId.is_in(chunk.iter().copied()))
            .order_by_asc(indicator::Column::SortOrder)
            .order_by_asc(indicator::Column::Id)
            .all(conn)
            .await?;
        for row in rows {
            by_project.entry(row.project_id).or_default().push(row);
        }
    }
    Ok(by_project)
}

/// How many ids one `IN (…)` list carries (SQLite allows 32766 parameters; stay far below).
pub const CHUNK: usize = 900;

/// One indicator.
pub async fn indicator(conn: &impl ConnectionTrait, id: i32) -> Result<Option<indicator::Model>, DbErr> {
    indicator::Entity::find_by_id(id).one(conn).await
}

/// Number of projects stored.
pub async fn count(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    project::Entity::find().count(conn).await
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
    pub direction: Option<IndicatorNature>,
    /// ★ 核心指标.
    pub core: bool,
    /// 取值依据, when known (a copied project keeps it).
    pub basis: Option<Basis>,
}

/// The target as the value grammar reads it, as stored in `indicator.target_parsed` (JSON).
pub fn parsed_target_json(level2: &str, name: &str, direction: Option<IndicatorNature>, target_text: &str) -> String {
    let ctx = domain::library::declared_context(level2, name, direction);
    let target = domain::value::parse_target(target_text, &ctx);
    serde_json::to_string(&target).unwrap_or_default()
}

/// The context the value grammar reads an indicator's values in (its 二级, name and 指标性质;
/// `direction` overrides the stored one, for a value being edited).
pub fn target_context(ind: &indicator::Model, direction: Option<IndicatorNature>) -> domain::value::TargetContext {
    domain::library::declared_context(&ind.level2, &ind.name, direction)
}

/// The project already stored under this department, year and name, if any.
pub async fn find_by_name(
    conn: &impl ConnectionTrait,
    department_id: i32,
    fiscal_year_id: i32,
    name: &str,
) -> Result<Option<project::Model>, DbErr> {
    project::Entity::find()
        .filter(project::Column::DepartmentId.eq(department_id))
        .filter(project::Column::FiscalYearId.eq(fiscal_year_id))
        .filter(project::Column::Name.eq(name))
        .one(conn)
        .await
}

/// Stores a project and its indicators (in the caller's transaction) under the given department
/// and fiscal year; returns its id.
pub async fn insert(
    conn: &impl ConnectionTrait,
    new: &NewProject,
    department_id: i32,
    fiscal_year_id: i32,
) -> Result<i32, DbErr> {
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
    .insert(conn)
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
            target_parsed: Set(Some(parsed_target_json(&ind.level2, &ind.name, ind.direction, &ind.target_text))),
            weight: Set(ind.weight.map(Amount)),
            direction: Set(ind.direction.map(Key)),
            basis: Set(ind.basis.map(Key)),
            core: Set(ind.core),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(p.id)
}
