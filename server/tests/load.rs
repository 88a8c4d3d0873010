//! The short version of `jixiao load-test` (docs/cli.md): 16 users for 6 s on SQLite and on
//! PostgreSQL. Every response must be below 500, every refused write a 409, every save sent stale
//! on purpose refused, and afterwards each row's version, value and audit trail must equal the
//! accepted requests. The full run (64 users, 60 s) is in BENCHMARKS.md.

use jixiao::loadtest::{run, Op, Options, Report};

fn assert_sound(r: &Report) {
    println!("{}", r.table());
    assert!(r.passed(), "{:?}", r.failures);
    assert_eq!(r.responses_5xx, 0);
    let count = |op: Op| r.ops.iter().find(|f| f.op == op).map_or(0, |f| f.requests);
    // The mix really ran: every kind of request, conflicts included.
    for op in Op::ALL {
        assert!(count(op) > 0, "no {op:?} requests");
    }
    assert!(r.writes_accepted > 0 && r.writes_conflicting > 0 && r.stale_on_purpose > 0, "{}", r.table());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_with_writes_sqlite() {
    let t = db::testing::TestDb::sqlite().await.unwrap();
    let report = run("SQLite", &t.db, &Options { users: 16, seconds: 6 }).await.unwrap();
    t.cleanup().await.unwrap();
    assert_sound(&report);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_with_writes_postgres() {
    let t = db::testing::TestDb::postgres_with_pool(10).await.unwrap();
    let report = run("PostgreSQL", &t.db, &Options { users: 16, seconds: 6 }).await.unwrap();
    t.cleanup().await.unwrap();
    assert_sound(&report);
}
