//! The write path and the list reads at scale, on SQLite and PostgreSQL:
//! - eight writers saving different rows at once for a few seconds: no error (no "database is
//!   locked" on SQLite), every save stored, versions, audit rows and stored scores consistent;
//! - the project list (projects, their phases, their self-evaluations) takes the same number of
//!   SQL statements for 20 projects as for 200: no query per project.

use db::cycle::declaration::{self, IndicatorEdit};
use db::import;
use db::store::projects::{self, NewIndicator, NewProject};
use db::store::{audit, phases};
use db::testing::TestDb;
use domain::vocab::Field;
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[macro_use]
mod common;
use common::setup;

const WRITERS: usize = 8;
const RUN_FOR: Duration = Duration::from_secs(3);

async fn concurrent_writers(t: &TestDb) {
    let f = setup(t).await;
    let indicators = projects::indicators(&t.db, f.project_id).await.unwrap();
    assert!(indicators.len() >= WRITERS, "the demo project has enough indicators");
    let target_rows = |rows: Vec<db::entities::audit_log::Model>| {
        rows.iter().filter(|r| r.field.as_ref().map(|f| f.0) == Some(Field::TargetText)).count()
    };
    let before = target_rows(audit::for_project(&t.db, f.project_id).await.unwrap());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, ind) in indicators.into_iter().take(WRITERS).enumerate() {
        let db = t.db.clone();
        let alice = f.alice.clone();
        tasks.push(tokio::spawn(async move {
            let mut version = ind.version;
            let mut saves = 0u32;
            while started.elapsed() < RUN_FOR {
                saves += 1;
                let edit = IndicatorEdit {
                    target_text: format!("{}个", 1000 * (n + 1) + saves as usize),
                    weight: ind.weight.map(|w| w.0),
                    direction: ind.direction.map(|d| d.0),
                    basis: ind.basis.map(|b| b.0),
                    core: ind.core,
                };
                let stored = declaration::update_indicator(&db, &alice, ind.id, &edit, version)
                    .await
                    .unwrap_or_else(|e| panic!("writer {n}, save {saves}: {e:?}"));
                assert_eq!(stored.version, version + 1);
                version = stored.version;
            }
            (n, ind.id, saves, version)
        }));
    }
    let mut total = 0;
    for task in tasks {
        let (n, id, saves, version) = task.await.expect("writer finished without panicking");
        assert!(saves > 0);
        total += saves;
        let stored = projects::indicator(&t.db, id).await.unwrap().unwrap();
        assert_eq!(stored.version, version, "every save of indicator {id} is stored");
        assert_eq!(stored.target_text, format!("{}个", 1000 * (n + 1) + saves as usize), "the last save wins");
    }
    let after = target_rows(audit::for_project(&t.db, f.project_id).await.unwrap());
    assert_eq!(after - before, total as usize, "one audit row per save");
    // Concurrent writers of one project leave its stored score as a fresh computation gives it.
    assert_eq!(db::scores::mismatches(&t.db).await.unwrap(), vec![], "stored scores follow concurrent writes");
    println!("{WRITERS} writers, {total} saves in {:?}, 0 errors", started.elapsed());
}

fn generated(department: &str, count: usize) -> Vec<NewProject> {
    (0..count)
        .map(|i| NewProject {
            department: department.to_owned(),
            year: 2021,
            name: format!("生成项目{i:04}"),
            implementing_unit: None,
            funds_total: Decimal::from(10 + i as i64),
            funds_fiscal: Decimal::from(10 + i as i64),
            funds_other: Decimal::ZERO,
            overall_goal: "保障运行".into(),
            annual_goals: vec!["保障运行".into()],
            indicators: ["维护网站数量", "网站正常运行率", "受益群众满意度"]
                .iter()
                .zip(["1个", "100%", "≥95%"])
                .zip([("产出指标", "数量指标"), ("产出指标", "质量指标"), ("满意度指标", "服务对象满意度指标")])
                .map(|((name, target), (l1, l2))| NewIndicator {
                    level1: l1.into(),
                    level2: l2.into(),
                    name: (*name).into(),
                    target_text: target.into(),
                    weight: Some(Decimal::from(10)),
                    ..Default::default()
                })
                .collect(),
        })
        .collect()
}

/// Lists every project with its phases and stored score, as the project list page does, and
/// returns how many SQL statements that took.
async fn list_statements(t: &TestDb, log: &Arc<Mutex<Vec<String>>>) -> (usize, usize) {
    log.lock().unwrap().clear();
    let rows = projects::list(&t.db).await.unwrap();
    let ids: Vec<i32> = rows.iter().map(|r| r.project.id).collect();
    let states = phases::of_projects(&t.db, &ids).await.unwrap();
    let models: Vec<_> = rows.iter().map(|r| r.project.clone()).collect();
    let scores = db::scores::of_projects(&t.db, &models).await.unwrap();
    assert_eq!(scores.len(), rows.len());
    assert!(states.len() <= rows.len());
    let n = log.lock().unwrap().len();
    (rows.len(), n)
}

async fn list_without_n_plus_one(t: &mut TestDb) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = log.clone();
    t.db.set_metric_callback(move |info| sink.lock().unwrap().push(info.statement.sql.clone()));
    setup(t).await;
    import::insert_projects(&t.db, &generated("生成部门甲", 19)).await.unwrap();
    let (small, small_statements) = list_statements(t, &log).await;
    import::insert_projects(&t.db, &generated("生成部门乙", 180)).await.unwrap();
    let (large, large_statements) = list_statements(t, &log).await;
    assert_eq!((small, large), (20, 200));
    assert!(db::scores::mismatches(&t.db).await.unwrap().is_empty(), "imported projects are scored when stored");
    assert_eq!(
        small_statements,
        large_statements,
        "the list takes as many statements for 200 projects as for 20: {:#?}",
        log.lock().unwrap()
    );
    assert!(large_statements <= 12, "{large_statements} statements: {:#?}", log.lock().unwrap());
    println!("project list: {large_statements} SQL statements for {large} projects");
}

mod writers {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        let t = TestDb::sqlite().await.unwrap();
        concurrent_writers(&t).await;
        t.cleanup().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        let t = TestDb::postgres().await.unwrap();
        concurrent_writers(&t).await;
        t.cleanup().await.unwrap();
    }
}

mod list_queries {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let mut t = TestDb::sqlite().await.unwrap();
        list_without_n_plus_one(&mut t).await;
        t.cleanup().await.unwrap();
    }

    #[tokio::test]
    async fn postgres() {
        let mut t = TestDb::postgres().await.unwrap();
        list_without_n_plus_one(&mut t).await;
        t.cleanup().await.unwrap();
    }
}
