//! The scoring engine: [`score`] turns an [`Evaluation`] into an [`EvaluationResult`] under a
//! [`Profile`]. Pure, total (never panics), exact decimals throughout.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::explain::{ceil2, floor2, is_blank, level1_key, num, pct, pct_plain, pts, qty, round2, CENT, HUNDRED};
use super::model::{
    Direction, Evaluation, EvaluationResult, ExecutionScore, Funds, IndicatorInput, IndicatorScore, Level1Subtotal,
    Measure, QualitativeGrade, RequiredExplanation,
};
use super::profile::{Profile, ReverseFormula};

const ZERO: Decimal = Decimal::ZERO;

/// Scores a self-evaluation (绩效自评) under a profile.
///
/// Steps: weights (negative → 0) → not-applicable rescaling of the remaining weights so the
/// indicator maximum stays the same → each indicator by its rule (§4) → over-achievement →
/// 一级 subtotals and weight checks → 预算执行率 → total, execution-rate cap, grade →
/// mandatory explanations (§5).
pub fn score(eval: &Evaluation, profile: &Profile) -> EvaluationResult {
    let mut warnings = profile.validate();
    let inds = &eval.indicators;
    if inds.is_empty() {
        warnings.push("没有可评分的绩效指标".to_owned());
    }

    let weights: Vec<Decimal> = inds
        .iter()
        .map(|ind| {
            if ind.weight < ZERO {
                warnings.push(format!("指标「{}」的分值 {} 为负数，按 0 计", ind.name, num(ind.weight)));
                ZERO
            } else {
                ind.weight
            }
        })
        .collect();
    let applicable: Vec<bool> = inds.iter().map(|i| !matches!(i.measure, Measure::NotApplicable)).collect();
    let (effective, rescaled) = effective_weights(&weights, &applicable, &mut warnings);

    let mut scores = Vec::with_capacity(inds.len());
    let mut required = Vec::new();
    for (index, ind) in inds.iter().enumerate() {
        let w = weights.get(index).copied().unwrap_or(ZERO);
        let eff = effective.get(index).copied().unwrap_or(ZERO);
        let scored = score_indicator(index, ind, w, eff, rescaled, profile, &mut warnings);
        if !scored.reasons.is_empty() {
            required.push(RequiredExplanation {
                target: ind.name.clone(),
                index: Some(index),
                reason: scored.reasons.join("；"),
                provided: !is_blank(&ind.explanation),
            });
        }
        scores.push(scored.score);
    }

    let level1 = level1_subtotals(inds, &weights, &scores, profile, &mut warnings);

    let (execution, exec_warnings) = execution_score(&eval.funds, profile);
    warnings.extend(exec_warnings);
    if let Some(rate) = execution.rate {
        if rate < profile.explanation_below_execution_rate {
            required.push(RequiredExplanation {
                target: "预算执行率".to_owned(),
                index: None,
                reason: format!(
                    "预算执行率 {} 低于 {}，须说明原因及改进措施",
                    pct(rate),
                    pct_plain(profile.explanation_below_execution_rate)
                ),
                provided: !is_blank(&eval.funds.explanation),
            });
        }
    }

    let indicator_total = sum(scores.iter().map(|s| s.score));
    let total_before_cap = indicator_total.checked_add(execution.score).unwrap_or(indicator_total);
    let (total, cap) = apply_cap(total_before_cap, execution.rate, profile);
    let grade = profile.grade_for(total);

    EvaluationResult {
        profile: profile.name.clone(),
        indicators: scores,
        level1,
        execution,
        indicator_total,
        total_before_cap,
        cap,
        total,
        grade,
        required_explanations: required,
        warnings,
    }
}

fn sum(values: impl IntoIterator<Item = Decimal>) -> Decimal {
    values.into_iter().fold(ZERO, |acc, v| acc.checked_add(v).unwrap_or(acc))
}

/// Effective weights after not-applicable rescaling, and whether rescaling happened.
///
/// Each applicable weight becomes w × T ÷ R (T = all weights, R = applicable weights), kept to
/// 2 decimals; the cents lost to rounding go to the largest remainders (ties: earlier
/// indicator first), so the effective weights add up to T exactly.
fn effective_weights(weights: &[Decimal], applicable: &[bool], warnings: &mut Vec<String>) -> (Vec<Decimal>, bool) {
    let is_app = |i: usize| applicable.get(i).copied().unwrap_or(true);
    let total = sum(weights.iter().copied());
    let remaining = sum(weights.iter().enumerate().filter(|(i, _)| is_app(*i)).map(|(_, w)| *w));
    let na_count = applicable.iter().filter(|a| !**a).count();
    let kept: Vec<Decimal> = weights.iter().enumerate().map(|(i, w)| if is_app(i) { *w } else { ZERO }).collect();
    if na_count == 0 || remaining == total {
        return (kept, false);
    }
    let na_weight = total.checked_sub(remaining).unwrap_or(ZERO);
    if remaining <= ZERO {
        warnings
            .push(format!("{na_count} 个不适用指标的分值合计 {} 无法分配：其余指标均不适用或分值为 0", pts(na_weight)));
        return (kept, false);
    }

    let raw: Vec<Decimal> =
        kept.iter().map(|w| w.checked_div(remaining).and_then(|r| r.checked_mul(total)).unwrap_or(*w)).collect();
    let mut eff: Vec<Decimal> = raw.iter().map(|r| floor2(*r)).collect();
    let target = round2(total);
    let shortfall = target.checked_sub(sum(eff.iter().copied())).unwrap_or(ZERO);
    let units = shortfall.checked_div(CENT).and_then(|u| u.trunc().to_usize()).unwrap_or(0);
    if units > 0 {
        let mut order: Vec<usize> = (0..eff.len()).filter(|i| is_app(*i) && kept[*i] > ZERO).collect();
        // Largest remainder first; equal remainders keep table order (stable sort).
        order.sort_by(|a, b| {
            let ra = raw[*a].checked_sub(eff[*a]).unwrap_or(ZERO);
            let rb = raw[*b].checked_sub(eff[*b]).unwrap_or(ZERO);
            rb.cmp(&ra)
        });
        for i in order.into_iter().take(units) {
            eff[i] = eff[i].checked_add(CENT).unwrap_or(eff[i]);
        }
    }
    warnings.push(format!(
        "{na_count} 个指标不适用（分值合计 {}），其余指标分值按 {} ÷ {} 的比例折算，指标满分合计仍为 {}（折算后保留两位小数，尾差按最大余数法分配）",
        pts(na_weight),
        pts(total),
        pts(remaining),
        pts(target)
    ));
    (eff, true)
}

/// What scoring one indicator produced.
struct Scored {
    score: IndicatorScore,
    /// Reasons an explanation is mandatory (empty: not mandatory).
    reasons: Vec<String>,
}

/// The result of a rule before over-achievement.
struct Outcome {
    score: Decimal,
    rule: &'static str,
    explanation: String,
    /// B short of A (an explanation is mandatory even if rounding gave full marks).
    shortfall: bool,
    /// A reason that always makes an explanation mandatory (missing actual, unreadable target).
    special_reason: Option<String>,
}

impl Outcome {
    fn new(score: Decimal, rule: &'static str, explanation: String) -> Self {
        Outcome { score, rule, explanation, shortfall: false, special_reason: None }
    }

    fn short(mut self) -> Self {
        self.shortfall = true;
        self
    }
}

fn score_indicator(
    index: usize,
    ind: &IndicatorInput,
    w: Decimal,
    eff: Decimal,
    rescaled: bool,
    profile: &Profile,
    warnings: &mut Vec<String>,
) -> Scored {
    let name = &ind.name;
    let mut over_achieved = false;
    let mut over_reason = None;
    // Said right after the formula that used the rescaled weight.
    let rescale_note = if rescaled && w != eff && !matches!(ind.measure, Measure::NotApplicable) {
        format!("（分值 {} 因有不适用指标按比例折算为 {}）", pts(w), pts(eff))
    } else {
        String::new()
    };
    let mut outcome = match &ind.measure {
        Measure::NotApplicable => {
            let text = if rescaled && w > ZERO {
                format!("不适用，不参与评分；原分值 {} 按比例分配给其余指标", pts(w))
            } else {
                "不适用，不参与评分".to_owned()
            };
            Outcome::new(ZERO, "not_applicable", text)
        }
        Measure::Unscorable { reason } => {
            let reason = reason.trim();
            warnings.push(format!("指标「{name}」无法计分：{reason}，按 0 分计"));
            Outcome {
                special_reason: Some(format!("指标值无法识别（{reason}），须说明情况")),
                ..Outcome::new(ZERO, "unscorable", format!("指标值无法识别（{reason}），无法计分，按 0 分计"))
            }
        }
        Measure::Quantitative { actual: None, .. } => {
            warnings.push(format!("指标「{name}」未填写实际完成值，按 0 分计"));
            Outcome {
                special_reason: Some("未填写实际完成值，须补填或说明原因".to_owned()),
                ..Outcome::new(ZERO, "missing_actual", "未填写实际完成值，暂按 0 分计".to_owned())
            }
        }
        Measure::Quantitative { direction, target, actual: Some(actual), unit } => {
            let mut out = quantitative(*direction, *target, *actual, unit, eff, profile.reverse_formula);
            out.explanation.push_str(&rescale_note);
            if out.rule.ends_with("nonpositive_target") || out.rule == "reverse_negative_target" {
                warnings.push(format!(
                    "指标「{name}」的目标值 {} 不适合按公式计分（{}），请核对目标值",
                    qty(*target, unit),
                    if out.score > ZERO { "已按达成计满分" } else { "已按 0 分计" }
                ));
            }
            if matches!(direction, Direction::Positive | Direction::Equal) && *target > ZERO {
                if let Some(over) = &profile.over_achievement {
                    let b = (*actual).max(ZERO);
                    let percent = b.checked_div(*target).and_then(|r| r.checked_mul(HUNDRED));
                    let is_over = percent.map(|p| p >= over.threshold_percent).unwrap_or(true);
                    if is_over {
                        over_achieved = true;
                        let share = percent.map(pct).unwrap_or_else(|| "远超目标的水平".to_owned());
                        out.explanation.push_str(&format!(
                            "；实际完成值为目标的 {share}，达到 {} 的超额完成阈值，属偏离，需说明原因",
                            pct_plain(over.threshold_percent)
                        ));
                        over_reason = Some(format!(
                            "实际完成值为目标的 {share}，超过超额完成阈值 {}（偏离），须说明原因",
                            pct_plain(over.threshold_percent)
                        ));
                        if let Some(ded) = over.deduction.filter(|d| *d > ZERO) {
                            let before = out.score;
                            out.score = round2(before.checked_sub(ded).unwrap_or(ZERO).max(ZERO));
                            out.explanation.push_str(&format!(
                                "；按规定扣 {} 分，得分 {} − {} = {}",
                                pts(ded),
                                pts(before),
                                pts(ded),
                                pts(out.score)
                            ));
                        }
                    }
                }
            }
            out
        }
        Measure::Qualitative { grade, score } => qualitative(name, *grade, *score, w, eff, warnings),
    };

    if !matches!(ind.measure, Measure::Quantitative { actual: Some(_), .. }) {
        outcome.explanation.push_str(&rescale_note);
    }
    // Never above the effective weight, never negative.
    outcome.score = round2(outcome.score).min(eff).max(ZERO);

    let mut reasons = Vec::new();
    if let Some(r) = outcome.special_reason.take() {
        reasons.push(r);
    } else if !matches!(ind.measure, Measure::NotApplicable) {
        if outcome.score < eff && !over_achieved {
            reasons.push(format!("得分 {} 低于分值 {}，须填写偏差原因分析及改进措施", pts(outcome.score), pts(eff)));
        } else if outcome.shortfall {
            reasons.push("实际完成值未达到年度指标值，须填写偏差原因分析及改进措施".to_owned());
        }
    }
    if let Some(r) = over_reason {
        reasons.push(r);
    }

    // 财政复核: the reviewer's score replaces the computed one; the department's duty to explain
    // stays as the self-evaluation left it.
    let mut self_score = None;
    let mut rule = outcome.rule.to_owned();
    if let Some(review) = ind.review.as_ref().filter(|_| !matches!(ind.measure, Measure::NotApplicable)) {
        let reviewed = round2(review.score).min(eff).max(ZERO);
        self_score = Some(outcome.score);
        let who =
            if review.reviewer.trim().is_empty() { String::new() } else { format!("（{}）", review.reviewer.trim()) };
        outcome.explanation = format!(
            "自评得分 {}（{}）；财政复核{who}调整为 {}，理由：{}",
            pts(outcome.score),
            outcome.explanation,
            pts(reviewed),
            review.reason.trim()
        );
        outcome.score = reviewed;
        rule = "finance_review".to_owned();
    }

    Scored {
        score: IndicatorScore {
            index,
            level1: ind.level1.clone(),
            level2: ind.level2.clone(),
            name: ind.name.clone(),
            weight: ind.weight,
            effective_weight: eff,
            score: outcome.score,
            rule,
            explanation: outcome.explanation,
            over_achieved,
            needs_explanation: !reasons.is_empty(),
            self_score,
        },
        reasons,
    }
}

/// `ratio × w`, rounded, within [0, w]. `ratio` is in [0, 1] for every caller.
fn times(ratio: Decimal, w: Decimal) -> Decimal {
    round2(ratio.checked_mul(w).unwrap_or(ZERO)).min(w).max(ZERO)
}

fn quantitative(
    dir: Direction,
    a: Decimal,
    b_raw: Decimal,
    unit: &str,
    w: Decimal,
    formula: ReverseFormula,
) -> Outcome {
    let mut prefix = String::new();
    let b = if b_raw < ZERO {
        prefix = format!("实际完成值 {} 为负数，按 0 计；", qty(b_raw, unit));
        ZERO
    } else {
        b_raw
    };
    let (qa, qb, pw) = (qty(a, unit), qty(b, unit), pts(w));
    let mut out = match dir {
        Direction::Positive | Direction::Equal => {
            let (label, met, ratio, nonpos) = match dir {
                Direction::Positive => ("正向指标", "positive_met", "positive_ratio", "positive_nonpositive_target"),
                _ => ("等于指标（按正向计分）", "equal_met", "equal_ratio", "equal_nonpositive_target"),
            };
            if dir == Direction::Equal && a.is_zero() {
                if b <= ZERO {
                    Outcome::new(
                        w,
                        "equal_zero_target",
                        format!("等于指标：目标 {qa}，实际 {qb}，达到目标，得满分 {pw}"),
                    )
                } else {
                    Outcome::new(ZERO, "equal_zero_target", format!("等于指标：目标为 0，实际 {qb} 大于 0，得 0 分"))
                        .short()
                }
            } else if a <= ZERO {
                Outcome::new(
                    w,
                    nonpos,
                    format!("{label}：目标值 {qa} 不大于 0，无法按比例计分；实际 {qb} 不低于目标，得满分 {pw}"),
                )
            } else if b >= a {
                Outcome::new(w, met, format!("{label}：实际 {qb} ≥ 目标 {qa}，得满分 {pw}"))
            } else {
                let s = times(b.checked_div(a).unwrap_or(ZERO), w);
                Outcome::new(
                    s,
                    ratio,
                    format!("{label}：实际 {qb} < 目标 {qa}，得分 = {} ÷ {} × {pw} = {}", num(b), num(a), pts(s)),
                )
                .short()
            }
        }
        Direction::Reverse => {
            if a < ZERO {
                Outcome::new(
                    ZERO,
                    "reverse_negative_target",
                    format!("反向指标：目标值 {qa} 为负数，无法按反向公式计分，按 0 分计"),
                )
                .short()
            } else if b <= a {
                Outcome::new(w, "reverse_met", format!("反向指标：实际 {qb} ≤ 目标 {qa}，得满分 {pw}"))
            } else if a.is_zero() {
                Outcome::new(ZERO, "reverse_zero_target", format!("反向指标：目标为 0，实际 {qb} 大于 0，得 0 分"))
                    .short()
            } else {
                match formula {
                    ReverseFormula::LinearDeviation => {
                        // b > a > 0 and b ≥ 0, so b − a cannot overflow; compare b − a ≥ a, not b ≥ 2a.
                        let diff = b.checked_sub(a).unwrap_or(b);
                        if diff >= a {
                            Outcome::new(
                                ZERO,
                                "reverse_over_double",
                                format!("反向指标：实际 {qb} 达到目标 {qa} 的 2 倍及以上，得 0 分"),
                            )
                            .short()
                        } else {
                            let factor = diff.checked_div(a).map(|r| Decimal::ONE - r).unwrap_or(ZERO);
                            let s = times(factor, w);
                            Outcome::new(
                                s,
                                "reverse_linear",
                                format!(
                                    "反向指标：实际 {qb} > 目标 {qa}，得分 = (1 − ({} − {}) ÷ {}) × {pw} = {}",
                                    num(b),
                                    num(a),
                                    num(a),
                                    pts(s)
                                ),
                            )
                            .short()
                        }
                    }
                    ReverseFormula::Ratio => {
                        let s = times(a.checked_div(b).unwrap_or(ZERO), w);
                        Outcome::new(
                            s,
                            "reverse_ratio",
                            format!(
                                "反向指标（比值法）：实际 {qb} > 目标 {qa}，得分 = {} ÷ {} × {pw} = {}",
                                num(a),
                                num(b),
                                pts(s)
                            ),
                        )
                        .short()
                    }
                }
            }
        }
    };
    if !prefix.is_empty() {
        out.explanation.insert_str(0, &prefix);
    }
    out
}

fn qualitative(
    name: &str,
    grade: Option<QualitativeGrade>,
    given: Option<Decimal>,
    w: Decimal,
    eff: Decimal,
    warnings: &mut Vec<String>,
) -> Outcome {
    let Some(grade) = grade else {
        warnings.push(format!("定性指标「{name}」未选择评价等级，按 0 分计"));
        return Outcome::new(ZERO, "qualitative_missing_grade", "定性指标：未选择评价等级，按 0 分计".to_owned());
    };
    let (lo, hi) = grade.band(w);
    let band_text = format!("[{}, {}{}", pts(lo), pts(hi), if grade.high_inclusive() { "]" } else { ")" });
    let head = format!("定性指标：评价等级「{}」，分值区间 {band_text}", grade.label());
    let Some(given) = given else {
        warnings.push(format!("定性指标「{name}」已选择等级「{}」但未给分，按 0 分计", grade.label()));
        return Outcome::new(ZERO, "qualitative_missing_score", format!("{head}，未给分，按 0 分计"));
    };

    // The band at 2-decimal resolution.
    let min_ok = ceil2(lo);
    let max_ok =
        if grade.high_inclusive() { floor2(hi) } else { ceil2(hi).checked_sub(CENT).unwrap_or(ZERO) }.max(ZERO);
    let entered = round2(given);
    let chosen = if min_ok > max_ok { min_ok.min(floor2(w)).max(ZERO) } else { entered.max(min_ok).min(max_ok) };
    let mut text = format!("{head}，评分人给分 {}", pts(entered));
    if chosen != entered {
        text.push_str(&format!("，超出该等级分值区间，已调整为 {}", pts(chosen)));
        warnings.push(format!(
            "定性指标「{name}」的得分 {} 不在等级「{}」的分值区间 {band_text} 内，已调整为 {}",
            pts(entered),
            grade.label(),
            pts(chosen)
        ));
    }
    let score = if w == eff {
        chosen
    } else if w > ZERO {
        let s = times(chosen.checked_div(w).unwrap_or(ZERO).min(Decimal::ONE), eff);
        text.push_str(&format!("；按折算后分值换算：{} ÷ {} × {} = {}", pts(chosen), pts(w), pts(eff), pts(s)));
        s
    } else {
        ZERO
    };
    Outcome::new(score, "qualitative", text)
}

/// The 一级 groups in profile order (then unknown 一级 in order of appearance): (key, name,
/// member positions), and how many of them the profile knows.
fn group_by_level1<'a>(
    level1s: impl Iterator<Item = &'a str>,
    profile: &Profile,
) -> (Vec<(String, String, Vec<usize>)>, usize) {
    let mut groups: Vec<(String, String, Vec<usize>)> =
        profile.level1_weights.iter().map(|(name, _)| (level1_key(name), name.clone(), Vec::new())).collect();
    let known = groups.len();
    for (i, level1) in level1s.enumerate() {
        let key = level1_key(level1);
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2.push(i),
            None => groups.push((key, level1.to_owned(), vec![i])),
        }
    }
    (groups, known)
}

/// Why the weights (分值) of `indicators` — (一级 name, 分值) in table order — do not fit
/// `profile` (§4: each 一级's 三级 weights add up to the profile's 一级 weight, every 一级 is in
/// the profile, and all weights plus 预算执行率 make 100). Empty when they fit. Negative weights
/// count as 0.
pub fn weight_problems(indicators: &[(String, Decimal)], profile: &Profile) -> Vec<String> {
    let mut problems = Vec::new();
    let weights: Vec<Decimal> = indicators.iter().map(|(_, w)| (*w).max(ZERO)).collect();
    let (groups, known) = group_by_level1(indicators.iter().map(|(l, _)| l.as_str()), profile);
    let profile_names: Vec<&str> = profile.level1_weights.iter().map(|(n, _)| n.as_str()).collect();
    for (pos, (_, name, members)) in groups.iter().enumerate() {
        let given = sum(members.iter().map(|i| weights.get(*i).copied().unwrap_or(ZERO)));
        if pos < known {
            let expected = profile.level1_weights.get(pos).map(|(_, w)| *w).unwrap_or(ZERO);
            if given != expected {
                problems.push(format!(
                    "「{name}」下各三级指标分值合计 {}，与评分方案「{}」规定的 {} 不一致",
                    pts(given),
                    profile.name,
                    pts(expected)
                ));
            }
        } else {
            problems.push(format!(
                "一级指标「{name}」不在评分方案「{}」中（方案包含：{}）",
                profile.name,
                profile_names.join("、")
            ));
        }
    }

    let all_weights = sum(weights.iter().copied());
    let exec_weight = profile.execution_weight.max(ZERO);
    let overall = all_weights.checked_add(exec_weight).unwrap_or(all_weights);
    if overall != HUNDRED {
        problems.push(format!(
            "全部指标分值合计 {} 加预算执行率分值 {} 为 {}，不等于 100",
            pts(all_weights),
            pts(exec_weight),
            pts(overall)
        ));
    }
    problems
}

fn level1_subtotals(
    inds: &[IndicatorInput],
    weights: &[Decimal],
    scores: &[IndicatorScore],
    profile: &Profile,
    warnings: &mut Vec<String>,
) -> Vec<Level1Subtotal> {
    let pairs: Vec<(String, Decimal)> = inds.iter().zip(weights).map(|(ind, w)| (ind.level1.clone(), *w)).collect();
    warnings.extend(weight_problems(&pairs, profile));
    let (groups, _) = group_by_level1(inds.iter().map(|i| i.level1.as_str()), profile);
    groups
        .into_iter()
        .map(|(_, name, members)| Level1Subtotal {
            name,
            weight: sum(members.iter().filter_map(|i| scores.get(*i)).map(|s| s.effective_weight)),
            score: sum(members.iter().filter_map(|i| scores.get(*i)).map(|s| s.score)),
        })
        .collect()
}

fn execution_score(funds: &Funds, profile: &Profile) -> (ExecutionScore, Vec<String>) {
    let w = profile.execution_weight.max(ZERO);
    let pw = pts(w);
    let mut warnings = Vec::new();
    let (budget, executed) = (funds.budget, funds.executed);
    if budget <= ZERO {
        let msg = if budget.is_zero() {
            "全年预算数为 0，无法计算预算执行率".to_owned()
        } else {
            format!("全年预算数 {} 不大于 0，无法计算预算执行率", num(budget))
        };
        warnings.push(msg.clone());
        let score = ExecutionScore { rate: None, weight: w, score: ZERO, explanation: format!("{msg}，得 0 分") };
        return (score, warnings);
    }
    let Some(raw) = executed.checked_div(budget).and_then(|r| r.checked_mul(HUNDRED)) else {
        warnings.push("预算执行率超出可计算范围，请核对全年预算数与全年执行数".to_owned());
        let score = if executed > ZERO { w } else { ZERO };
        let explanation = format!(
            "全年执行数 {} 与全年预算数 {} 相差悬殊，执行率无法计算，得 {}",
            num(executed),
            num(budget),
            pts(score)
        );
        return (ExecutionScore { rate: None, weight: w, score, explanation }, warnings);
    };
    let rate = round2(raw);
    let mut explanation =
        format!("预算执行率 = 全年执行数 {} ÷ 全年预算数 {} × 100% = {}", num(executed), num(budget), pct(rate));
    let score = if executed < ZERO {
        warnings.push(format!("全年执行数 {} 为负数，预算执行率按 0 分计", num(executed)));
        explanation.push_str("；全年执行数为负数，得 0 分");
        ZERO
    } else if rate >= HUNDRED {
        if rate > HUNDRED {
            explanation.push_str(&format!("；执行率超过 100%，按满分 {pw} 计"));
        } else {
            explanation.push_str(&format!("；得满分 {pw}"));
        }
        w
    } else {
        let s = times(rate.checked_div(HUNDRED).unwrap_or(ZERO), w);
        explanation.push_str(&format!("；得分 = {} × {pw} = {}", pct(rate), pts(s)));
        s
    };
    (ExecutionScore { rate: Some(rate), weight: w, score, explanation }, warnings)
}

/// Applies the lowest execution-rate cap whose threshold the rate is below.
fn apply_cap(total: Decimal, rate: Option<Decimal>, profile: &Profile) -> (Decimal, Option<String>) {
    let Some(rate) = rate else { return (total, None) };
    let cap = profile
        .execution_caps
        .iter()
        .filter(|c| rate < c.below)
        .min_by(|a, b| a.max_total.cmp(&b.max_total).then(a.below.cmp(&b.below)));
    match cap {
        Some(c) if total > c.max_total.max(ZERO) => {
            let limit = c.max_total.max(ZERO);
            let text = format!(
                "预算执行率 {} 低于 {}，总分不得超过 {}，总分由 {} 调整为 {}",
                pct(rate),
                pct_plain(c.below),
                num(limit),
                pts(total),
                pts(limit)
            );
            (limit, Some(text))
        }
        _ => (total, None),
    }
}
