//! The vocabulary of the workflow: who acts ([`Role`], [`Actor`]), on which part of the cycle
//! ([`Phase`]), in which state ([`Status`]), doing what ([`Action`], [`ActionKind`]), and the
//! rule check a submission carries ([`SubmitCheck`]). The value sets themselves are declared in
//! [`crate::vocab`].

pub use crate::vocab::{ActionKind, Phase, Role, Status};
use serde::{Deserialize, Serialize};

/// The user who acts. `department_id` matters only for [`Role::Department`]; a department user
/// without one can read and do nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i32,
    pub role: Role,
    pub department_id: Option<i32>,
}

impl Phase {
    /// The statuses this phase goes through, initial first.
    pub fn statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            Phase::Declaration => &[Draft, Submitted, Approved, Returned],
            Phase::Monitoring => &[Filling, Submitted, Reviewed, Returned],
            Phase::SelfEvaluation => &[Draft, Submitted, UnderReview, Rated, Returned],
        }
    }
}

impl Status {
    /// The status a phase starts in: 填报中 for 运行监控, 草稿 otherwise.
    pub fn initial(phase: Phase) -> Status {
        match phase {
            Phase::Monitoring => Status::Filling,
            Phase::Declaration | Phase::SelfEvaluation => Status::Draft,
        }
    }

    /// 已批复 / 已审阅 / 已评定: nobody edits or submits until the finance bureau reopens it.
    pub fn is_locked(self) -> bool {
        matches!(self, Status::Approved | Status::Reviewed | Status::Rated)
    }
}

/// Something an actor asks to do with a phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 提交 to the finance bureau.
    Submit,
    /// 退回 to the department; the reason is required.
    Return { reason: String },
    /// 批复 (申报) / 审阅 (监控) / 评定 (自评).
    Approve,
    /// 开始复核: 已提交 → 财政复核中 (自评 only).
    StartReview,
    /// 重新打开 a locked phase back to 草稿 / 填报中; the reason is required.
    Reopen { reason: String },
    /// 修改 the phase's content (the status stays).
    Edit,
}

impl Action {
    /// The action without its data.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::Return { .. } => ActionKind::Return,
            Action::Approve => ActionKind::Approve,
            Action::StartReview => ActionKind::StartReview,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Edit => ActionKind::Edit,
        }
    }

    /// The reason carried by [`Action::Return`] and [`Action::Reopen`].
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Return { reason } | Action::Reopen { reason } => Some(reason),
            _ => None,
        }
    }
}

impl ActionKind {
    /// The button text in `phase`: [`ActionKind::Approve`] is 批复, 审阅 or 评定.
    pub fn label_in(self, phase: Phase) -> &'static str {
        match (self, phase) {
            (ActionKind::Approve, Phase::Monitoring) => "审阅",
            (ActionKind::Approve, Phase::SelfEvaluation) => "评定",
            (kind, _) => kind.label(),
        }
    }

    /// Whether the action must carry a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, ActionKind::Return | ActionKind::Reopen)
    }
}

/// The result of the domain rule checks a submission must pass, computed by the caller (weights
/// from the scoring profile, explanations per domain-rules.md §5) and passed to
/// [`crate::workflow::transition`] with [`Action::Submit`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitCheck {
    /// Whether every level's weights add up to its parent (and the total to the profile's).
    pub weights_ok: bool,
    /// Each weight problem, in Chinese, e.g. "产出指标下各三级指标分值之和为45，应为50".
    pub weight_problems: Vec<String>,
    /// The names of the indicators (or "预算执行率") whose 偏差原因分析 is required but empty.
    pub missing_explanations: Vec<String>,
    /// Any other content problem, one Chinese sentence each (a placeholder target, a missing
    /// 1–7月执行情况 …), shown as is.
    #[serde(default)]
    pub other_problems: Vec<String>,
}

impl SubmitCheck {
    /// A check that found nothing wrong.
    pub fn passed() -> SubmitCheck {
        SubmitCheck { weights_ok: true, ..SubmitCheck::default() }
    }

    /// Every problem, one Chinese sentence each; empty when the submission may go ahead.
    pub fn problems(&self) -> Vec<String> {
        let trimmed = |list: &[String]| -> Vec<String> {
            list.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(str::to_owned).collect()
        };
        let mut problems = trimmed(&self.other_problems);
        let weight_problems = trimmed(&self.weight_problems);
        if !self.weights_ok && weight_problems.is_empty() {
            problems.push("各级指标分值之和不符合要求，请检查分值设置".to_owned());
        }
        problems.extend(weight_problems.into_iter().map(|p| format!("分值设置有误：{p}")));
        problems.extend(
            self.missing_explanations.iter().map(|name| format!("“{}”须填写偏差原因分析及改进措施", name.trim())),
        );
        problems
    }
}

/// A set of roles, as the transition table lists who may act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Roles {
    pub admin: bool,
    pub finance: bool,
    pub department: bool,
}

impl Roles {
    /// 部门填报人员 (of the project's own department) only.
    pub const DEPARTMENT: Roles = Roles { admin: false, finance: false, department: true };
    /// 部门填报人员 (own department) and 系统管理员.
    pub const DEPARTMENT_ADMIN: Roles = Roles { admin: true, finance: false, department: true };
    /// 财政局审核人员 and 系统管理员.
    pub const FINANCE_ADMIN: Roles = Roles { admin: true, finance: true, department: false };

    pub fn contains(self, role: Role) -> bool {
        match role {
            Role::Admin => self.admin,
            Role::Finance => self.finance,
            Role::Department => self.department,
        }
    }
}
