//! The whole workflow in one table. Read it row by row: in `phase`, from status `from`, action
//! `action` by one of the roles `by` leads to status `to`. Anything not listed is refused.
//!
//! Not visible in the table because it holds for every row:
//! - a 部门填报人员 acts only on projects of their own department (see
//!   [`crate::workflow::can_read`]); 财政局 and 系统管理员 see every project;
//! - 退回 and 重新打开 need a non-blank reason of at most [`crate::workflow::MAX_REASON_CHARS`]
//!   characters; 提交 needs a passed [`crate::workflow::SubmitCheck`];
//! - 修改 keeps the status; 已批复 / 已审阅 / 已评定 are locked until 重新打开;
//! - 运行监控 and 绩效自评 can only be worked on once 目标申报 is 已批复
//!   ([`crate::workflow::phase_available`], checked by the caller, who knows that status).

use super::model::{ActionKind, Phase, Role, Roles, Status};
use serde::{Deserialize, Serialize};

/// One allowed transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub phase: Phase,
    pub from: Status,
    pub action: ActionKind,
    pub by: Roles,
    pub to: Status,
}

const fn t(phase: Phase, from: Status, action: ActionKind, by: Roles, to: Status) -> Transition {
    Transition { phase, from, action, by, to }
}

use ActionKind::{Approve, Edit, Reopen, Return, StartReview, Submit};
use Phase::{Declaration, Monitoring, SelfEvaluation};
use Status::{Approved, Draft, Filling, Rated, Returned, Reviewed, Submitted, UnderReview};

const DEPT: Roles = Roles::DEPARTMENT;
const DEPT_ADMIN: Roles = Roles::DEPARTMENT_ADMIN;
const FIN_ADMIN: Roles = Roles::FINANCE_ADMIN;

/// Every allowed transition. At most one row per (phase, from, action).
#[rustfmt::skip]
pub const TRANSITIONS: &[Transition] = &[
    //  phase           from         action       by          to
    // 目标申报: 草稿 → 已提交 → 已批复 | 退回 (退回 is edited and submitted again)
    t(Declaration,    Draft,       Edit,        DEPT_ADMIN, Draft),
    t(Declaration,    Draft,       Submit,      DEPT,       Submitted),
    t(Declaration,    Returned,    Edit,        DEPT_ADMIN, Returned),
    t(Declaration,    Returned,    Submit,      DEPT,       Submitted),
    t(Declaration,    Submitted,   Approve,     FIN_ADMIN,  Approved),    // 批复
    t(Declaration,    Submitted,   Return,      FIN_ADMIN,  Returned),
    t(Declaration,    Approved,    Reopen,      FIN_ADMIN,  Draft),

    // 运行监控: 填报中 → 已提交 → 已审阅 | 退回 (退回 works like 填报中)
    t(Monitoring,     Filling,     Edit,        DEPT_ADMIN, Filling),
    t(Monitoring,     Filling,     Submit,      DEPT,       Submitted),
    t(Monitoring,     Returned,    Edit,        DEPT_ADMIN, Returned),
    t(Monitoring,     Returned,    Submit,      DEPT,       Submitted),
    t(Monitoring,     Submitted,   Approve,     FIN_ADMIN,  Reviewed),    // 审阅
    t(Monitoring,     Submitted,   Return,      FIN_ADMIN,  Returned),
    t(Monitoring,     Reviewed,    Reopen,      FIN_ADMIN,  Filling),

    // 绩效自评: 草稿 → 已提交 → 财政复核中 → 已评定 | 退回
    t(SelfEvaluation, Draft,       Edit,        DEPT_ADMIN, Draft),
    t(SelfEvaluation, Draft,       Submit,      DEPT,       Submitted),
    t(SelfEvaluation, Returned,    Edit,        DEPT_ADMIN, Returned),
    t(SelfEvaluation, Returned,    Submit,      DEPT,       Submitted),
    t(SelfEvaluation, Submitted,   StartReview, FIN_ADMIN,  UnderReview),
    t(SelfEvaluation, Submitted,   Return,      FIN_ADMIN,  Returned),    // 未进入复核即退回
    t(SelfEvaluation, UnderReview, Approve,     FIN_ADMIN,  Rated),       // 评定
    t(SelfEvaluation, UnderReview, Return,      FIN_ADMIN,  Returned),
    t(SelfEvaluation, Rated,       Reopen,      FIN_ADMIN,  Draft),
];

/// The row for `(phase, from, action)`, if any.
pub fn find(phase: Phase, from: Status, action: ActionKind) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.phase == phase && t.from == from && t.action == action)
}

/// Whether `role` may perform `action` in at least one row of the table.
pub fn role_ever_may(role: Role, action: ActionKind) -> bool {
    TRANSITIONS.iter().any(|t| t.action == action && t.by.contains(role))
}
