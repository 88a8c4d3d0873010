//! Projects from scratch on SQLite and PostgreSQL: 新建项目 with its header, the indicator tree
//! built, edited, reordered and pruned while the declaration is a draft, the 指标库 seeded from the
//! fixtures and managed by the administrator — each write checked, versioned and audited.

use db::cycle::declaration::{self, IndicatorEdit, NewIndicatorEdit};
use db::cycle::new_project::{self, Header};
use db::cycle::transition;
use db::store::{self, audit};
use db::testing::TestDb;
use db::Error;
use db::{accounts, library};
use domain::library::LibraryEntry;
use domain::vocab::{AuditAction, EntityKind, Field, IndicatorNature};
use domain::workflow::{Action, Phase, Refusal, Status};
use rust_decimal_macros::dec;

#[macro_use]
mod common;
use common::setup;

fn invalid<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Invalid(m)) => m.to_string(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, Error>) -> Refusal {
    match r {
        Err(Error::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn header(name: &str) -> Header {
    Header {
        name: name.to_owned(),
        implementing_unit: Some("县电子政务办".to_owned()),
        funds_fiscal: Some(dec!(8)),
        funds_other: Some(dec!(0.5)),
        overall_goal: "保障政府网站安全稳定运行".to_owned(),
        annual_goals: "目标1：维护网站\n目标2：完成测评".to_owned(),
    }
}

fn indicator(level1: &str, level2: &str, name: &str, target: &str, weight: rust_decimal::Decimal) -> NewIndicatorEdit {
    NewIndicatorEdit {
        level1: level1.to_owned(),
        level2: level2.to_owned(),
        name: name.to_owned(),
        edit: IndicatorEdit { target_text: target.to_owned(), weight: Some(weight), ..Default::default() },
    }
}

async fn names(t: &TestDb, project_id: i32) -> Vec<String> {
    store::projects::indicators(&t.db, project_id).await.unwrap().into_iter().map(|i| i.name).collect()
}

/// A department creates a project, builds its indicator tree, reorders and prunes it, fixes its
/// header and submits it; others may not touch it and bad input changes nothing.
async fn create_and_build_a_project(t: &TestDb) {
    let f = setup(t).await;
    // Who may create: the department (its own), an administrator (any); not the 财政局.
    assert!(refused(new_project::create_project(&t.db, &f.finance, None, 2021, &header("x")).await).is_forbidden());
    assert!(
        refused(new_project::create_project(&t.db, &f.bob, Some(f.dept_a), 2021, &header("x")).await).is_forbidden()
    );
    assert_eq!(
        invalid(new_project::create_project(&t.db, &f.admin, None, 2021, &header("x")).await),
        "“所属部门”不能为空"
    );
    let e = invalid(new_project::create_project(&t.db, &f.alice, None, 2030, &header("x")).await);
    assert!(e.contains("2030 年度尚未设立"), "{e}");
    assert_eq!(
        invalid(new_project::create_project(&t.db, &f.alice, None, 2021, &header(" ")).await),
        "“项目名称”不能为空"
    );
    let negative = Header { funds_other: Some(dec!(-1)), ..header("网站运维") };
    assert!(invalid(new_project::create_project(&t.db, &f.alice, None, 2021, &negative).await).contains("其他资金"));
    let before = store::projects::count(&t.db).await.unwrap();

    let id = new_project::create_project(&t.db, &f.alice, None, 2021, &header(" 网站运维 ")).await.unwrap();
    let row = store::projects::one(&t.db, id).await.unwrap().unwrap();
    assert_eq!((row.project.name.as_str(), row.year, row.project.department_id), ("网站运维", 2021, f.dept_a));
    assert_eq!((row.project.funds_total.0, row.project.funds_fiscal.0), (dec!(8.5), dec!(8)));
    assert_eq!(row.project.annual_goals, "目标1：维护网站\n目标2：完成测评");
    assert_eq!(store::phases::status(&t.db, id, Phase::Declaration).await.unwrap(), Status::Draft);
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert!(log.iter().any(|l| l.field.map(|f| f.0) == Some(Field::ProjectName)
        && l.action.0 == AuditAction::Create
        && l.user_id == Some(f.alice.id)));
    assert!(
        invalid(new_project::create_project(&t.db, &f.alice, None, 2021, &header("网站运维")).await).contains("已存在")
    );
    assert_eq!(store::projects::count(&t.db).await.unwrap(), before + 1, "refused creations changed nothing");
    // An administrator creates for a named department.
    let other = new_project::create_project(&t.db, &f.admin, Some(f.dept_b), 2021, &header("网站运维")).await.unwrap();
    assert_eq!(store::projects::one(&t.db, other).await.unwrap().unwrap().project.department_id, f.dept_b);

    // The indicator tree: standard levels only, readable values, new names within a 二级.
    let wrong = indicator("产出指标", "社会效益指标", "某指标", "1个", dec!(10));
    assert!(invalid(declaration::add_indicator(&t.db, &f.alice, id, &wrong).await).contains("没有二级指标"));
    let placeholder = indicator("产出指标", "数量指标", "维护网站数量", "**个", dec!(10));
    assert!(invalid(declaration::add_indicator(&t.db, &f.alice, id, &placeholder).await).contains("占位符"));
    let heavy = indicator("产出指标", "数量指标", "维护网站数量", "1个", dec!(101));
    assert!(invalid(declaration::add_indicator(&t.db, &f.alice, id, &heavy).await).contains("分值"));
    let count = indicator("产出指标", "数量指标", "维护网站数量", "1个", dec!(25));
    assert!(refused(declaration::add_indicator(&t.db, &f.bob, id, &count).await).is_forbidden());
    assert!(refused(declaration::add_indicator(&t.db, &f.finance, id, &count).await).is_forbidden());
    assert!(names(t, id).await.is_empty(), "refused additions changed nothing");

    let first = declaration::add_indicator(&t.db, &f.alice, id, &count).await.unwrap();
    assert_eq!((first.version, first.weight.map(|w| w.0)), (1, Some(dec!(25))));
    assert!(first.target_parsed.as_deref().is_some_and(|p| p.contains("quantity")), "{:?}", first.target_parsed);
    assert!(invalid(declaration::add_indicator(&t.db, &f.alice, id, &count).await).contains("已存在"));
    let satisfaction = indicator("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥95%", dec!(10));
    declaration::add_indicator(&t.db, &f.alice, id, &satisfaction).await.unwrap();
    let benefit = indicator("效益指标", "社会效益指标", "网站正常运行率", "100%", dec!(30));
    let benefit = declaration::add_indicator(&t.db, &f.alice, id, &benefit).await.unwrap();
    let second = indicator("产出指标", "数量指标", "测评网站数量", "1个", dec!(25));
    let second = declaration::add_indicator(&t.db, &f.alice, id, &second).await.unwrap();
    let stray = indicator("产出指标", "质量指标", "多余指标", "有效", dec!(0));
    let stray = declaration::add_indicator(&t.db, &f.alice, id, &stray).await.unwrap();
    assert_eq!(names(t, id).await, ["维护网站数量", "受益群众满意度", "网站正常运行率", "测评网站数量", "多余指标"]);

    // Reordering within a 二级: up past its sibling, then at the group's edge nothing moves.
    let e = declaration::move_indicator(&t.db, &f.alice, second.id, true, 0).await.unwrap_err();
    assert!(matches!(e, Error::Stale), "{e:?}");
    assert!(refused(declaration::move_indicator(&t.db, &f.bob, second.id, true, second.version).await).is_forbidden());
    declaration::move_indicator(&t.db, &f.alice, second.id, true, second.version).await.unwrap();
    let order = names(t, id).await;
    assert_eq!(order[..2], ["测评网站数量", "受益群众满意度"], "{order:?}");
    assert_eq!(order.iter().position(|n| n == "维护网站数量"), Some(3));
    let moved = store::projects::indicator(&t.db, second.id).await.unwrap().unwrap();
    declaration::move_indicator(&t.db, &f.alice, second.id, true, moved.version).await.unwrap();
    assert_eq!(names(t, id).await, order, "the first of its group stays first");
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert_eq!(log.iter().filter(|l| l.field.map(|f| f.0) == Some(Field::SortOrder)).count(), 2);

    // Filing under another 二级: stale, an unknown pair, another department and a name already
    // used there are refused; then it goes to the end of the table, audited, and back again.
    let b = benefit;
    let regroup = |user: &'static str, level1: &'static str, level2: &'static str, version: i32| {
        let user = match user {
            "alice" => f.alice.clone(),
            _ => f.bob.clone(),
        };
        let db = t.db.clone();
        async move { declaration::regroup_indicator(&db, &user, b.id, level1, level2, version).await }
    };
    assert!(matches!(regroup("alice", "产出指标", "质量指标", b.version + 1).await, Err(Error::Stale)));
    assert!(invalid(regroup("alice", "产出指标", "社会效益指标", b.version).await).contains("没有二级指标"));
    assert!(refused(regroup("bob", "产出指标", "质量指标", b.version).await).is_forbidden());
    let twin = indicator("产出指标", "质量指标", "网站正常运行率", "≥98%", dec!(0));
    let twin = declaration::add_indicator(&t.db, &f.alice, id, &twin).await.unwrap();
    assert!(invalid(regroup("alice", "产出指标", "质量指标", b.version).await).contains("已存在"));
    declaration::remove_indicator(&t.db, &f.alice, twin.id, twin.version).await.unwrap();
    let before = names(t, id).await;
    let moved = regroup("alice", "产出指标", "质量指标", b.version).await.unwrap();
    assert_eq!((moved.level1.as_str(), moved.level2.as_str(), moved.version), ("产出指标", "质量指标", b.version + 1));
    let after = names(t, id).await;
    assert_eq!(after.last().map(String::as_str), Some("网站正常运行率"), "{after:?}");
    assert_eq!(after.len(), before.len());
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert!(log.iter().any(|l| l.entity_id == b.id
        && l.field.map(|f| f.0) == Some(Field::Level2)
        && l.old_value.as_deref() == Some("社会效益指标")
        && l.new_value.as_deref() == Some("质量指标")));
    let same = regroup("alice", "产出指标", "质量指标", moved.version).await.unwrap();
    assert_eq!(same.version, moved.version, "filed where it is: nothing changes");
    let back = regroup("alice", "效益指标", "社会效益指标", moved.version).await.unwrap();
    assert_eq!((back.level1.as_str(), back.level2.as_str()), ("效益指标", "社会效益指标"));

    // Removing: stale refused, then gone with a 删除 audit row.
    assert!(matches!(declaration::remove_indicator(&t.db, &f.alice, stray.id, 7).await, Err(Error::Stale)));
    assert!(refused(declaration::remove_indicator(&t.db, &f.bob, stray.id, stray.version).await).is_forbidden());
    declaration::remove_indicator(&t.db, &f.alice, stray.id, stray.version).await.unwrap();
    assert!(!names(t, id).await.contains(&"多余指标".to_owned()));
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert!(log.iter().any(|l| l.action.0 == AuditAction::Delete
        && l.entity_id == stray.id
        && l.old_value.as_deref() == Some("质量指标 / 多余指标：有效")));

    // The header: stale refused, a name of another project refused, a real change audited.
    let project = store::projects::one(&t.db, id).await.unwrap().unwrap().project;
    let changed = Header { funds_other: Some(dec!(2)), ..header("网站运维（二期）") };
    assert!(matches!(
        new_project::update_header(&t.db, &f.alice, id, &changed, project.version + 1).await,
        Err(Error::Stale)
    ));
    let demo_name = store::projects::one(&t.db, f.project_id).await.unwrap().unwrap().project.name;
    let clash = invalid(new_project::update_header(&t.db, &f.alice, id, &header(&demo_name), project.version).await);
    assert!(clash.contains("已存在"), "{clash}");
    assert!(refused(new_project::update_header(&t.db, &f.bob, id, &changed, project.version).await).is_forbidden());
    let saved = new_project::update_header(&t.db, &f.alice, id, &changed, project.version).await.unwrap();
    assert_eq!(
        (saved.name.as_str(), saved.funds_total.0, saved.version),
        ("网站运维（二期）", dec!(10), project.version + 1)
    );
    let log = audit::for_project(&t.db, id).await.unwrap();
    assert!(log
        .iter()
        .any(|l| l.field.map(|f| f.0) == Some(Field::FundsTotal) && l.new_value.as_deref() == Some("10")));

    // Declared in full, it submits with the real rule check; then the tree is locked.
    let check = transition::submit_check(&t.db, id, Phase::Declaration).await.unwrap();
    assert!(check.problems().is_empty(), "{:?}", check.problems());
    let actor = accounts::actor(&f.alice);
    transition::apply(&t.db, &actor, &f.alice, id, Phase::Declaration, &Action::Submit, Some(&check), None)
        .await
        .unwrap();
    let late = indicator("产出指标", "时效指标", "完成时间", "2021年12月31日前", dec!(0));
    assert!(!refused(declaration::add_indicator(&t.db, &f.alice, id, &late).await).is_forbidden());
    assert!(declaration::remove_indicator(&t.db, &f.alice, first.id, first.version).await.is_err());
    assert_eq!(names(t, id).await.len(), 4);
    assert!(db::scores::stored_of(&t.db, &[id]).await.unwrap().contains_key(&id), "scored in the same transaction");
}

/// The 指标库 is seeded from the fixtures when its table is created; the administrator adds and
/// removes entries (audited), nobody else may.
async fn indicator_library(t: &TestDb) {
    let f = setup(t).await;
    let seeded = library::all(&t.db).await.unwrap();
    assert_eq!(seeded.len(), library::seed_entries().len());
    assert!(seeded.len() >= 50, "{} entries", seeded.len());
    let cost = seeded.iter().find(|e| e.name == "维护、测评网站成本").expect("the demo's cost indicator");
    assert_eq!((cost.level2.as_str(), cost.direction.map(|d| d.0)), ("成本指标", Some(IndicatorNature::Le)));
    // Migrating again does not seed twice.
    db::migrate(&t.db).await.unwrap();
    assert_eq!(library::all(&t.db).await.unwrap().len(), seeded.len());

    let entry = LibraryEntry {
        level1: "产出指标".into(),
        level2: "数量指标".into(),
        name: "培训班次（测试）".into(),
        unit: "期".into(),
        direction: Some(IndicatorNature::Ge),
        example: "≥4期".into(),
    };
    assert_eq!(refused(library::save(&t.db, &f.alice, None, &entry, 0).await), Refusal::AdminOnly);
    assert_eq!(refused(library::save(&t.db, &f.finance, None, &entry, 0).await), Refusal::AdminOnly);
    let wrong = LibraryEntry { level2: "满意度".into(), ..entry.clone() };
    assert!(invalid(library::save(&t.db, &f.admin, None, &wrong, 0).await).contains("没有二级指标"));
    let saved = library::save(&t.db, &f.admin, None, &entry, 0).await.unwrap();
    assert_eq!((saved.name.as_str(), saved.version), ("培训班次（测试）", 1));
    assert!(invalid(library::save(&t.db, &f.admin, None, &entry, 0).await).contains("已存在"));
    let renamed = LibraryEntry { unit: "次".into(), ..entry.clone() };
    assert!(matches!(library::save(&t.db, &f.admin, Some(saved.id), &renamed, 0).await, Err(Error::Stale)));
    let changed = library::save(&t.db, &f.admin, Some(saved.id), &renamed, 1).await.unwrap();
    assert_eq!((changed.unit.as_str(), changed.version), ("次", 2));
    assert_eq!(refused(library::delete(&t.db, &f.alice, saved.id, 2).await), Refusal::AdminOnly);
    assert!(matches!(library::delete(&t.db, &f.admin, saved.id, 1).await, Err(Error::Stale)));
    library::delete(&t.db, &f.admin, saved.id, 2).await.unwrap();
    assert!(matches!(
        library::delete(&t.db, &f.admin, saved.id, 2).await,
        Err(Error::NotFound(EntityKind::LibraryEntry))
    ));
    assert_eq!(library::all(&t.db).await.unwrap().len(), seeded.len());
    let log: Vec<_> = audit::all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.entity.0 == EntityKind::LibraryEntry && l.entity_id == saved.id)
        .collect();
    assert!(log.iter().any(|l| l.action.0 == AuditAction::Create && l.user_id == Some(f.admin.id)));
    assert!(log.iter().any(|l| l.action.0 == AuditAction::Update && l.new_value.as_deref() == Some("次")));
    assert!(log.iter().any(|l| l.action.0 == AuditAction::Delete));
}

on_both_databases!(create_and_build_a_project, indicator_library);
