//! 复制上年项目: a department starts a new fiscal year from last year's project instead of
//! retyping it — header, funds, goals and every indicator (指标值, 分值, 指标性质, 取值依据, ★) are
//! copied into the next fiscal year as a new project whose phases all start as 草稿 / 填报中.
//! Nothing of last year's cycle (monitoring, actuals, reviews, comments) is copied.

use crate::accounts;
use crate::entities::{fiscal_year, project, user};
use crate::error::{Error, Result};
use crate::store::{self, projects::NewIndicator, projects::NewProject};
use crate::write::{self, Audit, Change};
use chrono::Utc;
use domain::input::Invalid;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{transition, Action, Phase, Status};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

/// The fiscal year `source` can be copied into: the one after its own, when the administrator has
/// opened it and it holds no project of the same name and department (else why not, as `Invalid`).
pub async fn next_year(conn: &impl ConnectionTrait, source: &project::Model) -> Result<fiscal_year::Model> {
    let year = store::directory::fiscal_year(conn, source.fiscal_year_id)
        .await?
        .ok_or(Error::NotFound(EntityKind::FiscalYear))?;
    let next = year.year + 1;
    let target = store::directory::fiscal_year_by_year(conn, next).await?.ok_or(Invalid::YearNotOpen { year: next })?;
    if store::projects::find_by_name(conn, source.department_id, target.id, &source.name).await?.is_some() {
        let department = store::directory::department_name(conn, source.department_id).await?.unwrap_or_default();
        return Err(Invalid::DuplicateProject { year: next, department, project: source.name.clone() }.into());
    }
    Ok(target)
}

/// Copies project `project_id` into the fiscal year after its own; returns the new project's id.
/// Who may declare the project's targets (its department, or an administrator) may copy it; the
/// next year must have been opened by the administrator; a project of the same name in that
/// year and department is refused.
pub async fn copy_to_next_year(db: &DatabaseConnection, user: &user::Model, project_id: i32) -> Result<i32> {
    let txn = write::begin(db).await?;
    let source =
        project::Entity::find_by_id(project_id).one(&txn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
    // The same check as editing a draft declaration: scope and role, nothing about the source's state.
    let actor = accounts::actor(user);
    transition(&actor, source.department_id, Phase::Declaration, Status::Draft, &Action::Edit, None)?;
    let target = next_year(&txn, &source).await?;
    let next = target.year;
    let department = store::directory::department_name(&txn, source.department_id).await?.unwrap_or_default();
    let indicators = store::projects::indicators(&txn, project_id).await?;
    let new = NewProject {
        department,
        year: next,
        name: source.name.clone(),
        implementing_unit: source.implementing_unit.clone(),
        funds_total: source.funds_total.0,
        funds_fiscal: source.funds_fiscal.0,
        funds_other: source.funds_other.0,
        overall_goal: source.overall_goal.clone(),
        annual_goals: source.annual_goals.lines().map(str::to_owned).collect(),
        indicators: indicators
            .into_iter()
            .map(|i| NewIndicator {
                level1: i.level1,
                level2: i.level2,
                name: i.name,
                target_text: i.target_text,
                weight: i.weight.map(|w| w.0),
                direction: i.direction.map(|d| d.0),
                core: i.core,
                basis: i.basis.map(|b| b.0),
            })
            .collect(),
    };
    let id = store::projects::insert(&txn, &new, source.department_id, target.id).await?;
    let audit = Audit {
        user,
        at: Utc::now(),
        kind: EntityKind::Project,
        project_id: Some(id),
        action: Some(AuditAction::Create),
    };
    let from = format!("{}年度项目（编号 {}）", next - 1, source.id);
    let changes = [
        Change::new(Field::ProjectName, None, Some(&new.name)),
        Change::new(Field::Year, None, Some(&next)),
        Change::new(Field::CopiedFrom, None, Some(&from)),
    ];
    write::record_changes(&txn, &audit, id, &changes).await?;
    write::commit(txn, &[id]).await?;
    Ok(id)
}
