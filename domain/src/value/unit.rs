//! Units of measure (计量单位): "%", "个", "万元/年", "元/人·月" …

use std::fmt;

use rust_decimal::Decimal;

use super::grammar::{is_cjk, normalise};
use super::types::{Dimension, Unit};

/// A unit the table knows: how it is written, its normalised symbol, its base symbol (what it
/// converts to) and the factor to that base.
struct Known {
    written: &'static str,
    symbol: &'static str,
    base: &'static str,
    dimension: Dimension,
    scale: i64,
}

const fn k(written: &'static str, symbol: &'static str, base: &'static str, dimension: Dimension, scale: i64) -> Known {
    Known { written, symbol, base, dimension, scale }
}

/// A unit that is its own symbol and base.
const fn same(written: &'static str, dimension: Dimension) -> Known {
    Known { written, symbol: written, base: written, dimension, scale: 1 }
}

use Dimension::{Count, Duration, Money, Other, Percent};

const KNOWN: &[Known] = &[
    same("%", Percent),
    k("百分比", "%", "%", Percent, 1),
    same("元", Money),
    k("千元", "千元", "元", Money, 1_000),
    k("万元", "万元", "元", Money, 10_000),
    k("百万元", "百万元", "元", Money, 1_000_000),
    k("亿元", "亿元", "元", Money, 100_000_000),
    k("人/次", "人次", "人次", Count, 1),
    same("个", Count),
    same("人", Count),
    same("人次", Count),
    same("户", Count),
    same("户次", Count),
    same("次", Count),
    same("场", Count),
    same("场次", Count),
    same("台", Count),
    same("套", Count),
    same("台套", Count),
    same("件", Count),
    same("篇", Count),
    same("份", Count),
    same("座", Count),
    same("条", Count),
    same("标箱", Count),
    same("项", Count),
    same("家", Count),
    same("所", Count),
    same("辆", Count),
    same("名", Count),
    same("位", Count),
    same("只", Count),
    same("张", Count),
    same("本", Count),
    same("册", Count),
    same("期", Count),
    same("批", Count),
    same("批次", Count),
    same("班", Count),
    same("班次", Count),
    same("处", Count),
    same("间", Count),
    same("栋", Count),
    same("块", Count),
    same("盏", Count),
    same("株", Count),
    same("棵", Count),
    same("头", Count),
    same("部", Count),
    same("类", Count),
    same("种", Count),
    same("支", Count),
    same("宗", Count),
    same("笔", Count),
    same("页", Count),
    same("课时", Count),
    same("学时", Count),
    same("人日", Count),
    same("天", Duration),
    k("日", "天", "天", Duration, 1),
    same("工作日", Duration),
    k("个工作日", "工作日", "工作日", Duration, 1),
    same("小时", Duration),
    same("分钟", Duration),
    same("周", Duration),
    same("月", Duration),
    k("个月", "月", "月", Duration, 1),
    same("季度", Duration),
    same("年", Duration),
    same("米", Other),
    k("千米", "千米", "米", Other, 1_000),
    k("公里", "公里", "米", Other, 1_000),
    same("平方米", Other),
    same("平方公里", Other),
    same("立方米", Other),
    same("亩", Other),
    same("公顷", Other),
    same("吨", Other),
    k("公斤", "公斤", "千克", Other, 1),
    same("千克", Other),
    k("个百分点", "百分点", "百分点", Other, 1),
    same("百分点", Other),
];

fn known(symbol_or_written: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|u| u.written == symbol_or_written)
}

/// Characters that mark a date, a deadline or a comparator word rather than a unit.
const NOT_IN_UNKNOWN_UNITS: &[char] =
    &['年', '月', '日', '前', '后', '底', '末', '内', '以', '上', '下', '左', '右', '达', '到', '至'];

impl Unit {
    /// Reads a unit as written after a number or in a 计量单位 column: "%", "个", "万元/年",
    /// "元/人·月", "人/次" (= 人次). Counts may carry 万/亿 ("万人次"). An unknown unit of up to
    /// three Chinese characters (or four letters) is kept as [`Dimension::Other`]; anything
    /// longer, with digits, or looking like a date word is not a unit (`None`).
    pub fn parse(text: &str) -> Option<Unit> {
        Self::parse_known(text).or_else(|| {
            let (norm, _) = normalise(text);
            let compact: String = norm.chars().filter(|c| *c != ' ').collect();
            let (base, period) = split_period(&compact)?;
            let cjk = base.chars().all(is_cjk) && base.chars().count() <= 3;
            let latin = base.chars().all(|c| c.is_ascii_alphabetic()) && base.chars().count() <= 4;
            let plausible = !base.is_empty() && (cjk || latin) && !base.contains(NOT_IN_UNKNOWN_UNITS);
            plausible.then(|| Unit { symbol: base.to_owned(), dimension: Other, scale: Decimal::ONE, period })
        })
    }

    /// Like [`Unit::parse`] but only for units in the table (no unknown [`Dimension::Other`]).
    pub(crate) fn parse_known(text: &str) -> Option<Unit> {
        let (norm, _) = normalise(text);
        let compact: String = norm.chars().filter(|c| *c != ' ').collect();
        if let Some(u) = known(&compact) {
            // "人/次" is a unit of its own, not 人 per 次.
            return Some(Unit::from_known(u, 1, None));
        }
        let (base, period) = split_period(&compact)?;
        if let Some(u) = known(base) {
            return Some(Unit::from_known(u, 1, period));
        }
        // 万人, 万人次, 亿人次 …: a count with a Chinese multiplier.
        let (factor, rest) = if let Some(rest) = base.strip_prefix('万') {
            (10_000, rest)
        } else {
            (100_000_000, base.strip_prefix('亿')?)
        };
        let u = known(rest).filter(|u| u.dimension == Count)?;
        let mut unit = Unit::from_known(u, factor, period);
        unit.symbol = base.to_owned();
        Some(unit)
    }

    fn from_known(u: &Known, factor: i64, period: Option<String>) -> Unit {
        Unit {
            symbol: u.symbol.to_owned(),
            dimension: u.dimension,
            scale: Decimal::from(u.scale) * Decimal::from(factor),
            period,
        }
    }

    /// The unit this one converts to: "元" for 万元, "人次" for 万人次, "米" for 公里; an
    /// unknown unit is its own base.
    pub fn base_symbol(&self) -> &str {
        let without_multiplier = match self.dimension {
            Count => self.symbol.strip_prefix('万').or_else(|| self.symbol.strip_prefix('亿')),
            _ => None,
        };
        let symbol = without_multiplier.filter(|rest| known(rest).is_some()).unwrap_or(&self.symbol);
        known(symbol).map(|u| u.base).unwrap_or(symbol)
    }
}

/// Splits "万元/年" into ("万元", Some("/年")). The period must be short text without digits.
fn split_period(compact: &str) -> Option<(&str, Option<String>)> {
    match compact.split_once('/') {
        None => Some((compact, None)),
        Some((base, per)) => {
            let ok = !per.is_empty()
                && per.chars().count() <= 6
                && !per.chars().any(|c| c.is_ascii_digit() || c == '/' || c == '%');
            ok.then(|| (base, Some(format!("/{per}"))))
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.symbol)?;
        if let Some(period) = &self.period {
            f.write_str(period)?;
        }
        Ok(())
    }
}
