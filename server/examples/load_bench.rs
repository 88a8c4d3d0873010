//! Load benchmark of the finance bureau's pages (issue 11): a generated county of `--projects`
//! projects × 15 indicators, every actual entered, served by the real router on loopback;
//! `--connections` keep-alive connections signed in as a finance reviewer request, for
//! `--seconds`, the project list (总览: page 1, a filtered and sorted view, a later page) and
//! project pages in turn. Then the same connections fetch a static file of the dashboard page's
//! size from the same server for the same time. Prints p50/p99 latency and throughput of both,
//! and their ratio, for SQLite and PostgreSQL (`JIXIAO_TEST_PG_URL`, a schema of its own).
//!
//!     cargo run --release -p jixiao --example load_bench -- [--projects 2000] [--seconds 30] \
//!         [--connections 64] [--db sqlite|postgres|both]
//!
//! A report, not a test: it never fails on a figure (it does fail on an error response).

use clap::Parser;
use jixiao::client::Client;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 2000)]
    projects: usize,
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// sqlite, postgres or both.
    #[arg(long, default_value = "both")]
    db: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!(
        "load_bench: {} projects × 15 indicators, {} connections, {} s per run, {} cores",
        args.projects,
        args.connections,
        args.seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if args.db == "sqlite" || args.db == "both" {
        let t = db::testing::TestDb::sqlite().await?;
        run("SQLite", &t.db, &args).await?;
        t.cleanup().await?;
    }
    if args.db == "postgres" || args.db == "both" {
        // The production pool size for PostgreSQL (sqlx's default, 10), not the tests' 4.
        let t = db::testing::TestDb::postgres_with_pool(10).await?;
        run("PostgreSQL", &t.db, &args).await?;
        t.cleanup().await?;
    }
    Ok(())
}

async fn run(label: &str, conn: &db::DatabaseConnection, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    db::migrate(conn).await?;
    let county = db::generate::county(conn, args.projects, true).await?;
    db::accounts::create_user(
        conn,
        db::accounts::NewUser {
            username: "reviewer".into(),
            display_name: "财政局审核".into(),
            password: "reviewer-pass-1".into(),
            role: domain::workflow::Role::Finance,
            department_id: None,
        },
    )
    .await?;
    println!("\n## {label}: county generated in {:.1} s", started.elapsed().as_secs_f64());

    let site = std::env::temp_dir().join(format!("jixiao_load_bench_{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg"))?;
    let router = jixiao::web::router(conn.clone(), site.to_str().unwrap_or("."));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server =
        tokio::spawn(
            async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await },
        );

    let mut client = Client::new(addr);
    client.login("reviewer", "reviewer-pass-1").await?;
    let cookie = client.cookie().unwrap_or_default().to_owned();
    let ids: Vec<i32> = county.projects.iter().map(|(id, _)| *id).collect();
    let lists =
        ["/".to_owned(), "/?status=approved&sort=score&desc=1".to_owned(), "/?page=7&sort=execution".to_owned()];
    let mut urls: Vec<(Kind, String)> = Vec::new();
    for (i, id) in ids.iter().step_by((ids.len() / 97).max(1)).enumerate() {
        urls.push((Kind::List, lists[i % lists.len()].clone()));
        urls.push((Kind::Project, format!("/projects/{id}")));
    }
    // The static file: the size of the first list page as served.
    let first = client.get("/").await?;
    anyhow::ensure!(first.status == 200, "/ answered {}", first.status);
    let size = first.body.len();
    std::fs::write(site.join("pkg/static.html"), vec![b'x'; size])?;

    let pages = load(addr, &cookie, &urls, args).await?;
    let statics = load(addr, &cookie, &[(Kind::Static, "/pkg/static.html".to_owned())], args).await?;
    server.abort();
    let _ = std::fs::remove_dir_all(&site);

    let secs = args.seconds as f64;
    println!("| {label} | requests | req/s | p50 ms | p99 ms | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, kind, set) in [
        ("项目总览 (list)", Some(Kind::List), &pages),
        ("项目页 (project)", Some(Kind::Project), &pages),
        ("pages together", None, &pages),
        ("static file", Some(Kind::Static), &statics),
    ] {
        let mut lat: Vec<u64> =
            set.samples.iter().filter(|(k, _)| kind.is_none_or(|kind| *k == kind)).map(|(_, us)| *us).collect();
        lat.sort_unstable();
        println!(
            "| {name} | {} | {:.0} | {:.1} | {:.1} | {} |",
            lat.len(),
            lat.len() as f64 / secs,
            percentile(&lat, 50) as f64 / 1000.0,
            percentile(&lat, 99) as f64 / 1000.0,
            if kind == Some(Kind::Static) { statics.errors } else { pages.errors },
        );
    }
    let page_rate = pages.samples.len() as f64 / secs;
    let static_rate = statics.samples.len() as f64 / secs;
    println!(
        "page size {size} bytes; pages' throughput = {:.1} % of the static file's",
        100.0 * page_rate / static_rate.max(1.0)
    );
    anyhow::ensure!(pages.errors == 0 && statics.errors == 0, "error responses during the run");
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    List,
    Project,
    Static,
}

struct Samples {
    samples: Vec<(Kind, u64)>,
    errors: usize,
}

fn percentile(sorted: &[u64], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() * p).div_ceil(100)).saturating_sub(1).min(sorted.len() - 1)]
}

/// `--connections` workers, each on its own keep-alive connection, requesting `urls` in turn
/// (each worker starting at another place) until the time is up.
async fn load(addr: SocketAddr, cookie: &str, urls: &[(Kind, String)], args: &Args) -> anyhow::Result<Samples> {
    let urls = Arc::new(urls.to_vec());
    let errors = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut workers = Vec::new();
    for w in 0..args.connections {
        let urls = urls.clone();
        let errors = errors.clone();
        let mut client = Client::with_session(addr, cookie);
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut i = w * 7;
            while Instant::now() < deadline {
                let (kind, url) = &urls[i % urls.len()];
                i += 1;
                let t = Instant::now();
                match client.get(url).await {
                    Ok(a) if a.status == 200 => samples.push((*kind, t.elapsed().as_micros() as u64)),
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for w in workers {
        samples.extend(w.await?);
    }
    Ok(Samples { samples, errors: errors.load(Ordering::Relaxed) })
}
