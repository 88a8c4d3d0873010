//! Stored workflow status: one `project_phase` row per project and phase. A missing row means
//! the phase is in its initial status, at version 0. Changed only by `cycle::transition`.

use crate::entities::project_phase;
use crate::Key;
use chrono::{DateTime, Utc};
use domain::workflow::{Phase, Status};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The state of one phase of one project, as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseState {
    pub phase: Phase,
    pub status: Status,
    /// The reason of the last 退回 / 重新打开, while it is current.
    pub return_reason: Option<String>,
    /// Pass this back as the expected version of a transition.
    pub version: i32,
    pub updated_by: Option<i32>,
    /// `None` while the phase has never changed.
    pub updated_at: Option<DateTime<Utc>>,
}

impl PhaseState {
    /// The state of a phase that never changed.
    pub fn initial(phase: Phase) -> PhaseState {
        PhaseState {
            phase,
            status: Status::initial(phase),
            return_reason: None,
            version: 0,
            updated_by: None,
            updated_at: None,
        }
    }

    pub fn of(row: &project_phase::Model) -> PhaseState {
        PhaseState {
            phase: row.phase.0,
            status: row.status.0,
            return_reason: row.return_reason.clone(),
            version: row.version,
            updated_by: row.updated_by,
            updated_at: Some(row.updated_at),
        }
    }
}

/// The stored row of `phase` of a project, if it ever changed.
pub async fn row(
    conn: &impl ConnectionTrait,
    project_id: i32,
    phase: Phase,
) -> Result<Option<project_phase::Model>, DbErr> {
    project_phase::Entity::find()
        .filter(project_phase::Column::ProjectId.eq(project_id))
        .filter(project_phase::Column::Phase.eq(Key(phase)))
        .one(conn)
        .await
}

/// The state of `phase` of a project (the initial state when it never changed).
pub async fn state(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<PhaseState, DbErr> {
    Ok(row(conn, project_id, phase).await?.as_ref().map_or_else(|| PhaseState::initial(phase), PhaseState::of))
}

/// The status of `phase` of a project.
pub async fn status(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<Status, DbErr> {
    Ok(state(conn, project_id, phase).await?.status)
}

/// The state of every phase of a project, in cycle order.
pub async fn of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<PhaseState>, DbErr> {
    let rows = project_phase::Entity::find().filter(project_phase::Column::ProjectId.eq(project_id)).all(conn).await?;
    Ok(in_cycle_order(&rows))
}

/// The phases of many projects (every project listed gets all phases, in cycle order).
pub async fn of_projects(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<HashMap<i32, Vec<PhaseState>>, DbErr> {
    let mut rows: HashMap<i32, Vec<project_phase::Model>> = HashMap::new();
    for chunk in project_ids.chunks(super::projects::CHUNK) {
        let found = project_phase::Entity::find()
            .filter(project_phase::Column::ProjectId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for row in found {
            rows.entry(row.project_id).or_default().push(row);
        }
    }
    Ok(project_ids.iter().map(|&id| (id, in_cycle_order(rows.get(&id).map_or(&[][..], Vec::as_slice)))).collect())
}

fn in_cycle_order(rows: &[project_phase::Model]) -> Vec<PhaseState> {
    Phase::ALL
        .iter()
        .map(|&phase| {
            rows.iter().find(|r| r.phase.0 == phase).map_or_else(|| PhaseState::initial(phase), PhaseState::of)
        })
        .collect()
}
