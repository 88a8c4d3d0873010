//! Number formatting and rounding shared by the scoring engine's Chinese explanations.

use rust_decimal::{Decimal, RoundingStrategy};

/// One hundredth: the resolution of every score.
pub(crate) const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);
pub(crate) const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Rounds to 2 decimals, half away from zero (the rounding of every score and rate).
pub(crate) fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Smallest 2-decimal value ≥ `d`.
pub(crate) fn ceil2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity)
}

/// Largest 2-decimal value ≤ `d`.
pub(crate) fn floor2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity)
}

/// Points with exactly 2 decimals: `4.5` → `"4.50"`.
pub(crate) fn pts(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// A plain number as entered, without trailing zeros: `38000.00` → `"38000"`.
pub(crate) fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A quantity with its unit: `"38000 元"`, `"98%"`, `"3"` (no unit).
pub(crate) fn qty(d: Decimal, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        num(d)
    } else if unit == "%" || unit == "％" {
        format!("{}%", num(d))
    } else {
        format!("{} {}", num(d), unit)
    }
}

/// A percentage with 2 decimals: `95` → `"95.00%"`.
pub(crate) fn pct(d: Decimal) -> String {
    format!("{}%", pts(d))
}

/// A threshold as written in rules: `90` → `"90%"`, `92.5` → `"92.5%"`.
pub(crate) fn pct_plain(d: Decimal) -> String {
    format!("{}%", num(d))
}

/// True when an entered explanation is missing or only whitespace.
pub(crate) fn is_blank(text: &Option<String>) -> bool {
    text.as_deref().map(|t| t.trim().is_empty()).unwrap_or(true)
}

/// A 一级 name reduced for matching: whitespace removed, a trailing "指标" dropped, so
/// "产 出 指 标", "产出指标" and "产出" all match.
pub(crate) fn level1_key(name: &str) -> String {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    compact.strip_suffix("指标").unwrap_or(&compact).to_owned()
}
