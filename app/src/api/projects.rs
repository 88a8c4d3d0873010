//! Projects: the list and one project's page. Department users see only their own department's
//! projects; finance reviewers and administrators see all (`domain::workflow::can_read`).

use super::AppError;
use domain::listing::{ListQuery, Listed, Selection, UnitOption};
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
    /// 预算执行率 (%) once the year-end funds are entered.
    pub execution_rate: Option<Decimal>,
    /// 自评得分 (with 财政复核 re-scores) once any 实际完成值 is entered.
    pub score: Option<Decimal>,
    pub grade: Option<Grade>,
}

impl Listed for ProjectSummary {
    fn year(&self) -> i32 {
        self.year
    }
    fn department(&self) -> &str {
        &self.department
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn funds(&self) -> Decimal {
        self.funds_total
    }
    fn indicators(&self) -> u64 {
        self.indicator_count
    }
    fn status(&self, phase: Phase) -> Option<Status> {
        self.statuses.iter().find(|(p, _)| *p == phase).map(|(_, s)| *s)
    }
    fn execution_rate(&self) -> Option<Decimal> {
        self.execution_rate
    }
    fn score(&self) -> Option<Decimal> {
        self.score
    }
    fn grade(&self) -> Option<Grade> {
        self.grade
    }
}

/// One page of the project list with what its filter form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectPage {
    pub selection: Selection<ProjectSummary>,
    /// The years of the projects the user may see, for the filter form, and their departments
    /// as a tree (each 主管部门 above its 预算单位; a department user gets their own only).
    pub years: Vec<i32>,
    pub departments: Vec<UnitOption>,
    /// A department user's 待办 (their home page), of the year filtered on or the newest.
    pub todo: Option<super::TodoView>,
    /// Whether the user may create projects (新建项目): department users and administrators.
    pub can_create: bool,
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

/// The projects the signed-in user may see, filtered, sorted and paged by `query` (the page's
/// URL). Scores are the stored ones (`db::scores`), not recomputed per request.
#[server]
pub async fn list_projects(#[server(default)] query: ListQuery) -> Result<ProjectPage, AppError> {
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
    let scores = db::scores::of_projects(&db, &projects).await?;
    let (years, _) = super::todo::ssr::pick_year(&rows, query.year);
    let todo = if actor.role == domain::vocab::Role::Department {
        let today = super::ssr::beijing_today();
        Some(super::todo::ssr::of_rows(&db, &rows, &phases, query.year, today).await?)
    } else {
        None
    };
    let units: Vec<domain::listing::Unit> = db::store::directory::departments(&db)
        .await?
        .into_iter()
        .map(|d| domain::listing::Unit { id: d.id, name: d.name, parent_id: d.parent_id })
        .collect();
    let visible: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.department.as_str()).collect();
    let departments = if actor.role == domain::vocab::Role::Department {
        visible.iter().map(|name| UnitOption { name: (*name).to_owned(), depth: 0 }).collect()
    } else {
        domain::listing::tree_order(&units, |u| visible.contains(u.name.as_str()))
    };
    let summaries: Vec<ProjectSummary> = rows
        .into_iter()
        .map(|row| {
            let id = row.project.id;
            ssr::summary(row, &phases.remove(&id).unwrap_or_default(), scores.get(&id))
        })
        .collect();
    Ok(ProjectPage {
        selection: domain::listing::select_within(summaries, &query, &units),
        years,
        departments,
        todo,
        can_create: domain::workflow::may_create_project(&actor).is_ok(),
    })
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
        summary: ssr::summary(row, &states, Some(&db::scores::Stored::of(&cycle.evaluation))),
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
    use db::scores::Stored;
    use db::store::phases::PhaseState;
    use db::store::projects::ProjectRow;

    /// The list row of a project: its figures, phase statuses (`states`) and current score (the
    /// stored one, with re-scores), shown once anything of the year-end result is entered.
    pub fn summary(row: ProjectRow, states: &[PhaseState], score: Option<&Stored>) -> ProjectSummary {
        let result = score.filter(|s| s.has_results);
        ProjectSummary {
            id: row.project.id,
            name: row.project.name,
            department: row.department,
            year: row.year,
            funds_total: row.project.funds_total.0,
            indicator_count: row.indicator_count,
            statuses: states.iter().map(|p| (p.phase, p.status)).collect(),
            execution_rate: score.and_then(|s| s.execution_rate),
            score: result.map(|r| r.total),
            grade: result.and_then(|r| r.grade),
        }
    }
}
