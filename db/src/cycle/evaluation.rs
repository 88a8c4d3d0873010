//! 绩效自评 and 财政复核: year-end actuals per indicator, the project's budget execution, the
//! self-evaluation assembled from what is stored (scored by `domain::selfeval`, the same code the
//! browser previews with), and the finance bureau's re-scores.

use super::access;
use super::monitoring::normalized;
use crate::accounts;
use crate::entities::{actual_entry, project, review_score, user};
use crate::error::{Error, Result};
use crate::store;
use crate::store::projects::target_context;
use crate::write::{self, Audit, Change, Write};
use crate::{Amount, Key};
use chrono::Utc;
use domain::input::{self, Invalid};
use domain::value::{parse_actual_with, ValueKind};
use domain::vocab::{AuditAction, EntityKind, Field, QualitativeGrade};
use domain::workflow::{can_rescore, validate_reason, ActionKind, Phase, SubmitCheck};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, Set};

/// The longest text in an evaluation field.
pub const MAX_CHARS: usize = 1000;

/// One indicator's year-end entry as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActualInput {
    /// 实际完成值 as written.
    pub actual_text: Option<String>,
    /// Qualitative indicators: the grade.
    pub grade: Option<QualitativeGrade>,
    /// Qualitative: points inside the grade's band.
    pub grade_score: Option<Decimal>,
    /// 佐证材料.
    pub evidence: Option<String>,
    /// 偏差原因分析及改进措施.
    pub explanation: Option<String>,
}

/// The project's year-end budget figures (万元) as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearEndFunds {
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed_full_year: Option<Decimal>,
    pub execution_explanation: Option<String>,
}

pub use crate::scores::{self_evaluation, self_evaluations};

/// What submitting 绩效自评 requires of what is stored (see `domain::selfeval::submit_check`).
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck> {
    let input = self_evaluation(conn, project_id, false).await?.ok_or(Error::NotFound(EntityKind::Project))?;
    Ok(domain::selfeval::submit_check(&input))
}

/// Saves one indicator's year-end entry as `user`; `expected_version` is the entry's version the
/// form showed (0 when never saved). An unreadable 实际完成值 or a score above the 分值 is refused.
pub async fn save_actual(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    input: &ActualInput,
    expected_version: i32,
) -> Result<actual_entry::Model> {
    let txn = write::begin(db).await?;
    let saved = save_actual_in(&txn, user, indicator_id, input, expected_version, None).await?;
    write::commit(txn, &[saved.project_id]).await?;
    Ok(saved)
}

/// [`save_actual`] inside the caller's transaction (a spreadsheet import applies many rows in one,
/// auditing them as `Some(AuditAction::Import)`; `None` = 新建 / 修改).
pub async fn save_actual_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    indicator_id: i32,
    input: &ActualInput,
    expected_version: i32,
    action: Option<AuditAction>,
) -> Result<actual_entry::Model> {
    let (ind, project) = access::indicator_for_edit(txn, user, indicator_id, Phase::SelfEvaluation).await?;
    let actual_text = input::text(input.actual_text.as_deref(), Field::ActualText, 200)?;
    let parsed = match &actual_text {
        None => None,
        Some(text) => {
            let actual = parse_actual_with(text, &target_context(&ind, ind.direction.map(|d| d.0)));
            if let ValueKind::Invalid { message } = &actual.kind {
                return Err(Invalid::Unreadable {
                    field: Field::ActualText,
                    indicator: ind.name.clone(),
                    text: text.clone(),
                    message: message.clone(),
                }
                .into());
            }
            Some(serde_json::to_string(&actual).unwrap_or_default())
        }
    };
    let grade_score = input::non_negative(input.grade_score, Field::GradeScore)?;
    let weight = store::versions::current_weight(txn, &ind).await?;
    if let (Some(score), Some(weight)) = (grade_score, weight) {
        if score > weight {
            return Err(
                Invalid::ScoreAboveWeight { indicator: ind.name.clone(), score, weight: weight.normalize() }.into()
            );
        }
    }
    let evidence = input::text(input.evidence.as_deref(), Field::Evidence, MAX_CHARS)?;
    let explanation = input::text(input.explanation.as_deref(), Field::Explanation, MAX_CHARS)?;
    let existing = store::actuals::of_indicator(txn, indicator_id).await?;
    let old = existing.as_ref();
    let now = Utc::now();
    use actual_entry::Column as C;
    let changes = Write::<actual_entry::Entity>::new()
        .field(Field::ActualText, C::ActualText, old.and_then(|e| e.actual_text.clone()), actual_text)
        .field(Field::Grade, C::Grade, old.and_then(|e| e.grade), input.grade.map(Key))
        .field(
            Field::GradeScore,
            C::GradeScore,
            old.and_then(|e| e.grade_score.map(normalized)),
            grade_score.map(Amount),
        )
        .field(Field::Evidence, C::Evidence, old.and_then(|e| e.evidence.clone()), evidence)
        .field(Field::Explanation, C::Explanation, old.and_then(|e| e.explanation.clone()), explanation)
        .set(C::ActualParsed, parsed)
        .set(C::UpdatedBy, Some(user.id))
        .set(C::UpdatedAt, now);
    let keys = vec![(C::IndicatorId, indicator_id.into()), (C::ProjectId, project.id.into())];
    let audit = Audit { user, at: now, kind: EntityKind::ActualEntry, project_id: Some(project.id), action };
    Ok(write::upsert(txn, existing, expected_version, keys, changes, audit).await?.row)
}

/// Saves the project's 年初预算数 / 全年预算数 / 全年执行数 (万元) and the execution explanation as
/// `user`; `expected_version` is the project's version the form showed.
pub async fn save_year_end_funds(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    input: &YearEndFunds,
    expected_version: i32,
) -> Result<project::Model> {
    let txn = write::begin(db).await?;
    let saved = save_year_end_funds_in(&txn, user, project_id, input, expected_version, None).await?;
    write::commit(txn, &[project_id]).await?;
    Ok(saved)
}

/// [`save_year_end_funds`] inside the caller's transaction, audited as `action` (see
/// [`save_actual_in`]).
pub async fn save_year_end_funds_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    project_id: i32,
    input: &YearEndFunds,
    expected_version: i32,
    action: Option<AuditAction>,
) -> Result<project::Model> {
    let p = access::project_for_edit(txn, user, project_id, Phase::SelfEvaluation).await?;
    let initial = input::non_negative(input.budget_initial, Field::BudgetInitial)?;
    let budget = input::non_negative(input.budget_full_year, Field::BudgetFullYear)?;
    let executed = input::non_negative(input.executed_full_year, Field::ExecutedFullYear)?;
    let explanation = input::text(input.execution_explanation.as_deref(), Field::ExecutionExplanation, MAX_CHARS)?;
    use project::Column as C;
    let changes = Write::<project::Entity>::new()
        .field(Field::BudgetInitial, C::BudgetInitial, p.budget_initial.map(normalized), initial.map(Amount))
        .field(Field::BudgetFullYear, C::BudgetFullYear, p.budget_full_year.map(normalized), budget.map(Amount))
        .field(Field::ExecutedFullYear, C::ExecutedFullYear, p.executed_full_year.map(normalized), executed.map(Amount))
        .field(Field::ExecutionExplanation, C::ExecutionExplanation, p.execution_explanation.clone(), explanation);
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Project, project_id: Some(p.id), action };
    Ok(write::upsert(txn, Some(p), expected_version, vec![], changes, audit).await?.row)
}

/// Records the finance bureau's score for one indicator, with the reason, as `user`. Allowed
/// while 绩效自评 is 财政复核中; the score must lie between 0 and the indicator's 分值.
pub async fn rescore(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    score: Decimal,
    reason: &str,
) -> Result<review_score::Model> {
    let txn = write::begin(db).await?;
    let ind = store::projects::indicator(&txn, indicator_id).await?.ok_or(Error::NotFound(EntityKind::Indicator))?;
    let status = store::phases::status(&txn, ind.project_id, Phase::SelfEvaluation).await?;
    can_rescore(&accounts::actor(user), status)?;
    let reason = validate_reason(ActionKind::Return, reason)
        .map_err(|_| Invalid::RescoreReasonRequired { max: domain::workflow::MAX_REASON_CHARS })?
        .to_owned();
    let weight = store::versions::current_weight(&txn, &ind).await?.unwrap_or_default();
    if score < Decimal::ZERO || score > weight {
        return Err(Invalid::RescoreOutOfRange { indicator: ind.name.clone(), max: weight.normalize() }.into());
    }
    let previous =
        store::actuals::reviews(&txn, ind.project_id).await?.into_iter().rev().find(|r| r.indicator_id == ind.id);
    let now = Utc::now();
    let score = Amount(score.normalize());
    let saved = review_score::ActiveModel {
        indicator_id: Set(ind.id),
        project_id: Set(ind.project_id),
        score: Set(score),
        reason: Set(reason.clone()),
        reviewer_id: Set(Some(user.id)),
        reviewer_name: Set(user.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let audit = Audit {
        user,
        at: now,
        kind: EntityKind::ReviewScore,
        project_id: Some(ind.project_id),
        action: Some(AuditAction::Create),
    };
    let previous = previous.map(|r| normalized(r.score));
    write::record_changes(
        &txn,
        &audit,
        saved.id,
        &[Change::new(Field::Score, previous.as_ref(), Some(&score)), Change::new(Field::Reason, None, Some(&reason))],
    )
    .await?;
    write::commit(txn, &[ind.project_id]).await?;
    Ok(saved)
}
