//! Table-driven tests of every rule in domain-rules.md §4–5, the hand-worked demo project, and
//! property tests.

use super::*;
use crate::vocab::Grade;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use Direction::{Equal, Positive, Reverse};

fn quant(direction: Direction, target: Decimal, actual: Option<Decimal>, unit: &str) -> Measure {
    Measure::Quantitative { direction, target, actual, unit: unit.to_owned() }
}

fn ind(level1: &str, level2: &str, name: &str, weight: Decimal, measure: Measure) -> IndicatorInput {
    IndicatorInput {
        level1: level1.to_owned(),
        level2: level2.to_owned(),
        name: name.to_owned(),
        weight,
        measure,
        explanation: None,
        review: None,
    }
}

fn funds(budget: Decimal, executed: Decimal) -> Funds {
    Funds { budget, executed, explanation: None }
}

/// Scores one indicator alone (budget fully executed).
fn single(measure: Measure, weight: Decimal, profile: &Profile) -> (IndicatorScore, EvaluationResult) {
    let eval = Evaluation {
        funds: funds(dec!(10), dec!(10)),
        indicators: vec![ind("产出指标", "数量指标", "测试指标", weight, measure)],
    };
    let result = score(&eval, profile);
    (result.indicators[0].clone(), result)
}

fn with_deduction(deduction: Option<Decimal>) -> Profile {
    Profile {
        over_achievement: Some(OverAchievement { threshold_percent: dec!(130), deduction }),
        ..Profile::national()
    }
}

fn ratio_profile() -> Profile {
    Profile { reverse_formula: ReverseFormula::Ratio, ..Profile::national() }
}

// ---------------------------------------------------------------------------------------------
// Quantitative formulas
// ---------------------------------------------------------------------------------------------

#[test]
fn quantitative_formulas_table() {
    struct Case {
        what: &'static str,
        dir: Direction,
        a: Decimal,
        b: Decimal,
        w: Decimal,
        ratio_formula: bool,
        score: Decimal,
        rule: &'static str,
        needs_explanation: bool,
    }
    let c = |what, dir, a, b, w, score, rule, needs_explanation| Case {
        what,
        dir,
        a,
        b,
        w,
        ratio_formula: false,
        score,
        rule,
        needs_explanation,
    };
    let r = |what, a, b, w, score, rule, needs_explanation| Case {
        what,
        dir: Reverse,
        a,
        b,
        w,
        ratio_formula: true,
        score,
        rule,
        needs_explanation,
    };
    let cases = [
        // 正向
        c("正向 达标", Positive, dec!(100), dec!(100), dec!(5), dec!(5), "positive_met", false),
        c("正向 超过但未达 130%", Positive, dec!(100), dec!(120), dec!(5), dec!(5), "positive_met", false),
        c("正向 未达标", Positive, dec!(100), dec!(90), dec!(5), dec!(4.50), "positive_ratio", true),
        c("正向 除不尽", Positive, dec!(3), dec!(2), dec!(5), dec!(3.33), "positive_ratio", true),
        c("正向 四舍五入 0.125→0.13", Positive, dec!(8), dec!(1), dec!(1), dec!(0.13), "positive_ratio", true),
        c("正向 实际为 0", Positive, dec!(100), dec!(0), dec!(5), dec!(0), "positive_ratio", true),
        c("正向 实际为负按 0", Positive, dec!(100), dec!(-5), dec!(5), dec!(0), "positive_ratio", true),
        c("正向 目标为 0", Positive, dec!(0), dec!(0), dec!(5), dec!(5), "positive_nonpositive_target", false),
        c("正向 目标为负", Positive, dec!(-3), dec!(1), dec!(5), dec!(5), "positive_nonpositive_target", false),
        c("正向 小数", Positive, dec!(98), dec!(96), dec!(5.17), dec!(5.06), "positive_ratio", true),
        // 等于
        c("等于 达标", Equal, dec!(100), dec!(100), dec!(5), dec!(5), "equal_met", false),
        c("等于 按正向计", Equal, dec!(100), dec!(95), dec!(5), dec!(4.75), "equal_ratio", true),
        c("等于 A=0 B=0", Equal, dec!(0), dec!(0), dec!(2), dec!(2), "equal_zero_target", false),
        c("等于 A=0 B>0", Equal, dec!(0), dec!(3), dec!(2), dec!(0), "equal_zero_target", true),
        c("等于 A=0 B<0 按 0", Equal, dec!(0), dec!(-1), dec!(2), dec!(2), "equal_zero_target", false),
        c("等于 目标为负", Equal, dec!(-2), dec!(0), dec!(2), dec!(2), "equal_nonpositive_target", false),
        // 反向 (linear deviation)
        c("反向 达标", Reverse, dec!(40000), dec!(38000), dec!(4), dec!(4), "reverse_met", false),
        c("反向 恰好等于", Reverse, dec!(40000), dec!(40000), dec!(4), dec!(4), "reverse_met", false),
        c("反向 线性", Reverse, dec!(40000), dec!(45000), dec!(4), dec!(3.50), "reverse_linear", true),
        c("反向 线性 四舍五入", Reverse, dec!(30000), dec!(33000), dec!(4.14), dec!(3.73), "reverse_linear", true),
        c("反向 接近 2 倍", Reverse, dec!(40000), dec!(79999), dec!(4), dec!(0), "reverse_linear", true),
        c("反向 恰好 2 倍", Reverse, dec!(40000), dec!(80000), dec!(4), dec!(0), "reverse_over_double", true),
        c("反向 超过 2 倍", Reverse, dec!(40000), dec!(90000), dec!(4), dec!(0), "reverse_over_double", true),
        c("反向 实际为负按 0", Reverse, dec!(100), dec!(-5), dec!(4), dec!(4), "reverse_met", false),
        c("反向 A=0 B=0", Reverse, dec!(0), dec!(0), dec!(4), dec!(4), "reverse_met", false),
        c("反向 A=0 B>0", Reverse, dec!(0), dec!(1), dec!(4), dec!(0), "reverse_zero_target", true),
        c("反向 目标为负", Reverse, dec!(-1), dec!(0), dec!(4), dec!(0), "reverse_negative_target", true),
        // 反向 (A ÷ B)
        r("反向比值 达标", dec!(40000), dec!(38000), dec!(4), dec!(4), "reverse_met", false),
        r("反向比值", dec!(40000), dec!(50000), dec!(4), dec!(3.20), "reverse_ratio", true),
        r("反向比值 超 2 倍仍得分", dec!(40000), dec!(90000), dec!(4), dec!(1.78), "reverse_ratio", true),
        r("反向比值 A=0", dec!(0), dec!(5), dec!(4), dec!(0), "reverse_zero_target", true),
        // weight 0
        c("分值为 0", Positive, dec!(100), dec!(50), dec!(0), dec!(0), "positive_ratio", true),
    ];
    for case in cases {
        let profile = if case.ratio_formula { ratio_profile() } else { Profile::national() };
        let (s, result) = single(quant(case.dir, case.a, Some(case.b), "个"), case.w, &profile);
        assert_eq!(s.score, case.score, "{}: score", case.what);
        assert_eq!(s.rule, case.rule, "{}: rule", case.what);
        assert_eq!(s.needs_explanation, case.needs_explanation, "{}: needs_explanation", case.what);
        assert!(!s.over_achieved, "{}: not over-achieved", case.what);
        assert!(s.score.scale() <= 2, "{}: 2 decimals", case.what);
        assert_eq!(
            result.required_explanations.iter().any(|r| r.index == Some(0)),
            case.needs_explanation,
            "{}: required explanation",
            case.what
        );
    }
}

#[test]
fn explanations_show_the_formula_and_inputs() {
    let p = Profile::national();
    let (s, _) = single(quant(Reverse, dec!(40000), Some(dec!(38000)), "元"), dec!(4), &p);
    assert_eq!(s.explanation, "反向指标：实际 38000 元 ≤ 目标 40000 元，得满分 4.00");

    let (s, _) = single(quant(Positive, dec!(100), Some(dec!(90)), "个"), dec!(5), &p);
    assert_eq!(s.explanation, "正向指标：实际 90 个 < 目标 100 个，得分 = 90 ÷ 100 × 5.00 = 4.50");

    let (s, _) = single(quant(Reverse, dec!(40000), Some(dec!(45000)), "元"), dec!(4), &p);
    assert_eq!(
        s.explanation,
        "反向指标：实际 45000 元 > 目标 40000 元，得分 = (1 − (45000 − 40000) ÷ 40000) × 4.00 = 3.50"
    );

    let (s, _) = single(quant(Reverse, dec!(40000), Some(dec!(80000)), "元"), dec!(4), &p);
    assert_eq!(s.explanation, "反向指标：实际 80000 元 达到目标 40000 元 的 2 倍及以上，得 0 分");

    let (s, _) = single(quant(Reverse, dec!(40000), Some(dec!(50000)), "元"), dec!(4), &ratio_profile());
    assert_eq!(s.explanation, "反向指标（比值法）：实际 50000 元 > 目标 40000 元，得分 = 40000 ÷ 50000 × 4.00 = 3.20");

    let (s, _) = single(quant(Positive, dec!(98), Some(dec!(96)), "%"), dec!(5), &p);
    assert_eq!(s.explanation, "正向指标：实际 96% < 目标 98%，得分 = 96 ÷ 98 × 5.00 = 4.90");

    let (s, _) = single(quant(Equal, dec!(0), Some(dec!(3)), "件"), dec!(2), &p);
    assert_eq!(s.explanation, "等于指标：目标为 0，实际 3 件 大于 0，得 0 分");

    let (s, _) = single(quant(Positive, dec!(100), Some(dec!(-5)), "个"), dec!(5), &p);
    assert_eq!(
        s.explanation,
        "实际完成值 -5 个 为负数，按 0 计；正向指标：实际 0 个 < 目标 100 个，得分 = 0 ÷ 100 × 5.00 = 0.00"
    );
}

#[test]
fn nonpositive_target_warns() {
    let (s, result) = single(quant(Positive, dec!(0), Some(dec!(4)), "个"), dec!(5), &Profile::national());
    assert_eq!(s.score, dec!(5));
    assert!(s.explanation.contains("不大于 0"));
    assert!(result.warnings.iter().any(|w| w.contains("请核对目标值") && w.contains("已按达成计满分")));

    let (s, result) = single(quant(Reverse, dec!(-1), Some(dec!(4)), "个"), dec!(5), &Profile::national());
    assert_eq!(s.score, dec!(0));
    assert!(result.warnings.iter().any(|w| w.contains("请核对目标值") && w.contains("已按 0 分计")));
}

#[test]
fn missing_actual_and_unscorable_score_zero_with_warning_and_explanation() {
    let p = Profile::national();
    let (s, result) = single(quant(Positive, dec!(100), None, "个"), dec!(5), &p);
    assert_eq!((s.score, s.rule.as_str(), s.needs_explanation), (dec!(0), "missing_actual", true));
    assert!(result.warnings.contains(&"指标「测试指标」未填写实际完成值，按 0 分计".to_owned()));
    assert_eq!(result.required_explanations.len(), 1);
    assert_eq!(result.required_explanations[0].reason, "未填写实际完成值，须补填或说明原因");
    assert!(!result.required_explanations[0].provided);

    let (s, result) = single(Measure::Unscorable { reason: "指标值为“XX”".to_owned() }, dec!(5), &p);
    assert_eq!((s.score, s.rule.as_str(), s.needs_explanation), (dec!(0), "unscorable", true));
    assert!(result.warnings.contains(&"指标「测试指标」无法计分：指标值为“XX”，按 0 分计".to_owned()));
    assert!(result.required_explanations[0].reason.contains("指标值无法识别"));
}

#[test]
fn explanation_provided_only_when_not_blank() {
    let mk = |text: Option<&str>| {
        let mut i = ind("产出指标", "数量指标", "x", dec!(5), quant(Positive, dec!(10), Some(dec!(5)), "个"));
        i.explanation = text.map(str::to_owned);
        score(&Evaluation { funds: funds(dec!(1), dec!(1)), indicators: vec![i] }, &Profile::national())
    };
    assert!(!mk(None).required_explanations[0].provided);
    assert!(!mk(Some("  \n ")).required_explanations[0].provided);
    assert!(mk(Some("资金到位晚")).required_explanations[0].provided);
    assert_eq!(mk(None).required_explanations[0].reason, "得分 2.50 低于分值 5.00，须填写偏差原因分析及改进措施");
}

// ---------------------------------------------------------------------------------------------
// Qualitative
// ---------------------------------------------------------------------------------------------

#[test]
fn qualitative_grade_labels_and_bands() {
    use QualitativeGrade::*;
    assert_eq!(Achieved.label(), "达成年度指标");
    assert_eq!(Partial.label(), "部分达成年度指标并具有一定效果");
    assert_eq!(Poor.label(), "未达成年度指标且效果较差");
    assert_eq!(Achieved.band(dec!(10)), (dec!(8), dec!(10)));
    assert_eq!(Partial.band(dec!(10)), (dec!(6), dec!(8)));
    assert_eq!(Poor.band(dec!(10)), (dec!(0), dec!(6)));
    assert_eq!(Poor.band(dec!(-1)), (dec!(0), dec!(0)));
}

#[test]
fn qualitative_table() {
    use QualitativeGrade::*;
    // (grade, given score, weight, expected score, clamped?)
    let cases = [
        (Achieved, dec!(9), dec!(10), dec!(9), false),
        (Achieved, dec!(10), dec!(10), dec!(10), false),
        (Achieved, dec!(8), dec!(10), dec!(8), false),
        (Achieved, dec!(7), dec!(10), dec!(8), true),
        (Achieved, dec!(11), dec!(10), dec!(10), true),
        (Partial, dec!(6), dec!(10), dec!(6), false),
        (Partial, dec!(7.99), dec!(10), dec!(7.99), false),
        (Partial, dec!(8), dec!(10), dec!(7.99), true),
        (Partial, dec!(5), dec!(10), dec!(6), true),
        (Poor, dec!(0), dec!(10), dec!(0), false),
        (Poor, dec!(5.99), dec!(10), dec!(5.99), false),
        (Poor, dec!(6), dec!(10), dec!(5.99), true),
        (Poor, dec!(-1), dec!(10), dec!(0), true),
        (Achieved, dec!(2.67), dec!(3.33), dec!(2.67), false), // band [2.664, 3.33]
        (Achieved, dec!(2.66), dec!(3.33), dec!(2.67), true),
        (Achieved, dec!(12.004), dec!(15), dec!(12), false), // rounded to 2 decimals first
    ];
    for (grade, given, w, expected, clamped) in cases {
        let (s, result) =
            single(Measure::Qualitative { grade: Some(grade), score: Some(given) }, w, &Profile::national());
        let what = format!("{grade:?} {given} / {w}");
        assert_eq!(s.score, expected, "{what}");
        assert_eq!(s.rule, "qualitative", "{what}");
        let warned = result.warnings.iter().any(|w| w.contains("不在等级"));
        assert_eq!(warned, clamped, "{what}: warning");
        assert_eq!(s.explanation.contains("已调整为"), clamped, "{what}: explanation");
        assert_eq!(s.needs_explanation, expected < w, "{what}: needs explanation");
    }
    let (s, _) =
        single(Measure::Qualitative { grade: Some(Achieved), score: Some(dec!(14)) }, dec!(15), &Profile::national());
    assert_eq!(s.explanation, "定性指标：评价等级「达成年度指标」，分值区间 [12.00, 15.00]，评分人给分 14.00");
    let (s, _) =
        single(Measure::Qualitative { grade: Some(Partial), score: Some(dec!(9)) }, dec!(10), &Profile::national());
    assert_eq!(
        s.explanation,
        "定性指标：评价等级「部分达成年度指标并具有一定效果」，分值区间 [6.00, 8.00)，评分人给分 9.00，超出该等级分值区间，已调整为 7.99"
    );
}

#[test]
fn qualitative_missing_grade_or_score() {
    let p = Profile::national();
    let (s, result) = single(Measure::Qualitative { grade: None, score: Some(dec!(9)) }, dec!(10), &p);
    assert_eq!((s.score, s.rule.as_str()), (dec!(0), "qualitative_missing_grade"));
    assert!(result.warnings.iter().any(|w| w.contains("未选择评价等级")));
    assert!(s.needs_explanation);
    let (s, result) =
        single(Measure::Qualitative { grade: Some(QualitativeGrade::Achieved), score: None }, dec!(10), &p);
    assert_eq!((s.score, s.rule.as_str()), (dec!(0), "qualitative_missing_score"));
    assert!(result.warnings.iter().any(|w| w.contains("未给分")));
}

// ---------------------------------------------------------------------------------------------
// Not applicable
// ---------------------------------------------------------------------------------------------

/// A 正向 indicator that meets its target.
fn met() -> Measure {
    quant(Positive, dec!(1), Some(dec!(1)), "个")
}

#[test]
fn not_applicable_rescales_to_the_same_total() {
    let eval = Evaluation {
        funds: funds(dec!(10), dec!(10)),
        indicators: vec![
            ind("产出指标", "数量指标", "a", dec!(30), met()),
            ind("产出指标", "数量指标", "b", dec!(20), Measure::NotApplicable),
            ind("效益指标", "社会效益指标", "c", dec!(30), met()),
            ind("满意度指标", "服务对象满意度指标", "d", dec!(10), met()),
        ],
    };
    let r = score(&eval, &Profile::national());
    let eff: Vec<Decimal> = r.indicators.iter().map(|s| s.effective_weight).collect();
    // 90 ÷ 70: 30 → 38.571… , 10 → 12.857… ; floors 38.57 + 38.57 + 12.85 = 89.99, one cent to
    // the largest remainder (12.857… has .0071, 38.571… has .0014).
    assert_eq!(eff, [dec!(38.57), dec!(0), dec!(38.57), dec!(12.86)]);
    assert_eq!(r.indicator_total, dec!(90));
    assert_eq!(r.total, dec!(100));
    assert_eq!(r.indicators[1].rule, "not_applicable");
    assert_eq!(r.indicators[1].score, dec!(0));
    assert!(!r.indicators[1].needs_explanation);
    assert_eq!(r.indicators[1].explanation, "不适用，不参与评分；原分值 20.00 按比例分配给其余指标");
    assert_eq!(
        r.indicators[0].explanation,
        "正向指标：实际 1 个 ≥ 目标 1 个，得满分 38.57（分值 30.00 因有不适用指标按比例折算为 38.57）"
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.starts_with("1 个指标不适用（分值合计 20.00），其余指标分值按 90.00 ÷ 70.00 的比例折算")));
    // 一级 subtotals carry the effective weights; the declared weights still match the profile.
    let l1: Vec<(&str, Decimal, Decimal)> = r.level1.iter().map(|l| (l.name.as_str(), l.weight, l.score)).collect();
    assert_eq!(
        l1,
        [
            ("产出指标", dec!(38.57), dec!(38.57)),
            ("效益指标", dec!(38.57), dec!(38.57)),
            ("满意度指标", dec!(12.86), dec!(12.86))
        ]
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

#[test]
fn rescaling_ties_go_to_the_earlier_indicator() {
    let mut inds: Vec<IndicatorInput> =
        (0..3).map(|i| ind("产出指标", "数量指标", &format!("i{i}"), dec!(1), met())).collect();
    inds.push(ind("产出指标", "数量指标", "na", dec!(1), Measure::NotApplicable));
    let r = score(&Evaluation { funds: funds(dec!(1), dec!(1)), indicators: inds }, &Profile::national());
    let eff: Vec<Decimal> = r.indicators.iter().map(|s| s.effective_weight).collect();
    assert_eq!(eff, [dec!(1.34), dec!(1.33), dec!(1.33), dec!(0)]);
    assert_eq!(r.indicator_total, dec!(4));
}

#[test]
fn not_applicable_edge_cases() {
    // All not applicable: nothing to rescale onto.
    let r = score(
        &Evaluation {
            funds: funds(dec!(1), dec!(1)),
            indicators: vec![ind("产出指标", "数量指标", "a", dec!(5), Measure::NotApplicable)],
        },
        &Profile::national(),
    );
    assert_eq!(r.indicator_total, dec!(0));
    assert!(r.warnings.iter().any(|w| w.contains("无法分配")));
    // A not-applicable indicator of weight 0 changes nothing.
    let r = score(
        &Evaluation {
            funds: funds(dec!(1), dec!(1)),
            indicators: vec![
                ind("产出指标", "数量指标", "a", dec!(5), met()),
                ind("产出指标", "数量指标", "b", dec!(0), Measure::NotApplicable),
            ],
        },
        &Profile::national(),
    );
    assert_eq!(r.indicators[0].effective_weight, dec!(5));
    assert!(!r.warnings.iter().any(|w| w.contains("不适用")));
}

#[test]
fn qualitative_score_converts_to_the_rescaled_weight() {
    let r = score(
        &Evaluation {
            funds: funds(dec!(1), dec!(1)),
            indicators: vec![
                ind(
                    "效益指标",
                    "社会效益指标",
                    "q",
                    dec!(10),
                    Measure::Qualitative { grade: Some(QualitativeGrade::Achieved), score: Some(dec!(9)) },
                ),
                ind("效益指标", "社会效益指标", "na", dec!(10), Measure::NotApplicable),
            ],
        },
        &Profile::national(),
    );
    let q = &r.indicators[0];
    assert_eq!(q.effective_weight, dec!(20));
    assert_eq!(q.score, dec!(18));
    assert!(q.explanation.contains("按折算后分值换算：9.00 ÷ 10.00 × 20.00 = 18.00"));
}

// ---------------------------------------------------------------------------------------------
// Over-achievement
// ---------------------------------------------------------------------------------------------

#[test]
fn over_achievement_table() {
    // (profile deduction, dir, A, B, w, score, over_achieved)
    let cases = [
        (None, Positive, dec!(100), dec!(130), dec!(5), dec!(5), true),
        (None, Positive, dec!(100), dec!(129.99), dec!(5), dec!(5), false),
        (None, Positive, dec!(2), dec!(3), dec!(3), dec!(3), true),
        (None, Equal, dec!(100), dec!(140), dec!(5), dec!(5), true),
        (None, Reverse, dec!(100), dec!(10), dec!(5), dec!(5), false),
        (None, Positive, dec!(0), dec!(10), dec!(5), dec!(5), false),
        (Some(dec!(2)), Positive, dec!(100), dec!(150), dec!(5), dec!(3), true),
        (Some(dec!(2)), Positive, dec!(100), dec!(150), dec!(1), dec!(0), true),
        (Some(dec!(2)), Positive, dec!(100), dec!(120), dec!(5), dec!(5), false),
    ];
    for (deduction, dir, a, b, w, expected, over) in cases {
        let what = format!("{deduction:?} {dir:?} {a} {b}");
        let (s, result) = single(quant(dir, a, Some(b), "个"), w, &with_deduction(deduction));
        assert_eq!(s.score, expected, "{what}");
        assert_eq!(s.over_achieved, over, "{what}");
        assert_eq!(s.needs_explanation, over, "{what}");
        let req = result.required_explanations.iter().find(|r| r.index == Some(0));
        assert_eq!(req.is_some(), over, "{what}");
        if let Some(req) = req {
            assert!(req.reason.contains("偏离"), "{what}");
            assert!(!req.reason.contains("低于分值"), "{what}: a deduction is not a shortfall");
        }
    }
    let (s, _) = single(quant(Positive, dec!(100), Some(dec!(150)), "个"), dec!(5), &with_deduction(Some(dec!(2))));
    assert_eq!(
        s.explanation,
        "正向指标：实际 150 个 ≥ 目标 100 个，得满分 5.00；实际完成值为目标的 150.00%，达到 130% 的超额完成阈值，属偏离，需说明原因；按规定扣 2.00 分，得分 5.00 − 2.00 = 3.00"
    );
    // Switched off entirely.
    let off = Profile { over_achievement: None, ..Profile::national() };
    let (s, _) = single(quant(Positive, dec!(100), Some(dec!(500)), "个"), dec!(5), &off);
    assert!(!s.over_achieved && !s.needs_explanation);
}

// ---------------------------------------------------------------------------------------------
// 预算执行率, caps, grades
// ---------------------------------------------------------------------------------------------

fn execution(budget: Decimal, executed: Decimal) -> EvaluationResult {
    score(&Evaluation { funds: funds(budget, executed), indicators: vec![] }, &Profile::national())
}

#[test]
fn execution_rate_table() {
    // (budget, executed, rate, score)
    let cases = [
        (dec!(10), dec!(9.5), Some(dec!(95)), dec!(9.5)),
        (dec!(10), dec!(10), Some(dec!(100)), dec!(10)),
        (dec!(10), dec!(12), Some(dec!(120)), dec!(10)),
        (dec!(3), dec!(2), Some(dec!(66.67)), dec!(6.67)),
        (dec!(10), dec!(0), Some(dec!(0)), dec!(0)),
        (dec!(10), dec!(-1), Some(dec!(-10)), dec!(0)),
        (dec!(0), dec!(5), None, dec!(0)),
        (dec!(-1), dec!(5), None, dec!(0)),
    ];
    for (budget, executed, rate, expected) in cases {
        let e = execution(budget, executed).execution;
        assert_eq!(e.rate, rate, "{budget} {executed}");
        assert_eq!(e.score, expected, "{budget} {executed}");
        assert_eq!(e.weight, dec!(10));
    }
    let r = execution(dec!(10), dec!(9.5));
    assert_eq!(
        r.execution.explanation,
        "预算执行率 = 全年执行数 9.5 ÷ 全年预算数 10 × 100% = 95.00%；得分 = 95.00% × 10.00 = 9.50"
    );
    let r = execution(dec!(10), dec!(12));
    assert!(r.execution.explanation.ends_with("执行率超过 100%，按满分 10.00 计"));
    let r = execution(dec!(0), dec!(5));
    assert!(r.warnings.contains(&"全年预算数为 0，无法计算预算执行率".to_owned()));
    assert_eq!(r.execution.explanation, "全年预算数为 0，无法计算预算执行率，得 0 分");
    let r = execution(dec!(-1), dec!(5));
    assert!(r.warnings.iter().any(|w| w.contains("无法计算预算执行率")));
}

#[test]
fn low_execution_rate_requires_explanation() {
    let r = execution(dec!(10000), dec!(8999));
    assert_eq!(r.execution.rate, Some(dec!(89.99)));
    let req: Vec<_> = r.required_explanations.iter().filter(|r| r.target == "预算执行率").collect();
    assert_eq!(req.len(), 1);
    assert_eq!(req[0].index, None);
    assert_eq!(req[0].reason, "预算执行率 89.99% 低于 90%，须说明原因及改进措施");
    assert!(!req[0].provided);
    let r = execution(dec!(10), dec!(9));
    assert!(r.required_explanations.is_empty());
    let mut f = funds(dec!(10), dec!(5));
    f.explanation = Some("项目延期".to_owned());
    let r = score(&Evaluation { funds: f, indicators: vec![] }, &Profile::national());
    assert!(r.required_explanations[0].provided);
}

/// All indicators met (90 points) and the given execution rate, under strict caps.
fn capped(executed: Decimal) -> EvaluationResult {
    let eval = Evaluation {
        funds: funds(dec!(100), executed),
        indicators: vec![
            ind("产出指标", "数量指标", "a", dec!(50), met()),
            ind("效益指标", "社会效益指标", "b", dec!(30), met()),
            ind("满意度指标", "服务对象满意度指标", "c", dec!(10), met()),
        ],
    };
    score(&eval, &Profile::by_name("national_strict").expect("profile"))
}

#[test]
fn execution_caps_table() {
    // (executed of 100, total before cap, total, cap fired)
    let cases = [
        (dec!(100), dec!(100), dec!(100), false),
        (dec!(85), dec!(98.5), dec!(98.5), false),
        (dec!(80), dec!(98), dec!(98), false),
        (dec!(79.99), dec!(98), dec!(89), true),
        (dec!(70), dec!(97), dec!(89), true),
        (dec!(69.99), dec!(97), dec!(79), true),
        (dec!(60), dec!(96), dec!(79), true),
        (dec!(59.99), dec!(96), dec!(69), true),
        (dec!(50), dec!(95), dec!(69), true),
        (dec!(49.99), dec!(95), dec!(59), true),
        (dec!(0), dec!(90), dec!(59), true),
    ];
    for (executed, before, total, fired) in cases {
        let r = capped(executed);
        assert_eq!(r.total_before_cap, before, "{executed}");
        assert_eq!(r.total, total, "{executed}");
        assert_eq!(r.cap.is_some(), fired, "{executed}");
    }
    assert_eq!(
        capped(dec!(65)).cap.as_deref(),
        Some("预算执行率 65.00% 低于 70%，总分不得超过 79，总分由 96.50 调整为 79.00")
    );
    assert_eq!(capped(dec!(65)).grade, Some(Grade::Fair));
    // A cap that would not lower the total does not fire.
    let mut eval = Evaluation {
        funds: funds(dec!(100), dec!(75)),
        indicators: vec![ind("产出指标", "数量指标", "a", dec!(90), quant(Positive, dec!(100), Some(dec!(50)), "个"))],
    };
    let r = score(&eval, &Profile::national().with_strict_caps());
    assert_eq!((r.total_before_cap, r.total, r.cap), (dec!(52.5), dec!(52.5), None));
    // No caps in the national profile.
    eval.indicators[0].measure = met();
    assert_eq!(score(&eval, &Profile::national()).total, dec!(97.5));
}

#[test]
fn grade_boundaries() {
    let p = Profile::national();
    let cases = [
        (dec!(100), Some(Grade::Excellent)),
        (dec!(90), Some(Grade::Excellent)),
        (dec!(89.99), Some(Grade::Good)),
        (dec!(80), Some(Grade::Good)),
        (dec!(79.99), Some(Grade::Fair)),
        (dec!(60), Some(Grade::Fair)),
        (dec!(59.99), Some(Grade::Poor)),
        (dec!(0), Some(Grade::Poor)),
    ];
    for (total, grade) in cases {
        assert_eq!(p.grade_for(total), grade, "{total}");
    }
    // End to end at exactly 90, 80 and 60: indicators score total − 10, execution 10.
    for (points, grade) in [
        (dec!(80), Some(Grade::Excellent)),
        (dec!(70), Some(Grade::Good)),
        (dec!(50), Some(Grade::Fair)),
        (dec!(49.99), Some(Grade::Poor)),
    ] {
        let eval = Evaluation {
            funds: funds(dec!(1), dec!(1)),
            indicators: vec![ind("产出指标", "数量指标", "a", dec!(90), quant(Positive, dec!(90), Some(points), "分"))],
        };
        let r = score(&eval, &p);
        assert_eq!(r.total, points + dec!(10));
        assert_eq!(r.grade, grade, "{points}");
    }
}

// ---------------------------------------------------------------------------------------------
// Weights and profiles
// ---------------------------------------------------------------------------------------------

#[test]
fn weight_mismatch_warnings() {
    let eval = Evaluation {
        funds: funds(dec!(1), dec!(1)),
        indicators: vec![
            ind("产出指标", "数量指标", "a", dec!(45), met()),
            ind("效益指标", "社会效益指标", "b", dec!(30), met()),
            ind("满意度指标", "服务对象满意度指标", "c", dec!(10), met()),
            ind("成本指标", "经济成本指标", "d", dec!(5), met()),
        ],
    };
    let r = score(&eval, &Profile::national());
    assert_eq!(
        r.warnings,
        [
            "「产出指标」下各三级指标分值合计 45.00，与评分方案「national」规定的 50.00 不一致",
            "一级指标「成本指标」不在评分方案「national」中（方案包含：产出指标、效益指标、满意度指标）",
        ]
    );
    // The same indicators fit the 2021 layout except for the 产出/成本 split.
    let r = score(&eval, &Profile::layout_2021());
    assert_eq!(
        r.warnings,
        [
            "「产出指标」下各三级指标分值合计 45.00，与评分方案「2021」规定的 40.00 不一致",
            "「成本指标」下各三级指标分值合计 5.00，与评分方案「2021」规定的 10.00 不一致",
        ]
    );
    let names: Vec<&str> = r.level1.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["产出指标", "成本指标", "效益指标", "满意度指标"]);

    // Overall sum off by itself.
    let eval = Evaluation {
        funds: funds(dec!(1), dec!(1)),
        indicators: vec![
            ind("产出指标", "数量指标", "a", dec!(50), met()),
            ind("效益指标", "社会效益指标", "b", dec!(30), met()),
            ind("满意度指标", "服务对象满意度指标", "c", dec!(12), met()),
        ],
    };
    let r = score(&eval, &Profile::national());
    assert_eq!(
        r.warnings,
        [
            "「满意度指标」下各三级指标分值合计 12.00，与评分方案「national」规定的 10.00 不一致",
            "全部指标分值合计 92.00 加预算执行率分值 10.00 为 102.00，不等于 100",
        ]
    );
}

#[test]
fn level1_names_match_loosely() {
    let eval = Evaluation {
        funds: funds(dec!(1), dec!(1)),
        indicators: vec![
            ind("产 出 指 标", "数量", "a", dec!(25), met()),
            ind("产出", "质量", "b", dec!(25), met()),
            ind("效益指标", "社会效益指标", "c", dec!(30), met()),
            ind(" 满意度 ", "服务对象满意度指标", "d", dec!(10), met()),
        ],
    };
    let r = score(&eval, &Profile::national());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.level1[0].weight, dec!(50));
    assert_eq!(r.total, dec!(100));
    assert_eq!(r.grade, Some(Grade::Excellent));
}

#[test]
fn negative_weight_counts_as_zero() {
    let (s, result) = single(quant(Positive, dec!(1), Some(dec!(1)), "个"), dec!(-5), &Profile::national());
    assert_eq!((s.weight, s.effective_weight, s.score), (dec!(-5), dec!(0), dec!(0)));
    assert!(result.warnings.iter().any(|w| w == "指标「测试指标」的分值 -5 为负数，按 0 计"));
}

#[test]
fn profiles() {
    for name in ["national", "2021", "national_strict", "2021_strict"] {
        let p = Profile::by_name(name).expect("known profile");
        assert_eq!(p.name, name);
        assert!(p.validate().is_empty(), "{name}: {:?}", p.validate());
    }
    assert!(Profile::by_name("shanghai").is_none());
    let p = Profile::layout_2021();
    assert_eq!(p.level1_weight("成本"), Some(dec!(10)));
    assert_eq!(p.level1_weight("产出指标"), Some(dec!(40)));
    assert_eq!(Profile::national().level1_weight("成本指标"), None);
    assert_eq!(Profile::national().execution_caps, vec![]);
    assert_eq!(ExecutionCap::strict().len(), 4);

    let broken = Profile {
        level1_weights: vec![("产出指标".to_owned(), dec!(50)), ("产出".to_owned(), dec!(-5))],
        execution_weight: dec!(-1),
        over_achievement: Some(OverAchievement { threshold_percent: dec!(90), deduction: Some(dec!(-2)) }),
        execution_caps: vec![ExecutionCap { below: dec!(120), max_total: dec!(-1) }],
        grades: vec![],
        ..Profile::national()
    };
    let w = broken.validate();
    for needle in ["为负数", "重复出现", "不等于 100", "不高于 100%", "不予扣分", "不在 0–100%", "未设置评价等级"]
    {
        assert!(w.iter().any(|x| x.contains(needle)), "{needle}: {w:?}");
    }
    // Scoring under a broken profile still works and reports the problems.
    let (_, r) = single(met(), dec!(1), &broken);
    assert!(r.warnings.iter().any(|x| x.contains("未设置评价等级")));
    assert_eq!(r.grade, None);
    assert_eq!(r.execution.weight, dec!(0));
}

#[test]
fn serde_shapes() {
    let p = Profile::national();
    let json = serde_json::to_value(&p).expect("serialise");
    assert_eq!(json["level1_weights"][0], serde_json::json!({"name": "产出指标", "weight": "50"}));
    assert_eq!(json["reverse_formula"], "linear_deviation");
    assert_eq!(json["over_achievement"]["threshold_percent"], "130");
    let back: Profile = serde_json::from_value(json).expect("deserialise");
    assert_eq!(back, p);

    let m: Measure = serde_json::from_str(
        r#"{"kind":"quantitative","direction":"reverse","target":"40000","actual":"38000","unit":"元"}"#,
    )
    .expect("measure");
    assert_eq!(m, quant(Reverse, dec!(40000), Some(dec!(38000)), "元"));
    let m: Measure = serde_json::from_str(r#"{"kind":"qualitative","grade":"partial","score":"7"}"#).expect("q");
    assert_eq!(m, Measure::Qualitative { grade: Some(QualitativeGrade::Partial), score: Some(dec!(7)) });
    let m: Measure = serde_json::from_str(r#"{"kind":"not_applicable"}"#).expect("na");
    assert_eq!(m, Measure::NotApplicable);

    let eval = demo();
    let json = serde_json::to_string(&eval).expect("eval");
    assert_eq!(serde_json::from_str::<Evaluation>(&json).expect("eval back"), eval);
    let result = score(&eval, &Profile::national());
    let json = serde_json::to_value(&result).expect("result");
    assert_eq!(json["total"], "97.68");
    assert_eq!(json["execution"]["rate"], "95.00");
    assert_eq!(serde_json::from_value::<EvaluationResult>(json).expect("result back"), result);
}

// ---------------------------------------------------------------------------------------------
// The demo project, hand-worked
// ---------------------------------------------------------------------------------------------

/// 政府网站维护费及业务经费, 10 万元: 全年预算数 10, 全年执行数 9.5.
///
/// Weights (national profile, 产出 50 / 效益 30 / 满意度 10 / 执行率 10):
///   产出 50 = 数量 5 × 3 + 质量 2 × 5 + 时效 2 × 5 + 成本 4 + 4 + 4 + 3; 效益 15 + 15; 满意度 5 + 5.
/// 维护网络平台数量 is "/" (the platform moved to the province's shared platform), so its 3
/// points are spread over the other 87: T = 90, factor 90 ÷ 87.
///   w 3  → 3.1034… → 3.10 (remainder .0034)   w 4  → 4.1379… → 4.13 (.0079)
///   w 5  → 5.1724… → 5.17 (.0024)             w 15 → 15.5172… → 15.51 (.0072)
///   floors: 5 × 3.10 + 6 × 5.17 + 3 × 4.13 + 2 × 15.51 = 89.93 → 7 cents to the largest
///   remainders: the three w 4 rows (→ 4.14), the two w 15 rows (→ 15.52), then the first two
///   w 3 rows in table order (LED 屏幕数量, 租赁光纤条数 → 3.11). Σ = 90.00.
///
///  #  indicator                          A          B        eff     score   rule
///  0  维护 LED 屏幕数量                   1 座       1        3.11    3.11    positive_met
///  1  租赁光纤条数                        1 条       1        3.11    3.11    positive_met
///  2  维护网站数量                        1 个       1        3.10    3.10    positive_met
///  3  维护网络平台数量                    1 个       /        0       0       not_applicable
///  4  维护机房数量                        2 座       3        3.10    3.10    positive_met, 150% ≥ 130%: 偏离
///  5  LED 屏幕正常运行率                  ≥98%       96%      5.17    5.06    96 ÷ 98 × 5.17 = 5.0645
///  6  网站正常运行率                      =100%      100%     5.17    5.17    equal_met
///  7  维修维护及时率                      =100%      100%     5.17    5.17    equal_met
///  8  光纤缴费及时率                      =100%      100%     5.17    5.17    equal_met
///  9  租赁光纤、电话成本                  ≤20000 元  19800    4.14    4.14    reverse_met
/// 10  维护、测评网站成本                  ≤40000 元  38000    4.14    4.14    reverse_met
/// 11  维护平台成本                        ≤30000 元  33000    4.14    3.73    (1 − 3000 ÷ 30000) × 4.14 = 3.726
/// 12  维护机房、LED 屏幕成本              ≤10000 元  9500     3.10    3.10    reverse_met
/// 13  保障政府网站有效运行，政务信息及时公开  有效保障  达成, 14/15  15.52  14.49  14 ÷ 15 × 15.52 = 14.4853
/// 14  项目可持续影响年限                  ≥1 年      1        15.52   15.52   positive_met
/// 15  受益单位满意度                      ≥95%       97%      5.17    5.17    positive_met
/// 16  受益群众满意度                      ≥95%       90%      5.17    4.90    90 ÷ 95 × 5.17 = 4.8979
///
/// 产出 48.10 / 48.62, 效益 30.01 / 31.04, 满意度 10.07 / 10.34 → 指标合计 88.18.
/// 预算执行率 9.5 ÷ 10 = 95.00% → 9.50. 总分 97.68 → 优 (no cap in the national profile).
/// Mandatory explanations: #4 (偏离), #5, #11, #13, #16 (below weight); 执行率 95% ≥ 90%: none.
fn demo() -> Evaluation {
    let q = |dir, a: Decimal, b: Decimal, unit: &str| quant(dir, a, Some(b), unit);
    let (o, e, s) = ("产出指标", "效益指标", "满意度指标");
    let mut indicators = vec![
        ind(o, "数量指标", "维护 LED 屏幕数量", dec!(3), q(Positive, dec!(1), dec!(1), "座")),
        ind(o, "数量指标", "租赁光纤条数", dec!(3), q(Positive, dec!(1), dec!(1), "条")),
        ind(o, "数量指标", "维护网站数量", dec!(3), q(Positive, dec!(1), dec!(1), "个")),
        ind(o, "数量指标", "维护网络平台数量", dec!(3), Measure::NotApplicable),
        ind(o, "数量指标", "维护机房数量", dec!(3), q(Positive, dec!(2), dec!(3), "座")),
        ind(o, "质量指标", "LED 屏幕正常运行率", dec!(5), q(Positive, dec!(98), dec!(96), "%")),
        ind(o, "质量指标", "网站正常运行率", dec!(5), q(Equal, dec!(100), dec!(100), "%")),
        ind(o, "时效指标", "维修维护及时率", dec!(5), q(Equal, dec!(100), dec!(100), "%")),
        ind(o, "时效指标", "光纤缴费及时率", dec!(5), q(Equal, dec!(100), dec!(100), "%")),
        ind(o, "成本指标", "租赁光纤、电话成本", dec!(4), q(Reverse, dec!(20000), dec!(19800), "元")),
        ind(o, "成本指标", "维护、测评网站成本", dec!(4), q(Reverse, dec!(40000), dec!(38000), "元")),
        ind(o, "成本指标", "维护平台成本", dec!(4), q(Reverse, dec!(30000), dec!(33000), "元")),
        ind(o, "成本指标", "维护机房、LED 屏幕成本", dec!(3), q(Reverse, dec!(10000), dec!(9500), "元")),
        ind(
            e,
            "社会效益指标",
            "保障政府网站有效运行，政务信息及时公开",
            dec!(15),
            Measure::Qualitative { grade: Some(QualitativeGrade::Achieved), score: Some(dec!(14)) },
        ),
        ind(e, "可持续影响指标", "项目可持续影响年限", dec!(15), q(Positive, dec!(1), dec!(1), "年")),
        ind(s, "服务对象满意度指标", "受益单位满意度", dec!(5), q(Positive, dec!(95), dec!(97), "%")),
        ind(s, "服务对象满意度指标", "受益群众满意度", dec!(5), q(Positive, dec!(95), dec!(90), "%")),
    ];
    indicators[5].explanation = Some("LED 屏幕老化，部分时段故障停机；已列入下年度更换计划".to_owned());
    indicators[11].explanation = Some("平台迁移至省级集约化平台产生迁移服务费；下年度按迁移后标准编制预算".to_owned());
    indicators[13].explanation = Some("个别栏目更新不及时；已建立信息发布督办机制".to_owned());
    Evaluation { funds: funds(dec!(10), dec!(9.5)), indicators }
}

#[test]
fn demo_project_self_evaluation() {
    let r = score(&demo(), &Profile::national());
    let expected: [(Decimal, Decimal, &str); 17] = [
        (dec!(3.11), dec!(3.11), "positive_met"),
        (dec!(3.11), dec!(3.11), "positive_met"),
        (dec!(3.10), dec!(3.10), "positive_met"),
        (dec!(0), dec!(0), "not_applicable"),
        (dec!(3.10), dec!(3.10), "positive_met"),
        (dec!(5.17), dec!(5.06), "positive_ratio"),
        (dec!(5.17), dec!(5.17), "equal_met"),
        (dec!(5.17), dec!(5.17), "equal_met"),
        (dec!(5.17), dec!(5.17), "equal_met"),
        (dec!(4.14), dec!(4.14), "reverse_met"),
        (dec!(4.14), dec!(4.14), "reverse_met"),
        (dec!(4.14), dec!(3.73), "reverse_linear"),
        (dec!(3.10), dec!(3.10), "reverse_met"),
        (dec!(15.52), dec!(14.49), "qualitative"),
        (dec!(15.52), dec!(15.52), "positive_met"),
        (dec!(5.17), dec!(5.17), "positive_met"),
        (dec!(5.17), dec!(4.90), "positive_ratio"),
    ];
    assert_eq!(r.indicators.len(), expected.len());
    for (s, (eff, points, rule)) in r.indicators.iter().zip(expected) {
        assert_eq!((s.effective_weight, s.score, s.rule.as_str()), (eff, points, rule), "#{} {}", s.index, s.name);
        assert_eq!(s.over_achieved, s.index == 4, "#{} over", s.index);
    }
    let l1: Vec<(&str, Decimal, Decimal)> = r.level1.iter().map(|l| (l.name.as_str(), l.weight, l.score)).collect();
    assert_eq!(
        l1,
        [
            ("产出指标", dec!(48.62), dec!(48.10)),
            ("效益指标", dec!(31.04), dec!(30.01)),
            ("满意度指标", dec!(10.34), dec!(10.07)),
        ]
    );
    assert_eq!(r.indicator_total, dec!(88.18));
    assert_eq!(r.execution.rate, Some(dec!(95)));
    assert_eq!(r.execution.score, dec!(9.50));
    assert_eq!(r.total_before_cap, dec!(97.68));
    assert_eq!(r.cap, None);
    assert_eq!(r.total, dec!(97.68));
    assert_eq!(r.grade, Some(Grade::Excellent));
    assert_eq!(r.profile, "national");

    let req: Vec<(Option<usize>, bool)> = r.required_explanations.iter().map(|x| (x.index, x.provided)).collect();
    assert_eq!(req, [(Some(4), false), (Some(5), true), (Some(11), true), (Some(13), true), (Some(16), false)]);
    assert_eq!(
        r.required_explanations[0].reason,
        "实际完成值为目标的 150.00%，超过超额完成阈值 130%（偏离），须说明原因"
    );
    assert_eq!(r.required_explanations[4].reason, "得分 4.90 低于分值 5.17，须填写偏差原因分析及改进措施");
    assert_eq!(
        r.warnings,
        ["1 个指标不适用（分值合计 3.00），其余指标分值按 90.00 ÷ 87.00 的比例折算，指标满分合计仍为 90.00（折算后保留两位小数，尾差按最大余数法分配）"]
    );
    assert_eq!(
        r.indicators[4].explanation,
        "正向指标：实际 3 座 ≥ 目标 2 座，得满分 3.10（分值 3.00 因有不适用指标按比例折算为 3.10）；实际完成值为目标的 150.00%，达到 130% 的超额完成阈值，属偏离，需说明原因"
    );
    assert_eq!(
        r.indicators[11].explanation,
        "反向指标：实际 33000 元 > 目标 30000 元，得分 = (1 − (33000 − 30000) ÷ 30000) × 4.14 = 3.73（分值 4.00 因有不适用指标按比例折算为 4.14）"
    );
    assert_eq!(
        r.indicators[13].explanation,
        "定性指标：评价等级「达成年度指标」，分值区间 [12.00, 15.00]，评分人给分 14.00；按折算后分值换算：14.00 ÷ 15.00 × 15.52 = 14.49（分值 15.00 因有不适用指标按比例折算为 15.52）"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Ordinary values and the extremes a decimal can hold.
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            4 => (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
            2 => (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28)
                .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
            1 => prop_oneof![Just(Decimal::ZERO), Just(Decimal::MAX), Just(Decimal::MIN), Just(dec!(0.0000000000000000000000000001))],
        ]
    }

    fn weight() -> impl Strategy<Value = Decimal> {
        (0i64..=10_000).prop_map(|m| Decimal::new(m, 2))
    }

    fn direction() -> impl Strategy<Value = Direction> {
        prop_oneof![Just(Positive), Just(Equal), Just(Reverse)]
    }

    fn grade() -> impl Strategy<Value = Option<QualitativeGrade>> {
        prop_oneof![
            Just(None),
            Just(Some(QualitativeGrade::Achieved)),
            Just(Some(QualitativeGrade::Partial)),
            Just(Some(QualitativeGrade::Poor)),
        ]
    }

    fn measure() -> impl Strategy<Value = Measure> {
        prop_oneof![
            6 => (direction(), any_decimal(), proptest::option::weighted(0.9, any_decimal()))
                .prop_map(|(d, a, b)| quant(d, a, b, "个")),
            2 => (grade(), proptest::option::weighted(0.9, any_decimal()))
                .prop_map(|(grade, score)| Measure::Qualitative { grade, score }),
            1 => Just(Measure::NotApplicable),
            1 => Just(Measure::Unscorable { reason: "无法识别".to_owned() }),
        ]
    }

    fn profile() -> impl Strategy<Value = Profile> {
        prop_oneof![
            Just(Profile::national()),
            Just(ratio_profile()),
            Just(with_deduction(Some(dec!(2)))),
            Just(Profile::layout_2021().with_strict_caps()),
        ]
    }

    fn scored(dir: Direction, a: Decimal, b: Decimal, w: Decimal, profile: &Profile) -> Decimal {
        single(quant(dir, a, Some(b), "个"), w, profile).0.score
    }

    proptest! {
        #[test]
        fn scores_stay_within_weight(
            rows in proptest::collection::vec((prop_oneof![3 => weight(), 1 => any_decimal()], measure()), 0..8),
            budget in any_decimal(),
            executed in any_decimal(),
            profile in profile(),
        ) {
            let eval = Evaluation {
                funds: funds(budget, executed),
                indicators: rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (w, m))| ind("产出指标", "数量指标", &format!("i{i}"), w, m))
                    .collect(),
            };
            let r = score(&eval, &profile);
            for s in &r.indicators {
                prop_assert!(s.score >= Decimal::ZERO, "{:?}", s);
                prop_assert!(s.score <= s.effective_weight, "{:?}", s);
                prop_assert!(s.effective_weight >= Decimal::ZERO, "{:?}", s);
            }
            prop_assert!(r.execution.score >= Decimal::ZERO && r.execution.score <= r.execution.weight);
            prop_assert!(r.total >= Decimal::ZERO && r.total <= r.total_before_cap);
        }

        #[test]
        fn positive_is_monotonic_in_the_actual(
            dir in prop_oneof![Just(Positive), Just(Equal)],
            a in any_decimal(),
            b1 in any_decimal(),
            b2 in any_decimal(),
            w in weight(),
        ) {
            let (lo, hi) = if b1 <= b2 { (b1, b2) } else { (b2, b1) };
            let p = Profile::national();
            let (s_lo, s_hi) = (scored(dir, a, lo, w, &p), scored(dir, a, hi, w, &p));
            // 等于 with A = 0 is the one non-monotonic rule (B > 0 misses the target), by design.
            if !(dir == Equal && a.is_zero()) {
                prop_assert!(s_lo <= s_hi, "A {} B {} → {}, B {} → {}", a, lo, s_lo, hi, s_hi);
            }
        }

        #[test]
        fn reverse_is_antitonic_in_the_actual(
            a in any_decimal(),
            b1 in any_decimal(),
            b2 in any_decimal(),
            w in weight(),
            ratio in any::<bool>(),
        ) {
            let (lo, hi) = if b1 <= b2 { (b1, b2) } else { (b2, b1) };
            let p = if ratio { ratio_profile() } else { Profile::national() };
            let (s_lo, s_hi) = (scored(Reverse, a, lo, w, &p), scored(Reverse, a, hi, w, &p));
            prop_assert!(s_lo >= s_hi, "A {} B {} → {}, B {} → {}", a, lo, s_lo, hi, s_hi);
        }

        #[test]
        fn not_applicable_keeps_the_maximum(
            rows in proptest::collection::vec((weight(), any::<bool>()), 1..15),
        ) {
            let indicators: Vec<IndicatorInput> = rows
                .iter()
                .enumerate()
                .map(|(i, (w, na))| {
                    let m = if *na { Measure::NotApplicable } else { met() };
                    ind("产出指标", "数量指标", &format!("i{i}"), *w, m)
                })
                .collect();
            let all: Decimal = rows.iter().map(|(w, _)| *w).sum();
            let applicable: Decimal = rows.iter().filter(|(_, na)| !*na).map(|(w, _)| *w).sum();
            let r = score(&Evaluation { funds: funds(dec!(1), dec!(1)), indicators }, &Profile::national());
            let eff: Decimal = r.indicators.iter().map(|s| s.effective_weight).sum();
            if applicable > Decimal::ZERO {
                prop_assert_eq!(r.indicator_total, all);
                prop_assert_eq!(eff, all);
                let l1: Decimal = r.level1.iter().map(|l| l.weight).sum();
                prop_assert_eq!(l1, all);
            } else {
                prop_assert_eq!(r.indicator_total, Decimal::ZERO);
            }
        }
    }
}

#[test]
fn finance_review_replaces_the_score_and_keeps_the_self_score() {
    let mut short =
        ind("产出指标", "数量指标", "维护网站数量", dec!(50), quant(Direction::Positive, dec!(2), Some(dec!(1)), "个"));
    short.review = Some(Review { score: dec!(20), reason: "佐证材料不足".into(), reviewer: "caizheng".into() });
    let eval = Evaluation {
        funds: funds(dec!(10), dec!(10)),
        indicators: vec![
            short,
            ind("效益指标", "社会效益指标", "b", dec!(30), quant(Direction::Positive, dec!(1), Some(dec!(1)), "个")),
            ind(
                "满意度指标",
                "服务对象满意度指标",
                "c",
                dec!(10),
                quant(Direction::Positive, dec!(95), Some(dec!(96)), "%"),
            ),
        ],
    };
    let r = score(&eval, &Profile::national());
    let first = &r.indicators[0];
    assert_eq!(first.score, dec!(20));
    assert_eq!(first.self_score, Some(dec!(25)));
    assert_eq!(first.rule, "finance_review");
    assert!(first.explanation.starts_with("自评得分 25.00（"), "{}", first.explanation);
    assert!(
        first.explanation.ends_with("财政复核（caizheng）调整为 20.00，理由：佐证材料不足"),
        "{}",
        first.explanation
    );
    // The department still owes the explanation for falling short.
    assert!(first.needs_explanation);
    assert_eq!(r.total, dec!(70));
    // A review above the weight is capped at the weight.
    let mut over = eval.clone();
    over.indicators[0].review = Some(Review { score: dec!(80), reason: "x".into(), reviewer: String::new() });
    assert_eq!(score(&over, &Profile::national()).indicators[0].score, dec!(50));
    // Without a review nothing about the output changes (no self_score in the JSON).
    let plain =
        score(&Evaluation { indicators: vec![eval.indicators[1].clone()], ..eval.clone() }, &Profile::national());
    assert!(!serde_json::to_string(&plain).unwrap().contains("self_score"));
}

#[test]
fn weight_problems_match_the_profile() {
    let ok =
        vec![("产出指标".to_owned(), dec!(50)), ("效益指标".to_owned(), dec!(30)), ("满意度指标".to_owned(), dec!(10))];
    assert!(weight_problems(&ok, &Profile::national()).is_empty());
    let bad =
        vec![("产 出".to_owned(), dec!(45)), ("效益指标".to_owned(), dec!(30)), ("满意度指标".to_owned(), dec!(10))];
    assert_eq!(
        weight_problems(&bad, &Profile::national()),
        [
            "「产出指标」下各三级指标分值合计 45.00，与评分方案「national」规定的 50.00 不一致",
            "全部指标分值合计 85.00 加预算执行率分值 10.00 为 95.00，不等于 100",
        ]
    );
}
