//! 绩效自评 scoring: turns normalised targets and actuals into indicator scores, 一级 subtotals,
//! the 预算执行率 score, a total, a grade, and the explanations the rules make mandatory.
//!
//! Works on plain decimals: parsing "≤40000 元/年" and unit conversion happen before (see
//! `domain::value`). Every number is a [`rust_decimal::Decimal`]; scores are rounded to 2
//! decimals half away from zero, never exceed the (effective) weight and are never negative.
//! All user-facing text is Chinese.
//!
//! Rules (domain-rules.md §4–5), A = target, B = actual, w = weight:
//! - 正向: B ≥ A → w; B < A → B ÷ A × w. A ≤ 0 → w (noted, with a warning).
//! - 等于: as 正向; A = 0: B ≤ 0 → w, else 0.
//! - 反向: B ≤ A → w; A < B < 2A → (1 − (B − A) ÷ A) × w; B ≥ 2A → 0; or, with
//!   [`ReverseFormula::Ratio`], A ÷ B × w. A = 0 and B > 0 → 0; A < 0 → 0 (warning).
//! - Negative B counts as 0.
//! - 不适用 indicators drop out; the others' weights become w × T ÷ R (T all weights, R the
//!   applicable ones), kept to 2 decimals with the rounding cents given to the largest
//!   remainders, so the indicator maximum stays T. 一级 subtotals carry the effective weights.
//! - 定性: the scorer's score (on the scale of the weight as given) is clamped into the
//!   grade's band, then converted to the effective weight.
//! - Over-achievement (profile): B ≥ threshold% × A on 正向/等于 → flagged, explanation
//!   required, optional deduction.
//! - 预算执行率 = 执行数 ÷ 预算数 × 100, 2 decimals; score = rate ÷ 100 × weight, capped;
//!   thresholds (explanation, caps) compare the rounded rate, as the table shows it.

mod engine;
mod explain;
mod model;
mod profile;

#[cfg(test)]
mod tests;

pub use engine::{score, weight_problems};
pub use model::{
    Direction, Evaluation, EvaluationResult, ExecutionScore, Funds, IndicatorInput, IndicatorScore, Level1Subtotal,
    Measure, QualitativeGrade, RequiredExplanation, Review,
};
pub use profile::{ExecutionCap, GradeBand, OverAchievement, Profile, ReverseFormula};
