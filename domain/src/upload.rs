//! The report of a spreadsheet import (jixiao import actuals, the upload page): every row matched,
//! old → new, the scores afterwards and every problem at its place. Plain data shared by the
//! server, which builds it, and the browser, which shows it; the JSON is documented in
//! docs/cli.md.

use crate::vocab::{DeviationCategory, Grade, ImportKind, Likelihood};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The spreadsheet formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at its place: "自评表!F12：无法识别的数值“约九成”".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub place: String,
    pub severity: Severity,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.place, self.message)
    }
}

/// One indicator row: what it matched, old → new, and the indicator's score afterwards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowReport {
    pub place: String,
    pub project_id: i32,
    pub project: String,
    pub indicator_id: i32,
    pub indicator: String,
    pub old_actual: Option<String>,
    pub new_actual: Option<String>,
    pub old_explanation: Option<String>,
    pub new_explanation: Option<String>,
    pub weight: Option<Decimal>,
    /// The indicator's score with the new values (None when the row was refused).
    pub score: Option<Decimal>,
    pub changed: bool,
}

/// A sheet's year-end funds (万元), old → new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundsReport {
    pub place: String,
    pub project_id: i32,
    pub project: String,
    pub old_budget: Option<Decimal>,
    pub new_budget: Option<Decimal>,
    pub old_executed: Option<Decimal>,
    pub new_executed: Option<Decimal>,
    pub changed: bool,
}

/// One indicator's 运行监控 entry as a sheet gives it, or as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringValues {
    /// 1–7月执行情况.
    pub progress: Option<String>,
    /// 全年预计完成情况.
    pub forecast: Option<String>,
    /// 完成目标可能性.
    pub likelihood: Option<Likelihood>,
    /// 偏差原因类别.
    pub deviation_category: Option<DeviationCategory>,
    /// 偏差原因分析.
    pub deviation_reason: Option<String>,
    /// 偏差纠正措施.
    pub corrective_action: Option<String>,
}

/// One indicator row of a 运行监控 import: what it matched, old → new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringRowReport {
    pub place: String,
    pub project_id: i32,
    pub project: String,
    pub indicator_id: i32,
    pub indicator: String,
    pub old: MonitoringValues,
    pub new: MonitoringValues,
    pub changed: bool,
}

/// A sheet's 1–7月执行数 and 全年预计执行数 (万元), old → new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringFundsReport {
    pub place: String,
    pub project_id: i32,
    pub project: String,
    pub old_executed_jan_jul: Option<Decimal>,
    pub new_executed_jan_jul: Option<Decimal>,
    pub old_expected_execution: Option<Decimal>,
    pub new_expected_execution: Option<Decimal>,
    pub changed: bool,
}

/// A project's total and grade before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectReport {
    pub project_id: i32,
    pub project: String,
    pub old_total: Decimal,
    pub new_total: Decimal,
    pub old_grade: Option<Grade>,
    pub new_grade: Option<Grade>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub rows_read: usize,
    pub rows_changed: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// The preview of an import, or what a commit did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// What the file holds: 年终实际完成值 (`rows`, `funds`, `projects`) or 运行监控情况
    /// (`monitoring`, `monitoring_funds`). Reports stored before monitoring imports existed
    /// read as actuals.
    #[serde(default = "actuals")]
    pub kind: ImportKind,
    pub file_name: String,
    pub sha256: String,
    pub format: Format,
    pub dry_run: bool,
    pub committed: bool,
    pub import_id: Option<i32>,
    pub counts: Counts,
    pub rows: Vec<RowReport>,
    pub funds: Vec<FundsReport>,
    pub projects: Vec<ProjectReport>,
    #[serde(default)]
    pub monitoring: Vec<MonitoringRowReport>,
    #[serde(default)]
    pub monitoring_funds: Vec<MonitoringFundsReport>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

fn actuals() -> ImportKind {
    ImportKind::Actuals
}

impl Report {
    /// Adds a problem at `place`.
    pub fn problem(&mut self, place: &str, severity: Severity, message: impl Into<String>) {
        self.problems.push(Problem { place: place.to_owned(), severity, message: message.into() });
    }
}

/// How far an import has got: every row is matched, then written; `done` of `total` steps
/// (twice the rows read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Whole percent, 0–100.
    pub fn percent(self) -> u32 {
        if self.total == 0 {
            return 0;
        }
        (self.done.min(self.total) * 100 / self.total) as u32
    }
}

/// One line of an upload's streamed answer (`Accept: application/x-ndjson`): progress lines,
/// then the report or the reason it failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadLine<T> {
    Progress(Progress),
    Done(T),
    Failed { message: String },
}

/// One indicator row of a 绩效目标表 being imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRow {
    /// "第12行" of the text read (a Word or spreadsheet table as pipe rows).
    pub place: String,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
    pub weight: Option<Decimal>,
    /// How the 指标值 reads ("数值：≥ 98%"), as the declaration form shows it.
    pub reading: String,
}

/// One table of the file: the project it becomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetProject {
    pub name: String,
    /// 主管部门 and year as the table gives them (the import uses the ones chosen).
    pub table_department: Option<String>,
    pub table_year: Option<i32>,
    pub implementing_unit: Option<String>,
    pub funds_total: Option<Decimal>,
    pub annual_goals: usize,
    pub rows: Vec<TargetRow>,
    /// The new project, once committed.
    pub project_id: Option<i32>,
}

/// The preview of a 绩效目标表 import (each table a new draft project), or what its commit did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetsReport {
    pub file_name: String,
    pub sha256: String,
    pub dry_run: bool,
    pub committed: bool,
    pub year: i32,
    pub department: String,
    pub projects: Vec<TargetProject>,
    pub problems: Vec<Problem>,
}

impl TargetsReport {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }
}
