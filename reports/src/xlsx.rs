//! The workbooks people file: 项目支出绩效自评表 and 项目支出绩效目标表 (one sheet per project, the
//! standard layouts of domain-rules.md §6, merged cells, borders, number formats, A4 landscape)
//! and the 汇总表 (a summary sheet plus one sheet per department). Written from the report model.

use crate::charts::build::num;
use crate::model::{DepartmentBlock, ProjectHeader, ProjectReport, Summary};
use domain::vocab::Grade;
use domain::workflow::Phase;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use sheets::template::sheet_name;
use std::collections::HashSet;

struct Formats {
    title: Format,
    subtitle: Format,
    label: Format,
    cell: Format,
    center: Format,
    money: Format,
    percent: Format,
    score: Format,
    bold_score: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = Format::new().set_border(FormatBorder::Thin).set_font_name("宋体").set_font_size(10);
        let cell = border.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter);
        let center = cell.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new().set_bold().set_font_size(16).set_font_name("宋体").set_align(FormatAlign::Center),
            subtitle: Format::new().set_font_size(11).set_font_name("宋体").set_align(FormatAlign::Center),
            label: center.clone().set_bold().set_background_color("#F2F2F2"),
            money: center.clone().set_num_format("#,##0.00"),
            percent: center.clone().set_num_format("0.00%"),
            score: center.clone().set_num_format("0.00"),
            bold_score: center.clone().set_num_format("0.00").set_bold(),
            cell,
            center,
        }
    }
}

fn props(title: &str) -> DocProperties {
    DocProperties::new().set_title(title).set_company("jixiao").set_custom_property("jixiao.export", title)
}

fn print_setup(ws: &mut Worksheet, last_row: u32, last_col: u16) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_area(0, 0, last_row, last_col)?;
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}

/// Writes `text` over rows `r1..=r2` and columns `c1..=c2`, merged when that is more than one cell.
fn merged(
    ws: &mut Worksheet,
    r1: u32,
    c1: u16,
    r2: u32,
    c2: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, text, format)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, text, format)?;
    }
    Ok(())
}

fn money_or_blank(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => ws.write_with_format(row, col, v, &f.money)?,
        None => ws.write_blank(row, col, &f.money)?,
    };
    Ok(())
}

/// A percentage (95.5 = 95.5 %) as an Excel percentage cell.
fn percent_or_blank(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => ws.write_with_format(row, col, v / Decimal::ONE_HUNDRED, &f.percent)?,
        None => ws.write_blank(row, col, &f.percent)?,
    };
    Ok(())
}

/// Runs of equal consecutive values: (first index, last index).
fn runs<T: PartialEq>(items: &[T]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.last_mut() {
            Some((start, end)) if items[*start] == *item => *end = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// The indicator rows' 一级 / 二级 columns, merged over equal runs (二级 within its 一级).
fn level_merges(
    ws: &mut Worksheet,
    first: u32,
    levels: &[(String, String)],
    col1: u16,
    f: &Formats,
) -> Result<(), XlsxError> {
    let level1: Vec<&String> = levels.iter().map(|l| &l.0).collect();
    for (a, b) in runs(&level1) {
        merged(ws, first + a as u32, col1, first + b as u32, col1, level1[a], &f.center)?;
    }
    for (a, b) in runs(levels) {
        merged(ws, first + a as u32, col1 + 1, first + b as u32, col1 + 1, &levels[a].1, &f.center)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- 自评表

/// The row the 自评表's indicator header is on (0-based).
pub const SELFEVAL_INDICATOR_HEADER: u32 = 11;

/// 项目支出绩效自评表 for `reports`, one sheet per project.
pub fn selfeval_workbook(reports: &[ProjectReport]) -> Result<Vec<u8>, XlsxError> {
    per_project("项目支出绩效自评表", reports, selfeval_sheet)
}

/// A workbook titled `title` with one sheet per project, written by `sheet`; a note sheet when
/// there is no project.
fn per_project(
    title: &str,
    reports: &[ProjectReport],
    sheet: fn(&mut Worksheet, &ProjectReport, &Formats) -> Result<(), XlsxError>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&props(title));
    let f = Formats::new();
    let mut used = HashSet::new();
    for r in reports {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&r.header.name, &format!("项目{}", r.header.id), &mut used))?;
        sheet(ws, r, &f)?;
    }
    if reports.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("说明")?;
        ws.write_string(0, 0, "该范围内没有项目")?;
    }
    wb.save_to_buffer()
}

fn selfeval_sheet(ws: &mut Worksheet, r: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    let h = &r.header;
    let res = &r.result;
    for (col, width) in
        [(0, 10.0), (1, 14.0), (2, 14.0), (3, 26.0), (4, 16.0), (5, 16.0), (6, 8.0), (7, 8.0), (8, 36.0)]
    {
        ws.set_column_width(col, width)?;
    }
    ws.merge_range(0, 0, 0, 8, "项目支出绩效自评表", &f.title)?;
    ws.set_row_height(0, 28)?;
    ws.merge_range(1, 0, 1, 8, &format!("（{}年度）", h.year), &f.subtitle)?;
    ws.write_string_with_format(2, 0, "项目名称", &f.label)?;
    ws.merge_range(2, 1, 2, 8, &h.name, &f.cell)?;
    ws.write_string_with_format(3, 0, "主管部门", &f.label)?;
    ws.merge_range(3, 1, 3, 4, &h.department, &f.cell)?;
    ws.write_string_with_format(3, 5, "实施单位", &f.label)?;
    ws.merge_range(3, 6, 3, 8, h.unit_or_department(), &f.cell)?;

    // Funds block: rows 4–8.
    ws.merge_range(4, 0, 8, 0, "项目资金（万元）", &f.label)?;
    ws.write_string_with_format(4, 1, "", &f.label)?;
    for (col, text) in
        [(2, "年初预算数"), (3, "全年预算数（A）"), (4, "全年执行数（B）"), (5, "分值"), (6, "执行率（B/A）")]
    {
        ws.write_string_with_format(4, col, text, &f.label)?;
    }
    ws.merge_range(4, 7, 4, 8, "得分", &f.label)?;
    ws.write_string_with_format(5, 1, "年度资金总额", &f.center)?;
    money_or_blank(ws, 5, 2, r.budget_initial.or(Some(h.funds_total)), f)?;
    money_or_blank(ws, 5, 3, h.budget, f)?;
    money_or_blank(ws, 5, 4, h.executed, f)?;
    ws.write_with_format(5, 5, res.execution.weight.normalize(), &f.score)?;
    percent_or_blank(ws, 5, 6, res.execution.rate, f)?;
    ws.merge_range(5, 7, 5, 8, "", &f.score)?;
    ws.write_with_format(5, 7, res.execution.score, &f.score)?;
    for (row, text, initial) in [
        (6, "其中：当年财政拨款", Some(h.funds_fiscal)),
        (7, "上年结转资金", None),
        (8, "其他资金", Some(h.funds_other)),
    ] {
        ws.write_string_with_format(row, 1, text, &f.center)?;
        money_or_blank(ws, row, 2, initial, f)?;
        for col in 3..=6 {
            ws.write_string_with_format(row, col, "—", &f.center)?;
        }
        ws.merge_range(row, 7, row, 8, "—", &f.center)?;
    }

    // Goals: rows 9–10.
    ws.merge_range(9, 0, 10, 0, "年度总体目标", &f.label)?;
    ws.merge_range(9, 1, 9, 4, "预期目标", &f.label)?;
    ws.merge_range(9, 5, 9, 8, "实际完成情况", &f.label)?;
    let goals = if r.annual_goals.is_empty() { r.overall_goal.clone() } else { r.annual_goals.join("\n") };
    ws.merge_range(10, 1, 10, 4, &goals, &f.cell)?;
    ws.merge_range(10, 5, 10, 8, &completion(r), &f.cell)?;
    ws.set_row_height(10, (18 * goals.lines().count().max(3)) as f64)?;

    // Indicators.
    let head = SELFEVAL_INDICATOR_HEADER;
    for (col, text) in [
        (1, "一级指标"),
        (2, "二级指标"),
        (3, "三级指标"),
        (4, "年度指标值（A）"),
        (5, "实际完成值（B）"),
        (6, "分值"),
        (7, "得分"),
        (8, "偏差原因分析及改进措施"),
    ] {
        ws.write_string_with_format(head, col, text, &f.label)?;
    }
    let first = head + 1;
    let n = r.indicators.len() as u32;
    merged(ws, head, 0, head + n.max(1), 0, "绩效指标", &f.label)?;
    let levels: Vec<(String, String)> = r.indicators.iter().map(|i| (i.level1.clone(), i.level2.clone())).collect();
    level_merges(ws, first, &levels, 1, f)?;
    for (i, ind) in r.indicators.iter().enumerate() {
        let row = first + i as u32;
        ws.write_string_with_format(row, 3, &ind.name, &f.cell)?;
        ws.write_string_with_format(row, 4, &ind.target, &f.center)?;
        ws.write_string_with_format(row, 5, ind.actual.as_deref().unwrap_or(""), &f.center)?;
        ws.write_with_format(row, 6, ind.weight, &f.score)?;
        ws.write_with_format(row, 7, ind.score, &f.score)?;
        let mut note = ind.explanation.clone().unwrap_or_default();
        if let (Some(own), Some((reason, reviewer))) = (ind.self_score, &ind.review) {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&format!(
                "财政复核：自评 {} 分调整为 {} 分（{reviewer}：{reason}）",
                num(own),
                num(ind.score)
            ));
        }
        ws.write_string_with_format(row, 8, &note, &f.cell)?;
    }
    if n == 0 {
        for col in 1..=8 {
            ws.write_blank(first, col, &f.cell)?;
        }
    }
    let total_row = first + n.max(1);
    ws.merge_range(total_row, 0, total_row, 5, "总分", &f.label)?;
    ws.write_with_format(total_row, 6, Decimal::ONE_HUNDRED, &f.score)?;
    ws.write_with_format(total_row, 7, res.total, &f.bold_score)?;
    ws.write_string_with_format(total_row, 8, format!("等级：{}", grade_label(res.grade)), &f.center)?;
    ws.set_repeat_rows(head, head)?;
    print_setup(ws, total_row, 8)
}

fn grade_label(grade: Option<Grade>) -> &'static str {
    grade.map_or("未评定", |g| g.label())
}

/// 实际完成情况 as the numbers say it: indicators met, total and grade.
pub fn completion(r: &ProjectReport) -> String {
    use domain::scoring::Measure;
    let quantitative = r.indicators.iter().filter(|i| matches!(i.measure, Measure::Quantitative { .. })).count();
    let full = r.indicators.iter().filter(|i| i.weight > Decimal::ZERO && i.score >= i.weight).count();
    let rate = r.result.execution.rate.map_or("无法计算".to_owned(), |x| format!("{}%", num(x)));
    format!(
        "共 {} 项绩效指标（其中定量指标 {} 项），{} 项得满分；预算执行率 {}；自评总分 {} 分，等级“{}”。",
        r.indicators.len(),
        quantitative,
        full,
        rate,
        num(r.result.total),
        grade_label(r.result.grade)
    )
}

// ---------------------------------------------------------------- 目标表

/// The row the 目标表's indicator header is on (0-based).
pub const TARGETS_INDICATOR_HEADER: u32 = 8;

/// 项目支出绩效目标表 for `reports`, one sheet per project.
pub fn targets_workbook(reports: &[ProjectReport]) -> Result<Vec<u8>, XlsxError> {
    per_project("项目支出绩效目标表", reports, targets_sheet)
}

fn targets_sheet(ws: &mut Worksheet, r: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    let h = &r.header;
    for (col, width) in [(0, 14.0), (1, 16.0), (2, 34.0), (3, 22.0), (4, 8.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.merge_range(0, 0, 0, 4, "项目支出绩效目标表", &f.title)?;
    ws.set_row_height(0, 28)?;
    ws.merge_range(1, 0, 1, 4, &format!("（{}年度）", h.year), &f.subtitle)?;
    ws.write_string_with_format(2, 0, "项目名称", &f.label)?;
    ws.merge_range(2, 1, 2, 4, &h.name, &f.cell)?;
    ws.write_string_with_format(3, 0, "主管部门", &f.label)?;
    ws.merge_range(3, 1, 3, 4, &h.department, &f.cell)?;
    ws.write_string_with_format(4, 0, "实施单位", &f.label)?;
    ws.merge_range(4, 1, 4, 4, h.unit_or_department(), &f.cell)?;
    ws.merge_range(5, 0, 6, 0, "项目资金（万元）", &f.label)?;
    ws.write_string_with_format(5, 1, "年度资金总额", &f.label)?;
    ws.write_string_with_format(5, 2, "其中：财政拨款", &f.label)?;
    ws.merge_range(5, 3, 5, 4, "其他资金", &f.label)?;
    ws.write_with_format(6, 1, h.funds_total, &f.money)?;
    ws.write_with_format(6, 2, h.funds_fiscal, &f.money)?;
    ws.merge_range(6, 3, 6, 4, "", &f.money)?;
    ws.write_with_format(6, 3, h.funds_other, &f.money)?;
    ws.write_string_with_format(7, 0, "年度目标", &f.label)?;
    let goals = if r.annual_goals.is_empty() { r.overall_goal.clone() } else { r.annual_goals.join("\n") };
    ws.merge_range(7, 1, 7, 4, &goals, &f.cell)?;
    ws.set_row_height(7, (18 * goals.lines().count().max(2)) as f64)?;
    let head = TARGETS_INDICATOR_HEADER;
    for (col, text) in [(0, "一级指标"), (1, "二级指标"), (2, "三级指标"), (3, "指标值"), (4, "分值")]
    {
        ws.write_string_with_format(head, col, text, &f.label)?;
    }
    let first = head + 1;
    let levels: Vec<(String, String)> = r.indicators.iter().map(|i| (i.level1.clone(), i.level2.clone())).collect();
    level_merges(ws, first, &levels, 0, f)?;
    for (i, ind) in r.indicators.iter().enumerate() {
        let row = first + i as u32;
        ws.write_string_with_format(row, 2, &ind.name, &f.cell)?;
        ws.write_string_with_format(row, 3, &ind.target, &f.center)?;
        ws.write_with_format(row, 4, ind.weight, &f.score)?;
    }
    let last = first + (r.indicators.len() as u32).max(1) - 1;
    ws.set_repeat_rows(head, head)?;
    print_setup(ws, last, 4)
}

// ---------------------------------------------------------------- 汇总表

const SUMMARY_HEADERS: [&str; 11] = [
    "部门",
    "项目数",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "预算执行率",
    "平均得分",
    "优",
    "良",
    "中",
    "差",
    "未评定",
];
const DEPARTMENT_HEADERS: [&str; 11] = [
    "项目名称",
    "年度资金总额（万元）",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "预算执行率",
    "自评得分",
    "等级",
    "目标申报",
    "运行监控",
    "绩效自评",
    "编号",
];

/// The 汇总表: a 汇总 sheet (one row per department, a 合计 row) and one sheet per department
/// (every project with funds, 执行率, score, grade and the three statuses).
pub fn summary_workbook(summary: &Summary) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = format!("{}{}年度项目支出绩效汇总表", summary.title, summary.year);
    wb.set_properties(&props(&title));
    let f = Formats::new();
    let mut used = HashSet::new();
    used.insert("汇总".to_owned());
    {
        let ws = wb.add_worksheet();
        ws.set_name("汇总")?;
        summary_sheet(ws, summary, &title, &f)?;
    }
    for d in &summary.departments {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&d.name, &format!("部门{}", d.id), &mut used))?;
        department_sheet(ws, d, summary.year, &f)?;
    }
    wb.save_to_buffer()
}

fn grade_count(projects: &[ProjectHeader], grade: Option<Grade>) -> u32 {
    projects.iter().filter(|p| p.grade == grade).count() as u32
}

fn summary_sheet(ws: &mut Worksheet, s: &Summary, title: &str, f: &Formats) -> Result<(), XlsxError> {
    let last_col = SUMMARY_HEADERS.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last_col, title, &f.title)?;
    ws.set_row_height(0, 28)?;
    ws.set_column_width(0, 24)?;
    for col in 1..=last_col {
        ws.set_column_width(col, if (2..=3).contains(&col) { 18 } else { 10 })?;
    }
    for (col, text) in SUMMARY_HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, col as u16, *text, &f.label)?;
    }
    let mut row = 2;
    for d in &s.departments {
        ws.write_string_with_format(row, 0, &d.name, &f.cell)?;
        ws.write_with_format(row, 1, d.projects.len() as u32, &f.center)?;
        ws.write_with_format(row, 2, d.budget(), &f.money)?;
        ws.write_with_format(row, 3, d.executed(), &f.money)?;
        percent_or_blank(ws, row, 4, d.execution_rate(), f)?;
        match d.average_score() {
            Some(a) => ws.write_with_format(row, 5, a, &f.score)?,
            None => ws.write_blank(row, 5, &f.score)?,
        };
        for (i, g) in Grade::ALL.iter().enumerate() {
            ws.write_with_format(row, 6 + i as u16, grade_count(&d.projects, Some(*g)), &f.center)?;
        }
        ws.write_with_format(row, 10, grade_count(&d.projects, None), &f.center)?;
        row += 1;
    }
    let all: Vec<ProjectHeader> = s.projects().cloned().collect();
    ws.write_string_with_format(row, 0, "合计", &f.label)?;
    ws.write_with_format(row, 1, all.len() as u32, &f.center)?;
    ws.write_with_format(row, 2, s.departments.iter().map(DepartmentBlock::budget).sum::<Decimal>(), &f.money)?;
    ws.write_with_format(row, 3, s.departments.iter().map(DepartmentBlock::executed).sum::<Decimal>(), &f.money)?;
    percent_or_blank(ws, row, 4, s.execution_rate(), f)?;
    match s.average_score() {
        Some(a) => ws.write_with_format(row, 5, a, &f.bold_score)?,
        None => ws.write_blank(row, 5, &f.score)?,
    };
    for (i, g) in Grade::ALL.iter().enumerate() {
        ws.write_with_format(row, 6 + i as u16, grade_count(&all, Some(*g)), &f.center)?;
    }
    ws.write_with_format(row, 10, grade_count(&all, None), &f.center)?;
    ws.set_freeze_panes(2, 1)?;
    ws.set_repeat_rows(1, 1)?;
    print_setup(ws, row, last_col)
}

fn department_sheet(ws: &mut Worksheet, d: &DepartmentBlock, year: i32, f: &Formats) -> Result<(), XlsxError> {
    let last_col = DEPARTMENT_HEADERS.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last_col - 1, &format!("{}{}年度项目支出绩效汇总表", d.name, year), &f.title)?;
    ws.set_row_height(0, 28)?;
    ws.set_column_width(0, 32)?;
    for col in 1..=last_col {
        ws.set_column_width(col, if (1..=3).contains(&col) { 16 } else { 10 })?;
    }
    for (col, text) in DEPARTMENT_HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, col as u16, *text, &f.label)?;
    }
    let mut row = 2;
    for p in &d.projects {
        ws.write_string_with_format(row, 0, &p.name, &f.cell)?;
        ws.write_with_format(row, 1, p.funds_total, &f.money)?;
        money_or_blank(ws, row, 2, p.budget, f)?;
        money_or_blank(ws, row, 3, p.executed, f)?;
        percent_or_blank(ws, row, 4, p.execution_rate, f)?;
        ws.write_with_format(row, 5, p.total, &f.score)?;
        ws.write_string_with_format(row, 6, grade_label(p.grade), &f.center)?;
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let status = p.statuses.iter().find(|(ph, _)| ph == phase).map_or("", |(_, s)| s.label());
            ws.write_string_with_format(row, 7 + i as u16, status, &f.center)?;
        }
        ws.write_with_format(row, 10, p.id, &f.center)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计", &f.label)?;
    ws.write_with_format(row, 1, d.projects.iter().map(|p| p.funds_total).sum::<Decimal>(), &f.money)?;
    ws.write_with_format(row, 2, d.budget(), &f.money)?;
    ws.write_with_format(row, 3, d.executed(), &f.money)?;
    percent_or_blank(ws, row, 4, d.execution_rate(), f)?;
    match d.average_score() {
        Some(a) => ws.write_with_format(row, 5, a, &f.bold_score)?,
        None => ws.write_blank(row, 5, &f.score)?,
    };
    ws.merge_range(row, 6, row, last_col, "平均得分", &f.center)?;
    ws.set_freeze_panes(2, 1)?;
    ws.set_repeat_rows(1, 1)?;
    print_setup(ws, row, last_col)
}
