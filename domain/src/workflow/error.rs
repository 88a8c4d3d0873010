//! Why a transition is refused. Every message is Chinese and meant for the user.

use super::model::{ActionKind, Phase, Role, Status};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why an actor may not act on a project at all, or may not take this kind of action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    /// A 部门填报人员 and a project of another department. Says nothing about that project.
    OtherDepartment,
    /// A 部门填报人员 whose account has no department.
    NoDepartment,
    /// The role never takes this action (e.g. 财政局 editing department content).
    Role { role: Role },
}

impl Denial {
    fn message(&self, phase: Phase, action: ActionKind) -> String {
        match self {
            Denial::OtherDepartment => "只能查看和办理本部门的项目".to_owned(),
            Denial::NoDepartment => "当前账号未关联部门，不能查看或办理项目，请联系系统管理员".to_owned(),
            Denial::Role { role } => format!("{}不能执行“{}”操作", role.label(), action.label_in(phase)),
        }
    }
}

/// A refused transition. The phase's status is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The actor's role or department does not allow this. Checked first, so a refused user
    /// learns nothing about the project's state.
    #[error("{}", denial.message(*phase, *action))]
    Forbidden { phase: Phase, action: ActionKind, denial: Denial },
    /// The action does not apply in the current status.
    #[error("{}当前为“{}”，不能{}", phase.label(), from.label(), action.label_in(*phase))]
    InvalidTransition { phase: Phase, from: Status, action: ActionKind },
    /// 退回 / 重新打开 without a (non-blank) reason. (Their labels are the same in every phase.)
    #[error("{}须填写原因", action.label())]
    ReasonRequired { action: ActionKind },
    /// The reason is longer than allowed.
    #[error("{}原因不能超过{max}字（当前{len}字）", action.label())]
    ReasonTooLong { action: ActionKind, max: usize, len: usize },
    /// 提交 while the domain rules do not hold; one Chinese sentence per problem.
    #[error("不满足提交条件：{}", problems.join("；"))]
    RulesNotMet { problems: Vec<String> },
    /// 已批复 / 已审阅 / 已评定: no editing or submitting until the finance bureau reopens it.
    #[error("{}已处于“{}”状态，内容已锁定；如需修改，须由财政局重新打开", phase.label(), status.label())]
    Locked { phase: Phase, status: Status },
    /// Only administrators manage departments, accounts and fiscal years.
    #[error("只有系统管理员可以进行此操作")]
    AdminOnly,
    /// A 调整 requested before the targets were approved.
    #[error("目标尚未批复：批复前请直接修改指标，无需申请调整")]
    TargetsNotApproved,
    /// A 调整 requested after 绩效自评 was submitted.
    #[error("绩效自评已提交，不能再调整绩效目标")]
    SelfEvaluationSubmitted,
    /// A re-score outside 财政复核中.
    #[error("绩效自评当前为“{}”，只有在“财政复核中”才能复核评分", status.label())]
    NotUnderReview { status: Status },
    #[error("意见内容不能为空")]
    EmptyComment,
    #[error("意见不能超过{max}字（当前{len}字）")]
    CommentTooLong { max: usize, len: usize },
}

impl Refusal {
    /// Whether the refusal is about who asks (role or department) rather than what or when:
    /// these answer "forbidden", the others "cannot be done now".
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Refusal::Forbidden { .. } | Refusal::AdminOnly)
    }
}

/// Why a sign-in was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum LoginRefusal {
    /// Unknown user or wrong password: deliberately the same message.
    #[error("用户名或密码错误")]
    InvalidCredentials,
    /// Too many failed attempts from this address or for this name (`LoginThrottle`); says
    /// nothing about whether the account exists.
    #[error("登录尝试过于频繁，请于{minutes_left}分钟后再试")]
    Throttled { minutes_left: i64 },
    #[error("账号已停用，请联系系统管理员")]
    Inactive,
}

/// "HH:MM" in Beijing time (UTC+8), the time users read.
pub fn beijing_hh_mm(t: DateTime<Utc>) -> String {
    (t + Duration::hours(8)).format("%H:%M").to_string()
}
