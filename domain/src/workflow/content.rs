//! Rules for the content of each phase beyond the transition table: mid-year 调整 of approved
//! targets, the 运行监控 entries and what submitting them requires, the finance bureau's
//! re-scores, and comments.

use super::error::{Denial, Refusal};
use super::model::{ActionKind, Actor, Phase, Role, Status, SubmitCheck};
use super::rules::scope;
use serde::{Deserialize, Serialize};

/// 完成目标可能性 (运行监控).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// 确定能
    Certain,
    /// 有可能
    Possible,
    /// 完全不可能
    Impossible,
}

impl Likelihood {
    pub const ALL: [Likelihood; 3] = [Likelihood::Certain, Likelihood::Possible, Likelihood::Impossible];

    pub fn label(self) -> &'static str {
        match self {
            Likelihood::Certain => "确定能",
            Likelihood::Possible => "有可能",
            Likelihood::Impossible => "完全不可能",
        }
    }

    /// The stored key: certain / possible / impossible.
    pub fn key(self) -> &'static str {
        match self {
            Likelihood::Certain => "certain",
            Likelihood::Possible => "possible",
            Likelihood::Impossible => "impossible",
        }
    }

    /// Reads a key or a label (as a spreadsheet writes it).
    pub fn parse(text: &str) -> Option<Likelihood> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Likelihood::ALL.into_iter().find(|l| l.key() == t || l.label() == t || (t == "不可能" && *l == Likelihood::Impossible))
    }

    /// §5: 有可能 / 完全不可能 need 偏差原因 and 纠偏措施.
    pub fn needs_explanation(self) -> bool {
        !matches!(self, Likelihood::Certain)
    }
}

/// 偏差原因分析 categories of the 绩效运行监控表.
pub const DEVIATION_CATEGORIES: [&str; 5] = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"];

/// One indicator's 运行监控 entry as the submit check sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringRow {
    pub name: String,
    pub progress: Option<String>,
    pub likelihood: Option<Likelihood>,
    pub deviation_reason: Option<String>,
    pub corrective_action: Option<String>,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().map_or(true, |s| s.trim().is_empty())
}

/// What submitting 运行监控 requires: every indicator has its 1–7月执行情况 and 完成目标可能性,
/// and each 有可能 / 完全不可能 has both 偏差原因 and 纠偏措施.
pub fn monitoring_check(rows: &[MonitoringRow]) -> SubmitCheck {
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    if rows.is_empty() {
        problems.push("项目没有绩效指标，无法填报运行监控".to_owned());
    }
    for row in rows {
        if blank(&row.progress) {
            problems.push(format!("“{}”未填写1–7月执行情况", row.name));
        }
        match row.likelihood {
            None => problems.push(format!("“{}”未选择完成目标可能性", row.name)),
            Some(l) if l.needs_explanation() && (blank(&row.deviation_reason) || blank(&row.corrective_action)) => {
                missing.push(row.name.clone());
            }
            Some(_) => {}
        }
    }
    SubmitCheck { weights_ok: true, weight_problems: Vec::new(), missing_explanations: missing, other_problems: problems }
}

/// A refusal that depends on the project's state rather than on who asks.
fn not_now(message: impl Into<String>) -> Refusal {
    Refusal::NotNow { message: message.into() }
}

fn scoped(actor: &Actor, department_id: i32, phase: Phase, action: ActionKind) -> Result<(), Refusal> {
    scope(actor, department_id).map_err(|denial| Refusal::Forbidden { phase, action, denial })
}

/// Whether `actor` may propose a mid-year 调整 of the approved targets: the project's own
/// department (or an admin), once 目标申报 is 已批复 and while 绩效自评 has not been submitted.
pub fn can_propose_adjustment(
    actor: &Actor,
    department_id: i32,
    declaration: Status,
    self_evaluation: Status,
) -> Result<(), Refusal> {
    scoped(actor, department_id, Phase::Declaration, ActionKind::Edit)?;
    if actor.role == Role::Finance {
        return Err(Refusal::Forbidden {
            phase: Phase::Declaration,
            action: ActionKind::Edit,
            denial: Denial::Role { role: Role::Finance },
        });
    }
    if declaration != Status::Approved {
        return Err(not_now("目标尚未批复：批复前请直接修改指标，无需申请调整"));
    }
    if !matches!(self_evaluation, Status::Draft | Status::Returned) {
        return Err(not_now("绩效自评已提交，不能再调整绩效目标"));
    }
    Ok(())
}

/// Whether `actor` may approve or reject a pending 调整: 财政局 and 系统管理员.
pub fn can_decide_adjustment(actor: &Actor) -> Result<(), Refusal> {
    match actor.role {
        Role::Finance | Role::Admin => Ok(()),
        Role::Department => Err(Refusal::Forbidden {
            phase: Phase::Declaration,
            action: ActionKind::Approve,
            denial: Denial::Role { role: Role::Department },
        }),
    }
}

/// Whether `actor` may re-score indicators (财政复核): 财政局 and 系统管理员, while 绩效自评 is
/// 财政复核中.
pub fn can_rescore(actor: &Actor, self_evaluation: Status) -> Result<(), Refusal> {
    if actor.role == Role::Department {
        return Err(Refusal::Forbidden {
            phase: Phase::SelfEvaluation,
            action: ActionKind::Approve,
            denial: Denial::Role { role: Role::Department },
        });
    }
    if self_evaluation != Status::UnderReview {
        return Err(not_now(format!(
            "绩效自评当前为“{}”，只有在“财政复核中”才能复核评分",
            self_evaluation.label(Phase::SelfEvaluation)
        )));
    }
    Ok(())
}

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A comment's text, trimmed, if `actor` may comment on a project of `department_id` (whoever
/// may read it) and the text is non-blank and not too long.
pub fn validate_comment<'a>(actor: &Actor, department_id: i32, body: &'a str) -> Result<&'a str, Refusal> {
    scoped(actor, department_id, Phase::Declaration, ActionKind::Edit)?;
    let body = body.trim();
    let len = body.chars().count();
    if len == 0 {
        Err(not_now("意见内容不能为空"))
    } else if len > MAX_COMMENT_CHARS {
        Err(not_now(format!("意见不能超过{MAX_COMMENT_CHARS}字（当前{len}字）")))
    } else {
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, department_id: Option<i32>) -> Actor {
        Actor { user_id: 1, role, department_id }
    }

    fn row(name: &str, progress: Option<&str>, l: Option<Likelihood>, reason: Option<&str>, action: Option<&str>) -> MonitoringRow {
        MonitoringRow {
            name: name.into(),
            progress: progress.map(Into::into),
            likelihood: l,
            deviation_reason: reason.map(Into::into),
            corrective_action: action.map(Into::into),
        }
    }

    #[test]
    fn likelihood_reads_keys_and_labels() {
        for l in Likelihood::ALL {
            assert_eq!(Likelihood::parse(l.key()), Some(l));
            assert_eq!(Likelihood::parse(l.label()), Some(l));
        }
        assert_eq!(Likelihood::parse(" 不可能 "), Some(Likelihood::Impossible));
        assert_eq!(Likelihood::parse("也许"), None);
    }

    #[test]
    fn monitoring_check_requires_progress_likelihood_and_explanations() {
        let ok = monitoring_check(&[
            row("a", Some("已完成"), Some(Likelihood::Certain), None, None),
            row("b", Some("完成60%"), Some(Likelihood::Possible), Some("资金未到位"), Some("加快拨付")),
        ]);
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let bad = monitoring_check(&[
            row("a", Some("  "), Some(Likelihood::Certain), None, None),
            row("b", Some("x"), None, None, None),
            row("c", Some("x"), Some(Likelihood::Impossible), Some("原因"), Some(" ")),
        ]);
        assert_eq!(
            bad.problems(),
            [
                "“a”未填写1–7月执行情况",
                "“b”未选择完成目标可能性",
                "“c”须填写偏差原因分析及改进措施",
            ]
        );
        assert!(!monitoring_check(&[]).problems().is_empty());
    }

    #[test]
    fn adjustment_rules() {
        let dept = actor(Role::Department, Some(7));
        let fin = actor(Role::Finance, None);
        let admin = actor(Role::Admin, None);
        assert!(can_propose_adjustment(&dept, 7, Status::Approved, Status::Draft).is_ok());
        assert!(can_propose_adjustment(&admin, 7, Status::Approved, Status::Returned).is_ok());
        assert!(matches!(
            can_propose_adjustment(&dept, 8, Status::Approved, Status::Draft),
            Err(Refusal::Forbidden { denial: Denial::OtherDepartment, .. })
        ));
        assert!(matches!(can_propose_adjustment(&fin, 7, Status::Approved, Status::Draft), Err(Refusal::Forbidden { .. })));
        assert!(matches!(can_propose_adjustment(&dept, 7, Status::Draft, Status::Draft), Err(Refusal::NotNow { .. })));
        assert!(matches!(can_propose_adjustment(&dept, 7, Status::Approved, Status::Submitted), Err(Refusal::NotNow { .. })));
        assert!(can_decide_adjustment(&fin).is_ok());
        assert!(can_decide_adjustment(&admin).is_ok());
        assert!(matches!(can_decide_adjustment(&dept), Err(Refusal::Forbidden { .. })));
    }

    #[test]
    fn rescore_only_by_finance_during_review() {
        let fin = actor(Role::Finance, None);
        assert!(can_rescore(&fin, Status::UnderReview).is_ok());
        assert!(can_rescore(&actor(Role::Admin, None), Status::UnderReview).is_ok());
        assert!(matches!(can_rescore(&actor(Role::Department, Some(1)), Status::UnderReview), Err(Refusal::Forbidden { .. })));
        for s in [Status::Draft, Status::Submitted, Status::Rated, Status::Returned] {
            let e = can_rescore(&fin, s).unwrap_err();
            assert!(e.to_string().contains("只有在“财政复核中”才能复核评分"), "{e}");
        }
    }

    #[test]
    fn comments_need_scope_and_text() {
        let dept = actor(Role::Department, Some(7));
        assert_eq!(validate_comment(&dept, 7, "  请补充佐证材料 "), Ok("请补充佐证材料"));
        assert!(matches!(validate_comment(&dept, 8, "x"), Err(Refusal::Forbidden { .. })));
        assert!(matches!(validate_comment(&actor(Role::Department, None), 7, "x"), Err(Refusal::Forbidden { denial: Denial::NoDepartment, .. })));
        assert!(validate_comment(&actor(Role::Finance, None), 8, "x").is_ok());
        assert!(validate_comment(&dept, 7, " \n ").is_err());
        assert!(validate_comment(&dept, 7, &"长".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
