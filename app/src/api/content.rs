//! Writes to a project's content, one server function per form: declared indicators, mid-year
//! 调整 (propose / decide), 运行监控 entries and figures, year-end actuals and figures, 财政复核
//! re-scores and comments. Each one checks the session, then lets `db` check the rules
//! (`domain::workflow`) and the optimistic lock inside one transaction with its audit rows.
//! Numbers arrive as typed text and are read with `domain::money::parse_input`.

use leptos::prelude::*;

/// Saves an indicator's declaration (目标申报 草稿 / 退回).
#[server]
pub async fn save_indicator(
    indicator_id: i32,
    target_text: String,
    weight: Option<String>,
    direction: Option<String>,
    basis: Option<String>,
    core: Option<bool>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    use super::ssr::{number, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let edit = db::queries::IndicatorEdit {
        target_text,
        weight: number("分值", weight)?,
        direction,
        basis,
        core: core.unwrap_or(false),
    };
    db::queries::update_indicator(&db, &user, indicator_id, &edit, expected_version).await.map(|_| ()).map_err(update_error)
}

/// Proposes a mid-year 调整 of one indicator's approved target (and weight), with the reason.
#[server]
pub async fn propose_adjustment(
    project_id: i32,
    indicator_id: i32,
    target_text: String,
    weight: Option<String>,
    reason: String,
) -> Result<(), ServerFnError> {
    use super::ssr::{number, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let change = db::versions::TargetChange { indicator_id, target_text, weight: number("分值", weight)? };
    db::versions::propose_adjustment(&db, &user, project_id, &[change], &reason).await.map(|_| ()).map_err(update_error)
}

/// Approves or rejects a pending 调整 (财政局 / 管理员); a rejection needs a note.
#[server]
pub async fn decide_adjustment(version_id: i32, approve: bool, note: Option<String>) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::versions::decide_adjustment(&db, &user, version_id, approve, note.as_deref())
        .await
        .map(|_| ())
        .map_err(super::ssr::update_error)
}

/// Saves one indicator's 运行监控 entry.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_monitoring(
    indicator_id: i32,
    progress: Option<String>,
    forecast: Option<String>,
    likelihood: Option<String>,
    deviation_category: Option<String>,
    deviation_reason: Option<String>,
    corrective_action: Option<String>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::monitoring::MonitoringInput {
        progress,
        forecast,
        likelihood,
        deviation_category,
        deviation_reason,
        corrective_action,
    };
    db::monitoring::save_entry(&db, &user, indicator_id, &input, expected_version)
        .await
        .map(|_| ())
        .map_err(super::ssr::update_error)
}

/// Saves the project's 1–7月执行数 and 全年预计执行数 (万元).
#[server]
pub async fn save_monitoring_funds(
    project_id: i32,
    executed_jan_jul: Option<String>,
    expected_execution: Option<String>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    use super::ssr::{number, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let jan_jul = number("1–7月执行数", executed_jan_jul)?;
    let expected = number("全年预计执行数", expected_execution)?;
    db::monitoring::save_funds(&db, &user, project_id, jan_jul, expected, expected_version)
        .await
        .map(|_| ())
        .map_err(update_error)
}

/// Saves one indicator's year-end 实际完成值 (with grade and points for qualitative ones), 佐证
/// and 偏差原因分析及改进措施.
#[server]
pub async fn save_actual(
    indicator_id: i32,
    actual_text: Option<String>,
    grade: Option<String>,
    grade_score: Option<String>,
    evidence: Option<String>,
    explanation: Option<String>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    use super::ssr::{number, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::evaluation::ActualInput {
        actual_text,
        grade,
        grade_score: number("得分", grade_score)?,
        evidence,
        explanation,
    };
    db::evaluation::save_actual(&db, &user, indicator_id, &input, expected_version).await.map(|_| ()).map_err(update_error)
}

/// Saves the project's 年初预算数 / 全年预算数 / 全年执行数 (万元) and the execution explanation.
#[server]
pub async fn save_year_end_funds(
    project_id: i32,
    budget_initial: Option<String>,
    budget_full_year: Option<String>,
    executed_full_year: Option<String>,
    execution_explanation: Option<String>,
    expected_version: i32,
) -> Result<(), ServerFnError> {
    use super::ssr::{number, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::evaluation::YearEndFunds {
        budget_initial: number("年初预算数", budget_initial)?,
        budget_full_year: number("全年预算数", budget_full_year)?,
        executed_full_year: number("全年执行数", executed_full_year)?,
        execution_explanation,
    };
    db::evaluation::save_year_end_funds(&db, &user, project_id, &input, expected_version)
        .await
        .map(|_| ())
        .map_err(update_error)
}

/// 财政复核: the reviewer's score of one indicator, with the reason.
#[server]
pub async fn rescore(indicator_id: i32, score: String, reason: String) -> Result<(), ServerFnError> {
    use super::ssr::{number, refuse, update_error};
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let Some(score) = number("复核得分", Some(score))? else {
        return Err(refuse(http::StatusCode::UNPROCESSABLE_ENTITY, "请填写复核得分"));
    };
    db::evaluation::rescore(&db, &user, indicator_id, score, &reason).await.map(|_| ()).map_err(update_error)
}

/// Adds a comment to an indicator.
#[server]
pub async fn add_comment(indicator_id: i32, body: String) -> Result<(), ServerFnError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::comments::add(&db, &user, indicator_id, &body).await.map(|_| ()).map_err(super::ssr::update_error)
}
