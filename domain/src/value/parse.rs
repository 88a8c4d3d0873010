//! Reading a 指标值 (target) or 实际完成值 (actual) with its table context: which comparator
//! applies when none is written, which unit a bare number has, when a number is an Excel date,
//! and what looks suspicious.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::date::{date_phrase, excel_serial_to_date, DatePhrase};
use super::grammar::{expression, is_cjk, leading_comparator, normalise, take_number, Amount, Expr};
use super::types::{Comparator, Dimension, Flag, Quantity, Target, TargetContext, Unit, ValueKind};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A 指标值: a missing comparator is taken from the column or assumed from the category.
    Target,
    /// A 实际完成值: a bare number is simply "= n".
    Actual,
}

/// Reads a target (指标值) in its table context. Never fails: what cannot be read is
/// [`ValueKind::Invalid`] with a Chinese message, and every assumption is in `flags`.
pub fn parse_target(text: &str, ctx: &TargetContext) -> Target {
    read(text, ctx, Mode::Target)
}

/// Reads an actual value (实际完成值) with the same grammar: "98.5%", "3.8万元", "完成",
/// "达成年度指标". A bare number is "=" and nothing is assumed.
pub fn parse_actual(text: &str) -> Target {
    read(text, &TargetContext::default(), Mode::Actual)
}

/// [`parse_actual`] in a table context: the 计量单位 column gives a bare number its unit and an
/// Excel serial in a date indicator becomes a date. Still no comparator is assumed.
pub fn parse_actual_with(text: &str, ctx: &TargetContext) -> Target {
    read(text, ctx, Mode::Actual)
}

/// Splits a value glued to the end of an indicator name:
/// "年度资金支付完成率100%" → ("年度资金支付完成率", "100%"). The value must read as a number
/// (with a known unit, or none), a range or a date; the name must contain a letter. Both parts
/// come back normalised (half-width).
pub fn split_glued_value(name: &str) -> Option<(String, String)> {
    let (norm, _) = normalise(name);
    // Values are short: only the last characters are tried, which keeps long texts cheap.
    const MAX_VALUE_CHARS: usize = 32;
    let starts: Vec<usize> = norm.char_indices().map(|(i, _)| i).collect();
    let first = starts.len().saturating_sub(MAX_VALUE_CHARS).max(1);
    for &i in starts.get(first..).unwrap_or(&[]) {
        let (Some(head), Some(tail)) = (norm.get(..i), norm.get(i..)) else { continue };
        let head = head.trim_end();
        let starts_value = tail.starts_with(|c: char| c.is_ascii_digit()) || leading_comparator(tail).is_some();
        let head_is_name = head.chars().any(|c| is_cjk(c) || c.is_alphabetic())
            && !head.ends_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'));
        if !starts_value || !head_is_name {
            continue;
        }
        let mut scratch = Vec::new();
        let kind = kind_of(tail.trim(), &TargetContext::default(), Mode::Actual, &mut scratch, false);
        if is_clear_value(&kind) {
            return Some((head.to_owned(), tail.trim().to_owned()));
        }
    }
    None
}

/// The longest start of `text` (at most 32 characters) that reads as a clear value (a number
/// with a known unit or none, a range or a date: "2280次" in "2280次大楼安检…", "100%" in
/// "100%100%10"), as a number of characters, and whether it is marked as a value by a unit, a
/// written comparator or a date (a bare "10" is not).
pub(crate) fn clear_value_prefix(text: &str) -> Option<(usize, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let longest = chars.len().min(32);
    (1..=longest).rev().find_map(|n| {
        let prefix: String = chars.get(..n).unwrap_or(&[]).iter().collect();
        if prefix.ends_with(|c: char| c.is_whitespace() || matches!(c, ';' | '；' | '。' | ',' | '，' | '、')) {
            return None;
        }
        let (norm, _) = normalise(&prefix);
        let mut scratch = Vec::new();
        let kind = kind_of(norm.trim(), &TargetContext::default(), Mode::Actual, &mut scratch, false);
        if !is_clear_value(&kind) {
            return None;
        }
        let written_comparator = !norm.starts_with(|c: char| c.is_ascii_digit());
        let marked = written_comparator
            || match &kind {
                ValueKind::Quantity { quantity, .. } => quantity.unit.is_some(),
                ValueKind::Range { low, .. } => low.unit.is_some(),
                _ => true,
            };
        Some((n, marked))
    })
}

/// A number with a known unit (or none), a range or a date: clear enough to split off a name.
fn is_clear_value(kind: &ValueKind) -> bool {
    let known = |q: &Quantity| q.unit.as_ref().is_none_or(|u| Unit::parse_known(&u.to_string()).is_some());
    match kind {
        ValueKind::Quantity { quantity, .. } => known(quantity),
        ValueKind::Range { low, high } => known(low) && known(high),
        ValueKind::Date { .. } => true,
        _ => false,
    }
}

fn read(text: &str, ctx: &TargetContext, mode: Mode) -> Target {
    let mut flags = Vec::new();
    let (norm, full_width) = normalise(text);
    if full_width {
        flags.push(Flag::FullWidthNormalised);
    }
    let kind = kind_of(&norm, ctx, mode, &mut flags, true);
    Target { raw: text.to_owned(), kind, flags }
}

/// The core: decides what a normalised text is. `allow_glued` stops the glued-name split from
/// recursing into itself.
fn kind_of(s: &str, ctx: &TargetContext, mode: Mode, flags: &mut Vec<Flag>, allow_glued: bool) -> ValueKind {
    if s.is_empty() {
        // An empty value cell whose indicator name ends in the value.
        let glued = ctx.indicator_name.as_deref().filter(|_| allow_glued && mode == Mode::Target);
        if let Some((head, value)) = glued.and_then(split_glued_value) {
            return glued_kind(head, &value, ctx, mode, flags);
        }
        return invalid("未填写指标值");
    }
    if is_not_applicable(s) {
        flags.push(Flag::NotApplicable);
        return ValueKind::NotApplicable;
    }
    if is_placeholder(s) {
        flags.push(Flag::Placeholder);
        return ValueKind::Placeholder;
    }
    if let Some(phrase) = date_phrase(s) {
        return match phrase {
            DatePhrase::Dated { comparator, date } => {
                let comparator = comparator.unwrap_or_else(|| date_comparator(ctx, mode, flags));
                ValueKind::Date { comparator, date }
            }
            DatePhrase::NoYear => ValueKind::Qualitative { phrase: s.to_owned() },
            DatePhrase::Impossible => invalid(&format!("日期“{s}”不存在，请检查年、月、日")),
        };
    }
    if let Some((serial, date)) = excel_serial(s, ctx) {
        flags.push(Flag::ExcelDateSerial { serial });
        let comparator = date_comparator(ctx, mode, flags);
        return ValueKind::Date { comparator, date };
    }

    let mut number_flags = Vec::new();
    let kind = match expression(s, &mut number_flags) {
        Expr::Single { comparator, misread_two, amount } => {
            single(s, comparator, misread_two, amount, ctx, mode, flags)
        }
        Expr::Range { comparator, low, high } => range(comparator, low, high, ctx),
        Expr::NoNumber { comparator_word, rest } => {
            if allow_glued && comparator_word.is_none() {
                if let Some((head, value)) = split_glued_value(s) {
                    return glued_kind(head, &value, ctx, mode, flags);
                }
            }
            match comparator_word {
                Some(word) if rest.is_empty() => invalid(&format!("比较符号“{word}”后缺少数值")),
                _ if s.chars().any(is_cjk) => ValueKind::Qualitative { phrase: s.to_owned() },
                _ => invalid(&format!("无法识别指标值“{s}”")),
            }
        }
        // A sentence that happens to start with a number: "3个网站正常运行".
        Expr::Unreadable { .. } if s.chars().any(is_cjk) => ValueKind::Qualitative { phrase: s.to_owned() },
        Expr::Unreadable { tail } => invalid(&format!("无法识别“{tail}”，数值后应为计量单位（如 %、个、万元）")),
        Expr::Contradiction => invalid(&format!("“{s}”前后的比较符号相互矛盾")),
    };
    if matches!(kind, ValueKind::Quantity { .. } | ValueKind::Range { .. }) {
        for flag in number_flags {
            if !flags.contains(&flag) {
                flags.push(flag);
            }
        }
    }
    kind
}

fn invalid(message: &str) -> ValueKind {
    ValueKind::Invalid { message: message.to_owned() }
}

/// Reads the value split off a name, with the name as the indicator name.
fn glued_kind(head: String, value: &str, ctx: &TargetContext, mode: Mode, flags: &mut Vec<Flag>) -> ValueKind {
    flags.push(Flag::ValueGluedToName);
    let inner = TargetContext { indicator_name: Some(head), ..ctx.clone() };
    kind_of(value, &inner, mode, flags, false)
}

/// "292%", "≥95%", "2 万元/年" in context.
fn single(
    s: &str,
    written: Option<Comparator>,
    misread_two: bool,
    amount: Amount,
    ctx: &TargetContext,
    mode: Mode,
    flags: &mut Vec<Flag>,
) -> ValueKind {
    let unit = amount.unit.or_else(|| column_unit(ctx));
    let mut number = amount.number;
    let mut comparator = written;
    if misread_two {
        flags.push(Flag::OcrComparator { original: s.to_owned() });
    } else if comparator.is_none() && mode == Mode::Target {
        if let Some(rest) = misread_leading_two(&number, unit.as_ref(), ctx) {
            flags.push(Flag::OcrComparator { original: s.to_owned() });
            number = rest;
            comparator = Some(Comparator::Ge);
        }
    }
    // Exact: a number with more digits than a decimal holds (28) is refused, never rounded.
    let Ok(value) = Decimal::from_str_exact(&number) else {
        return invalid(&format!("数值“{number}”超出可表示的范围或精度（最多 28 位有效数字）"));
    };
    if value < Decimal::ZERO && unit.as_ref().is_some_and(|u| !can_be_negative(u.dimension)) {
        return invalid(&format!("“{s}”不能为负数"));
    }
    let comparator = comparator.unwrap_or_else(|| missing_comparator(ctx, mode, flags));
    let is_percent = unit.as_ref().is_some_and(|u| u.dimension == Dimension::Percent);
    if mode == Mode::Target && comparator.is_reverse() && is_percent && is_rising_rate(ctx) {
        flags.push(Flag::ReverseOnRisingRate);
    }
    ValueKind::Quantity { comparator, quantity: Quantity { value, unit } }
}

/// Counts, money and durations are never negative ("-1条" is a typo or a forged value); rates,
/// 百分点 and other units may be (a growth rate of -3%).
fn can_be_negative(dimension: Dimension) -> bool {
    !matches!(dimension, Dimension::Count | Dimension::Money | Dimension::Duration)
}

/// "80-90%", "3至5个": a missing unit at one end is the other end's (or the column's).
fn range(comparator: Option<Comparator>, low: Amount, high: Amount, ctx: &TargetContext) -> ValueKind {
    if let Some(c) = comparator {
        return invalid(&format!("区间值前不应再写比较符号“{}”", c.symbol()));
    }
    let fallback = low.unit.clone().or_else(|| high.unit.clone()).or_else(|| column_unit(ctx));
    let low_unit = low.unit.or_else(|| fallback.clone());
    let high_unit = high.unit.or(fallback);
    if low_unit != high_unit {
        return invalid("区间两端的计量单位不一致");
    }
    let (Ok(low_value), Ok(high_value)) = (Decimal::from_str_exact(&low.number), Decimal::from_str_exact(&high.number))
    else {
        return invalid("区间的数值超出可表示的范围或精度（最多 28 位有效数字）");
    };
    if low_value > high_value {
        return invalid("区间的下限大于上限");
    }
    ValueKind::Range {
        low: Quantity { value: low_value, unit: low_unit },
        high: Quantity { value: high_value, unit: high_unit },
    }
}

/// The separate 计量单位 column, when it holds a unit (fixture 11 has "44,561" there).
fn column_unit(ctx: &TargetContext) -> Option<Unit> {
    ctx.unit_column.as_deref().and_then(Unit::parse)
}

/// No comparator written. Actual: "=". Target: the 指标性质/指标方向 column, else ≤ for 成本
/// indicators and = for everything else, flagged as assumed.
fn missing_comparator(ctx: &TargetContext, mode: Mode, flags: &mut Vec<Flag>) -> Comparator {
    if mode == Mode::Actual {
        return Comparator::Eq;
    }
    if let Some(c) = ctx.comparator_column.as_deref().and_then(Comparator::parse) {
        flags.push(Flag::ComparatorFromColumn);
        return c;
    }
    flags.push(Flag::ComparatorAssumed);
    if is_cost(ctx) {
        Comparator::Le
    } else {
        Comparator::Eq
    }
}

/// A date without 前/后: a deadline (≤) unless the column holds a comparator symbol. 正向/反向
/// say how a number is scored, not how a date compares, so they are not used here.
fn date_comparator(ctx: &TargetContext, mode: Mode, flags: &mut Vec<Flag>) -> Comparator {
    if mode == Mode::Actual {
        return Comparator::Eq;
    }
    let column = ctx.comparator_column.as_deref().filter(|t| !t.contains("正向") && !t.contains("反向"));
    if let Some(c) = column.and_then(Comparator::parse) {
        flags.push(Flag::ComparatorFromColumn);
        return c;
    }
    flags.push(Flag::ComparatorAssumed);
    Comparator::Le
}

fn is_cost(ctx: &TargetContext) -> bool {
    [&ctx.category, &ctx.indicator_name].into_iter().flatten().any(|t| t.contains("成本"))
}

/// Words that make an indicator a date: "项目财政资金到位时间", "完成时限".
const DATE_NAME_WORDS: &[&str] = &["时间", "日期", "时限", "期限", "时点"];

/// An Excel date serial ("44,561") where a date is expected: a date-like indicator name or a
/// 时效 category, no unit, and a whole number between 2000-01-01 (36526) and 2099-12-31 (73050).
fn excel_serial(s: &str, ctx: &TargetContext) -> Option<(u32, chrono::NaiveDate)> {
    let name = ctx.indicator_name.as_deref().unwrap_or("");
    let category = ctx.category.as_deref().unwrap_or("");
    let date_like = DATE_NAME_WORDS.iter().any(|w| name.contains(w)) || category.contains("时效");
    if !date_like || column_unit(ctx).is_some() {
        return None;
    }
    let (number, rest) = take_number(s, &mut Vec::new())?;
    let serial: u32 = number.parse().ok().filter(|_| rest.is_empty())?;
    if !(36_526..=73_050).contains(&serial) {
        return None;
    }
    Some((serial, excel_serial_to_date(serial)?))
}

/// "292%": a percentage over 100 whose digits after a leading 2 are a plausible rate (1–100) is
/// a misread "≥". Growth rates may really exceed 100%, so they are left alone.
fn misread_leading_two(number: &str, unit: Option<&Unit>, ctx: &TargetContext) -> Option<String> {
    if unit?.dimension != Dimension::Percent {
        return None;
    }
    let rest = number.strip_prefix('2')?;
    if !rest.starts_with(|c: char| matches!(c, '1'..='9')) {
        return None; // "200%", "2.5%"
    }
    let growth = ["增长", "增幅", "增加", "提高", "提升", "倍", "同比", "环比"];
    let name = [&ctx.category, &ctx.indicator_name].into_iter().flatten().any(|t| growth.iter().any(|w| t.contains(w)));
    let whole = Decimal::from_str(number).ok()?;
    let tail = Decimal::from_str(rest).ok()?;
    (whole > Decimal::ONE_HUNDRED && tail <= Decimal::ONE_HUNDRED && !name).then(|| rest.to_owned())
}

/// Rates that should fall: an "≤" on these is normal.
const FALLING_RATE_WORDS: &[&str] = &[
    "差错",
    "错误",
    "事故",
    "投诉",
    "发生",
    "不合格",
    "失误",
    "流失",
    "空置",
    "死亡",
    "返工",
    "逾期",
    "超支",
    "违约",
    "偏差",
    "误差",
    "损失",
    "损耗",
    "故障",
    "下降",
    "降低",
    "减少",
    "发病",
    "犯罪",
    "辍学",
    "未",
    "漏",
    "重复",
    "退回",
    "闲置",
    "超标",
    "污染",
    "失败",
    "延误",
    "拖欠",
    "缺陷",
    "成本",
    "负债",
    "失业",
    "变动",
    "增长",
    "增幅",
];

/// A rate or 满意度 that should rise (完成率, 及时率, 满意度), judged by the indicator name (or
/// a 满意度 category).
fn is_rising_rate(ctx: &TargetContext) -> bool {
    let name = ctx.indicator_name.as_deref().unwrap_or("");
    let category = ctx.category.as_deref().unwrap_or("");
    let rate = name.contains('率') || name.contains("满意度") || category.contains("满意度");
    rate && !FALLING_RATE_WORDS.iter().any(|w| name.contains(w))
}

/// "/", "—", "无", "不适用": the whole text says the indicator does not apply.
fn is_not_applicable(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| *c != ' ').collect();
    let only_dashes = !compact.is_empty() && compact.chars().all(|c| matches!(c, '/' | '\\' | '-'));
    only_dashes || matches!(compact.to_lowercase().as_str(), "无" | "不适用" | "无此项" | "n/a" | "na")
}

/// "**", "XX", "××", "……", "≥**%", "**人": a template value that was never filled in.
fn is_placeholder(s: &str) -> bool {
    s.contains(['*', '…']) || s.contains("...") || s.contains("××") || s.to_lowercase().contains("xx")
}
