//! 运行监控: each indicator's mid-year progress and the project's 1–7月 budget execution,
//! editable while the phase is 填报中 or 退回 (and the targets are approved); what submitting
//! requires.

use super::access;
use crate::entities::{monitoring_entry, project, user};
use crate::error::Result;
use crate::store;
use crate::write::{self, Audit, Write};
use crate::{Amount, Key};
use chrono::Utc;
use domain::input;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{monitoring_check, MonitoringRow, Phase, SubmitCheck};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};

/// The longest text in a monitoring field.
pub const MAX_CHARS: usize = 500;

/// One indicator's monitoring entry as the form (or a spreadsheet row) gives it.
pub use domain::upload::MonitoringValues as MonitoringInput;

/// What submitting 运行监控 requires of the stored entries.
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck> {
    let indicators = store::projects::indicators(conn, project_id).await?;
    let entries = store::monitoring::of_project(conn, project_id).await?;
    let rows: Vec<MonitoringRow> = indicators
        .iter()
        .map(|ind| {
            let e = entries.iter().find(|e| e.indicator_id == ind.id);
            MonitoringRow {
                name: ind.name.clone(),
                progress: e.and_then(|e| e.progress.clone()),
                likelihood: e.and_then(|e| e.likelihood).map(|l| l.0),
                deviation_reason: e.and_then(|e| e.deviation_reason.clone()),
                corrective_action: e.and_then(|e| e.corrective_action.clone()),
            }
        })
        .collect();
    Ok(monitoring_check(&rows))
}

/// Saves one indicator's monitoring entry as `user`. `expected_version` is the entry's version
/// the form showed (0 for an entry never saved).
pub async fn save_entry(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    input: &MonitoringInput,
    expected_version: i32,
) -> Result<monitoring_entry::Model> {
    let txn = write::begin(db).await?;
    let saved = save_entry_in(&txn, user, indicator_id, input, expected_version, None).await?;
    write::commit(txn, &[saved.project_id]).await?;
    Ok(saved)
}

/// [`save_entry`] inside the caller's transaction (a spreadsheet import applies many rows in
/// one, auditing them as `Some(AuditAction::Import)`; `None` = 新建 / 修改).
pub async fn save_entry_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    indicator_id: i32,
    input: &MonitoringInput,
    expected_version: i32,
    action: Option<AuditAction>,
) -> Result<monitoring_entry::Model> {
    let (_, project) = access::indicator_for_edit(txn, user, indicator_id, Phase::Monitoring).await?;
    let progress = input::text(input.progress.as_deref(), Field::Progress, MAX_CHARS)?;
    let forecast = input::text(input.forecast.as_deref(), Field::Forecast, MAX_CHARS)?;
    let reason = input::text(input.deviation_reason.as_deref(), Field::DeviationReason, MAX_CHARS)?;
    let corrective = input::text(input.corrective_action.as_deref(), Field::CorrectiveAction, MAX_CHARS)?;
    let existing = store::monitoring::of_indicator(txn, indicator_id).await?;
    let old = existing.as_ref();
    use monitoring_entry::Column as C;
    let now = Utc::now();
    let changes = Write::<monitoring_entry::Entity>::new()
        .field(Field::Progress, C::Progress, old.and_then(|e| e.progress.clone()), progress)
        .field(Field::Forecast, C::Forecast, old.and_then(|e| e.forecast.clone()), forecast)
        .field(Field::Likelihood, C::Likelihood, old.and_then(|e| e.likelihood), input.likelihood.map(Key))
        .field(
            Field::DeviationCategory,
            C::DeviationCategory,
            old.and_then(|e| e.deviation_category),
            input.deviation_category.map(Key),
        )
        .field(Field::DeviationReason, C::DeviationReason, old.and_then(|e| e.deviation_reason.clone()), reason)
        .field(Field::CorrectiveAction, C::CorrectiveAction, old.and_then(|e| e.corrective_action.clone()), corrective)
        .set(C::UpdatedBy, Some(user.id))
        .set(C::UpdatedAt, now);
    let keys = vec![(C::IndicatorId, indicator_id.into()), (C::ProjectId, project.id.into())];
    let audit = Audit { user, at: now, kind: EntityKind::MonitoringEntry, project_id: Some(project.id), action };
    Ok(write::upsert(txn, existing, expected_version, keys, changes, audit).await?.row)
}

/// Saves the project's 1–7月执行数 and 全年预计执行数 (万元) as `user`; `expected_version` is
/// the project's version the form showed.
pub async fn save_funds(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    executed_jan_jul: Option<Decimal>,
    expected_execution: Option<Decimal>,
    expected_version: i32,
) -> Result<project::Model> {
    let txn = write::begin(db).await?;
    let saved =
        save_funds_in(&txn, user, project_id, executed_jan_jul, expected_execution, expected_version, None).await?;
    write::commit(txn, &[saved.id]).await?;
    Ok(saved)
}

/// [`save_funds`] inside the caller's transaction, audited as `action`.
pub async fn save_funds_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    project_id: i32,
    executed_jan_jul: Option<Decimal>,
    expected_execution: Option<Decimal>,
    expected_version: i32,
    action: Option<AuditAction>,
) -> Result<project::Model> {
    let p = access::project_for_edit(txn, user, project_id, Phase::Monitoring).await?;
    let jan_jul = input::non_negative(executed_jan_jul, Field::ExecutedJanJul)?;
    let expected = input::non_negative(expected_execution, Field::ExpectedExecution)?;
    use project::Column as C;
    let changes = Write::<project::Entity>::new()
        .field(Field::ExecutedJanJul, C::ExecutedJanJul, p.executed_jan_jul.map(normalized), jan_jul.map(Amount))
        .field(
            Field::ExpectedExecution,
            C::ExpectedExecution,
            p.expected_execution.map(normalized),
            expected.map(Amount),
        );
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Project, project_id: Some(p.id), action };
    Ok(write::upsert(txn, Some(p), expected_version, vec![], changes, audit).await?.row)
}

/// An amount as compared and audited: normalised (2.50 and 2.5 are the same).
pub(crate) fn normalized(a: Amount) -> Amount {
    Amount(a.0.normalize())
}
