//! The 自评表 template a department downloads: one sheet per project in the standard layout
//! (domain-rules.md §6) pre-filled with its header, funds, indicators and what is stored so far;
//! the user fills 实际完成值, 偏差原因分析及改进措施 and the funds in the yellow cells. Keys that
//! survive editing: a hidden 编号 column (project and indicator ids, target version) and the
//! workbook's custom properties; everything but the input cells is protected.

use crate::layout::{indicator_key, project_key};
use db::entities::project;
use db::store;
use db::{Error, Result};
use domain::value::{parse_target, Target, ValueKind};
use domain::vocab::{EntityKind, VersionState};
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
pub const SELFEVAL_KIND: &str = "selfeval";

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
        let indicators = indicators
            .remove(&p.id)
            .unwrap_or_default()
            .into_iter()
            .map(|ind| {
                let (target, weight) =
                    targets.get(&ind.id).cloned().unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
                let parsed = parse_target(&target, &store::projects::target_context(&ind, ind.direction.map(|d| d.0)));
                let a = actuals.iter().find(|a| a.indicator_id == ind.id);
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
            target_version: version,
            indicators,
        });
    }
    Ok(out)
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

// Columns of an indicator row.
const COL_LEVEL1: u16 = 0;
const COL_LEVEL2: u16 = 1;
const COL_NAME: u16 = 2;
const COL_TARGET: u16 = 3;
const COL_UNIT: u16 = 4;
const COL_WEIGHT: u16 = 5;
const COL_ACTUAL: u16 = 6;
const COL_EXPLANATION: u16 = 7;
const COL_KEY: u16 = 8;
/// The row of the indicator header (0-based); indicators start below it.
pub const HEADER_ROW: u32 = 6;

/// The 自评表 workbook for `projects`.
pub fn selfeval_workbook(projects: &[TemplateProject], year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ids: Vec<String> = projects.iter().map(|p| p.id.to_string()).collect();
    let props = DocProperties::new()
        .set_title(format!("{year}年度项目支出绩效自评表"))
        .set_custom_property(KIND_PROPERTY, SELFEVAL_KIND)
        .set_custom_property("jixiao.year", year.to_string().as_str())
        .set_custom_property("jixiao.projects", ids.join(",").as_str());
    wb.set_properties(&props);
    let mut names = HashSet::new();
    for p in projects {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&p.name, &format!("项目{}", p.id), &mut names))?;
        write_project(ws, p)?;
    }
    if projects.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("说明")?;
        ws.write_string(0, 0, "该范围内没有项目")?;
    }
    wb.save_to_buffer()
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

fn write_project(ws: &mut Worksheet, p: &TemplateProject) -> Result<(), XlsxError> {
    let border = Format::new().set_border(FormatBorder::Thin).set_font_name("宋体").set_font_size(10);
    let cell = border.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let center = cell.clone().set_align(FormatAlign::Center);
    let label = center.clone().set_bold().set_background_color("#F2F2F2");
    let input = cell.clone().set_unlocked().set_background_color("#FFF2CC");
    let input_text = input.clone().set_num_format("@");
    let money = cell.clone().set_num_format("#,##0.00");
    let money_input = input.clone().set_num_format("#,##0.00");
    let percent = cell.clone().set_num_format("0.00%");
    let title = Format::new().set_bold().set_font_size(16).set_font_name("宋体").set_align(FormatAlign::Center);
    let key = Format::new().set_font_color("#808080");

    for (col, width) in
        [(0, 12.0), (1, 12.0), (2, 28.0), (3, 18.0), (4, 9.0), (5, 7.0), (6, 18.0), (7, 40.0), (8, 14.0)]
    {
        ws.set_column_width(col, width)?;
    }
    ws.set_column_hidden(COL_KEY)?;
    ws.merge_range(0, 0, 0, COL_EXPLANATION, &format!("{}年度项目支出绩效自评表", p.year), &title)?;
    ws.set_row_height(0, 30)?;

    ws.write_string_with_format(1, 0, "项目名称", &label)?;
    ws.merge_range(1, 1, 1, 3, &p.name, &cell)?;
    ws.write_string_with_format(1, 4, "主管部门", &label)?;
    ws.merge_range(1, 5, 1, COL_EXPLANATION, &p.department, &cell)?;
    ws.write_string_with_format(1, COL_KEY, project_key(p.id), &key)?;
    ws.write_string_with_format(2, 0, "实施单位", &label)?;
    ws.merge_range(2, 1, 2, 3, &p.implementing_unit, &cell)?;
    ws.write_string_with_format(2, 4, "填报说明", &label)?;
    ws.merge_range(2, 5, 2, COL_EXPLANATION, "只填写黄色单元格；请勿改动隐藏的编号列和指标名称", &cell)?;

    ws.write_string_with_format(3, 0, "项目资金（万元）", &label)?;
    ws.write_string_with_format(3, 1, "年初预算数", &label)?;
    ws.write_string_with_format(3, 2, "全年预算数（A）", &label)?;
    ws.write_string_with_format(3, 3, "全年执行数（B）", &label)?;
    ws.write_string_with_format(3, 4, "执行率（B/A）", &label)?;
    ws.write_string_with_format(4, 0, "年度资金总额", &label)?;
    match p.budget_initial {
        Some(v) => ws.write_with_format(4, 1, v, &money)?,
        None => ws.write_blank(4, 1, &money)?,
    };
    match p.budget_full_year {
        Some(v) => ws.write_with_format(4, 2, v, &money_input)?,
        None => ws.write_blank(4, 2, &money_input)?,
    };
    match p.executed_full_year {
        Some(v) => ws.write_with_format(4, 3, v, &money_input)?,
        None => ws.write_blank(4, 3, &money_input)?,
    };
    ws.write_formula_with_format(4, 4, "=IF(N(C5)>0,N(D5)/C5,\"\")", &percent)?;
    let money_rule = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title("金额有误")?
        .set_error_message("请填写不小于 0 的金额（万元）")?;
    ws.add_data_validation(4, 2, 4, 3, &money_rule)?;

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
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &label)?;
    }
    let first = HEADER_ROW + 1;
    for (i, ind) in p.indicators.iter().enumerate() {
        let row = first + i as u32;
        ws.write_string_with_format(row, COL_LEVEL1, &ind.level1, &center)?;
        ws.write_string_with_format(row, COL_LEVEL2, &ind.level2, &center)?;
        ws.write_string_with_format(row, COL_NAME, &ind.name, &cell)?;
        ws.write_string_with_format(row, COL_TARGET, &ind.target, &center)?;
        ws.write_string_with_format(row, COL_UNIT, &ind.unit, &center)?;
        match ind.weight {
            Some(w) => ws.write_with_format(row, COL_WEIGHT, w, &center)?,
            None => ws.write_blank(row, COL_WEIGHT, &center)?,
        };
        ws.write_string_with_format(row, COL_ACTUAL, ind.actual.as_deref().unwrap_or(""), &input_text)?;
        ws.write_string_with_format(row, COL_EXPLANATION, ind.explanation.as_deref().unwrap_or(""), &input)?;
        ws.write_string_with_format(row, COL_KEY, indicator_key(ind.id, p.target_version), &key)?;
    }
    let n = p.indicators.len() as u32;
    let total_row = first + n;
    ws.write_string_with_format(total_row, 0, "合计", &label)?;
    for col in 1..=COL_EXPLANATION {
        if col != COL_WEIGHT {
            ws.write_blank(total_row, col, &cell)?;
        }
    }
    if n > 0 {
        ws.write_formula_with_format(
            total_row,
            COL_WEIGHT,
            format!("=SUM(F{}:F{})", first + 1, total_row).as_str(),
            &center,
        )?;
        let text_rule = |max: u32, what: &str| -> Result<DataValidation, XlsxError> {
            DataValidation::new()
                .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
                .set_error_title("内容过长")?
                .set_error_message(format!("{what}最多 {max} 个字"))
        };
        ws.add_data_validation(first, COL_ACTUAL, total_row - 1, COL_ACTUAL, &text_rule(200, "实际完成值")?)?;
        ws.add_data_validation(first, COL_EXPLANATION, total_row - 1, COL_EXPLANATION, &text_rule(1000, "偏差原因")?)?;
    }

    ws.set_freeze_panes(first, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_area(0, 0, total_row, COL_EXPLANATION)?;
    let options = ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() };
    ws.protect_with_options(&options);
    Ok(())
}
