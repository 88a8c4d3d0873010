//! The templates a department downloads — the 自评表 and the 运行监控表: one sheet per project in
//! the standard layout (domain-rules.md §6) pre-filled with its header, funds, indicators and
//! what is stored so far; the user fills the yellow cells (实际完成值, 偏差原因分析及改进措施 and
//! the year-end funds; or 1–7月执行情况, 全年预计完成情况, 完成目标可能性, 偏差原因, 纠偏措施 and
//! the 1–7月 funds). Keys that survive editing: a hidden 编号 column (project and indicator ids,
//! target version) and the workbook's custom properties; everything but the input cells is
//! protected.

use crate::layout::{indicator_key, project_key};
use db::entities::project;
use db::store;
use db::{Error, Result};
use domain::upload::MonitoringValues;
use domain::value::{parse_target, Target, ValueKind};
use domain::vocab::{DeviationCategory, EntityKind, Likelihood, TemplateKind, ValueSet, VersionState};
use domain::workflow::{can_read, ActionKind, Denial, Phase, Refusal};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;

/// The custom property naming what a workbook is, and its value for this template.
pub const KIND_PROPERTY: &str = "jixiao.template";

/// What the template is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Project(i32),
    Department { department_id: i32, year: i32 },
}

/// One project as the template shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateProject {
    pub id: i32,
    pub name: String,
    pub department: String,
    pub implementing_unit: String,
    pub year: i32,
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed_full_year: Option<Decimal>,
    /// 1–7月执行数.
    pub executed_jan_jul: Option<Decimal>,
    /// 全年预计执行数.
    pub expected_execution: Option<Decimal>,
    /// The approved target version the targets come from (0 = never approved).
    pub target_version: i32,
    pub indicators: Vec<TemplateIndicator>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateIndicator {
    pub id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target: String,
    pub unit: String,
    pub weight: Option<Decimal>,
    pub actual: Option<String>,
    pub explanation: Option<String>,
    /// The stored 运行监控 entry.
    pub monitoring: MonitoringValues,
}

/// The projects of `scope` that `user` may read, with their current targets and stored actuals.
/// A project of another department is refused, as is a department user's request for another
/// department.
pub async fn load(
    conn: &impl ConnectionTrait,
    user: &db::entities::user::Model,
    scope: Scope,
) -> Result<Vec<TemplateProject>> {
    let actor = db::accounts::actor(user);
    let projects = match scope {
        Scope::Project(id) => {
            let p = project::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
            vec![p]
        }
        Scope::Department { department_id, year } => {
            store::directory::department(conn, department_id).await?.ok_or(Error::NotFound(EntityKind::Department))?;
            let fy = store::directory::fiscal_year_by_year(conn, year)
                .await?
                .ok_or(Error::NotFound(EntityKind::FiscalYear))?;
            project::Entity::find()
                .filter(project::Column::DepartmentId.eq(department_id))
                .filter(project::Column::FiscalYearId.eq(fy.id))
                .order_by_asc(project::Column::Name)
                .all(conn)
                .await?
        }
    };
    for p in &projects {
        if !can_read(&actor, p.department_id) {
            return Err(other_department());
        }
    }
    if let Scope::Department { department_id, .. } = scope {
        if !can_read(&actor, department_id) {
            return Err(other_department());
        }
    }
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let mut indicators = store::projects::indicators_of(conn, &ids).await?;
    let mut targets = store::versions::current_targets_of(conn, &ids).await?;
    let mut actuals = store::actuals::of_projects(conn, &ids).await?;
    let mut monitoring = store::monitoring::of_projects(conn, &ids).await?;
    let departments: std::collections::HashMap<i32, String> =
        store::directory::departments(conn).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let years: std::collections::HashMap<i32, i32> =
        store::directory::fiscal_years(conn).await?.into_iter().map(|y| (y.id, y.year)).collect();
    let mut out = Vec::with_capacity(projects.len());
    for p in projects {
        let department = departments.get(&p.department_id).cloned().unwrap_or_default();
        let year = years.get(&p.fiscal_year_id).copied().unwrap_or(0);
        let version = store::versions::newest(conn, p.id, VersionState::Approved).await?.map_or(0, |v| v.number);
        let targets = targets.remove(&p.id).unwrap_or_default();
        let actuals = actuals.remove(&p.id).unwrap_or_default();
        let monitoring = monitoring.remove(&p.id).unwrap_or_default();
        let indicators = indicators
            .remove(&p.id)
            .unwrap_or_default()
            .into_iter()
            .map(|ind| {
                let (target, weight) =
                    targets.get(&ind.id).cloned().unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
                let parsed = parse_target(&target, &store::projects::target_context(&ind, ind.direction.map(|d| d.0)));
                let a = actuals.iter().find(|a| a.indicator_id == ind.id);
                let m = monitoring.iter().find(|m| m.indicator_id == ind.id);
                TemplateIndicator {
                    id: ind.id,
                    level1: ind.level1.clone(),
                    level2: ind.level2.clone(),
                    name: ind.name.clone(),
                    unit: unit_label(&parsed),
                    target,
                    weight: weight.map(|w| w.normalize()),
                    actual: a.and_then(|a| a.actual_text.clone()),
                    explanation: a.and_then(|a| a.explanation.clone()),
                    monitoring: m.map(monitoring_values).unwrap_or_default(),
                }
            })
            .collect();
        out.push(TemplateProject {
            id: p.id,
            name: p.name.clone(),
            department,
            implementing_unit: p.implementing_unit.clone().unwrap_or_default(),
            year,
            budget_initial: p.budget_initial.map(|a| a.0.normalize()),
            budget_full_year: p.budget_full_year.map(|a| a.0.normalize()),
            executed_full_year: p.executed_full_year.map(|a| a.0.normalize()),
            executed_jan_jul: p.executed_jan_jul.map(|a| a.0.normalize()),
            expected_execution: p.expected_execution.map(|a| a.0.normalize()),
            target_version: version,
            indicators,
        });
    }
    Ok(out)
}

/// A stored 运行监控 entry as the import compares it.
pub fn monitoring_values(e: &db::entities::monitoring_entry::Model) -> MonitoringValues {
    MonitoringValues {
        progress: e.progress.clone(),
        forecast: e.forecast.clone(),
        likelihood: e.likelihood.map(|k| k.0),
        deviation_category: e.deviation_category.map(|k| k.0),
        deviation_reason: e.deviation_reason.clone(),
        corrective_action: e.corrective_action.clone(),
    }
}

fn other_department() -> Error {
    Refusal::Forbidden { phase: Phase::SelfEvaluation, action: ActionKind::Edit, denial: Denial::OtherDepartment }
        .into()
}

/// The 计量单位 a target is written in ("元/年", "%", "个"), or "".
pub fn unit_label(target: &Target) -> String {
    let unit = match &target.kind {
        ValueKind::Quantity { quantity, .. } => quantity.unit.as_ref(),
        ValueKind::Range { low, high } => low.unit.as_ref().or(high.unit.as_ref()),
        _ => None,
    };
    unit.map(|u| format!("{}{}", u.symbol, u.period.clone().unwrap_or_default())).unwrap_or_default()
}

/// The row of the indicator header (0-based); indicators start below it.
pub const HEADER_ROW: u32 = 6;

/// The template workbook of `kind` for `projects`.
pub fn workbook(kind: TemplateKind, projects: &[TemplateProject], year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ids: Vec<String> = projects.iter().map(|p| p.id.to_string()).collect();
    let props = DocProperties::new()
        .set_title(format!("{year}年度项目支出{}", kind.label()))
        .set_custom_property(KIND_PROPERTY, kind.key())
        .set_custom_property("jixiao.year", year.to_string().as_str())
        .set_custom_property("jixiao.projects", ids.join(",").as_str());
    wb.set_properties(&props);
    let mut names = HashSet::new();
    for p in projects {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&p.name, &format!("项目{}", p.id), &mut names))?;
        let f = Formats::new();
        match kind {
            TemplateKind::Selfeval => write_selfeval(ws, p, &f)?,
            TemplateKind::Monitoring => write_monitoring(ws, p, &f)?,
        }
    }
    if projects.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("说明")?;
        ws.write_string(0, 0, "该范围内没有项目")?;
    }
    wb.save_to_buffer()
}

/// The 自评表 workbook for `projects`.
pub fn selfeval_workbook(projects: &[TemplateProject], year: i32) -> Result<Vec<u8>, XlsxError> {
    workbook(TemplateKind::Selfeval, projects, year)
}

/// A sheet name from `name`: at most 31 characters, none of []:*?/\', unique among `used`.
pub fn sheet_name(name: &str, fallback: &str, used: &mut HashSet<String>) -> String {
    let clean: String =
        name.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(24).collect::<String>().trim().to_owned();
    let base = if clean.is_empty() { fallback.to_owned() } else { clean };
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}({n})");
        n += 1;
    }
    candidate
}

/// The cell formats both templates use.
struct Formats {
    cell: Format,
    center: Format,
    label: Format,
    input: Format,
    input_text: Format,
    money: Format,
    money_input: Format,
    percent: Format,
    title: Format,
    key: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = Format::new().set_border(FormatBorder::Thin).set_font_name("宋体").set_font_size(10);
        let cell = border.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter);
        let center = cell.clone().set_align(FormatAlign::Center);
        let input = cell.clone().set_unlocked().set_background_color("#FFF2CC");
        Formats {
            label: center.clone().set_bold().set_background_color("#F2F2F2"),
            input_text: input.clone().set_num_format("@"),
            money: cell.clone().set_num_format("#,##0.00"),
            money_input: input.clone().set_num_format("#,##0.00"),
            percent: cell.clone().set_num_format("0.00%"),
            title: Format::new().set_bold().set_font_size(16).set_font_name("宋体").set_align(FormatAlign::Center),
            key: Format::new().set_font_color("#808080"),
            cell,
            center,
            input,
        }
    }
}

/// Column widths, the title, the header block (项目名称, 主管部门, 实施单位, 填报说明) and the
/// hidden key column; `last` is the last visible column, `key_col` the hidden one.
fn write_header_block(
    ws: &mut Worksheet,
    p: &TemplateProject,
    f: &Formats,
    title: &str,
    widths: &[f64],
    key_col: u16,
) -> Result<(), XlsxError> {
    let last = key_col - 1;
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    ws.set_column_width(key_col, 14.0)?;
    ws.set_column_hidden(key_col)?;
    ws.merge_range(0, 0, 0, last, &format!("{}年度{title}", p.year), &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.write_string_with_format(1, 0, "项目名称", &f.label)?;
    ws.merge_range(1, 1, 1, 3, &p.name, &f.cell)?;
    ws.write_string_with_format(1, 4, "主管部门", &f.label)?;
    ws.merge_range(1, 5, 1, last, &p.department, &f.cell)?;
    ws.write_string_with_format(1, key_col, project_key(p.id), &f.key)?;
    ws.write_string_with_format(2, 0, "实施单位", &f.label)?;
    ws.merge_range(2, 1, 2, 3, &p.implementing_unit, &f.cell)?;
    ws.write_string_with_format(2, 4, "填报说明", &f.label)?;
    ws.merge_range(2, 5, 2, last, "只填写黄色单元格；请勿改动隐藏的编号列和指标名称", &f.cell)?;
    Ok(())
}

fn write_amount(ws: &mut Worksheet, row: u32, col: u16, v: Option<Decimal>, format: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_with_format(row, col, v, format)?,
        None => ws.write_blank(row, col, format)?,
    };
    Ok(())
}

/// Amounts (万元) not below zero, in `cols` of row `row`.
fn money_rule(ws: &mut Worksheet, row: u32, first: u16, last: u16) -> Result<(), XlsxError> {
    let rule = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title("金额有误")?
        .set_error_message("请填写不小于 0 的金额（万元）")?;
    ws.add_data_validation(row, first, row, last, &rule)?;
    Ok(())
}

fn text_rule(max: u32, what: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
        .set_error_title("内容过长")?
        .set_error_message(format!("{what}最多 {max} 个字"))
}

/// A drop-down of `T`'s labels.
fn list_rule<T: ValueSet>(what: &str) -> Result<DataValidation, XlsxError> {
    let labels: Vec<&str> = T::ALL.iter().map(|v| v.label()).collect();
    DataValidation::new()
        .allow_list_strings(&labels)?
        .set_error_title(format!("{what}有误"))?
        .set_error_message(format!("请从下拉列表中选择：{}", labels.join("、")))
}

/// The indicator header and the 一级 / 二级 / 三级 / 指标值 cells of each indicator row.
fn write_indicator_columns(
    ws: &mut Worksheet,
    p: &TemplateProject,
    f: &Formats,
    headers: &[&str],
    key_col: u16,
) -> Result<(), XlsxError> {
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &f.label)?;
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        ws.write_string_with_format(row, 0, &ind.level1, &f.center)?;
        ws.write_string_with_format(row, 1, &ind.level2, &f.center)?;
        ws.write_string_with_format(row, 2, &ind.name, &f.cell)?;
        ws.write_string_with_format(row, 3, &ind.target, &f.center)?;
        ws.write_string_with_format(row, key_col, indicator_key(ind.id, p.target_version), &f.key)?;
    }
    Ok(())
}

/// Print setup, frozen header and protection of everything but the input cells.
fn finish_sheet(ws: &mut Worksheet, last_row: u32, last_col: u16) -> Result<(), XlsxError> {
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_area(0, 0, last_row, last_col)?;
    let options = ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() };
    ws.protect_with_options(&options);
    Ok(())
}

// Columns of a 自评表 indicator row (一级, 二级, 三级, 指标值 are 0–3).
const COL_UNIT: u16 = 4;
const COL_WEIGHT: u16 = 5;
const COL_ACTUAL: u16 = 6;
const COL_EXPLANATION: u16 = 7;
const COL_KEY: u16 = 8;

fn write_selfeval(ws: &mut Worksheet, p: &TemplateProject, f: &Formats) -> Result<(), XlsxError> {
    write_header_block(ws, p, f, "项目支出绩效自评表", &[12.0, 12.0, 28.0, 18.0, 9.0, 7.0, 18.0, 40.0], COL_KEY)?;
    ws.write_string_with_format(3, 0, "项目资金（万元）", &f.label)?;
    ws.write_string_with_format(3, 1, "年初预算数", &f.label)?;
    ws.write_string_with_format(3, 2, "全年预算数（A）", &f.label)?;
    ws.write_string_with_format(3, 3, "全年执行数（B）", &f.label)?;
    ws.write_string_with_format(3, 4, "执行率（B/A）", &f.label)?;
    ws.write_string_with_format(4, 0, "年度资金总额", &f.label)?;
    write_amount(ws, 4, 1, p.budget_initial, &f.money)?;
    write_amount(ws, 4, 2, p.budget_full_year, &f.money_input)?;
    write_amount(ws, 4, 3, p.executed_full_year, &f.money_input)?;
    ws.write_formula_with_format(4, 4, "=IF(N(C5)>0,N(D5)/C5,\"\")", &f.percent)?;
    money_rule(ws, 4, 2, 3)?;

    let headers = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值（A）",
        "计量单位",
        "分值",
        "实际完成值（B）",
        "偏差原因分析及改进措施",
        "编号（勿改）",
    ];
    write_indicator_columns(ws, p, f, &headers, COL_KEY)?;
    let first = HEADER_ROW + 1;
    for (i, ind) in p.indicators.iter().enumerate() {
        let row = first + i as u32;
        ws.write_string_with_format(row, COL_UNIT, &ind.unit, &f.center)?;
        match ind.weight {
            Some(w) => ws.write_with_format(row, COL_WEIGHT, w, &f.center)?,
            None => ws.write_blank(row, COL_WEIGHT, &f.center)?,
        };
        ws.write_string_with_format(row, COL_ACTUAL, ind.actual.as_deref().unwrap_or(""), &f.input_text)?;
        ws.write_string_with_format(row, COL_EXPLANATION, ind.explanation.as_deref().unwrap_or(""), &f.input)?;
    }
    let n = p.indicators.len() as u32;
    let total_row = first + n;
    ws.write_string_with_format(total_row, 0, "合计", &f.label)?;
    for col in 1..=COL_EXPLANATION {
        if col != COL_WEIGHT {
            ws.write_blank(total_row, col, &f.cell)?;
        }
    }
    if n > 0 {
        ws.write_formula_with_format(
            total_row,
            COL_WEIGHT,
            format!("=SUM(F{}:F{})", first + 1, total_row).as_str(),
            &f.center,
        )?;
        ws.add_data_validation(first, COL_ACTUAL, total_row - 1, COL_ACTUAL, &text_rule(200, "实际完成值")?)?;
        ws.add_data_validation(first, COL_EXPLANATION, total_row - 1, COL_EXPLANATION, &text_rule(1000, "偏差原因")?)?;
    }
    finish_sheet(ws, total_row, COL_EXPLANATION)
}

// Columns of a 运行监控表 indicator row (一级, 二级, 三级, 指标值 are 0–3).
const MON_PROGRESS: u16 = 4;
const MON_FORECAST: u16 = 5;
const MON_LIKELIHOOD: u16 = 6;
const MON_CATEGORY: u16 = 7;
const MON_REASON: u16 = 8;
const MON_CORRECTIVE: u16 = 9;
const MON_KEY: u16 = 10;

fn write_monitoring(ws: &mut Worksheet, p: &TemplateProject, f: &Formats) -> Result<(), XlsxError> {
    write_header_block(
        ws,
        p,
        f,
        "项目支出绩效运行监控表",
        &[12.0, 12.0, 24.0, 16.0, 18.0, 16.0, 12.0, 12.0, 28.0, 28.0],
        MON_KEY,
    )?;
    ws.write_string_with_format(3, 0, "项目资金（万元）", &f.label)?;
    ws.write_string_with_format(3, 1, "年初预算数", &f.label)?;
    ws.write_string_with_format(3, 2, "1-7月执行数", &f.label)?;
    ws.write_string_with_format(3, 3, "1-7月执行率", &f.label)?;
    ws.write_string_with_format(3, 4, "全年预计执行数", &f.label)?;
    ws.write_string_with_format(4, 0, "年度资金总额", &f.label)?;
    write_amount(ws, 4, 1, p.budget_initial, &f.money)?;
    write_amount(ws, 4, 2, p.executed_jan_jul, &f.money_input)?;
    ws.write_formula_with_format(4, 3, "=IF(N(B5)>0,N(C5)/B5,\"\")", &f.percent)?;
    write_amount(ws, 4, 4, p.expected_execution, &f.money_input)?;
    money_rule(ws, 4, 2, 2)?;
    money_rule(ws, 4, 4, 4)?;

    let headers = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1-7月执行情况",
        "全年预计完成情况",
        "完成目标可能性",
        "偏差原因类别",
        "偏差原因分析",
        "偏差纠正措施",
        "编号（勿改）",
    ];
    write_indicator_columns(ws, p, f, &headers, MON_KEY)?;
    let first = HEADER_ROW + 1;
    for (i, ind) in p.indicators.iter().enumerate() {
        let row = first + i as u32;
        let m = &ind.monitoring;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ws.write_string_with_format(row, MON_PROGRESS, text(&m.progress), &f.input_text)?;
        ws.write_string_with_format(row, MON_FORECAST, text(&m.forecast), &f.input_text)?;
        ws.write_string_with_format(row, MON_LIKELIHOOD, m.likelihood.map_or("", |l| l.label()), &f.input)?;
        ws.write_string_with_format(row, MON_CATEGORY, m.deviation_category.map_or("", |c| c.label()), &f.input)?;
        ws.write_string_with_format(row, MON_REASON, text(&m.deviation_reason), &f.input)?;
        ws.write_string_with_format(row, MON_CORRECTIVE, text(&m.corrective_action), &f.input)?;
    }
    let n = p.indicators.len() as u32;
    let last = first + n.max(1) - 1;
    if n > 0 {
        let max = db::cycle::monitoring::MAX_CHARS as u32;
        ws.add_data_validation(first, MON_PROGRESS, last, MON_PROGRESS, &text_rule(max, "1-7月执行情况")?)?;
        ws.add_data_validation(first, MON_FORECAST, last, MON_FORECAST, &text_rule(max, "全年预计完成情况")?)?;
        ws.add_data_validation(
            first,
            MON_LIKELIHOOD,
            last,
            MON_LIKELIHOOD,
            &list_rule::<Likelihood>("完成目标可能性")?,
        )?;
        ws.add_data_validation(
            first,
            MON_CATEGORY,
            last,
            MON_CATEGORY,
            &list_rule::<DeviationCategory>("偏差原因类别")?,
        )?;
        ws.add_data_validation(first, MON_REASON, last, MON_REASON, &text_rule(max, "偏差原因")?)?;
        ws.add_data_validation(first, MON_CORRECTIVE, last, MON_CORRECTIVE, &text_rule(max, "纠偏措施")?)?;
    }
    finish_sheet(ws, first + n, MON_CORRECTIVE)
}
