//! Importer for published target tables: the text of a 项目支出绩效目标表, 绩效自评表 or
//! 绩效目标申报表 as copied from a web page or PDF (domain-rules.md §2, §3, §6) becomes projects
//! with their header fields and indicators. Pure: text in, data out; never panics.
//!
//! The pieces, in reading order:
//! - `lines`: the line tokenizer (pipe cells or whitespace tokens) and token tests such as
//!   "does this look like a 指标值";
//! - `header`: the header-field reader (项目名称, 主管部门, 实施单位, 项目资金, 年度目标);
//! - `levels`: the level-name normaliser ("产 出 指 标" → 产出指标, "数量" → 数量指标);
//! - `rows`: the row reader (三级 name, 指标值, 指标性质, 计量单位, 分值 per layout).
//!
//! Nothing is guessed silently: every row that could not be read, every template placeholder,
//! every cut-off last row and every missing header field is an [`ImportIssue`] with its line.

mod glued;
mod header;
mod levels;
mod lines;
pub(crate) mod norm;
mod rows;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::value::Target;
use lines::{compact, half_width, strip_trailing_paren, Line};
pub use norm::name_key;

/// Everything read from one text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ImportResult {
    pub projects: Vec<ImportedProject>,
    /// Issues outside any project: rows before the first table title, no title at all.
    pub issues: Vec<ImportIssue>,
}

/// One table: a project's header fields and its indicators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ImportedProject {
    /// The table title without spaces or year: "项目支出绩效目标表".
    pub title: String,
    /// From "（2021 年）", "(2021年)", "(2023年度)"; `None` when absent or a template "20XX".
    pub year: Option<i32>,
    /// 项目名称.
    pub name: String,
    /// 主管部门, else the 预算单位.
    pub department: Option<String>,
    /// 实施单位, else the 预算单位.
    pub implementing_unit: Option<String>,
    /// 年度资金总额 in 万元.
    pub funds_total: Option<Decimal>,
    /// 其中：财政拨款 in 万元.
    pub funds_fiscal: Option<Decimal>,
    /// 其他资金 in 万元.
    pub funds_other: Option<Decimal>,
    /// 项目总体目标 / 年度总体目标: the text before the numbered goals, broken lines joined.
    pub overall_goal: String,
    /// "目标 1：…", "目标 2：…" as written, one string each, broken lines joined.
    pub annual_goals: Vec<String>,
    pub indicators: Vec<ImportedIndicator>,
    /// Rows that could not be read (with their text) and warnings, in line order.
    pub issues: Vec<ImportIssue>,
}

/// One 三级 indicator row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ImportedIndicator {
    /// 1-based line number in the input.
    pub line: usize,
    /// Normalised 一级 name: 产出指标, 效益指标, 满意度指标, 成本指标 (or as written when unknown).
    pub level1: String,
    /// Normalised 二级 name: 数量指标, 社会效益指标 … (empty when the table gives none).
    pub level2: String,
    /// 三级 name as written (trimmed, ★ removed).
    pub name: String,
    /// 指标值 exactly as written: "≤40000 元/年", "2 万元/年", "有效保障", "≥**%".
    pub target_text: String,
    /// A separate 指标性质 / 指标方向 / 计算符号 column: "≥" "≤" "=" "正向" "反向".
    pub comparator_column: Option<String>,
    /// A separate 计量单位 / 度量单位 column.
    pub unit_column: Option<String>,
    /// 分值 / 权重 column.
    pub weight: Option<Decimal>,
    /// ★ 核心指标.
    pub core: bool,
    /// `target_text` read by the value grammar (with the columns and the 二级 as context).
    pub target: Target,
}

/// A row that could not be read, or a warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ImportIssue {
    /// 1-based line number; 0 for the whole text.
    pub line: usize,
    /// The line's text (empty for warnings about missing fields).
    pub text: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// Reads every target table in `text`. A table starts at its title line (containing
/// "绩效目标表", "绩效自评表" or "绩效目标申报表") and ends at a section heading ("（五）…",
/// "第四部分 …"), a closing row ("合计", "评价结论" …), the next title or the end of the text.
/// Text before the first title is ignored, except indicator rows there, which are reported.
pub fn import_target_tables(text: &str) -> ImportResult {
    let lines = split_embedded_titles(lines::split_lines(text));
    let titles: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| is_title(l)).map(|(i, _)| i).collect();
    let mut result = ImportResult::default();

    let first_title = titles.first().copied().unwrap_or(lines.len());
    for line in lines.get(..first_title).unwrap_or(&[]) {
        if looks_like_indicator_row(line) {
            let message = if titles.is_empty() {
                "未找到绩效目标表标题，此指标行未导入"
            } else {
                "表格开头不完整：此行属于前一张表，已跳过"
            };
            result.issues.push(issue(line, message));
        }
    }
    if titles.is_empty() {
        // No title: a table may still be there (an excerpt, a title lost in a flattened line).
        let (indicators, mut issues) = rows::read_stream(&lines);
        let header = rows::has_column_header_cells(&lines);
        // An excerpt without title and column header: read only when rows stand under a 一级
        // name followed by a 二级 name, as in a table, and more than one row reads.
        let levels = !header && readable(&indicators) >= 2 && rows::has_level_pair(&lines);
        if readable(&indicators) > 0 && (header || levels) {
            let message = if header {
                "未找到表格标题：按表头和指标名称读取了指标，项目名称等请手工填写"
            } else {
                "未找到表格标题和表头：按一级/二级指标名称读取了指标（指标值为紧随名称的数值），项目名称等请手工填写，请核对"
            };
            issues.insert(0, ImportIssue { line: 0, text: String::new(), message: message.to_owned() });
            let mut project = empty_project(String::new());
            let mut indicators = indicators;
            rows::reread_ocr_two(&mut indicators, &mut issues);
            project.indicators = indicators;
            project.issues = issues;
            result.projects.push(project);
            result.issues.retain(|i| !i.message.starts_with("未找到绩效目标表标题"));
            return result;
        }
    }
    if titles.is_empty() && !lines.is_empty() {
        result.issues.push(ImportIssue {
            line: 0,
            text: String::new(),
            message: "未找到绩效目标表（标题应含“绩效目标表”“绩效自评表”或“绩效目标申报表”）".to_owned(),
        });
    }

    for (k, &start) in titles.iter().enumerate() {
        let end = titles.get(k + 1).copied().unwrap_or(lines.len());
        let is_last = k + 1 == titles.len();
        let Some(segment) = lines.get(start..end) else { continue };
        let project = read_table(segment, is_last);
        let blank = project.name.is_empty()
            && project.indicators.is_empty()
            && project.department.is_none()
            && project.implementing_unit.is_none()
            && project.funds_total.is_none()
            && project.overall_goal.is_empty()
            && project.annual_goals.is_empty();
        // A title followed directly by another title is a page heading repeating the table's
        // title (or a document title): the table is the later one.
        if blank && !is_last {
            continue;
        }
        result.projects.push(project);
    }
    result
}

/// Indicators with a target that reads as something (not empty, not invalid).
fn readable(indicators: &[ImportedIndicator]) -> usize {
    indicators
        .iter()
        .filter(|i| {
            !i.target_text.trim().is_empty() && !matches!(i.target.kind, crate::value::ValueKind::Invalid { .. })
        })
        .count()
}

fn issue(line: &Line<'_>, message: &str) -> ImportIssue {
    ImportIssue { line: line.number, text: line.text.to_owned(), message: message.to_owned() }
}

/// Reads one table: `segment` starts at its title line and runs to the next title or the end of
/// the text (`is_last`).
fn read_table(segment: &[Line<'_>], is_last: bool) -> ImportedProject {
    let Some(title_line) = segment.first() else {
        return empty_project(String::new());
    };
    let mut issues = Vec::new();
    let (title, mut year) = read_title(title_line, &mut issues);
    let mut idx = 1;
    if year.is_none() {
        if let Some(line) = segment.get(1).filter(|l| is_year_line(l)) {
            year = read_year(line, &mut issues);
            idx = 2;
        }
    }

    let mut reader = header::HeaderReader::default();
    let mut ended = false;
    while let Some(line) = segment.get(idx) {
        if is_section_heading(line) {
            ended = true;
            break;
        }
        if starts_indicators(line) {
            break;
        }
        reader.feed(line);
        idx += 1;
    }
    let (fields, header_issues) = reader.finish(title_line.number);
    issues.extend(header_issues);

    let block_start = idx;
    while !ended {
        match segment.get(idx) {
            Some(line) if is_table_end(line) => ended = true,
            Some(_) => idx += 1,
            None => break,
        }
    }
    let block = segment.get(block_start..idx).unwrap_or(&[]);
    let at_end_of_text = is_last && !ended;
    if block.is_empty() {
        let line = segment.get(idx.saturating_sub(1)).unwrap_or(title_line);
        let message =
            if at_end_of_text { "表格在此处截断：未找到指标部分" } else { "未找到指标部分" };
        issues.push(issue(line, message));
    }
    let (mut indicators, mut row_issues) = rows::read_rows(block, at_end_of_text);
    // Flattened text or one cell per line: the line-independent reader, when it reads more.
    let (stream, stream_issues) = rows::read_stream(segment.get(1..).unwrap_or(&[]));
    // Never when the 指标值 column was found detached from the names (a template dump): pairing
    // names with whatever follows them would be a guess.
    let detached = row_issues.iter().any(|i| i.message.contains("指标值列与指标名称分离"));
    if !detached && readable(&stream) > 2 * readable(&indicators) {
        indicators = stream;
        row_issues = stream_issues;
        issues.retain(|i| !i.message.contains("未找到指标部分"));
    }
    issues.extend(row_issues);
    rows::reread_ocr_two(&mut indicators, &mut issues);
    issues.sort_by_key(|i| i.line);

    ImportedProject {
        title,
        year,
        name: fields.name,
        department: fields.department,
        implementing_unit: fields.implementing_unit,
        funds_total: fields.funds_total,
        funds_fiscal: fields.funds_fiscal,
        funds_other: fields.funds_other,
        overall_goal: fields.overall_goal,
        annual_goals: fields.annual_goals,
        indicators,
        issues,
    }
}

fn empty_project(title: String) -> ImportedProject {
    ImportedProject {
        title,
        year: None,
        name: String::new(),
        department: None,
        implementing_unit: None,
        funds_total: None,
        funds_fiscal: None,
        funds_other: None,
        overall_goal: String::new(),
        annual_goals: Vec::new(),
        indicators: Vec::new(),
        issues: Vec::new(),
    }
}

/// Labels that open a table's header block; one of them follows a title within a few characters.
const HEADER_START_KEYS: &[&str] = &[
    "项目名称",
    "单位名称",
    "填报单位",
    "预算单位",
    "主管部门",
    "部门名称",
    "项目单位",
    "一级指标",
    "金额单位",
    "单位:",
    "单位：",
];

/// Flattened text: a table title inside a long line ("…单位公章:年月 日鄂州市2022年市直部门预算
/// 项目支出绩效目标表项目名称…", "…%=99百分比省级部门预算项目支出绩效目标表2023年度一*级项目名称…")
/// becomes a line of its own; what stood before and after it become pieces with the same line
/// number. Only where a header label follows the title closely, so that a sentence naming a
/// table ("按要求填报项目支出绩效目标表。") is left alone.
fn split_embedded_titles(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.compact().chars().count() <= 50 || is_title(&line) {
            out.push(line);
            continue;
        }
        let number = line.number;
        let mut rest = line.text;
        while let Some((start, end)) = embedded_title(rest) {
            let (Some(before), Some(title), Some(after)) = (rest.get(..start), rest.get(start..end), rest.get(end..))
            else {
                break;
            };
            out.extend(lines::make_line(number, before));
            out.extend(lines::make_line(number, title));
            rest = after;
        }
        out.extend(lines::make_line(number, rest));
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The byte range of the first table title inside `text` that is followed closely by a header
/// label: the title key, the place/year/kind words before it (at most 24 characters, up to a
/// space, a sign or a digit that is not part of a year "2022年"; a unit such as "百分比" right
/// after a number belongs to the row before) and a year after it ("(2023年度)", "2023年度").
fn embedded_title(text: &str) -> Option<(usize, usize)> {
    let keyed = norm::matching_chars(text);
    let k: Vec<char> = keyed.iter().map(|(c, _)| *c).collect();
    let offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let byte_of = |key_index: usize| -> usize {
        keyed.get(key_index).and_then(|(_, orig)| offsets.get(*orig)).copied().unwrap_or(text.len())
    };
    let digit = |i: usize| k.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for key in TITLE_KEYS {
        let key: Vec<char> = key.chars().collect();
        for p in 0..k.len() {
            if k.get(p..p + key.len()) == Some(&key[..]) {
                hits.push((p, p + key.len()));
            }
        }
    }
    hits.sort_unstable();
    for (p, key_end) in hits {
        let mut s = p;
        let mut taken = 0;
        while s > 0 && taken < 24 {
            let Some(&c) = k.get(s - 1) else { break };
            if c == '年' && s >= 5 && (s - 5..s - 1).all(digit) {
                s -= 5;
                taken += 5;
            } else if is_han(c) {
                s -= 1;
                taken += 1;
            } else {
                break;
            }
        }
        if s > 0 && k.get(s - 1).is_some_and(|c| c.is_ascii_digit() || *c == '%') {
            let unit_len = (1..=4).rev().find(|&n| {
                s + n <= p && lines::is_unit_only(&k.get(s..s + n).unwrap_or(&[]).iter().collect::<String>())
            });
            s += unit_len.unwrap_or(0);
        }
        let mut e = key_end;
        let mut j = e;
        let paren = matches!(k.get(j), Some('(' | '（'));
        if paren {
            j += 1;
        }
        if (j..j + 4).all(digit) && k.get(j + 4) == Some(&'年') {
            j += 5;
            if k.get(j) == Some(&'度') {
                j += 1;
            }
            if !paren {
                e = j;
            } else if matches!(k.get(j), Some(')' | '）')) {
                e = j + 1;
            }
        }
        let after: String = k.iter().skip(e).take(40).collect();
        let followed_by_header = HEADER_START_KEYS.iter().any(|h| after.contains(h));
        if followed_by_header && (s > 0 || e < k.len()) {
            return Some((byte_of(s), byte_of(e)));
        }
    }
    None
}

const TITLE_KEYS: &[&str] = &["绩效目标表", "绩效自评表", "绩效目标申报表", "绩效目标审批表", "绩效监控表"];

/// A table title: a short line naming one of the table kinds ("项 目 支 出 绩 效 目 标 表",
/// "部门预算项目支出绩效自评表(2023年度) | |||"), not a sentence mentioning one.
fn is_title(line: &Line<'_>) -> bool {
    let c = norm::for_matching(&line.compact());
    TITLE_KEYS.iter().any(|k| c.contains(k))
        && c.chars().count() <= 50
        && !c.contains(['。', '，', ','])
        && !rows::is_column_header(line)
}

/// The title without spaces, pipes or a trailing year: "部门预算项目支出绩效自评表(2023年度)" →
/// ("部门预算项目支出绩效自评表", Some(2023)).
fn read_title(line: &Line<'_>, issues: &mut Vec<ImportIssue>) -> (String, Option<i32>) {
    let c = half_width(&line.compact());
    let year = read_year(line, issues);
    let stripped = strip_trailing_paren(&c);
    let title = if stripped.len() < c.len() && c.get(stripped.len()..).is_some_and(|p| p.contains('年')) {
        stripped.to_owned()
    } else {
        c.clone()
    };
    (title, year)
}

/// A line holding only the year: "（2021 年）", "(2021年)", "(20XX年度)".
fn is_year_line(line: &Line<'_>) -> bool {
    let c = half_width(&line.compact());
    c.starts_with('(') && c.ends_with(')') && c.contains('年') && c.chars().count() <= 12
}

/// The year in a title or year line (1949–2100); a template "20XX" gives `None` and a warning.
fn read_year(line: &Line<'_>, issues: &mut Vec<ImportIssue>) -> Option<i32> {
    let chars: Vec<char> = half_width(&line.compact()).chars().collect();
    for i in 0..chars.len() {
        let window = chars.get(i..i + 5);
        let Some(window) = window else { break };
        let before_is_digit = i > 0 && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit());
        if before_is_digit || window.get(4) != Some(&'年') {
            continue;
        }
        let digits: String = window.iter().take(4).collect();
        if digits.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(year) = digits.parse::<i32>() {
                if (1949..=2100).contains(&year) {
                    return Some(year);
                }
            }
        } else if digits.starts_with("20") && lines::has_placeholder(&digits) {
            issues.push(issue(line, "年度是模板占位符（20XX），未填写"));
            return None;
        }
    }
    None
}

/// The first line of the indicator part: the column header or a row opening with a level name.
fn starts_indicators(line: &Line<'_>) -> bool {
    rows::is_column_header(line) || levels::level_at(&line.tokens(), 0).is_some()
}

/// An indicator row outside a table (before the first title).
fn looks_like_indicator_row(line: &Line<'_>) -> bool {
    let tokens = line.tokens();
    rows::is_column_header(line) || (tokens.len() >= 2 && levels::level_at(&tokens, 0).is_some())
}

const CHINESE_NUMERALS: &str = "一二三四五六七八九十";

/// A section heading of the surrounding document: "（五）其他需说明的事项", "第四部分 名词解释".
fn is_section_heading(line: &Line<'_>) -> bool {
    let c = half_width(&line.compact());
    if let Some(rest) = c.strip_prefix('(') {
        let numerals = rest.chars().take_while(|ch| CHINESE_NUMERALS.contains(*ch)).count();
        if numerals > 0 && rest.chars().nth(numerals) == Some(')') {
            return true;
        }
    }
    if let Some(rest) = c.strip_prefix('第') {
        let numerals = rest.chars().take_while(|ch| CHINESE_NUMERALS.contains(*ch) || ch.is_ascii_digit()).count();
        let after: String = rest.chars().skip(numerals).take(2).collect();
        if numerals > 0 && (after == "部分" || after.starts_with('章') || after.starts_with('节')) {
            return true;
        }
    }
    false
}

/// Words that open a row closing the indicator part, for both readers (each adds its own).
const CLOSING_WORDS: &[&str] = &[
    "合计",
    "总分",
    "总计",
    "评价结论",
    "存在问题",
    "改进措施",
    "项目负责人",
    "财务负责人",
    "填报人",
    "填表人",
    "注:",
    "扫一扫",
    "[下载]",
];

/// The end of a table's indicator part: a section heading ("（五）…", "第四部分", "四、…") or a
/// closing row ("合计", "总分", "评价结论", "存在问题", "改进措施", "项目负责人:…").
fn is_table_end(line: &Line<'_>) -> bool {
    const CLOSING: &[&str] = &["审核人", "说明:", "备注:", "附件:"];
    let c = half_width(&compact(line.text));
    if is_section_heading(line) || CLOSING_WORDS.iter().chain(CLOSING).any(|w| c.starts_with(w)) {
        return true;
    }
    let numerals = c.chars().take_while(|ch| CHINESE_NUMERALS.contains(*ch)).count();
    numerals > 0 && c.chars().nth(numerals) == Some('、')
}
