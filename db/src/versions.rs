//! 绩效目标版本: every approved set of targets is kept. 目标申报 批复 stores a version of the
//! indicators' targets and weights; a mid-year 调整 is proposed by the department with a reason
//! (a pending version), and approved or rejected by the finance bureau. Approving makes it the
//! current version and writes its targets back to the indicators. Scoring uses the newest approved
//! version.

use crate::audit::{action, entity};
use crate::edit::{self, dec_text};
use crate::entities::{indicator, project, target_version, target_version_item, user};
use crate::queries::{parsed_target_json, UpdateError};
use crate::{accounts, Amount};
use chrono::{DateTime, Utc};
use domain::value::{parse_target, TargetContext, ValueKind};
use domain::workflow::{can_decide_adjustment, can_propose_adjustment, validate_reason, ActionKind, Phase};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use std::collections::HashMap;

/// `target_version.state` values.
pub mod state {
    pub const PENDING: &str = "pending";
    pub const APPROVED: &str = "approved";
    pub const SUPERSEDED: &str = "superseded";
    pub const REJECTED: &str = "rejected";
}

/// The state as users see it.
pub fn state_label(state: &str) -> &'static str {
    match state {
        state::PENDING => "待审核",
        state::APPROVED => "现行",
        state::SUPERSEDED => "已被替代",
        state::REJECTED => "未通过",
        _ => "未知",
    }
}

/// A version with its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionWithItems {
    pub version: target_version::Model,
    pub items: Vec<target_version_item::Model>,
}

/// One indicator's new target (and weight) in a proposed 调整.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetChange {
    pub indicator_id: i32,
    pub target_text: String,
    pub weight: Option<Decimal>,
}

/// Every version of a project, newest first.
pub async fn versions(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<VersionWithItems>, DbErr> {
    let versions = target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .order_by_desc(target_version::Column::Number)
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(versions.len());
    for version in versions {
        let items = target_version_item::Entity::find()
            .filter(target_version_item::Column::VersionId.eq(version.id))
            .order_by_asc(target_version_item::Column::Id)
            .all(conn)
            .await?;
        out.push(VersionWithItems { version, items });
    }
    Ok(out)
}

/// The targets scoring uses: indicator id → (指标值, 分值) of the newest approved version;
/// empty when the targets were never approved.
pub async fn current_targets(
    conn: &impl ConnectionTrait,
    project_id: i32,
) -> Result<HashMap<i32, (String, Option<Decimal>)>, DbErr> {
    let Some(current) = newest(conn, project_id, state::APPROVED).await? else {
        return Ok(HashMap::new());
    };
    let items = target_version_item::Entity::find()
        .filter(target_version_item::Column::VersionId.eq(current.id))
        .all(conn)
        .await?;
    Ok(items.into_iter().map(|i| (i.indicator_id, (i.target_text, i.weight.map(|w| w.0)))).collect())
}

/// The 分值 scoring uses for one indicator: the current approved version's, or the indicator's
/// own while the targets were never approved.
pub async fn current_weight(conn: &impl ConnectionTrait, ind: &indicator::Model) -> Result<Option<Decimal>, DbErr> {
    Ok(match current_targets(conn, ind.project_id).await?.remove(&ind.id) {
        Some((_, weight)) => weight,
        None => ind.weight.map(|w| w.0),
    })
}

async fn newest(conn: &impl ConnectionTrait, project_id: i32, state: &str) -> Result<Option<target_version::Model>, DbErr> {
    target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .filter(target_version::Column::State.eq(state))
        .order_by_desc(target_version::Column::Number)
        .one(conn)
        .await
}

async fn next_number(conn: &impl ConnectionTrait, project_id: i32) -> Result<i32, DbErr> {
    let last = target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .order_by_desc(target_version::Column::Number)
        .one(conn)
        .await?;
    Ok(last.map_or(1, |v| v.number + 1))
}

async fn supersede_current(conn: &impl ConnectionTrait, project_id: i32) -> Result<(), DbErr> {
    target_version::Entity::update_many()
        .col_expr(target_version::Column::State, Expr::value(state::SUPERSEDED))
        .filter(target_version::Column::ProjectId.eq(project_id))
        .filter(target_version::Column::State.eq(state::APPROVED))
        .exec(conn)
        .await?;
    Ok(())
}

async fn insert_items(
    conn: &impl ConnectionTrait,
    version_id: i32,
    items: impl IntoIterator<Item = (i32, String, Option<Decimal>)>,
) -> Result<(), DbErr> {
    for (indicator_id, target_text, weight) in items {
        target_version_item::ActiveModel {
            version_id: Set(version_id),
            indicator_id: Set(indicator_id),
            target_text: Set(target_text),
            weight: Set(weight.map(Amount)),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Stores the indicators' targets as the new approved version (called by the 目标申报 批复, in
/// its transaction). The first is "年初申报批复"; one after a 重新打开 is "重新申报批复".
pub async fn snapshot_approved(
    conn: &impl ConnectionTrait,
    project_id: i32,
    user: &user::Model,
    at: DateTime<Utc>,
) -> Result<target_version::Model, DbErr> {
    let number = next_number(conn, project_id).await?;
    supersede_current(conn, project_id).await?;
    let version = target_version::ActiveModel {
        project_id: Set(project_id),
        number: Set(number),
        state: Set(state::APPROVED.to_owned()),
        reason: Set(Some(if number == 1 { "年初申报批复" } else { "重新申报批复" }.to_owned())),
        created_by: Set(Some(user.id)),
        created_by_name: Set(user.username.clone()),
        created_at: Set(at),
        decided_by: Set(Some(user.id)),
        decided_by_name: Set(Some(user.username.clone())),
        decided_at: Set(Some(at)),
        decision_note: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let indicators = crate::queries::indicators_in(conn, project_id).await?;
    insert_items(conn, version.id, indicators.into_iter().map(|i| (i.id, i.target_text, i.weight.map(|w| w.0)))).await?;
    Ok(version)
}

/// Checks a 指标值 for an indicator: non-blank, not too long, readable, not a placeholder.
pub fn validate_target(ind: &indicator::Model, text: &str) -> Result<String, UpdateError> {
    let label = format!("{}的指标值", ind.name);
    let text = edit::required_text(text, &label, crate::queries::MAX_TARGET_CHARS)?;
    let ctx = TargetContext {
        category: Some(ind.level2.clone()),
        indicator_name: Some(ind.name.clone()),
        comparator_column: ind.direction.clone(),
        unit_column: None,
    };
    match parse_target(&text, &ctx).kind {
        ValueKind::Invalid { message } => Err(UpdateError::Invalid(format!("指标“{}”的指标值“{text}”无法识别：{message}", ind.name))),
        ValueKind::Placeholder => Err(UpdateError::Invalid(format!("指标“{}”的指标值“{text}”是未填写的占位符", ind.name))),
        _ => Ok(text),
    }
}

/// Proposes a mid-year 调整 of the approved targets as `user`, with `reason`. Creates a pending
/// version holding every indicator (the changed ones with their new values). Refused when the
/// targets are not approved yet, 绩效自评 was already submitted, another 调整 is pending, nothing
/// changes, or a value is unreadable.
pub async fn propose_adjustment(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    changes: &[TargetChange],
    reason: &str,
) -> Result<target_version::Model, UpdateError> {
    let txn = db.begin().await?;
    let project = project::Entity::find_by_id(project_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let declaration = crate::workflow::phase_status(&txn, project_id, Phase::Declaration).await?;
    let self_evaluation = crate::workflow::phase_status(&txn, project_id, Phase::SelfEvaluation).await?;
    can_propose_adjustment(&accounts::actor(user), project.department_id, declaration, self_evaluation)?;
    let reason = validate_reason(ActionKind::Reopen, reason)
        .map_err(|_| UpdateError::Invalid("目标调整须填写调整原因（不超过500字）".to_owned()))?
        .to_owned();
    if newest(&txn, project_id, state::PENDING).await?.is_some() {
        return Err(UpdateError::Invalid("已有一项目标调整在等待财政局审核，请等待处理后再申请".to_owned()));
    }
    let current = current_targets(&txn, project_id).await?;
    let indicators = crate::queries::indicators_in(&txn, project_id).await?;
    let mut items: Vec<(i32, String, Option<Decimal>)> = Vec::with_capacity(indicators.len());
    let mut changed = 0;
    for change in changes {
        if !indicators.iter().any(|i| i.id == change.indicator_id) {
            return Err(UpdateError::Invalid("调整的指标不属于该项目".to_owned()));
        }
    }
    for ind in &indicators {
        let (old_text, old_weight) =
            current.get(&ind.id).cloned().unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
        let item = match changes.iter().find(|c| c.indicator_id == ind.id) {
            Some(c) => {
                let text = validate_target(ind, &c.target_text)?;
                let weight = edit::non_negative(c.weight, &format!("{}的分值", ind.name))?;
                if text != old_text || weight != old_weight.map(|w| w.normalize()) {
                    changed += 1;
                }
                (ind.id, text, weight)
            }
            None => (ind.id, old_text, old_weight),
        };
        items.push(item);
    }
    if changed == 0 {
        return Err(UpdateError::Invalid("调整后的指标值与现行目标相同，无需调整".to_owned()));
    }
    let now = Utc::now();
    let version = target_version::ActiveModel {
        project_id: Set(project_id),
        number: Set(next_number(&txn, project_id).await?),
        state: Set(state::PENDING.to_owned()),
        reason: Set(Some(reason.clone())),
        created_by: Set(Some(user.id)),
        created_by_name: Set(user.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_items(&txn, version.id, items).await?;
    let base = edit::entry(user, now, action::CREATE, entity::TARGET_VERSION, version.id, project_id);
    edit::record_changes(&txn, &base, vec![("adjustment_reason", None, Some(reason))]).await?;
    txn.commit().await?;
    Ok(version)
}

/// Approves (`approve`) or rejects a pending 调整 as `user` (财政局 / 管理员). A rejection needs a
/// note. Approving supersedes the current version and writes the new targets and weights to the
/// indicators (each change audited).
pub async fn decide_adjustment(
    db: &DatabaseConnection,
    user: &user::Model,
    version_id: i32,
    approve: bool,
    note: Option<&str>,
) -> Result<target_version::Model, UpdateError> {
    can_decide_adjustment(&accounts::actor(user))?;
    let note = edit::text(note, "审核意见", domain::workflow::MAX_REASON_CHARS)?;
    if !approve && note.is_none() {
        return Err(UpdateError::Invalid("不同意调整须填写理由".to_owned()));
    }
    let txn = db.begin().await?;
    let version = target_version::Entity::find_by_id(version_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    if version.state != state::PENDING {
        return Err(UpdateError::Invalid("该目标调整已处理过，请刷新页面".to_owned()));
    }
    let now = Utc::now();
    let new_state = if approve { state::APPROVED } else { state::REJECTED };
    if approve {
        supersede_current(&txn, version.project_id).await?;
    }
    let updated = target_version::Entity::update_many()
        .col_expr(target_version::Column::State, Expr::value(new_state))
        .col_expr(target_version::Column::DecidedBy, Expr::value(Some(user.id)))
        .col_expr(target_version::Column::DecidedByName, Expr::value(Some(user.username.clone())))
        .col_expr(target_version::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(target_version::Column::DecisionNote, Expr::value(note.clone()))
        .filter(target_version::Column::Id.eq(version_id))
        .filter(target_version::Column::State.eq(state::PENDING))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(UpdateError::Conflict);
    }
    let base = edit::entry(user, now, action::DECIDE, entity::TARGET_VERSION, version.id, version.project_id);
    edit::record_changes(
        &txn,
        &base,
        vec![
            ("state", Some(state_label(state::PENDING).to_owned()), Some(state_label(new_state).to_owned())),
            ("decision_note", None, note),
        ],
    )
    .await?;
    if approve {
        let items = target_version_item::Entity::find()
            .filter(target_version_item::Column::VersionId.eq(version.id))
            .all(&txn)
            .await?;
        for item in items {
            let Some(ind) = indicator::Entity::find_by_id(item.indicator_id).one(&txn).await? else { continue };
            let new_weight = item.weight.map(|w| w.0.normalize());
            let old_weight = ind.weight.map(|w| w.0.normalize());
            if ind.target_text == item.target_text && old_weight == new_weight {
                continue;
            }
            indicator::Entity::update_many()
                .col_expr(indicator::Column::TargetText, Expr::value(item.target_text.clone()))
                .col_expr(
                    indicator::Column::TargetParsed,
                    Expr::value(Some(parsed_target_json(&ind.level2, &ind.name, ind.direction.as_deref(), &item.target_text))),
                )
                .col_expr(indicator::Column::Weight, Expr::value(item.weight))
                .col_expr(indicator::Column::Version, Expr::col(indicator::Column::Version).add(1))
                .filter(indicator::Column::Id.eq(ind.id))
                .exec(&txn)
                .await?;
            let base = edit::entry(user, now, action::UPDATE, entity::INDICATOR, ind.id, version.project_id);
            edit::record_changes(
                &txn,
                &base,
                vec![
                    ("target_text", Some(ind.target_text.clone()), Some(item.target_text.clone())),
                    ("weight", dec_text(old_weight), dec_text(new_weight)),
                ],
            )
            .await?;
        }
    }
    let saved = target_version::Entity::find_by_id(version_id).one(&txn).await?.ok_or(UpdateError::Conflict)?;
    txn.commit().await?;
    Ok(saved)
}
