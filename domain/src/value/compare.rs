//! Bringing a target and an actual value to one unit before scoring.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::types::{Dimension, Flag, Quantity, Target, Unit};

/// A target and an actual in the same unit, ready for a scoring formula.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparable {
    pub target: Decimal,
    pub actual: Decimal,
    /// The unit both values are in, for explanations: "元", "%", "个" ("" when neither had one).
    pub unit: String,
    pub flags: Vec<Flag>,
}

/// Why a target and an actual cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum UnitError {
    #[error("目标值的单位“{target}”与实际值的单位“{actual}”无法换算，不能比较")]
    Incompatible { target: String, actual: String },
    /// `side` is "目标值" or "实际值".
    #[error("{side}“{text}”不是单个数值，无法按数值比较")]
    NotNumeric { side: String, text: String },
    #[error("数值“{value}”换算单位后超出可表示的范围")]
    Overflow { value: String },
}

/// Brings target and actual to one unit.
///
/// - Money converts to 元 (2 万元 → 20000 元); counts with 万/亿 convert to their base (万人次 → 人次).
/// - A bare number takes the other side's unit ("95" against "≥95%" is 95%).
/// - A % target against a bare actual in (0, 1] (0.95) is kept as given and flagged
///   [`Flag::AmbiguousFraction`].
/// - Different dimensions, different count or duration units, or different periods ("/年" vs
///   "/人") are an error, never a silent zero.
pub fn compare_quantities(target: &Quantity, actual: &Quantity) -> Result<Comparable, UnitError> {
    let mut flags = Vec::new();
    let (target_unit, actual_unit) = match (&target.unit, &actual.unit) {
        (None, None) => {
            let (target, actual) = (target.value.normalize(), actual.value.normalize());
            return Ok(Comparable { target, actual, unit: String::new(), flags });
        }
        (Some(t), None) => {
            let fraction = actual.value > Decimal::ZERO && actual.value <= Decimal::ONE;
            if t.dimension == Dimension::Percent && fraction {
                flags.push(Flag::AmbiguousFraction);
            }
            (t, t)
        }
        (None, Some(a)) => (a, a),
        (Some(t), Some(a)) => (t, a),
    };
    if !compatible(target_unit, actual_unit) {
        return Err(UnitError::Incompatible { target: target_unit.to_string(), actual: actual_unit.to_string() });
    }
    Ok(Comparable {
        target: to_base(target.value, target_unit)?,
        actual: to_base(actual.value, actual_unit)?,
        unit: target_unit.base_symbol().to_owned(),
        flags,
    })
}

/// [`compare_quantities`] for two parsed values; only single numbers compare.
pub fn compare_targets(target: &Target, actual: &Target) -> Result<Comparable, UnitError> {
    let not_numeric = |side: &str, t: &Target| UnitError::NotNumeric { side: side.to_owned(), text: t.raw.clone() };
    let t = target.quantity().ok_or_else(|| not_numeric("目标值", target))?;
    let a = actual.quantity().ok_or_else(|| not_numeric("实际值", actual))?;
    compare_quantities(t, a)
}

/// Same dimension and base unit; a period on one side only is fine (actuals often omit "/年").
fn compatible(t: &Unit, a: &Unit) -> bool {
    let periods_agree = t.period.is_none() || a.period.is_none() || t.period == a.period;
    t.dimension == a.dimension && t.base_symbol() == a.base_symbol() && periods_agree
}

/// The value in the base unit, without trailing zeros (3.8 万元 → 38000, not 38000.0).
fn to_base(value: Decimal, unit: &Unit) -> Result<Decimal, UnitError> {
    let base = value.checked_mul(unit.scale).ok_or_else(|| UnitError::Overflow { value: format!("{value}{unit}") })?;
    Ok(base.normalize())
}
