//! 导入绩效目标表: the tables read from a published or filled 绩效目标表 / 申报表 (a Word document,
//! a workbook or text, by `domain::import`) become new draft projects of one department in an
//! open fiscal year, through the forms' own write path — `new_project::create_project_in` and
//! `declaration::add_indicator_in`, so every check, version and audit row is the same — all in one
//! transaction. Each table and each row runs in its own savepoint, so every problem is reported
//! at once with its place; any error, or a preview, rolls the whole transaction back.

use super::declaration::{add_indicator_in, IndicatorEdit, NewIndicatorEdit};
use super::new_project::{create_project_in, Header};
use crate::entities::user;
use crate::error::Result;
use crate::{store, write};
use domain::import::{ImportResult, ImportedProject};
use domain::input::Invalid;
use domain::upload::{Problem, Severity, TargetProject, TargetRow, TargetsReport};
use domain::vocab::{Field, IndicatorNature};
use sea_orm::{DatabaseConnection, TransactionTrait};

/// Where the tables go: the department (`None`: the uploader's own) and the fiscal year.
#[derive(Clone, Debug)]
pub struct Destination {
    pub department_id: Option<i32>,
    pub year: i32,
}

/// The file the tables were read from.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub tables: &'a ImportResult,
}

/// Checks (`dry_run`) or creates the projects of `source` as `user` at `to`. A refusal of the
/// import as a whole (who may create projects where, no table in the file) is an error; problems
/// of single tables and rows are in the report, and then nothing is written.
pub async fn import_targets(
    db: &DatabaseConnection,
    user: &user::Model,
    to: &Destination,
    source: &Source<'_>,
    dry_run: bool,
) -> Result<TargetsReport> {
    let actor = crate::accounts::actor(user);
    domain::workflow::may_create_project(&actor)?;
    let department_id =
        to.department_id.or(user.department_id).ok_or(Invalid::Required { field: Field::Department })?;
    domain::workflow::transition(
        &actor,
        department_id,
        domain::workflow::Phase::Declaration,
        domain::workflow::Status::Draft,
        &domain::workflow::Action::Edit,
        None,
    )?;
    if source.tables.projects.is_empty() {
        return Err(Invalid::NoTables.into());
    }
    let txn = write::begin(db).await?;
    let department = store::directory::department_name(&txn, department_id)
        .await?
        .ok_or(Invalid::UnknownReference { field: Field::Department })?;
    let mut report = TargetsReport {
        file_name: source.file_name.to_owned(),
        sha256: source.sha256.to_owned(),
        dry_run,
        committed: false,
        year: to.year,
        department: department.clone(),
        projects: Vec::new(),
        problems: Vec::new(),
    };
    for issue in &source.tables.issues {
        report.problems.push(warning(issue.line, &issue.message, &issue.text));
    }
    let mut created = Vec::new();
    for table in &source.tables.projects {
        let (project, problems) = import_table(&txn, user, department_id, to.year, table).await?;
        report.problems.extend(problems);
        if let Some(id) = project.project_id {
            created.push(id);
        }
        if table.department.as_deref().is_some_and(|d| d.trim() != department) {
            let named = table.department.clone().unwrap_or_default();
            report.problems.push(Problem {
                place: format!("项目“{}”", project.name),
                severity: Severity::Warning,
                message: format!("表中主管部门为“{named}”，将导入到“{department}”"),
            });
        }
        if table.year.is_some_and(|y| y != to.year) {
            report.problems.push(Problem {
                place: format!("项目“{}”", project.name),
                severity: Severity::Warning,
                message: format!("表中年度为 {} 年，将导入到 {} 年度", table.year.unwrap_or_default(), to.year),
            });
        }
        report.projects.push(project);
    }
    if dry_run || report.errors() > 0 {
        txn.rollback().await?;
        for p in &mut report.projects {
            p.project_id = None;
        }
        return Ok(report);
    }
    write::commit(txn, &created).await?;
    report.committed = true;
    Ok(report)
}

fn warning(line: usize, message: &str, text: &str) -> Problem {
    let place = if line == 0 { "全文".to_owned() } else { format!("第{line}行") };
    let text: String = text.chars().take(60).collect();
    let message = if text.is_empty() { message.to_owned() } else { format!("{message}（{text}）") };
    Problem { place, severity: Severity::Warning, message }
}

/// One table in a savepoint: the project, then each row in a savepoint of its own.
async fn import_table(
    txn: &sea_orm::DatabaseTransaction,
    user: &user::Model,
    department_id: i32,
    year: i32,
    table: &ImportedProject,
) -> Result<(TargetProject, Vec<Problem>)> {
    let name = table.name.trim().to_owned();
    let mut problems: Vec<Problem> = table.issues.iter().map(|i| warning(i.line, &i.message, &i.text)).collect();
    let mut project = TargetProject {
        name: name.clone(),
        table_department: table.department.clone(),
        table_year: table.year,
        implementing_unit: table.implementing_unit.clone(),
        funds_total: table.funds_total,
        annual_goals: table.annual_goals.len(),
        rows: Vec::new(),
        project_id: None,
    };
    for ind in &table.indicators {
        project.rows.push(TargetRow {
            place: format!("第{}行", ind.line),
            level1: ind.level1.clone(),
            level2: ind.level2.clone(),
            name: ind.name.clone(),
            target_text: ind.target_text.clone(),
            weight: ind.weight,
            reading: domain::library::reading(&ind.target).unwrap_or_else(|e| e),
        });
    }
    let place = format!("项目“{}”", if name.is_empty() { &table.title } else { &name });
    let error = |place: &str, message: String| Problem { place: place.to_owned(), severity: Severity::Error, message };
    if table.indicators.is_empty() {
        problems.push(error(&place, "表中没有可导入的指标行".to_owned()));
    }
    // Only 财政拨款 given, or only the total: the total is the fiscal part.
    let fiscal = table.funds_fiscal.or(match table.funds_other {
        Some(other) => table.funds_total.and_then(|t| t.checked_sub(other)),
        None => table.funds_total,
    });
    let header = Header {
        name: name.clone(),
        implementing_unit: table.implementing_unit.clone(),
        funds_fiscal: fiscal,
        funds_other: table.funds_other,
        overall_goal: table.overall_goal.clone(),
        annual_goals: table.annual_goals.join("\n"),
    };
    let savepoint = txn.begin().await?;
    let id = match create_project_in(&savepoint, user, Some(department_id), year, &header).await {
        Ok(id) => id,
        Err(e) if e.is_database_failure() => return Err(e),
        Err(e) => {
            savepoint.rollback().await?;
            problems.push(error(&place, e.to_string()));
            return Ok((project, problems));
        }
    };
    for ind in &table.indicators {
        let place = format!("第{}行", ind.line);
        // A 二级 the table writes its own way, read as the standard one it can only mean: said.
        let level2 = match domain::library::standard_level2(&ind.level1, &ind.level2) {
            Some(standard) if standard != ind.level2 => {
                problems.push(Problem {
                    place: place.clone(),
                    severity: Severity::Warning,
                    message: format!("{}：二级指标“{}”按标准类别记为“{standard}”", ind.name, ind.level2),
                });
                standard.to_owned()
            }
            _ => ind.level2.clone(),
        };
        let new = NewIndicatorEdit {
            level1: ind.level1.clone(),
            level2,
            name: ind.name.clone(),
            edit: IndicatorEdit {
                target_text: ind.target_text.clone(),
                weight: ind.weight,
                direction: ind.comparator_column.as_deref().and_then(IndicatorNature::from_column),
                basis: None,
                core: ind.core,
            },
        };
        let row = savepoint.begin().await?;
        match add_indicator_in(&row, user, id, &new).await {
            Ok(_) => row.commit().await?,
            Err(e) if e.is_database_failure() => return Err(e),
            Err(e) => {
                row.rollback().await?;
                problems.push(error(&place, format!("{}：{e}", ind.name)));
            }
        }
    }
    savepoint.commit().await?;
    project.project_id = Some(id);
    Ok((project, problems))
}
