//! The row reader: turns the lines of a table's indicator part into [`ImportedIndicator`]s.
//!
//! Three layouts (domain-rules.md §6):
//! - whitespace text with the columns 一级 | 二级 | 三级 | 指标值 only: level names stand on their
//!   own line or open a row and carry over; the 指标值 is the trailing token(s) that read as a
//!   value ("1座", "≤40000 元/年", "2 万元/年"), or a short phrase after the name ("有效保障");
//! - whitespace text with more columns (指标性质, 指标方向, 计量单位, 分值 …): the name runs up to the
//!   first 正向 / 反向 / comparator token, the cells after it follow the header's order;
//! - pipe rows ("a | b | c |"): cells map to the header's columns by position, anchored at the
//!   first cell (leading merged cells are missing).
//!
//! A template whose 指标值 column was dumped after the names ("指标值 **人 **人 ≥**人次 …") is read
//! as names without values: they are never paired with the dumped values.

use rust_decimal::Decimal;

use super::glued::split_glued_cell;
use super::levels::{self, classify, leading_levels, level_at, Level, LevelState};
use super::lines::{
    has_placeholder, is_bare_comparator, is_direction, is_not_applicable, is_number_like, is_plain_number,
    is_unit_only, label_key, looks_like_value, parse_decimal, Line,
};
use super::{ImportIssue, ImportedIndicator};
use crate::value::{parse_target, split_glued_value, Comparator, Flag, TargetContext, ValueKind};

/// A column of the indicator table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    /// A row label column ("绩效指标(90分)").
    Label,
    Level1,
    Level2,
    Name,
    /// 指标性质: 正向 / 反向, or ≥ ≤ =.
    Nature,
    /// 指标方向 / 计算符号.
    Direction,
    Value,
    Unit,
    Weight,
    /// 指标解释 / 绩效标准 between the name and the 指标值: any text, never the target.
    Explain,
    /// 完成值 / 实际完成值, 得分, 备注, 未完成原因分析 … (not imported).
    Other,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Label => "绩效指标",
            Col::Level1 => "一级指标",
            Col::Level2 => "二级指标",
            Col::Name => "三级指标",
            Col::Nature => "指标性质",
            Col::Direction => "指标方向",
            Col::Value => "指标值",
            Col::Unit => "计量单位",
            Col::Weight => "分值",
            Col::Explain => "指标解释",
            Col::Other => "其他",
        }
    }
}

/// The column a header cell names, if it is one.
fn column_of(cell: &str) -> Option<Col> {
    let col = match label_key(cell).as_str() {
        "绩效指标" => Col::Label,
        "一级指标" => Col::Level1,
        "二级指标" => Col::Level2,
        "三级指标" | "指标名称" | "指标内容" => Col::Name,
        "指标解释" => Col::Explain,
        "指标性质" => Col::Nature,
        "指标方向" | "计算符号" | "比较符号" | "运算符号" | "指标方向性" => Col::Direction,
        "指标值"
        | "年度指标值"
        | "目标值"
        | "年度目标值"
        | "绩效标准"
        | "当年预期实现值"
        | "预期目标值"
        | "指标目标值"
        | "指标值及单位"
        | "年初目标值"
        | "指标目标值及单位" => Col::Value,
        "计量单位" | "度量单位" | "单位" => Col::Unit,
        "分值" | "权重" | "指标权重" | "指标分值" => Col::Weight,
        "完成值"
        | "实际完成值"
        | "全年实际值"
        | "得分"
        | "备注"
        | "未完成原因分析"
        | "偏差原因分析及改进措施"
        | "指标值说明"
        | "取值依据"
        | "评(扣)分标准"
        | "评分标准"
        | "指标值类型"
        | "实施进度"
        | "全年完成值"
        | "未完成原因和改进措施"
        | "偏差原因分析"
        | "完成目标可能性"
        | "半年度执行情况" => Col::Other,
        _ => return None,
    };
    Some(col)
}

/// Is this line the header of the indicator table ("一级指标 二级指标 三级指标 指标值 …")?
pub(super) fn is_column_header(line: &Line<'_>) -> bool {
    let cols: Vec<Col> = line.tokens().iter().filter_map(|t| column_of(t)).collect();
    let has = |c: Col| cols.contains(&c);
    (has(Col::Level1) && (has(Col::Level2) || has(Col::Name))) || (has(Col::Name) && has(Col::Value))
}

/// A line made only of column names: the rest of a header broken over lines ("三级指标").
fn is_header_continuation(line: &Line<'_>) -> bool {
    let tokens = line.tokens();
    !tokens.is_empty() && tokens.iter().all(|t| matches!(column_of(t), Some(c) if c != Col::Label))
}

/// The table's columns, from its header (or the default 一级 | 二级 | 三级 | 指标值).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Columns {
    /// Pipe rows: one entry per header cell, unknown cells as `Other`. Text rows: the known
    /// columns from 一级指标 on.
    cols: Vec<Col>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { cols: vec![Col::Level1, Col::Level2, Col::Name, Col::Value] }
    }
}

impl Columns {
    fn from_header(lines: &[&Line<'_>]) -> Self {
        let piped = lines.first().is_some_and(|l| l.piped);
        let mut cols = Vec::new();
        for line in lines {
            if piped {
                cols.extend(line.cells.iter().map(|c| column_of(c).unwrap_or(Col::Other)));
            } else {
                cols.extend(line.tokens().iter().filter_map(|t| column_of(t)).filter(|c| *c != Col::Label));
            }
        }
        if !cols.contains(&Col::Value) {
            cols.push(Col::Value);
        }
        Columns { cols }
    }

    fn position(&self, col: Col) -> Option<usize> {
        self.cols.iter().position(|c| *c == col)
    }

    /// More than 指标值 after the name: read text rows column by column.
    fn has_detail_columns(&self) -> bool {
        self.cols.iter().any(|c| matches!(c, Col::Nature | Col::Direction | Col::Unit | Col::Weight | Col::Explain))
    }

    /// The columns after 三级指标, in order.
    fn after_name(&self) -> Vec<Col> {
        match self.position(Col::Name) {
            Some(p) => self.cols.iter().skip(p + 1).copied().collect(),
            None => {
                self.cols.iter().copied().filter(|c| !matches!(c, Col::Label | Col::Level1 | Col::Level2)).collect()
            }
        }
    }
}

/// One indicator as read from a row, before its value is parsed.
#[derive(Clone, Debug, Default)]
struct RawIndicator {
    name: String,
    target_text: String,
    comparator_column: Option<String>,
    unit_column: Option<String>,
    weight: Option<Decimal>,
    core: bool,
    /// Columns the header has but the row does not reach.
    missing: Vec<&'static str>,
    /// Warnings about this row (glued value, repeated unit …).
    notes: Vec<String>,
}

/// What a line turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Level names only.
    Levels,
    /// The table header.
    Header,
    /// Indicators were imported; `complete` is false when the row lacks some of the header's columns.
    Imported { complete: bool, missing: Vec<&'static str> },
    /// Nothing imported; the issue says why.
    Unread,
}

/// Reads the indicator part of one table. `at_end_of_text`: the table ran into the end of the
/// text instead of a closing heading, so its last row may be cut off.
pub(super) fn read_rows(lines: &[Line<'_>], at_end_of_text: bool) -> (Vec<ImportedIndicator>, Vec<ImportIssue>) {
    let mut reader = RowReader {
        columns: Columns::default(),
        levels: LevelState::default(),
        detached: lines.iter().any(is_value_dump_start),
        in_dump: false,
        indicators: Vec::new(),
        issues: Vec::new(),
    };
    let mut last: Option<(&Line<'_>, Outcome)> = None;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if is_column_header(line) {
            let mut header = vec![line];
            while let Some(next) = lines.get(i + header.len()).filter(|l| is_header_continuation(l)) {
                header.push(next);
            }
            reader.columns = Columns::from_header(&header);
            i += header.len();
            last = Some((line, Outcome::Header));
            continue;
        }
        let next = lines.get(i + 1);
        let outcome = reader.read_line(line, next);
        last = Some((line, outcome));
        i += 1;
    }
    if at_end_of_text {
        if let Some((line, outcome)) = last {
            reader.mark_truncated(line, outcome);
        }
    }
    (reader.indicators, reader.issues)
}

/// "指标值 **人 **人 ≥**人次 …": the 指标值 column dumped as one run after the names.
fn is_value_dump_start(line: &Line<'_>) -> bool {
    let tokens = line.tokens();
    matches!(tokens.split_first(), Some((first, rest))
        if column_of(first) == Some(Col::Value) && !rest.is_empty() && rest.iter().all(|t| looks_like_value(t)))
}

struct RowReader {
    columns: Columns,
    levels: LevelState,
    /// The table's values are detached from the names (see [`is_value_dump_start`]).
    detached: bool,
    /// Inside the dumped value run.
    in_dump: bool,
    indicators: Vec<ImportedIndicator>,
    issues: Vec<ImportIssue>,
}

impl RowReader {
    fn issue(&mut self, line: &Line<'_>, message: impl Into<String>) {
        self.issues.push(ImportIssue { line: line.number, text: line.text.to_owned(), message: message.into() });
    }

    fn read_line(&mut self, line: &Line<'_>, next: Option<&Line<'_>>) -> Outcome {
        if self.detached && self.read_dump_line(line) {
            return Outcome::Unread;
        }
        if line.piped && self.columns.position(Col::Name).is_some() {
            return self.read_pipe_row(line);
        }
        let tokens = line.tokens();
        let (found, used) = leading_levels(&tokens);
        let rest: Vec<&str> = tokens.get(used..).unwrap_or(&[]).to_vec();
        for (k, level) in found.iter().enumerate() {
            let following = match found.get(k + 1) {
                Some(l) => Some(*l),
                None if rest.is_empty() => next.and_then(|n| level_at(&n.tokens(), 0)).map(|(l, _)| l),
                None => None,
            };
            if let Some((level2, level1)) = self.levels.apply(*level, following) {
                self.issue(line, inferred_message(level2, level1));
            }
        }
        if rest.is_empty() {
            return Outcome::Levels;
        }
        if self.detached {
            return self.read_name_only_row(line, &rest);
        }
        let read =
            if self.columns.has_detail_columns() { self.read_text_columns(&rest) } else { read_text_value(&rest) };
        match read {
            Ok(raw) => self.push(line, raw),
            Err(message) => {
                self.issue(line, message);
                Outcome::Unread
            }
        }
    }

    /// In a table with detached values: reports the dumped value lines (never pairs them).
    fn read_dump_line(&mut self, line: &Line<'_>) -> bool {
        let tokens = line.tokens();
        let dump = if is_value_dump_start(line) {
            self.in_dump = true;
            true
        } else {
            self.in_dump && tokens.iter().all(|t| looks_like_value(t))
        };
        if !dump {
            self.in_dump = false;
            return false;
        }
        let values = tokens.iter().filter(|t| column_of(t).is_none()).count();
        let mut message = format!("指标值列与指标名称分离（此行 {values} 个值），无法可靠配对，未导入");
        if tokens.iter().any(|t| has_placeholder(t)) {
            message.push_str("；模板占位符，未填写数值");
        }
        self.issue(line, message);
        true
    }

    /// A row of a table with detached values: names only. A ★ or a level name inside the row
    /// starts a new indicator. Each name is imported with an empty 指标值 and an issue.
    fn read_name_only_row(&mut self, line: &Line<'_>, rest: &[&str]) -> Outcome {
        if rest.iter().any(|t| has_placeholder(t)) {
            self.issue(line, "模板占位符或无法识别的内容，此行未导入");
            return Outcome::Unread;
        }
        let mut names: Vec<(Vec<&str>, LevelState)> = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        let mut i = 0;
        while let Some(token) = rest.get(i) {
            if let Some((level, n)) = level_at(rest, i) {
                if !current.is_empty() {
                    names.push((std::mem::take(&mut current), self.levels.clone()));
                }
                let following = level_at(rest, i + n).map(|(l, _)| l);
                if let Some((level2, level1)) = self.levels.apply(level, following) {
                    self.issue(line, inferred_message(level2, level1));
                }
                i += n;
                continue;
            }
            if token.starts_with('★') && !current.is_empty() {
                names.push((std::mem::take(&mut current), self.levels.clone()));
            }
            current.push(token);
            i += 1;
        }
        if !current.is_empty() {
            names.push((current, self.levels.clone()));
        }
        let mut imported = 0;
        for (tokens, levels) in names {
            if !tokens.iter().any(|t| t.trim_start_matches('★').chars().count() >= 3) {
                self.issue(line, "无法识别此行，未导入");
                continue;
            }
            let (name, core) = strip_core(&tokens.join(" "));
            let raw = RawIndicator {
                name,
                core,
                notes: vec!["未找到该指标的指标值：指标值列与指标名称分离，无法可靠配对，请手工填写".to_owned()],
                ..RawIndicator::default()
            };
            // Record the indicator under the levels in force where its name stood in the row.
            let after_row = std::mem::replace(&mut self.levels, levels);
            self.push(line, raw);
            self.levels = after_row;
            imported += 1;
        }
        if imported == 0 {
            Outcome::Unread
        } else {
            Outcome::Imported { complete: true, missing: Vec::new() }
        }
    }

    /// A text row in a table with detail columns (指标性质, 指标方向, 计量单位, 分值 …).
    fn read_text_columns(&self, rest: &[&str]) -> Result<RawIndicator, String> {
        let after = self.columns.after_name();
        let value_at = after.iter().position(|c| *c == Col::Value).unwrap_or(after.len());
        let before_value: Vec<Col> = after.iter().take(value_at).copied().collect();
        let after_value: Vec<Col> = after.iter().skip(value_at + 1).copied().collect();
        let has_direction_cols = before_value.iter().any(|c| matches!(c, Col::Nature | Col::Direction));

        let name_end = if has_direction_cols {
            (1..rest.len()).find(|&i| rest.get(i).is_some_and(|t| is_direction(t)))
        } else {
            (1..rest.len()).find(|&i| rest.get(i).is_some_and(|t| looks_like_value(t)))
        };
        let Some(name_end) = name_end else {
            return Err(if has_direction_cols {
                "未找到指标性质/指标方向列，无法按表头各列读取此行，未导入".to_owned()
            } else {
                "未找到指标值，此行未导入".to_owned()
            });
        };
        let (name, core) = strip_core(&rest.get(..name_end).unwrap_or(&[]).join(" "));
        let mut raw = RawIndicator { name, core, ..RawIndicator::default() };
        let mut idx = name_end;
        let (mut nature, mut direction) = (None, None);
        let mut explanation: Option<&str> = None;
        for col in &before_value {
            let Some(token) = rest.get(idx) else { break };
            match col {
                // A 指标解释 cell holding a value ("100%(历史标准)"): only when the 指标值 follows.
                Col::Explain if rest.iter().skip(idx + 1).any(|t| looks_like_value(t)) => {
                    explanation = Some(token);
                    idx += 1;
                }
                Col::Nature | Col::Direction if is_direction(token) => {
                    if *col == Col::Nature {
                        nature = Some(token.to_string());
                    } else {
                        direction = Some(token.to_string());
                    }
                    idx += 1;
                }
                _ => {}
            }
        }
        raw.comparator_column = nature.or(direction);
        let Some(value) = rest.get(idx) else {
            return Err("缺少指标值，此行未导入".to_owned());
        };
        // "90%(计划标准)" explained, "1" as the 目标值: a fraction, a count or a slip? Not a number.
        if let Some(explained) = explanation {
            let differs = parse_decimal(value).is_some_and(|v| {
                let explained_number =
                    explained.split(|c: char| !(c.is_ascii_digit() || c == '.')).find(|p| !p.is_empty());
                explained.contains(['%', '％']) && explained_number.and_then(parse_decimal) != Some(v)
            });
            if differs {
                return Err(format!(
                    "目标值“{value}”没有计量单位，与指标解释“{explained}”不一致，无法确定指标值，此行未导入"
                ));
            }
        }
        raw.target_text = value.to_string();
        idx += 1;

        let mut remaining: Vec<&str> = rest.get(idx..).unwrap_or(&[]).to_vec();
        if after_value.contains(&Col::Unit) {
            let unit = match remaining.as_slice() {
                [first, ..] if !is_plain_number(first) => Some(first.to_string()),
                [first, second, ..] if is_plain_number(second) && after_value.contains(&Col::Weight) => {
                    Some(first.to_string())
                }
                _ => None,
            };
            if let Some(unit) = unit {
                remaining.remove(0);
                if unit == raw.target_text {
                    raw.notes.push(format!("计量单位列与指标值相同（{unit}），不是计量单位，已忽略"));
                } else {
                    raw.unit_column = Some(unit);
                }
            }
        }
        let later: Vec<Col> = after_value.iter().copied().filter(|c| *c != Col::Unit).collect();
        for (col, token) in later.iter().zip(remaining.iter()) {
            if *col == Col::Weight {
                raw.weight = parse_weight(token);
                if raw.weight.is_none() {
                    raw.notes.push(format!("无法读取分值“{token}”"));
                }
            }
        }
        if let Some(k) = later.iter().position(|c| *c == Col::Weight) {
            if remaining.len() <= k {
                raw.missing.push(Col::Weight.title());
            }
        }
        Ok(raw)
    }

    /// A pipe row: cells map to the header's columns by position, from the column of its first
    /// non-empty cell (a level name, or else the 三级 name).
    fn read_pipe_row(&mut self, line: &Line<'_>) -> Outcome {
        let cells = &line.cells;
        let Some(mut j0) = cells.iter().position(|c| !c.is_empty()) else { return Outcome::Levels };
        // A list of projects in one table: a row opening a project carries its 单位名称 / 项目名称
        // / 预算数 / 年度目标 cells before the 一级 cell. The row is read from the 一级 cell on;
        // the project cells are reported (never read as 指标值).
        if self.columns.position(Col::Level1).is_some_and(|p| p > 0) && classify(cells.get(j0).unwrap_or(&"")).is_none()
        {
            let level_at = (j0 + 1..cells.len()).find(|&j| {
                matches!(classify(cells.get(j).unwrap_or(&"")), Some(Level::One(_) | Level::Cost | Level::Satisfaction))
                    && cells.get(j + 1).is_some_and(|c| classify(c).is_some())
            });
            if let Some(j) = level_at {
                let project: Vec<&str> =
                    cells.get(j0..j).unwrap_or(&[]).iter().copied().filter(|c| !c.is_empty()).collect();
                self.issue(
                    line,
                    format!(
                        "多项目列表：此行开始另一个项目（{}），其指标仍记在本表下，请核对并拆分",
                        project.join(" / ")
                    ),
                );
                j0 = j;
            }
        }
        let first = cells.get(j0).copied().unwrap_or("");
        let second_is_level = cells.get(j0 + 1).is_some_and(|c| classify(c).is_some());
        let anchor_col = if label_key(first).starts_with("绩效指标") && self.columns.position(Col::Label).is_some()
        {
            Col::Label
        } else {
            match classify(first) {
                Some(Level::One(_)) => Col::Level1,
                Some(Level::Two(_)) => Col::Level2,
                Some(Level::Cost | Level::Satisfaction) if second_is_level => Col::Level1,
                Some(Level::Cost | Level::Satisfaction) => Col::Level2,
                None => Col::Name,
            }
        };
        let Some(anchor) = self.columns.position(anchor_col) else {
            self.issue(line, "此行与表头各列对不上，未导入");
            return Outcome::Unread;
        };
        let mut raw = RawIndicator::default();
        let mut reached = Vec::new();
        let mut value_cell: Option<&str> = None;
        for (k, cell) in cells.iter().enumerate().skip(j0) {
            let Some(col) = self.columns.cols.get(anchor + k - j0).copied() else { break };
            reached.push(col);
            let cell = cell.trim();
            match col {
                Col::Level1 if !cell.is_empty() => {
                    let name = levels::normalise_in_column(cell);
                    if name != self.levels.level1 {
                        self.levels.level1 = name;
                        self.levels.level2.clear();
                    }
                }
                Col::Level2 if !cell.is_empty() => self.levels.level2 = levels::normalise_in_column(cell),
                Col::Name => (raw.name, raw.core) = strip_core(cell),
                Col::Nature if !cell.is_empty() && !is_direction(cell) => {
                    self.issue(
                        line,
                        format!("指标性质列应为 ≥ ≤ = 或 正向/反向，此行为“{cell}”：与表头各列对不上，未导入"),
                    );
                    return Outcome::Unread;
                }
                Col::Nature if !cell.is_empty() => raw.comparator_column = Some(cell.to_owned()),
                Col::Direction if !cell.is_empty() && raw.comparator_column.is_none() => {
                    raw.comparator_column = Some(cell.to_owned())
                }
                Col::Value => value_cell = Some(cell),
                Col::Unit if !cell.is_empty() => raw.unit_column = Some(cell.to_owned()),
                Col::Weight if !cell.is_empty() => {
                    raw.weight = parse_weight(cell);
                    if raw.weight.is_none() && !super::lines::is_not_applicable(cell) {
                        raw.notes.push(format!("无法读取分值“{cell}”"));
                    }
                }
                _ => {}
            }
        }
        if !reached.contains(&Col::Name) {
            return Outcome::Levels;
        }
        if raw.name.is_empty() {
            self.issue(line, "缺少三级指标名称，此行未导入");
            return Outcome::Unread;
        }
        let Some(value) = value_cell else {
            self.issue(line, "缺少指标值，此行未导入");
            return Outcome::Unread;
        };
        if value.is_empty() {
            raw.notes.push("指标值为空".to_owned());
        }
        raw.target_text = value.to_owned();
        let essential = [Col::Name, Col::Nature, Col::Direction, Col::Value, Col::Unit, Col::Weight];
        raw.missing = essential
            .iter()
            .filter(|c| self.columns.cols.contains(c) && !reached.contains(c))
            .map(|c| c.title())
            .collect();
        self.push(line, raw)
    }

    /// Parses the value and records the indicator with its warnings.
    fn push(&mut self, line: &Line<'_>, raw: RawIndicator) -> Outcome {
        let mut level1 = self.levels.level1.clone();
        let level2 = self.levels.level2.clone();
        match levels::parent_of(&level2) {
            Some(parent) if level1.is_empty() => {
                level1 = parent.to_owned();
                self.issue(line, inferred_message(&level2, parent));
            }
            Some(parent) if parent != level1 => self.issue(
                line,
                format!("二级指标“{level2}”通常属于一级指标“{parent}”，表格写在“{level1}”下，已按原样导入，请核对"),
            ),
            _ => {}
        }
        if level1.is_empty() || level2.is_empty() {
            self.issue(line, "缺少一级或二级指标名称");
        }
        let category = if level2.is_empty() { level1.clone() } else { level2.clone() };
        let ctx = TargetContext {
            category: Some(category).filter(|c| !c.is_empty()),
            indicator_name: Some(raw.name.clone()),
            comparator_column: raw.comparator_column.clone(),
            unit_column: raw.unit_column.clone(),
        };
        let target = parse_target(&super::norm::for_matching(&raw.target_text), &ctx);
        if has_placeholder(&raw.target_text) || matches!(target.kind, ValueKind::Placeholder) {
            self.issue(line, format!("模板占位符，未填写数值：“{}”", raw.target_text));
        }
        for note in &raw.notes {
            self.issue(line, note.clone());
        }
        let complete = raw.missing.is_empty();
        let missing = raw.missing.clone();
        if !complete {
            self.issue(line, format!("此行缺少{}列", raw.missing.join("、")));
        }
        self.indicators.push(ImportedIndicator {
            line: line.number,
            level1,
            level2,
            name: raw.name,
            target_text: raw.target_text,
            comparator_column: raw.comparator_column,
            unit_column: raw.unit_column,
            weight: raw.weight,
            core: raw.core,
            target,
        });
        Outcome::Imported { complete, missing }
    }

    /// The table ran into the end of the text: says so on its last line when that line was not
    /// read completely.
    fn mark_truncated(&mut self, line: &Line<'_>, outcome: Outcome) {
        let number = line.number;
        match outcome {
            Outcome::Unread => {
                for issue in self.issues.iter_mut().filter(|i| i.line == number) {
                    issue.message = format!("表格在此处截断，最后一行不完整：{}", issue.message);
                }
            }
            Outcome::Imported { complete: false, missing } => {
                let message = format!("表格在此处截断，最后一行缺少{}列，已按现有内容导入，请核对", missing.join("、"));
                self.issues.retain(|i| !(i.line == number && i.message.starts_with("此行缺少")));
                self.issue(line, message);
            }
            Outcome::Levels | Outcome::Header => {
                self.issue(line, "表格在此处截断，此行之后没有指标");
            }
            Outcome::Imported { complete: true, .. } => {}
        }
    }
}

/// An OCR "二" before a number reads as "≥" (domain-rules §3). In a table whose other written
/// comparators are all "=" (at least two, no other sign), the "二" is the "=" it resembles: the
/// value is read again with "=", and an issue says so.
pub(super) fn reread_ocr_two(indicators: &mut [ImportedIndicator], issues: &mut Vec<ImportIssue>) {
    let written = |i: &ImportedIndicator| {
        let inferred = [Flag::ComparatorAssumed, Flag::ComparatorFromColumn].iter().any(|f| i.target.has_flag(f))
            || i.target.flags.iter().any(|f| matches!(f, Flag::OcrComparator { .. }));
        if inferred {
            None
        } else {
            i.target.comparator()
        }
    };
    let comparators: Vec<Comparator> = indicators.iter().filter_map(written).collect();
    let equals = comparators.iter().filter(|c| **c == Comparator::Eq).count();
    if equals < 2 || equals < comparators.len() {
        return;
    }
    for ind in indicators.iter_mut() {
        let text = super::norm::for_matching(ind.target_text.trim());
        let ocr = ind.target.flags.iter().any(|f| matches!(f, Flag::OcrComparator { .. }));
        let Some(rest) = text.strip_prefix('二').filter(|_| ocr) else { continue };
        let category = if ind.level2.is_empty() { ind.level1.clone() } else { ind.level2.clone() };
        let ctx = TargetContext {
            category: Some(category).filter(|c| !c.is_empty()),
            indicator_name: Some(ind.name.clone()),
            comparator_column: ind.comparator_column.clone(),
            unit_column: ind.unit_column.clone(),
        };
        let mut target = parse_target(&format!("={rest}"), &ctx);
        target.raw = text.clone();
        ind.target = target;
        issues.push(ImportIssue {
            line: ind.line,
            text: ind.target_text.clone(),
            message: format!(
                "“{}”开头的“二”疑为比较符号的识别错误；本表其他指标值都写“=”，已按“=”读取（也可能是“≥”），请核对",
                ind.target_text
            ),
        });
    }
}

/// Reads "name value" from a text row without detail columns: the 指标值 is the trailing
/// token(s) that read as a value — "1座"; "≤40000 元/年" and "2 万元/年" (number + unit); "≥ 95%"
/// (lone comparator + number) — or, when no token reads as a value, a short phrase after the
/// name ("有效保障").
fn read_text_value(rest: &[&str]) -> Result<RawIndicator, String> {
    let n = rest.len();
    let Some(last) = rest.last() else { return Err("空行".to_owned()) };
    if n == 1 {
        if is_placeholder_row_cell(last) {
            return Err("空的模板行（如“指标2”“……”），未导入".to_owned());
        }
        let (name, core) = strip_core(last);
        if let Some((name, value)) = split_glued_value(&name) {
            return Ok(RawIndicator {
                name,
                target_text: value,
                core,
                notes: vec!["指标值与指标名称连写，已从名称中拆分，请核对".to_owned()],
                ..RawIndicator::default()
            });
        }
        return Err(if looks_like_value(last) {
            "只有指标值，没有指标名称，此行未导入".to_owned()
        } else {
            "未找到指标值，此行未导入".to_owned()
        });
    }
    let mut start = if looks_like_value(last) {
        n - 1
    } else if n >= 3 && is_unit_only(last) && rest.get(n - 2).is_some_and(|t| is_number_like(t)) {
        n - 2
    } else if is_qualitative_phrase(last) {
        n - 1
    } else {
        return Err("未找到指标值，此行未导入".to_owned());
    };
    if start >= 2 && rest.get(start - 1).is_some_and(|t| is_bare_comparator(t)) {
        start -= 1;
    }
    let (name, core) = strip_core(&rest.get(..start).unwrap_or(&[]).join(" "));
    if name.is_empty() {
        return Err("只有指标值，没有指标名称，此行未导入".to_owned());
    }
    Ok(RawIndicator { name, target_text: rest.get(start..).unwrap_or(&[]).join(" "), core, ..RawIndicator::default() })
}

fn inferred_message(level2: &str, level1: &str) -> String {
    format!("一级指标未写明或与二级指标不符，按二级指标“{level2}”推定为“{level1}”，请核对")
}

/// A short phrase that can be a qualitative 指标值 (有效保障, 效果明显, 显著提升), not the end of an
/// indicator name (…数量, …率, …成本, …满意度).
fn is_qualitative_phrase(token: &str) -> bool {
    const NAME_ENDINGS: &[&str] = &[
        "率",
        "数量",
        "数",
        "成本",
        "时间",
        "标准",
        "情况",
        "年限",
        "满意度",
        "指标",
        "面积",
        "金额",
        "费用",
        "周期",
        "比例",
        "次数",
        "人数",
        "规模",
        "范围",
        "期限",
        "覆盖面",
    ];
    let count = token.chars().count();
    (2..=12).contains(&count)
        && token.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && !is_unit_only(token)
        && classify(token).is_none()
        && column_of(token).is_none()
        && !NAME_ENDINGS.iter().any(|e| token.ends_with(e))
}

/// Qualitative 指标值 that tables glue to the end of a name, longest first.
const GLUED_QUALITATIVE: &[&str] = &[
    "稳步提高",
    "逐步提高",
    "明显提升",
    "显著提升",
    "有效提升",
    "不断提升",
    "持续改善",
    "明显改善",
    "有效保障",
    "效果明显",
    "不超预算",
    "长远",
    "提升",
];

/// How indicator names end (…率, …情况, …影响, …水平): a glued qualitative value may follow.
const GLUED_NAME_ENDINGS: &[&str] =
    &["率", "度", "情况", "影响", "水平", "效果", "能力", "意识", "质量", "环境", "成本", "效益", "数量"];

/// "对当地文物保护、文化传承影响长远" → ("对当地文物保护、文化传承影响", "长远", ""); "成本控制率不超预算
/// 水电气消耗下降率" → ("成本控制率", "不超预算", "水电气消耗下降率"). Only a phrase from
/// [`GLUED_QUALITATIVE`], after a name of three Chinese characters or more ending like an
/// indicator name, followed by nothing or by another name (four Chinese characters or more).
fn split_qualitative(name: &str) -> Option<(String, String, String)> {
    let chars: Vec<char> = name.chars().collect();
    for start in 1..chars.len() {
        let head: String = chars.get(..start).unwrap_or(&[]).iter().collect();
        if han_count(&head) < 3 || !GLUED_NAME_ENDINGS.iter().any(|e| head.ends_with(e)) {
            continue;
        }
        let tail: String = chars.get(start..).unwrap_or(&[]).iter().collect();
        let Some(phrase) = GLUED_QUALITATIVE.iter().find(|p| tail.starts_with(*p)) else { continue };
        let rest = tail.get(phrase.len()..).unwrap_or("").to_owned();
        if rest.is_empty() || han_count(&rest) >= 4 {
            return Some((head, (*phrase).to_owned(), rest));
        }
    }
    None
}

/// A leading ★ marks a core indicator: "★农村低保标准" → ("农村低保标准", true).
fn strip_core(name: &str) -> (String, bool) {
    let trimmed = name.trim();
    match trimmed.strip_prefix('★') {
        Some(rest) => (rest.trim().to_owned(), true),
        None => (trimmed.to_owned(), false),
    }
}

/// "4", "10分", "4.5" → the weight.
fn parse_weight(cell: &str) -> Option<Decimal> {
    let t = cell.trim();
    parse_decimal(t.strip_suffix('分').unwrap_or(t))
}

/// "2、…", "3.…": a numbered item or heading.
fn is_numbered_item(cell: &str) -> bool {
    let digits = cell.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && matches!(cell.chars().nth(digits), Some('、' | '．'))
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')).count()
}

/// A value glued to the end of a name in the stream, when the name keeps at least three Chinese
/// characters ("取得2018-2022" is not a name "取得" with a target).
fn glued_value(name: &str) -> Option<(String, String)> {
    split_glued_value(name).filter(|(head, _)| han_count(head) >= 3)
}

/// A cell that closes the indicator part.
fn is_closing_cell(cell: &str) -> bool {
    const CLOSING: &[&str] = &[
        "财政部门审核意见",
        "主管部门审核意见",
        "偏差大或目标未完成",
        // The page around the table: "附件:", "扫一扫在手机打开当前页", "[下载] [打印] [关闭]".
        "附件",
        "[打印]",
        "[关闭]",
    ];
    let key = label_key(cell);
    super::CLOSING_WORDS.iter().chain(CLOSING).any(|w| key.starts_with(w))
}

/// Empty template rows: "指标2", "指标3：", "……", "…".
fn is_placeholder_row_cell(cell: &str) -> bool {
    let t = label_key(cell);
    let rest = t.strip_prefix("指标").map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    matches!(rest, Some(r) if r.is_empty() && t.len() > "指标".len())
        || t.chars().all(|c| c == '…' || c == '.' || c == '。')
}

/// "指标1工程完工率" / "指标1：工程完工率" → "工程完工率".
fn strip_indicator_number(name: &str) -> &str {
    let Some(rest) = name.strip_prefix("指标") else { return name };
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return name;
    }
    let rest = rest.get(digits..).unwrap_or("");
    rest.trim_start_matches([':', '：', '.', '、', ' '])
}

/// Phrases that fill a 实际完成值 / 实施进度 / 绩效标准 / 指标值类型 cell after the target.
fn is_trailing_phrase(cell: &str) -> bool {
    const PHRASES: &[&str] = &[
        "达成预期指标",
        "达成年度指标",
        "完成",
        "已完成",
        "未完成",
        "是",
        "否",
        "定量",
        "定性",
        "计划标准",
        "历史标准",
        "行业标准",
        "其他标准",
        "正向指标",
        "反向指标",
        "确定能",
        "有可能",
        "完全不可能",
    ];
    let key = label_key(cell);
    PHRASES.contains(&key.as_str()) || key.starts_with("已完成") || key.contains('。')
}

/// The text has a column header somewhere (one line, or one cell per line): 一级/三级 and 指标值.
pub(super) fn has_column_header_cells(lines: &[Line<'_>]) -> bool {
    let cols: Vec<Col> =
        lines.iter().flat_map(|l| l.tokens()).flat_map(split_glued_cell).filter_map(|t| column_of(&t)).collect();
    cols.contains(&Col::Value) && (cols.contains(&Col::Name) || cols.contains(&Col::Level1))
}

/// The text has a 一级 name directly followed by a 二级 name and an indicator name, as a table row
/// does ("产出指标数量指标足额保障率…"), not as prose does ("数量指标:★补助…;").
pub(super) fn has_level_pair(lines: &[Line<'_>]) -> bool {
    let mut pieces: Vec<(Option<Level>, String, bool)> = Vec::new();
    for token in lines.iter().flat_map(|l| l.tokens()) {
        let sentence = token.contains([';', '；', '。']);
        pieces.extend(split_glued_cell(token).into_iter().map(|p| (classify(&p), p, sentence)));
    }
    pieces.windows(3).any(|w| match w {
        [(Some(Level::One(_) | Level::Cost | Level::Satisfaction), _, false), (Some(Level::Two(_)), _, false), (None, name, false)] => {
            !name.starts_with([':', '：', ',', '，', '、'])
        }
        _ => false,
    })
}

/// One cell of the stream and the line it came from.
struct StreamCell<'l, 'a> {
    line: &'l Line<'a>,
    text: String,
}

/// Reads a table's indicator rows without relying on line breaks: all cells of `lines` in order
/// (pipe cells, or whitespace tokens), level names split out of glued cells, the column template
/// from the first run of column names, then name → (comparator) → 指标值 → (unit) → trailing
/// cells per column. Used when it reads more than [`read_rows`] (flattened text, one cell per line).
pub(super) fn read_stream(lines: &[Line<'_>]) -> (Vec<ImportedIndicator>, Vec<ImportIssue>) {
    let mut cells: Vec<StreamCell<'_, '_>> = Vec::new();
    for line in lines {
        for token in line.tokens() {
            for piece in split_glued_cell(token) {
                cells.push(StreamCell { line, text: piece });
            }
        }
    }
    // The column template: the first run of column names with a 三级 or 指标值 column.
    let mut template_keys: Vec<(Col, String)> = Vec::new();
    let mut start = None;
    let mut k = 0;
    while k < cells.len() {
        if cells.get(k).and_then(|c| column_of(&c.text)).is_some() {
            let mut cols = Vec::new();
            let mut j = k;
            while let Some(cell) = cells.get(j) {
                match column_of(&cell.text) {
                    Some(col) => cols.push((col, label_key(&cell.text))),
                    None if label_key(&cell.text).chars().count() <= 2 => {}
                    None => break,
                }
                j += 1;
            }
            let has = |want: Col| cols.iter().any(|(c, _)| *c == want);
            if has(Col::Value) && (has(Col::Name) || has(Col::Level2)) {
                template_keys = cols;
                start = Some(j);
                break;
            }
            k = j.max(k + 1);
            continue;
        }
        k += 1;
    }
    let start = match start {
        Some(s) => s,
        None => match cells.iter().position(|c| classify(&c.text).is_some()) {
            Some(s) => s,
            None => return (Vec::new(), Vec::new()),
        },
    };
    // 绩效标准 next to another 指标值 column (当年预期实现值, 指标值及单位) explains or names the
    // 取值依据: it is not the target. Later 指标值 columns (年度 next to 长期) are read as the
    // target only when the earlier ones were empty.
    if template_keys.iter().filter(|(c, _)| *c == Col::Value).count() > 1 {
        for (col, key) in template_keys.iter_mut() {
            if *col == Col::Value && key == "绩效标准" {
                *col = Col::Explain;
            }
        }
    }
    let template: Vec<Col> = template_keys.iter().map(|(c, _)| *c).collect();
    let after_name: Vec<Col> = match template.iter().position(|c| *c == Col::Name) {
        Some(p) => template.iter().skip(p + 1).copied().collect(),
        None if template.is_empty() => vec![Col::Value],
        None => template.iter().copied().filter(|c| !matches!(c, Col::Label | Col::Level1 | Col::Level2)).collect(),
    };

    let mut reader = RowReader {
        columns: Columns::default(),
        levels: LevelState::default(),
        detached: false,
        in_dump: false,
        indicators: Vec::new(),
        issues: Vec::new(),
    };
    let is_level = |t: &str| classify(t).is_some();
    let mut i = start;
    while let Some(cell) = cells.get(i) {
        let text = cell.text.trim();
        if is_closing_cell(text) {
            break;
        }
        // "服务对象满意度 服务对象满意度": a 二级 written without "指标", then a 三级 of the same words.
        let repeats_level =
            i > start && cells.get(i - 1).is_some_and(|c| c.text.trim() == text) && !label_key(text).ends_with("指标");
        if let Some(level) = classify(text).filter(|_| !repeats_level) {
            let next = cells.get(i + 1).and_then(|c| classify(&c.text));
            if let Some((level2, level1)) = reader.levels.apply(level, next) {
                reader.issue(cell.line, inferred_message(level2, level1));
            }
            i += 1;
            continue;
        }
        let has_letters = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if column_of(text).is_some()
            || label_key(text) == "指标"
            || is_placeholder_row_cell(text)
            || is_not_applicable(text)
            || (looks_like_value(text) && !has_letters)
            || is_trailing_phrase(text)
        {
            i += 1;
            continue;
        }
        let (name, core) = strip_core(strip_indicator_number(text));
        let line = cell.line;
        i += 1;
        // "2、監測資料": a page or chunk marker cut the name; what is left is not a name.
        if is_numbered_item(&name) {
            reader.issue(line, format!("“{name}”以编号开头，疑为被分页截断的指标名称，此行未导入"));
            continue;
        }
        let mut raw = RawIndicator { name, core, ..RawIndicator::default() };
        // A 指标解释 / 绩效标准 glued to the name opens with "反映" by convention: cut it off.
        let explain_next =
            after_name.iter().find(|c| !matches!(c, Col::Nature | Col::Direction)) == Some(&Col::Explain);
        let mut explained = false;
        if explain_next {
            if let Some((head, _)) = raw.name.split_once("反映").filter(|(h, _)| han_count(h) >= 3) {
                raw.name = head.to_owned();
                explained = true;
            }
        }
        let mut target: Option<String> = None;
        for col in &after_name {
            let Some(next) = cells.get(i) else { break };
            let t = next.text.trim();
            if is_level(t) || is_closing_cell(t) || column_of(t).is_some() {
                break;
            }
            match col {
                Col::Nature | Col::Direction => {
                    if is_direction(t) {
                        if raw.comparator_column.is_none() {
                            raw.comparator_column = Some(t.to_owned());
                        }
                        i += 1;
                    }
                }
                Col::Value if target.is_none() => {
                    // A value glued to the name wins over a following cell that is not a value, or
                    // is a bare number (a 分值 / 得分 after the glued value).
                    let glued = if looks_like_value(t) && !is_plain_number(t) { None } else { glued_value(&raw.name) };
                    match glued {
                        Some((head, value)) => {
                            raw.name = head.trim_end_matches(['%', '％']).to_owned();
                            raw.notes.push("指标值与指标名称连写，已从名称中拆分，请核对".to_owned());
                            target = Some(value);
                        }
                        None => {
                            // "2、監測資料": a numbered item (a chunk marker of the page), not a value.
                            if is_placeholder_row_cell(t) || is_numbered_item(t) {
                                break;
                            }
                            target = Some(t.to_owned());
                            i += 1;
                        }
                    }
                }
                Col::Unit => {
                    if is_unit_only(t) {
                        raw.unit_column = Some(t.to_owned());
                        i += 1;
                    }
                }
                Col::Explain if explained => {}
                Col::Explain => i += 1,
                Col::Weight | Col::Other | Col::Value => {
                    // "指标2工程验收合格率" holds a digit but is the next row's name.
                    let next_name = strip_indicator_number(t) != t || han_count(t) >= 4;
                    let value = looks_like_value(t) && !next_name;
                    if value || is_plain_number(t) || is_direction(t) || is_trailing_phrase(t) {
                        i += 1;
                    } else {
                        break;
                    }
                }
                Col::Label | Col::Level1 | Col::Level2 | Col::Name => {}
            }
        }
        let target = match target {
            Some(t) => Some(t),
            None => glued_value(&raw.name).map(|(head, value)| {
                raw.name = head.trim_end_matches(['%', '％']).to_owned();
                raw.notes.push("指标值与指标名称连写，已从名称中拆分，请核对".to_owned());
                value
            }),
        };
        // No number anywhere: a qualitative value glued to the name ("…影响长远", "…情况稳步提高",
        // "成本控制率不超预算…"); what follows it is the next cell.
        let target = match target {
            Some(t) => Some(t),
            None => split_qualitative(&raw.name).map(|(head, phrase, rest)| {
                raw.name = head;
                raw.notes.push(format!("定性指标值“{phrase}”与指标名称连写，已从名称中拆分，请核对"));
                if !rest.is_empty() {
                    cells.insert(i, StreamCell { line, text: rest });
                }
                phrase
            }),
        };
        match target {
            Some(t) => {
                raw.target_text = t;
                reader.push(line, raw);
            }
            None => reader.issue(line, format!("未找到“{}”的指标值，此行未导入", raw.name)),
        }
    }
    (reader.indicators, reader.issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(tokens: &[&str]) -> (String, String) {
        match read_text_value(tokens) {
            Ok(r) => (r.name, r.target_text),
            Err(e) => (String::new(), e),
        }
    }

    #[test]
    fn trailing_values() {
        assert_eq!(raw(&["维护", "LED", "屏幕数量", "1座"]), ("维护 LED 屏幕数量".into(), "1座".into()));
        assert_eq!(raw(&["维护平台成本", "≤30000", "元/年"]), ("维护平台成本".into(), "≤30000 元/年".into()));
        assert_eq!(raw(&["租赁光纤、电话成本", "2", "万元/年"]), ("租赁光纤、电话成本".into(), "2 万元/年".into()));
        assert_eq!(raw(&["满意度", "≥", "95%"]), ("满意度".into(), "≥ 95%".into()));
        assert_eq!(
            raw(&["保障政府网站有效运行，政务信息及时公开", "有效保障"]),
            ("保障政府网站有效运行，政务信息及时公开".into(), "有效保障".into())
        );
        assert!(raw(&["维护", "LED", "屏幕数量"]).0.is_empty());
        assert!(raw(&["维护网站数量"]).0.is_empty());
    }

    #[test]
    fn qualitative_values_glued_to_names() {
        let q = split_qualitative;
        assert_eq!(
            q("对当地文物保护、文化传承影响长远"),
            Some(("对当地文物保护、文化传承影响".into(), "长远".into(), String::new()))
        );
        assert_eq!(q("提升博物馆绿化水平提升"), Some(("提升博物馆绿化水平".into(), "提升".into(), String::new())));
        assert_eq!(
            q("成本控制率不超预算水电气消耗下降率"),
            Some(("成本控制率".into(), "不超预算".into(), "水电气消耗下降率".into()))
        );
        // No phrase after a name ending, or a name only: nothing is split.
        assert_eq!(q("历史文化传承环保意识时限长远"), None);
        assert_eq!(q("为当地提供就业增加岗位"), None);
        assert_eq!(q("群众满意度"), None);
        assert_eq!(q("服务水平提升率"), None);
    }

    #[test]
    fn core_marker() {
        assert_eq!(strip_core("★农村低保标准"), ("农村低保标准".to_owned(), true));
        assert_eq!(strip_core("农村低保标准"), ("农村低保标准".to_owned(), false));
    }
}
