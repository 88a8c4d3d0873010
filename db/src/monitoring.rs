//! 运行监控: each indicator's mid-year progress, and the project's 1–7月 budget execution.
//! Editable while the 运行监控 phase is 填报中 or 退回 (and the targets are approved).

use crate::audit::{action, entity};
use crate::edit::{self, dec_text, Change};
use crate::entities::{indicator, monitoring_entry, project, user};
use crate::queries::UpdateError;
use crate::Amount;
use chrono::Utc;
use domain::workflow::{monitoring_check, Likelihood, MonitoringRow, Phase, SubmitCheck, DEVIATION_CATEGORIES};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionTrait,
};

/// The longest text in a monitoring field.
pub const MAX_CHARS: usize = 500;

/// One indicator's monitoring entry as the form sends it (texts as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonitoringInput {
    pub progress: Option<String>,
    pub forecast: Option<String>,
    /// A [`Likelihood`] key or label.
    pub likelihood: Option<String>,
    pub deviation_category: Option<String>,
    pub deviation_reason: Option<String>,
    pub corrective_action: Option<String>,
}

/// A project's monitoring entries.
pub async fn entries(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<monitoring_entry::Model>, DbErr> {
    monitoring_entry::Entity::find().filter(monitoring_entry::Column::ProjectId.eq(project_id)).all(conn).await
}

/// What submitting 运行监控 requires of the stored entries.
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck, DbErr> {
    let indicators = crate::queries::indicators_in(conn, project_id).await?;
    let entries = entries(conn, project_id).await?;
    let rows: Vec<MonitoringRow> = indicators
        .iter()
        .map(|ind| {
            let e = entries.iter().find(|e| e.indicator_id == ind.id);
            MonitoringRow {
                name: ind.name.clone(),
                progress: e.and_then(|e| e.progress.clone()),
                likelihood: e.and_then(|e| e.likelihood.as_deref()).and_then(Likelihood::parse),
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
) -> Result<monitoring_entry::Model, UpdateError> {
    let txn = db.begin().await?;
    let ind = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let project = edit::project_for_edit(&txn, user, ind.project_id, Phase::Monitoring).await?;
    let progress = edit::text(input.progress.as_deref(), "1–7月执行情况", MAX_CHARS)?;
    let forecast = edit::text(input.forecast.as_deref(), "全年预计完成情况", MAX_CHARS)?;
    let likelihood = match edit::text(input.likelihood.as_deref(), "完成目标可能性", 16)? {
        None => None,
        Some(l) => Some(
            Likelihood::parse(&l)
                .ok_or_else(|| UpdateError::Invalid(format!("完成目标可能性“{l}”无法识别（应为 确定能、有可能 或 完全不可能）")))?
                .key()
                .to_owned(),
        ),
    };
    let category = edit::text(input.deviation_category.as_deref(), "偏差原因类别", 16)?;
    if let Some(c) = category.as_deref().filter(|c| !DEVIATION_CATEGORIES.contains(c)) {
        return Err(UpdateError::Invalid(format!("偏差原因类别“{c}”无法识别（应为 {}）", DEVIATION_CATEGORIES.join("、"))));
    }
    let reason = edit::text(input.deviation_reason.as_deref(), "偏差原因", MAX_CHARS)?;
    let corrective = edit::text(input.corrective_action.as_deref(), "纠偏措施", MAX_CHARS)?;

    let now = Utc::now();
    let existing = monitoring_entry::Entity::find()
        .filter(monitoring_entry::Column::IndicatorId.eq(indicator_id))
        .one(&txn)
        .await?;
    let old_version = existing.as_ref().map_or(0, |e| e.version);
    if old_version != expected_version {
        return Err(UpdateError::Conflict);
    }
    let old = |f: fn(&monitoring_entry::Model) -> Option<String>| existing.as_ref().and_then(f);
    let changes: Vec<Change> = vec![
        ("progress", old(|e| e.progress.clone()), progress.clone()),
        ("forecast", old(|e| e.forecast.clone()), forecast.clone()),
        ("likelihood", old(|e| e.likelihood.clone()), likelihood.clone()),
        ("deviation_category", old(|e| e.deviation_category.clone()), category.clone()),
        ("deviation_reason", old(|e| e.deviation_reason.clone()), reason.clone()),
        ("corrective_action", old(|e| e.corrective_action.clone()), corrective.clone()),
    ];
    if existing.is_some() && changes.iter().all(|(_, a, b)| a == b) {
        txn.commit().await?;
        return existing.ok_or(UpdateError::NotFound);
    }
    let id = match &existing {
        Some(e) => {
            let updated = monitoring_entry::Entity::update_many()
                .col_expr(monitoring_entry::Column::Progress, Expr::value(progress))
                .col_expr(monitoring_entry::Column::Forecast, Expr::value(forecast))
                .col_expr(monitoring_entry::Column::Likelihood, Expr::value(likelihood))
                .col_expr(monitoring_entry::Column::DeviationCategory, Expr::value(category))
                .col_expr(monitoring_entry::Column::DeviationReason, Expr::value(reason))
                .col_expr(monitoring_entry::Column::CorrectiveAction, Expr::value(corrective))
                .col_expr(monitoring_entry::Column::UpdatedBy, Expr::value(Some(user.id)))
                .col_expr(monitoring_entry::Column::UpdatedAt, Expr::value(now))
                .col_expr(monitoring_entry::Column::Version, Expr::col(monitoring_entry::Column::Version).add(1))
                .filter(monitoring_entry::Column::Id.eq(e.id))
                .filter(monitoring_entry::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(UpdateError::Conflict);
            }
            e.id
        }
        None => {
            let inserted = monitoring_entry::ActiveModel {
                indicator_id: Set(indicator_id),
                project_id: Set(project.id),
                progress: Set(progress),
                forecast: Set(forecast),
                likelihood: Set(likelihood),
                deviation_category: Set(category),
                deviation_reason: Set(reason),
                corrective_action: Set(corrective),
                updated_by: Set(Some(user.id)),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(UpdateError::Conflict)
                }
                other => other?.id,
            }
        }
    };
    let kind = if existing.is_some() { action::UPDATE } else { action::CREATE };
    let base = edit::entry(user, now, kind, entity::MONITORING_ENTRY, id, project.id);
    edit::record_changes(&txn, &base, changes).await?;
    let saved = monitoring_entry::Entity::find_by_id(id).one(&txn).await?.ok_or(UpdateError::Conflict)?;
    txn.commit().await?;
    Ok(saved)
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
) -> Result<project::Model, UpdateError> {
    let txn = db.begin().await?;
    let p = edit::project_for_edit(&txn, user, project_id, Phase::Monitoring).await?;
    let jan_jul = edit::non_negative(executed_jan_jul, "1–7月执行数")?;
    let expected = edit::non_negative(expected_execution, "全年预计执行数")?;
    let changes: Vec<Change> = vec![
        ("executed_jan_jul", dec_text(p.executed_jan_jul.map(|a| a.0)), dec_text(jan_jul)),
        ("expected_execution", dec_text(p.expected_execution.map(|a| a.0)), dec_text(expected)),
    ];
    let saved = crate::evaluation::update_project_figures(
        &txn,
        &p,
        expected_version,
        vec![
            (project::Column::ExecutedJanJul, Expr::value(jan_jul.map(Amount))),
            (project::Column::ExpectedExecution, Expr::value(expected.map(Amount))),
        ],
    )
    .await?;
    let base = edit::entry(user, Utc::now(), action::UPDATE, entity::PROJECT, p.id, p.id);
    edit::record_changes(&txn, &base, changes).await?;
    txn.commit().await?;
    Ok(saved)
}
