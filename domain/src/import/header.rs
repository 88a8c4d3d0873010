//! The header-field reader: 项目名称, 主管部门 / 预算单位, 实施单位, 项目资金 and the 年度目标 text of a
//! target table, written label-then-value on one line ("预算单位 阿合奇县电子政务办公室 项目名称 …"),
//! as a label alone with its value on the next line ("项目名称" / "困难群众救助项目"), as a label
//! broken over two lines ("项目总体目" / "标"), or as a row of column labels followed by a row of
//! values (pipe tables).

use rust_decimal::Decimal;

use super::lines::{
    compact, half_width, has_placeholder, is_not_applicable, join_broken, label_key, parse_decimal, Line,
};
use super::ImportIssue;

/// A header field a label can introduce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Department,
    BudgetUnit,
    ImplementingUnit,
    FundsTotal,
    FundsFiscal,
    FundsOther,
    Goal,
    /// A label whose value the importer does not keep (项目类别, 项目负责人及电话, 预算执行情况 …).
    Ignored,
}

const FIELD_COUNT: usize = 8;

impl Field {
    fn slot(self) -> Option<usize> {
        match self {
            Field::Name => Some(0),
            Field::Department => Some(1),
            Field::BudgetUnit => Some(2),
            Field::ImplementingUnit => Some(3),
            Field::FundsTotal => Some(4),
            Field::FundsFiscal => Some(5),
            Field::FundsOther => Some(6),
            Field::Goal => Some(7),
            Field::Ignored => None,
        }
    }

    fn is_amount(self) -> bool {
        matches!(self, Field::FundsTotal | Field::FundsFiscal | Field::FundsOther)
    }
}

/// The header labels, normalised by [`label_key`].
fn field_of(key: &str) -> Option<Field> {
    let field = match key {
        "项目名称" => Field::Name,
        "主管部门" | "主管部门及代码" | "主管单位" | "业务主管部门" => Field::Department,
        "预算单位" | "单位名称" | "预算部门" => Field::BudgetUnit,
        "实施单位" | "项目实施单位" => Field::ImplementingUnit,
        "年度资金总额" | "资金总额" | "项目资金总额" => Field::FundsTotal,
        "财政拨款" | "财政拨款数" | "当年财政拨款" => Field::FundsFiscal,
        "其他资金" => Field::FundsOther,
        "项目总体目标" | "年度总体目标" | "总体目标" | "年度目标" | "项目年度目标" | "年度绩效目标"
        | "项目绩效目标" | "绩效目标" | "整体目标" => Field::Goal,
        "项目资金"
        | "资金情况"
        | "投入目标"
        | "资金来源"
        | "年初安排金额"
        | "项目类别"
        | "项目分类"
        | "建设周期"
        | "项目类型"
        | "归口科室"
        | "项目负责人及电话"
        | "项目负责人"
        | "联系人"
        | "联系电话"
        | "项目基本情况"
        | "项目年度目标完成情况"
        | "年度目标完成情况"
        | "项目实施内容及过程概述"
        | "预算执行情况"
        | "年度预算数"
        | "年初预算"
        | "年初预算数"
        | "调整后预算数"
        | "全年预算数"
        | "预算执行数"
        | "全年执行数"
        | "预算执行率"
        | "执行率"
        | "权重"
        | "分值"
        | "得分"
        | "原因"
        | "项目属性"
        | "项目期限"
        | "项目周期"
        | "预期目标"
        | "实际完成情况"
        | "中期目标"
        | "长期目标"
        | "资金用途"
        | "项目概况"
        | "立项依据"
        | "上年结转资金"
        | "填报单位"
        | "项目编码"
        | "项目代码" => Field::Ignored,
        _ => return None,
    };
    Some(field)
}

/// Reads a token as a label, possibly glued to its value: "年度资金总额：" → (total, ""),
/// "项目名称：政府网站维护费" → (name, "政府网站维护费"), "其中：财政拨款" → (fiscal, "").
fn split_label(token: &str) -> Option<(Field, String)> {
    if let Some(field) = field_of(&label_key(token)) {
        return Some((field, String::new()));
    }
    let t = half_width(token);
    let (head, rest) = t.split_once(':')?;
    let field = field_of(&label_key(head))?;
    Some((field, rest.trim().to_owned()))
}

/// Tokens that carry nothing: "其中:", "(万元)", a lone colon.
fn is_noise(token: &str) -> bool {
    let key = compact(&half_width(token));
    matches!(key.as_str(), "其中" | "其中:" | ":" | "(万元)" | "(元)" | "万元" | "单位:万元")
}

/// A proper prefix of a label (2 characters or more): the first half of a label that a line
/// break cut ("项目总体目").
fn is_label_prefix(key: &str) -> bool {
    const SPLITTABLE: &[&str] =
        &["项目名称", "主管部门", "实施单位", "预算单位", "项目总体目标", "年度总体目标", "年度资金总额", "项目资金"];
    key.chars().count() >= 2 && SPLITTABLE.iter().any(|l| l.starts_with(key) && *l != key)
}

/// Does a 年度目标 item ("目标1:", "目标 1：", "目标一、") start at `tokens[i]`?
fn goal_marker_at(tokens: &[String], i: usize) -> bool {
    let Some(token) = tokens.get(i) else { return false };
    match token.strip_prefix("目标") {
        Some("") => tokens.get(i + 1).is_some_and(|next| next.chars().next().is_some_and(is_item_numeral)),
        Some(rest) => rest.chars().next().is_some_and(is_item_numeral),
        None => false,
    }
}

fn is_item_numeral(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c)
}

/// One character of a vertically written label ("总" / "体" / "目" / "标") that landed among the
/// goal text.
fn is_vertical_fragment(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if "年度总体目标项".contains(c))
}

#[derive(Clone, Debug, Default)]
struct Slot {
    /// Line of the label, once seen.
    seen: Option<usize>,
    text: String,
    /// Line the text was last extended on (to join broken lines).
    last_line: usize,
}

/// Reads header lines one at a time ([`HeaderReader::feed`]), then gives the fields
/// ([`HeaderReader::finish`]).
#[derive(Debug, Default)]
pub(super) struct HeaderReader {
    slots: [Slot; FIELD_COUNT],
    current: Option<Field>,
    current_has_value: bool,
    /// Labels of the previous line that got no value there: the next line may hold their values.
    pending: Vec<Field>,
    /// The first part of a label broken over two lines, with its line number.
    partial: Option<(String, usize)>,
}

/// The header fields of one table.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct HeaderFields {
    pub name: String,
    pub department: Option<String>,
    pub implementing_unit: Option<String>,
    pub funds_total: Option<Decimal>,
    pub funds_fiscal: Option<Decimal>,
    pub funds_other: Option<Decimal>,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
}

impl HeaderReader {
    /// Reads one header line.
    pub fn feed(&mut self, line: &Line<'_>) {
        let mut tokens: Vec<String> = line.tokens().into_iter().map(str::to_owned).collect();
        if let Some((part, part_line)) = self.partial.take() {
            let joined = tokens.first().map(|first| format!("{part}{}", compact(first)));
            match joined {
                Some(joined) if field_of(&label_key(&joined)).is_some() => {
                    if let Some(first) = tokens.first_mut() {
                        *first = joined;
                    }
                }
                _ => self.add_to_current(&part, part_line),
            }
        }
        if let [only] = tokens.as_slice() {
            let key = label_key(only);
            if field_of(&key).is_none() && is_label_prefix(&key) {
                self.partial = Some((only.clone(), line.number));
                return;
            }
        }

        let has_goal_marker = (0..tokens.len()).any(|i| goal_marker_at(&tokens, i));
        let first_is_label = tokens.first().is_some_and(|t| split_label(t).is_some());
        let pending = std::mem::take(&mut self.pending);
        if !first_is_label && !has_goal_marker && !pending.is_empty() && self.fill_pending(&pending, &tokens, line) {
            return;
        }
        if has_goal_marker && !first_is_label {
            self.current = Some(Field::Goal);
            self.current_has_value = true;
        }
        for token in &tokens {
            if let Some((field, rest)) = split_label(token) {
                self.close_label();
                self.current = Some(field);
                self.current_has_value = false;
                if let Some(i) = field.slot() {
                    if let Some(slot) = self.slots.get_mut(i) {
                        slot.seen.get_or_insert(line.number);
                    }
                }
                if !rest.is_empty() {
                    self.add(field, &rest, line.number);
                }
            } else if !is_noise(token) {
                self.add_to_current(token, line.number);
            }
        }
        self.close_label();
    }

    /// Gives the values of a line to the labels that stood alone on the line before. A pipe row
    /// gives one cell per label, aligned to the right (leading merged cells are missing); a text
    /// line goes to the first label. Returns `false` when the line does not fit (an amount label
    /// followed by words), so that the caller reads it as an ordinary line.
    fn fill_pending(&mut self, pending: &[Field], tokens: &[String], line: &Line<'_>) -> bool {
        let Some(first_field) = pending.first() else { return false };
        if first_field.is_amount() && tokens.first().is_none_or(|t| parse_decimal(t).is_none()) {
            return false;
        }
        let pairs: Vec<(Field, String)> = if line.piped || tokens.len() == pending.len() {
            let skip = pending.len().saturating_sub(tokens.len());
            pending.iter().skip(skip).copied().zip(tokens.iter().cloned()).collect()
        } else {
            vec![(*first_field, tokens.join(" "))]
        };
        for (field, value) in &pairs {
            if field.is_amount() && parse_decimal(value).is_none() && !is_not_applicable(value) {
                continue;
            }
            self.add(*field, value, line.number);
            self.current = Some(*field);
        }
        self.current_has_value = true;
        true
    }

    /// A label that got no value on its line waits for the next line.
    fn close_label(&mut self) {
        if let (Some(field), false) = (self.current, self.current_has_value) {
            self.pending.push(field);
            self.current_has_value = true;
        }
    }

    fn add_to_current(&mut self, token: &str, line: usize) {
        if let Some(field) = self.current {
            self.add(field, token, line);
        }
    }

    fn add(&mut self, field: Field, token: &str, line: usize) {
        self.current_has_value = true;
        if field == Field::Goal && is_vertical_fragment(token) {
            return;
        }
        let Some(slot) = field.slot().and_then(|i| self.slots.get_mut(i)) else { return };
        if slot.text.is_empty() {
            slot.text = token.trim().to_owned();
        } else if slot.last_line == line {
            slot.text.push(' ');
            slot.text.push_str(token.trim());
        } else {
            join_broken(&mut slot.text, token);
        }
        slot.last_line = line;
    }

    fn slot(&self, field: Field) -> Slot {
        field.slot().and_then(|i| self.slots.get(i)).cloned().unwrap_or_default()
    }

    /// The fields read, with warnings for missing or unfilled ones (their line is the label's line,
    /// else `title_line`).
    pub fn finish(mut self, title_line: usize) -> (HeaderFields, Vec<ImportIssue>) {
        if let Some((part, line)) = self.partial.take() {
            self.add_to_current(&part, line);
        }
        let mut issues = Vec::new();
        let warn = |issues: &mut Vec<ImportIssue>, line: Option<usize>, text: &str, message: String| {
            issues.push(ImportIssue { line: line.unwrap_or(title_line), text: text.to_owned(), message });
        };

        let name = self.slot(Field::Name);
        if name.text.is_empty() {
            let message = if name.seen.is_some() { "项目名称未填写" } else { "未找到项目名称" };
            warn(&mut issues, name.seen, "", message.to_owned());
        }
        let department = self.slot(Field::Department);
        let budget_unit = self.slot(Field::BudgetUnit);
        let implementing = self.slot(Field::ImplementingUnit);
        let department_text = first_filled(&[&department, &budget_unit]);
        let implementing_text = first_filled(&[&implementing, &budget_unit]);
        if department_text.is_none() && implementing_text.is_none() {
            let seen = department.seen.or(implementing.seen).or(budget_unit.seen);
            let message = if seen.is_some() {
                "主管部门、实施单位未填写"
            } else {
                "未找到主管部门或实施单位"
            };
            warn(&mut issues, seen, "", message.to_owned());
        }

        let mut unfilled = Vec::new();
        let mut amounts = [None; 3];
        for (k, (field, label)) in
            [(Field::FundsTotal, "年度资金总额"), (Field::FundsFiscal, "财政拨款"), (Field::FundsOther, "其他资金")]
                .into_iter()
                .enumerate()
        {
            let slot = self.slot(field);
            let Some(seen) = slot.seen else { continue };
            let first = slot.text.split_whitespace().next().unwrap_or("");
            let amount = parse_decimal(first).or_else(|| first.strip_suffix("万元").and_then(parse_decimal));
            match amount {
                Some(a) => {
                    if let Some(cell) = amounts.get_mut(k) {
                        *cell = Some(a);
                    }
                }
                None if slot.text.is_empty() => unfilled.push(label),
                None if is_not_applicable(first) => {}
                None if has_placeholder(first) => {
                    warn(&mut issues, Some(seen), &slot.text, format!("{label}是模板占位符，未填写数值"))
                }
                None => warn(&mut issues, Some(seen), &slot.text, format!("无法读取{label}的金额")),
            }
        }
        if !unfilled.is_empty() {
            let seen = self.slot(Field::FundsTotal).seen.or(self.slot(Field::FundsFiscal).seen);
            warn(&mut issues, seen, "", format!("项目资金未填写：{}", unfilled.join("、")));
        }

        let goal = self.slot(Field::Goal);
        let (overall_goal, annual_goals, unfilled_goals) = split_goals(&goal.text);
        if unfilled_goals > 0 {
            warn(
                &mut issues,
                goal.seen,
                &goal.text,
                format!("{unfilled_goals} 个年度目标未填写（模板占位符），已跳过"),
            );
        }
        let [funds_total, funds_fiscal, funds_other] = amounts;
        let fields = HeaderFields {
            name: name.text,
            department: department_text,
            implementing_unit: implementing_text,
            funds_total,
            funds_fiscal,
            funds_other,
            overall_goal,
            annual_goals,
        };
        (fields, issues)
    }
}

/// The first filled slot's text, without a leading code such as "(433)".
fn first_filled(slots: &[&Slot]) -> Option<String> {
    slots.iter().map(|s| strip_code(&s.text)).find(|t| !t.is_empty())
}

/// "(433)乌海市供销合作社联合社" → "乌海市供销合作社联合社".
fn strip_code(text: &str) -> String {
    let t = text.trim();
    let Some(rest) = t.strip_prefix(['(', '（']) else { return t.to_owned() };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return t.to_owned();
    }
    let after = rest.get(digits.len()..).unwrap_or("");
    match after.strip_prefix([')', '）']) {
        Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
        _ => t.to_owned(),
    }
}

/// Splits the goal text into the overall goal (text before the first item) and the items
/// "目标 1：…", "目标 2：…" as written. Items with nothing filled in (template "目标1:" or "……")
/// are dropped and counted.
fn split_goals(text: &str) -> (String, Vec<String>, usize) {
    let chars: Vec<char> = text.chars().collect();
    let starts: Vec<usize> = (0..chars.len()).filter(|&i| goal_item_at(&chars, i).is_some()).collect();
    let piece = |from: usize, to: usize| -> String { chars.get(from..to).unwrap_or(&[]).iter().collect() };
    let overall = piece(0, starts.first().copied().unwrap_or(chars.len())).trim().to_owned();
    let mut goals = Vec::new();
    let mut unfilled = 0;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(chars.len());
        let item = piece(start, end).trim().to_owned();
        let body_start = goal_item_at(&chars, start).unwrap_or(start);
        let body = piece(body_start, end);
        let body = body.trim();
        if body.is_empty() || (has_placeholder(body) && !body.chars().any(|c| c.is_alphanumeric())) {
            unfilled += 1;
        } else {
            goals.push(item);
        }
    }
    let overall = if has_placeholder(&overall) && !overall.chars().any(|c| c.is_alphanumeric()) {
        unfilled += 1;
        String::new()
    } else {
        overall
    };
    (overall, goals, unfilled)
}

/// If a goal item ("目标" + optional spaces + a numeral + optional spaces + ":" "：" "、" "." or a
/// space) starts at `i`, the index where its text begins.
fn goal_item_at(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) != Some(&'目') || chars.get(i + 1) != Some(&'标') {
        return None;
    }
    let mut j = i + 2;
    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
        j += 1;
    }
    let digits_start = j;
    while chars.get(j).is_some_and(|c| is_item_numeral(*c)) {
        j += 1;
    }
    if j == digits_start {
        return None;
    }
    let mut k = j;
    while chars.get(k).is_some_and(|c| c.is_whitespace()) {
        k += 1;
    }
    match chars.get(k) {
        Some(':' | '：' | '、' | '.' | '．') => Some(k + 1),
        None => Some(k),
        Some(_) if k > j => Some(k),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;
    use rust_decimal_macros::dec;

    fn read(text: &str) -> (HeaderFields, Vec<ImportIssue>) {
        let mut reader = HeaderReader::default();
        for line in split_lines(text) {
            reader.feed(&line);
        }
        reader.finish(1)
    }

    #[test]
    fn reads_labels_and_values_on_one_line_and_split_labels() {
        let (h, issues) = read(
            "预算单位 某局 项目名称 某项目\n项目资金\n（万元）\n年度资金总额： 10 其中：财政拨款 10 其他资金 0\n\
             项目总体目\n标\n总体说明\n目标 1：第一\n行续\n目标 2：第二",
        );
        assert_eq!(h.name, "某项目");
        assert_eq!(h.department.as_deref(), Some("某局"));
        assert_eq!(h.implementing_unit.as_deref(), Some("某局"));
        assert_eq!((h.funds_total, h.funds_fiscal, h.funds_other), (Some(dec!(10)), Some(dec!(10)), Some(dec!(0))));
        assert_eq!(h.overall_goal, "总体说明");
        assert_eq!(h.annual_goals, ["目标 1：第一行续", "目标 2：第二"]);
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn reads_value_on_next_line_and_pipe_columns() {
        let (h, _) = read("项目名称\n困难群众救助项目\n项目负责人及电话\n主管部门\n实施单位\n");
        assert_eq!(h.name, "困难群众救助项目");
        assert_eq!(h.department, None);
        let (h, _) = read(
            "主管部门 | 某局部门 | 实施单位 | 某局 | ||\n项目基本情况 | 1.项目年度目标完成情况 | 项目年度目标 | 年度目标完成情况 |\n\
             买设备。 | 完成 |\n2.项目实施内容及过程概述 | 2023年购买 |",
        );
        assert_eq!(h.department.as_deref(), Some("某局部门"));
        assert_eq!(h.implementing_unit.as_deref(), Some("某局"));
        assert_eq!(h.overall_goal, "买设备。");
    }

    #[test]
    fn warns_about_unfilled_template_fields() {
        let (h, issues) = read("项目名称\n某项目\n主管部门\n实施单位\n年度资金总额: 其中:财政拨款 其他资金\n体 目标1: 目 目标2: 标 目标3: ……\n年度目标");
        assert!(h.annual_goals.is_empty());
        assert_eq!(h.funds_total, None);
        let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("项目资金未填写")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("占位符")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("主管部门、实施单位未填写")), "{messages:?}");
    }

    #[test]
    fn strips_codes() {
        assert_eq!(strip_code("(433)乌海市供销合作社联合社(部门)"), "乌海市供销合作社联合社(部门)");
        assert_eq!(strip_code("（12）某局"), "某局");
        assert_eq!(strip_code("(部门)某局"), "(部门)某局");
    }
}
