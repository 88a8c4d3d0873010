//! Who may change a project's content now: the permission check every content write starts with.

use crate::accounts;
use crate::entities::{indicator, project, user};
use crate::error::{Error, Result};
use crate::store;
use domain::input::Invalid;
use domain::vocab::{ActionKind, EntityKind};
use domain::workflow::{phase_available, transition, Action, Phase, Refusal};
use sea_orm::{ConnectionTrait, EntityTrait};

/// The project, if `user` may edit the content of `phase` now: the phase is available (运行监控 /
/// 绩效自评 need 已批复 targets) and the workflow table lets the user 修改 in its status.
/// Scope and role are checked first, so a refused user learns nothing about the project's state.
pub async fn project_for_edit(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    project_id: i32,
    phase: Phase,
) -> Result<project::Model> {
    let project =
        project::Entity::find_by_id(project_id).one(conn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
    let status = store::phases::status(conn, project_id, phase).await?;
    let allowed = transition(&accounts::actor(user), project.department_id, phase, status, &Action::Edit, None);
    if let Err(forbidden @ Refusal::Forbidden { .. }) = allowed {
        return Err(forbidden.into());
    }
    if phase != Phase::Declaration {
        let declaration = store::phases::status(conn, project_id, Phase::Declaration).await?;
        if !phase_available(phase, declaration) {
            return Err(Invalid::PhaseUnavailable { phase, action: ActionKind::Edit }.into());
        }
    }
    allowed?;
    Ok(project)
}

/// An indicator and its project, if `user` may edit the content of `phase` now.
pub async fn indicator_for_edit(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    indicator_id: i32,
    phase: Phase,
) -> Result<(indicator::Model, project::Model)> {
    let ind = store::projects::indicator(conn, indicator_id).await?.ok_or(Error::NotFound(EntityKind::Indicator))?;
    let project = project_for_edit(conn, user, ind.project_id, phase).await?;
    Ok((ind, project))
}
