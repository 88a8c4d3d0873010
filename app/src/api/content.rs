//! Writes to a project's content, one server function per form: declared indicators, mid-year
//! 调整 (propose / decide), 运行监控 entries and figures, year-end actuals and figures, 财政复核
//! re-scores and comments. Each one checks the session, then lets `db::cycle` check the rules
//! (`domain::workflow`) and the optimistic lock inside one transaction with its audit rows.
//! Numbers arrive as typed text and are read with `domain::input::number`.

use super::AppError;
use domain::vocab::{Basis, DeviationCategory, IndicatorNature, Likelihood, QualitativeGrade};
use leptos::prelude::*;

/// Saves an indicator's declaration (目标申报 草稿 / 退回).
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_indicator(
    indicator_id: i32,
    target_text: String,
    weight: Option<String>,
    direction: Option<IndicatorNature>,
    basis: Option<Basis>,
    core: Option<bool>,
    expected_version: i32,
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let edit = db::cycle::declaration::IndicatorEdit {
        target_text,
        weight: super::ssr::number(Field::Weight, weight)?,
        direction,
        basis,
        core: core.unwrap_or(false),
    };
    db::cycle::declaration::update_indicator(&db, &user, indicator_id, &edit, expected_version).await?;
    Ok(())
}

/// 复制到下一年度: copies the project (header, funds, goals, indicators) into the next fiscal year
/// as a new draft; returns the new project's id.
#[server]
pub async fn copy_project(project_id: i32) -> Result<i32, AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    Ok(db::cycle::carry_over::copy_to_next_year(&db, &user, project_id).await?)
}

/// Proposes a mid-year 调整 of one indicator's approved target (and weight), with the reason.
#[server]
pub async fn propose_adjustment(
    project_id: i32,
    indicator_id: i32,
    target_text: String,
    weight: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let change = db::cycle::adjustment::TargetChange {
        indicator_id,
        target_text,
        weight: super::ssr::number(Field::Weight, weight)?,
    };
    db::cycle::adjustment::propose(&db, &user, project_id, &[change], &reason).await?;
    Ok(())
}

/// Approves or rejects a pending 调整 (财政局 / 管理员); a rejection needs a note.
#[server]
pub async fn decide_adjustment(version_id: i32, approve: bool, note: Option<String>) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::cycle::adjustment::decide(&db, &user, version_id, approve, note.as_deref()).await?;
    Ok(())
}

/// Saves one indicator's 运行监控 entry.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_monitoring(
    indicator_id: i32,
    progress: Option<String>,
    forecast: Option<String>,
    likelihood: Option<Likelihood>,
    deviation_category: Option<DeviationCategory>,
    deviation_reason: Option<String>,
    corrective_action: Option<String>,
    expected_version: i32,
) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::cycle::monitoring::MonitoringInput {
        progress,
        forecast,
        likelihood,
        deviation_category,
        deviation_reason,
        corrective_action,
    };
    db::cycle::monitoring::save_entry(&db, &user, indicator_id, &input, expected_version).await?;
    Ok(())
}

/// Saves the project's 1–7月执行数 and 全年预计执行数 (万元).
#[server]
pub async fn save_monitoring_funds(
    project_id: i32,
    executed_jan_jul: Option<String>,
    expected_execution: Option<String>,
    expected_version: i32,
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let jan_jul = super::ssr::number(Field::ExecutedJanJul, executed_jan_jul)?;
    let expected = super::ssr::number(Field::ExpectedExecution, expected_execution)?;
    db::cycle::monitoring::save_funds(&db, &user, project_id, jan_jul, expected, expected_version).await?;
    Ok(())
}

/// Saves one indicator's year-end 实际完成值 (with grade and points for qualitative ones), 佐证
/// and 偏差原因分析及改进措施.
#[server]
#[allow(clippy::too_many_arguments)]
pub async fn save_actual(
    indicator_id: i32,
    actual_text: Option<String>,
    grade: Option<QualitativeGrade>,
    grade_score: Option<String>,
    evidence: Option<String>,
    explanation: Option<String>,
    expected_version: i32,
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::cycle::evaluation::ActualInput {
        actual_text,
        grade,
        grade_score: super::ssr::number(Field::GradeScore, grade_score)?,
        evidence,
        explanation,
    };
    db::cycle::evaluation::save_actual(&db, &user, indicator_id, &input, expected_version).await?;
    Ok(())
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
) -> Result<(), AppError> {
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let input = db::cycle::evaluation::YearEndFunds {
        budget_initial: super::ssr::number(Field::BudgetInitial, budget_initial)?,
        budget_full_year: super::ssr::number(Field::BudgetFullYear, budget_full_year)?,
        executed_full_year: super::ssr::number(Field::ExecutedFullYear, executed_full_year)?,
        execution_explanation,
    };
    db::cycle::evaluation::save_year_end_funds(&db, &user, project_id, &input, expected_version).await?;
    Ok(())
}

/// 财政复核: the reviewer's score of one indicator, with the reason.
#[server]
pub async fn rescore(indicator_id: i32, score: String, reason: String) -> Result<(), AppError> {
    use domain::input::Invalid;
    use domain::vocab::Field;
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let score = super::ssr::number(Field::Score, Some(score))?
        .ok_or(AppError::Invalid(Invalid::Required { field: Field::Score }))?;
    db::cycle::evaluation::rescore(&db, &user, indicator_id, score, &reason).await?;
    Ok(())
}

/// Adds a comment to an indicator.
#[server]
pub async fn add_comment(indicator_id: i32, body: String) -> Result<(), AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    db::cycle::comments::add(&db, &user, indicator_id, &body).await?;
    Ok(())
}
