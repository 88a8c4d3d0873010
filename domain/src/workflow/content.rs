//! Rules for the content of each phase beyond the transition table: mid-year 调整 of approved
//! targets, the 运行监控 entries and what submitting them requires, the finance bureau's
//! re-scores, and comments.

use super::error::{Denial, Refusal};
use super::model::{ActionKind, Actor, Phase, Role, Status, SubmitCheck};
use super::rules::scope;
pub use crate::vocab::{DeviationCategory, Likelihood};
use serde::{Deserialize, Serialize};

impl Likelihood {
    /// §5: 有可能 / 完全不可能 need 偏差原因 and 纠偏措施.
    pub fn needs_explanation(self) -> bool {
        !matches!(self, Likelihood::Certain)
    }
}

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
    s.as_deref().is_none_or(|s| s.trim().is_empty())
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
    SubmitCheck {
        weights_ok: true,
        weight_problems: Vec::new(),
        missing_explanations: missing,
        other_problems: problems,
    }
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
        return Err(Refusal::TargetsNotApproved);
    }
    if !matches!(self_evaluation, Status::Draft | Status::Returned) {
        return Err(Refusal::SelfEvaluationSubmitted);
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
        return Err(Refusal::NotUnderReview { status: self_evaluation });
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
        Err(Refusal::EmptyComment)
    } else if len > MAX_COMMENT_CHARS {
        Err(Refusal::CommentTooLong { max: MAX_COMMENT_CHARS, len })
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

    fn row(
        name: &str,
        progress: Option<&str>,
        l: Option<Likelihood>,
        reason: Option<&str>,
        action: Option<&str>,
    ) -> MonitoringRow {
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
        for &l in Likelihood::ALL {
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
            ["“a”未填写1–7月执行情况", "“b”未选择完成目标可能性", "“c”须填写偏差原因分析及改进措施",]
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
        assert!(matches!(
            can_propose_adjustment(&fin, 7, Status::Approved, Status::Draft),
            Err(Refusal::Forbidden { .. })
        ));
        assert_eq!(can_propose_adjustment(&dept, 7, Status::Draft, Status::Draft), Err(Refusal::TargetsNotApproved));
        assert_eq!(
            can_propose_adjustment(&dept, 7, Status::Approved, Status::Submitted),
            Err(Refusal::SelfEvaluationSubmitted)
        );
        assert!(can_decide_adjustment(&fin).is_ok());
        assert!(can_decide_adjustment(&admin).is_ok());
        assert!(matches!(can_decide_adjustment(&dept), Err(Refusal::Forbidden { .. })));
    }

    #[test]
    fn rescore_only_by_finance_during_review() {
        let fin = actor(Role::Finance, None);
        assert!(can_rescore(&fin, Status::UnderReview).is_ok());
        assert!(can_rescore(&actor(Role::Admin, None), Status::UnderReview).is_ok());
        assert!(matches!(
            can_rescore(&actor(Role::Department, Some(1)), Status::UnderReview),
            Err(Refusal::Forbidden { .. })
        ));
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
        assert!(matches!(
            validate_comment(&actor(Role::Department, None), 7, "x"),
            Err(Refusal::Forbidden { denial: Denial::NoDepartment, .. })
        ));
        assert!(validate_comment(&actor(Role::Finance, None), 8, "x").is_ok());
        assert!(validate_comment(&dept, 7, " \n ").is_err());
        assert!(validate_comment(&dept, 7, &"长".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
