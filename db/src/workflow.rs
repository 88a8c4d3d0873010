//! Stored workflow status: one `project_phase` row per project and phase, changed only through
//! [`apply_transition`], which asks `domain::workflow` whether the change is allowed and writes
//! the new status and its audit rows in one transaction, with optimistic locking. A missing row
//! means the phase is in its initial status, at version 0.

use crate::audit::{self, AuditEntry};
use crate::entities::{project, project_phase, user};
use chrono::{DateTime, Utc};
use domain::workflow::{
    phase_available, transition, validate_reason, Action, ActionKind, Actor, Phase, Refusal, Status, SubmitCheck,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionTrait,
};

/// Why a transition was not applied; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// 运行监控 / 绩效自评 before 目标申报 is 已批复.
    #[error("{}须在目标申报批复后才能办理", phase.label())]
    Unavailable { phase: Phase },
    #[error("项目不存在")]
    NotFound,
    #[error("数据已被他人修改，请刷新后重试")]
    Conflict,
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

/// The state of one phase of one project, as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseState {
    pub phase: Phase,
    pub status: Status,
    /// The reason of the last 退回 / 重新打开, while it is current.
    pub return_reason: Option<String>,
    /// Pass this back as `expected_version` to [`apply_transition`].
    pub version: i32,
    pub updated_by: Option<i32>,
    /// `None` while the phase has never changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The phase as stored in `project_phase.phase`.
pub fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Declaration => "declaration",
        Phase::Monitoring => "monitoring",
        Phase::SelfEvaluation => "self_evaluation",
    }
}

pub fn parse_phase(key: &str) -> Option<Phase> {
    Phase::ALL.into_iter().find(|&p| phase_key(p) == key)
}

/// The status as stored in `project_phase.status` (the snake_case serde name).
pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Filling => "filling",
        Status::Submitted => "submitted",
        Status::UnderReview => "under_review",
        Status::Approved => "approved",
        Status::Reviewed => "reviewed",
        Status::Rated => "rated",
        Status::Returned => "returned",
    }
}

pub fn parse_status(key: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|&s| status_key(s) == key)
}

fn stored_status(row: &project_phase::Model) -> Result<Status, DbErr> {
    parse_status(&row.status)
        .ok_or_else(|| DbErr::Type(format!("project_phase {} 的状态无法识别：{:?}", row.id, row.status)))
}

async fn find_row(
    conn: &impl ConnectionTrait,
    project_id: i32,
    phase: Phase,
) -> Result<Option<project_phase::Model>, DbErr> {
    project_phase::Entity::find()
        .filter(project_phase::Column::ProjectId.eq(project_id))
        .filter(project_phase::Column::Phase.eq(phase_key(phase)))
        .one(conn)
        .await
}

/// The state of `phase` of a project (the initial state when it never changed).
pub async fn phase_state(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<PhaseState, DbErr> {
    Ok(match find_row(conn, project_id, phase).await? {
        Some(row) => PhaseState {
            phase,
            status: stored_status(&row)?,
            return_reason: row.return_reason,
            version: row.version,
            updated_by: row.updated_by,
            updated_at: Some(row.updated_at),
        },
        None => PhaseState {
            phase,
            status: Status::initial(phase),
            return_reason: None,
            version: 0,
            updated_by: None,
            updated_at: None,
        },
    })
}

/// The status of `phase` of a project.
pub async fn phase_status(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<Status, DbErr> {
    Ok(phase_state(conn, project_id, phase).await?.status)
}

/// The state of every phase of a project, in cycle order.
pub async fn project_phases(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<PhaseState>, DbErr> {
    let mut states = Vec::with_capacity(Phase::ALL.len());
    for phase in Phase::ALL {
        states.push(phase_state(conn, project_id, phase).await?);
    }
    Ok(states)
}

/// Performs `action` on `phase` of a project as `actor` (the account `user`), and returns the
/// stored row. `check` is the rule check a 提交 needs; `expected_version` is the version the user
/// saw (`None`: whatever is current). Writes the status, the reason (退回 / 重新打开; cleared
/// otherwise) and audit rows (`status` old → new label, and `return_reason` when given) in one
/// transaction. [`Action::Edit`] changes nothing: it is only checked, and returns the row.
///
/// Refused, in this order: [`Refusal::Forbidden`]; [`WorkflowError::Conflict`] for a stale
/// version; [`WorkflowError::Unavailable`]; the other refusals of `domain::workflow::transition`.
#[allow(clippy::too_many_arguments)]
pub async fn apply_transition(
    db: &DatabaseConnection,
    actor: &Actor,
    user: &user::Model,
    project_id: i32,
    phase: Phase,
    action: &Action,
    check: Option<&SubmitCheck>,
    expected_version: Option<i32>,
) -> Result<project_phase::Model, WorkflowError> {
    let txn = db.begin().await?;
    let project = project::Entity::find_by_id(project_id).one(&txn).await?.ok_or(WorkflowError::NotFound)?;
    let row = find_row(&txn, project_id, phase).await?;
    let current = row.as_ref().map(stored_status).transpose()?.unwrap_or(Status::initial(phase));
    let version = row.as_ref().map_or(0, |r| r.version);
    let old_reason = row.as_ref().and_then(|r| r.return_reason.clone());

    let next = transition(actor, project.department_id, phase, current, action, check);
    if let Err(forbidden @ Refusal::Forbidden { .. }) = next {
        return Err(forbidden.into());
    }
    if expected_version.is_some_and(|v| v != version) {
        return Err(WorkflowError::Conflict);
    }
    if phase != Phase::Declaration && !phase_available(phase, phase_status(&txn, project_id, Phase::Declaration).await?)
    {
        return Err(WorkflowError::Unavailable { phase });
    }
    let next = next?;
    let kind = action.kind();
    let reason = match action.reason() {
        Some(reason) => Some(validate_reason(kind, reason)?.to_owned()),
        None => None,
    };
    let now = Utc::now();

    let saved = match row {
        Some(row) if kind == ActionKind::Edit => row,
        Some(row) => {
            let updated = project_phase::Entity::update_many()
                .col_expr(project_phase::Column::Status, Expr::value(status_key(next)))
                .col_expr(project_phase::Column::ReturnReason, Expr::value(reason.clone()))
                .col_expr(project_phase::Column::UpdatedBy, Expr::value(Some(user.id)))
                .col_expr(project_phase::Column::UpdatedAt, Expr::value(now))
                .col_expr(project_phase::Column::Version, Expr::col(project_phase::Column::Version).add(1))
                .filter(project_phase::Column::Id.eq(row.id))
                .filter(project_phase::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(WorkflowError::Conflict);
            }
            project_phase::Entity::find_by_id(row.id).one(&txn).await?.ok_or(WorkflowError::Conflict)?
        }
        None => {
            let edit = kind == ActionKind::Edit;
            let inserted = project_phase::ActiveModel {
                project_id: Set(project_id),
                phase: Set(phase_key(phase).to_owned()),
                status: Set(status_key(next).to_owned()),
                return_reason: Set(reason.clone()),
                updated_by: Set((!edit).then_some(user.id)),
                updated_at: Set(now),
                version: Set(if edit { 0 } else { 1 }),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                // Someone else created the row since we looked.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(WorkflowError::Conflict)
                }
                other => other?,
            }
        }
    };
    if phase == Phase::Declaration && kind == ActionKind::Approve {
        crate::versions::snapshot_approved(&txn, project_id, user, now).await?;
    }
    if kind != ActionKind::Edit {
        let entry = AuditEntry {
            project_id: Some(project_id),
            ..AuditEntry::by(user, now, audit::action::TRANSITION, audit::entity::PROJECT_PHASE, saved.id)
        };
        let status_change =
            entry.clone().change("status", Some(current.label(phase).to_owned()), Some(next.label(phase).to_owned()));
        audit::record(&txn, status_change).await?;
        if let Some(reason) = reason {
            audit::record(&txn, entry.change("return_reason", old_reason, Some(reason))).await?;
        }
    }
    txn.commit().await?;
    Ok(saved)
}

/// What submitting `phase` requires of the project's stored content:
/// - 目标申报: indicators exist, every 指标值 reads as a value (no placeholder, nothing
///   unreadable), every indicator has a 分值 and the 分值 fit the year's scoring profile;
/// - 运行监控: see `crate::monitoring::submit_check`;
/// - 绩效自评: see `crate::evaluation::submit_check`.
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32, phase: Phase) -> Result<SubmitCheck, DbErr> {
    match phase {
        Phase::Declaration => declaration_check(conn, project_id).await,
        Phase::Monitoring => crate::monitoring::submit_check(conn, project_id).await,
        Phase::SelfEvaluation => crate::evaluation::submit_check(conn, project_id).await,
    }
}

async fn declaration_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck, DbErr> {
    use domain::value::{parse_target, TargetContext, ValueKind};
    let indicators = crate::queries::indicators_in(conn, project_id).await?;
    let mut problems = Vec::new();
    if indicators.is_empty() {
        problems.push("项目还没有绩效指标".to_owned());
    }
    for (i, ind) in indicators.iter().enumerate() {
        let ctx = TargetContext {
            category: Some(ind.level2.clone()),
            indicator_name: Some(ind.name.clone()),
            comparator_column: ind.direction.clone(),
            unit_column: None,
        };
        match parse_target(&ind.target_text, &ctx).kind {
            ValueKind::Placeholder => {
                problems.push(format!("第 {} 项指标“{}”的指标值“{}”是未填写的占位符", i + 1, ind.name, ind.target_text))
            }
            ValueKind::Invalid { message } => {
                problems.push(format!("第 {} 项指标“{}”的指标值无法识别：{message}", i + 1, ind.name))
            }
            _ => {}
        }
    }
    let unweighted: Vec<&str> = indicators.iter().filter(|i| i.weight.is_none()).map(|i| i.name.as_str()).collect();
    let mut weight_problems = Vec::new();
    if !unweighted.is_empty() {
        problems.push(format!("以下指标未设置分值：{}", unweighted.join("、")));
    } else if !indicators.is_empty() {
        let profile = crate::evaluation::profile_of(conn, project_id).await?;
        let pairs: Vec<(String, rust_decimal::Decimal)> =
            indicators.iter().map(|i| (i.level1.clone(), i.weight.map(|w| w.0).unwrap_or_default())).collect();
        weight_problems = domain::scoring::weight_problems(&pairs, &profile);
    }
    Ok(SubmitCheck { weights_ok: weight_problems.is_empty(), weight_problems, missing_explanations: Vec::new(), other_problems: problems })
}
