//! Migrations and the demo load, against SQLite and PostgreSQL.

use db::demo::{self, DemoOutcome};
use db::store::projects as queries;
use db::testing::TestDb;
use rust_decimal::Decimal;
use std::str::FromStr;

async fn migrate_and_load_demo(t: &TestDb) {
    db::migrate(&t.db).await.expect("migrations apply");
    // Applying them again is a no-op.
    db::migrate(&t.db).await.expect("migrations are idempotent");

    let outcome = demo::load(&t.db).await.expect("demo loads");
    let DemoOutcome::Loaded { project_id } = outcome else { panic!("expected a fresh load, got {outcome:?}") };
    assert_eq!(demo::load(&t.db).await.unwrap(), DemoOutcome::AlreadyPopulated);

    let projects = queries::list(&t.db).await.unwrap();
    assert_eq!(projects.len(), 1);
    let row = &projects[0];
    assert_eq!(row.project.id, project_id);
    assert_eq!(row.department, "阿合奇县电子政务办公室");
    assert_eq!(row.year, 2021);
    assert_eq!(row.project.name, "政府网站维护费及业务经费");
    assert_eq!(row.project.funds_total.0, Decimal::from(10));
    assert_eq!(row.project.funds_fiscal.0, Decimal::from(10));
    assert_eq!(row.project.funds_other.0, Decimal::ZERO);
    assert_eq!(row.indicator_count, 17);
    assert!(row.project.annual_goals.lines().count() == 2);

    let indicators = queries::indicators(&t.db, project_id).await.unwrap();
    assert_eq!(indicators.len(), 17);
    assert_eq!(indicators[0].name, "维护 LED 屏幕数量");
    assert_eq!(indicators[0].target_text, "1座");
    let cost = indicators.iter().find(|i| i.name == "维护、测评网站成本").unwrap();
    assert_eq!(
        (cost.level1.as_str(), cost.level2.as_str(), cost.target_text.as_str()),
        ("产出指标", "成本指标", "≤40000 元/年")
    );
    let per_level1 = |l1: &str| indicators.iter().filter(|i| i.level1 == l1).count();
    assert_eq!((per_level1("产出指标"), per_level1("效益指标"), per_level1("满意度指标")), (13, 2, 2));

    assert!(queries::one(&t.db, project_id + 1000).await.unwrap().is_none());
    assert!(queries::indicators(&t.db, project_id + 1000).await.unwrap().is_empty());
}

/// Decimals survive the round trip exactly on both databases (no float on the way).
async fn decimals_are_exact(t: &TestDb) {
    db::migrate(&t.db).await.unwrap();
    let mut p = demo::seed_project().unwrap();
    p.name = "精度测试".into();
    p.funds_total = Decimal::from_str("968.191834").unwrap();
    p.funds_fiscal = Decimal::from_str("0.000001").unwrap();
    p.funds_other = Decimal::from_str("123456789.1").unwrap();
    let id = db::import::insert_projects(&t.db, std::slice::from_ref(&p)).await.unwrap()[0];
    let back = queries::one(&t.db, id).await.unwrap().unwrap().project;
    assert_eq!(back.funds_total.0, p.funds_total);
    assert_eq!(back.funds_fiscal.0, p.funds_fiscal);
    assert_eq!(back.funds_other.0, p.funds_other);
}

#[tokio::test]
async fn sqlite_migrate_and_demo() {
    let t = TestDb::sqlite().await.unwrap();
    migrate_and_load_demo(&t).await;
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn postgres_migrate_and_demo() {
    let t = TestDb::postgres().await.expect("PostgreSQL at JIXIAO_TEST_PG_URL / 127.0.0.1:5432 (database test)");
    migrate_and_load_demo(&t).await;
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn sqlite_decimals_are_exact() {
    let t = TestDb::sqlite().await.unwrap();
    decimals_are_exact(&t).await;
    t.cleanup().await.unwrap();
}

#[tokio::test]
async fn postgres_decimals_are_exact() {
    let t = TestDb::postgres().await.unwrap();
    decimals_are_exact(&t).await;
    t.cleanup().await.unwrap();
}
