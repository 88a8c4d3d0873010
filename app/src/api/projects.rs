//! Projects and their indicators. Department users see only their own department's projects;
//! finance reviewers and administrators see all (`domain::workflow::can_read`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use leptos::prelude::*;

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
    pub statuses: Vec<StatusBadge>,
    /// 自评得分 (with 财政复核 re-scores) once any 实际完成值 is entered.
    pub score: Option<Decimal>,
    pub grade: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusBadge {
    pub phase_label: String,
    /// draft / submitted / … (colours the badge)
    pub status: String,
    pub status_label: String,
}

/// A project's header block as its 绩效目标表 shows it, with its indicators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    pub implementing_unit: Option<String>,
    pub funds_fiscal: Decimal,
    pub funds_other: Decimal,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
    pub indicators: Vec<IndicatorRow>,
    /// 流程状态 and 操作记录, loaded with the page (one resource, so hydration sees one boundary).
    pub phases: Vec<super::PhaseView>,
    pub audit: Vec<super::AuditRow>,
    /// Versions, monitoring, actuals, reviews, comments and what the user may do.
    pub cycle: super::CycleView,
}

/// One 三级指标 with its 指标值 as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
    /// 分值.
    pub weight: Option<Decimal>,
    /// ★ 核心指标.
    pub core: bool,
}

/// The projects the signed-in user may see.
#[server]
pub async fn list_projects() -> Result<Vec<ProjectSummary>, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let rows = db::queries::list_projects(&db).await.map_err(super::ssr::internal)?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| domain::workflow::can_read(&actor, r.project.department_id)) {
        let states = db::workflow::project_phases(&db, row.project.id).await.map_err(super::ssr::internal)?;
        out.push(ssr::summary(&db, row, &states, None).await.map_err(super::ssr::internal)?);
    }
    Ok(out)
}

/// `None` when there is no such project; a refusal for another department's project.
#[server]
pub async fn get_project(id: i32) -> Result<Option<ProjectDetail>, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let Some(row) = db::queries::project(&db, id).await.map_err(super::ssr::internal)? else {
        super::ssr::set_status(http::StatusCode::NOT_FOUND);
        return Ok(None);
    };
    ssr::check_read(&actor, row.project.department_id)?;
    let indicators = db::queries::indicators(&db, id).await.map_err(super::ssr::internal)?;
    let states = db::workflow::project_phases(&db, id).await.map_err(super::ssr::internal)?;
    let phases = super::workflow::ssr::views(&actor, row.project.department_id, &states);
    let audit = db::audit::for_project(&db, id).await.map_err(super::ssr::internal)?;
    let audit = audit.into_iter().map(super::workflow::ssr::audit_row).collect();
    let cycle = super::cycle::ssr::cycle(&db, &actor, &row.project, &states).await?;
    let p = row.project.clone();
    Ok(Some(ProjectDetail {
        summary: ssr::summary(&db, row, &states, Some(&cycle.evaluation)).await.map_err(super::ssr::internal)?,
        implementing_unit: p.implementing_unit,
        funds_fiscal: p.funds_fiscal.0,
        funds_other: p.funds_other.0,
        overall_goal: p.overall_goal,
        annual_goals: p.annual_goals.lines().map(str::to_owned).collect(),
        indicators: indicators.into_iter().map(ssr::indicator).collect(),
        phases,
        audit,
        cycle,
    }))
}

/// A project's indicators in table order.
#[server]
pub async fn get_indicators(project_id: i32) -> Result<Vec<IndicatorRow>, ServerFnError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    super::ssr::readable_project(&db, &actor, project_id).await?;
    let rows = db::queries::indicators(&db, project_id).await.map_err(super::ssr::internal)?;
    Ok(rows.into_iter().map(ssr::indicator).collect())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{IndicatorRow, ProjectSummary, StatusBadge};
    use db::workflow::PhaseState;
    use domain::selfeval::SelfEvaluation;
    use db::entities::indicator;
    use db::queries::ProjectRow;
    use domain::workflow::Actor;
    use leptos::prelude::*;

    /// Refuses (403) a project the actor may not read, without saying whose it is.
    pub fn check_read(actor: &Actor, department_id: i32) -> Result<(), ServerFnError> {
        if domain::workflow::can_read(actor, department_id) {
            Ok(())
        } else {
            Err(super::super::ssr::refuse(http::StatusCode::FORBIDDEN, super::super::ssr::FORBIDDEN_PROJECT))
        }
    }

    /// The list row of a project: its figures, phase statuses (`states`) and current score,
    /// from `evaluation` (the stored self-evaluation with re-scores) or loaded when not given.
    pub async fn summary(
        db: &db::DatabaseConnection,
        row: ProjectRow,
        states: &[PhaseState],
        evaluation: Option<&SelfEvaluation>,
    ) -> Result<ProjectSummary, db::DbErr> {
        let id = row.project.id;
        let statuses = states
            .iter()
            .map(|p| StatusBadge {
                phase_label: p.phase.label().to_owned(),
                status: db::workflow::status_key(p.status).to_owned(),
                status_label: p.status.label(p.phase).to_owned(),
            })
            .collect();
        let loaded = match evaluation {
            Some(_) => None,
            None => db::evaluation::self_evaluation(db, id, true).await?,
        };
        // Scored once anything of the year-end result is entered.
        let result = evaluation
            .or(loaded.as_ref())
            .filter(|e| e.indicators.iter().any(|i| i.actual.is_some() || i.grade.is_some()))
            .and_then(|e| domain::selfeval::evaluate(e).ok());
        Ok(ProjectSummary {
            id,
            name: row.project.name,
            department: row.department,
            year: row.year,
            funds_total: row.project.funds_total.0,
            indicator_count: row.indicator_count,
            statuses,
            score: result.as_ref().map(|r| r.total),
            grade: result.map(|r| r.grade),
        })
    }

    pub fn indicator(m: indicator::Model) -> IndicatorRow {
        IndicatorRow {
            id: m.id,
            level1: m.level1,
            level2: m.level2,
            name: m.name,
            target_text: m.target_text,
            weight: m.weight.map(|w| w.0.normalize()),
            core: m.core,
        }
    }
}
