//! The ingest benchmark (a report, not a test): a generated county — `PROJECTS` projects of 15
//! indicators, targets approved — and one actuals workbook with a row per indicator (150,000 by
//! default), then in one run: calamine's raw read of the sheet alone, the full read (headers,
//! rows, keys), the dry run, and the commit into SQLite and into PostgreSQL, with the process's
//! peak RSS after each step.
//!
//!     cargo run --release -p sheets --example ingest_bench [ROWS]
//!
//! PostgreSQL: JIXIAO_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/test (a schema of its own).

use db::entities::user;
use db::generate::INDICATORS;
use db::testing::TestDb;
use rust_xlsxwriter::Workbook;
use sea_orm::EntityTrait;
use sheets::actuals;
use sheets::Limits;
use std::time::Instant;

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_owned()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map_or(0, |kb| kb / 1024)
}

/// The county in `t`: projects with approved targets, and an administrator.
async fn county(t: &TestDb, projects: usize) -> (user::Model, Vec<(i32, Vec<i32>)>) {
    db::migrate(&t.db).await.unwrap();
    let county = db::generate::county(&t.db, projects, false).await.unwrap();
    (county.admin, county.projects)
}

fn workbook(county: &[(i32, Vec<i32>)], rows: usize) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("实际完成值").unwrap();
    for (c, h) in ["编号", "项目名称", "三级指标", "实际完成值", "偏差原因分析及改进措施"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let mut r = 1;
    'outer: for (p, inds) in county {
        for (k, id) in inds.iter().enumerate() {
            if r > rows as u32 {
                break 'outer;
            }
            let (_, _, name, _, actual) = INDICATORS[k];
            ws.write_string(r, 0, format!("jx:I{id}@0")).unwrap();
            ws.write_string(r, 1, format!("项目{:05}", p - 1)).unwrap();
            ws.write_string(r, 2, name).unwrap();
            ws.write_string(r, 3, actual).unwrap();
            if k == 4 {
                ws.write_string(r, 4, "设备老化，已更换").unwrap();
            }
            r += 1;
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(150_000);
    let projects = rows.div_ceil(15);
    println!("ingest benchmark: {rows} rows ({projects} projects × 15 indicators)");
    let limits = Limits { max_bytes: 200 << 20, ..Limits::default() };
    let mut results = Vec::new();
    for (label, t) in [("SQLite", TestDb::sqlite().await.unwrap()), ("PostgreSQL", TestDb::postgres().await.unwrap())] {
        let started = Instant::now();
        let (admin, county) = county(&t, projects).await;
        let bytes = workbook(&county, rows);
        println!(
            "[{label}] county and workbook ({} KiB) in {:.1}s, peak RSS {} MiB",
            bytes.len() / 1024,
            started.elapsed().as_secs_f64(),
            peak_rss_mib()
        );

        let raw = Instant::now();
        let mut book = sheets::read::Book::open(&bytes, &limits).unwrap();
        let mut cells = 0usize;
        for name in book.sheet_names() {
            book.rows(&name, |_, c| {
                cells += c.len();
                Ok(())
            })
            .unwrap();
        }
        let raw = raw.elapsed().as_secs_f64();
        println!("[{label}] calamine raw read: {cells} cells in {raw:.2}s, peak RSS {} MiB", peak_rss_mib());

        let read = Instant::now();
        let parsed = actuals::read(&bytes, &limits).unwrap();
        let read = read.elapsed().as_secs_f64();
        println!("[{label}] read (headers, rows, keys): {:.2}s, peak RSS {} MiB", read, peak_rss_mib());

        let dry = Instant::now();
        let preview = actuals::apply(&t.db, &admin, "bench.xlsx", &parsed, true).await.unwrap();
        let dry = dry.elapsed().as_secs_f64() + read;
        assert_eq!(preview.counts.errors, 0, "{:?}", preview.problems.first());
        println!(
            "[{label}] dry run: {dry:.1}s ({} rows to write), peak RSS {} MiB",
            preview.counts.rows_changed,
            peak_rss_mib()
        );

        let commit = Instant::now();
        let done = actuals::apply(&t.db, &admin, "bench.xlsx", &parsed, false).await.unwrap();
        let commit = commit.elapsed().as_secs_f64() + read;
        assert!(done.committed);
        println!("[{label}] commit: {commit:.1}s, peak RSS {} MiB", peak_rss_mib());
        results.push((label, raw, dry, commit));
        let _ = db::entities::import_record::Entity::find().all(&t.db).await;
        t.cleanup().await.unwrap();
    }
    println!("\n| database | raw read (s) | dry run (s) | commit (s) | commit ÷ raw read |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (label, raw, dry, commit) in results {
        println!("| {label} | {raw:.2} | {dry:.1} | {commit:.1} | {:.0}× |", commit / raw);
    }
    println!("peak RSS of the whole run: {} MiB", peak_rss_mib());
}
