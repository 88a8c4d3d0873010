//! Tests of the workflow against an oracle written out by hand here (not read from the table),
//! exhaustive over phases × statuses × actions × actors, plus reasons, locking, submit checks,
//! phase availability, messages, serde and property tests.

use super::*;
use proptest::prelude::*;

use ActionKind as K;
use Phase::{Declaration, Monitoring, SelfEvaluation};
use Status::{Approved, Draft, Filling, Rated, Returned, Reviewed, Submitted, UnderReview};

/// The project's department in these tests, and another one.
const OWN: i32 = 4711;
const OTHER: i32 = 4712;

/// The kinds of actor every combination is tried with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// 部门填报人员 of department A, acting on A's project.
    OwnDept,
    /// 部门填报人员 of department B, acting on A's project.
    OtherDept,
    Finance,
    Admin,
}
use Who::{Admin, Finance, OtherDept, OwnDept};

const EVERYONE: [Who; 4] = [OwnDept, OtherDept, Finance, Admin];

fn actor(who: Who) -> Actor {
    match who {
        OwnDept => Actor { user_id: 1, role: Role::Department, department_id: Some(OWN) },
        OtherDept => Actor { user_id: 2, role: Role::Department, department_id: Some(OTHER) },
        Finance => Actor { user_id: 3, role: Role::Finance, department_id: None },
        Admin => Actor { user_id: 4, role: Role::Admin, department_id: None },
    }
}

/// A well-formed action of each kind.
fn action(kind: ActionKind) -> Action {
    match kind {
        K::Submit => Action::Submit,
        K::Return => Action::Return { reason: "绩效目标不够细化，请补充量化指标".to_owned() },
        K::Approve => Action::Approve,
        K::StartReview => Action::StartReview,
        K::Reopen => Action::Reopen { reason: "评定有误，需重新复核".to_owned() },
        K::Edit => Action::Edit,
    }
}

fn run(who: Who, phase: Phase, from: Status, action: &Action) -> Result<Status, Refusal> {
    transition(&actor(who), OWN, phase, from, action, Some(&SubmitCheck::passed()))
}

/// The oracle: every allowed (phase, from, action, actors, to), written from the spec.
#[rustfmt::skip]
const ALLOWED: &[(Phase, Status, ActionKind, &[Who], Status)] = &[
    (Declaration,    Draft,       K::Edit,        &[OwnDept, Admin],  Draft),
    (Declaration,    Draft,       K::Submit,      &[OwnDept],         Submitted),
    (Declaration,    Returned,    K::Edit,        &[OwnDept, Admin],  Returned),
    (Declaration,    Returned,    K::Submit,      &[OwnDept],         Submitted),
    (Declaration,    Submitted,   K::Approve,     &[Finance, Admin],  Approved),
    (Declaration,    Submitted,   K::Return,      &[Finance, Admin],  Returned),
    (Declaration,    Approved,    K::Reopen,      &[Finance, Admin],  Draft),
    (Monitoring,     Filling,     K::Edit,        &[OwnDept, Admin],  Filling),
    (Monitoring,     Filling,     K::Submit,      &[OwnDept],         Submitted),
    (Monitoring,     Returned,    K::Edit,        &[OwnDept, Admin],  Returned),
    (Monitoring,     Returned,    K::Submit,      &[OwnDept],         Submitted),
    (Monitoring,     Submitted,   K::Approve,     &[Finance, Admin],  Reviewed),
    (Monitoring,     Submitted,   K::Return,      &[Finance, Admin],  Returned),
    (Monitoring,     Reviewed,    K::Reopen,      &[Finance, Admin],  Filling),
    (SelfEvaluation, Draft,       K::Edit,        &[OwnDept, Admin],  Draft),
    (SelfEvaluation, Draft,       K::Submit,      &[OwnDept],         Submitted),
    (SelfEvaluation, Returned,    K::Edit,        &[OwnDept, Admin],  Returned),
    (SelfEvaluation, Returned,    K::Submit,      &[OwnDept],         Submitted),
    (SelfEvaluation, Submitted,   K::StartReview, &[Finance, Admin],  UnderReview),
    (SelfEvaluation, Submitted,   K::Return,      &[Finance, Admin],  Returned),
    (SelfEvaluation, UnderReview, K::Approve,     &[Finance, Admin],  Rated),
    (SelfEvaluation, UnderReview, K::Return,      &[Finance, Admin],  Returned),
    (SelfEvaluation, Rated,       K::Reopen,      &[Finance, Admin],  Draft),
];

fn oracle(who: Who, phase: Phase, from: Status, kind: ActionKind) -> Option<Status> {
    ALLOWED
        .iter()
        .find(|(p, f, k, whos, _)| *p == phase && *f == from && *k == kind && whos.contains(&who))
        .map(|row| row.4)
}

/// What an actor may ever do, from the spec.
fn role_may(who: Who, kind: ActionKind) -> bool {
    match who {
        OwnDept | OtherDept => matches!(kind, K::Edit | K::Submit),
        Finance => matches!(kind, K::Return | K::Approve | K::StartReview | K::Reopen),
        Admin => !matches!(kind, K::Submit),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Category {
    Forbidden,
    Locked,
    Invalid,
}

fn category(refusal: &Refusal) -> Option<Category> {
    match refusal {
        Refusal::Forbidden { .. } => Some(Category::Forbidden),
        Refusal::Locked { .. } => Some(Category::Locked),
        Refusal::InvalidTransition { .. } => Some(Category::Invalid),
        _ => None,
    }
}

/// The refusal the spec predicts for a combination the oracle does not allow.
fn expected_refusal(who: Who, from: Status, kind: ActionKind) -> Category {
    let locked = matches!(from, Approved | Reviewed | Rated);
    if who == OtherDept || !role_may(who, kind) {
        Category::Forbidden
    } else if locked && matches!(kind, K::Edit | K::Submit) {
        Category::Locked
    } else {
        Category::Invalid
    }
}

// ---- the exhaustive oracle test ----

#[test]
fn every_combination_matches_the_oracle() {
    let mut allowed = 0;
    let mut refused = 0;
    for &phase in Phase::ALL {
        for &from in Status::ALL {
            for &kind in ActionKind::ALL {
                for who in EVERYONE {
                    let got = run(who, phase, from, &action(kind));
                    let case = format!("{phase:?} {from:?} {kind:?} by {who:?}");
                    match oracle(who, phase, from, kind) {
                        Some(to) => {
                            assert_eq!(got, Ok(to), "{case}");
                            allowed += 1;
                        }
                        None => {
                            let refusal = got.expect_err(&case);
                            assert_eq!(
                                category(&refusal),
                                Some(expected_refusal(who, from, kind)),
                                "{case}: {refusal:?}"
                            );
                            refused += 1;
                        }
                    }
                }
            }
        }
    }
    let oracle_pairs: usize = ALLOWED.iter().map(|row| row.3.len()).sum();
    assert_eq!(allowed, oracle_pairs);
    assert_eq!(allowed + refused, 3 * 8 * 6 * 4);
}

#[test]
fn allowed_actions_and_can_edit_match_the_oracle() {
    for &phase in Phase::ALL {
        for &status in Status::ALL {
            for who in EVERYONE {
                let expected: Vec<ActionKind> =
                    ActionKind::ALL.iter().copied().filter(|&k| oracle(who, phase, status, k).is_some()).collect();
                assert_eq!(allowed_actions(&actor(who), OWN, phase, status), expected, "{phase:?} {status:?} {who:?}");
                assert_eq!(
                    can_edit(&actor(who), OWN, phase, status),
                    expected.contains(&K::Edit),
                    "{phase:?} {status:?} {who:?}"
                );
            }
        }
    }
}

#[test]
fn the_table_is_the_oracle() {
    assert_eq!(TRANSITIONS.len(), ALLOWED.len());
    for (i, a) in TRANSITIONS.iter().enumerate() {
        assert!(a.phase.statuses().contains(&a.from) && a.phase.statuses().contains(&a.to), "{a:?}");
        for b in &TRANSITIONS[i + 1..] {
            assert!(!(a.phase == b.phase && a.from == b.from && a.action == b.action), "duplicate row {a:?}");
        }
    }
}

#[test]
fn allowed_actions_examples() {
    assert_eq!(allowed_actions(&actor(OwnDept), OWN, Declaration, Draft), vec![K::Edit, K::Submit]);
    assert_eq!(allowed_actions(&actor(Finance), OWN, Declaration, Submitted), vec![K::Approve, K::Return]);
    assert_eq!(allowed_actions(&actor(Admin), OWN, SelfEvaluation, Submitted), vec![K::StartReview, K::Return]);
    assert_eq!(allowed_actions(&actor(Finance), OWN, SelfEvaluation, Rated), vec![K::Reopen]);
    assert_eq!(allowed_actions(&actor(Admin), OWN, Monitoring, Returned), vec![K::Edit]);
    assert_eq!(allowed_actions(&actor(OwnDept), OWN, Monitoring, Reviewed), vec![]);
    assert_eq!(allowed_actions(&actor(OtherDept), OWN, Declaration, Draft), vec![]);
}

// ---- departments and roles ----

#[test]
fn department_scope() {
    assert!(can_read(&actor(OwnDept), OWN));
    assert!(!can_read(&actor(OtherDept), OWN));
    assert!(can_read(&actor(OtherDept), OTHER));
    assert!(can_read(&actor(Finance), OWN) && can_read(&actor(Finance), OTHER));
    assert!(can_read(&actor(Admin), OWN) && can_read(&actor(Admin), OTHER));
    // A finance user or admin with a department id still sees everything.
    let finance = Actor { user_id: 9, role: Role::Finance, department_id: Some(OTHER) };
    assert!(can_read(&finance, OWN));
}

#[test]
fn department_user_without_department_can_do_nothing() {
    let lost = Actor { user_id: 5, role: Role::Department, department_id: None };
    assert!(!can_read(&lost, OWN));
    for &phase in Phase::ALL {
        for &status in Status::ALL {
            assert!(allowed_actions(&lost, OWN, phase, status).is_empty());
            for &kind in ActionKind::ALL {
                let got = transition(&lost, OWN, phase, status, &action(kind), Some(&SubmitCheck::passed()));
                assert!(
                    matches!(got, Err(Refusal::Forbidden { denial: Denial::NoDepartment, .. })),
                    "{phase:?} {status:?} {kind:?}: {got:?}"
                );
            }
        }
    }
}

#[test]
fn other_department_learns_nothing() {
    // Same refusal whatever the status (no leak of the project's state), checked before the
    // action's data, and the message names no department.
    for &phase in Phase::ALL {
        for &kind in ActionKind::ALL {
            let expected = Refusal::Forbidden { phase, action: kind, denial: Denial::OtherDepartment };
            for &status in Status::ALL {
                let bad = match kind {
                    K::Return => Action::Return { reason: String::new() },
                    K::Reopen => Action::Reopen { reason: String::new() },
                    _ => action(kind),
                };
                let got = transition(&actor(OtherDept), OWN, phase, status, &bad, None);
                assert_eq!(got, Err(expected.clone()), "{phase:?} {status:?} {kind:?}");
            }
            let message = expected.to_string();
            assert_eq!(message, "只能查看和办理本部门的项目");
            assert!(!message.contains(&OWN.to_string()) && !message.contains(&OTHER.to_string()));
        }
    }
}

#[test]
fn finance_never_edits_and_departments_never_review() {
    for &phase in Phase::ALL {
        for &status in Status::ALL {
            assert!(!can_edit(&actor(Finance), OWN, phase, status));
            let got = run(Finance, phase, status, &Action::Edit);
            assert_eq!(
                got,
                Err(Refusal::Forbidden { phase, action: K::Edit, denial: Denial::Role { role: Role::Finance } })
            );
            for kind in [K::Return, K::Approve, K::StartReview, K::Reopen] {
                let got = run(OwnDept, phase, status, &action(kind));
                assert!(
                    matches!(got, Err(Refusal::Forbidden { denial: Denial::Role { role: Role::Department }, .. })),
                    "{got:?}"
                );
            }
        }
    }
    assert_eq!(
        run(Finance, Declaration, Draft, &Action::Edit).unwrap_err().to_string(),
        "财政局审核人员不能执行“修改”操作"
    );
    assert_eq!(
        run(OwnDept, SelfEvaluation, UnderReview, &Action::Approve).unwrap_err().to_string(),
        "部门填报人员不能执行“评定”操作"
    );
}

#[test]
fn admin_edits_but_does_not_submit() {
    assert_eq!(run(Admin, Declaration, Draft, &Action::Edit), Ok(Draft));
    assert_eq!(
        run(Admin, Declaration, Draft, &Action::Submit),
        Err(Refusal::Forbidden { phase: Declaration, action: K::Submit, denial: Denial::Role { role: Role::Admin } })
    );
    assert_eq!(run(Admin, Declaration, Submitted, &action(K::Approve)), Ok(Approved));
}

#[test]
fn start_review_is_self_evaluation_only() {
    assert_eq!(run(Finance, SelfEvaluation, Submitted, &Action::StartReview), Ok(UnderReview));
    for phase in [Declaration, Monitoring] {
        assert_eq!(
            run(Finance, phase, Submitted, &Action::StartReview),
            Err(Refusal::InvalidTransition { phase, from: Submitted, action: K::StartReview })
        );
    }
    // Self-evaluation is rated only after the review started.
    assert_eq!(
        run(Finance, SelfEvaluation, Submitted, &Action::Approve),
        Err(Refusal::InvalidTransition { phase: SelfEvaluation, from: Submitted, action: K::Approve })
    );
}

// ---- reasons ----

#[test]
fn reasons_are_required_and_bounded() {
    let cases = [
        (Declaration, Submitted, K::Return),
        (SelfEvaluation, UnderReview, K::Return),
        (Monitoring, Reviewed, K::Reopen),
    ];
    for (phase, from, kind) in cases {
        let with = |reason: &str| match kind {
            K::Return => Action::Return { reason: reason.to_owned() },
            _ => Action::Reopen { reason: reason.to_owned() },
        };
        for blank in ["", "   ", "\u{3000}\n\t"] {
            assert_eq!(run(Finance, phase, from, &with(blank)), Err(Refusal::ReasonRequired { action: kind }));
        }
        let at_limit = "退".repeat(MAX_REASON_CHARS);
        assert!(run(Finance, phase, from, &with(&at_limit)).is_ok());
        assert!(run(Finance, phase, from, &with(&format!("  {at_limit}\n"))).is_ok(), "trimmed before counting");
        let over = "退".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            run(Admin, phase, from, &with(&over)),
            Err(Refusal::ReasonTooLong { action: kind, max: 500, len: 501 })
        );
    }
    assert_eq!(validate_reason(K::Return, "  材料不全 \n"), Ok("材料不全"));
    assert_eq!(Refusal::ReasonRequired { action: K::Return }.to_string(), "退回须填写原因");
    assert_eq!(Refusal::ReasonRequired { action: K::Reopen }.to_string(), "重新打开须填写原因");
    assert_eq!(
        Refusal::ReasonTooLong { action: K::Return, max: 500, len: 501 }.to_string(),
        "退回原因不能超过500字（当前501字）"
    );
}

#[test]
fn the_reason_is_checked_after_the_state() {
    let blank = Action::Return { reason: " ".to_owned() };
    assert_eq!(
        run(Finance, Declaration, Draft, &blank),
        Err(Refusal::InvalidTransition { phase: Declaration, from: Draft, action: K::Return })
    );
}

// ---- locking ----

#[test]
fn locked_phases_refuse_edit_and_submit_until_reopened() {
    for (phase, locked) in [(Declaration, Approved), (Monitoring, Reviewed), (SelfEvaluation, Rated)] {
        assert!(locked.is_locked());
        for who in EVERYONE {
            assert!(!can_edit(&actor(who), OWN, phase, locked), "{who:?}");
        }
        for who in [OwnDept, Admin] {
            assert_eq!(run(who, phase, locked, &Action::Edit), Err(Refusal::Locked { phase, status: locked }));
        }
        assert_eq!(run(OwnDept, phase, locked, &Action::Submit), Err(Refusal::Locked { phase, status: locked }));
        // Reviewers cannot return a locked phase either; they reopen it.
        assert!(matches!(run(Finance, phase, locked, &action(K::Return)), Err(Refusal::InvalidTransition { .. })));
        let reopened = run(Finance, phase, locked, &action(K::Reopen));
        assert_eq!(reopened, Ok(Status::initial(phase)));
        assert!(can_edit(&actor(OwnDept), OWN, phase, Status::initial(phase)));
    }
    assert_eq!(
        Refusal::Locked { phase: Declaration, status: Approved }.to_string(),
        "目标申报已处于“已批复”状态，内容已锁定；如需修改，须由财政局重新打开"
    );
    assert!(!Draft.is_locked() && !Filling.is_locked() && !Submitted.is_locked());
    assert!(!UnderReview.is_locked() && !Returned.is_locked());
}

#[test]
fn submitted_and_under_review_are_not_editable() {
    for (phase, status) in [(Declaration, Submitted), (Monitoring, Submitted), (SelfEvaluation, UnderReview)] {
        assert_eq!(
            run(OwnDept, phase, status, &Action::Edit),
            Err(Refusal::InvalidTransition { phase, from: status, action: K::Edit })
        );
    }
    assert_eq!(
        run(OwnDept, SelfEvaluation, UnderReview, &Action::Edit).unwrap_err().to_string(),
        "绩效自评当前为“财政复核中”，不能修改"
    );
}

// ---- submit checks ----

#[test]
fn submit_lists_every_problem() {
    let check = SubmitCheck {
        weights_ok: false,
        weight_problems: vec!["产出指标下各三级指标分值之和为45，应为50".to_owned(), "  ".to_owned()],
        missing_explanations: vec!["维护网站数量".to_owned(), "预算执行率".to_owned()],
        other_problems: vec![],
    };
    let got = transition(&actor(OwnDept), OWN, SelfEvaluation, Draft, &Action::Submit, Some(&check));
    let problems = vec![
        "分值设置有误：产出指标下各三级指标分值之和为45，应为50".to_owned(),
        "“维护网站数量”须填写偏差原因分析及改进措施".to_owned(),
        "“预算执行率”须填写偏差原因分析及改进措施".to_owned(),
    ];
    assert_eq!(got, Err(Refusal::RulesNotMet { problems }));
    assert_eq!(
        got.unwrap_err().to_string(),
        "不满足提交条件：分值设置有误：产出指标下各三级指标分值之和为45，应为50；\
         “维护网站数量”须填写偏差原因分析及改进措施；“预算执行率”须填写偏差原因分析及改进措施"
    );
}

#[test]
fn submit_refused_when_weights_fail_without_details() {
    let check = SubmitCheck { weights_ok: false, ..SubmitCheck::passed() };
    let got = transition(&actor(OwnDept), OWN, Declaration, Draft, &Action::Submit, Some(&check));
    assert_eq!(
        got,
        Err(Refusal::RulesNotMet {
            problems: vec!["各级指标分值之和不符合要求，请检查分值设置".to_owned()]
        })
    );
}

#[test]
fn submit_refused_on_listed_problems_even_if_weights_ok_is_set() {
    let check = SubmitCheck {
        weight_problems: vec!["效益指标分值之和为25，应为30".to_owned()],
        ..SubmitCheck::passed()
    };
    let got = transition(&actor(OwnDept), OWN, Declaration, Returned, &Action::Submit, Some(&check));
    assert_eq!(
        got,
        Err(Refusal::RulesNotMet {
            problems: vec!["分值设置有误：效益指标分值之和为25，应为30".to_owned()]
        })
    );
    let check = SubmitCheck { missing_explanations: vec!["完成目标可能性".to_owned()], ..SubmitCheck::passed() };
    let got = transition(&actor(OwnDept), OWN, Monitoring, Filling, &Action::Submit, Some(&check));
    assert!(matches!(got, Err(Refusal::RulesNotMet { problems }) if problems.len() == 1));
}

#[test]
fn submit_without_a_check_is_refused() {
    let got = transition(&actor(OwnDept), OWN, Monitoring, Filling, &Action::Submit, None);
    assert_eq!(
        got,
        Err(Refusal::RulesNotMet {
            problems: vec!["缺少提交前的规则校验结果，请重新校验后再提交".to_owned()]
        })
    );
    let got = transition(&actor(OwnDept), OWN, Monitoring, Filling, &Action::Submit, Some(&SubmitCheck::passed()));
    assert_eq!(got, Ok(Submitted));
}

#[test]
fn the_check_matters_only_for_submit_and_only_once_allowed() {
    let failing = SubmitCheck { weights_ok: false, ..SubmitCheck::passed() };
    let f = &actor(Finance);
    assert_eq!(transition(f, OWN, Declaration, Submitted, &Action::Approve, Some(&failing)), Ok(Approved));
    assert_eq!(transition(f, OWN, Declaration, Submitted, &Action::Approve, None), Ok(Approved));
    assert_eq!(transition(&actor(OwnDept), OWN, Declaration, Draft, &Action::Edit, Some(&failing)), Ok(Draft));
    // Authorization and state come before the rules.
    let got = transition(&actor(OtherDept), OWN, Declaration, Draft, &Action::Submit, Some(&failing));
    assert!(matches!(got, Err(Refusal::Forbidden { .. })));
    let got = transition(&actor(OwnDept), OWN, Declaration, Submitted, &Action::Submit, Some(&failing));
    assert!(matches!(got, Err(Refusal::InvalidTransition { .. })));
}

// ---- phases ----

#[test]
fn phase_availability() {
    for &status in Status::ALL {
        assert!(phase_available(Declaration, status));
        assert_eq!(phase_available(Monitoring, status), status == Approved, "{status:?}");
        assert_eq!(phase_available(SelfEvaluation, status), status == Approved, "{status:?}");
    }
}

#[test]
fn a_whole_year() {
    let dept = actor(OwnDept);
    let fin = actor(Finance);
    let ok = SubmitCheck::passed();
    let step = |who: &Actor, phase, from, action: Action| transition(who, OWN, phase, from, &action, Some(&ok));
    let ret = || Action::Return { reason: "请补充说明".to_owned() };

    let mut s = Status::initial(Declaration);
    assert!(!phase_available(Monitoring, s));
    s = step(&dept, Declaration, s, Action::Edit).unwrap();
    s = step(&dept, Declaration, s, Action::Submit).unwrap();
    s = step(&fin, Declaration, s, ret()).unwrap();
    assert_eq!(s, Returned);
    s = step(&dept, Declaration, s, Action::Edit).unwrap();
    s = step(&dept, Declaration, s, Action::Submit).unwrap();
    s = step(&fin, Declaration, s, Action::Approve).unwrap();
    assert_eq!(s, Approved);
    assert!(phase_available(Monitoring, s) && phase_available(SelfEvaluation, s));

    let mut m = Status::initial(Monitoring);
    assert_eq!(m, Filling);
    m = step(&dept, Monitoring, m, Action::Submit).unwrap();
    m = step(&fin, Monitoring, m, ret()).unwrap();
    m = step(&dept, Monitoring, m, Action::Edit).unwrap();
    m = step(&dept, Monitoring, m, Action::Submit).unwrap();
    m = step(&fin, Monitoring, m, Action::Approve).unwrap();
    assert_eq!(m, Reviewed);

    let mut e = Status::initial(SelfEvaluation);
    assert_eq!(e, Draft);
    e = step(&dept, SelfEvaluation, e, Action::Submit).unwrap();
    e = step(&fin, SelfEvaluation, e, Action::StartReview).unwrap();
    e = step(&fin, SelfEvaluation, e, ret()).unwrap();
    e = step(&dept, SelfEvaluation, e, Action::Submit).unwrap();
    e = step(&fin, SelfEvaluation, e, Action::StartReview).unwrap();
    e = step(&fin, SelfEvaluation, e, Action::Approve).unwrap();
    assert_eq!(e, Rated);
    e = step(&fin, SelfEvaluation, e, Action::Reopen { reason: "复核发现扣分有误".to_owned() }).unwrap();
    assert_eq!(e, Draft);
}

// ---- labels, messages, serde ----

#[test]
fn labels() {
    assert_eq!(Status::initial(Declaration), Draft);
    assert_eq!(Status::initial(Monitoring), Filling);
    assert_eq!(Status::initial(SelfEvaluation), Draft);
    let labels: Vec<&str> = Declaration.statuses().iter().map(|s| s.label()).collect();
    assert_eq!(labels, ["草稿", "已提交", "已批复", "退回"]);
    let labels: Vec<&str> = Monitoring.statuses().iter().map(|s| s.label()).collect();
    assert_eq!(labels, ["填报中", "已提交", "已审阅", "退回"]);
    let labels: Vec<&str> = SelfEvaluation.statuses().iter().map(|s| s.label()).collect();
    assert_eq!(labels, ["草稿", "已提交", "财政复核中", "已评定", "退回"]);
    for &phase in Phase::ALL {
        assert_eq!(phase.statuses()[0], Status::initial(phase));
        for &status in Status::ALL {
            assert!(!status.label().is_empty());
        }
    }
    assert_eq!([Declaration.label(), Monitoring.label(), SelfEvaluation.label()], ["目标申报", "运行监控", "绩效自评"]);
    assert_eq!(Phase::ALL.iter().map(|&p| K::Approve.label_in(p)).collect::<Vec<_>>(), ["批复", "审阅", "评定"]);
    assert_eq!(
        ActionKind::ALL.iter().map(|&k| k.label_in(Declaration)).collect::<Vec<_>>(),
        ["修改", "提交", "开始复核", "批复", "退回", "重新打开"]
    );
    assert_eq!(
        Role::ALL.iter().map(|r| r.label()).collect::<Vec<_>>(),
        ["系统管理员", "财政局审核人员", "部门填报人员"]
    );
}

#[test]
fn every_refusal_speaks_chinese() {
    let refusals = [
        Refusal::Forbidden { phase: Declaration, action: K::Edit, denial: Denial::NoDepartment },
        Refusal::InvalidTransition { phase: Monitoring, from: Filling, action: K::Approve },
        Refusal::ReasonRequired { action: K::Return },
        Refusal::ReasonTooLong { action: K::Reopen, max: 500, len: 600 },
        Refusal::RulesNotMet {
            problems: vec!["“培训人数”须填写偏差原因分析及改进措施".to_owned()]
        },
        Refusal::Locked { phase: SelfEvaluation, status: Rated },
        Refusal::AdminOnly,
        Refusal::TargetsNotApproved,
        Refusal::SelfEvaluationSubmitted,
        Refusal::NotUnderReview { status: Submitted },
        Refusal::EmptyComment,
        Refusal::CommentTooLong { max: 1000, len: 1001 },
    ];
    for refusal in refusals {
        let message = refusal.to_string();
        assert!(message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{message}");
    }
    assert_eq!(
        Refusal::InvalidTransition { phase: Monitoring, from: Filling, action: K::Approve }.to_string(),
        "运行监控当前为“填报中”，不能审阅"
    );
    assert_eq!(
        Refusal::Forbidden { phase: Declaration, action: K::Edit, denial: Denial::NoDepartment }.to_string(),
        "当前账号未关联部门，不能查看或办理项目，请联系系统管理员"
    );
    assert_eq!(
        Refusal::NotUnderReview { status: Submitted }.to_string(),
        "绩效自评当前为“已提交”，只有在“财政复核中”才能复核评分"
    );
    assert!(Refusal::AdminOnly.is_forbidden() && !Refusal::EmptyComment.is_forbidden());
}

#[test]
fn serde_is_snake_case() {
    use serde_json::{json, to_value};
    assert_eq!(to_value(Status::UnderReview).unwrap(), json!("under_review"));
    assert_eq!(to_value(Phase::SelfEvaluation).unwrap(), json!("self_evaluation"));
    assert_eq!(to_value(K::StartReview).unwrap(), json!("start_review"));
    assert_eq!(to_value(Role::Finance).unwrap(), json!("finance"));
    assert_eq!(to_value(Action::Submit).unwrap(), json!("submit"));
    assert_eq!(to_value(action(K::Return)).unwrap(), json!({"return": {"reason": "绩效目标不够细化，请补充量化指标"}}));
    let refusal =
        Refusal::Forbidden { phase: Declaration, action: K::Edit, denial: Denial::Role { role: Role::Finance } };
    let value = to_value(&refusal).unwrap();
    assert_eq!(
        value,
        json!({"forbidden": {"phase": "declaration", "action": "edit", "denial": {"role": {"role": "finance"}}}})
    );
    assert_eq!(serde_json::from_value::<Refusal>(value).unwrap(), refusal);
    let a = Actor { user_id: 1, role: Role::Department, department_id: Some(3) };
    let back: Actor = serde_json::from_value(to_value(&a).unwrap()).unwrap();
    assert_eq!(back, a);
    let t = TRANSITIONS[0];
    assert_eq!(serde_json::from_value::<Transition>(to_value(t).unwrap()).unwrap(), t);
}

// ---- properties ----

fn any_role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(Role::Admin), Just(Role::Finance), Just(Role::Department)]
}

fn any_phase() -> impl Strategy<Value = Phase> {
    prop::sample::select(Phase::ALL.to_vec())
}

fn any_status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn any_reason() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ \u{3000}\t\n]{0,4}", "[退回原因 ]{490,510}", Just("材料不全".to_owned())]
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Submit),
        any_reason().prop_map(|reason| Action::Return { reason }),
        Just(Action::Approve),
        Just(Action::StartReview),
        any_reason().prop_map(|reason| Action::Reopen { reason }),
        Just(Action::Edit),
    ]
}

fn any_actor() -> impl Strategy<Value = Actor> {
    (any::<i32>(), any_role(), proptest::option::of(0..4i32)).prop_map(|(user_id, role, department_id)| Actor {
        user_id,
        role,
        department_id,
    })
}

fn any_check() -> impl Strategy<Value = Option<SubmitCheck>> {
    proptest::option::weighted(
        0.9,
        (
            proptest::bool::weighted(0.8),
            proptest::collection::vec(any::<String>(), 0..2),
            proptest::collection::vec(any::<String>(), 0..2),
        )
            .prop_map(|(weights_ok, weight_problems, missing_explanations)| SubmitCheck {
                weights_ok,
                weight_problems,
                missing_explanations,
                other_problems: Vec::new(),
            }),
    )
}

proptest! {
    #[test]
    fn transition_never_panics_and_agrees_with_the_queries(
        actor in any_actor(),
        project in 0..4i32,
        phase in any_phase(),
        current in any_status(),
        action in any_action(),
        check in any_check(),
    ) {
        let got = transition(&actor, project, phase, current, &action, check.as_ref());
        prop_assert_eq!(&got, &transition(&actor, project, phase, current, &action, check.as_ref()));
        let allowed = allowed_actions(&actor, project, phase, current).contains(&action.kind());
        match got {
            Ok(next) => {
                prop_assert!(can_read(&actor, project));
                prop_assert!(allowed);
                prop_assert!(phase.statuses().contains(&current) && phase.statuses().contains(&next));
                if action.kind() == K::Edit {
                    prop_assert_eq!(next, current);
                    prop_assert!(can_edit(&actor, project, phase, current));
                } else {
                    prop_assert_ne!(next, current);
                }
                if current.is_locked() {
                    prop_assert_eq!(action.kind(), K::Reopen);
                }
            }
            Err(refusal) => {
                prop_assert!(!refusal.to_string().is_empty());
                match refusal {
                    // Refused on the action's data: the button is shown, the data is wrong.
                    Refusal::ReasonRequired { .. } | Refusal::ReasonTooLong { .. } | Refusal::RulesNotMet { .. } => {
                        prop_assert!(allowed)
                    }
                    Refusal::Forbidden { .. } | Refusal::InvalidTransition { .. } | Refusal::Locked { .. } => {
                        prop_assert!(!allowed)
                    }
                    // Content rules; `transition` never refuses with them.
                    Refusal::AdminOnly
                    | Refusal::TargetsNotApproved
                    | Refusal::SelfEvaluationSubmitted
                    | Refusal::NotUnderReview { .. }
                    | Refusal::EmptyComment
                    | Refusal::CommentTooLong { .. } => prop_assert!(false, "transition refused with a content rule"),
                }
                if !can_read(&actor, project) {
                    prop_assert!(matches!(refusal, Refusal::Forbidden { .. }), "unexpected {:?}", refusal);
                }
            }
        }
    }

    #[test]
    fn random_walks_stay_in_the_phase(
        phase in any_phase(),
        steps in proptest::collection::vec((any_actor(), any_action(), any_check()), 0..40),
    ) {
        let project = 1;
        let mut status = Status::initial(phase);
        for (actor, action, check) in steps {
            let before = status;
            match transition(&actor, project, phase, status, &action, check.as_ref()) {
                Ok(next) => status = next,
                Err(_) => prop_assert_eq!(status, before),
            }
            prop_assert!(phase.statuses().contains(&status));
            if before.is_locked() && action.kind() != K::Reopen {
                prop_assert_eq!(status, before);
            }
            if status != before {
                // Every change is a row of the table, taken by a role it lists.
                let row = TRANSITIONS.iter().find(|t| t.phase == phase && t.from == before && t.action == action.kind());
                prop_assert!(matches!(row, Some(t) if t.to == status && t.by.contains(actor.role)));
            }
        }
    }
}
