//! 新建项目 and the indicator tree: a department (or an administrator) creates a project from
//! scratch, edits its header while the 目标申报 is 草稿 / 退回, and adds, removes and reorders its
//! indicators, picking from the 指标库. Thin adapters: `db::cycle::new_project` and
//! `db::cycle::declaration` check access, the workflow and the input in one transaction each.

use super::AppError;
use domain::library::LibraryEntry;
use domain::vocab::{Basis, IndicatorNature};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the 新建项目 form offers the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProjectChoices {
    /// The open fiscal years, newest first.
    pub years: Vec<i32>,
    /// The departments the user may create a project for (id, name): their own, or every one
    /// for an administrator.
    pub departments: Vec<(i32, String)>,
}

/// The 新建项目 form's choices; refused for users who may not declare any project.
#[server]
pub async fn new_project_options() -> Result<NewProjectChoices, AppError> {
    let (user, actor) = super::ssr::require_user().await?;
    domain::workflow::may_create_project(&actor).map_err(AppError::Refused)?;
    let db = super::ssr::db()?;
    let mut years: Vec<i32> = db::store::directory::fiscal_years(&db).await?.into_iter().map(|y| y.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let departments = db::store::directory::departments(&db)
        .await?
        .into_iter()
        .filter(|d| user.department_id.is_none_or(|own| own == d.id))
        .map(|d| (d.id, d.name))
        .collect();
    Ok(NewProjectChoices { years, departments })
}

/// Creates a draft project; returns its id.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn create_project(
    year: i32,
    department_id: Option<i32>,
    name: String,
    implementing_unit: Option<String>,
    funds_fiscal: Option<String>,
    funds_other: Option<String>,
    overall_goal: String,
    annual_goals: String,
) -> Result<i32, AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let header = ssr::header(name, implementing_unit, funds_fiscal, funds_other, overall_goal, annual_goals)?;
    Ok(db::cycle::new_project::create_project(&db, &user, department_id, year, &header).await?)
}

/// Changes a project's header (目标申报 草稿 / 退回).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_header(
    project_id: i32,
    name: String,
    implementing_unit: Option<String>,
    funds_fiscal: Option<String>,
    funds_other: Option<String>,
    overall_goal: String,
    annual_goals: String,
    expected_version: i32,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let header = ssr::header(name, implementing_unit, funds_fiscal, funds_other, overall_goal, annual_goals)?;
    db::cycle::new_project::update_header(&db, &user, project_id, &header, expected_version).await?;
    Ok(())
}

/// Adds an indicator to a project's declaration.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn add_indicator(
    project_id: i32,
    level1: String,
    level2: String,
    name: String,
    target_text: String,
    weight: Option<String>,
    direction: Option<IndicatorNature>,
    basis: Option<Basis>,
    core: Option<bool>,
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let new = db::cycle::declaration::NewIndicatorEdit {
        level1,
        level2,
        name,
        edit: db::cycle::declaration::IndicatorEdit {
            target_text,
            weight: super::ssr::number(Field::Weight, weight)?,
            direction,
            basis,
            core: core.unwrap_or(false),
        },
    };
    db::cycle::declaration::add_indicator(&db, &user, project_id, &new).await?;
    Ok(())
}

/// Removes an indicator from a project's declaration.
#[server]
pub async fn remove_indicator(indicator_id: i32, expected_version: i32) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::cycle::declaration::remove_indicator(&db, &user, indicator_id, expected_version).await?;
    Ok(())
}

/// Moves an indicator one place up or down within its 二级 group.
#[server]
pub async fn move_indicator(indicator_id: i32, up: bool, expected_version: i32) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::cycle::declaration::move_indicator(&db, &user, indicator_id, up, expected_version).await?;
    Ok(())
}

/// Files an indicator under another 一级 / 二级.
#[server]
pub async fn regroup_indicator(
    indicator_id: i32,
    level1: String,
    level2: String,
    expected_version: i32,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::cycle::declaration::regroup_indicator(&db, &user, indicator_id, &level1, &level2, expected_version).await?;
    Ok(())
}

/// One entry of the 指标库 with its id and version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryItem {
    pub id: i32,
    pub version: i32,
    pub entry: LibraryEntry,
}

/// The 指标库, for everyone signed in, in tree order.
#[server]
pub async fn indicator_library() -> Result<Vec<LibraryItem>, AppError> {
    super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    ssr::library(&db).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::LibraryItem;
    use crate::api::AppError;
    use domain::vocab::Field;

    /// A project header as the 新建项目 and 修改项目信息 forms send it (funds as typed text).
    pub fn header(
        name: String,
        implementing_unit: Option<String>,
        funds_fiscal: Option<String>,
        funds_other: Option<String>,
        overall_goal: String,
        annual_goals: String,
    ) -> Result<db::cycle::new_project::Header, AppError> {
        Ok(db::cycle::new_project::Header {
            name,
            implementing_unit,
            funds_fiscal: crate::api::ssr::number(Field::FundsFiscal, funds_fiscal)?,
            funds_other: crate::api::ssr::number(Field::FundsOther, funds_other)?,
            overall_goal,
            annual_goals,
        })
    }

    /// The 指标库 as the pages show it.
    pub async fn library(db: &db::DatabaseConnection) -> Result<Vec<LibraryItem>, AppError> {
        Ok(db::library::all(db)
            .await?
            .iter()
            .map(|row| LibraryItem { id: row.id, version: row.version, entry: db::library::entry_of(row) })
            .collect())
    }
}

/// Adds an entry to the 指标库 (administrators).
#[server]
pub async fn add_library_entry(
    level1: String,
    level2: String,
    name: String,
    unit: String,
    direction: Option<IndicatorNature>,
    example: String,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let entry = LibraryEntry { level1, level2, name, unit, direction, example };
    db::library::save(&db, &user, None, &entry, 0).await?;
    Ok(())
}

/// Removes an entry from the 指标库 (administrators).
#[server]
pub async fn delete_library_entry(id: i32, expected_version: i32) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::library::delete(&db, &user, id, expected_version).await?;
    Ok(())
}
