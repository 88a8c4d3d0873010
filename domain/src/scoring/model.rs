//! Input and output types of the scoring engine.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::vocab::{Direction, Grade, QualitativeGrade};

impl QualitativeGrade {
    /// The band `(low, high)` of scores for weight `w` (a negative weight counts as 0). `low`
    /// is inclusive; `high` is inclusive for [`QualitativeGrade::Achieved`] and exclusive for
    /// the others.
    pub fn band(self, w: Decimal) -> (Decimal, Decimal) {
        let w = w.max(Decimal::ZERO);
        let p80 = w.checked_mul(Decimal::new(8, 1)).unwrap_or(w);
        let p60 = w.checked_mul(Decimal::new(6, 1)).unwrap_or(w);
        match self {
            QualitativeGrade::Achieved => (p80, w),
            QualitativeGrade::Partial => (p60, p80),
            QualitativeGrade::Poor => (Decimal::ZERO, p60),
        }
    }

    /// Whether the band's upper end belongs to it.
    pub fn high_inclusive(self) -> bool {
        matches!(self, QualitativeGrade::Achieved)
    }
}

/// What is measured and what was achieved, already normalised to plain decimals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    Quantitative {
        direction: Direction,
        /// A: 年度指标值.
        target: Decimal,
        /// B: 实际完成值; `None` = not entered yet (scores 0 with a warning).
        #[serde(default)]
        actual: Option<Decimal>,
        /// Unit label for explanations: "元", "%", "个" …
        #[serde(default)]
        unit: String,
    },
    Qualitative {
        #[serde(default)]
        grade: Option<QualitativeGrade>,
        /// The scorer's points inside the grade's band, on the scale of the indicator's weight
        /// as given; `None` scores 0 with a warning.
        #[serde(default)]
        score: Option<Decimal>,
    },
    /// "/" in the table: drops out; the other weights rescale.
    NotApplicable,
    /// The target could not be read: scores 0 with a warning and needs an explanation.
    Unscorable { reason: String },
}

/// One 三级 indicator to score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 分值.
    pub weight: Decimal,
    pub measure: Measure,
    /// 偏差原因分析及改进措施, as entered.
    #[serde(default)]
    pub explanation: Option<String>,
    /// The finance bureau's re-score (财政复核), replacing the computed score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// A reviewer's score for one indicator and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub score: Decimal,
    pub reason: String,
    /// Who re-scored (for the explanation).
    #[serde(default)]
    pub reviewer: String,
}

/// 项目资金 for 预算执行率.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Funds {
    /// 全年预算数.
    pub budget: Decimal,
    /// 全年执行数.
    pub executed: Decimal,
    /// The explanation entered for a low execution rate, if any.
    #[serde(default)]
    pub explanation: Option<String>,
}

/// A year-end self-evaluation to score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub funds: Funds,
    pub indicators: Vec<IndicatorInput>,
}

/// One indicator's score and how it came about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Position in [`Evaluation::indicators`].
    pub index: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 分值 as given.
    pub weight: Decimal,
    /// 分值 after not-applicable rescaling (0 for a not-applicable indicator).
    pub effective_weight: Decimal,
    pub score: Decimal,
    /// Machine id of the rule applied, e.g. "positive_ratio", "reverse_linear".
    pub rule: String,
    /// The rule with its inputs, in Chinese.
    pub explanation: String,
    pub over_achieved: bool,
    pub needs_explanation: bool,
    /// The self-evaluated score when a [`Review`] replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_score: Option<Decimal>,
}

/// A 一级 group's maximum (sum of effective weights) and score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level1Subtotal {
    pub name: String,
    pub weight: Decimal,
    pub score: Decimal,
}

/// 预算执行率 and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionScore {
    /// Percent, 2 decimals; `None` when it cannot be computed (budget ≤ 0).
    pub rate: Option<Decimal>,
    pub weight: Decimal,
    pub score: Decimal,
    pub explanation: String,
}

/// An explanation (偏差原因分析及改进措施) the rules make mandatory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequiredExplanation {
    /// Indicator name, or "预算执行率".
    pub target: String,
    /// Indicator position; `None` for 预算执行率.
    pub index: Option<usize>,
    /// Why it is mandatory, in Chinese.
    pub reason: String,
    /// Whether a non-blank explanation was entered.
    pub provided: bool,
}

/// The scored self-evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationResult {
    pub profile: String,
    pub indicators: Vec<IndicatorScore>,
    pub level1: Vec<Level1Subtotal>,
    pub execution: ExecutionScore,
    /// Σ indicator scores (after any over-achievement deductions).
    pub indicator_total: Decimal,
    /// indicator_total + execution score.
    pub total_before_cap: Decimal,
    /// Explanation of the execution-rate cap that fired, if any.
    pub cap: Option<String>,
    pub total: Decimal,
    /// None only under a profile without grade bands.
    pub grade: Option<Grade>,
    pub required_explanations: Vec<RequiredExplanation>,
    pub warnings: Vec<String>,
}
