//! The yearly cycle of one project as its page shows it: declared indicators, target versions
//! and 调整, 运行监控, 绩效自评 with the stored self-evaluation (the browser scores it live with
//! `domain::selfeval`, the server with the same code), 财政复核 re-scores and comments — with
//! what the signed-in user may do in each part, decided by `domain::workflow`.

use super::AppError;
use domain::selfeval::SelfEvaluation;
use domain::vocab::{
    Basis, DeviationCategory, IndicatorNature, Likelihood, QualitativeGrade, ScoringProfile, VersionState,
};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleView {
    pub project_id: i32,
    /// The project's version (optimistic lock of the funds forms).
    pub project_version: i32,
    /// The fiscal year's scoring profile.
    pub profile: ScoringProfile,
    pub permissions: Permissions,
    pub funds: FundsView,
    pub indicators: Vec<CycleIndicator>,
    pub versions: Vec<VersionView>,
    /// The self-evaluation as stored, with the finance bureau's re-scores.
    pub evaluation: SelfEvaluation,
}

/// What the signed-in user may do now (the server checks again on every write).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub edit_declaration: bool,
    pub edit_monitoring: bool,
    pub edit_evaluation: bool,
    pub propose_adjustment: bool,
    pub decide_adjustment: bool,
    pub rescore: bool,
    pub comment: bool,
    /// The next fiscal year, when the user may copy this project into it (复制到下一年度): they
    /// may declare its targets, the year is open and holds no project of the same name.
    pub copy_to_year: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundsView {
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed_full_year: Option<Decimal>,
    pub execution_explanation: Option<String>,
    pub executed_jan_jul: Option<Decimal>,
    pub expected_execution: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleIndicator {
    pub id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 指标值 as declared (after approved 调整).
    pub target_text: String,
    pub weight: Option<Decimal>,
    pub direction: Option<IndicatorNature>,
    pub basis: Option<Basis>,
    pub core: bool,
    pub version: i32,
    pub monitoring: MonitoringView,
    pub actual: ActualView,
    pub reviews: Vec<ReviewView>,
    /// The newest [`PAGE_COMMENTS`] comments, oldest first.
    pub comments: Vec<CommentView>,
    /// How many comments the indicator has in all.
    pub comment_count: usize,
}

/// How many comments of an indicator the project page shows (the newest), so that a long
/// thread cannot inflate the page; the audit CSV keeps every one.
pub const PAGE_COMMENTS: usize = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringView {
    pub progress: Option<String>,
    pub forecast: Option<String>,
    pub likelihood: Option<Likelihood>,
    pub deviation_category: Option<DeviationCategory>,
    pub deviation_reason: Option<String>,
    pub corrective_action: Option<String>,
    /// 0 while never saved.
    pub version: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActualView {
    pub actual_text: Option<String>,
    pub grade: Option<QualitativeGrade>,
    pub grade_score: Option<Decimal>,
    pub evidence: Option<String>,
    pub explanation: Option<String>,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub score: Decimal,
    pub reason: String,
    pub reviewer: String,
    /// 北京时间.
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub body: String,
    pub at: String,
}

/// A target version: number, state, who proposed and decided it when, why, and what it changed
/// against the version before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: i32,
    pub number: i32,
    pub state: VersionState,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    /// (指标, old, new) for each target or weight that differs from the previous version.
    pub changes: Vec<(String, String, String)>,
}

/// The cycle of a project the signed-in user may read.
#[server]
pub async fn get_cycle(project_id: i32) -> Result<CycleView, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let row = super::ssr::readable_project(&db, &actor, project_id).await?;
    let states = db::store::phases::of_project(&db, project_id).await?;
    ssr::cycle(&db, &actor, &row.project, &states).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::api::ssr::beijing;
    use db::entities::{project, target_version_item};
    use db::store::phases::PhaseState;
    use db::DatabaseConnection;
    use domain::workflow::{
        can_decide_adjustment, can_edit, can_propose_adjustment, can_read, can_rescore, phase_available, Actor, Phase,
    };

    fn item_text(i: &target_version_item::Model) -> String {
        match i.weight {
            Some(w) => format!("{}（{}分）", i.target_text, w.0.normalize()),
            None => i.target_text.clone(),
        }
    }

    /// The year `p` can be copied into now (`db::cycle::carry_over::next_year`), if any.
    async fn next_open_year(db: &DatabaseConnection, p: &project::Model) -> Result<Option<i32>, AppError> {
        match db::cycle::carry_over::next_year(db, p).await {
            Ok(year) => Ok(Some(year.year)),
            Err(db::Error::Invalid(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The cycle of project `p`, whose phases are in `states`, as `actor` sees it.
    pub async fn cycle(
        db: &DatabaseConnection,
        actor: &Actor,
        p: &project::Model,
        states: &[PhaseState],
    ) -> Result<CycleView, AppError> {
        let project_id = p.id;
        let dept = p.department_id;
        let status = |phase: Phase| {
            states
                .iter()
                .find(|s| s.phase == phase)
                .map(|s| s.status)
                .unwrap_or(domain::workflow::Status::initial(phase))
        };
        let declaration = status(Phase::Declaration);
        let editable =
            |phase: Phase| phase_available(phase, declaration) && can_edit(actor, dept, phase, status(phase));
        let permissions = Permissions {
            edit_declaration: editable(Phase::Declaration),
            edit_monitoring: editable(Phase::Monitoring),
            edit_evaluation: editable(Phase::SelfEvaluation),
            propose_adjustment: can_propose_adjustment(actor, dept, declaration, status(Phase::SelfEvaluation)).is_ok(),
            decide_adjustment: can_decide_adjustment(actor).is_ok(),
            rescore: can_rescore(actor, status(Phase::SelfEvaluation)).is_ok(),
            comment: can_read(actor, dept),
            copy_to_year: if can_edit(actor, dept, Phase::Declaration, domain::workflow::Status::Draft) {
                next_open_year(db, p).await?
            } else {
                None
            },
        };
        let indicators = db::store::projects::indicators(db, project_id).await?;
        let monitoring = db::store::monitoring::of_project(db, project_id).await?;
        let actuals = db::store::actuals::of_project(db, project_id).await?;
        let reviews = db::store::actuals::reviews(db, project_id).await?;
        let comments = db::store::comments::of_project(db, project_id).await?;
        let versions = db::store::versions::of_project(db, project_id).await?;
        let evaluation = db::cycle::evaluation::self_evaluation(db, project_id, true)
            .await?
            .ok_or(AppError::NotFound(domain::vocab::EntityKind::Project))?;
        let profile = match &evaluation.profile {
            domain::selfeval::ProfileSpec::Name(n) => *n,
            domain::selfeval::ProfileSpec::Inline(_) => ScoringProfile::National,
        };
        let name_of = |id: i32| indicators.iter().find(|i| i.id == id).map(|i| i.name.clone()).unwrap_or_default();
        let version_views = versions
            .iter()
            .enumerate()
            .map(|(n, v)| {
                // The version before it in number order (the list is newest first).
                let previous = versions[n + 1..]
                    .iter()
                    .find(|o| !matches!(o.version.state.0, VersionState::Rejected | VersionState::Pending));
                let changes = v
                    .items
                    .iter()
                    .filter_map(|item| {
                        let old = previous.and_then(|p| p.items.iter().find(|o| o.indicator_id == item.indicator_id));
                        match old {
                            Some(o) if o.target_text == item.target_text && o.weight == item.weight => None,
                            Some(o) => Some((name_of(item.indicator_id), item_text(o), item_text(item))),
                            None if previous.is_some() => {
                                Some((name_of(item.indicator_id), String::new(), item_text(item)))
                            }
                            None => None,
                        }
                    })
                    .collect();
                let m = &v.version;
                VersionView {
                    id: m.id,
                    number: m.number,
                    state: m.state.0,
                    reason: m.reason.clone(),
                    created_by: m.created_by_name.clone(),
                    created_at: beijing(m.created_at),
                    decided_by: m.decided_by_name.clone(),
                    decided_at: m.decided_at.map(beijing),
                    decision_note: m.decision_note.clone(),
                    changes,
                }
            })
            .collect();
        let indicators = indicators
            .iter()
            .map(|i| {
                let m = monitoring.iter().find(|m| m.indicator_id == i.id);
                let a = actuals.iter().find(|a| a.indicator_id == i.id);
                CycleIndicator {
                    id: i.id,
                    level1: i.level1.clone(),
                    level2: i.level2.clone(),
                    name: i.name.clone(),
                    target_text: i.target_text.clone(),
                    weight: i.weight.map(|w| w.0.normalize()),
                    direction: i.direction.map(|d| d.0),
                    basis: i.basis.map(|b| b.0),
                    core: i.core,
                    version: i.version,
                    monitoring: m
                        .map(|m| MonitoringView {
                            progress: m.progress.clone(),
                            forecast: m.forecast.clone(),
                            likelihood: m.likelihood.map(|l| l.0),
                            deviation_category: m.deviation_category.map(|c| c.0),
                            deviation_reason: m.deviation_reason.clone(),
                            corrective_action: m.corrective_action.clone(),
                            version: m.version,
                        })
                        .unwrap_or_default(),
                    actual: a
                        .map(|a| ActualView {
                            actual_text: a.actual_text.clone(),
                            grade: a.grade.map(|g| g.0),
                            grade_score: a.grade_score.map(|s| s.0.normalize()),
                            evidence: a.evidence.clone(),
                            explanation: a.explanation.clone(),
                            version: a.version,
                        })
                        .unwrap_or_default(),
                    reviews: reviews
                        .iter()
                        .filter(|r| r.indicator_id == i.id)
                        .map(|r| ReviewView {
                            score: r.score.0.normalize(),
                            reason: r.reason.clone(),
                            reviewer: r.reviewer_name.clone(),
                            at: beijing(r.created_at),
                        })
                        .collect(),
                    comments: {
                        let all: Vec<_> = comments.iter().filter(|c| c.indicator_id == i.id).collect();
                        all[all.len().saturating_sub(PAGE_COMMENTS)..]
                            .iter()
                            .map(|c| CommentView {
                                author: c.author_name.clone(),
                                body: c.body.clone(),
                                at: beijing(c.created_at),
                            })
                            .collect()
                    },
                    comment_count: comments.iter().filter(|c| c.indicator_id == i.id).count(),
                }
            })
            .collect();
        Ok(CycleView {
            project_id,
            project_version: p.version,
            profile,
            permissions,
            funds: FundsView {
                budget_initial: p.budget_initial.map(|a| a.0.normalize()),
                budget_full_year: p.budget_full_year.map(|a| a.0.normalize()),
                executed_full_year: p.executed_full_year.map(|a| a.0.normalize()),
                execution_explanation: p.execution_explanation.clone(),
                executed_jan_jul: p.executed_jan_jul.map(|a| a.0.normalize()),
                expected_execution: p.expected_execution.map(|a| a.0.normalize()),
            },
            indicators,
            versions: version_views,
            evaluation,
        })
    }
}
