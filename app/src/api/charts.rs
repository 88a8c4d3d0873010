//! Charts and overviews for the pages. The charts are drawn on the server by `reports::charts`
//! — the same charts the exported documents carry — and cross the wire as SVG text with their
//! data tables (the accessible alternative). plotters never reaches the WASM.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One chart as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    /// "indicators", "scores", "trend", "department", "grades", "by-score", "by-rate".
    pub key: String,
    pub title: String,
    /// An SVG document with `<title>` and `<desc>`, drawn from the database's numbers.
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A download link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadLink {
    pub label: String,
    pub href: String,
}

/// One line of an overview table: a department (county view) or a project (department view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub name: String,
    pub href: String,
    pub projects: usize,
    /// 万元, formatted.
    pub budget: String,
    pub executed: String,
    /// "95%" or "—".
    pub rate: String,
    /// Total or average score, "—" without projects.
    pub score: String,
    /// 优 / 良 / 中 / 差 key, or "".
    pub grade: String,
    /// A project row's 目标申报 / 运行监控 / 绩效自评 status (empty for a department row).
    pub statuses: Vec<(domain::vocab::Phase, domain::vocab::Status)>,
}

/// The department or county overview of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// "全县" or the department's name.
    pub title: String,
    pub year: i32,
    pub years: Vec<i32>,
    /// The department shown; `None` = the county view (departments as rows).
    pub department: Option<i32>,
    pub rows: Vec<OverviewRow>,
    /// The 合计 / 平均 line.
    pub total: OverviewRow,
    pub charts: Vec<ChartView>,
    pub downloads: Vec<DownloadLink>,
}

/// The charts of one project: indicators against targets, scores per 一级指标, and the trend
/// over the years where earlier years exist.
#[server]
pub async fn project_charts(project_id: i32) -> Result<Vec<ChartView>, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    ssr::project(&db, &actor, project_id).await
}

/// The overview of `year` (default: the newest): the county for the finance bureau and
/// administrators, or one department (`department`; a department user always gets their own).
#[server]
pub async fn overview(year: Option<i32>, department: Option<i32>) -> Result<OverviewView, AppError> {
    use domain::workflow::Role;
    use reports::model::Scope;
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let mut years: Vec<i32> = db::store::directory::fiscal_years(&db).await?.into_iter().map(|y| y.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let year = match year {
        Some(y) => y,
        None => *years.first().ok_or(AppError::NotFound(domain::vocab::EntityKind::FiscalYear))?,
    };
    let department = match (actor.role, department) {
        (Role::Department, Some(d)) => Some(d),
        (Role::Department, None) => Some(actor.department_id.ok_or(AppError::OtherDepartment)?),
        (_, d) => d,
    };
    let scope = match department {
        Some(department_id) => Scope::Department { department_id, year },
        None => Scope::County { year },
    };
    let summary = reports::model::summary(&db, &actor, scope).await?;
    let ids: Vec<i32> = summary.projects().map(|p| p.id).collect();
    let phases = match department {
        Some(_) => db::store::phases::of_projects(&db, &ids).await?,
        None => Default::default(),
    };
    ssr::overview_view(&summary, years, department, &phases)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{ChartView, DownloadLink, OverviewRow, OverviewView};
    use crate::api::AppError;
    use domain::money::format_wan;
    use reports::charts::build::num;
    use reports::charts::{self, Chart};
    use reports::model::Summary;
    use rust_decimal::Decimal;

    /// A project's charts, as `actor` may read them.
    pub async fn project(
        db: &db::DatabaseConnection,
        actor: &domain::workflow::Actor,
        project_id: i32,
    ) -> Result<Vec<ChartView>, AppError> {
        let report = reports::model::project_report(db, actor, project_id).await?;
        let charts = [
            charts::project_indicators(&report),
            Some(charts::project_scores(&report)),
            charts::trend(&report.header.name, &report.history),
        ];
        charts.into_iter().flatten().map(|c| view(&c)).collect()
    }

    pub fn view(chart: &Chart) -> Result<ChartView, AppError> {
        let svg = chart.svg().map_err(|e| crate::api::error::internal(e.to_string()))?;
        Ok(ChartView {
            key: chart.key.to_owned(),
            title: chart.title.clone(),
            svg,
            headers: chart.table.headers.clone(),
            rows: chart.table.rows.clone(),
        })
    }

    fn rate(r: Option<Decimal>) -> String {
        r.map_or("—".to_owned(), |r| format!("{}%", num(r)))
    }

    /// The overview of `s`; a department's project rows carry their phase statuses (`phases`).
    pub fn overview_view(
        s: &Summary,
        years: Vec<i32>,
        department: Option<i32>,
        phases: &std::collections::HashMap<i32, Vec<db::store::phases::PhaseState>>,
    ) -> Result<OverviewView, AppError> {
        let county = department.is_none();
        let mut charts_out = Vec::new();
        let (rows, total) = if county {
            for c in [charts::grade_distribution(s), charts::departments_by_score(s), charts::departments_by_rate(s)] {
                charts_out.push(view(&c)?);
            }
            let rows = s
                .departments
                .iter()
                .map(|d| OverviewRow {
                    name: d.name.clone(),
                    href: format!("/overview?year={}&department={}", s.year, d.id),
                    projects: d.projects.len(),
                    budget: format_wan(d.budget()),
                    executed: format_wan(d.executed()),
                    rate: rate(d.execution_rate()),
                    score: d.average_score().map_or("—".to_owned(), num),
                    grade: String::new(),
                    statuses: Vec::new(),
                })
                .collect();
            let all = s.projects().count();
            let total = OverviewRow {
                name: "全县合计".to_owned(),
                href: String::new(),
                projects: all,
                budget: format_wan(s.departments.iter().map(|d| d.budget()).sum()),
                executed: format_wan(s.departments.iter().map(|d| d.executed()).sum()),
                rate: rate(s.execution_rate()),
                score: s.average_score().map_or("—".to_owned(), num),
                grade: String::new(),
                statuses: Vec::new(),
            };
            (rows, total)
        } else {
            let block = s.departments.first();
            if let Some(block) = block {
                for c in [charts::department_projects(block, s.year), charts::trend(&block.name, &block.history)]
                    .into_iter()
                    .flatten()
                {
                    charts_out.push(view(&c)?);
                }
            }
            let projects = block.map(|b| b.projects.as_slice()).unwrap_or_default();
            let rows = projects
                .iter()
                .map(|p| OverviewRow {
                    name: p.name.clone(),
                    href: format!("/projects/{}", p.id),
                    projects: 1,
                    budget: p.budget.map_or("—".to_owned(), format_wan),
                    executed: p.executed.map_or("—".to_owned(), format_wan),
                    rate: rate(p.execution_rate),
                    score: num(p.total),
                    grade: p.grade.map(|g| g.key().to_owned()).unwrap_or_default(),
                    statuses: phases
                        .get(&p.id)
                        .map(|states| states.iter().map(|st| (st.phase, st.status)).collect())
                        .unwrap_or_default(),
                })
                .collect();
            let total = OverviewRow {
                name: "部门合计 / 平均".to_owned(),
                href: String::new(),
                projects: projects.len(),
                budget: format_wan(block.map(|b| b.budget()).unwrap_or_default()),
                executed: format_wan(block.map(|b| b.executed()).unwrap_or_default()),
                rate: rate(block.and_then(|b| b.execution_rate())),
                score: block.and_then(|b| b.average_score()).map_or("—".to_owned(), num),
                grade: String::new(),
                statuses: Vec::new(),
            };
            (rows, total)
        };
        let query = match department {
            Some(d) => format!("department={d}&year={}", s.year),
            None => format!("year={}", s.year),
        };
        let downloads = vec![
            DownloadLink { label: "汇总表（Excel）".to_owned(), href: format!("/export/summary.xlsx?{query}") },
            DownloadLink {
                label: "全部项目自评表（Excel）".to_owned(),
                href: format!("/export/selfeval.xlsx?{query}"),
            },
            DownloadLink {
                label: "全部项目目标表（Excel）".to_owned(), href: format!("/export/targets.xlsx?{query}")
            },
        ];
        Ok(OverviewView {
            title: s.title.clone(),
            year: s.year,
            years,
            department,
            rows,
            total,
            charts: charts_out,
            downloads,
        })
    }
}
