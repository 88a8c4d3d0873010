//! 流程: each project's phases (目标申报 / 运行监控 / 绩效自评), their status, the actions the
//! signed-in user may take, and the audit trail. Every rule is `domain::workflow`'s; every write
//! goes through `db::workflow::apply_transition` (one transaction, optimistic lock, audit rows).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One phase of a project as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseView {
    /// declaration / monitoring / self_evaluation
    pub phase: String,
    pub phase_label: String,
    /// draft / submitted / … (colours the badge)
    pub status: String,
    pub status_label: String,
    pub return_reason: Option<String>,
    pub version: i32,
    /// False while 目标申报 is not yet 已批复 (monitoring and self-evaluation).
    pub available: bool,
    /// Actions the signed-in user may take now: (key, 按钮文字, needs a reason).
    pub actions: Vec<PhaseAction>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseAction {
    /// submit / return / approve / start_review / reopen
    pub key: String,
    pub label: String,
    pub needs_reason: bool,
}

/// One audit entry: who, when, what, old → new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// 北京时间, "2026-11-26 18:03:04".
    pub at: String,
    pub username: String,
    pub entity: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub action: String,
}

#[server]
pub async fn get_workflow(project_id: i32) -> Result<Vec<PhaseView>, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let department_id = super::ssr::readable_project(&db, &actor, project_id).await?.project.department_id;
    let phases = db::workflow::project_phases(&db, project_id).await.map_err(super::ssr::internal)?;
    Ok(ssr::views(&actor, department_id, &phases))
}

/// Applies a workflow action (提交 / 退回 / 批复 / 开始复核 / 重新打开). `expected_version` is the
/// phase version the page showed: a stale page gets a conflict, never a lost update.
#[server]
pub async fn transition_phase(
    project_id: i32,
    phase: String,
    action: String,
    reason: Option<String>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    use domain::workflow::Action;
    use http::StatusCode;
    let (user, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    super::ssr::readable_project(&db, &actor, project_id).await?;
    let Some(phase) = db::workflow::parse_phase(&phase) else {
        return Err(super::ssr::refuse(StatusCode::BAD_REQUEST, "未知的流程环节"));
    };
    let reason = reason.unwrap_or_default();
    let action = match action.as_str() {
        "submit" => Action::Submit,
        "return" => Action::Return { reason },
        "approve" => Action::Approve,
        "start_review" => Action::StartReview,
        "reopen" => Action::Reopen { reason },
        _ => return Err(super::ssr::refuse(StatusCode::BAD_REQUEST, "未知的操作")),
    };
    let check = db::workflow::submit_check(&db, project_id, phase).await.map_err(super::ssr::internal)?;
    db::workflow::apply_transition(&db, &actor, &user, project_id, phase, &action, Some(&check), Some(expected_version))
        .await
        .map(|_| ())
        .map_err(|e| match e {
            db::workflow::WorkflowError::Db(e) => super::ssr::internal(e),
            db::workflow::WorkflowError::NotFound => super::ssr::refuse(StatusCode::NOT_FOUND, &e.to_string()),
            db::workflow::WorkflowError::Conflict => super::ssr::refuse(StatusCode::CONFLICT, &e.to_string()),
            db::workflow::WorkflowError::Refused(domain::workflow::Refusal::Forbidden { .. }) => {
                super::ssr::refuse(StatusCode::FORBIDDEN, &e.to_string())
            }
            other => super::ssr::refuse(StatusCode::UNPROCESSABLE_ENTITY, &other.to_string()),
        })
}

/// The project's audit trail, newest first.
#[server]
pub async fn get_audit(project_id: i32) -> Result<Vec<AuditRow>, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    super::ssr::readable_project(&db, &actor, project_id).await?;
    let rows = db::audit::for_project(&db, project_id).await.map_err(super::ssr::internal)?;
    Ok(rows.into_iter().map(ssr::audit_row).collect())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{AuditRow, PhaseAction, PhaseView};
    use db::entities::audit_log;
    use db::workflow::PhaseState;
    use domain::workflow::{allowed_actions, phase_available, Actor, ActionKind, Phase};

    pub fn views(actor: &Actor, department_id: i32, phases: &[PhaseState]) -> Vec<PhaseView> {
        let declaration = phases.iter().find(|p| p.phase == Phase::Declaration).map(|p| p.status);
        phases
            .iter()
            .map(|p| {
                let available = p.phase == Phase::Declaration || declaration.is_some_and(|d| phase_available(p.phase, d));
                let actions = if available {
                    allowed_actions(actor, department_id, p.phase, p.status)
                        .into_iter()
                        .filter(|a| *a != ActionKind::Edit)
                        .map(|a| PhaseAction {
                            key: action_key(a).to_owned(),
                            label: a.label(p.phase).to_owned(),
                            needs_reason: matches!(a, ActionKind::Return | ActionKind::Reopen),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                PhaseView {
                    phase: db::workflow::phase_key(p.phase).to_owned(),
                    phase_label: p.phase.label().to_owned(),
                    status: db::workflow::status_key(p.status).to_owned(),
                    status_label: p.status.label(p.phase).to_owned(),
                    return_reason: p.return_reason.clone(),
                    version: p.version,
                    available,
                    actions,
                }
            })
            .collect()
    }

    fn action_key(a: ActionKind) -> &'static str {
        match a {
            ActionKind::Submit => "submit",
            ActionKind::Return => "return",
            ActionKind::Approve => "approve",
            ActionKind::StartReview => "start_review",
            ActionKind::Reopen => "reopen",
            ActionKind::Edit => "edit",
        }
    }

    pub fn audit_row(m: audit_log::Model) -> AuditRow {
        let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
        AuditRow {
            at: m.at.with_timezone(&beijing).format("%Y-%m-%d %H:%M:%S").to_string(),
            username: m.username,
            entity: m.entity,
            field: m.field,
            old_value: m.old_value,
            new_value: m.new_value,
            action: m.action,
        }
    }
}
