//! Server functions: the only way the browser reaches data. Each returns plain serialisable
//! types; the database work runs on the server (`ssr`).

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
}

/// One 三级指标 with its 指标值 as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
}

#[server]
pub async fn list_projects() -> Result<Vec<ProjectSummary>, ServerFnError> {
    let db = ssr::db()?;
    let rows = db::queries::list_projects(&db).await.map_err(ssr::internal)?;
    Ok(rows.into_iter().map(ssr::summary).collect())
}

/// `None` when there is no such project.
#[server]
pub async fn get_project(id: i32) -> Result<Option<ProjectDetail>, ServerFnError> {
    let db = ssr::db()?;
    let Some(row) = db::queries::project(&db, id).await.map_err(ssr::internal)? else {
        ssr::set_status(http::StatusCode::NOT_FOUND);
        return Ok(None);
    };
    let indicators = db::queries::indicators(&db, id).await.map_err(ssr::internal)?;
    let p = row.project.clone();
    Ok(Some(ProjectDetail {
        summary: ssr::summary(row),
        implementing_unit: p.implementing_unit,
        funds_fiscal: p.funds_fiscal.0,
        funds_other: p.funds_other.0,
        overall_goal: p.overall_goal,
        annual_goals: p.annual_goals.lines().map(str::to_owned).collect(),
        indicators: indicators.into_iter().map(ssr::indicator).collect(),
    }))
}

/// A project's indicators in table order (empty for an unknown project).
#[server]
pub async fn get_indicators(project_id: i32) -> Result<Vec<IndicatorRow>, ServerFnError> {
    let db = ssr::db()?;
    let rows = db::queries::indicators(&db, project_id).await.map_err(ssr::internal)?;
    Ok(rows.into_iter().map(ssr::indicator).collect())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{IndicatorRow, ProjectSummary};
    use db::entities::indicator;
    use db::queries::ProjectRow;
    use db::DatabaseConnection;
    use leptos::prelude::*;

    /// The database pool the server provides to every request.
    pub fn db() -> Result<DatabaseConnection, ServerFnError> {
        use_context::<DatabaseConnection>()
            .ok_or_else(|| ServerFnError::new("服务器未配置数据库连接"))
    }

    /// Logs a database error and returns a message without internals.
    pub fn internal(e: db::DbErr) -> ServerFnError {
        tracing_log(&e);
        ServerFnError::new("数据库错误，请稍后重试")
    }

    fn tracing_log(e: &db::DbErr) {
        leptos::logging::error!("database error: {e}");
    }

    pub fn set_status(code: http::StatusCode) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(code);
        }
    }

    pub fn summary(row: ProjectRow) -> ProjectSummary {
        ProjectSummary {
            id: row.project.id,
            name: row.project.name,
            department: row.department,
            year: row.year,
            funds_total: row.project.funds_total.0,
            indicator_count: row.indicator_count,
        }
    }

    pub fn indicator(m: indicator::Model) -> IndicatorRow {
        IndicatorRow { id: m.id, level1: m.level1, level2: m.level2, name: m.name, target_text: m.target_text }
    }
}
