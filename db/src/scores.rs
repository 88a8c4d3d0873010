//! What is derived from a project's inputs: its self-evaluation assembled from what is stored
//! (scored by `domain::selfeval`, the same code the browser previews with), and the stored result
//! — total, grade, 预算执行率 — in `project_score`.
//!
//! Every write that changes a project commits through `crate::write::commit`, which calls
//! [`refresh`] for that project inside the same transaction, so the stored score is never older
//! than its inputs. Lists, the dashboard and the 汇总表 read [`stored_of`] instead of re-scoring
//! every project per request. [`backfill`] (run after migrations) scores projects that have no
//! row yet; [`mismatches`] recomputes everything and says where the stored rows differ.

use crate::entities::{actual_entry, indicator, project, project_score, review_score};
use crate::error::Result;
use crate::store;
use crate::store::versions::Targets;
use crate::{Amount, Key};
use domain::scoring::Review;
use domain::selfeval::{FundsInput, IndicatorEntry, ProfileSpec, SelfEvaluation};
use domain::vocab::Grade;
use rust_decimal::Decimal;
use sea_orm::sea_query::LockType;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Projects scored per batch when many are refreshed at once.
const BATCH: usize = 500;

/// A project's stored score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub total: Decimal,
    pub grade: Option<Grade>,
    pub execution_rate: Option<Decimal>,
    /// Whether anything of the year-end result is entered (lists show a score only then).
    pub has_results: bool,
}

impl Stored {
    /// Scores `input` as the pages and documents do (re-scores included when `input` has them).
    pub fn of(input: &SelfEvaluation) -> Stored {
        let result = domain::selfeval::evaluate(input);
        Stored {
            total: result.total.normalize(),
            grade: result.grade,
            execution_rate: result.execution.rate.map(|r| r.normalize()),
            has_results: input.indicators.iter().any(|i| i.actual.is_some() || i.grade.is_some()),
        }
    }

    fn of_row(row: project_score::Model) -> Stored {
        Stored {
            total: row.total.0,
            grade: row.grade.map(|g| g.0),
            execution_rate: row.execution_rate.map(|r| r.0),
            has_results: row.has_results,
        }
    }
}

/// The self-evaluation of one project as stored: targets and weights of the current approved
/// version (the indicators' own while never approved), actuals, funds and the fiscal year's scoring
/// profile. With `with_reviews`, the finance bureau's newest re-score of each indicator replaces
/// its score.
pub async fn self_evaluation(
    conn: &impl ConnectionTrait,
    project_id: i32,
    with_reviews: bool,
) -> Result<Option<SelfEvaluation>> {
    let Some(p) = project::Entity::find_by_id(project_id).one(conn).await? else {
        return Ok(None);
    };
    Ok(self_evaluations(conn, &[p], with_reviews).await?.remove(&project_id))
}

/// [`self_evaluation`] of many projects at once, with a fixed number of queries.
pub async fn self_evaluations(
    conn: &impl ConnectionTrait,
    projects: &[project::Model],
    with_reviews: bool,
) -> Result<HashMap<i32, SelfEvaluation>> {
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let profiles: HashMap<i32, domain::vocab::ScoringProfile> =
        store::directory::fiscal_years(conn).await?.into_iter().map(|y| (y.id, y.scoring_profile.0)).collect();
    let mut indicators = store::projects::indicators_of(conn, &ids).await?;
    let mut targets = store::versions::current_targets_of(conn, &ids).await?;
    let mut actuals = store::actuals::of_projects(conn, &ids).await?;
    let mut reviews = if with_reviews { store::actuals::reviews_of(conn, &ids).await? } else { HashMap::new() };
    Ok(projects
        .iter()
        .map(|p| {
            let evaluation = assemble(
                p,
                profiles.get(&p.fiscal_year_id).copied().unwrap_or(domain::vocab::ScoringProfile::National),
                &indicators.remove(&p.id).unwrap_or_default(),
                &targets.remove(&p.id).unwrap_or_default(),
                &actuals.remove(&p.id).unwrap_or_default(),
                &reviews.remove(&p.id).unwrap_or_default(),
            );
            (p.id, evaluation)
        })
        .collect())
}

fn assemble(
    p: &project::Model,
    profile: domain::vocab::ScoringProfile,
    indicators: &[indicator::Model],
    targets: &Targets,
    actuals: &[actual_entry::Model],
    reviews: &[review_score::Model],
) -> SelfEvaluation {
    let entries = indicators
        .iter()
        .map(|ind| {
            let (target, weight) =
                targets.get(&ind.id).cloned().unwrap_or_else(|| (ind.target_text.clone(), ind.weight.map(|w| w.0)));
            let a = actuals.iter().find(|a| a.indicator_id == ind.id);
            let review = reviews.iter().rev().find(|r| r.indicator_id == ind.id).map(|r| Review {
                score: r.score.0,
                reason: r.reason.clone(),
                reviewer: r.reviewer_name.clone(),
            });
            IndicatorEntry {
                level1: ind.level1.clone(),
                level2: ind.level2.clone(),
                name: ind.name.clone(),
                target,
                weight: weight.unwrap_or_default(),
                actual: a.and_then(|a| a.actual_text.clone()),
                comparator: ind.direction.map(|d| d.0),
                unit: None,
                grade: a.and_then(|a| a.grade).map(|g| g.0),
                score: a.and_then(|a| a.grade_score.map(|s| s.0)),
                explanation: a.and_then(|a| a.explanation.clone()),
                review,
            }
        })
        .collect();
    SelfEvaluation {
        project: Some(p.name.clone()),
        funds: FundsInput {
            budget: p.budget_full_year.map(|a| a.0).unwrap_or_default(),
            executed: p.executed_full_year.map(|a| a.0).unwrap_or_default(),
            explanation: p.execution_explanation.clone(),
        },
        profile: ProfileSpec::Name(profile),
        indicators: entries,
    }
}

/// Scores `project_ids` from what is stored now (re-scores included) and stores the result,
/// replacing their rows. Call inside the transaction that changed their inputs.
///
/// On PostgreSQL the projects' rows are locked first (`FOR NO KEY UPDATE`, in id order), so two
/// transactions changing one project refresh one after the other and the later one reads the
/// earlier one's committed inputs: a stored score is never computed from a stale snapshot, and
/// the two never insert the same row at once. SQLite writers are serialised already
/// (`write::begin`).
pub async fn refresh(conn: &impl ConnectionTrait, project_ids: &[i32]) -> Result<()> {
    let mut ids = project_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(BATCH) {
        let query = project::Entity::find()
            .filter(project::Column::Id.is_in(chunk.iter().copied()))
            .order_by_asc(project::Column::Id);
        // FOR NO KEY UPDATE, not FOR UPDATE: the transaction may already hold a KEY SHARE lock on
        // the row (inserting a child row checks its foreign key), and so may a concurrent one;
        // two FOR UPDATE requests would then wait on each other's KEY SHARE (a deadlock, seen
        // under `jixiao load-test`), while NO KEY UPDATE still queues the refreshes one by one.
        let query = match conn.get_database_backend() {
            DbBackend::Postgres => query.lock(LockType::NoKeyUpdate),
            _ => query,
        };
        let projects = query.all(conn).await?;
        let evaluations = self_evaluations(conn, &projects, true).await?;
        project_score::Entity::delete_many()
            .filter(project_score::Column::ProjectId.is_in(chunk.iter().copied()))
            .exec(conn)
            .await?;
        let now = chrono::Utc::now();
        let rows: Vec<project_score::ActiveModel> = projects
            .iter()
            .filter_map(|p| evaluations.get(&p.id).map(|e| (p.id, Stored::of(e))))
            .map(|(id, s)| project_score::ActiveModel {
                project_id: Set(id),
                total: Set(Amount(s.total)),
                grade: Set(s.grade.map(Key)),
                execution_rate: Set(s.execution_rate.map(Amount)),
                has_results: Set(s.has_results),
                updated_at: Set(now),
            })
            .collect();
        if !rows.is_empty() {
            project_score::Entity::insert_many(rows).exec_without_returning(conn).await?;
        }
    }
    Ok(())
}

/// [`refresh`] of every project of a fiscal year (its scoring profile changed).
pub async fn refresh_year(conn: &impl ConnectionTrait, fiscal_year_id: i32) -> Result<()> {
    let ids: Vec<i32> = project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .filter(project::Column::FiscalYearId.eq(fiscal_year_id))
        .into_tuple()
        .all(conn)
        .await?;
    refresh(conn, &ids).await
}

/// Scores the projects that have no stored row (a database from before scores were stored, or
/// a copy): run after migrations. Returns how many were scored.
pub async fn backfill(conn: &impl ConnectionTrait) -> Result<usize> {
    let all: Vec<i32> =
        project::Entity::find().select_only().column(project::Column::Id).into_tuple().all(conn).await?;
    let scored: std::collections::HashSet<i32> = project_score::Entity::find()
        .select_only()
        .column(project_score::Column::ProjectId)
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let missing: Vec<i32> = all.into_iter().filter(|id| !scored.contains(id)).collect();
    refresh(conn, &missing).await?;
    Ok(missing.len())
}

/// The stored scores of `project_ids` (a project missing here has never been scored).
pub async fn stored_of(conn: &impl ConnectionTrait, project_ids: &[i32]) -> Result<HashMap<i32, Stored>> {
    let mut out = HashMap::with_capacity(project_ids.len());
    for chunk in project_ids.chunks(store::projects::CHUNK) {
        let rows = project_score::Entity::find()
            .filter(project_score::Column::ProjectId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        out.extend(rows.into_iter().map(|r| (r.project_id, Stored::of_row(r))));
    }
    Ok(out)
}

/// The stored scores of `projects`; one never stored (which the write path prevents) is scored
/// here instead, so a reader is right either way.
pub async fn of_projects(conn: &impl ConnectionTrait, projects: &[project::Model]) -> Result<HashMap<i32, Stored>> {
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let mut scores = stored_of(conn, &ids).await?;
    let missing: Vec<project::Model> = projects.iter().filter(|p| !scores.contains_key(&p.id)).cloned().collect();
    if !missing.is_empty() {
        let evaluations = self_evaluations(conn, &missing, true).await?;
        scores.extend(evaluations.iter().map(|(id, e)| (*id, Stored::of(e))));
    }
    Ok(scores)
}

/// Every project whose stored score differs from a fresh computation: (project, stored, fresh).
/// Empty when the write paths kept the table true.
pub async fn mismatches(conn: &impl ConnectionTrait) -> Result<Vec<(i32, Option<Stored>, Stored)>> {
    let projects = project::Entity::find().order_by_asc(project::Column::Id).all(conn).await?;
    let mut out = Vec::new();
    for chunk in projects.chunks(BATCH) {
        let ids: Vec<i32> = chunk.iter().map(|p| p.id).collect();
        let evaluations = self_evaluations(conn, chunk, true).await?;
        let mut stored = stored_of(conn, &ids).await?;
        for p in chunk {
            let Some(e) = evaluations.get(&p.id) else { continue };
            let fresh = Stored::of(e);
            let have = stored.remove(&p.id);
            if have.as_ref() != Some(&fresh) {
                out.push((p.id, have, fresh));
            }
        }
    }
    Ok(out)
}
