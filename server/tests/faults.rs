//! `kill -9` of the server in the middle of writes (issue 13): the real binary serves a generated
//! county on SQLite and on PostgreSQL while clients save the year-end funds (a project row, its
//! audit rows and its stored score), submit and return 运行监控 (the phase, its audit rows) and
//! commit a spreadsheet import (many rows and the import record); the server is killed with
//! SIGKILL at a random moment, and the database must then hold the state before or after every
//! operation — never part of one — with every acknowledged write kept. Then it serves again.

use db::entities::{actual_entry, audit_log, import_record, project, project_phase};
use domain::vocab::{ActionKind, EntityKind, Field, Likelihood, Phase, Role};
use jixiao::client::Client;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: u64 = 4;
/// The generated county: 4 projects in each of the first 150 departments.
const PROJECTS: usize = 600;
const PASSWORD: &str = "fault-test-pass-1";
/// Indicators whose 实际完成值 is a number with a unit: (index in `db::generate::INDICATORS`, unit).
const NUMERIC: [(usize, &str); 6] = [(0, "公里"), (1, "人次"), (2, "台"), (6, "元/年"), (7, "元"), (10, "万元")];

/// A database the server process opens by URL.
struct FaultDb {
    url: String,
    drop_sql: Option<(String, String)>,
    file: Option<std::path::PathBuf>,
}

impl FaultDb {
    fn sqlite() -> FaultDb {
        let path = std::env::temp_dir().join(format!("jixiao_fault_{}_{}.db", std::process::id(), nanos()));
        FaultDb { url: format!("sqlite://{}?mode=rwc", path.display()), drop_sql: None, file: Some(path) }
    }

    async fn postgres() -> FaultDb {
        let base = db::testing::postgres_url();
        let name = format!("jixiao_fault_{}_{}", std::process::id(), nanos());
        let admin = sea_orm::Database::connect(base.clone()).await.unwrap();
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
        admin.close().await.unwrap();
        let (server, _) = base.rsplit_once('/').unwrap();
        FaultDb {
            url: format!("{server}/{name}"),
            drop_sql: Some((base, format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))),
            file: None,
        }
    }

    async fn cleanup(self) {
        if let Some((base, sql)) = self.drop_sql {
            let admin = sea_orm::Database::connect(base).await.unwrap();
            admin.execute_unprepared(&sql).await.unwrap();
            admin.close().await.unwrap();
        }
        if let Some(path) = self.file {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

fn nanos() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos())
}

/// A server process on its own port.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    async fn start(url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["serve", "--addr", &addr.to_string(), "--site-root", "target/nonexistent-site"])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let started = Instant::now();
        loop {
            let mut c = Client::new(addr);
            if c.get("/login").await.is_ok_and(|a| a.status == 200) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, addr }
    }

    /// SIGKILL, as `kill -9`.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// What the rounds work on.
struct Setup {
    /// The department's projects (id, indicator ids) and their names.
    projects: Vec<(i32, Vec<i32>, String)>,
    /// The project whose 运行监控 is submitted and returned.
    monitored: i32,
}

async fn prepare(url: &str) -> Setup {
    let conn = db::connect(url).await.unwrap();
    db::migrate(&conn).await.unwrap();
    let county = db::generate::county(&conn, PROJECTS, true).await.unwrap();
    let mine: Vec<(i32, Vec<i32>)> = county.projects.iter().step_by(150).cloned().collect();
    let department_id = project::Entity::find_by_id(mine[0].0).one(&conn).await.unwrap().unwrap().department_id;
    for (username, role, department_id) in
        [("tianbao", Role::Department, Some(department_id)), ("shenhe", Role::Finance, None)]
    {
        db::accounts::create_user(
            &conn,
            db::accounts::NewUser {
                username: username.into(),
                display_name: username.into(),
                password: PASSWORD.into(),
                role,
                department_id,
            },
        )
        .await
        .unwrap();
    }
    let user = db::store::users::by_username(&conn, "tianbao").await.unwrap().unwrap();
    let monitored = mine[0].0;
    for id in &mine[0].1 {
        let input = db::cycle::monitoring::MonitoringInput {
            progress: Some("已完成".into()),
            likelihood: Some(Likelihood::Certain),
            ..Default::default()
        };
        db::cycle::monitoring::save_entry(&conn, &user, *id, &input, 0).await.unwrap();
    }
    let mut projects = Vec::new();
    for (id, indicators) in mine {
        let name = project::Entity::find_by_id(id).one(&conn).await.unwrap().unwrap().name;
        projects.push((id, indicators, name));
    }
    conn.close().await.unwrap();
    Setup { projects, monitored }
}

/// The checks every round ends with: the database is sound and every stored score equals a
/// fresh computation (a score is refreshed in the same transaction as its inputs).
async fn sound(conn: &db::DatabaseConnection, url: &str) {
    if url.starts_with("sqlite:") {
        let row = conn
            .query_one(sea_orm::Statement::from_string(conn.get_database_backend(), "PRAGMA integrity_check"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    let wrong = db::scores::mismatches(conn).await.unwrap();
    assert!(wrong.is_empty(), "stored scores differ from a fresh computation: {wrong:?}");
}

/// A small repeatable random source for the kill moments.
fn random(seed: u64, below: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    x % below.max(1)
}

/// One client's saves: the values acknowledged, and the one in flight.
type Saves = (Vec<String>, Option<String>);

/// The year-end funds of three projects saved in a loop by three clients; killed mid-stream.
/// Each save writes 年初预算数 = 全年预算数 = 全年执行数 = n, so a project row that mixes two
/// saves shows; its version counts the applied saves, one audit row each per field.
async fn funds_round(setup: &Setup, url: &str, round: u64) {
    let conn = db::connect(url).await.unwrap();
    let targets: Vec<i32> = setup.projects.iter().skip(1).map(|p| p.0).collect();
    let mut before = Vec::new();
    for id in &targets {
        let p = project::Entity::find_by_id(*id).one(&conn).await.unwrap().unwrap();
        before.push((p.version, audited(&conn, EntityKind::Project, *id, Field::BudgetInitial).await.len(), funds(&p)));
    }
    let server = Server::start(url).await;
    // Per project: the saves acknowledged, and the one in flight.
    let outcome: Arc<Mutex<Vec<Saves>>> = Arc::new(Mutex::new(vec![(Vec::new(), None); targets.len()]));
    let mut tasks = Vec::new();
    // Every client signs in before the clock for the kill starts.
    let ready = Arc::new(tokio::sync::Barrier::new(targets.len() + 1));
    for (slot, (id, (version, _, _))) in targets.iter().zip(&before).enumerate() {
        let (addr, outcome, id, mut version, ready) = (server.addr, outcome.clone(), *id, *version, ready.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            client.login("tianbao", PASSWORD).await.unwrap();
            ready.wait().await;
            for seq in 0.. {
                let n = format!("{}", 1000 + round * 100_000 + slot as u64 * 10_000 + seq);
                outcome.lock().unwrap()[slot].1 = Some(n.clone());
                let (p, v) = (id.to_string(), version.to_string());
                let fields = [
                    ("project_id", p.as_str()),
                    ("budget_initial", &n),
                    ("budget_full_year", &n),
                    ("executed_full_year", &n),
                    ("expected_version", &v),
                ];
                match client.call("save_year_end_funds", &fields).await {
                    Ok(a) if a.status == 200 => {
                        let mut o = outcome.lock().unwrap();
                        o[slot].0.push(n);
                        o[slot].1 = None;
                        version += 1;
                    }
                    Ok(a) => panic!("save_year_end_funds answered {}: {}", a.status, a.text()),
                    Err(_) => return,
                }
            }
        }));
    }
    ready.wait().await;
    tokio::time::sleep(Duration::from_millis(100 + random(round, 600))).await;
    server.kill();
    for t in tasks {
        t.await.unwrap();
    }
    let outcome = outcome.lock().unwrap().clone();
    for ((id, (v0, audit0, funds0)), (acked, in_flight)) in targets.iter().zip(before).zip(outcome) {
        let p = project::Entity::find_by_id(*id).one(&conn).await.unwrap().unwrap();
        let applied = (p.version - v0) as usize;
        let values = funds(&p);
        let expected = if applied == acked.len() {
            acked.last().cloned()
        } else {
            assert_eq!(applied, acked.len() + 1, "project {id}: {applied} saves applied, {} acknowledged", acked.len());
            Some(in_flight.clone().expect("a save was in flight"))
        };
        match expected {
            // Each save writes the same number into all three fields: a mix of two shows.
            Some(n) => assert_eq!(values, [Some(n.clone()), Some(n.clone()), Some(n)], "project {id}"),
            None => assert_eq!(values, funds0, "project {id}: changed without an applied save"),
        }
        let audit = audited(&conn, EntityKind::Project, *id, Field::BudgetInitial).await;
        assert_eq!(audit.len() - audit0, applied, "project {id}: audit rows ≠ saves applied");
        eprintln!("round {round} funds of project {id}: {} acknowledged, {applied} applied", acked.len());
    }
    sound(&conn, url).await;
    conn.close().await.unwrap();
}

/// 运行监控 submitted by the department and returned by the finance bureau in a loop; killed
/// mid-stream. The phase's version counts its transitions, one status audit row each, and the
/// last audit row names the stored status.
async fn transition_round(setup: &Setup, url: &str, round: u64) {
    let conn = db::connect(url).await.unwrap();
    let phase_of = |conn: db::DatabaseConnection| async move {
        project_phase::Entity::find()
            .filter(project_phase::Column::ProjectId.eq(setup.monitored))
            .all(&conn)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.phase.0 == Phase::Monitoring)
    };
    let v0 = phase_of(conn.clone()).await.map_or(0, |p| p.version);
    let server = Server::start(url).await;
    let acked = Arc::new(Mutex::new(0usize));
    let mut tasks = Vec::new();
    let ready = Arc::new(tokio::sync::Barrier::new(3));
    for (username, action) in [("tianbao", ActionKind::Submit), ("shenhe", ActionKind::Return)] {
        let (addr, acked, project, ready) = (server.addr, acked.clone(), setup.monitored.to_string(), ready.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            client.login(username, PASSWORD).await.unwrap();
            ready.wait().await;
            loop {
                let Ok(a) = client.call("get_workflow", &[("project_id", &project)]).await else { return };
                assert_eq!(a.status, 200, "{}", a.text());
                let phases: Vec<app::api::workflow::PhaseView> = serde_json::from_slice(&a.body).unwrap();
                let phase = phases.into_iter().find(|p| p.phase == Phase::Monitoring).unwrap();
                if !phase.actions.contains(&action) {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    continue;
                }
                let v = phase.version.to_string();
                let fields = [
                    ("project_id", project.as_str()),
                    ("phase", Phase::Monitoring.key()),
                    ("action", action.key()),
                    ("reason", "请补充说明"),
                    ("expected_version", &v),
                ];
                match client.call("transition_phase", &fields).await {
                    Ok(a) if a.status == 200 => *acked.lock().unwrap() += 1,
                    Ok(a) => assert_eq!(a.status, 409, "{}", a.text()),
                    Err(_) => return,
                }
            }
        }));
    }
    ready.wait().await;
    tokio::time::sleep(Duration::from_millis(100 + random(round + 17, 600))).await;
    server.kill();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = *acked.lock().unwrap();
    let phase = phase_of(conn.clone()).await.expect("transitions were applied");
    let applied = (phase.version - v0) as usize;
    assert!(applied == acked || applied == acked + 1, "{applied} transitions applied, {acked} acknowledged");
    eprintln!("round {round} transitions: {acked} acknowledged, {applied} applied");
    let audit = audit_rows(&conn, EntityKind::ProjectPhase, phase.id, Field::Status).await;
    assert_eq!(audit.len(), phase.version as usize, "every transition has its status audit row");
    let last = audit.last().and_then(|a| a.new_value.clone()).unwrap_or_default();
    assert!(
        last == phase.status.0.key() || last == phase.status.0.label(),
        "the last audit row says {last}, the phase is {:?}",
        phase.status.0
    );
    sound(&conn, url).await;
    conn.close().await.unwrap();
}

/// A workbook of the department's projects with new 实际完成值 (marked by `round`), previewed,
/// then committed; killed while the commit runs. Either every row and the import record are
/// stored, or none.
async fn import_round(setup: &Setup, url: &str, round: u64) {
    let mut rows = Vec::new();
    for (p, (_, indicators, name)) in setup.projects.iter().enumerate() {
        for (j, (index, unit)) in NUMERIC.iter().enumerate() {
            let value = format!("{}{unit}", 20_000 + round * 1000 + p as u64 * 10 + j as u64);
            rows.push((name.clone(), db::generate::INDICATORS[*index].2, indicators[*index], value));
        }
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["项目名称", "三级指标", "实际完成值"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, indicator, _, value)) in rows.iter().enumerate() {
        for (c, v) in [name.as_str(), indicator, value.as_str()].iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    let book = wb.save_to_buffer().unwrap();
    let server = Server::start(url).await;
    let mut client = Client::new(server.addr);
    client.login("tianbao", PASSWORD).await.unwrap();
    let (content_type, body) = multipart(&book);
    let started = Instant::now();
    let preview = client.post("/import/actuals", &content_type, body.clone()).await.unwrap();
    let preview_time = started.elapsed();
    assert_eq!(preview.status, 200, "{}", preview.text());
    let report: serde_json::Value = serde_json::from_slice(&preview.body).unwrap();
    assert_eq!(report["counts"]["rows_changed"], rows.len(), "{report}");
    let sha = report["sha256"].as_str().unwrap().to_owned();
    let path = format!("/import/actuals?commit={sha}");
    let commit = tokio::spawn(async move { client.post(&path, &content_type, body).await });
    // Somewhere within the commit, which reads the file as the preview did, then writes: from
    // half the preview's time to two and a half times it, so some rounds kill it before it
    // commits and some after.
    let preview_us = preview_time.as_micros() as u64;
    let kill_after = Duration::from_micros(preview_us / 2 + random(round + 31, (preview_us * 2).max(1)));
    tokio::time::sleep(kill_after).await;
    server.kill();
    let acknowledged = matches!(commit.await.unwrap(), Ok(a) if a.status == 200);

    let conn = db::connect(url).await.unwrap();
    let mut stored = 0;
    for (_, _, indicator, value) in &rows {
        let entry = actual_entry::Entity::find()
            .filter(actual_entry::Column::IndicatorId.eq(*indicator))
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        stored += usize::from(entry.actual_text.as_deref() == Some(value.as_str()));
    }
    let record =
        import_record::Entity::find().filter(import_record::Column::Sha256.eq(sha.as_str())).one(&conn).await.unwrap();
    assert!(stored == 0 || stored == rows.len(), "{stored} of {} rows of one import stored", rows.len());
    assert_eq!(record.is_some(), stored == rows.len(), "the import record goes with its rows");
    if acknowledged {
        assert_eq!(stored, rows.len(), "an acknowledged import was lost");
    }
    eprintln!(
        "round {round} import: killed after {:.0} ms of a ~{:.0} ms commit; acknowledged {acknowledged}, {stored} of {} rows stored",
        kill_after.as_secs_f64() * 1000.0,
        preview_time.as_secs_f64() * 1000.0,
        rows.len()
    );
    sound(&conn, url).await;
    conn.close().await.unwrap();
}

fn multipart(book: &[u8]) -> (String, Vec<u8>) {
    let boundary = "jixiaofaultboundary7d1e";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"actuals.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(book);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// 年初预算数, 全年预算数, 全年执行数 as text.
fn funds(p: &project::Model) -> [Option<String>; 3] {
    [p.budget_initial, p.budget_full_year, p.executed_full_year].map(|a| a.map(|a| a.0.normalize().to_string()))
}

async fn audit_rows(conn: &db::DatabaseConnection, entity: EntityKind, id: i32, field: Field) -> Vec<audit_log::Model> {
    let mut rows: Vec<audit_log::Model> = audit_log::Entity::find()
        .filter(audit_log::Column::EntityId.eq(id))
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.entity.0 == entity && a.field.is_some_and(|f| f.0 == field))
        .collect();
    rows.sort_by_key(|a| a.id);
    rows
}

async fn audited(conn: &db::DatabaseConnection, entity: EntityKind, id: i32, field: Field) -> Vec<String> {
    audit_rows(conn, entity, id, field).await.into_iter().filter_map(|a| a.new_value).collect()
}

async fn kill_rounds(t: FaultDb) {
    let setup = prepare(&t.url).await;
    for round in 0..ROUNDS {
        funds_round(&setup, &t.url, round).await;
        transition_round(&setup, &t.url, round).await;
        import_round(&setup, &t.url, round).await;
    }
    // It serves again after the last kill, and the department sees its project.
    let server = Server::start(&t.url).await;
    let mut client = Client::new(server.addr);
    client.login("tianbao", PASSWORD).await.unwrap();
    let page = client.get(&format!("/projects/{}", setup.projects[0].0)).await.unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&setup.projects[0].2));
    server.kill();
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_writes_sqlite() {
    kill_rounds(FaultDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_writes_postgres() {
    kill_rounds(FaultDb::postgres().await).await;
}
