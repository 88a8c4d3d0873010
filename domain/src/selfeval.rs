//! 绩效自评 as departments fill it in: targets and actuals as text, weights, grades. This module
//! reads each row with the value grammar, brings target and actual to one unit, and hands plain
//! numbers to the scoring engine. It is the input format of `jixiao score FILE.json` and of the
//! browser's live score preview.

use crate::scoring::{
    self, Direction, Evaluation, EvaluationResult, Funds, IndicatorInput, Measure, Profile, QualitativeGrade, Review,
};
use crate::value::{self, Comparator, Target, TargetContext, ValueKind};
use crate::vocab::{IndicatorNature, ScoringProfile};
use crate::workflow::SubmitCheck;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A self-evaluation as entered (see docs/cli.md for the JSON shape).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelfEvaluation {
    /// 项目名称 (informational).
    #[serde(default)]
    pub project: Option<String>,
    pub funds: FundsInput,
    /// A profile name ("national", "2021", "national_strict", "2021_strict") or a full profile.
    #[serde(default)]
    pub profile: ProfileSpec,
    pub indicators: Vec<IndicatorEntry>,
}

/// 全年预算数 and 全年执行数 (万元), with the 执行率 explanation if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundsInput {
    pub budget: Decimal,
    pub executed: Decimal,
    #[serde(default)]
    pub explanation: Option<String>,
}

/// The scoring profile of a self-evaluation: a named one (its key, e.g. `"national"`) or a
/// full profile given inline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ProfileSpec {
    Name(ScoringProfile),
    Inline(Box<Profile>),
}

impl Default for ProfileSpec {
    fn default() -> Self {
        ProfileSpec::Name(ScoringProfile::National)
    }
}

impl<'de> Deserialize<'de> for ProfileSpec {
    /// An unknown name is refused with the list of names (an untagged enum would only say that
    /// nothing matched).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Name(String),
            Inline(Box<Profile>),
        }
        match Raw::deserialize(d)? {
            Raw::Inline(p) => Ok(ProfileSpec::Inline(p)),
            Raw::Name(name) => ScoringProfile::from_key(name.trim()).map(ProfileSpec::Name).ok_or_else(|| {
                let names: Vec<&str> = ScoringProfile::ALL.iter().map(|p| p.key()).collect();
                serde::de::Error::custom(format!(
                    "未知的评分方案“{name}”（可用：{}，或直接给出完整方案）",
                    names.join("、")
                ))
            }),
        }
    }
}

impl ProfileSpec {
    /// The profile.
    pub fn resolve(&self) -> Profile {
        match self {
            ProfileSpec::Inline(p) => (**p).clone(),
            ProfileSpec::Name(named) => Profile::of(*named),
        }
    }

    /// The profile's name: the named profile's key or the inline profile's own name.
    pub fn name(&self) -> String {
        match self {
            ProfileSpec::Inline(p) => p.name.clone(),
            ProfileSpec::Name(named) => named.key().to_owned(),
        }
    }
}

/// One indicator row of the 自评表.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 年度指标值 (A) as written: "≤40000 元/年", "100%", "有效保障".
    pub target: String,
    /// 分值.
    pub weight: Decimal,
    /// 实际完成值 (B) as written: "3.8万元", "98.5%", "完成"; absent = not yet entered.
    #[serde(default)]
    pub actual: Option<String>,
    /// A separate 指标性质 / 指标方向 column: "≥", "≤", "=", "正向", "反向" (or a key).
    #[serde(default, deserialize_with = "crate::vocab::lenient::nature")]
    pub comparator: Option<IndicatorNature>,
    /// A separate 计量单位 column.
    #[serde(default)]
    pub unit: Option<String>,
    /// For qualitative indicators: 达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差
    /// (or achieved / partial / poor).
    #[serde(default, deserialize_with = "crate::vocab::lenient::grade")]
    pub grade: Option<QualitativeGrade>,
    /// For qualitative indicators: the points the scorer gives inside the grade's band.
    #[serde(default)]
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施.
    #[serde(default)]
    pub explanation: Option<String>,
    /// 财政复核: the reviewer's score replacing the computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// What an entry became on its way to the engine: its targets as read, and warnings about them.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub evaluation: Evaluation,
    pub targets: Vec<Target>,
    pub warnings: Vec<String>,
}

/// Reads every row; never fails: an unreadable row becomes an unscorable indicator with a reason.
pub fn prepare(input: &SelfEvaluation) -> Prepared {
    let mut warnings = Vec::new();
    let mut targets = Vec::with_capacity(input.indicators.len());
    let mut indicators = Vec::with_capacity(input.indicators.len());
    for (i, entry) in input.indicators.iter().enumerate() {
        let place = format!("第 {} 项指标“{}”", i + 1, entry.name);
        let ctx = TargetContext {
            category: Some(entry.level2.clone()),
            indicator_name: Some(entry.name.clone()),
            comparator_column: entry.comparator.map(|c| c.label().to_owned()),
            unit_column: entry.unit.clone(),
        };
        let target = value::parse_target(&entry.target, &ctx);
        for flag in &target.flags {
            warnings.push(format!("{place}的指标值“{}”：{}", entry.target, flag.message()));
        }
        let measure = measure_for(entry, &target, &ctx, &place, &mut warnings);
        indicators.push(IndicatorInput {
            level1: entry.level1.clone(),
            level2: entry.level2.clone(),
            name: entry.name.clone(),
            weight: entry.weight,
            measure,
            explanation: entry.explanation.clone(),
            review: entry.review.clone(),
        });
        targets.push(target);
    }
    let evaluation = Evaluation {
        funds: Funds {
            budget: input.funds.budget,
            executed: input.funds.executed,
            explanation: input.funds.explanation.clone(),
        },
        indicators,
    };
    Prepared { evaluation, targets, warnings }
}

/// Scores a self-evaluation: input warnings come first in the result's `warnings`.
pub fn evaluate(input: &SelfEvaluation) -> EvaluationResult {
    evaluate_prepared(input).1
}

/// [`evaluate`], also returning what each entry became on its way (its target and measure), read
/// once.
pub fn evaluate_prepared(input: &SelfEvaluation) -> (Prepared, EvaluationResult) {
    let profile = input.profile.resolve();
    let prepared = prepare(input);
    let mut result = scoring::score(&prepared.evaluation, &profile);
    let mut warnings = prepared.warnings.clone();
    warnings.append(&mut result.warnings);
    result.warnings = warnings;
    (prepared, result)
}

/// What submitting 绩效自评 requires (§4, §5): a 全年预算数, weights that fit the profile, and
/// every mandatory 偏差原因分析及改进措施 filled in (missing actuals count as mandatory
/// explanations, so they are listed too).
pub fn submit_check(input: &SelfEvaluation) -> SubmitCheck {
    let profile = input.profile.resolve();
    let result = evaluate(input);
    let pairs: Vec<(String, Decimal)> = input.indicators.iter().map(|e| (e.level1.clone(), e.weight)).collect();
    let weight_problems = scoring::weight_problems(&pairs, &profile);
    let mut other_problems = Vec::new();
    if input.funds.budget <= Decimal::ZERO {
        other_problems.push("未填写全年预算数，无法计算预算执行率".to_owned());
    }
    SubmitCheck {
        weights_ok: weight_problems.is_empty(),
        weight_problems,
        missing_explanations: result
            .required_explanations
            .iter()
            .filter(|r| !r.provided)
            .map(|r| r.target.clone())
            .collect(),
        other_problems,
    }
}

fn direction(c: Comparator) -> Direction {
    match c {
        Comparator::Ge | Comparator::Gt => Direction::Positive,
        Comparator::Eq => Direction::Equal,
        Comparator::Le | Comparator::Lt => Direction::Reverse,
    }
}

fn measure_for(
    entry: &IndicatorEntry,
    target: &Target,
    ctx: &TargetContext,
    place: &str,
    warnings: &mut Vec<String>,
) -> Measure {
    let parsed_grade = entry.grade;
    let actual_text = entry.actual.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let actual = actual_text.map(|a| value::parse_actual_with(a, ctx));
    if let Some(ValueKind::NotApplicable) = actual.as_ref().map(|a| &a.kind) {
        return Measure::NotApplicable;
    }
    match &target.kind {
        ValueKind::NotApplicable => Measure::NotApplicable,
        ValueKind::Placeholder => {
            Measure::Unscorable { reason: format!("指标值“{}”是未填写的模板占位符", entry.target) }
        }
        ValueKind::Invalid { message } => Measure::Unscorable { reason: message.clone() },
        ValueKind::Qualitative { .. } => Measure::Qualitative {
            grade: parsed_grade.or_else(|| actual_text.and_then(QualitativeGrade::parse)),
            score: entry.score,
        },
        _ if parsed_grade.is_some() => Measure::Qualitative { grade: parsed_grade, score: entry.score },
        ValueKind::Quantity { comparator, .. } => {
            let Some(actual) = actual else {
                return Measure::Quantitative {
                    direction: direction(*comparator),
                    target: Decimal::ZERO,
                    actual: None,
                    unit: String::new(),
                };
            };
            match value::compare_targets(target, &actual) {
                Ok(c) => {
                    for flag in &c.flags {
                        warnings.push(format!("{place}的实际值“{}”：{}", actual.raw, flag.message()));
                    }
                    Measure::Quantitative {
                        direction: direction(*comparator),
                        target: c.target,
                        actual: Some(c.actual),
                        unit: c.unit,
                    }
                }
                Err(e) => Measure::Unscorable { reason: e.to_string() },
            }
        }
        ValueKind::Range { low, high } => {
            let Some(actual) = actual else {
                return Measure::Quantitative {
                    direction: Direction::Positive,
                    target: Decimal::ZERO,
                    actual: None,
                    unit: String::new(),
                };
            };
            let Some(a) = actual.quantity() else {
                return Measure::Unscorable {
                    reason: format!("实际值“{}”不是单个数值，无法与区间指标比较", actual.raw),
                };
            };
            // Inside the range is met; below it scores as 正向 against the low end, above it as
            // 反向 against the high end.
            let (bound, dir) = match value::compare_quantities(high, a) {
                Ok(c) if c.actual > c.target => (high, Direction::Reverse),
                Ok(_) => (low, Direction::Positive),
                Err(e) => return Measure::Unscorable { reason: e.to_string() },
            };
            match value::compare_quantities(bound, a) {
                Ok(c) => {
                    Measure::Quantitative { direction: dir, target: c.target, actual: Some(c.actual), unit: c.unit }
                }
                Err(e) => Measure::Unscorable { reason: e.to_string() },
            }
        }
        ValueKind::Date { comparator, date } => {
            let Some(actual) = actual else {
                return Measure::Quantitative {
                    direction: Direction::Reverse,
                    target: Decimal::ZERO,
                    actual: None,
                    unit: "天".into(),
                };
            };
            match actual.kind {
                // Scored as days late (or early, for 不早于): 0 days is met, any delay scores 0.
                ValueKind::Date { date: done, .. } => {
                    let days = (done - *date).num_days();
                    let late = if matches!(comparator, Comparator::Ge | Comparator::Gt) { -days } else { days };
                    Measure::Quantitative {
                        direction: Direction::Reverse,
                        target: Decimal::ZERO,
                        actual: Some(Decimal::from(late.max(0))),
                        unit: "天（逾期）".into(),
                    }
                }
                _ => Measure::Unscorable {
                    reason: format!("实际值“{}”不是日期，无法与时限“{}”比较", actual.raw, entry.target),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn entry(l1: &str, l2: &str, name: &str, target: &str, weight: Decimal, actual: Option<&str>) -> IndicatorEntry {
        IndicatorEntry {
            level1: l1.into(),
            level2: l2.into(),
            name: name.into(),
            target: target.into(),
            weight,
            actual: actual.map(Into::into),
            ..Default::default()
        }
    }

    fn one(e: IndicatorEntry) -> EvaluationResult {
        let input = SelfEvaluation {
            project: None,
            funds: FundsInput { budget: dec!(10), executed: dec!(10), explanation: None },
            profile: ProfileSpec::default(),
            indicators: vec![e],
        };
        evaluate(&input)
    }

    #[test]
    fn money_actual_in_wan_against_yuan_target() {
        let r = one(entry("产出指标", "成本指标", "维护、测评网站成本", "≤40000 元/年", dec!(4), Some("3.8万元")));
        let s = &r.indicators[0];
        assert_eq!(s.score, dec!(4));
        assert_eq!(s.rule, "reverse_met");
        assert!(s.explanation.contains("38000"), "{}", s.explanation);
        assert!(s.explanation.contains("40000"), "{}", s.explanation);
    }

    #[test]
    fn assumed_reverse_for_cost_without_comparator() {
        let r = one(entry("产出指标", "成本指标", "租赁光纤、电话成本", "2 万元/年", dec!(4), Some("2.2万元")));
        let s = &r.indicators[0];
        assert_eq!(s.rule, "reverse_linear");
        // (1 − 2000 ÷ 20000) × 4 = 3.60
        assert_eq!(s.score, dec!(3.60));
        assert!(r.warnings.iter().any(|w| w.contains("推定")), "{:?}", r.warnings);
    }

    #[test]
    fn qualitative_uses_grade_and_score() {
        let mut e = entry("效益指标", "社会效益指标", "保障政府网站有效运行", "有效保障", dec!(15), Some("有效保障"));
        e.grade = Some(QualitativeGrade::Achieved);
        e.score = Some(dec!(14));
        let r = one(e);
        assert_eq!(r.indicators[0].rule, "qualitative");
    }

    #[test]
    fn incompatible_units_are_unscorable_with_reason() {
        let r = one(entry("产出指标", "数量指标", "维护网站数量", "1个", dec!(5), Some("3万元")));
        let s = &r.indicators[0];
        assert_eq!(s.score, dec!(0));
        assert_eq!(s.rule, "unscorable");
        assert!(s.explanation.contains("无法换算"), "{}", s.explanation);
        assert!(s.needs_explanation);
    }

    #[test]
    fn placeholder_target_never_becomes_a_number() {
        let r = one(entry("产出指标", "数量指标", "农村低保发放人数", "**人", dec!(5), Some("100人")));
        assert_eq!(r.indicators[0].rule, "unscorable");
        assert_eq!(r.indicators[0].score, dec!(0));
    }

    #[test]
    fn ambiguous_fraction_is_warned() {
        let r = one(entry("满意度指标", "满意度指标", "受益群众满意度", "≥95%", dec!(10), Some("0.95")));
        assert!(r.warnings.iter().any(|w| w.contains("0.95")), "{:?}", r.warnings);
    }

    #[test]
    fn not_applicable_actual_drops_the_indicator() {
        let r = one(entry("产出指标", "数量指标", "维护网络平台数量", "1个", dec!(5), Some("/")));
        assert_eq!(r.indicators[0].rule, "not_applicable");
    }

    #[test]
    fn unknown_profile_is_an_error() {
        let unknown = serde_json::from_str::<SelfEvaluation>(
            r#"{"funds":{"budget":"10","executed":"9"},"profile":"nope","indicators":[]}"#,
        )
        .unwrap_err();
        assert!(unknown.to_string().contains("未知的评分方案“nope”"), "{unknown}");
        let input: SelfEvaluation =
            serde_json::from_str(r#"{"funds":{"budget":"10","executed":"9"},"profile":"2021","indicators":[]}"#)
                .unwrap();
        assert_eq!(input.profile, ProfileSpec::Name(ScoringProfile::Y2021));
        assert_eq!(evaluate(&input).profile, "2021");
    }

    #[test]
    fn grades_parse_from_labels_and_codes() {
        let grade = |g: &str| {
            serde_json::from_str::<IndicatorEntry>(&format!(
                r#"{{"level1":"a","level2":"b","name":"c","target":"有效","weight":"1","grade":"{g}"}}"#
            ))
            .map(|e| e.grade)
            .map_err(|e| e.to_string())
        };
        assert_eq!(grade("达成年度指标"), Ok(Some(QualitativeGrade::Achieved)));
        assert_eq!(grade(" partial "), Ok(Some(QualitativeGrade::Partial)));
        assert_eq!(grade("未达成年度指标且效果较差"), Ok(Some(QualitativeGrade::Poor)));
        assert_eq!(grade(""), Ok(None));
        assert!(grade("很好").unwrap_err().contains("无法识别的评价等级“很好”"));
    }
}

#[cfg(test)]
mod submit_tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../docs/examples/self-evaluation.json");

    #[test]
    fn the_documented_example_lacks_two_explanations_and_nothing_else() {
        let mut input: SelfEvaluation = serde_json::from_str(EXAMPLE).unwrap();
        let check = submit_check(&input);
        assert!(check.weights_ok, "{:?}", check.weight_problems);
        assert_eq!(check.missing_explanations, ["LED 屏幕正常运行率", "受益群众满意度"]);
        for e in input.indicators.iter_mut().filter(|e| check.missing_explanations.contains(&e.name)) {
            e.explanation = Some("已说明".into());
        }
        assert!(submit_check(&input).problems().is_empty());
    }

    #[test]
    fn missing_explanations_weights_and_budget_block_submission() {
        let mut input: SelfEvaluation = serde_json::from_str(EXAMPLE).unwrap();
        let explained = input.indicators.iter().position(|e| e.explanation.is_some()).unwrap();
        let name = input.indicators[explained].name.clone();
        input.indicators[explained].explanation = Some("  ".into());
        input.indicators[0].weight += Decimal::ONE;
        input.funds.budget = Decimal::ZERO;
        let problems = submit_check(&input).problems();
        assert_eq!(problems[0], "未填写全年预算数，无法计算预算执行率");
        assert!(
            problems.iter().any(|p| p.starts_with("分值设置有误：「产出指标」下各三级指标分值合计")),
            "{problems:?}"
        );
        assert!(problems.contains(&format!("“{name}”须填写偏差原因分析及改进措施")), "{problems:?}");
    }
}
