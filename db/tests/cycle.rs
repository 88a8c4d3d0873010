//! The yearly cycle's content on SQLite and PostgreSQL: target versions and mid-year 调整,
//! 运行监控 entries, year-end actuals scored from what is stored, 财政复核 re-scores, comments and
//! administration — each with its permission checks, optimistic locking and audit rows.

use db::cycle::adjustment::{self, TargetChange};
use db::cycle::declaration::{self, IndicatorEdit};
use db::cycle::evaluation::{self, ActualInput, YearEndFunds};
use db::cycle::monitoring::{self, MonitoringInput};
use db::cycle::{comments, transition};
use db::store::{self, audit, directory, versions};
use db::testing::TestDb;
use db::Error;
use db::{accounts, admin};
use domain::selfeval::SelfEvaluation;
use domain::vocab::{
    AuditAction, Basis, DeviationCategory, EntityKind, Field, Likelihood, QualitativeGrade, ScoringProfile,
    VersionState,
};
use domain::workflow::{Action, LoginRefusal, Phase, Refusal, Role, Status};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[macro_use]
mod common;
use common::{act, new_user, setup, Fixture, PASSWORD};

fn invalid<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Invalid(m)) => m.to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, Error>) {
    match r {
        Err(Error::Refused(refusal)) if refusal.is_forbidden() => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

mod queries {
    pub use db::store::projects::{indicators, one as project};
}

/// Submits 目标申报 with the real rule check, as alice, and approves it as finance.
async fn approve_targets(t: &TestDb, f: &Fixture) {
    submit(t, f, Phase::Declaration).await.expect("the demo declaration may be submitted");
    act(t, f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
}

async fn submit(t: &TestDb, f: &Fixture, phase: Phase) -> Result<(), Error> {
    let check = transition::submit_check(&t.db, f.project_id, phase).await.unwrap();
    let actor = accounts::actor(&f.alice);
    transition::apply(&t.db, &actor, &f.alice, f.project_id, phase, &Action::Submit, Some(&check), None)
        .await
        .map(|_| ())
}

async fn audit_count(t: &TestDb, f: &Fixture) -> usize {
    audit::for_project(&t.db, f.project_id).await.unwrap().len()
}

async fn versions_and_adjustments(t: &TestDb) {
    let f = setup(t).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    let first = &inds[0];
    // The demo declares a 分值 for every indicator; without one it cannot be submitted.
    let check = transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    assert!(check.problems().is_empty(), "{:?}", check.problems());
    let unweighted = IndicatorEdit {
        target_text: first.target_text.clone(),
        weight: None,
        direction: None,
        basis: Some(Basis::Plan),
        core: true,
    };
    let saved = declaration::update_indicator(&t.db, &f.alice, first.id, &unweighted, first.version).await.unwrap();
    assert_eq!((saved.weight, saved.basis.map(|b| b.0), saved.core, saved.version), (None, Some(Basis::Plan), true, 1));
    let problems = transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap().problems();
    assert_eq!(problems[0], format!("以下指标未设置分值：{}", first.name));
    let e = submit(t, &f, Phase::Declaration).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::RulesNotMet { .. })), "{e:?}");
    // An unknown 取值依据 or 指标性质 cannot be expressed here: the wire refuses it (tests/http.rs).
    let restored = IndicatorEdit { weight: first.weight.map(|w| w.0), ..unweighted.clone() };
    declaration::update_indicator(&t.db, &f.alice, first.id, &restored, 1).await.unwrap();
    // A stale version is a conflict even when the content is the same as stored.
    let e = declaration::update_indicator(&t.db, &f.alice, first.id, &restored, 1).await;
    assert!(matches!(e, Err(Error::Stale)), "{e:?}");
    // The current version with unchanged content writes nothing.
    let same = declaration::update_indicator(&t.db, &f.alice, first.id, &restored, 2).await.unwrap();
    assert_eq!(same.version, 2);
    forbidden(declaration::update_indicator(&t.db, &f.bob, first.id, &restored, 2).await);
    forbidden(declaration::update_indicator(&t.db, &f.finance, first.id, &restored, 2).await);

    // Before approval there is no version, and no 调整 either.
    assert!(versions::of_project(&t.db, f.project_id).await.unwrap().is_empty());
    let change = |text: &str| {
        vec![TargetChange { indicator_id: first.id, target_text: text.into(), weight: first.weight.map(|w| w.0) }]
    };
    let e = adjustment::propose(&t.db, &f.alice, f.project_id, &change("2座"), "新增设备").await;
    assert!(matches!(e, Err(Error::Refused(Refusal::TargetsNotApproved))), "{e:?}");

    approve_targets(t, &f).await;
    let v = versions::of_project(&t.db, f.project_id).await.unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].version.number, v[0].version.state.0), (1, VersionState::Approved));
    assert_eq!(v[0].version.reason.as_deref(), Some("年初申报批复"));
    assert_eq!(v[0].items.len(), inds.len());
    let current = versions::current_targets(&t.db, f.project_id).await.unwrap();
    assert_eq!(current[&first.id].0, first.target_text);

    // Approved targets are locked: only a 调整 changes them.
    let e = declaration::update_indicator(&t.db, &f.alice, first.id, &restored, 2).await;
    assert!(matches!(e, Err(Error::Refused(Refusal::Locked { .. }))), "{e:?}");

    let before = audit_count(t, &f).await;
    forbidden(adjustment::propose(&t.db, &f.bob, f.project_id, &change("2座"), "x").await);
    forbidden(adjustment::propose(&t.db, &f.finance, f.project_id, &change("2座"), "x").await);
    assert!(
        invalid(adjustment::propose(&t.db, &f.alice, f.project_id, &change("2座"), "  ").await).contains("调整原因")
    );
    assert!(invalid(adjustment::propose(&t.db, &f.alice, f.project_id, &change(&first.target_text), "x").await)
        .contains("无需调整"));
    assert!(invalid(adjustment::propose(&t.db, &f.alice, f.project_id, &change("**"), "x").await).contains("占位符"));
    assert_eq!(audit_count(t, &f).await, before, "refusals change nothing");

    let pending = adjustment::propose(&t.db, &f.alice, f.project_id, &change("2座"), "新增设备一座").await.unwrap();
    assert_eq!((pending.number, pending.state.0, pending.created_by), (2, VersionState::Pending, Some(f.alice.id)));
    assert!(invalid(adjustment::propose(&t.db, &f.alice, f.project_id, &change("3座"), "再调").await)
        .contains("等待财政局审核"));
    // Scoring keeps using the approved version until the finance bureau decides.
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, first.target_text);

    forbidden(adjustment::decide(&t.db, &f.alice, pending.id, true, None).await);
    assert!(invalid(adjustment::decide(&t.db, &f.finance, pending.id, false, Some(" ")).await).contains("理由"));
    let approved = adjustment::decide(&t.db, &f.finance, pending.id, true, Some("同意")).await.unwrap();
    assert_eq!((approved.state.0, approved.decided_by), (VersionState::Approved, Some(f.finance.id)));
    assert!(invalid(adjustment::decide(&t.db, &f.finance, pending.id, false, Some("x")).await).contains("已处理"));
    let v = versions::of_project(&t.db, f.project_id).await.unwrap();
    let states: Vec<VersionState> = v.iter().map(|v| v.version.state.0).collect();
    assert_eq!(states, [VersionState::Approved, VersionState::Superseded]);
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, "2座");
    let now = queries::indicators(&t.db, f.project_id).await.unwrap().remove(0);
    assert_eq!((now.target_text.as_str(), now.version), ("2座", 3));
    let log = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert!(log.iter().any(|l| l.entity.0 == EntityKind::Indicator
        && l.field.map(|f| f.0) == Some(Field::TargetText)
        && l.old_value.as_deref() == Some(first.target_text.as_str())
        && l.new_value.as_deref() == Some("2座")));
    assert!(log
        .iter()
        .any(|l| l.entity.0 == EntityKind::TargetVersion && l.new_value.as_deref() == Some("新增设备一座")));

    // A rejected 调整 changes no target.
    let again = adjustment::propose(&t.db, &f.alice, f.project_id, &change("5座"), "再增").await.unwrap();
    let rejected = adjustment::decide(&t.db, &f.admin, again.id, false, Some("依据不足")).await.unwrap();
    assert_eq!((rejected.state.0, rejected.decision_note.as_deref()), (VersionState::Rejected, Some("依据不足")));
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, "2座");
}

async fn monitoring_entries(t: &TestDb) {
    let f = setup(t).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    let possible = MonitoringInput {
        progress: Some("已完成60%".into()),
        forecast: Some("年底可完成".into()),
        likelihood: Some(Likelihood::Possible),
        ..Default::default()
    };
    let e = invalid(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await);
    assert_eq!(e, "运行监控须在目标申报批复后才能填报");
    forbidden(monitoring::save_entry(&t.db, &f.bob, inds[0].id, &possible, 0).await);
    approve_targets(t, &f).await;
    forbidden(monitoring::save_entry(&t.db, &f.bob, inds[0].id, &possible, 0).await);
    forbidden(monitoring::save_entry(&t.db, &f.finance, inds[0].id, &possible, 0).await);
    // An unknown 完成目标可能性 or 偏差原因类别 cannot be expressed here: the wire refuses it.
    let long = MonitoringInput { progress: Some("进".repeat(501)), ..possible.clone() };
    assert!(invalid(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &long, 0).await).contains("不能超过500字"));
    assert_eq!(audit_count(t, &f).await, 2, "only the two transitions and nothing of the refusals");

    let saved = monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await.unwrap();
    assert_eq!((saved.version, saved.likelihood.map(|l| l.0)), (1, Some(Likelihood::Possible)));
    assert_eq!(audit_count(t, &f).await, 5, "one row per field entered");
    assert!(matches!(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await, Err(Error::Stale)));

    let check = transition::submit_check(&t.db, f.project_id, Phase::Monitoring).await.unwrap();
    let problems = check.problems();
    assert_eq!(problems.len(), 2 * (inds.len() - 1) + 1, "{problems:?}");
    assert_eq!(problems.last().unwrap(), &format!("“{}”须填写偏差原因分析及改进措施", inds[0].name));
    assert!(matches!(submit(t, &f, Phase::Monitoring).await, Err(Error::Refused(Refusal::RulesNotMet { .. }))));

    let explained = MonitoringInput {
        deviation_category: Some(DeviationCategory::Funding),
        deviation_reason: Some("资金拨付滞后".into()),
        corrective_action: Some("加快拨付进度".into()),
        ..possible.clone()
    };
    monitoring::save_entry(&t.db, &f.alice, inds[0].id, &explained, 1).await.unwrap();
    let certain = MonitoringInput {
        progress: Some("按计划推进".into()),
        likelihood: Some(Likelihood::Certain),
        ..Default::default()
    };
    for ind in &inds[1..] {
        monitoring::save_entry(&t.db, &f.admin, ind.id, &certain, 0).await.unwrap();
    }
    let p = queries::project(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert!(invalid(monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(-1)), None, p.version).await)
        .contains("不能为负数"));
    let p2 = monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(5.2)), Some(dec!(9.8)), p.version)
        .await
        .unwrap();
    assert_eq!((p2.executed_jan_jul.map(|a| a.0), p2.version), (Some(dec!(5.2)), p.version + 1));
    assert!(matches!(
        monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(6)), None, p.version).await,
        Err(Error::Stale)
    ));

    submit(t, &f, Phase::Monitoring).await.expect("complete monitoring may be submitted");
    let e = monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 2).await;
    assert!(matches!(e, Err(Error::Refused(Refusal::InvalidTransition { .. }))), "{e:?}");
}

fn example() -> SelfEvaluation {
    serde_json::from_str(db::demo::EXAMPLE_EVALUATION).unwrap()
}

async fn self_evaluation_and_review(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    let ex = example();
    let p = queries::project(&t.db, f.project_id).await.unwrap().unwrap().project;
    let funds = YearEndFunds {
        budget_initial: Some(dec!(10)),
        budget_full_year: Some(ex.funds.budget),
        executed_full_year: Some(ex.funds.executed),
        execution_explanation: None,
    };
    forbidden(evaluation::save_year_end_funds(&t.db, &f.bob, f.project_id, &funds, p.version).await);
    evaluation::save_year_end_funds(&t.db, &f.alice, f.project_id, &funds, p.version).await.unwrap();
    for ind in &inds {
        let e = ex.indicators.iter().find(|e| e.name == ind.name).unwrap();
        let input = ActualInput {
            actual_text: e.actual.clone(),
            grade: e.grade,
            grade_score: e.score,
            evidence: Some("年度运维记录".into()),
            explanation: e.explanation.clone(),
        };
        let saved = evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 0).await.unwrap();
        assert_eq!(saved.actual_text, e.actual);
        assert!(saved.actual_parsed.is_some() == e.actual.is_some());
    }
    // An unknown 评价等级 cannot be expressed here: the wire refuses it (tests/http.rs).
    let odd = ActualInput { actual_text: Some("成".repeat(201)), ..Default::default() };
    assert!(invalid(evaluation::save_actual(&t.db, &f.alice, inds[0].id, &odd, 1).await).contains("不能超过200字"));
    let too_much =
        ActualInput { grade: Some(QualitativeGrade::Achieved), grade_score: Some(dec!(99)), ..Default::default() };
    assert!(invalid(evaluation::save_actual(&t.db, &f.alice, inds[0].id, &too_much, 1).await).contains("超过分值"));
    assert!(matches!(
        evaluation::save_actual(&t.db, &f.alice, inds[0].id, &ActualInput::default(), 0).await,
        Err(Error::Stale)
    ));

    // What is stored scores exactly like the documented example.
    let stored = evaluation::self_evaluation(&t.db, f.project_id, false).await.unwrap().unwrap();
    let result = domain::selfeval::evaluate(&stored);
    assert_eq!(result.total, domain::selfeval::evaluate(&ex).total);
    assert_eq!(result.total, dec!(97.68));

    let problems = transition::submit_check(&t.db, f.project_id, Phase::SelfEvaluation).await.unwrap().problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(submit(t, &f, Phase::SelfEvaluation).await, Err(Error::Refused(Refusal::RulesNotMet { .. }))));
    for name in ["LED 屏幕正常运行率", "受益群众满意度"] {
        let ind = inds.iter().find(|i| i.name == name).unwrap();
        let e = ex.indicators.iter().find(|e| e.name == name).unwrap();
        let input = ActualInput {
            actual_text: e.actual.clone(),
            grade: e.grade,
            grade_score: e.score,
            evidence: Some("年度运维记录".into()),
            explanation: Some("已说明偏差原因".into()),
        };
        evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 1).await.unwrap();
    }

    // Re-scoring waits for 财政复核中.
    let e = evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1), "佐证不足").await;
    assert!(matches!(e, Err(Error::Refused(Refusal::NotUnderReview { status: Status::Draft }))), "{e:?}");
    submit(t, &f, Phase::SelfEvaluation).await.expect("explained self-evaluation may be submitted");
    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::StartReview, None).await.unwrap();
    forbidden(evaluation::rescore(&t.db, &f.alice, inds[0].id, dec!(1), "自己改分").await);
    let w = inds[0].weight.unwrap().0;
    assert!(invalid(evaluation::rescore(&t.db, &f.finance, inds[0].id, w + Decimal::ONE, "x").await).contains("之间"));
    assert!(invalid(evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1), " ").await).contains("理由"));
    let self_score = result.indicators[0].score;
    let review = evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1.5), "佐证材料不足").await.unwrap();
    assert_eq!((review.score.0, review.reviewer_name.as_str()), (dec!(1.5), "reviewer"));
    let reviewed = evaluation::self_evaluation(&t.db, f.project_id, true).await.unwrap().unwrap();
    let r = domain::selfeval::evaluate(&reviewed);
    assert_eq!(r.indicators[0].score, dec!(1.5));
    assert_eq!(r.indicators[0].self_score, Some(self_score));
    assert!(r.indicators[0].explanation.contains("佐证材料不足"));
    let log = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert!(log.iter().any(|l| l.entity.0 == EntityKind::ReviewScore
        && l.field.map(|f| f.0) == Some(Field::Score)
        && l.new_value.as_deref() == Some("1.5")));

    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::Approve, None).await.unwrap();
    assert_eq!(store::phases::status(&t.db, f.project_id, Phase::SelfEvaluation).await.unwrap(), Status::Rated);
    let e = evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1), "再改").await;
    assert!(matches!(e, Err(Error::Refused(Refusal::NotUnderReview { status: Status::Rated }))), "{e:?}");
    let e = evaluation::save_actual(&t.db, &f.alice, inds[0].id, &ActualInput::default(), 1).await;
    assert!(matches!(e, Err(Error::Refused(Refusal::Locked { .. }))), "{e:?}");
}

async fn comments_and_administration(t: &TestDb) {
    let f = setup(t).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    comments::add(&t.db, &f.alice, inds[0].id, "  已补充佐证材料 ").await.unwrap();
    forbidden(comments::add(&t.db, &f.bob, inds[0].id, "偷看").await);
    comments::add(&t.db, &f.finance, inds[0].id, "请核实运行率数据").await.unwrap();
    let e = comments::add(&t.db, &f.alice, inds[0].id, " ").await;
    assert!(matches!(e, Err(Error::Refused(Refusal::EmptyComment))), "{e:?}");
    let list = store::comments::of_project(&t.db, f.project_id).await.unwrap();
    let bodies: Vec<&str> = list.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["已补充佐证材料", "请核实运行率数据"]);
    assert_eq!(audit_count(t, &f).await, 2);

    // Fiscal years and their scoring profile.
    forbidden(admin::create_fiscal_year(&t.db, &f.alice, 2022, ScoringProfile::National).await);
    forbidden(admin::create_fiscal_year(&t.db, &f.finance, 2022, ScoringProfile::National).await);
    let y2022 = admin::create_fiscal_year(&t.db, &f.admin, 2022, ScoringProfile::Y2021).await.unwrap();
    assert_eq!(y2022.scoring_profile.0, ScoringProfile::Y2021);
    assert!(
        invalid(admin::create_fiscal_year(&t.db, &f.admin, 2022, ScoringProfile::National).await).contains("已存在")
    );
    // An unknown profile cannot be expressed here: the wire refuses it (tests/http.rs).
    assert!(invalid(admin::create_fiscal_year(&t.db, &f.admin, 1999, ScoringProfile::National).await).contains("1999"));
    let years = directory::fiscal_years(&t.db).await.unwrap();
    let y2021 = years.iter().find(|y| y.year == 2021).unwrap();
    assert_eq!(y2021.scoring_profile.0, ScoringProfile::National);
    admin::set_scoring_profile(&t.db, &f.admin, y2021.id, ScoringProfile::Y2021).await.unwrap();
    // The national weights of the demo do not fit the 2021 layout: submitting is refused.
    let check = transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    assert!(
        !check.weights_ok && check.problems().iter().any(|p| p.contains("评分方案「2021」")),
        "{:?}",
        check.problems()
    );
    admin::set_scoring_profile(&t.db, &f.admin, y2021.id, ScoringProfile::National).await.unwrap();
    assert!(transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap().problems().is_empty());
    forbidden(admin::set_scoring_profile(&t.db, &f.finance, y2021.id, ScoringProfile::Y2021).await);

    // Departments.
    let unit = admin::create_department(&t.db, &f.admin, "阿合奇县信息中心", Some(f.dept_a)).await.unwrap();
    assert_eq!(unit.parent_id, Some(f.dept_a));
    assert!(invalid(admin::create_department(&t.db, &f.admin, "阿合奇县信息中心", None).await).contains("已存在"));
    assert!(invalid(admin::create_department(&t.db, &f.admin, "新单位", Some(unit.id + 1000)).await).contains("不存在"));
    forbidden(admin::create_department(&t.db, &f.bob, "新单位", None).await);

    // Accounts.
    let carol = admin::create_user(&t.db, &f.admin, new_user("carol", Role::Department, Some(unit.id))).await.unwrap();
    assert!(
        invalid(admin::create_user(&t.db, &f.admin, new_user("carol", Role::Finance, None)).await).contains("已被使用")
    );
    forbidden(admin::create_user(&t.db, &f.finance, new_user("dave", Role::Finance, None)).await);
    assert!(invalid(admin::set_user_active(&t.db, &f.admin, f.admin.id, false, f.admin.version).await).contains("自己"));
    let off = admin::set_user_active(&t.db, &f.admin, carol.id, false, carol.version).await.unwrap();
    assert!(!off.active);
    assert!(matches!(admin::set_user_active(&t.db, &f.admin, carol.id, true, carol.version).await, Err(Error::Stale)));
    let e = accounts::verify_login(&t.db, "carol", PASSWORD, chrono::Utc::now()).await.unwrap_err();
    assert!(matches!(e, Error::Login(LoginRefusal::Inactive)), "{e:?}");
    let log = audit::all(&t.db).await.unwrap();
    for entity in [EntityKind::FiscalYear, EntityKind::Department, EntityKind::User] {
        assert!(log.iter().any(|l| l.entity.0 == entity && l.user_id == Some(f.admin.id)), "{entity:?} audited");
    }
    assert!(log.iter().all(|l| l.action.0 != AuditAction::Update || l.field.is_some()), "updates name their field");
}

/// Twelve 调整 proposed at once: exactly one is stored as pending, the others are refused with
/// "another 调整 is pending" (never a second pending version, never a database error).
async fn concurrent_adjustments_leave_one_pending(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let first = store::projects::indicators(&t.db, f.project_id).await.unwrap().remove(0);
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (db, user, project_id) = (t.db.clone(), f.alice.clone(), f.project_id);
            let change = vec![TargetChange {
                indicator_id: first.id,
                target_text: format!("{}座", i + 2),
                weight: first.weight.map(|w| w.0),
            }];
            tokio::spawn(async move { adjustment::propose(&db, &user, project_id, &change, "并发调整").await })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => stored += 1,
            Err(Error::Invalid(domain::input::Invalid::AdjustmentPending)) => {}
            Err(e) => panic!("a concurrent 调整 failed with {e:?}"),
        }
    }
    assert_eq!(stored, 1);
    let all = versions::of_project(&t.db, f.project_id).await.unwrap();
    assert_eq!(all.iter().filter(|v| v.version.state.0 == VersionState::Pending).count(), 1);
}

/// 申报截止 / 监控截止 / 自评截止: set, changed and cleared by the administrator only, audited
/// per field, all or nothing when one date is wrong.
async fn fiscal_year_deadlines(t: &TestDb) {
    use chrono::NaiveDate;
    let f = setup(t).await;
    let year = directory::fiscal_years(&t.db).await.unwrap().into_iter().find(|y| y.year == 2021).unwrap();
    let texts = |d: &str, m: &str, e: &str| {
        [(Phase::Declaration, d.to_owned()), (Phase::Monitoring, m.to_owned()), (Phase::SelfEvaluation, e.to_owned())]
    };
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    forbidden(admin::set_deadlines(&t.db, &f.finance, year.id, &texts("2021-03-31", "", "")).await);
    forbidden(admin::set_deadlines(&t.db, &f.alice, year.id, &texts("2021-03-31", "", "")).await);
    let saved = admin::set_deadlines(&t.db, &f.admin, year.id, &texts("2021-03-31", "2021/8/10", "2022年3月31日"))
        .await
        .unwrap();
    assert_eq!(
        (saved.declaration, saved.monitoring, saved.self_evaluation),
        (Some(date("2021-03-31")), Some(date("2021-08-10")), Some(date("2022-03-31")))
    );
    // One wrong date: nothing changes, and the error names the field.
    let e = invalid(admin::set_deadlines(&t.db, &f.admin, year.id, &texts("", "2021-08-11", "2019-01-01")).await);
    assert_eq!(e, "“自评截止”应在2021年或2022年内");
    let e = invalid(admin::set_deadlines(&t.db, &f.admin, year.id, &texts("明天", "", "")).await);
    assert!(e.contains("申报截止") && e.contains("明天"), "{e}");
    assert_eq!(directory::deadlines(&t.db).await.unwrap()[&year.id], saved);
    // Clearing one, moving another.
    let after = admin::set_deadlines(&t.db, &f.admin, year.id, &texts("", "2021-08-20", "2022-03-31")).await.unwrap();
    assert_eq!((after.declaration, after.monitoring), (None, Some(date("2021-08-20"))));
    let log = audit::all(&t.db).await.unwrap();
    let fields: Vec<(Field, Option<&str>, Option<&str>)> = log
        .iter()
        .filter(|l| l.entity.0 == EntityKind::FiscalYear && l.entity_id == year.id)
        .filter_map(|l| Some((l.field?.0, l.old_value.as_deref(), l.new_value.as_deref())))
        .collect();
    assert_eq!(
        fields.iter().filter(|(f, ..)| *f == Field::MonitoringDeadline).count(),
        2,
        "set then moved: {fields:?}"
    );
    assert!(fields.contains(&(Field::DeclarationDeadline, Some("2021-03-31"), None)), "{fields:?}");
    assert!(matches!(
        admin::set_deadlines(&t.db, &f.admin, year.id + 1000, &texts("", "", "")).await,
        Err(Error::NotFound(EntityKind::FiscalYear))
    ));
}

/// 复制到下一年度: the project's department (or an administrator) copies it into the next open
/// year as a new draft with the same indicators; nothing of last year's cycle comes along.
async fn copy_to_next_year(t: &TestDb) {
    use db::cycle::carry_over;
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let e = invalid(carry_over::copy_to_next_year(&t.db, &f.alice, f.project_id).await);
    assert_eq!(e, "2022 年度尚未设立，请联系系统管理员新增该年度");
    admin::create_fiscal_year(&t.db, &f.admin, 2022, ScoringProfile::National).await.unwrap();
    forbidden(carry_over::copy_to_next_year(&t.db, &f.bob, f.project_id).await);
    forbidden(carry_over::copy_to_next_year(&t.db, &f.finance, f.project_id).await);
    assert!(matches!(
        carry_over::copy_to_next_year(&t.db, &f.alice, f.project_id + 1000).await,
        Err(Error::NotFound(EntityKind::Project))
    ));
    let id = carry_over::copy_to_next_year(&t.db, &f.alice, f.project_id).await.unwrap();
    let (old, new) = (
        queries::project(&t.db, f.project_id).await.unwrap().unwrap(),
        queries::project(&t.db, id).await.unwrap().unwrap(),
    );
    assert_eq!(
        (new.year, new.department.as_str(), new.project.name.as_str()),
        (2022, old.department.as_str(), old.project.name.as_str())
    );
    assert_eq!(
        (new.project.funds_total, &new.project.overall_goal),
        (old.project.funds_total, &old.project.overall_goal)
    );
    let shape = |inds: Vec<db::entities::indicator::Model>| {
        inds.into_iter()
            .map(|i| (i.level1, i.level2, i.name, i.target_text, i.weight, i.direction, i.basis, i.core, i.version))
            .collect::<Vec<_>>()
    };
    let copied = shape(queries::indicators(&t.db, id).await.unwrap());
    assert_eq!(copied.len(), 17);
    assert!(copied.iter().all(|c| c.8 == 0), "fresh rows");
    let source: Vec<_> = shape(queries::indicators(&t.db, f.project_id).await.unwrap())
        .into_iter()
        .map(|mut c| {
            c.8 = 0;
            c
        })
        .collect();
    assert_eq!(copied, source);
    assert_eq!(store::phases::status(&t.db, id, Phase::Declaration).await.unwrap(), Status::Draft);
    assert_eq!(store::phases::status(&t.db, f.project_id, Phase::Declaration).await.unwrap(), Status::Approved);
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert!(
        log.iter().any(|l| l.field.map(|f| f.0) == Some(Field::CopiedFrom)
            && l.new_value.as_deref() == Some(format!("2021年度项目（编号 {}）", f.project_id).as_str())
            && l.user_id == Some(f.alice.id)),
        "{log:?}"
    );
    assert!(db::scores::stored_of(&t.db, &[id]).await.unwrap().contains_key(&id), "scored in the same transaction");
    let e = invalid(carry_over::copy_to_next_year(&t.db, &f.alice, f.project_id).await);
    assert!(e.contains("已存在"), "{e}");
    assert_eq!(queries::indicators(&t.db, id).await.unwrap().len(), 17, "the refused copy changed nothing");
}

on_both_databases!(
    copy_to_next_year,
    fiscal_year_deadlines,
    concurrent_adjustments_leave_one_pending,
    versions_and_adjustments,
    monitoring_entries,
    self_evaluation_and_review,
    comments_and_administration
);
