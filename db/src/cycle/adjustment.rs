//! 绩效目标版本 and mid-year 调整: 目标申报 批复 stores the indicators' targets and weights as a
//! version; a 调整 is proposed by the department with a reason (a pending version) and approved or
//! rejected by the finance bureau. Approving makes it current and writes its targets back to the
//! indicators (each change audited).

use super::declaration::validate_target;
use crate::accounts;
use crate::entities::{indicator, target_version, user};
use crate::error::{Error, Result};
use crate::store::{self, projects::parsed_target_json};
use crate::write::{self, Audit, Change, Write};
use crate::{Amount, Key};
use chrono::{DateTime, Utc};
use domain::input::{self, Invalid};
use domain::vocab::{AuditAction, EntityKind, Field, VersionState};
use domain::workflow::{can_decide_adjustment, can_propose_adjustment, validate_reason, ActionKind, Phase};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// One indicator's new target (and weight) in a proposed 调整.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetChange {
    pub indicator_id: i32,
    pub target_text: String,
    pub weight: Option<Decimal>,
}

/// Stores the indicators' targets as the new approved version (called by the 目标申报 批复, in
/// its transaction). The first is "年初申报批复"; one after a 重新打开 is "重新申报批复".
pub async fn snapshot_approved(
    conn: &impl ConnectionTrait,
    project_id: i32,
    user: &user::Model,
    at: DateTime<Utc>,
) -> Result<target_version::Model> {
    let number = store::versions::next_number(conn, project_id).await?;
    store::versions::supersede_current(conn, project_id).await?;
    let version = target_version::ActiveModel {
        project_id: Set(project_id),
        number: Set(number),
        state: Set(Key(VersionState::Approved)),
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
    let indicators = store::projects::indicators(conn, project_id).await?;
    store::versions::insert_items(
        conn,
        version.id,
        indicators.into_iter().map(|i| (i.id, i.target_text, i.weight.map(|w| w.0))),
    )
    .await?;
    Ok(version)
}

/// Proposes a mid-year 调整 of the approved targets as `user`, with `reason`. Creates a pending
/// version holding every indicator (the changed ones with their new values). Refused when the
/// targets are not approved yet, 绩效自评 was already submitted, another 调整 is pending, nothing
/// changes, or a value is unreadable.
pub async fn propose(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    changes: &[TargetChange],
    reason: &str,
) -> Result<target_version::Model> {
    let txn = write::begin(db).await?;
    let project = write::lock_project(&txn, project_id).await?;
    let declaration = store::phases::status(&txn, project_id, Phase::Declaration).await?;
    let self_evaluation = store::phases::status(&txn, project_id, Phase::SelfEvaluation).await?;
    can_propose_adjustment(&accounts::actor(user), project.department_id, declaration, self_evaluation)?;
    let reason = validate_reason(ActionKind::Reopen, reason)
        .map_err(|_| Invalid::AdjustmentReasonRequired { max: domain::workflow::MAX_REASON_CHARS })?
        .to_owned();
    if store::versions::newest(&txn, project_id, VersionState::Pending).await?.is_some() {
        return Err(Invalid::AdjustmentPending.into());
    }
    let current = store::versions::current_targets(&txn, project_id).await?;
    let indicators = store::projects::indicators(&txn, project_id).await?;
    if changes.iter().any(|c| !indicators.iter().any(|i| i.id == c.indicator_id)) {
        return Err(Invalid::NotInProject.into());
    }
    let mut items: Vec<(i32, String, Option<Decimal>)> = Vec::with_capacity(indicators.len());
    let mut changed = 0;
    for ind in &indicators {
        let (old_text, old_weight) =
            current.get(&ind.id).cloned().unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
        let item = match changes.iter().find(|c| c.indicator_id == ind.id) {
            Some(c) => {
                let text = validate_target(ind, ind.direction.map(|d| d.0), &c.target_text)?;
                let weight = input::non_negative(c.weight, Field::Weight)?;
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
        return Err(Invalid::NothingToAdjust.into());
    }
    let now = Utc::now();
    let version = target_version::ActiveModel {
        project_id: Set(project_id),
        number: Set(store::versions::next_number(&txn, project_id).await?),
        state: Set(Key(VersionState::Pending)),
        reason: Set(Some(reason.clone())),
        created_by: Set(Some(user.id)),
        created_by_name: Set(user.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    store::versions::insert_items(&txn, version.id, items).await?;
    let audit = Audit {
        user,
        at: now,
        kind: EntityKind::TargetVersion,
        project_id: Some(project_id),
        action: Some(AuditAction::Create),
    };
    write::record_changes(&txn, &audit, version.id, &[Change::new(Field::AdjustmentReason, None, Some(&reason))])
        .await?;
    write::commit(txn, &[project_id]).await?;
    Ok(version)
}

/// Approves (`approve`) or rejects a pending 调整 as `user` (财政局 / 管理员). A rejection needs a
/// note. Approving supersedes the current version and writes the new targets and weights to the
/// indicators (each change audited).
pub async fn decide(
    db: &DatabaseConnection,
    user: &user::Model,
    version_id: i32,
    approve: bool,
    note: Option<&str>,
) -> Result<target_version::Model> {
    can_decide_adjustment(&accounts::actor(user))?;
    let note = input::text(note, Field::DecisionNote, domain::workflow::MAX_REASON_CHARS)?;
    if !approve && note.is_none() {
        return Err(Invalid::RejectionNoteRequired.into());
    }
    let txn = write::begin(db).await?;
    let version = store::versions::one(&txn, version_id).await?.ok_or(Error::NotFound(EntityKind::TargetVersion))?;
    if version.state.0 != VersionState::Pending {
        return Err(Invalid::AlreadyDecided.into());
    }
    let now = Utc::now();
    let new_state = if approve { VersionState::Approved } else { VersionState::Rejected };
    if approve {
        store::versions::supersede_current(&txn, version.project_id).await?;
    }
    let updated = target_version::Entity::update_many()
        .col_expr(target_version::Column::State, Expr::value(Key(new_state)))
        .col_expr(target_version::Column::DecidedBy, Expr::value(Some(user.id)))
        .col_expr(target_version::Column::DecidedByName, Expr::value(Some(user.username.clone())))
        .col_expr(target_version::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(target_version::Column::DecisionNote, Expr::value(note.clone()))
        .filter(target_version::Column::Id.eq(version_id))
        .filter(target_version::Column::State.eq(Key(VersionState::Pending)))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(Error::Stale);
    }
    let audit = Audit {
        user,
        at: now,
        kind: EntityKind::TargetVersion,
        project_id: Some(version.project_id),
        action: Some(AuditAction::Decide),
    };
    write::record_changes(
        &txn,
        &audit,
        version.id,
        &[
            Change::new(Field::State, Some(&Key(VersionState::Pending)), Some(&Key(new_state))),
            Change::new(Field::DecisionNote, None, note.as_ref()),
        ],
    )
    .await?;
    if approve {
        for item in store::versions::items(&txn, version.id).await? {
            let Some(ind) = store::projects::indicator(&txn, item.indicator_id).await? else { continue };
            use indicator::Column as C;
            let changes = Write::<indicator::Entity>::new()
                .field(Field::TargetText, C::TargetText, Some(ind.target_text.clone()), Some(item.target_text.clone()))
                .field(
                    Field::Weight,
                    C::Weight,
                    ind.weight.map(|w| Amount(w.0.normalize())),
                    item.weight.map(|w| Amount(w.0.normalize())),
                )
                .set(
                    C::TargetParsed,
                    Some(parsed_target_json(&ind.level2, &ind.name, ind.direction.map(|d| d.0), &item.target_text)),
                );
            let audit = Audit { action: Some(AuditAction::Update), kind: EntityKind::Indicator, ..audit };
            let current = ind.version;
            write::upsert(&txn, Some(ind), current, vec![], changes, audit).await?;
        }
    }
    let saved = store::versions::one(&txn, version_id).await?.ok_or(Error::Stale)?;
    write::commit(txn, &[saved.project_id]).await?;
    Ok(saved)
}
