//! 流程: each project's phases (目标申报 / 运行监控 / 绩效自评), their status, the actions the
//! signed-in user may take, and the audit trail. Every rule is `domain::workflow`'s; every write
//! goes through `db::cycle::transition::apply` (one transaction, optimistic lock, audit rows).

use super::AppError;
use domain::vocab::{ActionKind, AuditAction, EntityKind, Field, Phase, Status};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One phase of a project as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseView {
    pub phase: Phase,
    pub status: Status,
    pub return_reason: Option<String>,
    pub version: i32,
    /// False while 目标申报 is not yet 已批复 (monitoring and self-evaluation).
    pub available: bool,
    /// Actions the signed-in user may take now (buttons), in display order.
    pub actions: Vec<ActionKind>,
}

/// One audit entry: who, when, what, old → new (values as stored; see `Field::display_value`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// 北京时间, "2026-11-26 18:03:04".
    pub at: String,
    pub username: String,
    pub entity: EntityKind,
    pub field: Option<Field>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub action: AuditAction,
}

impl AuditRow {
    /// What changed, as users read it: the field's name, else the kind of thing.
    pub fn subject(&self) -> &'static str {
        self.field.map_or_else(|| self.entity.label(), |f| f.label())
    }

    /// The old and new value as users read them.
    pub fn values(&self) -> (String, String) {
        let show = |v: &Option<String>| match (self.field, v) {
            (Some(f), Some(v)) => f.display_value(v),
            (None, Some(v)) => v.clone(),
            (_, None) => String::new(),
        };
        (show(&self.old_value), show(&self.new_value))
    }
}

#[server]
pub async fn get_workflow(project_id: i32) -> Result<Vec<PhaseView>, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let department_id = super::ssr::readable_project(&db, &actor, project_id).await?.project.department_id;
    let phases = db::store::phases::of_project(&db, project_id).await?;
    Ok(ssr::views(&actor, department_id, &phases))
}

/// Applies a workflow action (提交 / 退回 / 批复 / 开始复核 / 重新打开). `expected_version` is the
/// phase version the page showed: a stale page gets a conflict, never a lost update.
#[server]
pub async fn transition_phase(
    project_id: i32,
    phase: Phase,
    action: ActionKind,
    reason: Option<String>,
    expected_version: i32,
) -> Result<(), AppError> {
    use domain::workflow::Action;
    let (user, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    super::ssr::readable_project(&db, &actor, project_id).await?;
    let reason = reason.unwrap_or_default();
    let action = match action {
        ActionKind::Submit => Action::Submit,
        ActionKind::Return => Action::Return { reason },
        ActionKind::Approve => Action::Approve,
        ActionKind::StartReview => Action::StartReview,
        ActionKind::Reopen => Action::Reopen { reason },
        ActionKind::Edit => return Err(AppError::BadRequest("“修改”不是流程操作".to_owned())),
    };
    let check = db::cycle::transition::submit_check(&db, project_id, phase).await?;
    db::cycle::transition::apply(&db, &actor, &user, project_id, phase, &action, Some(&check), Some(expected_version))
        .await?;
    Ok(())
}

/// How many audit entries the project page shows (the CSV download has them all), so a long
/// trail cannot inflate the page.
pub const PAGE_AUDIT_ROWS: u64 = 100;

/// The newest entries of a project's audit trail, and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: u64,
}

/// The project's audit trail, newest first, at most [`PAGE_AUDIT_ROWS`] entries.
#[server]
pub async fn get_audit(project_id: i32) -> Result<AuditPage, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    super::ssr::readable_project(&db, &actor, project_id).await?;
    ssr::audit_page(&db, project_id).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{AuditRow, PhaseView};
    use db::entities::audit_log;
    use db::store::phases::PhaseState;
    use domain::workflow::{allowed_actions, phase_available, ActionKind, Actor, Phase};

    pub fn views(actor: &Actor, department_id: i32, phases: &[PhaseState]) -> Vec<PhaseView> {
        let declaration = phases.iter().find(|p| p.phase == Phase::Declaration).map(|p| p.status);
        phases
            .iter()
            .map(|p| {
                let available =
                    p.phase == Phase::Declaration || declaration.is_some_and(|d| phase_available(p.phase, d));
                let actions = if available {
                    allowed_actions(actor, department_id, p.phase, p.status)
                        .into_iter()
                        .filter(|a| *a != ActionKind::Edit)
                        .collect()
                } else {
                    Vec::new()
                };
                PhaseView {
                    phase: p.phase,
                    status: p.status,
                    return_reason: p.return_reason.clone(),
                    version: p.version,
                    available,
                    actions,
                }
            })
            .collect()
    }

    pub async fn audit_page(db: &db::DatabaseConnection, project_id: i32) -> Result<super::AuditPage, super::AppError> {
        let (rows, total) = db::store::audit::for_project_newest(db, project_id, super::PAGE_AUDIT_ROWS).await?;
        Ok(super::AuditPage { rows: rows.into_iter().map(audit_row).collect(), total })
    }

    pub fn audit_row(m: audit_log::Model) -> AuditRow {
        AuditRow {
            at: m.at.with_timezone(&crate::api::ssr::beijing_offset()).format("%Y-%m-%d %H:%M:%S").to_string(),
            username: m.username,
            entity: m.entity.0,
            field: m.field.map(|f| f.0),
            old_value: m.old_value,
            new_value: m.new_value,
            action: m.action.0,
        }
    }
}
