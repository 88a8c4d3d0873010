//! The charts, built from the report model: what each shows, its colours and its table.

use super::{Chart, Column, DataTable, HBar, Shape, Tone};
use crate::model::{DepartmentBlock, ProjectReport, Summary};
use domain::scoring::{Measure, Profile};
use domain::vocab::{Direction, Grade, ScoringProfile};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A decimal as a reader expects it: at most 2 places, no trailing zeros.
pub fn num(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

fn symbol(direction: Direction) -> &'static str {
    match direction {
        Direction::Positive => "≥",
        Direction::Equal => "=",
        Direction::Reverse => "≤",
    }
}

pub fn grade_tone(grade: Option<Grade>) -> Tone {
    match grade {
        Some(Grade::Excellent) => Tone::Ok,
        Some(Grade::Good) => Tone::Accent,
        Some(Grade::Fair) => Tone::Warn,
        Some(Grade::Poor) => Tone::Bad,
        None => Tone::Muted,
    }
}

fn grade_legend() -> Vec<(Tone, String)> {
    Grade::ALL.iter().map(|&g| (grade_tone(Some(g)), g.label().to_owned())).collect()
}

/// Share of the maximum → tone: ≥ 90 % 绿, ≥ 60 % 黄, else 红.
fn share_tone(value: Decimal, max: Decimal) -> Tone {
    if max <= Decimal::ZERO {
        return Tone::Muted;
    }
    let share = value / max;
    if share >= Decimal::new(9, 1) {
        Tone::Ok
    } else if share >= Decimal::new(6, 1) {
        Tone::Warn
    } else {
        Tone::Bad
    }
}

/// A round axis end at or above `value`, at least `floor`.
fn axis_max(value: f64, floor: f64, step: f64) -> f64 {
    ((value.max(floor) / step).ceil() * step).max(step)
}

/// (a) Each quantitative indicator's actual against its target, as a percentage of the target:
/// the line at 100 % is the target; a ≥ indicator is met right of it, a ≤ indicator left of it.
/// `None` when the project has no quantitative indicator.
pub fn project_indicators(report: &ProjectReport) -> Option<Chart> {
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    for line in &report.indicators {
        let Measure::Quantitative { direction, target, actual, unit } = &line.measure else { continue };
        let sym = symbol(*direction);
        let label = format!("{}（{sym}）", line.name);
        let (value, tone, note, share, met) = match actual {
            None => (0.0, Tone::Muted, format!("未填报 / {}", line.target), "—".to_owned(), "未填报"),
            Some(actual) => {
                let met = match direction {
                    Direction::Positive => actual >= target,
                    Direction::Equal => actual == target,
                    Direction::Reverse => actual <= target,
                };
                let share = if *target > Decimal::ZERO {
                    Some((actual / target * Decimal::ONE_HUNDRED).round_dp(1))
                } else {
                    None
                };
                // A target of 0 ("安全事故 0起") has no ratio: met sits on the line, missed beyond it.
                let value = share.map_or(if met { 100.0 } else { 150.0 }, f);
                let note = format!("{}{unit} / {sym}{}{unit}", num(*actual), num(*target));
                let share_text = share.map_or("—".to_owned(), |s| format!("{}%", num(s)));
                (value, if met { Tone::Ok } else { Tone::Bad }, note, share_text, if met { "达成" } else { "未达成" })
            }
        };
        rows.push(vec![
            line.name.clone(),
            line.target.clone(),
            line.actual.clone().unwrap_or_default(),
            share,
            met.to_owned(),
        ]);
        bars.push(HBar { label, value, tone, note });
    }
    if bars.is_empty() {
        return None;
    }
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max).min(300.0);
    Some(Chart {
        key: "indicators",
        title: format!("{}：实际完成值与年度指标值", report.header.name),
        description: format!(
            "{} 项定量指标的实际完成值占年度指标值的百分比；竖线为年度指标值（100%），“≥”类指标越过竖线为达成，“≤”类指标不超过竖线为达成。",
            bars.len()
        ),
        shape: Shape::HBars {
            max: axis_max(top, 120.0, 20.0),
            axis: "实际完成值 / 年度指标值（%）".to_owned(),
            reference: Some((100.0, "年度指标值".to_owned())),
            legend: vec![(Tone::Ok, "达成".to_owned()), (Tone::Bad, "未达成".to_owned()), (Tone::Muted, "未填报".to_owned())],
            bars,
        },
        table: DataTable {
            headers: ["三级指标", "年度指标值", "实际完成值", "完成比例", "结果"].map(String::from).to_vec(),
            rows,
        },
    })
}

/// (b) The score of each 一级指标 against its 分值, and 预算执行率's.
pub fn project_scores(report: &ProjectReport) -> Chart {
    let r = &report.result;
    let mut columns: Vec<Column> = r
        .level1
        .iter()
        .map(|l| Column {
            label: l.name.clone(),
            frame: Some(f(l.weight)),
            value: f(l.score),
            tone: share_tone(l.score, l.weight),
            note: format!("{}/{}", num(l.score), num(l.weight)),
        })
        .collect();
    let rate = r.execution.rate.map_or("—".to_owned(), |x| format!("{}%", num(x)));
    columns.push(Column {
        label: "预算执行率".to_owned(),
        frame: Some(f(r.execution.weight)),
        value: f(r.execution.score),
        tone: share_tone(r.execution.score, r.execution.weight),
        note: format!("{}/{}（{rate}）", num(r.execution.score), num(r.execution.weight)),
    });
    let top = columns.iter().map(|c| c.frame.unwrap_or(c.value).max(c.value)).fold(0.0, f64::max);
    let mut rows: Vec<Vec<String>> =
        r.level1.iter().map(|l| vec![l.name.clone(), num(l.weight), num(l.score), String::new()]).collect();
    rows.push(vec!["预算执行率".to_owned(), num(r.execution.weight), num(r.execution.score), rate]);
    rows.push(vec![
        "总分".to_owned(),
        "100".to_owned(),
        num(r.total),
        r.grade.map(|g| g.label().to_owned()).unwrap_or_default(),
    ]);
    Chart {
        key: "scores",
        title: format!("{}：各一级指标得分（总分 {}）", report.header.name, num(r.total)),
        description: "灰色为分值，彩色为得分：得分达到分值 90% 以上为绿色，60% 以上为黄色，其余为红色。".to_owned(),
        shape: Shape::Columns {
            columns,
            max: axis_max(top * 1.15, 10.0, 10.0),
            axis: "分".to_owned(),
            legend: vec![(Tone::Light, "分值".to_owned()), (Tone::Ok, "得分".to_owned())],
        },
        table: DataTable { headers: ["一级指标", "分值", "得分", "说明"].map(String::from).to_vec(), rows },
    }
}

/// (c) A department's projects by total score, coloured by grade. `None` without projects.
pub fn department_projects(block: &DepartmentBlock, year: i32) -> Option<Chart> {
    if block.projects.is_empty() {
        return None;
    }
    let mut projects: Vec<_> = block.projects.iter().collect();
    projects.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let bars = projects
        .iter()
        .map(|p| HBar {
            label: p.name.clone(),
            value: f(p.total),
            tone: grade_tone(p.grade),
            note: format!("{} {}", num(p.total), p.grade.map(|g| g.label()).unwrap_or("未评定")),
        })
        .collect();
    let rows = projects
        .iter()
        .map(|p| vec![p.name.clone(), num(p.total), p.grade.map(|g| g.label().to_owned()).unwrap_or_default()])
        .collect();
    Some(Chart {
        key: "department",
        title: format!("{}{}年度项目绩效得分", block.name, year),
        description: format!("{} 个项目按总分从高到低排列，颜色表示等级（优、良、中、差）。", projects.len()),
        shape: Shape::HBars { bars, max: 100.0, axis: "总分".to_owned(), reference: None, legend: grade_legend() },
        table: DataTable { headers: ["项目", "总分", "等级"].map(String::from).to_vec(), rows },
    })
}

/// (d) How many projects of the summary have each grade.
pub fn grade_distribution(summary: &Summary) -> Chart {
    let (counts, ungraded) = summary.grade_counts();
    let total = counts.iter().map(|c| c.1).sum::<usize>() + ungraded;
    let share = |n: usize| {
        if total == 0 {
            "0%".to_owned()
        } else {
            format!("{}%", num(Decimal::from(n * 100) / Decimal::from(total)))
        }
    };
    let mut columns: Vec<Column> = counts
        .iter()
        .map(|&(g, n)| Column {
            label: g.label().to_owned(),
            frame: None,
            value: n as f64,
            tone: grade_tone(Some(g)),
            note: n.to_string(),
        })
        .collect();
    columns.push(Column {
        label: "未评定".to_owned(),
        frame: None,
        value: ungraded as f64,
        tone: Tone::Muted,
        note: ungraded.to_string(),
    });
    let rows = columns.iter().map(|c| vec![c.label.clone(), c.note.clone(), share(c.value as usize)]).collect();
    let top = columns.iter().map(|c| c.value).fold(0.0, f64::max);
    Chart {
        key: "grades",
        title: format!("{}{}年度项目等级分布", summary.title, summary.year),
        description: format!("共 {total} 个项目，按自评（含财政复核）等级统计。"),
        shape: Shape::Columns {
            columns,
            max: axis_max(top * 1.2, 4.0, 2.0),
            axis: "项目数".to_owned(),
            legend: vec![],
        },
        table: DataTable { headers: ["等级", "项目数", "占比"].map(String::from).to_vec(), rows },
    }
}

/// (d) Departments ranked by their projects' average score.
pub fn departments_by_score(summary: &Summary) -> Chart {
    let profile = Profile::of(ScoringProfile::National);
    let mut ranked: Vec<(&DepartmentBlock, Decimal)> =
        summary.departments.iter().filter_map(|d| d.average_score().map(|a| (d, a))).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    let bars = ranked
        .iter()
        .map(|(d, a)| HBar {
            label: d.name.clone(),
            value: f(*a),
            tone: grade_tone(profile.grade_for(*a)),
            note: format!("{}（{} 个项目）", num(*a), d.projects.len()),
        })
        .collect();
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, (d, a))| vec![(i + 1).to_string(), d.name.clone(), num(*a), d.projects.len().to_string()])
        .collect();
    Chart {
        key: "by-score",
        title: format!("{}年度各部门项目平均得分", summary.year),
        description: "各部门项目总分的平均值，从高到低排列，颜色为平均分对应的等级。".to_owned(),
        shape: Shape::HBars {
            bars, max: 100.0, axis: "平均得分".to_owned(), reference: None, legend: grade_legend()
        },
        table: DataTable {
            headers: ["排名", "部门", "平均得分", "项目数"].map(String::from).to_vec(), rows
        },
    }
}

/// (d) Departments ranked by 预算执行率 (Σ执行数 / Σ预算数).
pub fn departments_by_rate(summary: &Summary) -> Chart {
    let mut ranked: Vec<(&DepartmentBlock, Decimal)> =
        summary.departments.iter().filter_map(|d| d.execution_rate().map(|r| (d, r))).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    let hundred = Decimal::ONE_HUNDRED;
    let bars: Vec<HBar> = ranked
        .iter()
        .map(|(d, r)| HBar {
            label: d.name.clone(),
            value: f(*r),
            tone: share_tone(*r, hundred),
            note: format!("{}%（{} / {} 万元）", num(*r), num(d.executed()), num(d.budget())),
        })
        .collect();
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, (d, r))| {
            vec![(i + 1).to_string(), d.name.clone(), format!("{}%", num(*r)), num(d.budget()), num(d.executed())]
        })
        .collect();
    Chart {
        key: "by-rate",
        title: format!("{}年度各部门预算执行率", summary.year),
        description: "各部门全年执行数占全年预算数的百分比，从高到低排列；竖线为全额执行（100%）。".to_owned(),
        shape: Shape::HBars {
            bars,
            max: axis_max(top, 100.0, 20.0),
            axis: "预算执行率（%）".to_owned(),
            reference: Some((100.0, "全额执行".to_owned())),
            legend: vec![
                (Tone::Ok, "≥90%".to_owned()),
                (Tone::Warn, "60%–90%".to_owned()),
                (Tone::Bad, "<60%".to_owned()),
            ],
        },
        table: DataTable {
            headers: ["排名", "部门", "预算执行率", "全年预算数（万元）", "全年执行数（万元）"]
                .map(String::from)
                .to_vec(),
            rows,
        },
    }
}

/// (e) A score over the years; `None` until there are two years.
pub fn trend(what: &str, history: &[(i32, Decimal)]) -> Option<Chart> {
    if history.len() < 2 {
        return None;
    }
    Some(Chart {
        key: "trend",
        title: format!("{what}：历年绩效得分"),
        description: format!(
            "{} 个年度的得分，从 {} 年到 {} 年。",
            history.len(),
            history[0].0,
            history[history.len() - 1].0
        ),
        shape: Shape::Line {
            points: history.iter().map(|&(y, v)| (y, f(v))).collect(),
            max: 100.0,
            axis: "得分".to_owned(),
        },
        table: DataTable {
            headers: ["年度", "得分"].map(String::from).to_vec(),
            rows: history.iter().map(|&(y, v)| vec![y.to_string(), num(v)]).collect(),
        },
    })
}
