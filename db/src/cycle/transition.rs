//! Workflow transitions: the only way a phase's status changes. [`apply`] asks
//! `domain::workflow::transition` whether the change is allowed and writes the new status and its
//! audit rows through the shared versioned write, in one transaction.

use crate::entities::{project, project_phase, user};
use crate::error::{Error, Result};
use crate::store::{self, phases::PhaseState};
use crate::write::{self, Audit, Change, Write};
use crate::Key;
use chrono::Utc;
use domain::input::Invalid;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{
    phase_available, transition, validate_reason, Action, ActionKind, Actor, Phase, Refusal, SubmitCheck,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

/// What submitting `phase` requires of the project's stored content.
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<SubmitCheck> {
    match phase {
        Phase::Declaration => super::declaration::submit_check(conn, project_id).await,
        Phase::Monitoring => super::monitoring::submit_check(conn, project_id).await,
        Phase::SelfEvaluation => super::evaluation::submit_check(conn, project_id).await,
    }
}

/// Performs `action` on `phase` of a project as `actor` (the account `user`) and returns the
/// phase's new state. `check` is the rule check a 提交 needs; `expected_version` the version the
/// user saw (`None`: whatever is current). Writes the status, the reason (退回 / 重新打开; cleared
/// otherwise) and audit rows (`status` old → new, and the reason when given); 目标申报 批复 also
/// stores the approved targets as a version. [`Action::Edit`] changes nothing: it is only checked.
///
/// Refused, in this order: [`Refusal::Forbidden`]; [`Error::Stale`] for a stale version;
/// [`Invalid::PhaseUnavailable`]; the other refusals of `domain::workflow::transition`.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    user: &user::Model,
    project_id: i32,
    phase: Phase,
    action: &Action,
    check: Option<&SubmitCheck>,
    expected_version: Option<i32>,
) -> Result<PhaseState> {
    let txn = write::begin(db).await?;
    let project =
        project::Entity::find_by_id(project_id).one(&txn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
    let row = store::phases::row(&txn, project_id, phase).await?;
    let state = row.as_ref().map_or_else(|| PhaseState::initial(phase), PhaseState::of);
    let next = transition(actor, project.department_id, phase, state.status, action, check);
    if let Err(forbidden @ Refusal::Forbidden { .. }) = next {
        return Err(forbidden.into());
    }
    if expected_version.is_some_and(|v| v != state.version) {
        return Err(Error::Stale);
    }
    if phase != Phase::Declaration
        && !phase_available(phase, store::phases::status(&txn, project_id, Phase::Declaration).await?)
    {
        return Err(Invalid::PhaseUnavailable { phase, action: action.kind() }.into());
    }
    let next = next?;
    let kind = action.kind();
    if kind == ActionKind::Edit {
        return Ok(state);
    }
    let reason = match action.reason() {
        Some(reason) => Some(validate_reason(kind, reason)?.to_owned()),
        None => None,
    };
    let now = Utc::now();
    use project_phase::Column as C;
    let mut changes = Write::<project_phase::Entity>::new()
        .field(Field::Status, C::Status, Some(Key(state.status)), Some(Key(next)))
        .set(C::ReturnReason, reason.clone())
        .set(C::UpdatedBy, Some(user.id))
        .set(C::UpdatedAt, now);
    if let Some(reason) = &reason {
        changes = changes.note(Change::new(Field::ReturnReason, state.return_reason.as_ref(), Some(reason)));
    }
    let keys = vec![(C::ProjectId, project_id.into()), (C::Phase, Key(phase).into())];
    let audit = Audit {
        user,
        at: now,
        kind: EntityKind::ProjectPhase,
        project_id: Some(project_id),
        action: Some(AuditAction::Transition),
    };
    let saved = write::upsert(&txn, row, state.version, keys, changes, audit).await?;
    if phase == Phase::Declaration && kind == ActionKind::Approve {
        super::adjustment::snapshot_approved(&txn, project_id, user, now).await?;
    }
    write::commit(txn, &[project_id]).await?;
    Ok(PhaseState::of(&saved.row))
}
