//! What a form, a file or a command may contain: the checks on text and numbers every write
//! applies, and [`Invalid`], the refusal of content, with a variant per reason carrying its
//! fields. Messages are rendered from the variant in one place (`Display`).

use crate::vocab::{ActionKind, Field, Phase, Role};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The largest amount (万元) or score accepted.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// Content that cannot be stored as given; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Invalid {
    #[error("{}", required(*field))]
    Required { field: Field },
    #[error("{}", too_long(*field, *max, *len))]
    TooLong { field: Field, max: usize, len: usize },
    #[error("{}至少需要{min}个字符", field.label())]
    TooShort { field: Field, min: usize },
    #[error("“{}”不能含控制字符", field.label())]
    ControlCharacters { field: Field },
    #[error("“{}”应为数字，而不是“{text}”", field.label())]
    NotANumber { field: Field, text: String },
    #[error("“{}”不能为负数", field.label())]
    Negative { field: Field },
    #[error("“{}”数值过大", field.label())]
    TooLarge { field: Field },
    #[error("{}不能超过{max}", field.label())]
    AboveMax { field: Field, max: Decimal },
    /// A 指标值 or 实际完成值 the value grammar cannot read.
    #[error("指标“{indicator}”的{}“{text}”无法识别：{message}", field.label())]
    Unreadable { field: Field, indicator: String, text: String, message: String },
    #[error("指标“{indicator}”的指标值“{text}”是未填写的占位符")]
    Placeholder { indicator: String, text: String },
    #[error("指标“{indicator}”的得分 {score} 超过分值 {weight}")]
    ScoreAboveWeight { indicator: String, score: Decimal, weight: Decimal },
    #[error("指标“{indicator}”的复核得分须在 0 到 {max} 之间")]
    RescoreOutOfRange { indicator: String, max: Decimal },
    /// A spreadsheet import that was undone already.
    #[error("该次导入已撤销")]
    AlreadyReverted,
    #[error("复核评分须填写理由（不超过{max}字）")]
    RescoreReasonRequired { max: usize },
    /// 运行监控 / 绩效自评 before the targets are approved.
    #[error("{}须在目标申报批复后才能{}", phase.label(), if *action == ActionKind::Edit { "填报" } else { "办理" })]
    PhaseUnavailable { phase: Phase, action: ActionKind },
    #[error("目标调整须填写调整原因（不超过{max}字）")]
    AdjustmentReasonRequired { max: usize },
    #[error("已有一项目标调整在等待财政局审核，请等待处理后再申请")]
    AdjustmentPending,
    #[error("调整的指标不属于该项目")]
    NotInProject,
    #[error("调整后的指标值与现行目标相同，无需调整")]
    NothingToAdjust,
    #[error("不同意调整须填写理由")]
    RejectionNoteRequired,
    #[error("该目标调整已处理过，请刷新页面")]
    AlreadyDecided,
    #[error("年度 {year} 不在 2000–2100 之间")]
    YearOutOfRange { year: i32 },
    #[error("“{}”应为日期（如 2021-06-30），而不是“{text}”", field.label())]
    NotADate { field: Field, text: String },
    #[error("“{}”应在{fiscal_year}年或{}年内", field.label(), fiscal_year + 1)]
    DateOutsideYear { field: Field, fiscal_year: i32 },
    #[error("{year} 年度尚未设立，请联系系统管理员新增该年度")]
    YearNotOpen { year: i32 },
    #[error("{}", duplicate(*field, value))]
    Duplicate { field: Field, value: String },
    #[error("{}", unknown_reference(*field))]
    UnknownReference { field: Field },
    #[error("部门填报人员必须选择所属部门")]
    DepartmentRequired,
    #[error("{}不属于任何部门，请不要选择部门", role.label())]
    DepartmentNotAllowed { role: Role },
    #[error("不能停用自己的账号")]
    CannotDeactivateSelf,
    #[error("文本中没有找到绩效目标表（应有“项目支出绩效目标表”之类的标题）")]
    NoTables,
    #[error("“{title}”缺少项目名称")]
    MissingProjectName { title: String },
    #[error("项目“{project}”缺少主管部门（预算单位）")]
    MissingDepartment { project: String },
    #[error("项目“{project}”缺少年度（表头应有“（2021年）”之类的年度）")]
    MissingYear { project: String },
    #[error("{year} 年度“{department}”的项目“{project}”已存在，未重复导入")]
    DuplicateProject { year: i32, department: String, project: String },
    #[error("用户名只能包含字母、数字、汉字和 . _ -（不能有空格或其他符号）")]
    UsernameCharacters,
    #[error("密码须同时包含字母和数字，且不能与用户名相同")]
    WeakPassword,
    #[error("“{level1}”下没有二级指标“{level2}”，请从列出的指标类别中选择")]
    UnknownLevel { level1: String, level2: String },
}

fn required(field: Field) -> String {
    match field {
        Field::Username | Field::DisplayName | Field::Password => format!("{}不能为空", field.label()),
        _ => format!("“{}”不能为空", field.label()),
    }
}

fn too_long(field: Field, max: usize, len: usize) -> String {
    match field {
        Field::Username => format!("用户名不能超过{max}个字符，且不能含控制字符"),
        Field::DisplayName | Field::Password => format!("{}不能超过{max}个字符", field.label()),
        _ => format!("“{}”不能超过{max}字（当前{len}字）", field.label()),
    }
}

fn duplicate(field: Field, value: &str) -> String {
    match field {
        Field::Year => format!("{value} 年度已存在"),
        Field::Username => format!("用户名“{value}”已被使用，请换一个用户名"),
        Field::Name => format!("部门“{value}”已存在"),
        other => format!("{}“{value}”已存在", other.label()),
    }
}

fn unknown_reference(field: Field) -> String {
    match field {
        Field::ParentId => "所选主管部门不存在".to_owned(),
        Field::Department => "所选部门不存在".to_owned(),
        other => format!("所选{}不存在", other.label()),
    }
}

/// Trimmed text, `None` when blank; refused when longer than `max` characters.
pub fn text(value: Option<&str>, field: Field, max: usize) -> Result<Option<String>, Invalid> {
    let Some(t) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let len = t.chars().count();
    if len > max {
        return Err(Invalid::TooLong { field, max, len });
    }
    Ok(Some(t.to_owned()))
}

/// Required text: like [`text`], but blank is refused.
pub fn required_text(value: &str, field: Field, max: usize) -> Result<String, Invalid> {
    text(Some(value), field, max)?.ok_or(Invalid::Required { field })
}

/// An amount (万元) or score that may not be negative nor absurdly large; normalised.
pub fn non_negative(value: Option<Decimal>, field: Field) -> Result<Option<Decimal>, Invalid> {
    match value {
        Some(v) if v < Decimal::ZERO => Err(Invalid::Negative { field }),
        Some(v) if v > Decimal::from(MAX_AMOUNT) => Err(Invalid::TooLarge { field }),
        other => Ok(other.map(|v| v.normalize())),
    }
}

/// Reads a number typed into a form (万元, 分值, 得分): blank is `None`; full-width digits,
/// thousands separators and surrounding spaces are accepted; anything else is refused naming
/// `field` (the text quoted back is cut to 40 characters).
pub fn number(field: Field, text: &str) -> Result<Option<Decimal>, Invalid> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<Decimal>()
        .map(|d| Some(d.normalize()))
        .map_err(|_| Invalid::NotANumber { field, text: text.trim().chars().take(40).collect() })
}

/// The form a username is stored and looked up in: trimmed, full-width letters and digits as
/// half-width, lower case — so `AKQI`, `ａｋｑｉ` and `akqi` are one account.
pub fn username_key(typed: &str) -> String {
    typed
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A new account's username, normalised by [`username_key`]: 1–`max` letters, digits, Chinese
/// characters and `. _ -`.
pub fn new_username(typed: &str, max: usize) -> Result<String, Invalid> {
    let name = username_key(typed);
    let len = name.chars().count();
    if len == 0 {
        return Err(Invalid::Required { field: Field::Username });
    }
    if len > max {
        return Err(Invalid::TooLong { field: Field::Username, max, len });
    }
    if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err(Invalid::UsernameCharacters);
    }
    Ok(name)
}

/// The rules for a new password: `min`–`max` characters, at least one letter and one digit, and
/// not the username itself.
pub fn new_password(password: &str, username: &str, min: usize, max: usize) -> Result<(), Invalid> {
    let len = password.chars().count();
    if len < min {
        return Err(Invalid::TooShort { field: Field::Password, min });
    }
    if len > max {
        return Err(Invalid::TooLong { field: Field::Password, max, len });
    }
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !has_letter || !has_digit || username_key(password) == username_key(username) {
        return Err(Invalid::WeakPassword);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(number(Field::Weight, " 1,234.50 "), Ok(Some(dec!(1234.5))));
        assert_eq!(number(Field::Weight, "１２．５"), Ok(Some(dec!(12.5))));
        assert_eq!(number(Field::Weight, "  "), Ok(None));
        let e = number(Field::BudgetFullYear, "十万").unwrap_err();
        assert_eq!(e.to_string(), "“全年预算数”应为数字，而不是“十万”");
        let long = "x".repeat(1000);
        assert!(
            number(Field::Weight, &long).unwrap_err().to_string().chars().count() < 80,
            "echoes at most 40 characters"
        );
    }

    #[test]
    fn texts_and_amounts() {
        assert_eq!(text(Some("  a "), Field::Evidence, 3), Ok(Some("a".into())));
        assert_eq!(text(Some("   "), Field::Evidence, 3), Ok(None));
        assert_eq!(text(Some("abcd"), Field::Evidence, 3).unwrap_err().to_string(), "“佐证材料”不能超过3字（当前4字）");
        assert_eq!(required_text(" ", Field::TargetText, 9).unwrap_err().to_string(), "“指标值”不能为空");
        assert_eq!(required_text("", Field::Username, 9).unwrap_err().to_string(), "用户名不能为空");
        assert_eq!(non_negative(Some(dec!(-1)), Field::Weight).unwrap_err().to_string(), "“分值”不能为负数");
        assert_eq!(non_negative(Some(dec!(1e10)), Field::Weight), Err(Invalid::TooLarge { field: Field::Weight }));
        assert_eq!(non_negative(Some(dec!(2.50)), Field::Weight), Ok(Some(dec!(2.5))));
    }

    #[test]
    fn messages_name_what_is_wrong() {
        let unavailable = Invalid::PhaseUnavailable { phase: Phase::Monitoring, action: ActionKind::Edit };
        assert_eq!(unavailable.to_string(), "运行监控须在目标申报批复后才能填报");
        let unavailable = Invalid::PhaseUnavailable { phase: Phase::Monitoring, action: ActionKind::Submit };
        assert_eq!(unavailable.to_string(), "运行监控须在目标申报批复后才能办理");
        assert_eq!(Invalid::Duplicate { field: Field::Year, value: "2021".into() }.to_string(), "2021 年度已存在");
        assert_eq!(Invalid::UnknownReference { field: Field::ParentId }.to_string(), "所选主管部门不存在");
    }

    #[test]
    fn usernames_are_one_account_whatever_the_case_or_width() {
        assert_eq!(username_key(" AKQI "), "akqi");
        assert_eq!(username_key("ａｋｑｉ"), "akqi");
        assert_eq!(username_key("ＡＫＱＩ"), "akqi");
        assert_eq!(new_username("Zhang.San_1", 64), Ok("zhang.san_1".into()));
        assert_eq!(new_username("张三", 64), Ok("张三".into()));
        assert_eq!(new_username("  ", 64), Err(Invalid::Required { field: Field::Username }));
        for bad in ["a b", "a\u{0}b", "=cmd", "a/b", "a\tb", "<script>"] {
            assert_eq!(new_username(bad, 64), Err(Invalid::UsernameCharacters), "{bad:?}");
        }
        assert!(matches!(new_username(&"a".repeat(65), 64), Err(Invalid::TooLong { .. })));
    }

    #[test]
    fn passwords_need_a_letter_a_digit_and_not_the_username() {
        assert_eq!(new_password("correct horse 1", "alice", 8, 128), Ok(()));
        assert_eq!(new_password("jiaoyu-pass-1", "jiaoyu", 8, 128), Ok(()));
        assert_eq!(new_password("Teacher2026", "teacher2026", 8, 128), Err(Invalid::WeakPassword));
        assert_eq!(new_password("onlyletters", "bob", 8, 128), Err(Invalid::WeakPassword));
        assert_eq!(new_password("12345678", "bob", 8, 128), Err(Invalid::WeakPassword));
        assert_eq!(new_password("short1", "bob", 8, 128), Err(Invalid::TooShort { field: Field::Password, min: 8 }));
        assert!(matches!(new_password(&"a1".repeat(65), "bob", 8, 128), Err(Invalid::TooLong { .. })));
    }
}
