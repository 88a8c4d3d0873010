//! 绩效自评报告 as DOCX, the format offices edit in Word / WPS: project header, funds, goals and
//! their completion, the indicator table (一级 / 二级 merged), the charts as PNG, deviation
//! explanations, the finance bureau's re-scores and comments, and the conclusion. Written from
//! the report model; fonts are named (仿宋_GB2312, 黑体, 宋体), not embedded — Word and WPS supply them.

use crate::charts::build::num;
use crate::charts::{self, ChartError};
use crate::model::ProjectReport;
use crate::xlsx::completion;
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts, Table, TableCell, TableRow,
    VAlignType, VMergeType, WidthType,
};
use domain::money::format_wan;
use rust_decimal::Decimal;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("报告文件生成失败：{0}")]
    Write(String),
}

const BODY: &str = "仿宋_GB2312";
const HEADING: &str = "黑体";
const TITLE: &str = "宋体";
/// Text width of an A4 page with 2.8 cm / 2.6 cm margins, in twips.
const TEXT_WIDTH: usize = 9000;
/// Chart width on the page: 16 cm in EMU.
const CHART_EMU: u32 = 16 * 360_000;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn run(text: &str, font: &str, half_points: usize) -> Run {
    let mut r = Run::new().fonts(fonts(font)).size(half_points);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

/// A body paragraph (三号仿宋 is 32 half-points; tables use 小四 = 24).
fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, BODY, 28)).line_spacing(LineSpacing::new().after(80)).indent(
        None,
        Some(docx_rs::SpecialIndentType::FirstLine(560)),
        None,
        None,
    )
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, HEADING, 30)).line_spacing(LineSpacing::new().before(200).after(120))
}

fn caption(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, HEADING, 21)).align(AlignmentType::Center)
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(run(text, BODY, 21))).vertical_align(VAlignType::Center)
}

fn center(text: &str) -> TableCell {
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(run(text, BODY, 21)).align(AlignmentType::Center))
        .vertical_align(VAlignType::Center)
}

fn head(text: &str) -> TableCell {
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(run(text, HEADING, 21)).align(AlignmentType::Center))
        .vertical_align(VAlignType::Center)
        .shading(docx_rs::Shading::new().fill("F2F2F2"))
}

fn table(rows: Vec<TableRow>, grid: &[usize]) -> Table {
    Table::new(rows).set_grid(grid.to_vec()).width(TEXT_WIDTH, WidthType::Dxa)
}

fn money(v: Option<Decimal>) -> String {
    v.map_or("—".to_owned(), format_wan)
}

fn chart_paragraph(chart: &charts::Chart) -> Result<Paragraph, ChartError> {
    let (w, h) = chart.size();
    let png = chart.png(2)?;
    let height = u32::try_from(u64::from(CHART_EMU) * u64::from(h) / u64::from(w.max(1))).unwrap_or(CHART_EMU);
    let pic = Pic::new_with_dimensions(png, w * 2, h * 2).size(CHART_EMU, height);
    Ok(Paragraph::new().add_run(Run::new().add_image(pic)).align(AlignmentType::Center))
}

/// The 绩效自评报告 of one project.
pub fn report_docx(r: &ProjectReport) -> Result<Vec<u8>, ReportError> {
    let h = &r.header;
    let res = &r.result;
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1588).bottom(1474).left(1588).right(1474).header(851).footer(992))
        .default_fonts(fonts(BODY));

    doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&format!("{}绩效自评报告", h.name), TITLE, 40).bold())
                .align(AlignmentType::Center),
        )
        .add_paragraph(
            Paragraph::new().add_run(run(&format!("（{}年度）", h.year), BODY, 28)).align(AlignmentType::Center),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&format!("主管部门：{}    实施单位：{}", h.department, h.unit_or_department()), BODY, 24))
                .align(AlignmentType::Center),
        );

    // 一、项目基本情况
    doc = doc.add_paragraph(heading("一、项目基本情况")).add_table(table(
        vec![
            TableRow::new(vec![head("项目名称"), cell(&h.name).grid_span(3)]),
            TableRow::new(vec![head("主管部门"), cell(&h.department), head("实施单位"), cell(h.unit_or_department())]),
            TableRow::new(vec![
                head("年度资金总额（万元）"),
                center(&format_wan(h.funds_total)),
                head("其中：财政拨款 / 其他资金"),
                center(&format!("{} / {}", format_wan(h.funds_fiscal), format_wan(h.funds_other))),
            ]),
        ],
        &[2000, 2500, 2000, 2500],
    ));

    // 二、项目资金使用情况
    let rate = res.execution.rate.map_or("无法计算".to_owned(), |x| format!("{}%", num(x)));
    doc = doc.add_paragraph(heading("二、项目资金使用情况")).add_table(table(
        vec![
            TableRow::new(
                ["年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "分值", "得分"]
                    .map(head)
                    .to_vec(),
            ),
            TableRow::new(vec![
                center(&money(r.budget_initial)),
                center(&money(h.budget)),
                center(&money(h.executed)),
                center(&rate),
                center(&num(res.execution.weight)),
                center(&num(res.execution.score)),
            ]),
        ],
        &[1500; 6],
    ));
    doc = doc.add_paragraph(para(&format!(
        "全年预算数 {} 万元，全年执行数 {} 万元，预算执行率 {rate}，得 {} 分（分值 {} 分）。",
        money(h.budget),
        money(h.executed),
        num(res.execution.score),
        num(res.execution.weight)
    )));
    if let Some(why) = r.execution_explanation.as_deref().filter(|s| !s.trim().is_empty()) {
        doc = doc.add_paragraph(para(&format!("执行偏差原因：{why}")));
    }

    // 三、绩效目标及完成情况
    doc = doc.add_paragraph(heading("三、绩效目标及完成情况"));
    if !r.overall_goal.trim().is_empty() {
        doc = doc.add_paragraph(para(&format!("项目总体目标：{}", r.overall_goal.trim())));
    }
    for goal in &r.annual_goals {
        doc = doc.add_paragraph(para(goal));
    }
    doc = doc.add_paragraph(para(&format!("实际完成情况：{}", completion(r))));

    // 四、绩效指标完成情况
    doc = doc.add_paragraph(heading("四、绩效指标完成情况")).add_table(indicator_table(r));
    let mut figure = 0;
    for chart in [charts::project_indicators(r), Some(charts::project_scores(r)), charts::trend(&h.name, &r.history)]
        .into_iter()
        .flatten()
    {
        figure += 1;
        doc =
            doc.add_paragraph(chart_paragraph(&chart)?).add_paragraph(caption(&format!("图{figure}  {}", chart.title)));
    }

    // 五、偏差原因分析及改进措施
    doc = doc.add_paragraph(heading("五、偏差原因分析及改进措施"));
    let explained: Vec<_> = r
        .indicators
        .iter()
        .filter_map(|i| i.explanation.as_deref().filter(|e| !e.trim().is_empty()).map(|e| (i, e)))
        .collect();
    if explained.is_empty() {
        doc = doc.add_paragraph(para("各项指标无需说明的偏差。"));
    }
    for (i, e) in explained {
        doc = doc.add_paragraph(para(&format!(
            "{}（年度指标值 {}，实际完成值 {}）：{e}",
            i.name,
            i.target,
            i.actual.as_deref().unwrap_or("未填报")
        )));
    }
    for missing in res.required_explanations.iter().filter(|m| !m.provided) {
        doc = doc.add_paragraph(para(&format!("{}：{}，尚未填写偏差原因。", missing.target, missing.reason)));
    }

    // 六、财政复核意见
    doc = doc.add_paragraph(heading("六、财政复核意见"));
    let reviewed: Vec<_> = r.indicators.iter().filter(|i| i.review.is_some()).collect();
    if reviewed.is_empty() && r.comments.is_empty() {
        doc = doc.add_paragraph(para("暂无财政复核调整和审核意见。"));
    }
    for i in reviewed {
        let (reason, reviewer) = i.review.clone().unwrap_or_default();
        let own = i.self_score.map_or("—".to_owned(), num);
        doc = doc.add_paragraph(para(&format!(
            "{}：自评 {own} 分，复核 {} 分（分值 {}）。复核意见：{reason}（{reviewer}）",
            i.name,
            num(i.score),
            num(i.weight)
        )));
    }
    for c in &r.comments {
        // Beijing time, as the pages show it.
        let at = chrono::FixedOffset::east_opt(8 * 3600)
            .map(|tz| c.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        doc = doc.add_paragraph(para(&format!("意见（{}，{}，{at}）：{}", c.indicator, c.author, c.body)));
    }

    // 七、自评结论
    doc = doc.add_paragraph(heading("七、自评结论")).add_paragraph(para(&format!(
        "本项目自评总分 {} 分（指标得分 {} 分，预算执行率得分 {} 分），评价等级为“{}”。{}",
        num(res.total),
        num(res.indicator_total),
        num(res.execution.score),
        res.grade.map_or("未评定", |g| g.label()),
        res.cap.as_deref().map(|c| format!("（{c}）")).unwrap_or_default()
    )));

    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| ReportError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因, with 一级 and 二级
/// merged down their runs, and the 总分 row.
fn indicator_table(r: &ProjectReport) -> Table {
    let mut rows = vec![TableRow::new(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
            .map(head)
            .to_vec(),
    )];
    let merge = |first: bool| if first { VMergeType::Restart } else { VMergeType::Continue };
    for (i, ind) in r.indicators.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| r.indicators.get(p));
        let new1 = prev.is_none_or(|p| p.level1 != ind.level1);
        let new2 = new1 || prev.is_none_or(|p| p.level2 != ind.level2);
        rows.push(TableRow::new(vec![
            center(if new1 { &ind.level1 } else { "" }).vertical_merge(merge(new1)),
            center(if new2 { &ind.level2 } else { "" }).vertical_merge(merge(new2)),
            cell(&ind.name),
            center(&ind.target),
            center(ind.actual.as_deref().unwrap_or("")),
            center(&num(ind.weight)),
            center(&num(ind.score)),
            cell(ind.explanation.as_deref().unwrap_or("")),
        ]));
    }
    rows.push(TableRow::new(vec![
        head("总分").grid_span(5),
        center("100"),
        center(&num(r.result.total)),
        center(&format!("等级：{}", r.result.grade.map_or("未评定", |g| g.label()))),
    ]));
    table(rows, &[900, 1000, 1800, 1100, 1100, 600, 700, 1800])
}
