//! The export benchmark (a report, not a test): a generated county — `PROJECTS` projects of 15
//! indicators over 150 departments (2,000 by default), every actual entered — on SQLite and on
//! PostgreSQL, then the median of 5 runs of:
//! - the county 汇总表: reading the summary model (every project scored) and writing the workbook;
//!   and the summary model alone (read and scored, no workbook), to tell the two apart;
//! - one project's 绩效自评报告: its model, two charts as PNG, and the DOCX;
//! - the same report as PDF (the DOCX converted by LibreOffice), when `soffice` is installed;
//!
//! each beside a peer measured in the same run: a plain rust_xlsxwriter workbook with the same
//! cells and no formatting, a plain docx-rs document with the same paragraphs and no tables or
//! images, and that plain document converted to PDF by the same LibreOffice.
//!
//!     cargo run --release -p reports --example export_bench [PROJECTS]
//!
//! PostgreSQL: JIXIAO_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/test (a schema of its own).

use db::testing::TestDb;
use reports::model::{self, Scope};
use std::time::Instant;

const RUNS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Runs `f` RUNS times after one warm-up and returns the median in milliseconds.
async fn time<F, Fut, T>(mut f: F) -> (f64, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut last = f().await;
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        last = f().await;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    (median(samples), last)
}

fn plain_workbook(rows: usize, cols: u16) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..rows as u32 {
        for c in 0..cols {
            ws.write_string(r, c, "项目00001").unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn plain_docx(paragraphs: usize) -> Vec<u8> {
    let mut doc = docx_rs::Docx::new();
    for i in 0..paragraphs {
        doc = doc.add_paragraph(
            docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(format!("第{i}段：绩效指标完成情况说明"))),
        );
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).unwrap();
    out.into_inner()
}

#[tokio::main]
async fn main() {
    let projects: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    println!("export benchmark: {projects} projects × 15 indicators, median of {RUNS} runs");
    for (label, t) in [("SQLite", TestDb::sqlite().await.unwrap()), ("PostgreSQL", TestDb::postgres().await.unwrap())] {
        db::migrate(&t.db).await.unwrap();
        let generated = Instant::now();
        let county = db::generate::county(&t.db, projects, true).await.unwrap();
        println!("[{label}] county generated in {:.1}s", generated.elapsed().as_secs_f64());
        let actor = db::accounts::actor(&county.admin);
        let (conn, actor) = (&t.db, &actor);

        let (summary_ms, bytes) = time(|| async move {
            let summary = model::summary(conn, actor, Scope::County { year: 2021 }).await.unwrap();
            reports::xlsx::summary_workbook(&summary).unwrap()
        })
        .await;
        let (model_ms, _) =
            time(|| async move { model::summary(conn, actor, Scope::County { year: 2021 }).await.unwrap() }).await;
        println!("[{label}] county summary model alone (read + score {projects} projects): {model_ms:.0} ms");
        let rows = projects + 150 * 3 + 3;
        let (plain_ms, _) = time(|| async move { plain_workbook(rows, 11) }).await;
        println!(
            "[{label}] county 汇总表: {summary_ms:.0} ms ({} KiB, {} sheets); plain workbook of {rows} × 11 cells: {plain_ms:.0} ms; ratio {:.1}×",
            bytes.len() / 1024,
            151,
            summary_ms / plain_ms
        );

        let id = county.projects[0].0;
        let (report_ms, bytes) = time(|| async move {
            let report = model::project_report(conn, actor, id).await.unwrap();
            reports::docx::report_docx(&report).unwrap()
        })
        .await;
        let (plain_ms, _) = time(|| async move { plain_docx(60) }).await;
        println!(
            "[{label}] one project's 绩效自评报告 (DOCX, 2 charts): {report_ms:.0} ms ({} KiB); plain 60-paragraph docx: {plain_ms:.1} ms; ratio {:.1}×",
            bytes.len() / 1024,
            report_ms / plain_ms
        );
        if reports::pdf::available() {
            let (pdf_ms, bytes) = time(|| async move {
                let report = model::project_report(conn, actor, id).await.unwrap();
                reports::pdf::docx_to_pdf(&reports::docx::report_docx(&report).unwrap()).unwrap()
            })
            .await;
            let plain = plain_docx(60);
            let plain = &plain;
            let (plain_pdf_ms, _) = time(|| async move { reports::pdf::docx_to_pdf(plain).unwrap() }).await;
            println!(
                "[{label}] one project's 绩效自评报告 (PDF through LibreOffice): {pdf_ms:.0} ms ({} KiB); plain 60-paragraph docx to PDF: {plain_pdf_ms:.0} ms; ratio {:.2}×",
                bytes.len() / 1024,
                pdf_ms / plain_pdf_ms
            );
        } else {
            println!("[{label}] PDF skipped: LibreOffice (soffice) not installed");
        }
        t.cleanup().await.unwrap();
    }
}
