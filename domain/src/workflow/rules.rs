//! The authorization rules and the transition function, all driven by [`super::TRANSITIONS`].

use super::error::{Denial, Refusal};
use super::model::{Action, ActionKind, Actor, Phase, Role, Status, SubmitCheck};
use super::table::{find, role_ever_may, Transition};

/// The longest reason (in characters, after trimming) a 退回 or 重新打开 may carry.
pub const MAX_REASON_CHARS: usize = 500;

/// Whether `actor` may see a project of department `project_department_id`: 财政局 and
/// 系统管理员 see all, a 部门填报人员 only their own department's.
pub fn can_read(actor: &Actor, project_department_id: i32) -> bool {
    scope(actor, project_department_id).is_ok()
}

/// Whether `actor` may change the content of `phase` in `status` (the [`ActionKind::Edit`] row
/// of the table).
pub fn can_edit(actor: &Actor, project_department_id: i32, phase: Phase, status: Status) -> bool {
    permitted(actor, project_department_id, phase, status, ActionKind::Edit).is_ok()
}

/// The actions `actor` may take on `phase` in `status`, in [`ActionKind::ALL`] order: the
/// buttons to show. An action listed here may still be refused for its data (a blank reason, a
/// failed [`SubmitCheck`]).
pub fn allowed_actions(actor: &Actor, project_department_id: i32, phase: Phase, status: Status) -> Vec<ActionKind> {
    ActionKind::ALL
        .iter()
        .copied()
        .filter(|&kind| permitted(actor, project_department_id, phase, status, kind).is_ok())
        .collect()
}

/// Whether `phase` can be worked on given the 目标申报 status: 运行监控 and 绩效自评 only once
/// the targets are 已批复.
pub fn phase_available(phase: Phase, declaration_status: Status) -> bool {
    match phase {
        Phase::Declaration => true,
        Phase::Monitoring | Phase::SelfEvaluation => declaration_status == Status::Approved,
    }
}

/// The status after `actor` performs `action` on `phase` (currently `current`) of a project of
/// department `project_department_id`, or why not. `check` is the rule check for
/// [`Action::Submit`] (a submit without one is refused); other actions ignore it.
///
/// Checks, in order: department scope and role ([`Refusal::Forbidden`]); the table
/// ([`Refusal::Locked`], [`Refusal::InvalidTransition`]); the reason ([`Refusal::ReasonRequired`],
/// [`Refusal::ReasonTooLong`]); the submit check ([`Refusal::RulesNotMet`]).
/// Whether the phase is available at all ([`phase_available`]) is the caller's to check.
pub fn transition(
    actor: &Actor,
    project_department_id: i32,
    phase: Phase,
    current: Status,
    action: &Action,
    check: Option<&SubmitCheck>,
) -> Result<Status, Refusal> {
    let kind = action.kind();
    let row = permitted(actor, project_department_id, phase, current, kind)?;
    if let Some(reason) = action.reason() {
        validate_reason(kind, reason)?;
    }
    if kind == ActionKind::Submit {
        let problems = match check {
            Some(check) => check.problems(),
            None => vec!["缺少提交前的规则校验结果，请重新校验后再提交".to_owned()],
        };
        if !problems.is_empty() {
            return Err(Refusal::RulesNotMet { problems });
        }
    }
    Ok(row.to)
}

/// The reason of a 退回 / 重新打开, trimmed, if it is non-blank and at most
/// [`MAX_REASON_CHARS`] characters; store this form.
pub fn validate_reason(action: ActionKind, reason: &str) -> Result<&str, Refusal> {
    let reason = reason.trim();
    let len = reason.chars().count();
    if len == 0 {
        Err(Refusal::ReasonRequired { action })
    } else if len > MAX_REASON_CHARS {
        Err(Refusal::ReasonTooLong { action, max: MAX_REASON_CHARS, len })
    } else {
        Ok(reason)
    }
}

/// The table row that lets `actor` take `kind`, or the refusal that does not depend on the
/// action's data.
fn permitted(
    actor: &Actor,
    project_department_id: i32,
    phase: Phase,
    current: Status,
    kind: ActionKind,
) -> Result<&'static Transition, Refusal> {
    let forbidden = |denial| Refusal::Forbidden { phase, action: kind, denial };
    scope(actor, project_department_id).map_err(forbidden)?;
    if !role_ever_may(actor.role, kind) {
        return Err(forbidden(Denial::Role { role: actor.role }));
    }
    match find(phase, current, kind) {
        Some(row) if row.by.contains(actor.role) => Ok(row),
        Some(_) => Err(forbidden(Denial::Role { role: actor.role })),
        None if current.is_locked() && matches!(kind, ActionKind::Edit | ActionKind::Submit) => {
            Err(Refusal::Locked { phase, status: current })
        }
        None => Err(Refusal::InvalidTransition { phase, from: current, action: kind }),
    }
}

/// Whether the actor may touch the project at all, and why not.
pub(super) fn scope(actor: &Actor, project_department_id: i32) -> Result<(), Denial> {
    match actor.role {
        Role::Admin | Role::Finance => Ok(()),
        Role::Department => match actor.department_id {
            Some(own) if own == project_department_id => Ok(()),
            Some(_) => Err(Denial::OtherDepartment),
            None => Err(Denial::NoDepartment),
        },
    }
}

/// Whether `actor` may create a project (新建项目): whoever may edit a 草稿 declaration of some
/// department — a department user for their own, an administrator for any; not the 财政局.
pub fn may_create_project(actor: &Actor) -> Result<(), Refusal> {
    let department = actor.department_id.unwrap_or_default();
    permitted(actor, department, Phase::Declaration, Status::Draft, ActionKind::Edit).map(|_| ())
}

/// Whether `actor` may manage departments, accounts, fiscal years and scoring profiles:
/// 系统管理员 only.
pub fn can_administer(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// [`can_administer`] as a refusal.
pub fn require_admin(actor: &Actor) -> Result<(), Refusal> {
    if can_administer(actor) {
        Ok(())
    } else {
        Err(Refusal::AdminOnly)
    }
}
