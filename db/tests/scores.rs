//! Stored scores (`db::scores`, table `project_score`) on SQLite and PostgreSQL: every write that
//! changes a project's inputs — year-end funds, actuals, re-scores, the year's scoring profile —
//! stores the project's new total, grade and 预算执行率 in the same transaction; a refused write
//! leaves them as they were; a database without stored scores gets them when migrated.

use db::cycle::evaluation::{self, ActualInput, YearEndFunds};
use db::cycle::transition;
use db::entities::project_score;
use db::scores::{self, Stored};
use db::testing::TestDb;
use db::{accounts, admin, Error};
use domain::selfeval::SelfEvaluation;
use domain::vocab::{Grade, ScoringProfile};
use domain::workflow::{Action, Phase};
use rust_decimal_macros::dec;
use sea_orm::EntityTrait;

#[macro_use]
mod common;
use common::{act, setup, Fixture};

async fn stored(t: &TestDb, f: &Fixture) -> Stored {
    scores::stored_of(&t.db, &[f.project_id]).await.unwrap().remove(&f.project_id).expect("a stored score")
}

async fn assert_true(t: &TestDb) {
    let wrong = scores::mismatches(&t.db).await.unwrap();
    assert!(wrong.is_empty(), "stored scores differ from a fresh computation: {wrong:?}");
}

async fn stored_scores_follow_every_write(t: &TestDb) {
    let f = setup(t).await;
    // The demo project is scored when it is created: nothing entered yet.
    let fresh = stored(t, &f).await;
    assert!(!fresh.has_results);
    assert_true(t).await;

    let check = transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    let actor = accounts::actor(&f.alice);
    transition::apply(&t.db, &actor, &f.alice, f.project_id, Phase::Declaration, &Action::Submit, Some(&check), None)
        .await
        .unwrap();
    act(t, &f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
    assert_true(t).await;

    let ex: SelfEvaluation = serde_json::from_str(db::demo::EXAMPLE_EVALUATION).unwrap();
    let p = db::store::projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    let funds = YearEndFunds {
        budget_initial: Some(dec!(10)),
        budget_full_year: Some(ex.funds.budget),
        executed_full_year: Some(ex.funds.executed),
        execution_explanation: None,
    };
    evaluation::save_year_end_funds(&t.db, &f.alice, f.project_id, &funds, p.version).await.unwrap();
    let after_funds = stored(t, &f).await;
    assert!(after_funds.execution_rate.is_some(), "{after_funds:?}");
    assert_true(t).await;

    let inds = db::store::projects::indicators(&t.db, f.project_id).await.unwrap();
    for ind in &inds {
        let e = ex.indicators.iter().find(|e| e.name == ind.name).unwrap();
        let input = ActualInput {
            actual_text: e.actual.clone(),
            grade: e.grade,
            grade_score: e.score,
            evidence: None,
            explanation: Some("已说明偏差原因".into()),
        };
        evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 0).await.unwrap();
    }
    let entered = stored(t, &f).await;
    assert_eq!((entered.total, entered.grade, entered.has_results), (dec!(97.68), Some(Grade::Excellent), true));
    assert_true(t).await;

    // A refused write (stale version) changes nothing, the stored score included.
    let stale = ActualInput { actual_text: Some("0个".into()), ..Default::default() };
    assert!(matches!(evaluation::save_actual(&t.db, &f.alice, inds[0].id, &stale, 0).await, Err(Error::Stale)));
    assert_eq!(stored(t, &f).await, entered);

    // The finance bureau's re-score lowers the stored total.
    transition::apply(
        &t.db,
        &actor,
        &f.alice,
        f.project_id,
        Phase::SelfEvaluation,
        &Action::Submit,
        Some(&domain::workflow::SubmitCheck::passed()),
        None,
    )
    .await
    .unwrap();
    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::StartReview, None).await.unwrap();
    evaluation::rescore(&t.db, &f.finance, inds[0].id, dec!(0), "佐证材料不足").await.unwrap();
    let reviewed = stored(t, &f).await;
    assert!(reviewed.total < entered.total, "{reviewed:?} vs {entered:?}");
    assert_true(t).await;

    // A new scoring profile for the year re-scores its projects in the same transaction.
    let years = db::store::directory::fiscal_years(&t.db).await.unwrap();
    let year = years.iter().find(|y| y.year == 2021).unwrap();
    admin::set_scoring_profile(&t.db, &f.admin, year.id, ScoringProfile::Y2021).await.unwrap();
    assert_true(t).await;
    admin::set_scoring_profile(&t.db, &f.admin, year.id, ScoringProfile::National).await.unwrap();
    assert_eq!(stored(t, &f).await, reviewed);

    // A database whose scores were never stored gets them when migrated.
    project_score::Entity::delete_many().exec(&t.db).await.unwrap();
    assert!(scores::stored_of(&t.db, &[f.project_id]).await.unwrap().is_empty());
    // Readers score a missing row themselves meanwhile.
    let p = db::store::projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!(scores::of_projects(&t.db, &[p]).await.unwrap().remove(&f.project_id), Some(reviewed.clone()));
    db::migrate(&t.db).await.unwrap();
    assert_eq!(stored(t, &f).await, reviewed);
    assert_true(t).await;
}

on_both_databases!(stored_scores_follow_every_write);
