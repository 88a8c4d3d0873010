//! Storing projects read by `domain::import` from published target tables, all or nothing.

use crate::error::Result;
use crate::store::directory::{department_id_or_create, fiscal_year_id_or_create};
use crate::store::projects::{self, NewIndicator, NewProject};
use crate::write;
use domain::import::{ImportResult, ImportedProject};
use domain::input::Invalid;
use domain::vocab::IndicatorNature;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// A project ready to store, or why it cannot be stored.
pub fn to_new_project(p: &ImportedProject) -> Result<NewProject, Invalid> {
    let name = p.name.trim();
    if name.is_empty() {
        return Err(Invalid::MissingProjectName { title: p.title.clone() });
    }
    let department = p
        .department
        .as_deref()
        .or(p.implementing_unit.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| Invalid::MissingDepartment { project: name.to_owned() })?;
    let year = p.year.ok_or_else(|| Invalid::MissingYear { project: name.to_owned() })?;
    Ok(NewProject {
        department: department.to_owned(),
        year,
        name: name.to_owned(),
        implementing_unit: p.implementing_unit.clone(),
        funds_total: p.funds_total.unwrap_or(Decimal::ZERO),
        funds_fiscal: p.funds_fiscal.unwrap_or(Decimal::ZERO),
        funds_other: p.funds_other.unwrap_or(Decimal::ZERO),
        overall_goal: p.overall_goal.clone(),
        annual_goals: p.annual_goals.clone(),
        indicators: p
            .indicators
            .iter()
            .map(|i| NewIndicator {
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                name: i.name.clone(),
                target_text: i.target_text.clone(),
                weight: i.weight,
                direction: i.comparator_column.as_deref().and_then(IndicatorNature::from_column),
                core: i.core,
                basis: None,
            })
            .collect(),
    })
}

/// Stores one project with its indicators in the caller's transaction, creating its department
/// and fiscal year when they do not exist yet; a project of the same name, department and year
/// is refused.
pub async fn insert_project_in(conn: &impl ConnectionTrait, new: &NewProject) -> Result<i32> {
    let department_id = department_id_or_create(conn, &new.department).await?;
    let fiscal_year_id = fiscal_year_id_or_create(conn, new.year).await?;
    if projects::find_by_name(conn, department_id, fiscal_year_id, &new.name).await?.is_some() {
        return Err(Invalid::DuplicateProject {
            year: new.year,
            department: new.department.clone(),
            project: new.name.clone(),
        }
        .into());
    }
    Ok(projects::insert(conn, new, department_id, fiscal_year_id).await?)
}

/// Stores several projects all-or-nothing: one transaction, rolled back on the first error.
pub async fn insert_projects(db: &DatabaseConnection, new: &[NewProject]) -> Result<Vec<i32>> {
    let txn = write::begin(db).await?;
    let mut ids = Vec::with_capacity(new.len());
    for p in new {
        ids.push(insert_project_in(&txn, p).await?);
    }
    write::commit(txn, &ids).await?;
    Ok(ids)
}

/// Stores every project of an import, all-or-nothing. Refuses an import without projects or
/// with a project that lacks its name, department or year.
pub async fn store(db: &DatabaseConnection, result: &ImportResult) -> Result<Vec<i32>> {
    if result.projects.is_empty() {
        return Err(Invalid::NoTables.into());
    }
    let projects = result.projects.iter().map(to_new_project).collect::<Result<Vec<_>, _>>()?;
    insert_projects(db, &projects).await
}
