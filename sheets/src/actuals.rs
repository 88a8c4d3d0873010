//! The spreadsheet import of year-end actuals (自评表) and of 运行监控 (监控表): rows read from a
//! workbook ([`read`]) are matched to indicators (by the template's keys, else by department +
//! project + indicator name) and applied through the forms' own write path
//! (`db::cycle::evaluation::save_actual_in`, `db::cycle::monitoring::save_entry_in`), all in one
//! transaction:
//! every row in its own savepoint so that all problems are found at once; any error, or a dry
//! run, rolls everything back. A commit stores an import record with the row-by-row diff, which
//! can be reverted while its phase is still open.

use crate::cell::Cell;
use crate::error::FileError;
use crate::layout::{Placed, RowFound, Scanner, SheetData, SheetKind};
use crate::read::{Book, Limits};
use db::cycle::evaluation::{self, ActualInput, YearEndFunds};
use db::cycle::monitoring;
use db::entities::{import_record, indicator, project, user};
use db::{store, write, Error as DbError, Key};
use domain::import::name_key;
pub use domain::upload::{
    Counts, Format, FundsReport, MonitoringFundsReport, MonitoringRowReport, MonitoringValues, Problem, Progress,
    ProjectReport, Report, RowReport, Severity,
};
use domain::vocab::{AuditAction, Field, Grade, ImportKind, Likelihood, ValueSet, VersionState};
use domain::workflow::can_read;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How the import's writes (and a revert's) appear in the audit trail: 导入.
const IMPORTED: Option<AuditAction> = Some(AuditAction::Import);

/// What went wrong with an import as a whole (problems of single cells are in the [`Report`]).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for ImportError {
    fn from(e: sea_orm::DbErr) -> Self {
        ImportError::Db(e.into())
    }
}

/// What a workbook holds, read without the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// 年终实际完成值 (自评表 sheets) or 运行监控情况 (监控表 sheets); never both.
    pub kind: ImportKind,
    pub format: Format,
    pub sha256: String,
    pub sheets: Vec<SheetData>,
    /// Sheets skipped, and why.
    pub notes: Vec<String>,
    /// The fiscal year a jixiao template was written for.
    pub year: Option<i32>,
}

/// Reads a workbook's indicator rows (CPU work: run it off the async runtime).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Parsed, FileError> {
    crate::read::guarded(|| read_unguarded(bytes, limits))
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Parsed, FileError> {
    let mut book = Book::open(bytes, limits)?;
    let properties = book.custom_properties();
    let mut sheets = Vec::new();
    let mut notes = Vec::new();
    for name in book.sheet_names() {
        let mut scanner = Scanner::new(&name);
        book.rows(&name, |row, cells| {
            if scanner.wants(row) {
                scanner.row(row, cells);
            }
            Ok(())
        })?;
        let data = scanner.finish();
        if data.rows.is_empty() {
            notes.push(format!("工作表“{name}”没有指标行，已跳过"));
        } else {
            sheets.push(data);
        }
    }
    if sheets.is_empty() {
        return Err(FileError::NoRows);
    }
    let of_kind = |kind: SheetKind| sheets.iter().find(|s| s.kind == kind).map(|s| s.name.clone());
    let kind = match (of_kind(SheetKind::Actuals), of_kind(SheetKind::Monitoring)) {
        (Some(selfeval), Some(monitoring)) => return Err(FileError::MixedKinds { selfeval, monitoring }),
        (None, Some(_)) => ImportKind::Monitoring,
        _ => ImportKind::Actuals,
    };
    Ok(Parsed {
        kind,
        format: book.format,
        sha256: hex(&Sha256::digest(bytes)),
        sheets,
        notes,
        year: properties.get("jixiao.year").and_then(|y| y.parse().ok()),
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies `parsed` as `user`: a preview with `dry_run` (nothing stored), else a commit of
/// everything or nothing.
pub async fn apply(
    db: &DatabaseConnection,
    user: &user::Model,
    file_name: &str,
    parsed: &Parsed,
    dry_run: bool,
) -> Result<Report, ImportError> {
    apply_with_progress(db, user, file_name, parsed, dry_run, &|_| {}).await
}

/// What [`apply_with_progress`] tells as it goes.
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// [`apply`], telling `on_progress` after each row matched and each row written.
pub async fn apply_with_progress(
    db: &DatabaseConnection,
    user: &user::Model,
    file_name: &str,
    parsed: &Parsed,
    dry_run: bool,
    on_progress: OnProgress<'_>,
) -> Result<Report, ImportError> {
    let total = 2 * parsed.sheets.iter().map(|s| s.rows.len()).sum::<usize>();
    let mut done = 0;
    let mut step = move || {
        done += 1;
        on_progress(Progress { done, total });
    };
    let mut report = Report {
        kind: parsed.kind,
        file_name: file_name.to_owned(),
        sha256: parsed.sha256.clone(),
        format: parsed.format,
        dry_run,
        committed: false,
        import_id: None,
        counts: Counts::default(),
        rows: Vec::new(),
        funds: Vec::new(),
        projects: Vec::new(),
        monitoring: Vec::new(),
        monitoring_funds: Vec::new(),
        problems: Vec::new(),
        notes: parsed.notes.clone(),
    };
    let txn = write::begin(db).await?;
    let mut matcher = Matcher::new(user, parsed.year);
    // Resolve every row first.
    let mut resolved: Vec<(&RowFound, indicator::Model)> = Vec::new();
    let mut seen: HashMap<i32, String> = HashMap::new();
    let mut sheet_projects: Vec<(&SheetData, Option<i32>)> = Vec::new();
    for sheet in &parsed.sheets {
        let mut projects_here = Vec::new();
        for row in &sheet.rows {
            report.counts.rows_read += 1;
            step();
            let Some(ind) = matcher.resolve(&txn, sheet, row, &mut report).await? else { continue };
            if let Some(first) = seen.get(&ind.id) {
                report.problem(&row.place, Severity::Error, format!("与{first}是同一指标“{}”，重复填报", ind.name));
                continue;
            }
            seen.insert(ind.id, row.place.clone());
            if !projects_here.contains(&ind.project_id) {
                projects_here.push(ind.project_id);
            }
            resolved.push((row, ind));
        }
        let project = sheet.project_key.or(match projects_here.as_slice() {
            [one] => Some(*one),
            _ => None,
        });
        sheet_projects.push((sheet, project));
    }
    let mut touched: Vec<i32> = Vec::new();
    for (_, ind) in &resolved {
        if !touched.contains(&ind.project_id) {
            touched.push(ind.project_id);
        }
    }
    for (sheet, project) in &sheet_projects {
        if let (Some(p), false) = (project, sheet.funds.is_empty()) {
            if !touched.contains(p) {
                touched.push(*p);
            }
        }
    }
    match parsed.kind {
        ImportKind::Actuals => {
            apply_actuals(&txn, user, &resolved, &sheet_projects, &touched, &mut report, &mut step).await?
        }
        ImportKind::Monitoring => {
            for (row, ind) in &resolved {
                apply_monitoring_row(&txn, user, row, ind, &mut report).await?;
                step();
            }
            for (sheet, project) in &sheet_projects {
                if let Some(p) = project {
                    apply_monitoring_funds(&txn, user, sheet, *p, &mut report).await?;
                }
            }
        }
    }
    report.counts.rows_changed = report.rows.iter().filter(|r| r.changed).count()
        + report.funds.iter().filter(|f| f.changed).count()
        + report.monitoring.iter().filter(|r| r.changed).count()
        + report.monitoring_funds.iter().filter(|f| f.changed).count();
    report.counts.errors = report.problems.iter().filter(|p| p.severity == Severity::Error).count();
    report.counts.warnings = report.problems.len() - report.counts.errors;
    if dry_run || report.counts.errors > 0 {
        txn.rollback().await?;
        return Ok(report);
    }
    let record = import_record::ActiveModel {
        kind: Set(Key(parsed.kind)),
        user_id: Set(Some(user.id)),
        username: Set(user.username.clone()),
        department_id: Set(user.department_id),
        file_name: Set(file_name.chars().take(200).collect()),
        sha256: Set(parsed.sha256.clone()),
        rows_read: Set(i32::try_from(report.counts.rows_read).unwrap_or(i32::MAX)),
        rows_changed: Set(i32::try_from(report.counts.rows_changed).unwrap_or(i32::MAX)),
        warnings: Set(i32::try_from(report.counts.warnings).unwrap_or(i32::MAX)),
        diff: Set(String::new()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    report.committed = true;
    report.import_id = Some(record.id);
    let diff = serde_json::to_string(&report).unwrap_or_default();
    let mut record: import_record::ActiveModel = record.into();
    record.diff = Set(diff);
    record.update(&txn).await?;
    write::commit(txn, &touched).await?;
    Ok(report)
}

/// The 自评表 rows and funds, with each project's total and grade before and after.
async fn apply_actuals(
    txn: &DatabaseTransaction,
    user: &user::Model,
    resolved: &[(&RowFound, indicator::Model)],
    sheet_projects: &[(&SheetData, Option<i32>)],
    touched: &[i32],
    report: &mut Report,
    step: &mut (impl FnMut() + Send),
) -> Result<(), ImportError> {
    let before = scores(txn, touched).await?;
    for (row, ind) in resolved {
        apply_row(txn, user, row, ind, report).await?;
        step();
    }
    for (sheet, project) in sheet_projects {
        if let Some(p) = project {
            apply_funds(txn, user, sheet, *p, report).await?;
        }
    }
    let after = scores(txn, touched).await?;
    for row in &mut report.rows {
        row.score = after.get(&row.project_id).and_then(|s| s.indicator_scores.get(&row.indicator_id).copied());
    }
    for id in touched {
        let (Some(b), Some(a)) = (before.get(id), after.get(id)) else { continue };
        report.projects.push(ProjectReport {
            project_id: *id,
            project: a.name.clone(),
            old_total: b.total,
            new_total: a.total,
            old_grade: b.grade,
            new_grade: a.grade,
        });
    }
    Ok(())
}

/// Finds the indicator a row means.
struct Matcher<'u> {
    user: &'u user::Model,
    year: Option<i32>,
    projects: Option<Vec<store::projects::ProjectRow>>,
    indicators: HashMap<i32, Vec<indicator::Model>>,
    versions: HashMap<i32, i32>,
}

impl<'u> Matcher<'u> {
    fn new(user: &'u user::Model, year: Option<i32>) -> Self {
        Matcher { user, year, projects: None, indicators: HashMap::new(), versions: HashMap::new() }
    }

    async fn resolve(
        &mut self,
        txn: &DatabaseTransaction,
        sheet: &SheetData,
        row: &RowFound,
        report: &mut Report,
    ) -> Result<Option<indicator::Model>, ImportError> {
        let actor = db::accounts::actor(self.user);
        if let Some(bad) = &row.bad_key {
            report.problem(
                &bad.place,
                Severity::Error,
                format!("编号“{}”已被改动，无法识别；请勿修改编号列", bad.cell.text()),
            );
            return Ok(None);
        }
        if let Some((id, version)) = row.key {
            let Some(ind) = store::projects::indicator(txn, id).await? else {
                report.problem(&row.place, Severity::Error, "编号对应的指标不存在（指标可能已删除，请重新下载模板）");
                return Ok(None);
            };
            let Some(p) = project::Entity::find_by_id(ind.project_id).one(txn).await? else {
                report.problem(&row.place, Severity::Error, "编号对应的项目不存在");
                return Ok(None);
            };
            if !can_read(&actor, p.department_id) {
                report.problem(&row.place, Severity::Error, "该行属于其他部门的项目，无权导入");
                return Ok(None);
            }
            if sheet.project_key.is_some_and(|k| k != ind.project_id) {
                report.problem(&row.place, Severity::Error, "该行的编号与本表的项目不符（行可能是从其他表复制来的）");
                return Ok(None);
            }
            if !row.name.is_empty() && name_key(&row.name) != name_key(&ind.name) {
                report.problem(
                    &row.place,
                    Severity::Warning,
                    format!("表中的指标名称“{}”与系统中的“{}”不同，已按编号导入", row.name, ind.name),
                );
            }
            let current = self.version(txn, ind.project_id).await?;
            if current != version {
                report.problem(
                    &row.place,
                    Severity::Warning,
                    format!("模板下载后绩效目标已调整（第{version}版 → 第{current}版），得分按当前指标值计算"),
                );
            }
            return Ok(Some(ind));
        }
        // No key: department + project + indicator name.
        let project_name = row.project.clone().or_else(|| sheet.project.clone());
        let department = row.department.clone().or_else(|| sheet.department.clone());
        let Some(project_name) = project_name else {
            report.problem(&row.place, Severity::Error, "无法确定该行属于哪个项目：没有编号列，也没有“项目名称”");
            return Ok(None);
        };
        if self.projects.is_none() {
            self.projects = Some(store::projects::list(txn).await?);
        }
        let all = self.projects.as_deref().unwrap_or_default();
        let wanted = name_key(&project_name);
        let candidates: Vec<&store::projects::ProjectRow> = all
            .iter()
            .filter(|p| name_key(&p.project.name) == wanted)
            .filter(|p| department.as_ref().is_none_or(|d| name_key(d) == name_key(&p.department)))
            .filter(|p| self.year.is_none_or(|y| y == p.year))
            .collect();
        let p = match candidates.as_slice() {
            [] => {
                report.problem(&row.place, Severity::Error, format!("找不到项目“{project_name}”"));
                return Ok(None);
            }
            [one] => *one,
            _ => {
                report.problem(
                    &row.place,
                    Severity::Error,
                    format!("项目“{project_name}”有{}个同名项目（不同部门或年度），无法确定；请加上“部门”列或使用系统下载的模板", candidates.len()),
                );
                return Ok(None);
            }
        };
        if !can_read(&actor, p.project.department_id) {
            let dept = department.unwrap_or_else(|| "其他部门".to_owned());
            report.problem(&row.place, Severity::Error, format!("项目“{project_name}”属于{dept}，无权导入"));
            return Ok(None);
        }
        let pid = p.project.id;
        if let std::collections::hash_map::Entry::Vacant(e) = self.indicators.entry(pid) {
            e.insert(store::projects::indicators(txn, pid).await?);
        }
        let list = self.indicators.get(&pid).map(Vec::as_slice).unwrap_or_default();
        let name = name_key(&row.name);
        let mut matches: Vec<&indicator::Model> = list.iter().filter(|i| name_key(&i.name) == name).collect();
        if matches.len() > 1 && !row.level2.is_empty() {
            matches.retain(|i| name_key(&i.level2) == name_key(&row.level2));
        }
        match matches.as_slice() {
            [] => {
                report.problem(&row.place, Severity::Error, format!("项目“{project_name}”中没有指标“{}”", row.name));
                Ok(None)
            }
            [one] => Ok(Some((*one).clone())),
            _ => {
                report.problem(
                    &row.place,
                    Severity::Error,
                    format!("项目“{project_name}”中有多个指标名为“{}”，无法确定", row.name),
                );
                Ok(None)
            }
        }
    }

    async fn version(&mut self, txn: &DatabaseTransaction, project_id: i32) -> Result<i32, ImportError> {
        if let Some(v) = self.versions.get(&project_id) {
            return Ok(*v);
        }
        let v = store::versions::newest(txn, project_id, VersionState::Approved).await?.map_or(0, |v| v.number);
        self.versions.insert(project_id, v);
        Ok(v)
    }
}

/// Excel's error values, as a formula cell shows them (also when a program saved them as text).
const FORMULA_ERRORS: &[&str] = &["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!"];

/// The formula error a cell shows, if it shows one.
fn formula_error(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Error(e) => Some(e),
        Cell::Text(t) if FORMULA_ERRORS.contains(&t.trim()) => Some(t.trim()),
        _ => None,
    }
}

/// The text a cell gives a text field, or the problem with it.
fn cell_text(p: &Placed) -> Result<String, String> {
    match formula_error(&p.cell) {
        Some(e) => Err(format!("公式错误 {e}，请改为实际数值")),
        None => Ok(p.cell.text()),
    }
}

/// A target that is a number, range or date needs an actual that is one: "约九成" for
/// "≥95%" is refused here rather than scored as a phrase.
fn quantitative_check(text: &str, target: &str, ind: &indicator::Model) -> Result<String, String> {
    use domain::value::{parse_actual_with, parse_target, ValueKind};
    let ctx = store::projects::target_context(ind, ind.direction.map(|d| d.0));
    let numeric =
        |k: &ValueKind| matches!(k, ValueKind::Quantity { .. } | ValueKind::Range { .. } | ValueKind::Date { .. });
    if numeric(&parse_target(target, &ctx).kind)
        && matches!(parse_actual_with(text, &ctx).kind, ValueKind::Qualitative { .. })
    {
        return Err(format!("无法识别的数值“{text}”（指标值“{target}”是数值，实际完成值须填写数值）"));
    }
    Ok(text.to_owned())
}

async fn apply_row(
    txn: &DatabaseTransaction,
    user: &user::Model,
    row: &RowFound,
    ind: &indicator::Model,
    report: &mut Report,
) -> Result<(), ImportError> {
    let project = project::Entity::find_by_id(ind.project_id).one(txn).await?.map(|p| p.name).unwrap_or_default();
    // The current approved version's 指标值 and 分值, the indicator's own while never approved
    // (as `store::versions::current_weight`).
    let (target, weight) = store::versions::current_targets(txn, ind.project_id)
        .await?
        .remove(&ind.id)
        .unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
    let existing = store::actuals::of_indicator(txn, ind.id).await?;
    let old_actual = existing.as_ref().and_then(|e| e.actual_text.clone());
    let old_explanation = existing.as_ref().and_then(|e| e.explanation.clone());
    let mut new_actual = old_actual.clone();
    let mut new_explanation = old_explanation.clone();
    let mut place = row.place.clone();
    let mut ok = true;
    if let Some(p) = &row.actual {
        place = p.place.clone();
        match cell_text(p).and_then(|t| quantitative_check(&t, &target, ind)) {
            Ok(t) => new_actual = Some(t),
            Err(message) => {
                report.problem(&p.place, Severity::Error, message);
                ok = false;
            }
        }
    }
    if let Some(p) = &row.explanation {
        match cell_text(p) {
            Ok(t) => new_explanation = Some(t),
            Err(message) => {
                report.problem(&p.place, Severity::Error, message);
                ok = false;
            }
        }
    }
    let changed = new_actual != old_actual || new_explanation != old_explanation;
    let entry = RowReport {
        place: place.clone(),
        project_id: ind.project_id,
        project,
        indicator_id: ind.id,
        indicator: ind.name.clone(),
        old_actual: old_actual.clone(),
        new_actual: new_actual.clone(),
        old_explanation: old_explanation.clone(),
        new_explanation: new_explanation.clone(),
        weight: weight.map(|w| w.normalize()),
        score: None,
        changed: changed && ok,
    };
    if ok && changed {
        let input = ActualInput {
            actual_text: new_actual,
            grade: existing.as_ref().and_then(|e| e.grade).map(|g| g.0),
            grade_score: existing.as_ref().and_then(|e| e.grade_score).map(|s| s.0),
            evidence: existing.as_ref().and_then(|e| e.evidence.clone()),
            explanation: new_explanation,
        };
        let version = existing.as_ref().map_or(0, |e| e.version);
        in_savepoint(txn, &place, report, async |t| {
            evaluation::save_actual_in(t, user, ind.id, &input, version, IMPORTED).await
        })
        .await?;
    }
    report.rows.push(entry);
    Ok(())
}

/// A funds cell in 万元: a number cell, or text such as "12.5" / "１２.５" / "12,500.00".
fn funds_value(p: &Placed, field: Field) -> Result<Option<Decimal>, String> {
    if let Some(e) = formula_error(&p.cell) {
        return Err(format!("公式错误 {e}，请改为实际金额"));
    }
    match &p.cell {
        Cell::Number { value, percent: false } => Ok(Some(*value)),
        cell => domain::input::number(field, &cell.text()).map_err(|e| e.to_string()),
    }
}

/// Runs one row's `write` in its own savepoint: a refusal is reported at `place` and undone
/// (the other rows go on, so that every problem is found); a database failure ends the import.
async fn in_savepoint<T>(
    txn: &DatabaseTransaction,
    place: &str,
    report: &mut Report,
    write: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, DbError>,
) -> Result<(), ImportError> {
    let savepoint = txn.begin().await?;
    match write(&savepoint).await {
        Ok(_) => savepoint.commit().await?,
        Err(e) if e.is_database_failure() => return Err(e.into()),
        Err(e) => {
            savepoint.rollback().await?;
            report.problem(place, Severity::Error, e.to_string());
        }
    }
    Ok(())
}

/// The amounts of a funds block: each cell's value (万元), else the stored one; refused cells
/// are reported and keep the stored value. Also the block's place and whether every cell read.
fn read_amounts<const N: usize>(
    cells: [(&Option<Placed>, Field, Option<Decimal>); N],
    report: &mut Report,
) -> ([Option<Decimal>; N], String, bool) {
    let mut ok = true;
    let place = cells.iter().find_map(|(c, _, _)| c.as_ref()).map(|c| c.place.clone()).unwrap_or_default();
    let values = cells.map(|(cell, field, old)| match cell {
        None => old,
        Some(c) => match funds_value(c, field) {
            Ok(v) => v.map(|d| d.normalize()).or(old),
            Err(message) => {
                report.problems.push(Problem { place: c.place.clone(), severity: Severity::Error, message });
                ok = false;
                old
            }
        },
    });
    (values, place, ok)
}

async fn apply_funds(
    txn: &DatabaseTransaction,
    user: &user::Model,
    sheet: &SheetData,
    project_id: i32,
    report: &mut Report,
) -> Result<(), ImportError> {
    let funds = &sheet.funds;
    if funds.budget.is_none() && funds.executed.is_none() {
        return Ok(());
    }
    let Some(p) = project::Entity::find_by_id(project_id).one(txn).await? else { return Ok(()) };
    if !can_read(&db::accounts::actor(user), p.department_id) {
        return Ok(()); // its rows were refused already
    }
    let old_budget = p.budget_full_year.map(|a| a.0.normalize());
    let old_executed = p.executed_full_year.map(|a| a.0.normalize());
    let ([new_budget, new_executed], place, ok) = read_amounts(
        [(&funds.budget, Field::BudgetFullYear, old_budget), (&funds.executed, Field::ExecutedFullYear, old_executed)],
        report,
    );
    let changed = ok && (new_budget != old_budget || new_executed != old_executed);
    if changed {
        let input = YearEndFunds {
            budget_initial: p.budget_initial.map(|a| a.0),
            budget_full_year: new_budget,
            executed_full_year: new_executed,
            execution_explanation: p.execution_explanation.clone(),
        };
        in_savepoint(txn, &place, report, async |t| {
            evaluation::save_year_end_funds_in(t, user, project_id, &input, p.version, IMPORTED).await
        })
        .await?;
    }
    report.funds.push(FundsReport {
        place,
        project_id,
        project: p.name.clone(),
        old_budget,
        new_budget,
        old_executed,
        new_executed,
        changed,
    });
    Ok(())
}

/// A text cell's new value (`old` when the cell is absent or refused, the refusal added to
/// `problems`).
fn new_text(cell: &Option<Placed>, old: &Option<String>, problems: &mut Vec<Problem>) -> Option<String> {
    match cell.as_ref().map(|p| (p, cell_text(p))) {
        None => old.clone(),
        Some((_, Ok(t))) => Some(t),
        Some((p, Err(message))) => {
            problems.push(Problem { place: p.place.clone(), severity: Severity::Error, message });
            old.clone()
        }
    }
}

/// A drop-down cell's new value: one of `T`'s labels (or aliases).
fn new_choice<T: ValueSet>(
    cell: &Option<Placed>,
    old: Option<T>,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let Some(p) = cell else { return old };
    let message = match cell_text(p) {
        Ok(text) => match T::parse(&text) {
            Some(v) => return Some(v),
            None => {
                let labels: Vec<&str> = T::ALL.iter().map(|v| v.label()).collect();
                format!("无法识别的{what}“{text}”：请填写{}之一", labels.join("、"))
            }
        },
        Err(message) => message,
    };
    problems.push(Problem { place: p.place.clone(), severity: Severity::Error, message });
    old
}

async fn apply_monitoring_row(
    txn: &DatabaseTransaction,
    user: &user::Model,
    row: &RowFound,
    ind: &indicator::Model,
    report: &mut Report,
) -> Result<(), ImportError> {
    let project = project::Entity::find_by_id(ind.project_id).one(txn).await?.map(|p| p.name).unwrap_or_default();
    let existing = store::monitoring::of_indicator(txn, ind.id).await?;
    let old = existing.as_ref().map(crate::template::monitoring_values).unwrap_or_default();
    let mut problems = Vec::new();
    let new = MonitoringValues {
        progress: new_text(&row.progress, &old.progress, &mut problems),
        forecast: new_text(&row.forecast, &old.forecast, &mut problems),
        likelihood: new_choice(&row.likelihood, old.likelihood, "完成目标可能性", &mut problems),
        deviation_category: new_choice(&row.deviation_category, old.deviation_category, "偏差原因类别", &mut problems),
        deviation_reason: new_text(&row.explanation, &old.deviation_reason, &mut problems),
        corrective_action: new_text(&row.corrective_action, &old.corrective_action, &mut problems),
    };
    let ok = problems.is_empty();
    report.problems.append(&mut problems);
    let changed = ok && new != old;
    if ok && matches!(new.likelihood, Some(Likelihood::Possible | Likelihood::Impossible)) {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&new.deviation_reason) || blank(&new.corrective_action) {
            report.problem(
                &row.place,
                Severity::Warning,
                format!(
                    "完成目标可能性为“{}”：提交运行监控前须填写偏差原因分析和偏差纠正措施",
                    new.likelihood.map(|l| l.label()).unwrap_or_default()
                ),
            );
        }
    }
    if changed {
        let version = existing.as_ref().map_or(0, |e| e.version);
        in_savepoint(txn, &row.place, report, async |t| {
            monitoring::save_entry_in(t, user, ind.id, &new, version, IMPORTED).await
        })
        .await?;
    }
    report.monitoring.push(MonitoringRowReport {
        place: row.place.clone(),
        project_id: ind.project_id,
        project,
        indicator_id: ind.id,
        indicator: ind.name.clone(),
        old,
        new,
        changed,
    });
    Ok(())
}

async fn apply_monitoring_funds(
    txn: &DatabaseTransaction,
    user: &user::Model,
    sheet: &SheetData,
    project_id: i32,
    report: &mut Report,
) -> Result<(), ImportError> {
    let funds = &sheet.funds;
    if funds.executed_jan_jul.is_none() && funds.expected_execution.is_none() {
        return Ok(());
    }
    let Some(p) = project::Entity::find_by_id(project_id).one(txn).await? else { return Ok(()) };
    if !can_read(&db::accounts::actor(user), p.department_id) {
        return Ok(()); // its rows were refused already
    }
    let old_jan_jul = p.executed_jan_jul.map(|a| a.0.normalize());
    let old_expected = p.expected_execution.map(|a| a.0.normalize());
    let ([new_jan_jul, new_expected], place, ok) = read_amounts(
        [
            (&funds.executed_jan_jul, Field::ExecutedJanJul, old_jan_jul),
            (&funds.expected_execution, Field::ExpectedExecution, old_expected),
        ],
        report,
    );
    let changed = ok && (new_jan_jul != old_jan_jul || new_expected != old_expected);
    if changed {
        in_savepoint(txn, &place, report, async |t| {
            monitoring::save_funds_in(t, user, project_id, new_jan_jul, new_expected, p.version, IMPORTED).await
        })
        .await?;
    }
    report.monitoring_funds.push(MonitoringFundsReport {
        place,
        project_id,
        project: p.name.clone(),
        old_executed_jan_jul: old_jan_jul,
        new_executed_jan_jul: new_jan_jul,
        old_expected_execution: old_expected,
        new_expected_execution: new_expected,
        changed,
    });
    Ok(())
}

struct Scored {
    name: String,
    total: Decimal,
    grade: Option<Grade>,
    indicator_scores: HashMap<i32, Decimal>,
}

/// Each project's total, grade and indicator scores as stored in this transaction.
async fn scores(conn: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Scored>, ImportError> {
    let projects = project::Entity::find().filter(project::Column::Id.is_in(ids.iter().copied())).all(conn).await?;
    let evaluations = evaluation::self_evaluations(conn, &projects, false).await?;
    let indicators = store::projects::indicators_of(conn, ids).await?;
    let mut out = HashMap::new();
    for p in &projects {
        let Some(input) = evaluations.get(&p.id) else { continue };
        let result = domain::selfeval::evaluate(input);
        let ids: Vec<i32> = indicators.get(&p.id).map(|l| l.iter().map(|i| i.id).collect()).unwrap_or_default();
        let indicator_scores = result
            .indicators
            .iter()
            .filter_map(|s| ids.get(s.index).map(|id| (*id, s.score.round_dp(2).normalize())))
            .collect();
        out.insert(
            p.id,
            Scored {
                name: p.name.clone(),
                total: result.total.round_dp(2).normalize(),
                grade: result.grade,
                indicator_scores,
            },
        );
    }
    Ok(out)
}

/// The import records `user` may see, newest first: a department user's own department's,
/// everyone's for finance and administrators.
pub async fn records(
    conn: &impl ConnectionTrait,
    user: &user::Model,
) -> Result<Vec<import_record::Model>, ImportError> {
    let mut query = import_record::Entity::find().order_by_desc(import_record::Column::Id);
    if user.role.0 == domain::vocab::Role::Department {
        query = query.filter(import_record::Column::DepartmentId.eq(user.department_id.unwrap_or(-1)));
    }
    Ok(query.all(conn).await?)
}

/// One import record, if `user` may see it.
pub async fn record(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    id: i32,
) -> Result<import_record::Model, ImportError> {
    let r = import_record::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound(domain::vocab::EntityKind::ImportRecord))?;
    if user.role.0 == domain::vocab::Role::Department && r.department_id != user.department_id {
        return Err(DbError::NotFound(domain::vocab::EntityKind::ImportRecord).into());
    }
    Ok(r)
}

/// Undoes a committed import as `user`, through the same write path: every value it changed is
/// set back, all or nothing. Refused when a value was changed again since, or its phase (绩效自评,
/// 运行监控) is no longer open for editing.
pub async fn revert(db: &DatabaseConnection, user: &user::Model, id: i32) -> Result<Report, ImportError> {
    let r = record(db, user, id).await?;
    let mut report: Report =
        serde_json::from_str(&r.diff).map_err(|e| DbError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    let txn = write::begin(db).await?;
    if r.reverted_at.is_some() {
        return Err(DbError::Invalid(domain::input::Invalid::AlreadyReverted).into());
    }
    let mut problems = Vec::new();
    let mut problem = |place: &str, message: String| {
        problems.push(Problem { place: place.to_owned(), severity: Severity::Error, message })
    };
    for row in report.rows.iter().filter(|r| r.changed) {
        let existing = store::actuals::of_indicator(&txn, row.indicator_id).await?;
        let (actual, explanation) = (
            existing.as_ref().and_then(|e| e.actual_text.clone()),
            existing.as_ref().and_then(|e| e.explanation.clone()),
        );
        if actual != row.new_actual || explanation != row.new_explanation {
            problem(&row.place, format!("指标“{}”在导入后已被修改，不能撤销", row.indicator));
            continue;
        }
        let input = ActualInput {
            actual_text: row.old_actual.clone(),
            grade: existing.as_ref().and_then(|e| e.grade).map(|g| g.0),
            grade_score: existing.as_ref().and_then(|e| e.grade_score).map(|s| s.0),
            evidence: existing.as_ref().and_then(|e| e.evidence.clone()),
            explanation: row.old_explanation.clone(),
        };
        let version = existing.as_ref().map_or(0, |e| e.version);
        if let Err(e) = evaluation::save_actual_in(&txn, user, row.indicator_id, &input, version, IMPORTED).await {
            problem(&row.place, e.to_string());
        }
    }
    for f in report.funds.iter().filter(|f| f.changed) {
        let Some(p) = project::Entity::find_by_id(f.project_id).one(&txn).await? else { continue };
        let (budget, executed) =
            (p.budget_full_year.map(|a| a.0.normalize()), p.executed_full_year.map(|a| a.0.normalize()));
        if budget != f.new_budget || executed != f.new_executed {
            problem(&f.place, format!("项目“{}”的资金在导入后已被修改，不能撤销", f.project));
            continue;
        }
        let input = YearEndFunds {
            budget_initial: p.budget_initial.map(|a| a.0),
            budget_full_year: f.old_budget,
            executed_full_year: f.old_executed,
            execution_explanation: p.execution_explanation.clone(),
        };
        if let Err(e) = evaluation::save_year_end_funds_in(&txn, user, f.project_id, &input, p.version, IMPORTED).await
        {
            problem(&f.place, e.to_string());
        }
    }
    for row in report.monitoring.iter().filter(|r| r.changed) {
        let existing = store::monitoring::of_indicator(&txn, row.indicator_id).await?;
        let current = existing.as_ref().map(crate::template::monitoring_values).unwrap_or_default();
        if current != row.new {
            problem(&row.place, format!("指标“{}”的运行监控情况在导入后已被修改，不能撤销", row.indicator));
            continue;
        }
        let version = existing.as_ref().map_or(0, |e| e.version);
        if let Err(e) = monitoring::save_entry_in(&txn, user, row.indicator_id, &row.old, version, IMPORTED).await {
            problem(&row.place, e.to_string());
        }
    }
    for f in report.monitoring_funds.iter().filter(|f| f.changed) {
        let Some(p) = project::Entity::find_by_id(f.project_id).one(&txn).await? else { continue };
        let (jan_jul, expected) =
            (p.executed_jan_jul.map(|a| a.0.normalize()), p.expected_execution.map(|a| a.0.normalize()));
        if jan_jul != f.new_executed_jan_jul || expected != f.new_expected_execution {
            problem(&f.place, format!("项目“{}”的1-7月资金在导入后已被修改，不能撤销", f.project));
            continue;
        }
        let saved = monitoring::save_funds_in(
            &txn,
            user,
            f.project_id,
            f.old_executed_jan_jul,
            f.old_expected_execution,
            p.version,
            IMPORTED,
        )
        .await;
        if let Err(e) = saved {
            problem(&f.place, e.to_string());
        }
    }
    report.problems = problems;
    report.counts.errors = report.problems.len();
    report.counts.warnings = 0;
    if report.counts.errors > 0 {
        txn.rollback().await?;
        report.committed = false;
        return Ok(report);
    }
    let mut active: import_record::ActiveModel = r.into();
    active.reverted_at = Set(Some(chrono::Utc::now()));
    active.reverted_by_name = Set(Some(user.username.clone()));
    active.update(&txn).await?;
    let mut touched: Vec<i32> = report.rows.iter().map(|r| r.project_id).collect();
    touched.extend(report.funds.iter().map(|f| f.project_id));
    touched.extend(report.monitoring.iter().map(|r| r.project_id));
    touched.extend(report.monitoring_funds.iter().map(|f| f.project_id));
    touched.sort_unstable();
    touched.dedup();
    write::commit(txn, &touched).await?;
    report.committed = true;
    Ok(report)
}
