//! The data types of the 指标值 grammar: what a parsed target or actual value is, and what was
//! assumed or looks suspicious while reading it.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How the actual value must relate to the target. Serialised as its symbol ("≥", ">", "=", "≤", "<").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = "<")]
    Lt,
}

impl Comparator {
    pub fn symbol(&self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Gt => ">",
            Comparator::Eq => "=",
            Comparator::Le => "≤",
            Comparator::Lt => "<",
        }
    }

    /// 反向 indicators (≤, <): the lower the actual value, the better.
    pub fn is_reverse(&self) -> bool {
        matches!(self, Comparator::Le | Comparator::Lt)
    }

    /// Reads the content of a separate 指标性质 / 指标方向 / 计算符号 column: a symbol or word
    /// ("≥", "大于等于", "不超过" …) or a direction (正向 → ≥, 反向 → ≤). The whole text must be
    /// the comparator.
    pub fn parse(text: &str) -> Option<Comparator> {
        let (norm, _) = super::grammar::normalise(text);
        let compact: String = norm.chars().filter(|c| *c != ' ').collect();
        let compact = compact.strip_suffix("指标").unwrap_or(&compact);
        match compact {
            "正向" => Some(Comparator::Ge),
            "反向" => Some(Comparator::Le),
            other => super::grammar::comparator_word(other),
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// What a unit measures. Values only compare within one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 个, 人, 人次, 户, 次, 场, 座, 条 … (and 万人, 万人次 …)
    Count,
    /// %, 百分比
    Percent,
    /// 元, 万元, 亿元
    Money,
    /// 天, 月, 年, 小时 … (only the same unit compares)
    Duration,
    /// A calendar date (values of [`ValueKind::Date`]); no unit text maps here.
    Date,
    /// Anything else: 米, 亩, 吨, 百分点, or a unit the table does not know.
    Other,
}

/// A unit as written after the number, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Normalised unit text without period: "个", "%", "万元", "元", "人次", "天".
    pub symbol: String,
    pub dimension: Dimension,
    /// Factor to the dimension's base unit: 元 = 1, 万元 = 10000, 亿元 = 100000000, % = 1,
    /// 个 = 1, 万人 = 10000 (base 人). Durations are 1: they only compare with the same symbol.
    pub scale: Decimal,
    /// A per-something suffix kept verbatim: "/年", "/人·月", "/人", "/次".
    pub period: Option<String>,
}

/// A number with its unit (if one was written or given by the 计量单位 column).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Option<Unit>,
}

impl Quantity {
    /// The value in the dimension's base unit (2 万元 → 20000), `None` on overflow.
    pub fn base_value(&self) -> Option<Decimal> {
        match &self.unit {
            Some(unit) => self.value.checked_mul(unit.scale),
            None => Some(self.value),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)?;
        if let Some(unit) = &self.unit {
            write!(f, "{unit}")?;
        }
        Ok(())
    }
}

/// What a 指标值 says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// "≥95%", "≤40000 元/年", "1座".
    Quantity { comparator: Comparator, quantity: Quantity },
    /// "80-90%", "80%～90%", "3至5个".
    Range { low: Quantity, high: Quantity },
    /// A deadline or date: "2021年12月31日前" (≤), "2021-12-31", an Excel serial in a date column.
    Date { comparator: Comparator, date: NaiveDate },
    /// A phrase: 有效保障, 效果明显, 显著提升, 完成, 达成年度指标, or a date without a year ("12月底前").
    Qualitative { phrase: String },
    /// "/", "—", "无", "不适用": the indicator does not apply.
    NotApplicable,
    /// "**", "XX", "……", "≥**%", "**人": a template that was never filled in.
    Placeholder,
    /// Cannot be read; the message says why (in Chinese).
    Invalid { message: String },
}

/// Something that was assumed or looks suspicious while reading a value. Never silent: each has a
/// Chinese explanation for the user ([`Flag::message`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// No comparator written; chosen from the category (成本 → ≤, else =).
    ComparatorAssumed,
    /// Comparator taken from a separate 指标性质 / 指标方向 column.
    ComparatorFromColumn,
    /// "292%" read as ≥92%, "二95%" as ≥95%.
    OcrComparator {
        original: String,
    },
    Placeholder,
    /// "44,561" in a date context, read as 2021-12-31.
    ExcelDateSerial {
        serial: u32,
    },
    NotApplicable,
    /// ≤ or < on a rate or 满意度 that should rise.
    ReverseOnRisingRate,
    FullWidthNormalised,
    /// "40,000".
    ThousandsSeparator,
    /// "968.191 8".
    SpaceInsideNumber,
    /// "年度资金支付完成率100%": the value was split off the indicator name.
    ValueGluedToName,
    /// An actual of 0.95 against a % target: 95% or 0.95%?
    AmbiguousFraction,
}

impl Flag {
    /// The explanation shown to the user (zh-CN).
    pub fn message(&self) -> String {
        match self {
            Flag::ComparatorAssumed => {
                "指标值未写比较符号，已按指标类别推定（成本指标按“≤”，其他按“=”），请核对".to_owned()
            }
            Flag::ComparatorFromColumn => "比较符号取自单独的“指标性质/指标方向”列".to_owned(),
            Flag::OcrComparator { original } => {
                format!("“{original}”开头的“2”或“二”疑为“≥”的识别错误，已按“≥”读取，请核对")
            }
            Flag::Placeholder => "指标值是未填写的占位符（如“**”“XX”“……”），没有可用的数值".to_owned(),
            Flag::ExcelDateSerial { serial } => match super::date::excel_serial_to_date(*serial) {
                Some(date) => format!("“{serial}”是 Excel 日期序号，已换算为 {}", date.format("%Y年%m月%d日")),
                None => format!("“{serial}”疑为 Excel 日期序号，但无法换算为日期"),
            },
            Flag::NotApplicable => "指标值为“/”等，表示该指标不适用，不参与评分".to_owned(),
            Flag::ReverseOnRisingRate => "比率或满意度类指标通常越高越好，却使用了“≤”或“<”，请核对比较符号".to_owned(),
            Flag::FullWidthNormalised => "指标值中的全角数字或符号已转换为半角".to_owned(),
            Flag::ThousandsSeparator => "数值中的千位分隔符“,”已去除".to_owned(),
            Flag::SpaceInsideNumber => "数值中间有空格，已按连续数字读取，请核对".to_owned(),
            Flag::ValueGluedToName => "指标值与指标名称连在一起，已从名称中拆分出指标值".to_owned(),
            Flag::AmbiguousFraction => {
                "目标值是百分比，实际值却是不大于 1 的小数（如 0.95），无法确定是 95% 还是 0.95%，请核对".to_owned()
            }
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// A parsed 指标值: the text as given, what it says, and what was assumed on the way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub raw: String,
    pub kind: ValueKind,
    pub flags: Vec<Flag>,
}

impl Target {
    /// The comparator of a quantity or date value.
    pub fn comparator(&self) -> Option<Comparator> {
        match &self.kind {
            ValueKind::Quantity { comparator, .. } | ValueKind::Date { comparator, .. } => Some(*comparator),
            _ => None,
        }
    }

    /// The quantity of a single-number value.
    pub fn quantity(&self) -> Option<&Quantity> {
        match &self.kind {
            ValueKind::Quantity { quantity, .. } => Some(quantity),
            _ => None,
        }
    }

    pub fn has_flag(&self, flag: &Flag) -> bool {
        self.flags.contains(flag)
    }
}

/// What the table says around a value; every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetContext {
    /// 二级/三级 category: "成本指标", "数量指标", "满意度指标", "时效指标" …
    pub category: Option<String>,
    /// The 三级 indicator name ("受益群众满意度"), used for rate checks, dates and glued values.
    pub indicator_name: Option<String>,
    /// A separate 指标性质 / 指标方向 column: "≥" "≤" "=" "正向" "反向" "大于等于" …
    /// When a table has both (正向/反向 and "="), pass the 指标性质 (正向/反向).
    pub comparator_column: Option<String>,
    /// A separate 计量单位 column: "%", "万元", "个".
    pub unit_column: Option<String>,
}
