//! `jixiao load-test`: the year-end week on loopback (issue 13). A generated county in a
//! throwaway database (a new SQLite file, or a schema of its own in PostgreSQL), served by the
//! real router on 127.0.0.1; `users` signed-in users — department pairs that edit the same
//! projects, and finance reviewers — for `seconds`, each on its own keep-alive connection, mixing
//! page loads, reads, saves of actuals and monitoring rows (stale versions sent on purpose too),
//! 运行监控 submissions and returns, comments and audit CSV downloads. Stops by itself.
//!
//! Afterwards it checks what the server accepted against what it stored: no response 5xx, every
//! refused write a 409 conflict (a deliberately stale one always), and for every row written, its
//! version, value and audit trail equal exactly the accepted requests — no lost update, no write
//! without its audit rows. The report gives throughput and p50 / p99 per kind of request.

use crate::client::{Answer, Client};
use anyhow::{ensure, Context};
use db::entities::{actual_entry, audit_log, indicator_comment, monitoring_entry, project, project_phase};
use db::DatabaseConnection;
use domain::vocab::{ActionKind, AuditAction, EntityKind, Field, Likelihood, Phase, Role, Status};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How big and how long.
#[derive(Clone, Debug)]
pub struct Options {
    /// Concurrent users (every 16th a finance reviewer, the others department pairs).
    pub users: usize,
    pub seconds: u64,
}

/// The kinds of request the users make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Dashboard,
    ProjectPage,
    ReadCycle,
    ReadWorkflow,
    SaveActual,
    SaveMonitoring,
    Transition,
    Comment,
    CsvDownload,
}

impl Op {
    pub const ALL: [Op; 9] = [
        Op::Dashboard,
        Op::ProjectPage,
        Op::ReadCycle,
        Op::ReadWorkflow,
        Op::SaveActual,
        Op::SaveMonitoring,
        Op::Transition,
        Op::Comment,
        Op::CsvDownload,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Op::Dashboard => "项目总览 page",
            Op::ProjectPage => "项目 page",
            Op::ReadCycle => "read get_cycle",
            Op::ReadWorkflow => "read get_workflow",
            Op::SaveActual => "save 实际完成值",
            Op::SaveMonitoring => "save 运行监控 row",
            Op::Transition => "提交 / 退回 运行监控",
            Op::Comment => "add comment",
            Op::CsvDownload => "audit CSV download",
        }
    }
}

/// Figures of one kind of request.
#[derive(Clone, Debug, Serialize)]
pub struct OpFigures {
    pub op: Op,
    pub requests: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answered 409 (a stale version, or the phase already moved on).
    pub conflicts: usize,
}

/// What a run measured and checked.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub database: String,
    pub users: usize,
    pub seconds: u64,
    pub requests: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub ops: Vec<OpFigures>,
    /// Writes the server applied, and those it refused with 409.
    pub writes_accepted: usize,
    pub writes_conflicting: usize,
    /// Saves sent with a version known to be stale; every one must be refused.
    pub stale_on_purpose: usize,
    pub responses_5xx: usize,
    /// Everything that broke a rule (empty when the run passed).
    pub failures: Vec<String>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.responses_5xx == 0
    }

    /// The report as a Markdown table (BENCHMARKS.md).
    pub fn table(&self) -> String {
        let mut out = format!(
            "### {}: {} users, {} s — {} requests, {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms\n\n",
            self.database, self.users, self.seconds, self.requests, self.per_second, self.p50_ms, self.p99_ms
        );
        out.push_str(
            "| request | count | req/s | p50 ms | p99 ms | 409 |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        );
        for f in &self.ops {
            out.push_str(&format!(
                "| {} | {} | {:.1} | {:.1} | {:.1} | {} |\n",
                f.op.label(),
                f.requests,
                f.per_second,
                f.p50_ms,
                f.p99_ms,
                f.conflicts
            ));
        }
        out.push_str(&format!(
            "\nwrites applied {}, refused with 409 {} (of them sent stale on purpose {}); 5xx {}; {}\n",
            self.writes_accepted,
            self.writes_conflicting,
            self.stale_on_purpose,
            self.responses_5xx,
            if self.passed() {
                "stored rows, versions and audit trail agree with the accepted requests".to_owned()
            } else {
                format!("FAILED: {}", self.failures.join("; "))
            }
        ));
        out
    }
}

/// Projects generated: 150 departments, two projects for each department pair (one edited, one
/// whose 运行监控 is submitted and returned).
const PROJECTS: usize = 300;
/// Indicators of a project the pair edits (few, so the pair collides often).
const EDITED: usize = 3;
/// Their units, as [`db::generate::INDICATORS`] declares them.
const UNITS: [&str; EDITED] = ["公里", "人次", "台"];

/// Runs the load on a fresh database `conn` (migrated and filled here).
pub async fn run(label: &str, conn: &DatabaseConnection, opts: &Options) -> anyhow::Result<Report> {
    ensure!(opts.users >= 2 && opts.users <= 256, "--users 须在 2 到 256 之间");
    ensure!(opts.seconds >= 1 && opts.seconds <= 3600, "--seconds 须在 1 到 3600 之间");
    db::migrate(conn).await?;
    let county = db::generate::county(conn, PROJECTS, true).await?;
    let finance_users = opts.users.div_ceil(16);
    let pairs = (opts.users - finance_users).div_ceil(2);
    ensure!(pairs <= 150, "too many users for 150 departments");
    let mut plans = Vec::new();
    for k in 0..pairs {
        let (edited, edited_indicators) = county.projects[k].clone();
        let (submitted, submitted_indicators) = county.projects[k + 150].clone();
        let department_id = project::Entity::find_by_id(edited).one(conn).await?.context("project")?.department_id;
        let mut names = Vec::new();
        for side in ["a", "b"] {
            let username = format!("load{k:03}{side}");
            db::accounts::create_user(
                conn,
                db::accounts::NewUser {
                    username: username.clone(),
                    display_name: format!("填报员{k}{side}"),
                    password: "load-test-pass-1".into(),
                    role: Role::Department,
                    department_id: Some(department_id),
                },
            )
            .await?;
            names.push(username);
        }
        // 运行监控 of the second project filled, so it can be submitted.
        let user = db::store::users::by_username(conn, &names[0]).await?.context("user")?;
        for id in &submitted_indicators {
            let input = db::cycle::monitoring::MonitoringInput {
                progress: Some("已完成".into()),
                likelihood: Some(Likelihood::Certain),
                ..Default::default()
            };
            db::cycle::monitoring::save_entry(conn, &user, *id, &input, 0).await?;
        }
        plans.push(Pair { names, edited, indicators: edited_indicators[..EDITED].to_vec(), submitted });
    }
    for f in 0..finance_users {
        db::accounts::create_user(
            conn,
            db::accounts::NewUser {
                username: format!("loadfin{f}"),
                display_name: format!("财政审核{f}"),
                password: "load-test-pass-1".into(),
                role: Role::Finance,
                department_id: None,
            },
        )
        .await?;
    }
    let before = Stored::read(conn, &plans).await?;

    let site = std::env::temp_dir().join(format!("jixiao_load_test_{}_{label}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg"))?;
    let router = crate::web::router(conn.clone(), site.to_str().unwrap_or("."));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server =
        tokio::spawn(
            async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await },
        );

    let deadline = Instant::now() + Duration::from_secs(opts.seconds);
    let plans = Arc::new(plans);
    let before = Arc::new(before);
    let mut workers = Vec::new();
    let mut user_no = 0;
    for (k, pair) in plans.iter().enumerate() {
        for side in 0..2 {
            if user_no + finance_users >= opts.users {
                break;
            }
            user_no += 1;
            let name = pair.names[side].clone();
            let (plans, before) = (plans.clone(), before.clone());
            workers.push(tokio::spawn(async move {
                let mut w = Worker::new(addr, (k * 2 + side) as u64);
                w.client.login(&name, "load-test-pass-1").await?;
                w.department(&plans[k], &before, deadline).await?;
                anyhow::Ok(w.log)
            }));
        }
    }
    for f in 0..finance_users {
        let plans = plans.clone();
        workers.push(tokio::spawn(async move {
            let mut w = Worker::new(addr, 10_000 + f as u64);
            w.client.login(&format!("loadfin{f}"), "load-test-pass-1").await?;
            w.finance(&plans, deadline).await?;
            anyhow::Ok(w.log)
        }));
    }
    let mut log = Log::default();
    for w in workers {
        let part = w.await??;
        log.samples.extend(part.samples);
        log.accepted.extend(part.accepted);
        log.failures.extend(part.failures);
        log.stale_on_purpose += part.stale_on_purpose;
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&site);

    let after = Stored::read(conn, &plans).await?;
    let mut failures = log.failures.clone();
    failures.extend(check(&before, &after, &log.accepted));
    Ok(report(label, opts, &log, failures))
}

struct Pair {
    names: Vec<String>,
    /// The project whose actuals, monitoring rows and comments the pair saves.
    edited: i32,
    indicators: Vec<i32>,
    /// The project whose 运行监控 the pair submits and the finance bureau returns.
    submitted: i32,
}

/// A write the server answered 200.
#[derive(Clone, Debug)]
enum Accepted {
    Actual { indicator: i32, version: i32, text: String },
    Monitoring { indicator: i32, version: i32, text: String },
    Transition { project: i32, version: i32, to: Status },
    Comment { indicator: i32, body: String },
}

#[derive(Default)]
struct Log {
    /// (request, microseconds, status)
    samples: Vec<(Op, u64, u16)>,
    accepted: Vec<Accepted>,
    failures: Vec<String>,
    stale_on_purpose: usize,
}

struct Worker {
    client: Client,
    rng: u64,
    seq: u64,
    id: u64,
    log: Log,
}

/// `timed!(worker, op, client => request)`: sends the request on the worker's connection and
/// records its latency and status.
macro_rules! timed {
    ($w:expr, $op:expr, $c:ident => $call:expr) => {{
        let started = Instant::now();
        let $c = &mut $w.client;
        let result = $call.await;
        $w.record($op, started, result)
    }};
}

impl Worker {
    fn new(addr: SocketAddr, id: u64) -> Worker {
        Worker {
            client: Client::new(addr),
            rng: 0x9E37_79B9_7F4A_7C15 ^ (id + 1).wrapping_mul(0x2545_F491_4F6C_DD1D),
            seq: 0,
            id,
            log: Log::default(),
        }
    }

    /// xorshift64*: a repeatable workload mix, not security.
    fn next(&mut self, below: u64) -> u64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % below.max(1)
    }

    /// Records one timed request; a 5xx or a transport error is a failure.
    fn record(&mut self, op: Op, started: Instant, result: anyhow::Result<Answer>) -> Option<Answer> {
        let us = started.elapsed().as_micros() as u64;
        match result {
            Ok(a) => {
                self.log.samples.push((op, us, a.status));
                if a.status >= 500 {
                    self.log.failures.push(format!("{op:?} answered {}: {}", a.status, a.text()));
                }
                Some(a)
            }
            Err(e) => {
                self.log.samples.push((op, us, 0));
                self.log.failures.push(format!("{op:?}: {e}"));
                None
            }
        }
    }

    /// A write's answer: 200 applied, 409 refused; anything else breaks the rules.
    fn write_outcome(&mut self, op: Op, answer: &Option<Answer>) -> Option<bool> {
        match answer {
            Some(a) if a.status == 200 => Some(true),
            Some(a) if a.status == 409 => Some(false),
            Some(a) if a.status < 500 => {
                self.log.failures.push(format!("{op:?} answered {}: {}", a.status, a.text()));
                None
            }
            _ => None,
        }
    }

    async fn department(&mut self, pair: &Pair, before: &Stored, deadline: Instant) -> anyhow::Result<()> {
        // The versions this user's page shows; refreshed from get_cycle after a conflict.
        let mut actual: HashMap<i32, i32> =
            pair.indicators.iter().map(|i| (*i, before.actuals.get(i).map_or(0, |r| r.version))).collect();
        let mut monitoring: HashMap<i32, i32> =
            pair.indicators.iter().map(|i| (*i, before.monitoring.get(i).map_or(0, |r| r.version))).collect();
        let project_path = format!("/projects/{}", pair.edited);
        let edited = pair.edited.to_string();
        while Instant::now() < deadline {
            self.seq += 1;
            let indicator = pair.indicators[self.next(EDITED as u64) as usize];
            let slot = pair.indicators.iter().position(|i| *i == indicator).unwrap_or(0);
            match self.next(100) {
                0..=14 => {
                    timed!(self, Op::ProjectPage, c => c.get(&project_path));
                }
                15..=22 => {
                    timed!(self, Op::Dashboard, c => c.get("/?page=1"));
                }
                23..=34 => {
                    let a = timed!(self, Op::ReadCycle, c => c.call("get_cycle", &[("project_id", &edited)]));
                    if let Some(view) = a.filter(|a| a.status == 200) {
                        let view: app::api::cycle::CycleView = serde_json::from_slice(&view.body)?;
                        for ind in view.indicators {
                            actual.entry(ind.id).and_modify(|v| *v = ind.actual.version);
                            monitoring.entry(ind.id).and_modify(|v| *v = ind.monitoring.version);
                        }
                    }
                }
                35..=64 => {
                    let stale = self.next(10) == 0 && actual[&indicator] > 0;
                    let version = actual[&indicator] - i32::from(stale);
                    let text = format!("{}{}", 1_000_000 + self.id * 100_000 + self.seq, UNITS[slot]);
                    let (ids, vs) = (indicator.to_string(), version.to_string());
                    let a = timed!(self, Op::SaveActual, c => {
                        c.call(
                            "save_actual",
                            &[("indicator_id", &ids), ("actual_text", &text), ("expected_version", &vs)],
                        )
                    });
                    self.saved(Op::SaveActual, &a, stale, |applied| {
                        applied.then(|| Accepted::Actual { indicator, version, text: text.clone() })
                    });
                    if a.as_ref().is_some_and(|a| a.status == 200) {
                        actual.insert(indicator, version + 1);
                    }
                }
                65..=79 => {
                    let stale = self.next(10) == 0 && monitoring[&indicator] > 0;
                    let version = monitoring[&indicator] - i32::from(stale);
                    let text = format!("已完成 {} 的 {}%", self.id, self.seq);
                    let (ids, vs) = (indicator.to_string(), version.to_string());
                    let a = timed!(self, Op::SaveMonitoring, c => {
                        c.call(
                            "save_monitoring",
                            &[
                                ("indicator_id", &ids),
                                ("progress", &text),
                                ("likelihood", Likelihood::Certain.key()),
                                ("expected_version", &vs),
                            ],
                        )
                    });
                    self.saved(Op::SaveMonitoring, &a, stale, |applied| {
                        applied.then(|| Accepted::Monitoring { indicator, version, text: text.clone() })
                    });
                    if a.as_ref().is_some_and(|a| a.status == 200) {
                        monitoring.insert(indicator, version + 1);
                    }
                }
                80..=87 => self.submit(pair.submitted).await?,
                88..=93 => {
                    let body = format!("意见 {} 之 {}", self.id, self.seq);
                    let ids = indicator.to_string();
                    let a = timed!(self, Op::Comment, c => c.call("add_comment", &[("indicator_id", &ids), ("body", &body)]));
                    if self.write_outcome(Op::Comment, &a) == Some(true) {
                        self.log.accepted.push(Accepted::Comment { indicator, body });
                    }
                }
                _ => {
                    let path = format!("/projects/{}/audit.csv", pair.edited);
                    timed!(self, Op::CsvDownload, c => c.get(&path));
                }
            }
        }
        Ok(())
    }

    /// Records a save's outcome; a save sent stale on purpose must be refused.
    fn saved(&mut self, op: Op, answer: &Option<Answer>, stale: bool, accepted: impl FnOnce(bool) -> Option<Accepted>) {
        if stale {
            self.log.stale_on_purpose += 1;
        }
        match self.write_outcome(op, answer) {
            Some(true) if stale => self.log.failures.push(format!("{op:?}: a stale version was accepted")),
            Some(applied) => self.log.accepted.extend(accepted(applied)),
            None => {}
        }
    }

    /// Reads the 运行监控 phase of `project`, then applies the action this user may take on it
    /// (提交 for the department, 退回 for the finance bureau) with the version read.
    async fn submit(&mut self, project: i32) -> anyhow::Result<()> {
        let id = project.to_string();
        let a = timed!(self, Op::ReadWorkflow, c => c.call("get_workflow", &[("project_id", &id)]));
        let Some(a) = a.filter(|a| a.status == 200) else { return Ok(()) };
        let phases: Vec<app::api::workflow::PhaseView> = serde_json::from_slice(&a.body)?;
        let Some(phase) = phases.into_iter().find(|p| p.phase == Phase::Monitoring) else { return Ok(()) };
        let (action, to) = if phase.actions.contains(&ActionKind::Submit) {
            (ActionKind::Submit, Status::Submitted)
        } else if phase.actions.contains(&ActionKind::Return) {
            (ActionKind::Return, Status::Returned)
        } else {
            return Ok(());
        };
        let version = phase.version;
        let vs = version.to_string();
        let a = timed!(self, Op::Transition, c => {
            c.call(
                "transition_phase",
                &[
                    ("project_id", &id),
                    ("phase", Phase::Monitoring.key()),
                    ("action", action.key()),
                    ("reason", "请补充佐证材料"),
                    ("expected_version", &vs),
                ],
            )
        });
        if self.write_outcome(Op::Transition, &a) == Some(true) {
            self.log.accepted.push(Accepted::Transition { project, version, to });
        }
        Ok(())
    }

    async fn finance(&mut self, plans: &[Pair], deadline: Instant) -> anyhow::Result<()> {
        while Instant::now() < deadline {
            let pair = &plans[self.next(plans.len() as u64) as usize];
            match self.next(10) {
                0..=1 => {
                    timed!(self, Op::Dashboard, c => c.get("/?sort=score&desc=1"));
                }
                2..=3 => {
                    let path = format!("/projects/{}", pair.submitted);
                    timed!(self, Op::ProjectPage, c => c.get(&path));
                }
                4 => {
                    let path = format!("/projects/{}/audit.csv", pair.submitted);
                    timed!(self, Op::CsvDownload, c => c.get(&path));
                }
                _ => self.submit(pair.submitted).await?,
            }
        }
        Ok(())
    }
}

/// The rows the load writes, as stored.
struct Stored {
    actuals: HashMap<i32, actual_entry::Model>,
    monitoring: HashMap<i32, monitoring_entry::Model>,
    phases: HashMap<i32, project_phase::Model>,
    comments: Vec<indicator_comment::Model>,
    audit: Vec<audit_log::Model>,
}

impl Stored {
    async fn read(conn: &DatabaseConnection, plans: &[Pair]) -> anyhow::Result<Stored> {
        let indicators: Vec<i32> = plans.iter().flat_map(|p| p.indicators.iter().copied()).collect();
        let projects: Vec<i32> = plans.iter().flat_map(|p| [p.edited, p.submitted]).collect();
        let actuals = actual_entry::Entity::find()
            .filter(actual_entry::Column::IndicatorId.is_in(indicators.clone()))
            .all(conn)
            .await?;
        let monitoring = monitoring_entry::Entity::find()
            .filter(monitoring_entry::Column::IndicatorId.is_in(indicators.clone()))
            .all(conn)
            .await?;
        let phases = project_phase::Entity::find()
            .filter(project_phase::Column::ProjectId.is_in(projects.clone()))
            .all(conn)
            .await?
            .into_iter()
            .filter(|p| p.phase.0 == Phase::Monitoring)
            .map(|p| (p.project_id, p))
            .collect();
        let comments = indicator_comment::Entity::find()
            .filter(indicator_comment::Column::IndicatorId.is_in(indicators))
            .all(conn)
            .await?;
        let audit = audit_log::Entity::find().filter(audit_log::Column::ProjectId.is_in(projects)).all(conn).await?;
        Ok(Stored {
            actuals: actuals.into_iter().map(|a| (a.indicator_id, a)).collect(),
            monitoring: monitoring.into_iter().map(|m| (m.indicator_id, m)).collect(),
            phases,
            comments,
            audit,
        })
    }

    /// The values an entity's audit rows of `field` recorded as new.
    fn audited(&self, entity: EntityKind, id: i32, field: Field) -> Vec<String> {
        let mut values: Vec<String> = self
            .audit
            .iter()
            .filter(|a| a.entity.0 == entity && a.entity_id == id && a.field.is_some_and(|f| f.0 == field))
            .filter(|a| a.action.0 != AuditAction::Import)
            .map(|a| a.new_value.clone().unwrap_or_default())
            .collect();
        values.sort();
        values
    }
}

/// One row's accepted writes against what is stored: the versions the writes were sent with are
/// exactly the stored row's versions from `before` on (none lost, none twice), the stored value is
/// the last one's, and the audit rows added record exactly the accepted values.
fn check_row(
    what: &str,
    before: (i32, Vec<String>),
    after: Option<(i32, String, Vec<String>)>,
    mut writes: Vec<(i32, String)>,
) -> Option<String> {
    writes.sort();
    let Some((version, value, mut audited)) = after else {
        return (!writes.is_empty()).then(|| format!("{what}: {} writes accepted, nothing stored", writes.len()));
    };
    let expected: Vec<i32> = (before.0..before.0 + writes.len() as i32).collect();
    let sent: Vec<i32> = writes.iter().map(|(v, _)| *v).collect();
    if sent != expected {
        return Some(format!("{what}: accepted versions {sent:?}, expected {expected:?} (a lost update)"));
    }
    if version != before.0 + writes.len() as i32 {
        return Some(format!("{what}: version {version} after {} accepted writes from {}", writes.len(), before.0));
    }
    if let Some((_, last)) = writes.last() {
        if *last != value {
            return Some(format!("{what}: stores “{value}”, the last accepted write was “{last}”"));
        }
    }
    for old in before.1 {
        if let Some(i) = audited.iter().position(|a| *a == old) {
            audited.remove(i);
        }
    }
    let mut values: Vec<String> = writes.into_iter().map(|(_, v)| v).collect();
    values.sort();
    (audited != values).then(|| format!("{what}: audit rows {audited:?} differ from the accepted writes {values:?}"))
}

fn check(before: &Stored, after: &Stored, accepted: &[Accepted]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut actuals: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    let mut monitoring: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    let mut transitions: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
    let mut comments: HashMap<i32, Vec<String>> = HashMap::new();
    for a in accepted {
        match a {
            Accepted::Actual { indicator, version, text } => {
                actuals.entry(*indicator).or_default().push((*version, text.clone()))
            }
            Accepted::Monitoring { indicator, version, text } => {
                monitoring.entry(*indicator).or_default().push((*version, text.clone()))
            }
            Accepted::Transition { project, version, to } => {
                transitions.entry(*project).or_default().push((*version, to.key().to_owned()))
            }
            Accepted::Comment { indicator, body } => comments.entry(*indicator).or_default().push(body.clone()),
        }
    }
    for (indicator, writes) in actuals {
        let old = before.actuals.get(&indicator);
        let id = old.map_or(0, |r| r.id);
        let start = (old.map_or(0, |r| r.version), before.audited(EntityKind::ActualEntry, id, Field::ActualText));
        let now = after.actuals.get(&indicator).map(|r| {
            (
                r.version,
                r.actual_text.clone().unwrap_or_default(),
                after.audited(EntityKind::ActualEntry, r.id, Field::ActualText),
            )
        });
        failures.extend(check_row(&format!("实际完成值 of indicator {indicator}"), start, now, writes));
    }
    for (indicator, writes) in monitoring {
        let old = before.monitoring.get(&indicator);
        let start = (
            old.map_or(0, |r| r.version),
            old.map_or(vec![], |r| before.audited(EntityKind::MonitoringEntry, r.id, Field::Progress)),
        );
        let now = after.monitoring.get(&indicator).map(|r| {
            (
                r.version,
                r.progress.clone().unwrap_or_default(),
                after.audited(EntityKind::MonitoringEntry, r.id, Field::Progress),
            )
        });
        failures.extend(check_row(&format!("运行监控 of indicator {indicator}"), start, now, writes));
    }
    for (project, writes) in transitions {
        let old = before.phases.get(&project);
        let start = (
            old.map_or(0, |r| r.version),
            old.map_or(vec![], |r| before.audited(EntityKind::ProjectPhase, r.id, Field::Status)),
        );
        let now = after.phases.get(&project).map(|r| {
            (r.version, r.status.0.key().to_owned(), after.audited(EntityKind::ProjectPhase, r.id, Field::Status))
        });
        // Audit rows record the status label; compare keys with keys.
        let now = now.map(|(v, s, audited)| (v, s, audited.into_iter().map(|a| status_key(&a)).collect()));
        failures.extend(check_row(&format!("运行监控 phase of project {project}"), start, now, writes));
    }
    for (indicator, mut bodies) in comments {
        let mut stored: Vec<String> = after
            .comments
            .iter()
            .filter(|c| c.indicator_id == indicator)
            .filter(|c| !before.comments.iter().any(|b| b.id == c.id))
            .map(|c| c.body.clone())
            .collect();
        stored.sort();
        bodies.sort();
        if stored != bodies {
            failures.push(format!(
                "comments of indicator {indicator}: stored {} ≠ accepted {}",
                stored.len(),
                bodies.len()
            ));
        }
    }
    failures
}

/// A status as an audit row records it (its key or its label) → its key.
fn status_key(recorded: &str) -> String {
    Status::ALL
        .iter()
        .find(|s| s.key() == recorded || s.label() == recorded)
        .map_or_else(|| recorded.to_owned(), |s| s.key().to_owned())
}

fn percentile_ms(sorted: &[u64], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() * p).div_ceil(100)).saturating_sub(1).min(sorted.len() - 1)] as f64 / 1000.0
}

fn report(label: &str, opts: &Options, log: &Log, failures: Vec<String>) -> Report {
    let secs = opts.seconds as f64;
    let mut all: Vec<u64> = log.samples.iter().map(|(_, us, _)| *us).collect();
    all.sort_unstable();
    let ops = Op::ALL
        .iter()
        .map(|op| {
            let mut lat: Vec<u64> = log.samples.iter().filter(|(o, _, _)| o == op).map(|(_, us, _)| *us).collect();
            lat.sort_unstable();
            OpFigures {
                op: *op,
                requests: lat.len(),
                per_second: lat.len() as f64 / secs,
                p50_ms: percentile_ms(&lat, 50),
                p99_ms: percentile_ms(&lat, 99),
                conflicts: log.samples.iter().filter(|(o, _, s)| o == op && *s == 409).count(),
            }
        })
        .collect::<Vec<_>>();
    let writes = [Op::SaveActual, Op::SaveMonitoring, Op::Transition, Op::Comment];
    Report {
        database: label.to_owned(),
        users: opts.users,
        seconds: opts.seconds,
        requests: all.len(),
        per_second: all.len() as f64 / secs,
        p50_ms: percentile_ms(&all, 50),
        p99_ms: percentile_ms(&all, 99),
        writes_accepted: log.accepted.len(),
        writes_conflicting: log.samples.iter().filter(|(o, _, s)| writes.contains(o) && *s == 409).count(),
        stale_on_purpose: log.stale_on_purpose,
        responses_5xx: log.samples.iter().filter(|(_, _, s)| *s >= 500).count(),
        ops,
        failures,
    }
}
