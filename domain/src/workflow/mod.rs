//! The workflow of one project through the yearly cycle (domain-rules.md §1): who may do what,
//! in which status, and what status follows. Pure: no I/O, no clock; the caller stores the
//! status, the reason and the time.
//!
//! Three phases, each with its own status:
//! - 目标申报: 草稿 → 已提交 → 已批复, or 退回 (edited and submitted again);
//! - 运行监控: 填报中 → 已提交 → 已审阅, or 退回 (works like 填报中);
//! - 绩效自评: 草稿 → 已提交 → 财政复核中 → 已评定, or 退回.
//!
//! 已批复 / 已审阅 / 已评定 are locked until the finance bureau reopens the phase (with a reason)
//! back to 草稿 / 填报中. 运行监控 and 绩效自评 open only once 目标申报 is 已批复. A
//! 部门填报人员 acts only on their own department's projects, edits and submits; 财政局审核人员
//! read everything and review (退回 with a reason, 批复 / 审阅 / 评定, 开始复核, 重新打开) but
//! never edit department content; 系统管理员 may do what the finance bureau does, and edit.
//!
//! The complete table is [`TRANSITIONS`] in `table.rs`; [`transition`] refuses anything it does
//! not list, and [`allowed_actions`] / [`can_edit`] read the same table.

mod content;
mod error;
mod login;
mod model;
mod rules;
mod table;

#[cfg(test)]
mod tests;

pub use content::{
    can_decide_adjustment, can_propose_adjustment, can_rescore, monitoring_check, validate_comment, DeviationCategory,
    Likelihood, MonitoringRow, MAX_COMMENT_CHARS,
};
pub use error::{beijing_hh_mm, Denial, LoginRefusal, Refusal};
pub use login::{
    after_login, login_href, LoginThrottle, MAX_PER_ACCOUNT, MAX_PER_ADDRESS, MAX_PER_PAIR, WINDOW_MINUTES,
};
pub use model::{Action, ActionKind, Actor, Phase, Role, Roles, Status, SubmitCheck};
pub use rules::{
    allowed_actions, can_administer, can_edit, can_read, may_create_project, phase_available, require_admin,
    transition, validate_reason, MAX_REASON_CHARS,
};
pub use table::{Transition, TRANSITIONS};
