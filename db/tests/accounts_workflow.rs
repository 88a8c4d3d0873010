//! Accounts, login throttling, the session store, stored workflow transitions, optimistic locking
//! and the audit log, each on SQLite and on PostgreSQL.

use chrono::{DateTime, Duration, Utc};
use db::accounts::{self, NewUser};
use db::cycle::{declaration, transition};
use db::entities::user;
use db::session_store::{self, DbSessionStore};
use db::store::{audit, phases, projects, users};
use db::testing::TestDb;
use db::Error;
use domain::input::Invalid;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{Action, Denial, LoginRefusal, Phase, Refusal, Role, Status, SubmitCheck};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use std::collections::HashMap;
use tower_sessions::cookie::time::{Duration as TimeDuration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::{ExpiredDeletion, SessionStore};

#[macro_use]
mod common;
use common::{act, new_user, setup, PASSWORD};

fn invalid(r: Result<user::Model, Error>) -> String {
    match r {
        Err(Error::Invalid(m)) => m.to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// An audit row's old and new value as users read them.
fn shown(l: &db::entities::audit_log::Model) -> (Option<String>, Option<String>) {
    let show = |v: &Option<String>| v.as_ref().map(|v| l.field.map_or_else(|| v.clone(), |f| f.0.display_value(v)));
    (show(&l.old_value), show(&l.new_value))
}

async fn accounts_are_created_and_checked(t: &TestDb) {
    let f = setup(t).await;
    assert_eq!(f.alice.role.0, Role::Department);
    assert_eq!(f.alice.department_id, Some(f.dept_a));
    assert_eq!(f.bob.department_id, Some(f.dept_b));
    assert!(f.alice.active && f.alice.failed_logins == 0 && f.alice.version == 0 && f.alice.locked_until.is_none());

    // Argon2id hashes with their own salt; never the password itself.
    assert_ne!(f.alice.password_hash, PASSWORD);
    assert!(f.alice.password_hash.starts_with("$argon2id$"), "{}", f.alice.password_hash);
    assert_ne!(f.alice.password_hash, f.bob.password_hash, "same password, different salt");
    assert!(accounts::password_matches(PASSWORD, &f.alice.password_hash));
    assert!(!accounts::password_matches("wrong password", &f.alice.password_hash));
    assert!(!accounts::password_matches(PASSWORD, "not a hash"));

    let dup = accounts::create_user(&t.db, new_user(" alice ", Role::Department, Some(f.dept_a))).await;
    let Err(e @ Error::Invalid(Invalid::Duplicate { field: Field::Username, .. })) = dup else {
        panic!("duplicate accepted: {dup:?}")
    };
    assert_eq!(e.to_string(), "用户名“alice”已被使用，请换一个用户名");
    // Case and full width do not make a second account; the stored name is the plain one.
    for twin in ["ALICE", "ａｌｉｃｅ", "Ａlice"] {
        let dup = accounts::create_user(&t.db, new_user(twin, Role::Department, Some(f.dept_a))).await;
        assert!(
            matches!(dup, Err(Error::Invalid(Invalid::Duplicate { field: Field::Username, .. }))),
            "{twin}: {dup:?}"
        );
    }
    assert_eq!(accounts::verify_login(&t.db, " ALICE", PASSWORD, Utc::now()).await.unwrap().id, f.alice.id);
    assert_eq!(accounts::verify_login(&t.db, "ａｌｉｃｅ", PASSWORD, Utc::now()).await.unwrap().id, f.alice.id);
    // A NUL or other control character in the typed name is a wrong login, never a database error.
    let nul = accounts::verify_login(&t.db, "ali\u{0}ce", PASSWORD, Utc::now()).await;
    assert!(matches!(nul, Err(Error::Login(LoginRefusal::InvalidCredentials))), "{nul:?}");
    let weak = NewUser { password: "onlyletters".into(), ..new_user("carol", Role::Finance, None) };
    assert_eq!(invalid(accounts::create_user(&t.db, weak).await), "密码须同时包含字母和数字，且不能与用户名相同");
    let odd = new_user("carol smith", Role::Finance, None);
    assert!(invalid(accounts::create_user(&t.db, odd).await).starts_with("用户名只能包含"));

    let short = NewUser { password: "short".into(), ..new_user("carol", Role::Finance, None) };
    assert_eq!(invalid(accounts::create_user(&t.db, short).await), "密码至少需要8个字符");
    let blank = new_user("  ", Role::Finance, None);
    assert_eq!(invalid(accounts::create_user(&t.db, blank).await), "用户名不能为空");
    let long = new_user(&"长".repeat(65), Role::Finance, None);
    assert!(invalid(accounts::create_user(&t.db, long).await).contains("64"));
    let homeless = new_user("carol", Role::Department, None);
    assert_eq!(invalid(accounts::create_user(&t.db, homeless).await), "部门填报人员必须选择所属部门");
    let finance_in_dept = new_user("carol", Role::Finance, Some(f.dept_a));
    assert_eq!(
        invalid(accounts::create_user(&t.db, finance_in_dept).await),
        "财政局审核人员不属于任何部门，请不要选择部门"
    );
    let nowhere = new_user("carol", Role::Department, Some(f.dept_b + 1000));
    assert_eq!(invalid(accounts::create_user(&t.db, nowhere).await), "所选部门不存在");

    let users = users::all(&t.db).await.unwrap();
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    // After the demo's own accounts.
    assert_eq!(names[names.len() - 4..], ["root", "reviewer", "alice", "bob"]);
    assert_eq!(users::one(&t.db, f.bob.id).await.unwrap().as_ref(), Some(&f.bob));
    assert_eq!(users::one(&t.db, f.bob.id + 100).await.unwrap(), None);

    let alice = accounts::actor(&f.alice);
    assert_eq!((alice.user_id, alice.role, alice.department_id), (f.alice.id, Role::Department, Some(f.dept_a)));
    assert_eq!(accounts::actor(&f.admin).role, Role::Admin);
    assert_eq!(accounts::actor(&f.finance).role, Role::Finance);
    // A role the vocabulary does not know cannot even be read, so it can do nothing.
    t.db.execute_unprepared(&format!("UPDATE app_user SET role = 'superuser' WHERE id = {}", f.admin.id))
        .await
        .unwrap();
    assert!(users::one(&t.db, f.admin.id).await.is_err(), "unknown role can do nothing");
}

/// The database checks and audits every sign-in it is asked about, and locks no account: wrong
/// passwords cannot lock someone else out (throttling is the server's, per address and name,
/// before the database is asked — `domain::workflow::LoginThrottle` and server/tests/http.rs).
async fn logins_are_checked_and_audited(t: &TestDb) {
    let f = setup(t).await;
    let t0: DateTime<Utc> = "2026-03-01T02:00:00Z".parse().unwrap();
    let login = |name: &'static str, password: &'static str, at: DateTime<Utc>| {
        accounts::verify_login(&t.db, name, password, at)
    };

    let ok = login("alice", PASSWORD, t0).await.unwrap();
    assert_eq!(ok.id, f.alice.id);
    let unknown = login("nobody", PASSWORD, t0).await.unwrap_err();
    let wrong = login("alice", "wrong password", t0).await.unwrap_err();
    assert_eq!(unknown.to_string(), "用户名或密码错误");
    assert_eq!(wrong.to_string(), unknown.to_string(), "unknown user and wrong password look alike");

    // Ten wrong passwords lock nothing: the right one still works at once.
    for i in 0..10 {
        let e = login("alice", "wrong password", t0 + Duration::seconds(i)).await.unwrap_err();
        assert!(matches!(e, Error::Login(LoginRefusal::InvalidCredentials)), "{e:?}");
    }
    let back = login("alice", PASSWORD, t0 + Duration::seconds(11)).await.unwrap();
    assert_eq!((back.failed_logins, back.locked_until), (0, None));

    // An inactive account is refused, but only with the right password.
    let mut off = back.clone().into_active_model();
    off.active = Set(false);
    off.update(&t.db).await.unwrap();
    let later = t0 + Duration::hours(1);
    assert!(matches!(login("alice", PASSWORD, later).await, Err(Error::Login(LoginRefusal::Inactive))));
    assert_eq!(login("alice", PASSWORD, later).await.unwrap_err().to_string(), "账号已停用，请联系系统管理员");
    assert!(matches!(
        login("alice", "wrong password", later).await,
        Err(Error::Login(LoginRefusal::InvalidCredentials))
    ));

    // Every attempt is in the audit log: 2 successes; 1 + 1 + 10 + 2 + 1 failures.
    let log = audit::all(&t.db).await.unwrap();
    let count = |a: AuditAction| log.iter().filter(|l| l.action.0 == a).count();
    assert_eq!((count(AuditAction::Login), count(AuditAction::LoginFailed)), (2, 15));
    assert!(log.iter().all(|l| l.entity.0 == EntityKind::User && l.project_id.is_none()));
    let nobody = log.iter().find(|l| l.username == "nobody").unwrap();
    assert_eq!((nobody.user_id, nobody.entity_id), (None, 0));
    assert_eq!(nobody.new_value.as_deref(), Some("用户名不存在"));
    // Newest first.
    assert_eq!(log[0].at, later);
    assert_eq!(log[0].new_value.as_deref(), Some("密码错误"));

    // An administrator resets the password: the old one stops working, the rules apply.
    let weak = accounts::reset_password(&t.db, "alice", "weakpassword").await;
    assert!(matches!(weak, Err(Error::Invalid(Invalid::WeakPassword))), "{weak:?}");
    let nobody = accounts::reset_password(&t.db, "nobody", "new-pass-2026").await;
    assert!(matches!(nobody, Err(Error::NotFound(EntityKind::User))), "{nobody:?}");
    accounts::reset_password(&t.db, "ALICE", "new-pass-2026").await.unwrap();
    let mut on = users::one(&t.db, f.alice.id).await.unwrap().unwrap().into_active_model();
    on.active = Set(true);
    on.update(&t.db).await.unwrap();
    assert!(matches!(login("alice", PASSWORD, later).await, Err(Error::Login(LoginRefusal::InvalidCredentials))));
    assert_eq!(login("alice", "new-pass-2026", later).await.unwrap().id, f.alice.id);
    let reset = audit::all(&t.db).await.unwrap().into_iter().find(|l| l.field.map(|f| f.0) == Some(Field::Password));
    assert_eq!(reset.and_then(|l| l.new_value).as_deref(), Some("已重置"), "audited, without the password");
}

fn record(data: &[(&str, &str)], expiry: OffsetDateTime) -> Record {
    let data: HashMap<String, serde_json::Value> = data.iter().map(|(k, v)| ((*k).to_owned(), (*v).into())).collect();
    Record { id: Id::default(), data, expiry_date: expiry }
}

async fn sessions_round_trip(t: &TestDb) {
    db::migrate(&t.db).await.unwrap();
    let store = DbSessionStore::new(t.db.clone());
    let now = OffsetDateTime::now_utc();

    let mut live = record(&[("user_id", "7")], now + TimeDuration::hours(8));
    store.create(&mut live).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap().as_ref(), Some(&live));

    live.data.insert("csrf".into(), "abc".into());
    live.expiry_date = now + TimeDuration::hours(9);
    store.save(&live).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap().as_ref(), Some(&live));

    // A colliding id on create gets a new one.
    let mut twin = record(&[("user_id", "8")], now + TimeDuration::hours(1));
    twin.id = live.id;
    store.create(&mut twin).await.unwrap();
    assert_ne!(twin.id, live.id);
    assert_eq!(store.load(&live.id).await.unwrap().as_ref(), Some(&live), "original untouched");

    // Expired sessions are never loaded, and are deleted in bulk.
    let mut stale = record(&[("user_id", "9")], now - TimeDuration::seconds(1));
    store.create(&mut stale).await.unwrap();
    assert_eq!(store.load(&stale.id).await.unwrap(), None);
    assert_eq!(session_store::delete_expired(&t.db).await.unwrap(), 1);
    store.delete_expired().await.unwrap();
    assert!(store.load(&live.id).await.unwrap().is_some());

    store.delete(&live.id).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap(), None);
    store.delete(&live.id).await.unwrap(); // deleting twice is fine
    assert_eq!(store.load(&twin.id).await.unwrap().map(|r| r.data), Some(twin.data));
    assert_eq!(store.load(&Id::default()).await.unwrap(), None);
}

fn returned(reason: &str) -> Action {
    Action::Return { reason: reason.to_owned() }
}

async fn declaration_cycle(t: &TestDb) {
    let f = setup(t).await;
    let p = f.project_id;
    let declaration = || phases::state(&t.db, p, Phase::Declaration);
    let history = || audit::for_project(&t.db, p);
    let start = declaration().await.unwrap();
    assert_eq!((start.status, start.version, start.updated_at), (Status::Draft, 0, None));
    let states = phases::of_project(&t.db, p).await.unwrap();
    let statuses: Vec<Status> = states.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [Status::Draft, Status::Filling, Status::Draft]);

    // Refusals change nothing: another department, a role that never submits, a failed check.
    let e = act(t, &f, &f.bob, Phase::Declaration, Action::Submit, Some(0)).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::Forbidden { denial: Denial::OtherDepartment, .. })), "{e:?}");
    assert_eq!(e.to_string(), "只能查看和办理本部门的项目");
    let e = act(t, &f, &f.finance, Phase::Declaration, Action::Submit, None).await.unwrap_err();
    assert_eq!(e.to_string(), "财政局审核人员不能执行“提交”操作");
    let failing = SubmitCheck { weights_ok: false, ..SubmitCheck::default() };
    let alice = accounts::actor(&f.alice);
    let e = transition::apply(&t.db, &alice, &f.alice, p, Phase::Declaration, &Action::Submit, Some(&failing), None)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::RulesNotMet { .. })), "{e:?}");
    let e = act(t, &f, &f.alice, Phase::Declaration, Action::Approve, None).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::Forbidden { .. })), "{e:?}");
    let missing = transition::apply(&t.db, &alice, &f.alice, p + 99, Phase::Declaration, &Action::Submit, None, None);
    assert!(matches!(missing.await, Err(Error::NotFound(EntityKind::Project))));
    assert_eq!(declaration().await.unwrap(), start);
    assert!(history().await.unwrap().is_empty());

    // 提交 → 退回 (with reason) → 提交 → 批复.
    let row = act(t, &f, &f.alice, Phase::Declaration, Action::Submit, Some(0)).await.unwrap();
    assert_eq!(
        (row.phase, row.status, row.version, row.updated_by),
        (Phase::Declaration, Status::Submitted, 1, Some(f.alice.id))
    );
    let e = act(t, &f, &f.finance, Phase::Declaration, returned("   "), Some(1)).await.unwrap_err();
    assert_eq!(e.to_string(), "退回须填写原因");
    let row = act(t, &f, &f.finance, Phase::Declaration, returned("  指标值不够具体  "), Some(1)).await.unwrap();
    assert_eq!((row.status, row.version), (Status::Returned, 2));
    let state = declaration().await.unwrap();
    assert_eq!((state.status, state.return_reason.as_deref()), (Status::Returned, Some("指标值不够具体")));
    assert_eq!(state.updated_by, Some(f.finance.id));
    let row = act(t, &f, &f.alice, Phase::Declaration, Action::Submit, Some(2)).await.unwrap();
    assert_eq!((row.status, row.return_reason, row.version), (Status::Submitted, None, 3));
    let e = act(t, &f, &f.alice, Phase::Declaration, Action::Submit, Some(3)).await.unwrap_err();
    assert_eq!(e.to_string(), "目标申报当前为“已提交”，不能提交");
    let row = act(t, &f, &f.finance, Phase::Declaration, Action::Approve, Some(3)).await.unwrap();
    assert_eq!((row.status, row.version), (Status::Approved, 4));
    assert_eq!(phases::status(&t.db, p, Phase::Declaration).await.unwrap(), Status::Approved);
    let e = act(t, &f, &f.alice, Phase::Declaration, Action::Edit, None).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::Locked { .. })), "{e:?}");
    let row_id = phases::row(&t.db, p, Phase::Declaration).await.unwrap().unwrap().id;

    // One audit row per status change, plus one for the reason; newest first.
    let log = history().await.unwrap();
    let changes: Vec<(&str, &str, Option<String>, Option<String>)> = log
        .iter()
        .map(|l| {
            let (old, new) = shown(l);
            (l.username.as_str(), l.field.map_or("", |f| f.0.key()), old, new)
        })
        .collect();
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        changes,
        [
            ("reviewer", "status", s("已提交"), s("已批复")),
            ("alice", "status", s("退回"), s("已提交")),
            ("reviewer", "return_reason", None, s("指标值不够具体")),
            ("reviewer", "status", s("已提交"), s("退回")),
            ("alice", "status", s("草稿"), s("已提交")),
        ]
    );
    assert!(log.iter().all(|l| l.action.0 == AuditAction::Transition
        && l.entity.0 == EntityKind::ProjectPhase
        && l.entity_id == row_id));
    assert!(log.iter().all(|l| l.project_id == Some(p)));

    // The admin reopens with a reason; back to 草稿.
    let row = act(t, &f, &f.admin, Phase::Declaration, Action::Reopen { reason: "调整年度目标".into() }, Some(4))
        .await
        .unwrap();
    assert_eq!((row.status, row.return_reason.as_deref(), row.version), (Status::Draft, Some("调整年度目标"), 5));
    assert_eq!(history().await.unwrap().len(), 7);
}

async fn later_phases_wait_for_approval(t: &TestDb) {
    let f = setup(t).await;
    for phase in [Phase::Monitoring, Phase::SelfEvaluation] {
        let e = act(t, &f, &f.alice, phase, Action::Submit, None).await.unwrap_err();
        assert!(matches!(e, Error::Invalid(Invalid::PhaseUnavailable { .. })), "{e:?}");
        // Another department learns nothing, not even that the phase is closed.
        let e = act(t, &f, &f.bob, phase, Action::Submit, None).await.unwrap_err();
        assert!(matches!(e, Error::Refused(Refusal::Forbidden { .. })), "{e:?}");
    }
    let e = act(t, &f, &f.alice, Phase::Monitoring, Action::Submit, None).await.unwrap_err();
    assert_eq!(e.to_string(), "运行监控须在目标申报批复后才能办理");
    assert!(audit::for_project(&t.db, f.project_id).await.unwrap().is_empty());

    act(t, &f, &f.alice, Phase::Declaration, Action::Submit, None).await.unwrap();
    act(t, &f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
    let row = act(t, &f, &f.alice, Phase::Monitoring, Action::Submit, Some(0)).await.unwrap();
    assert_eq!((row.phase, row.status, row.version), (Phase::Monitoring, Status::Submitted, 1));
    act(t, &f, &f.finance, Phase::Monitoring, Action::Approve, Some(1)).await.unwrap();
    assert_eq!(phases::status(&t.db, f.project_id, Phase::Monitoring).await.unwrap(), Status::Reviewed);
    act(t, &f, &f.alice, Phase::SelfEvaluation, Action::Submit, None).await.unwrap();
    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::StartReview, None).await.unwrap();
    act(t, &f, &f.finance, Phase::SelfEvaluation, Action::Approve, None).await.unwrap();
    let statuses: Vec<Status> =
        phases::of_project(&t.db, f.project_id).await.unwrap().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [Status::Approved, Status::Reviewed, Status::Rated]);
    assert_eq!(audit::for_project(&t.db, f.project_id).await.unwrap().len(), 7);
}

async fn stale_versions_conflict(t: &TestDb) {
    let f = setup(t).await;
    let p = f.project_id;
    // An edit is only checked: the status and the version stay, and nothing is audited.
    let row = act(t, &f, &f.admin, Phase::Declaration, Action::Edit, Some(0)).await.unwrap();
    assert_eq!((row.status, row.version, row.updated_by), (Status::Draft, 0, None));
    assert_eq!(act(t, &f, &f.alice, Phase::Declaration, Action::Edit, None).await.unwrap(), row);
    // Nobody has changed the phase: only version 0 is current.
    let e = act(t, &f, &f.alice, Phase::Declaration, Action::Submit, Some(1)).await.unwrap_err();
    assert!(matches!(e, Error::Stale), "{e:?}");
    act(t, &f, &f.alice, Phase::Declaration, Action::Submit, Some(0)).await.unwrap();
    let before = phases::state(&t.db, p, Phase::Declaration).await.unwrap();
    let e = act(t, &f, &f.finance, Phase::Declaration, returned("重复"), Some(0)).await.unwrap_err();
    assert!(matches!(e, Error::Stale), "{e:?}");
    assert_eq!(e.to_string(), "数据已被他人修改，请刷新后重试");
    assert_eq!(phases::state(&t.db, p, Phase::Declaration).await.unwrap(), before);
    assert_eq!((before.status, before.version), (Status::Submitted, 1));
    assert_eq!(audit::for_project(&t.db, p).await.unwrap().len(), 1);
    // 运行监控 is not open yet, not even for the admin's edits.
    let row = act(t, &f, &f.admin, Phase::Monitoring, Action::Edit, None).await;
    assert!(matches!(row, Err(Error::Invalid(Invalid::PhaseUnavailable { .. }))), "{row:?}");
}

async fn indicator_targets_use_optimistic_locking(t: &TestDb) {
    let f = setup(t).await;
    let p = f.project_id;
    let first = projects::indicators(&t.db, p).await.unwrap().remove(0);
    assert_eq!((first.target_text.as_str(), first.version), ("1座", 0));
    let update = |user: &user::Model, text: &'static str, version: i32| {
        let user = user.clone();
        let db = t.db.clone();
        async move { declaration::update_indicator_target(&db, &user, first.id, text, version).await }
    };

    let saved = update(&f.alice, " 2座 ", 0).await.unwrap();
    assert_eq!((saved.target_text.as_str(), saved.version), ("2座", 1));
    // Someone still looking at version 0 is refused, and nothing changes.
    let e = update(&f.admin, "3座", 0).await.unwrap_err();
    assert!(matches!(e, Error::Stale), "{e:?}");
    assert_eq!(e.to_string(), "数据已被他人修改，请刷新后重试");
    let e = update(&f.bob, "4座", 1).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::Forbidden { .. })), "{e:?}");
    let e = update(&f.finance, "4座", 1).await.unwrap_err();
    assert_eq!(e.to_string(), "财政局审核人员不能执行“修改”操作");
    assert!(matches!(update(&f.alice, "   ", 1).await, Err(Error::Invalid(_))));
    let e = declaration::update_indicator_target(&t.db, &f.alice, first.id + 1000, "1座", 0).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(EntityKind::Indicator)), "{e:?}");
    // The same text again writes nothing.
    assert_eq!(update(&f.alice, "2座", 1).await.unwrap().version, 1);
    let saved = update(&f.admin, "3座", 1).await.unwrap();
    assert_eq!((saved.target_text.as_str(), saved.version), ("3座", 2));

    let log = audit::for_project(&t.db, p).await.unwrap();
    let changes: Vec<(&str, &str, Option<&str>, Option<&str>)> = log
        .iter()
        .map(|l| (l.username.as_str(), l.action.0.key(), l.old_value.as_deref(), l.new_value.as_deref()))
        .collect();
    assert_eq!(changes, [("root", "update", Some("2座"), Some("3座")), ("alice", "update", Some("1座"), Some("2座"))]);
    assert!(log.iter().all(|l| l.entity.0 == EntityKind::Indicator && l.entity_id == first.id));
    assert!(log.iter().all(|l| l.field.map(|f| f.0) == Some(Field::TargetText)));

    // Once the targets are 已批复 they are locked.
    act(t, &f, &f.alice, Phase::Declaration, Action::Submit, None).await.unwrap();
    act(t, &f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
    let e = update(&f.alice, "5座", 2).await.unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::Locked { .. })), "{e:?}");
    let unchanged = db::entities::indicator::Entity::find_by_id(first.id).one(&t.db).await.unwrap().unwrap();
    assert_eq!((unchanged.target_text.as_str(), unchanged.version), ("3座", 2));
    assert_eq!(audit::for_project(&t.db, p).await.unwrap().len(), 4);
}

/// The indicator library, deadlines, stored scores, imports, vocabulary, cycle and accounts
/// migrations revert cleanly and apply again.
async fn accounts_migration_reverts(t: &TestDb) {
    use migrations::MigratorTrait;
    let f = setup(t).await;
    assert!(db::scores::stored_of(&t.db, &[f.project_id]).await.is_ok());
    assert!(db::store::directory::deadlines(&t.db).await.is_ok());
    assert!(!db::library::all(&t.db).await.unwrap().is_empty(), "seeded");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("library migration reverts");
    assert!(db::library::all(&t.db).await.is_err(), "no indicator_library table");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("deadlines migration reverts");
    assert!(db::store::directory::deadlines(&t.db).await.is_err(), "no phase_deadline table");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("stored scores migration reverts");
    assert!(db::scores::stored_of(&t.db, &[f.project_id]).await.is_err(), "no project_score table");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("imports migration reverts");
    assert!(sheets_records_gone(t).await, "no import_record table");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("vocabulary migration reverts");
    assert_eq!(projects::indicators(&t.db, f.project_id).await.map(|i| i.len()).ok(), Some(17), "same columns");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("cycle migration reverts");
    assert_eq!(projects::indicators(&t.db, f.project_id).await.map(|i| i.len()).ok(), None, "no weight column");
    migrations::Migrator::down(&t.db, Some(1)).await.expect("accounts migration reverts");
    assert_eq!(projects::indicators(&t.db, f.project_id).await.map(|i| i.len()).ok(), None, "no version column");
    db::migrate(&t.db).await.expect("and applies again");
    assert_eq!(db::library::all(&t.db).await.unwrap().len(), db::library::seed_entries().len(), "seeded again");
    assert!(projects::indicators(&t.db, f.project_id).await.unwrap().iter().all(|i| i.version == 0));
    assert!(users::all(&t.db).await.unwrap().is_empty());
}

async fn sheets_records_gone(t: &TestDb) -> bool {
    use sea_orm::EntityTrait;
    db::entities::import_record::Entity::find().all(&t.db).await.is_err()
}

on_both_databases!(
    accounts_are_created_and_checked,
    logins_are_checked_and_audited,
    sessions_round_trip,
    declaration_cycle,
    later_phases_wait_for_approval,
    stale_versions_conflict,
    indicator_targets_use_optimistic_locking,
    accounts_migration_reverts,
);
