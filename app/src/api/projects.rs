//! Projects: the list and one project's page. Department users see only their own department's
//! projects; finance reviewers and administrators see all (`domain::workflow::can_read`).

use super::AppError;
use domain::vocab::{Grade, Phase, Status};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A project as listed on the project list page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: i32,
    pub name: String,
    pub department: String,
    pub year: i32,
    /// 年度资金总额（万元）
    pub funds_total: Decimal,
    pub indicator_count: u64,
    /// 目标申报 / 运行监控 / 绩效自评 status, in cycle order.
    pub statuses: Vec<(Phase, Status)>,
    /// 自评得分 (with 财政复核 re-scores) once any 实际完成值 is entered.
    pub score: Option<Decimal>,
    pub grade: Option<Grade>,
}

/// A project's header block as its 绩效目标表 shows it, with everything its page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    pub implementing_unit: Option<String>,
    pub funds_fiscal: Decimal,
    pub funds_other: Decimal,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
    /// 流程状态 and 操作记录, loaded with the page (one resource, so hydration sees one boundary).
    pub phases: Vec<super::PhaseView>,
    pub audit: super::AuditPage,
    /// Indicators, versions, monitoring, actuals, reviews, comments and what the user may do.
    pub cycle: super::CycleView,
    /// The charts against targets (drawn on the server).
    pub charts: Vec<super::ChartView>,
}

/// The projects the signed-in user may see.
#[server]
pub async fn list_projects() -> Result<Vec<ProjectSummary>, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let rows: Vec<_> = db::store::projects::list(&db)
        .await?
        .into_iter()
        .filter(|r| domain::workflow::can_read(&actor, r.project.department_id))
        .collect();
    let ids: Vec<i32> = rows.iter().map(|r| r.project.id).collect();
    let mut phases = db::store::phases::of_projects(&db, &ids).await?;
    let projects: Vec<_> = rows.iter().map(|r| r.project.clone()).collect();
    let evaluations = db::cycle::evaluation::self_evaluations(&db, &projects, true).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.project.id;
            ssr::summary(row, &phases.remove(&id).unwrap_or_default(), evaluations.get(&id))
        })
        .collect())
}

/// `None` when there is no such project; a refusal for another department's project.
#[server]
pub async fn get_project(id: i32) -> Result<Option<ProjectDetail>, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let Some(row) = db::store::projects::one(&db, id).await? else {
        super::ssr::set_status(http::StatusCode::NOT_FOUND);
        return Ok(None);
    };
    super::ssr::check_read(&actor, row.project.department_id)?;
    let states = db::store::phases::of_project(&db, id).await?;
    let phases = super::workflow::ssr::views(&actor, row.project.department_id, &states);
    let audit = super::workflow::ssr::audit_page(&db, id).await?;
    let cycle = super::cycle::ssr::cycle(&db, &actor, &row.project, &states).await?;
    // A chart that cannot be drawn (e.g. no CJK font installed) must not take the page down.
    let charts = super::charts::ssr::project(&db, &actor, id).await.unwrap_or_else(|e| {
        leptos::logging::error!("project {id}: charts not drawn: {e}");
        Vec::new()
    });
    let p = row.project.clone();
    Ok(Some(ProjectDetail {
        summary: ssr::summary(row, &states, Some(&cycle.evaluation)),
        implementing_unit: p.implementing_unit,
        funds_fiscal: p.funds_fiscal.0,
        funds_other: p.funds_other.0,
        overall_goal: p.overall_goal,
        annual_goals: p.annual_goals.lines().map(str::to_owned).collect(),
        phases,
        audit,
        cycle,
        charts,
    }))
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::ProjectSummary;
    use db::store::phases::PhaseState;
    use db::store::projects::ProjectRow;
    use domain::selfeval::SelfEvaluation;

    /// The list row of a project: its figures, phase statuses (`states`) and current score,
    /// computed from `evaluation` (the stored self-evaluation with re-scores).
    pub fn summary(row: ProjectRow, states: &[PhaseState], evaluation: Option<&SelfEvaluation>) -> ProjectSummary {
        // Scored once anything of the year-end result is entered.
        let result = evaluation
            .filter(|e| e.indicators.iter().any(|i| i.actual.is_some() || i.grade.is_some()))
            .map(domain::selfeval::evaluate);
        ProjectSummary {
            id: row.project.id,
            name: row.project.name,
            department: row.department,
            year: row.year,
            funds_total: row.project.funds_total.0,
            indicator_count: row.indicator_count,
            statuses: states.iter().map(|p| (p.phase, p.status)).collect(),
            score: result.as_ref().map(|r| r.total),
            grade: result.and_then(|r| r.grade),
        }
    }
}
