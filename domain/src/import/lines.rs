//! The line tokenizer and the small text tests the readers share ("does this token look like a
//! 指标值", "is this a unit", "is this a placeholder"). Everything works on `char`s: no byte
//! offsets are computed, so no slice can fall inside a character.

use std::str::FromStr;

use rust_decimal::Decimal;

/// One non-blank input line, split into cells.
#[derive(Clone, Debug)]
pub(super) struct Line<'a> {
    /// 1-based line number in the input.
    pub number: usize,
    /// The line without leading and trailing whitespace.
    pub text: &'a str,
    /// `true` when the line is a pipe-separated table row ("a | b | c |").
    pub piped: bool,
    /// Pipe rows: every cell, trimmed, empty cells kept so positions match the header (the empty
    /// piece after a closing `|` is dropped). Whitespace rows: the whitespace-separated tokens.
    pub cells: Vec<&'a str>,
}

impl<'a> Line<'a> {
    /// The non-empty cells (pipe rows) or the tokens (whitespace rows).
    pub fn tokens(&self) -> Vec<&'a str> {
        self.cells.iter().copied().filter(|c| !c.is_empty()).collect()
    }

    /// The line without any whitespace and without pipes: "项 目 支 出" → "项目支出".
    pub fn compact(&self) -> String {
        compact(self.text).chars().filter(|c| !is_pipe(*c)).collect()
    }
}

fn is_pipe(c: char) -> bool {
    c == '|' || c == '｜'
}

/// Splits `text` into its non-blank lines, numbered from 1.
pub(super) fn split_lines(text: &str) -> Vec<Line<'_>> {
    text.lines().enumerate().filter_map(|(index, raw)| make_line(index + 1, raw)).collect()
}

/// One line (or a piece of one, keeping its number) split into cells; `None` when blank.
pub(super) fn make_line(number: usize, raw: &str) -> Option<Line<'_>> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let piped = trimmed.chars().any(is_pipe);
    let cells: Vec<&str> = if piped {
        let mut cells: Vec<&str> = trimmed.split(is_pipe).map(str::trim).collect();
        if cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        cells
    } else {
        trimmed.split_whitespace().collect()
    };
    if cells.iter().all(|c| c.is_empty()) {
        return None;
    }
    Some(Line { number, text: trimmed, piped, cells })
}

/// `s` without any whitespace (also the ideographic space U+3000).
pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Full-width ASCII variants (digits, letters, signs, brackets) to ASCII; the ideographic space to
/// a space.
pub(super) fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

/// Joins two pieces of a text that a line break cut apart: no separator between Chinese text,
/// a space between two ASCII words ("LED" / "屏幕" → "LED屏幕", "pay" / "ment" → "pay ment").
pub(super) fn join_broken(left: &mut String, right: &str) {
    let right = right.trim();
    if right.is_empty() {
        return;
    }
    let ascii_end = left.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
    let ascii_start = right.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii_end && ascii_start {
        left.push(' ');
    }
    left.push_str(right);
}

/// Reads an amount as written in a table cell: "10", "3.36", "40,000", "１０", "-2". Anything else
/// (words, units, placeholders) gives `None`.
pub(super) fn parse_decimal(s: &str) -> Option<Decimal> {
    let text = compact(&half_width(s));
    let text = text.strip_prefix('+').unwrap_or(&text);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let plain = strip_thousands(digits)?;
    let mut seen_point = false;
    let mut seen_digit = false;
    for c in plain.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit || plain.chars().count() > 28 {
        return None;
    }
    let value = Decimal::from_str(&plain).ok()?;
    Some(if negative { -value } else { value })
}

/// "40,000.5" → "40000.5"; commas must sit between groups of three digits.
fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_owned());
    }
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = int_part.split(',').collect();
    let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.chars().count()));
    let rest_ok = groups.iter().skip(1).all(|g| g.chars().count() == 3);
    if !first_ok || !rest_ok || frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut out: String = groups.concat();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// Comparator words and symbols that can open a 指标值 or fill a 指标性质 / 指标方向 column.
const COMPARATOR_WORDS: &[&str] = &[
    "大于等于",
    "小于等于",
    "大于或等于",
    "小于或等于",
    "不低于",
    "不少于",
    "不小于",
    "不高于",
    "不超过",
    "不多于",
    "不大于",
    "至少",
    "超过",
    "高于",
    "低于",
    "少于",
    "大于",
    "小于",
    "等于",
    "控制在",
];

const COMPARATOR_SYMBOLS: &[char] = &['≥', '≤', '>', '<', '=', '≧', '≦', '＞', '＜', '＝', '≈'];

/// The token is only a comparator: "≥", ">=", "大于等于", "＝".
pub(super) fn is_bare_comparator(token: &str) -> bool {
    let t = compact(token);
    if t.is_empty() {
        return false;
    }
    (t.chars().all(|c| COMPARATOR_SYMBOLS.contains(&c)) && t.chars().count() <= 2)
        || COMPARATOR_WORDS.contains(&t.as_str())
}

/// The token fills a 指标性质 / 指标方向 / 计算符号 column: a comparator or 正向 / 反向.
pub(super) fn is_direction(token: &str) -> bool {
    let t = compact(token);
    matches!(t.as_str(), "正向" | "反向" | "正向指标" | "反向指标") || is_bare_comparator(&t)
}

/// `token` without a leading comparator symbol or word.
fn strip_comparator(token: &str) -> &str {
    let mut rest = token.trim_start_matches(|c: char| COMPARATOR_SYMBOLS.contains(&c) || c.is_whitespace());
    for word in COMPARATOR_WORDS {
        if let Some(r) = rest.strip_prefix(word) {
            rest = r;
            break;
        }
    }
    rest
}

/// Template placeholders that stand for a number nobody filled in: "**", "XX", "……", "○○".
pub(super) fn has_placeholder(token: &str) -> bool {
    let t = half_width(token);
    let upper = t.to_uppercase();
    t.contains("**") || upper.contains("XX") || t.contains('…') || t.contains("○○") || t.contains("...")
}

/// A whole cell that only says "not applicable" or "nothing": "/", "—", "-", "无".
pub(super) fn is_not_applicable(token: &str) -> bool {
    matches!(compact(token).as_str(), "/" | "／" | "—" | "-" | "--" | "——" | "无" | "不适用")
}

fn has_digit(token: &str) -> bool {
    token.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// "Does this token look like a 指标值?": it holds a digit ("1座", "≥98%", "44,561"), opens with
/// a comparator ("≥**%", "不低于"), is a placeholder ("**人", "……") or says "not applicable" ("/").
/// Phrases such as 有效保障 are values too, but only the row reader can tell them from names.
pub(super) fn looks_like_value(token: &str) -> bool {
    let t = token.trim();
    if t.is_empty() {
        return false;
    }
    has_digit(t) || strip_comparator(t).len() < t.len() || has_placeholder(t) || is_not_applicable(t)
}

/// The token is a number, maybe after a comparator or as a placeholder, with no unit:
/// "2", "≤40000", "≥ 95", "**", "40,000".
pub(super) fn is_number_like(token: &str) -> bool {
    let rest = strip_comparator(token.trim());
    if rest.is_empty() {
        return false;
    }
    let t = half_width(rest);
    t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '*' | 'X' | 'x'))
}

/// A plain number: "8", "4", "44,561", "3.5".
pub(super) fn is_plain_number(token: &str) -> bool {
    parse_decimal(token).is_some()
}

/// Units a 计量单位 column or the tail of a 指标值 uses.
const UNITS: &[&str] = &[
    "%",
    "％",
    "百分比",
    "百分点",
    "个",
    "人",
    "人次",
    "户",
    "户次",
    "次",
    "场",
    "场次",
    "天",
    "日",
    "年",
    "月",
    "周",
    "小时",
    "分钟",
    "工作日",
    "个工作日",
    "米",
    "千米",
    "公里",
    "平方米",
    "立方米",
    "亩",
    "公顷",
    "吨",
    "千克",
    "台",
    "套",
    "台套",
    "件",
    "篇",
    "份",
    "座",
    "条",
    "标箱",
    "项",
    "家",
    "所",
    "辆",
    "名",
    "位",
    "只",
    "张",
    "本",
    "册",
    "期",
    "批",
    "批次",
    "班",
    "班次",
    "处",
    "间",
    "栋",
    "块",
    "盏",
    "株",
    "棵",
    "头",
    "部",
    "类",
    "种",
    "支",
    "宗",
    "笔",
    "页",
    "课时",
    "学时",
    "元",
    "千元",
    "万元",
    "百万元",
    "亿元",
    "分",
    "万人",
    "万人次",
    "万户",
    "万亩",
    "公里/小时",
];

/// The token is only a unit, maybe per something: "%", "元/年", "万元/人", "元/人·月", "人/次".
pub(super) fn is_unit_only(token: &str) -> bool {
    let t = compact(token);
    if t.is_empty() || has_digit(&t) {
        return false;
    }
    if UNITS.contains(&t.as_str()) {
        return true;
    }
    match t.split_once('/') {
        Some((base, per)) => UNITS.contains(&base) && !per.is_empty() && per.chars().count() <= 4 && !per.contains('/'),
        None => false,
    }
}

/// Strips a leading numbering such as "1." "2、" "（一）" from a label: "1.项目年度目标完成情况" →
/// "项目年度目标完成情况".
pub(super) fn strip_numbering(s: &str) -> &str {
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < s.len() {
        if let Some(r) = rest.strip_prefix(['.', '、', '．']) {
            return r;
        }
    }
    s
}

/// Strips one trailing parenthetical: "产出指标(50分)" → "产出指标", "指标值（包含数字及文字描述）" →
/// "指标值", "年初安排金额(万元)" → "年初安排金额". `s` must already be half-width for "（".
pub(super) fn strip_trailing_paren(s: &str) -> &str {
    if !s.ends_with(')') {
        return s;
    }
    match s.rfind('(') {
        Some(pos) if pos > 0 => s.get(..pos).unwrap_or(s),
        _ => s,
    }
}

/// Normalises a label or column name for look-up: no whitespace, half-width brackets, no
/// leading "其中:" or numbering, no trailing colon or parenthetical, no ★.
pub(super) fn label_key(token: &str) -> String {
    let t = super::norm::for_matching(&compact(&half_width(token)));
    let mut s: &str = &t;
    s = s.trim_start_matches(['★', '*']);
    if let Some(rest) = s.strip_prefix("其中") {
        s = rest.trim_start_matches(':');
    }
    s = strip_numbering(s);
    s = s.trim_end_matches(':');
    s = strip_trailing_paren(s);
    s.trim_end_matches(':').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn splits_pipe_and_whitespace_rows() {
        let lines = split_lines("\n a  b \n\nx | y |  | z |\n | | \n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 2);
        assert_eq!(lines[0].cells, ["a", "b"]);
        assert!(lines[1].piped);
        assert_eq!(lines[1].cells, ["x", "y", "", "z"]);
        assert_eq!(lines[1].tokens(), ["x", "y", "z"]);
    }

    #[test]
    fn reads_decimals() {
        assert_eq!(parse_decimal("10"), Some(dec!(10)));
        assert_eq!(parse_decimal("3.36"), Some(dec!(3.36)));
        assert_eq!(parse_decimal("40,000"), Some(dec!(40000)));
        assert_eq!(parse_decimal("１０"), Some(dec!(10)));
        assert_eq!(parse_decimal("4,00"), None);
        assert_eq!(parse_decimal("10万元"), None);
        assert_eq!(parse_decimal("**"), None);
        assert_eq!(parse_decimal("."), None);
        assert_eq!(parse_decimal("99999999999999999999999999999999"), None);
    }

    #[test]
    fn tells_values_from_names() {
        for v in ["1座", "≥98%", "≤40000", "**人", "≥**%", "……", "/", "44,561", "不低于"] {
            assert!(looks_like_value(v), "{v}");
        }
        for n in ["维护", "LED", "屏幕数量", "有效保障"] {
            assert!(!looks_like_value(n), "{n}");
        }
        assert!(is_unit_only("元/年") && is_unit_only("万元/年") && is_unit_only("%") && is_unit_only("人/次"));
        assert!(!is_unit_only("屏幕数量") && !is_unit_only("1座"));
        assert!(is_number_like("2") && is_number_like("≤40000") && !is_number_like("≥98%"));
        assert!(is_direction("正向") && is_direction("=") && is_direction("≤") && !is_direction("8"));
    }

    #[test]
    fn normalises_labels() {
        assert_eq!(label_key("其中：财政拨款"), "财政拨款");
        assert_eq!(label_key("年度资金总额："), "年度资金总额");
        assert_eq!(label_key("1.项目年度目标完成情况"), "项目年度目标完成情况");
        assert_eq!(label_key("指标值（包含数字及文字描述）"), "指标值");
        assert_eq!(label_key("产 出 指 标(50分)"), "产出指标");
    }
}
