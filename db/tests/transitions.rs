//! Every transition the table allows, and every one it refuses, stored through
//! `db::cycle::transition::apply` on SQLite and PostgreSQL: for each phase, each status, each
//! action and each actor (own department, other department, finance, admin), the stored outcome
//! matches `domain::workflow::transition`; a refusal changes nothing, a success writes the new
//! status, bumps the version and appends its audit rows.

use db::accounts;
use db::cycle::transition::apply;
use db::entities::{project_phase, user};
use db::store::{audit, phases};
use db::testing::TestDb;
use db::{Error, Key};
use domain::workflow::{transition, Action, ActionKind, Phase, Status, SubmitCheck};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

#[macro_use]
mod common;
use common::{setup, Fixture};

/// Puts `phase` of the project in `status` (and 目标申报 in 已批复 for the later phases).
async fn force(t: &TestDb, f: &Fixture, phase: Phase, status: Status) {
    let declaration = if phase == Phase::Declaration { status } else { Status::Approved };
    for (p, s) in [(Phase::Declaration, declaration), (phase, status)] {
        project_phase::Entity::delete_many()
            .filter(project_phase::Column::ProjectId.eq(f.project_id))
            .filter(project_phase::Column::Phase.eq(Key(p)))
            .exec(&t.db)
            .await
            .unwrap();
        project_phase::ActiveModel {
            project_id: Set(f.project_id),
            phase: Set(Key(p)),
            status: Set(Key(s)),
            return_reason: Set(None),
            updated_by: Set(None),
            updated_at: Set(chrono::Utc::now()),
            version: Set(7),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
    }
}

fn action(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Submit => Action::Submit,
        ActionKind::Return => Action::Return { reason: "指标依据不足".into() },
        ActionKind::Approve => Action::Approve,
        ActionKind::StartReview => Action::StartReview,
        ActionKind::Reopen => Action::Reopen { reason: "需补充调整".into() },
        ActionKind::Edit => Action::Edit,
    }
}

async fn every_transition_matches_the_table(t: &TestDb) {
    let f = setup(t).await;
    let actors: [(&str, &user::Model); 4] =
        [("own department", &f.alice), ("other department", &f.bob), ("finance", &f.finance), ("admin", &f.admin)];
    let check = SubmitCheck::passed();
    let (mut allowed, mut refused) = (0, 0);
    for &phase in Phase::ALL {
        for &status in phase.statuses() {
            for &kind in ActionKind::ALL {
                for (who, user) in actors {
                    force(t, &f, phase, status).await;
                    let actor = accounts::actor(user);
                    let a = action(kind);
                    let expected = transition(&actor, f.dept_a, phase, status, &a, Some(&check));
                    let before = audit::for_project(&t.db, f.project_id).await.unwrap().len();
                    let got = apply(&t.db, &actor, user, f.project_id, phase, &a, Some(&check), Some(7)).await;
                    let now = phases::state(&t.db, f.project_id, phase).await.unwrap();
                    let after = audit::for_project(&t.db, f.project_id).await.unwrap().len();
                    let case = format!("{phase:?} {status:?} {kind:?} by {who}");
                    match (expected, got) {
                        (Ok(to), Ok(row)) => {
                            assert_eq!(now.status, to, "{case}");
                            if kind == ActionKind::Edit {
                                assert_eq!((row.version, after), (7, before), "{case}: 修改 changes no status");
                            } else {
                                assert_eq!(now.version, 8, "{case}");
                                let reasons = usize::from(a.reason().is_some());
                                assert_eq!(after, before + 1 + reasons, "{case}: audited");
                            }
                            allowed += 1;
                        }
                        (Err(want), Err(Error::Refused(got))) => {
                            assert_eq!(got, want, "{case}");
                            assert_eq!(
                                (now.status, now.version, after),
                                (status, 7, before),
                                "{case}: nothing changed"
                            );
                            refused += 1;
                        }
                        (want, got) => panic!("{case}: expected {want:?}, stored {got:?}"),
                    }
                }
            }
        }
    }
    // 13 statuses × 6 actions × 4 actors.
    assert_eq!(allowed + refused, 13 * 6 * 4);
    assert!(allowed >= 20 && refused > allowed, "{allowed} allowed, {refused} refused");
}

on_both_databases!(every_transition_matches_the_table);
