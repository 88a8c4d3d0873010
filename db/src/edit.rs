//! What every content edit shares: the permission check through `domain::workflow`, text and
//! amount validation with Chinese messages, and audit rows for each changed field.

use crate::audit::{self, AuditEntry};
use crate::entities::{project, user};
use crate::queries::UpdateError;
use crate::{accounts, workflow};
use chrono::{DateTime, Utc};
use domain::workflow::{phase_available, transition, Action, Phase, Refusal};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

/// The project, if `user` may edit the content of `phase` now: the phase is available (运行监控 /
/// 绩效自评 need 已批复 targets) and the workflow table lets the user 修改 in its status.
pub async fn project_for_edit(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    project_id: i32,
    phase: Phase,
) -> Result<project::Model, UpdateError> {
    let project = project::Entity::find_by_id(project_id).one(conn).await?.ok_or(UpdateError::NotFound)?;
    let actor = accounts::actor(user);
    let status = workflow::phase_status(conn, project_id, phase).await?;
    let allowed = transition(&actor, project.department_id, phase, status, &Action::Edit, None);
    // Scope and role first, so a refused user learns nothing about the project's state.
    if let Err(forbidden @ Refusal::Forbidden { .. }) = allowed {
        return Err(forbidden.into());
    }
    if phase != Phase::Declaration {
        let declaration = workflow::phase_status(conn, project_id, Phase::Declaration).await?;
        if !phase_available(phase, declaration) {
            return Err(UpdateError::Invalid(format!("{}须在目标申报批复后才能填报", phase.label())));
        }
    }
    allowed?;
    Ok(project)
}

/// Trimmed text, `None` when blank; refused when longer than `max` characters.
pub fn text(value: Option<&str>, label: &str, max: usize) -> Result<Option<String>, UpdateError> {
    let Some(t) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let len = t.chars().count();
    if len > max {
        return Err(UpdateError::Invalid(format!("“{label}”不能超过{max}字（当前{len}字）")));
    }
    Ok(Some(t.to_owned()))
}

/// Required text: like [`text`], but blank is refused.
pub fn required_text(value: &str, label: &str, max: usize) -> Result<String, UpdateError> {
    text(Some(value), label, max)?.ok_or_else(|| UpdateError::Invalid(format!("“{label}”不能为空")))
}

/// An amount (万元) or score that may not be negative.
pub fn non_negative(value: Option<Decimal>, label: &str) -> Result<Option<Decimal>, UpdateError> {
    match value {
        Some(v) if v < Decimal::ZERO => Err(UpdateError::Invalid(format!("“{label}”不能为负数"))),
        Some(v) if v > Decimal::from(1_000_000_000) => Err(UpdateError::Invalid(format!("“{label}”数值过大"))),
        other => Ok(other.map(|v| v.normalize())),
    }
}

/// One field of an edit: its name, the old and the new value as text.
pub type Change = (&'static str, Option<String>, Option<String>);

/// Records one audit row per field that changed, all with `base`'s who/when/what.
pub async fn record_changes(conn: &impl ConnectionTrait, base: &AuditEntry, changes: Vec<Change>) -> Result<usize, DbErr> {
    let mut n = 0;
    for (field, old, new) in changes {
        if old != new {
            audit::record(conn, base.clone().change(field, old, new)).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The base audit entry of an edit of `entity` number `id` in project `project_id`.
pub fn entry(user: &user::Model, at: DateTime<Utc>, action: &str, entity: &str, id: i32, project_id: i32) -> AuditEntry {
    AuditEntry { project_id: Some(project_id), ..AuditEntry::by(user, at, action, entity, id) }
}

/// A decimal as audit text.
pub fn dec_text(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}
