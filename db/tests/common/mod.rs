//! Shared by the database test files: a fixture with the demo project and one account per role,
//! transitions as a user, and running each scenario on both databases.
#![allow(dead_code, unused_macros)]

use db::accounts::{self, NewUser};
use db::cycle::transition;
use db::demo::{self, DemoOutcome};
use db::entities::{department, user};
use db::store::phases::PhaseState;
use db::store::projects;
use db::testing::TestDb;
use domain::workflow::{Action, Phase, Role, SubmitCheck};
use sea_orm::{ActiveModelTrait, Set};

pub const PASSWORD: &str = "correct horse 1";

/// A migrated database with the demo project (department A), a second department B, and one
/// account per role: root (admin), reviewer (finance), alice (A) and bob (B).
pub struct Fixture {
    pub project_id: i32,
    pub dept_a: i32,
    pub dept_b: i32,
    pub admin: user::Model,
    pub finance: user::Model,
    pub alice: user::Model,
    pub bob: user::Model,
}

pub fn new_user(username: &str, role: Role, department_id: Option<i32>) -> NewUser {
    NewUser {
        username: username.to_owned(),
        display_name: format!("{username} 的姓名"),
        password: PASSWORD.to_owned(),
        role,
        department_id,
    }
}

pub async fn setup(t: &TestDb) -> Fixture {
    db::migrate(&t.db).await.expect("migrations apply");
    let DemoOutcome::Loaded { project_id } = demo::load(&t.db).await.unwrap() else { panic!("fresh database") };
    let dept_a = projects::one(&t.db, project_id).await.unwrap().unwrap().project.department_id;
    let dept_b =
        department::ActiveModel {
            name: Set("阿合奇县另一部门".into()), parent_id: Set(None), ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap()
        .id;
    let create = |u: NewUser| accounts::create_user(&t.db, u);
    Fixture {
        project_id,
        dept_a,
        dept_b,
        admin: create(new_user("root", Role::Admin, None)).await.unwrap(),
        finance: create(new_user("reviewer", Role::Finance, None)).await.unwrap(),
        alice: create(new_user("alice", Role::Department, Some(dept_a))).await.unwrap(),
        bob: create(new_user("bob", Role::Department, Some(dept_b))).await.unwrap(),
    }
}

/// Performs a transition as `user` (its actor derived from the account).
pub async fn act(
    t: &TestDb,
    f: &Fixture,
    user: &user::Model,
    phase: Phase,
    action: Action,
    expected_version: Option<i32>,
) -> Result<PhaseState, db::Error> {
    let check = SubmitCheck::passed();
    let actor = accounts::actor(user);
    transition::apply(&t.db, &actor, user, f.project_id, phase, &action, Some(&check), expected_version).await
}

/// Runs each scenario on a fresh SQLite file and on a fresh PostgreSQL schema.
macro_rules! on_both_databases {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[allow(unused_imports)]
            use super::*;
            use db::testing::TestDb;

            #[tokio::test]
            async fn sqlite() {
                let t = TestDb::sqlite().await.unwrap();
                super::$scenario(&t).await;
                t.cleanup().await.unwrap();
            }

            #[tokio::test]
            async fn postgres() {
                let t = TestDb::postgres().await.expect("PostgreSQL at JIXIAO_TEST_PG_URL or 127.0.0.1:5432/test");
                super::$scenario(&t).await;
                t.cleanup().await.unwrap();
            }
        }
    )*};
}
