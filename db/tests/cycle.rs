//! The yearly cycle's content on SQLite and PostgreSQL: target versions and mid-year 调整,
//! 运行监控 entries, year-end actuals scored from what is stored, 财政复核 re-scores, comments and
//! administration — each with its permission checks, optimistic locking and audit rows.

use db::accounts::{self, LoginError};
use db::evaluation::{self, ActualInput, YearEndFunds};
use db::monitoring::{self, MonitoringInput};
use db::queries::{self, IndicatorEdit, UpdateError};
use db::testing::TestDb;
use db::versions::{self, TargetChange};
use db::workflow::{self, WorkflowError};
use db::{admin, audit, comments};
use domain::selfeval::SelfEvaluation;
use domain::workflow::{Action, Phase, Refusal, Role, Status};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[macro_use]
mod common;
use common::{act, new_user, setup, Fixture, PASSWORD};

fn invalid<T: std::fmt::Debug>(r: Result<T, UpdateError>) -> String {
    match r {
        Err(UpdateError::Invalid(m)) => m,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, UpdateError>) {
    match r {
        Err(UpdateError::Refused(Refusal::Forbidden { .. })) | Err(UpdateError::Forbidden(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Submits 目标申报 with the real rule check, as alice, and approves it as finance.
async fn approve_targets(t: &TestDb, f: &Fixture) {
    submit(t, f, Phase::Declaration).await.expect("the demo declaration may be submitted");
    act(t, f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
}

async fn submit(t: &TestDb, f: &Fixture, phase: Phase) -> Result<(), WorkflowError> {
    let check = workflow::submit_check(&t.db, f.project_id, phase).await.unwrap();
    let actor = accounts::actor(&f.alice);
    workflow::apply_transition(&t.db, &actor, &f.alice, f.project_id, phase, &Action::Submit, Some(&check), None)
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
    let check = workflow::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    assert!(check.problems().is_empty(), "{:?}", check.problems());
    let unweighted = IndicatorEdit {
        target_text: first.target_text.clone(),
        weight: None,
        direction: None,
        basis: Some("计划标准".into()),
        core: true,
    };
    let saved = queries::update_indicator(&t.db, &f.alice, first.id, &unweighted, first.version).await.unwrap();
    assert_eq!((saved.weight, saved.basis.as_deref(), saved.core, saved.version), (None, Some("计划标准"), true, 1));
    let problems = workflow::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap().problems();
    assert_eq!(problems[0], format!("以下指标未设置分值：{}", first.name));
    let e = submit(t, &f, Phase::Declaration).await.unwrap_err();
    assert!(matches!(e, WorkflowError::Refused(Refusal::RulesNotMet { .. })), "{e:?}");
    let bad_basis = IndicatorEdit { basis: Some("拍脑袋".into()), ..unweighted.clone() };
    assert!(invalid(queries::update_indicator(&t.db, &f.alice, first.id, &bad_basis, 1).await).contains("取值依据“拍脑袋”"));
    let bad_direction = IndicatorEdit { direction: Some("向上".into()), ..unweighted.clone() };
    assert!(invalid(queries::update_indicator(&t.db, &f.alice, first.id, &bad_direction, 1).await).contains("指标性质"));
    let restored = IndicatorEdit { weight: first.weight.map(|w| w.0), ..unweighted.clone() };
    queries::update_indicator(&t.db, &f.alice, first.id, &restored, 1).await.unwrap();
    let e = queries::update_indicator(&t.db, &f.alice, first.id, &restored, 1).await;
    assert!(matches!(e, Err(UpdateError::Conflict)) || e.is_ok(), "unchanged content is not a conflict only when nothing changes");
    forbidden(queries::update_indicator(&t.db, &f.bob, first.id, &restored, 2).await);
    forbidden(queries::update_indicator(&t.db, &f.finance, first.id, &restored, 2).await);

    // Before approval there is no version, and no 调整 either.
    assert!(versions::versions(&t.db, f.project_id).await.unwrap().is_empty());
    let change = |text: &str| vec![TargetChange { indicator_id: first.id, target_text: text.into(), weight: first.weight.map(|w| w.0) }];
    let e = versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("2座"), "新增设备").await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::NotNow { .. }))), "{e:?}");

    approve_targets(t, &f).await;
    let v = versions::versions(&t.db, f.project_id).await.unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].version.number, v[0].version.state.as_str()), (1, "approved"));
    assert_eq!(v[0].version.reason.as_deref(), Some("年初申报批复"));
    assert_eq!(v[0].items.len(), inds.len());
    let current = versions::current_targets(&t.db, f.project_id).await.unwrap();
    assert_eq!(current[&first.id].0, first.target_text);

    // Approved targets are locked: only a 调整 changes them.
    let e = queries::update_indicator(&t.db, &f.alice, first.id, &restored, 3).await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::Locked { .. }))), "{e:?}");

    let before = audit_count(t, &f).await;
    forbidden(versions::propose_adjustment(&t.db, &f.bob, f.project_id, &change("2座"), "x").await);
    forbidden(versions::propose_adjustment(&t.db, &f.finance, f.project_id, &change("2座"), "x").await);
    assert!(invalid(versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("2座"), "  ").await).contains("调整原因"));
    assert!(invalid(versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change(&first.target_text), "x").await)
        .contains("无需调整"));
    assert!(invalid(versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("**"), "x").await).contains("占位符"));
    assert_eq!(audit_count(t, &f).await, before, "refusals change nothing");

    let pending = versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("2座"), "新增设备一座").await.unwrap();
    assert_eq!((pending.number, pending.state.as_str(), pending.created_by), (2, "pending", Some(f.alice.id)));
    assert!(invalid(versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("3座"), "再调").await).contains("等待财政局审核"));
    // Scoring keeps using the approved version until the finance bureau decides.
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, first.target_text);

    forbidden(versions::decide_adjustment(&t.db, &f.alice, pending.id, true, None).await);
    assert!(invalid(versions::decide_adjustment(&t.db, &f.finance, pending.id, false, Some(" ")).await).contains("理由"));
    let approved = versions::decide_adjustment(&t.db, &f.finance, pending.id, true, Some("同意")).await.unwrap();
    assert_eq!((approved.state.as_str(), approved.decided_by), ("approved", Some(f.finance.id)));
    assert!(invalid(versions::decide_adjustment(&t.db, &f.finance, pending.id, false, Some("x")).await).contains("已处理"));
    let v = versions::versions(&t.db, f.project_id).await.unwrap();
    let states: Vec<&str> = v.iter().map(|v| v.version.state.as_str()).collect();
    assert_eq!(states, ["approved", "superseded"]);
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, "2座");
    let now = queries::indicators(&t.db, f.project_id).await.unwrap().remove(0);
    assert_eq!((now.target_text.as_str(), now.version), ("2座", 3));
    let log = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert!(log.iter().any(|l| l.entity == "indicator" && l.field.as_deref() == Some("target_text")
        && l.old_value.as_deref() == Some(first.target_text.as_str()) && l.new_value.as_deref() == Some("2座")));
    assert!(log.iter().any(|l| l.entity == "target_version" && l.new_value.as_deref() == Some("新增设备一座")));

    // A rejected 调整 changes no target.
    let again = versions::propose_adjustment(&t.db, &f.alice, f.project_id, &change("5座"), "再增").await.unwrap();
    let rejected = versions::decide_adjustment(&t.db, &f.admin, again.id, false, Some("依据不足")).await.unwrap();
    assert_eq!((rejected.state.as_str(), rejected.decision_note.as_deref()), ("rejected", Some("依据不足")));
    assert_eq!(versions::current_targets(&t.db, f.project_id).await.unwrap()[&first.id].0, "2座");
}

async fn monitoring_entries(t: &TestDb) {
    let f = setup(t).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    let possible = MonitoringInput {
        progress: Some("已完成60%".into()),
        forecast: Some("年底可完成".into()),
        likelihood: Some("有可能".into()),
        ..Default::default()
    };
    let e = invalid(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await);
    assert_eq!(e, "运行监控须在目标申报批复后才能填报");
    forbidden(monitoring::save_entry(&t.db, &f.bob, inds[0].id, &possible, 0).await);
    approve_targets(t, &f).await;
    forbidden(monitoring::save_entry(&t.db, &f.bob, inds[0].id, &possible, 0).await);
    forbidden(monitoring::save_entry(&t.db, &f.finance, inds[0].id, &possible, 0).await);
    let odd = MonitoringInput { likelihood: Some("也许".into()), ..possible.clone() };
    assert!(invalid(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &odd, 0).await).contains("完成目标可能性“也许”"));
    let odd = MonitoringInput { deviation_category: Some("天气".into()), ..possible.clone() };
    assert!(invalid(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &odd, 0).await).contains("偏差原因类别"));
    assert_eq!(audit_count(t, &f).await, 2, "only the two transitions and nothing of the refusals");

    let saved = monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await.unwrap();
    assert_eq!((saved.version, saved.likelihood.as_deref()), (1, Some("possible")));
    assert_eq!(audit_count(t, &f).await, 5, "one row per field entered");
    assert!(matches!(monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 0).await, Err(UpdateError::Conflict)));

    let check = workflow::submit_check(&t.db, f.project_id, Phase::Monitoring).await.unwrap();
    let problems = check.problems();
    assert_eq!(problems.len(), 2 * (inds.len() - 1) + 1, "{problems:?}");
    assert_eq!(problems.last().unwrap(), &format!("“{}”须填写偏差原因分析及改进措施", inds[0].name));
    assert!(matches!(submit(t, &f, Phase::Monitoring).await, Err(WorkflowError::Refused(Refusal::RulesNotMet { .. }))));

    let explained = MonitoringInput {
        deviation_category: Some("经费保障".into()),
        deviation_reason: Some("资金拨付滞后".into()),
        corrective_action: Some("加快拨付进度".into()),
        ..possible.clone()
    };
    monitoring::save_entry(&t.db, &f.alice, inds[0].id, &explained, 1).await.unwrap();
    let certain = MonitoringInput { progress: Some("按计划推进".into()), likelihood: Some("certain".into()), ..Default::default() };
    for ind in &inds[1..] {
        monitoring::save_entry(&t.db, &f.admin, ind.id, &certain, 0).await.unwrap();
    }
    let p = queries::project(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert!(invalid(monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(-1)), None, p.version).await).contains("不能为负数"));
    let p2 = monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(5.2)), Some(dec!(9.8)), p.version).await.unwrap();
    assert_eq!((p2.executed_jan_jul.map(|a| a.0), p2.version), (Some(dec!(5.2)), p.version + 1));
    assert!(matches!(
        monitoring::save_funds(&t.db, &f.alice, f.project_id, Some(dec!(6)), None, p.version).await,
        Err(UpdateError::Conflict)
    ));

    submit(t, &f, Phase::Monitoring).await.expect("complete monitoring may be submitted");
    let e = monitoring::save_entry(&t.db, &f.alice, inds[0].id, &possible, 2).await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::InvalidTransition { .. }))), "{e:?}");
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
            grade: e.grade.clone(),
            grade_score: e.score,
            evidence: Some("年度运维记录".into()),
            explanation: e.explanation.clone(),
        };
        let saved = evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 0).await.unwrap();
        assert_eq!(saved.actual_text, e.actual);
        assert!(saved.actual_parsed.is_some() == e.actual.is_some());
    }
    let odd = ActualInput { grade: Some("很好".into()), ..Default::default() };
    assert!(invalid(evaluation::save_actual(&t.db, &f.alice, inds[0].id, &odd, 1).await).contains("评价等级“很好”"));
    let too_much = ActualInput { grade: Some("达成年度指标".into()), grade_score: Some(dec!(99)), ..Default::default() };
    assert!(invalid(evaluation::save_actual(&t.db, &f.alice, inds[0].id, &too_much, 1).await).contains("超过分值"));
    assert!(matches!(
        evaluation::save_actual(&t.db, &f.alice, inds[0].id, &ActualInput::default(), 0).await,
        Err(UpdateError::Conflict)
    ));

    // What is stored scores exactly like the documented example.
    let stored = evaluation::self_evaluation(&t.db, f.project_id, false).await.unwrap().unwrap();
    let result = domain::selfeval::evaluate(&stored).unwrap();
    assert_eq!(result.total, domain::selfeval::evaluate(&ex).unwrap().total);
    assert_eq!(result.total, dec!(97.68));

    let problems = workflow::submit_check(&t.db, f.project_id, Phase::SelfEvaluation).await.unwrap().problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(submit(t, &f, Phase::SelfEvaluation).await, Err(WorkflowError::Refused(Refusal::RulesNotMet { .. }))));
    for name in ["LED 屏幕正常运行率", "受益群众满意度"] {
        let ind = inds.iter().find(|i| i.name == name).unwrap();
        let e = ex.indicators.iter().find(|e| e.name == name).unwrap();
        let input = ActualInput {
            actual_text: e.actual.clone(),
            grade: e.grade.clone(),
            grade_score: e.score,
            evidence: Some("年度运维记录".into()),
            explanation: Some("已说明偏差原因".into()),
        };
        evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 1).await.unwrap();
    }

    // Re-scoring waits for 财政复核中.
    let e = evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1), "佐证不足").await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::NotNow { .. }))), "{e:?}");
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
    let r = domain::selfeval::evaluate(&reviewed).unwrap();
    assert_eq!(r.indicators[0].score, dec!(1.5));
    assert_eq!(r.indicators[0].self_score, Some(self_score));
    assert!(r.indicators[0].explanation.contains("佐证材料不足"));
    let log = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert!(log.iter().any(|l| l.entity == "review_score" && l.field.as_deref() == Some("score") && l.new_value.as_deref() == Some("1.5")));

    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::Approve, None).await.unwrap();
    assert_eq!(workflow::phase_status(&t.db, f.project_id, Phase::SelfEvaluation).await.unwrap(), Status::Rated);
    let e = evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(1), "再改").await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::NotNow { .. }))), "{e:?}");
    let e = evaluation::save_actual(&t.db, &f.alice, inds[0].id, &ActualInput::default(), 1).await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::Locked { .. }))), "{e:?}");
}

async fn comments_and_administration(t: &TestDb) {
    let f = setup(t).await;
    let inds = queries::indicators(&t.db, f.project_id).await.unwrap();
    comments::add(&t.db, &f.alice, inds[0].id, "  已补充佐证材料 ").await.unwrap();
    forbidden(comments::add(&t.db, &f.bob, inds[0].id, "偷看").await);
    comments::add(&t.db, &f.finance, inds[0].id, "请核实运行率数据").await.unwrap();
    let e = comments::add(&t.db, &f.alice, inds[0].id, " ").await;
    assert!(matches!(e, Err(UpdateError::Refused(Refusal::NotNow { .. }))), "{e:?}");
    let list = comments::for_project(&t.db, f.project_id).await.unwrap();
    let bodies: Vec<&str> = list.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["已补充佐证材料", "请核实运行率数据"]);
    assert_eq!(audit_count(t, &f).await, 2);

    // Fiscal years and their scoring profile.
    forbidden(admin::create_fiscal_year(&t.db, &f.alice, 2022, "national").await);
    forbidden(admin::create_fiscal_year(&t.db, &f.finance, 2022, "national").await);
    let y2022 = admin::create_fiscal_year(&t.db, &f.admin, 2022, "2021").await.unwrap();
    assert_eq!(y2022.scoring_profile, "2021");
    assert!(invalid(admin::create_fiscal_year(&t.db, &f.admin, 2022, "national").await).contains("已存在"));
    assert!(invalid(admin::create_fiscal_year(&t.db, &f.admin, 2023, "provincial").await).contains("未知的评分方案"));
    let years = admin::fiscal_years(&t.db).await.unwrap();
    let y2021 = years.iter().find(|y| y.year == 2021).unwrap();
    assert_eq!(y2021.scoring_profile, "national");
    admin::set_scoring_profile(&t.db, &f.admin, y2021.id, "2021").await.unwrap();
    // The national weights of the demo do not fit the 2021 layout: submitting is refused.
    let check = workflow::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    assert!(!check.weights_ok && check.problems().iter().any(|p| p.contains("评分方案「2021」")), "{:?}", check.problems());
    admin::set_scoring_profile(&t.db, &f.admin, y2021.id, "national").await.unwrap();
    assert!(workflow::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap().problems().is_empty());
    forbidden(admin::set_scoring_profile(&t.db, &f.finance, y2021.id, "2021").await);

    // Departments.
    let unit = admin::create_department(&t.db, &f.admin, "阿合奇县信息中心", Some(f.dept_a)).await.unwrap();
    assert_eq!(unit.parent_id, Some(f.dept_a));
    assert!(invalid(admin::create_department(&t.db, &f.admin, "阿合奇县信息中心", None).await).contains("已存在"));
    assert!(invalid(admin::create_department(&t.db, &f.admin, "新单位", Some(unit.id + 1000)).await).contains("不存在"));
    forbidden(admin::create_department(&t.db, &f.bob, "新单位", None).await);

    // Accounts.
    let carol = admin::create_user(&t.db, &f.admin, new_user("carol", Role::Department, Some(unit.id))).await.unwrap();
    assert!(invalid(admin::create_user(&t.db, &f.admin, new_user("carol", Role::Finance, None)).await).contains("已被使用"));
    forbidden(admin::create_user(&t.db, &f.finance, new_user("dave", Role::Finance, None)).await);
    assert!(invalid(admin::set_user_active(&t.db, &f.admin, f.admin.id, false, f.admin.version).await).contains("自己"));
    let off = admin::set_user_active(&t.db, &f.admin, carol.id, false, carol.version).await.unwrap();
    assert!(!off.active);
    assert!(matches!(admin::set_user_active(&t.db, &f.admin, carol.id, true, carol.version).await, Err(UpdateError::Conflict)));
    let e = accounts::verify_login(&t.db, "carol", PASSWORD, chrono::Utc::now()).await.unwrap_err();
    assert!(matches!(e, LoginError::Inactive), "{e:?}");
    let log = audit::all(&t.db).await.unwrap();
    for entity in ["fiscal_year", "department", "app_user"] {
        assert!(log.iter().any(|l| l.entity == entity && l.user_id == Some(f.admin.id)), "{entity} audited");
    }
}

on_both_databases!(versions_and_adjustments, monitoring_entries, self_evaluation_and_review, comments_and_administration);
