//! The report model: what every chart and every export shows, read from the database in a fixed
//! number of queries and scored once (with the finance bureau's re-scores) by the same `domain`
//! code the pages use. The exports and charts only format it.

use db::entities::{department, project};
use db::store;
use db::{Error, Result};
use domain::scoring::{EvaluationResult, Measure};
use domain::selfeval::{self, SelfEvaluation};
use domain::vocab::{EntityKind, Grade};
use domain::workflow::{can_read, ActionKind, Actor, Denial, Phase, Refusal, Role, Status};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// One project's self-evaluation report.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectReport {
    pub header: ProjectHeader,
    /// 年初预算数 (万元).
    pub budget_initial: Option<Decimal>,
    /// 执行偏差原因.
    pub execution_explanation: Option<String>,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
    pub indicators: Vec<IndicatorLine>,
    /// Scored with the finance bureau's re-scores in place of the department's own.
    pub result: EvaluationResult,
    pub comments: Vec<CommentLine>,
    /// The project's total in each year it exists under this name in this department (oldest
    /// first, this year included).
    pub history: Vec<(i32, Decimal)>,
}

/// What a project is, with its funds, statuses and score: the row of a 汇总表.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectHeader {
    pub id: i32,
    pub name: String,
    pub department_id: i32,
    pub department: String,
    pub implementing_unit: String,
    pub year: i32,
    /// 年度资金总额 / 其中：财政拨款 / 其他资金 (万元).
    pub funds_total: Decimal,
    pub funds_fiscal: Decimal,
    pub funds_other: Decimal,
    /// 全年预算数 and 全年执行数 (万元).
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    /// 预算执行率, percent with 2 decimals.
    pub execution_rate: Option<Decimal>,
    pub total: Decimal,
    pub grade: Option<Grade>,
    /// 目标申报, 运行监控, 绩效自评, in that order.
    pub statuses: Vec<(Phase, Status)>,
}

/// One 三级指标 with its target, actual and score.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorLine {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 年度指标值 as written.
    pub target: String,
    /// 实际完成值 as written.
    pub actual: Option<String>,
    pub weight: Decimal,
    /// The score counted: the finance bureau's where it re-scored, else the department's.
    pub score: Decimal,
    /// The department's own score where the finance bureau changed it.
    pub self_score: Option<Decimal>,
    /// 复核意见 with the reviewer.
    pub review: Option<(String, String)>,
    pub explanation: Option<String>,
    /// What was measured, normalised to one unit (for the charts).
    pub measure: Measure,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentLine {
    pub indicator: String,
    pub author: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub body: String,
}

/// What a 汇总表 covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Department { department_id: i32, year: i32 },
    County { year: i32 },
}

/// A department's or the county's projects of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub year: i32,
    /// "某某局" or "全县".
    pub title: String,
    pub departments: Vec<DepartmentBlock>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DepartmentBlock {
    pub id: i32,
    pub name: String,
    pub projects: Vec<ProjectHeader>,
    /// Average total per year where earlier years exist (oldest first, this year included).
    pub history: Vec<(i32, Decimal)>,
}

impl ProjectHeader {
    /// 实施单位, or the department where none is recorded.
    pub fn unit_or_department(&self) -> &str {
        if self.implementing_unit.is_empty() {
            &self.department
        } else {
            &self.implementing_unit
        }
    }
}

impl DepartmentBlock {
    /// The average total score (2 decimals), `None` without projects.
    pub fn average_score(&self) -> Option<Decimal> {
        average(self.projects.iter().map(|p| p.total))
    }

    /// 预算执行率 over the department's funds: Σ执行数 / Σ预算数, percent with 2 decimals.
    pub fn execution_rate(&self) -> Option<Decimal> {
        rate(&self.projects)
    }

    pub fn budget(&self) -> Decimal {
        self.projects.iter().filter_map(|p| p.budget).sum()
    }

    pub fn executed(&self) -> Decimal {
        self.projects.iter().filter_map(|p| p.executed).sum()
    }
}

impl Summary {
    pub fn projects(&self) -> impl Iterator<Item = &ProjectHeader> {
        self.departments.iter().flat_map(|d| d.projects.iter())
    }

    /// How many projects have each grade (优, 良, 中, 差), and how many have none yet.
    pub fn grade_counts(&self) -> (Vec<(Grade, usize)>, usize) {
        let counts = Grade::ALL.iter().map(|&g| (g, self.projects().filter(|p| p.grade == Some(g)).count())).collect();
        (counts, self.projects().filter(|p| p.grade.is_none()).count())
    }

    pub fn average_score(&self) -> Option<Decimal> {
        average(self.projects().map(|p| p.total))
    }

    pub fn execution_rate(&self) -> Option<Decimal> {
        let all: Vec<ProjectHeader> = self.projects().cloned().collect();
        rate(&all)
    }
}

fn average(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    let (sum, n) = values.fold((Decimal::ZERO, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| (sum / Decimal::from(n)).round_dp(2))
}

fn rate(projects: &[ProjectHeader]) -> Option<Decimal> {
    let budget: Decimal = projects.iter().filter_map(|p| p.budget).sum();
    let executed: Decimal = projects.iter().filter_map(|p| p.executed).sum();
    (budget > Decimal::ZERO).then(|| (executed / budget * Decimal::ONE_HUNDRED).round_dp(2))
}

fn refused() -> Error {
    Refusal::Forbidden { phase: Phase::SelfEvaluation, action: ActionKind::Edit, denial: Denial::OtherDepartment }
        .into()
}

/// The report of project `id` as `actor` may read it: another department's project is refused.
pub async fn project_report(conn: &impl ConnectionTrait, actor: &Actor, id: i32) -> Result<ProjectReport> {
    let p = project::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
    if !can_read(actor, p.department_id) {
        return Err(refused());
    }
    let names = Names::load(conn).await?;
    // The same project in other years: same department, same name.
    let siblings = project::Entity::find()
        .filter(project::Column::DepartmentId.eq(p.department_id))
        .filter(project::Column::Name.eq(p.name.clone()))
        .all(conn)
        .await?;
    let mut evaluations = db::cycle::evaluation::self_evaluations(conn, &siblings, true).await?;
    let mut history: Vec<(i32, Decimal)> = siblings
        .iter()
        .filter(|s| s.id != p.id)
        .filter_map(|s| {
            let year = names.year(s.fiscal_year_id);
            evaluations.get(&s.id).map(|e| (year, selfeval::evaluate(e).total))
        })
        .collect();
    let input = evaluations.remove(&p.id).ok_or(Error::NotFound(EntityKind::Project))?;
    let phases = store::phases::of_project(conn, p.id).await?;
    let statuses = phases.iter().map(|s| (s.phase, s.status)).collect();
    let indicators_by_id: HashMap<i32, String> =
        store::projects::indicators(conn, p.id).await?.into_iter().map(|i| (i.id, i.name)).collect();
    let comments = store::comments::of_project(conn, p.id)
        .await?
        .into_iter()
        .map(|c| CommentLine {
            indicator: indicators_by_id.get(&c.indicator_id).cloned().unwrap_or_default(),
            author: c.author_name,
            at: c.created_at,
            body: c.body,
        })
        .collect();
    let (header, indicators, result) = scored(&p, &names, statuses, &input);
    history.push((header.year, result.total));
    history.sort();
    Ok(ProjectReport {
        header,
        budget_initial: p.budget_initial.map(|a| a.0.normalize()),
        execution_explanation: p.execution_explanation.clone(),
        overall_goal: p.overall_goal.clone(),
        annual_goals: p.annual_goals.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        indicators,
        result,
        comments,
        history,
    })
}

/// The 汇总表 of `scope` as `actor` may read it: a department user gets their own department
/// only; the county is for the finance bureau and administrators.
pub async fn summary(conn: &impl ConnectionTrait, actor: &Actor, scope: Scope) -> Result<Summary> {
    let year = match scope {
        Scope::Department { year, .. } | Scope::County { year } => year,
    };
    let names = Names::load(conn).await?;
    let fy = store::directory::fiscal_year_by_year(conn, year).await?.ok_or(Error::NotFound(EntityKind::FiscalYear))?;
    let (title, departments): (String, Vec<&department::Model>) = match scope {
        Scope::Department { department_id, .. } => {
            let d = names
                .departments
                .iter()
                .find(|d| d.id == department_id)
                .ok_or(Error::NotFound(EntityKind::Department))?;
            if !can_read(actor, d.id) {
                return Err(refused());
            }
            (d.name.clone(), vec![d])
        }
        Scope::County { .. } => {
            if actor.role == Role::Department {
                return Err(refused());
            }
            ("全县".to_owned(), names.departments.iter().collect())
        }
    };
    let department_ids: Vec<i32> = departments.iter().map(|d| d.id).collect();
    // Every year of these departments, for the trend; this year's projects for the table.
    let all = project::Entity::find()
        .filter(project::Column::DepartmentId.is_in(department_ids.clone()))
        .order_by_asc(project::Column::Name)
        .all(conn)
        .await?;
    let this_year: Vec<project::Model> = all.iter().filter(|p| p.fiscal_year_id == fy.id).cloned().collect();
    let ids: Vec<i32> = this_year.iter().map(|p| p.id).collect();
    let mut phases = store::phases::of_projects(conn, &ids).await?;
    // The 汇总表 needs the totals only: the scores stored when each project's inputs changed.
    let scores = db::scores::of_projects(conn, &all).await?;
    let mut totals: HashMap<(i32, i32), Vec<Decimal>> = HashMap::new();
    let mut headers: HashMap<i32, Vec<ProjectHeader>> = HashMap::new();
    for p in &all {
        let Some(score) = scores.get(&p.id) else { continue };
        if p.fiscal_year_id == fy.id {
            let statuses = phases.remove(&p.id).unwrap_or_default().into_iter().map(|s| (s.phase, s.status)).collect();
            totals.entry((p.department_id, year)).or_default().push(score.total);
            let header = header(p, &names, statuses, score.total, score.grade, score.execution_rate);
            headers.entry(p.department_id).or_default().push(header);
        } else {
            totals.entry((p.department_id, names.year(p.fiscal_year_id))).or_default().push(score.total);
        }
    }
    let blocks = departments
        .iter()
        .map(|d| {
            let mut history: Vec<(i32, Decimal)> = totals
                .iter()
                .filter(|((dep, _), _)| *dep == d.id)
                .filter_map(|((_, y), v)| average(v.iter().copied()).map(|a| (*y, a)))
                .collect();
            history.sort();
            DepartmentBlock {
                id: d.id,
                name: d.name.clone(),
                projects: headers.remove(&d.id).unwrap_or_default(),
                history,
            }
        })
        .filter(|b| matches!(scope, Scope::Department { .. }) || !b.projects.is_empty())
        .collect();
    Ok(Summary { year, title, departments: blocks })
}

/// Department names and years by id, read once.
struct Names {
    departments: Vec<department::Model>,
    years: HashMap<i32, i32>,
}

impl Names {
    async fn load(conn: &impl ConnectionTrait) -> Result<Names> {
        Ok(Names {
            departments: store::directory::departments(conn).await?,
            years: store::directory::fiscal_years(conn).await?.into_iter().map(|y| (y.id, y.year)).collect(),
        })
    }

    fn department(&self, id: i32) -> String {
        self.departments.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default()
    }

    fn year(&self, fiscal_year_id: i32) -> i32 {
        self.years.get(&fiscal_year_id).copied().unwrap_or(0)
    }
}

/// Scores `input` once and splits it into the header and the indicator lines.
fn scored(
    p: &project::Model,
    names: &Names,
    statuses: Vec<(Phase, Status)>,
    input: &SelfEvaluation,
) -> (ProjectHeader, Vec<IndicatorLine>, EvaluationResult) {
    let (prepared, result) = selfeval::evaluate_prepared(input);
    let indicators = input
        .indicators
        .iter()
        .zip(prepared.evaluation.indicators.iter())
        .enumerate()
        .map(|(i, (entry, prepared))| {
            let scored = result.indicators.iter().find(|s| s.index == i);
            IndicatorLine {
                level1: entry.level1.clone(),
                level2: entry.level2.clone(),
                name: entry.name.clone(),
                target: entry.target.clone(),
                actual: entry.actual.clone(),
                weight: entry.weight.normalize(),
                score: scored.map(|s| s.score).unwrap_or_default(),
                self_score: scored.and_then(|s| s.self_score),
                review: entry.review.as_ref().map(|r| (r.reason.clone(), r.reviewer.clone())),
                explanation: entry.explanation.clone(),
                measure: prepared.measure.clone(),
            }
        })
        .collect();
    (header(p, names, statuses, result.total, result.grade, result.execution.rate), indicators, result)
}

fn header(
    p: &project::Model,
    names: &Names,
    statuses: Vec<(Phase, Status)>,
    total: Decimal,
    grade: Option<Grade>,
    execution_rate: Option<Decimal>,
) -> ProjectHeader {
    ProjectHeader {
        id: p.id,
        name: p.name.clone(),
        department_id: p.department_id,
        department: names.department(p.department_id),
        implementing_unit: p.implementing_unit.clone().unwrap_or_default(),
        year: names.year(p.fiscal_year_id),
        funds_total: p.funds_total.0.normalize(),
        funds_fiscal: p.funds_fiscal.0.normalize(),
        funds_other: p.funds_other.0.normalize(),
        budget: p.budget_full_year.map(|a| a.0.normalize()),
        executed: p.executed_full_year.map(|a| a.0.normalize()),
        execution_rate,
        total,
        grade,
        statuses,
    }
}
