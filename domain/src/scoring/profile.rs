//! Scoring profiles: the per-finance-bureau, per-year settings of 绩效自评 (weights, reverse
//! formula, over-achievement rule, execution-rate caps, grade bands).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::vocab::{Grade, ScoringProfile};

use super::explain::{level1_key, num, pct_plain, pts, HUNDRED};

/// How a 反向 (≤, <) indicator scores when the actual exceeds the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReverseFormula {
    /// (1 − (B − A) ÷ A) × w for A < B < 2A; 0 from B ≥ 2A on.
    LinearDeviation,
    /// A ÷ B × w (some templates).
    Ratio,
}

/// A grade and the lowest total that earns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeBand {
    pub grade: Grade,
    pub min: Decimal,
}

/// Caps the total when the budget execution rate is below `below` percent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionCap {
    /// Execution rate in percent, e.g. 80: the cap applies when the rate is below it.
    pub below: Decimal,
    /// The highest total allowed then.
    pub max_total: Decimal,
}

/// The over-achievement (偏离) rule: B ≥ `threshold_percent`% of A on a 正向/等于 indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverAchievement {
    /// e.g. 130.
    pub threshold_percent: Decimal,
    /// Points deducted from that indicator's score (never below 0); `None` = flag only.
    #[serde(default)]
    pub deduction: Option<Decimal>,
}

/// A scoring profile. `national` is the default layout of §4; `2021` adds 成本指标 as a 一级.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// 一级 name → points, in display order. Serialised as a list of `{name, weight}` objects.
    #[serde(with = "level1_weights_serde")]
    pub level1_weights: Vec<(String, Decimal)>,
    /// Points of 预算执行率.
    pub execution_weight: Decimal,
    pub reverse_formula: ReverseFormula,
    #[serde(default)]
    pub over_achievement: Option<OverAchievement>,
    /// Caps on the total by execution rate; the lowest applicable cap wins.
    #[serde(default)]
    pub execution_caps: Vec<ExecutionCap>,
    /// Below this execution rate (percent) an explanation is mandatory.
    pub explanation_below_execution_rate: Decimal,
    pub grades: Vec<GradeBand>,
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

impl GradeBand {
    /// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
    pub fn standard() -> Vec<GradeBand> {
        [(Grade::Excellent, 90), (Grade::Good, 80), (Grade::Fair, 60), (Grade::Poor, 0)]
            .into_iter()
            .map(|(grade, min)| GradeBand { grade, min: d(min) })
            .collect()
    }
}

impl ExecutionCap {
    /// The strict caps seen in production: 执行率 70–80% → total ≤ 89, 60–70% → ≤ 79,
    /// < 60% → ≤ 69, < 50% → ≤ 59.
    pub fn strict() -> Vec<ExecutionCap> {
        [(80, 89), (70, 79), (60, 69), (50, 59)]
            .into_iter()
            .map(|(below, max_total)| ExecutionCap { below: d(below), max_total: d(max_total) })
            .collect()
    }
}

impl Profile {
    /// The default layout: 产出 50, 效益 30, 满意度 10, 预算执行率 10; reverse indicators by
    /// linear deviation; over-achievement at 130% flagged (explanation required) without a
    /// deduction; no execution caps; explanation below 90% execution.
    pub fn national() -> Self {
        Profile {
            name: "national".to_owned(),
            level1_weights: vec![
                ("产出指标".to_owned(), d(50)),
                ("效益指标".to_owned(), d(30)),
                ("满意度指标".to_owned(), d(10)),
            ],
            execution_weight: d(10),
            reverse_formula: ReverseFormula::LinearDeviation,
            over_achievement: Some(OverAchievement { threshold_percent: d(130), deduction: None }),
            execution_caps: Vec::new(),
            explanation_below_execution_rate: d(90),
            grades: GradeBand::standard(),
        }
    }

    /// The 2021 layout with 成本指标 as its own 一级: 产出 40, 成本 10, 效益 30, 满意度 10,
    /// 预算执行率 10 (the 10 points the 2020 layout gave 成本 inside 产出 move to the new 一级).
    /// Other settings as [`Profile::national`].
    pub fn layout_2021() -> Self {
        Profile {
            name: "2021".to_owned(),
            level1_weights: vec![
                ("产出指标".to_owned(), d(40)),
                ("成本指标".to_owned(), d(10)),
                ("效益指标".to_owned(), d(30)),
                ("满意度指标".to_owned(), d(10)),
            ],
            ..Profile::national()
        }
    }

    /// This profile with the strict execution-rate caps of [`ExecutionCap::strict`].
    pub fn with_strict_caps(mut self) -> Self {
        self.execution_caps = ExecutionCap::strict();
        self.name = format!("{}_strict", self.name);
        self
    }

    /// A named profile: national, 2021, and their variants with strict caps.
    pub fn of(named: ScoringProfile) -> Self {
        match named {
            ScoringProfile::National => Profile::national(),
            ScoringProfile::Y2021 => Profile::layout_2021(),
            ScoringProfile::NationalStrict => Profile::national().with_strict_caps(),
            ScoringProfile::Y2021Strict => Profile::layout_2021().with_strict_caps(),
        }
    }

    /// The named profile with this key (`"national"`, `"2021"`, `"national_strict"`,
    /// `"2021_strict"`).
    pub fn by_name(name: &str) -> Option<Self> {
        ScoringProfile::from_key(name.trim()).map(Profile::of)
    }

    /// The weight this profile gives to a 一级 name, matched loosely ("产出" = "产出指标").
    pub fn level1_weight(&self, name: &str) -> Option<Decimal> {
        let key = level1_key(name);
        self.level1_weights.iter().find(|(n, _)| level1_key(n) == key).map(|(_, w)| *w)
    }

    /// Problems with the profile itself, in Chinese. Empty when the profile is consistent.
    pub fn validate(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        let name = &self.name;
        let mut level1_sum = Decimal::ZERO;
        let mut seen: Vec<String> = Vec::new();
        for (l1, w) in &self.level1_weights {
            if *w < Decimal::ZERO {
                warnings.push(format!("评分方案「{name}」中一级指标「{l1}」的分值 {} 为负数", num(*w)));
            }
            level1_sum = level1_sum.checked_add(*w).unwrap_or(level1_sum);
            let key = level1_key(l1);
            if seen.contains(&key) {
                warnings.push(format!("评分方案「{name}」中一级指标「{l1}」重复出现"));
            } else {
                seen.push(key);
            }
        }
        if self.execution_weight < Decimal::ZERO {
            warnings.push(format!("评分方案「{name}」中预算执行率分值 {} 为负数，按 0 计", num(self.execution_weight)));
        }
        let total = level1_sum.checked_add(self.execution_weight).unwrap_or(level1_sum);
        if total != HUNDRED {
            warnings.push(format!(
                "评分方案「{name}」的一级指标分值合计 {} 加预算执行率分值 {} 为 {}，不等于 100",
                pts(level1_sum),
                pts(self.execution_weight),
                pts(total)
            ));
        }
        if let Some(over) = &self.over_achievement {
            if over.threshold_percent <= HUNDRED {
                warnings.push(format!(
                    "评分方案「{name}」的超额完成阈值 {} 不高于 100%，按时完成的指标也会被判为偏离",
                    pct_plain(over.threshold_percent)
                ));
            }
            if let Some(ded) = over.deduction {
                if ded < Decimal::ZERO {
                    warnings.push(format!("评分方案「{name}」的超额完成扣分 {} 为负数，不予扣分", num(ded)));
                }
            }
        }
        for cap in &self.execution_caps {
            if cap.below <= Decimal::ZERO || cap.below > HUNDRED {
                warnings
                    .push(format!("评分方案「{name}」的执行率封顶规则阈值 {} 不在 0–100% 之间", pct_plain(cap.below)));
            }
            if cap.max_total < Decimal::ZERO {
                warnings
                    .push(format!("评分方案「{name}」的执行率封顶规则总分上限 {} 为负数，按 0 计", num(cap.max_total)));
            }
        }
        if self.explanation_below_execution_rate < Decimal::ZERO {
            warnings.push(format!(
                "评分方案「{name}」的执行率说明阈值 {} 为负数",
                pct_plain(self.explanation_below_execution_rate)
            ));
        }
        if self.grades.is_empty() {
            warnings.push(format!("评分方案「{name}」未设置评价等级"));
        }
        warnings
    }

    /// The grade for a total: the band with the highest `min` not above it (bands in any order);
    /// below every band, the lowest band; none when there are no bands (`validate` warns).
    pub fn grade_for(&self, total: Decimal) -> Option<Grade> {
        let best = self
            .grades
            .iter()
            .filter(|b| total >= b.min)
            .max_by(|a, b| a.min.cmp(&b.min))
            .or_else(|| self.grades.iter().min_by(|a, b| a.min.cmp(&b.min)));
        best.map(|b| b.grade)
    }
}

mod level1_weights_serde {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct EntryRef<'a> {
        name: &'a str,
        weight: &'a Decimal,
    }

    #[derive(Deserialize)]
    struct Entry {
        name: String,
        weight: Decimal,
    }

    pub fn serialize<S: Serializer>(v: &[(String, Decimal)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|(name, weight)| EntryRef { name, weight }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Decimal)>, D::Error> {
        Ok(Vec::<Entry>::deserialize(d)?.into_iter().map(|e| (e.name, e.weight)).collect())
    }
}
