//! 绩效自评 and 财政复核: year-end actuals per indicator, the project's budget execution, the
//! self-evaluation assembled from what is stored (scored by `domain::selfeval`, the same code the
//! browser previews with), and the finance bureau's re-scores.

use crate::audit::{action, entity};
use crate::edit::{self, dec_text, Change};
use crate::entities::{actual_entry, fiscal_year, indicator, project, review_score, user};
use crate::queries::UpdateError;
use crate::{accounts, versions, Amount};
use chrono::Utc;
use domain::scoring::Review;
use domain::selfeval::{parse_grade, FundsInput, IndicatorEntry, ProfileSpec, SelfEvaluation};
use domain::value::{parse_actual_with, TargetContext, ValueKind};
use domain::workflow::{can_rescore, validate_reason, ActionKind, Phase, SubmitCheck};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr, TransactionTrait,
};

/// The longest text in an evaluation field.
pub const MAX_CHARS: usize = 1000;

/// One indicator's year-end entry as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActualInput {
    /// 实际完成值 as written.
    pub actual_text: Option<String>,
    /// Qualitative grade (key or label).
    pub grade: Option<String>,
    /// Qualitative: points inside the grade's band.
    pub grade_score: Option<Decimal>,
    /// 佐证材料.
    pub evidence: Option<String>,
    /// 偏差原因分析及改进措施.
    pub explanation: Option<String>,
}

/// The project's year-end budget figures (万元) as the form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearEndFunds {
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed_full_year: Option<Decimal>,
    pub execution_explanation: Option<String>,
}

/// A project's actual entries.
pub async fn actuals(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<actual_entry::Model>, DbErr> {
    actual_entry::Entity::find().filter(actual_entry::Column::ProjectId.eq(project_id)).all(conn).await
}

/// A project's re-scores, oldest first (the newest per indicator counts).
pub async fn reviews(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<review_score::Model>, DbErr> {
    review_score::Entity::find()
        .filter(review_score::Column::ProjectId.eq(project_id))
        .order_by_asc(review_score::Column::Id)
        .all(conn)
        .await
}

fn grade_key(g: domain::scoring::QualitativeGrade) -> &'static str {
    match g {
        domain::scoring::QualitativeGrade::Achieved => "achieved",
        domain::scoring::QualitativeGrade::Partial => "partial",
        domain::scoring::QualitativeGrade::Poor => "poor",
    }
}

/// The scoring profile of the project's fiscal year (national when unknown).
pub async fn profile_of(conn: &impl ConnectionTrait, project_id: i32) -> Result<domain::scoring::Profile, DbErr> {
    let name = match project::Entity::find_by_id(project_id).one(conn).await? {
        Some(p) => fiscal_year::Entity::find_by_id(p.fiscal_year_id).one(conn).await?.map(|y| y.scoring_profile),
        None => None,
    };
    Ok(name.and_then(|n| domain::scoring::Profile::by_name(&n)).unwrap_or_else(domain::scoring::Profile::national))
}

/// The self-evaluation as stored: targets and weights of the current approved version (the
/// indicators' own while never approved), actuals, funds and the fiscal year's scoring profile.
/// With `with_reviews`, the finance bureau's newest re-score of each indicator replaces its score.
pub async fn self_evaluation(
    conn: &impl ConnectionTrait,
    project_id: i32,
    with_reviews: bool,
) -> Result<Option<SelfEvaluation>, DbErr> {
    let Some(p) = project::Entity::find_by_id(project_id).one(conn).await? else {
        return Ok(None);
    };
    let profile = fiscal_year::Entity::find_by_id(p.fiscal_year_id)
        .one(conn)
        .await?
        .map_or_else(|| "national".to_owned(), |y| y.scoring_profile);
    let indicators = crate::queries::indicators_in(conn, project_id).await?;
    let targets = versions::current_targets(conn, project_id).await?;
    let actuals = actuals(conn, project_id).await?;
    let reviews = if with_reviews { reviews(conn, project_id).await? } else { Vec::new() };
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
                comparator: ind.direction.clone(),
                unit: None,
                grade: a.and_then(|a| a.grade.clone()),
                score: a.and_then(|a| a.grade_score.map(|s| s.0)),
                explanation: a.and_then(|a| a.explanation.clone()),
                review,
            }
        })
        .collect();
    Ok(Some(SelfEvaluation {
        project: Some(p.name.clone()),
        funds: FundsInput {
            budget: p.budget_full_year.map(|a| a.0).unwrap_or_default(),
            executed: p.executed_full_year.map(|a| a.0).unwrap_or_default(),
            explanation: p.execution_explanation.clone(),
        },
        profile: ProfileSpec::Name(profile),
        indicators: entries,
    }))
}

/// What submitting 绩效自评 requires of what is stored (see `domain::selfeval::submit_check`).
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck, DbErr> {
    let Some(input) = self_evaluation(conn, project_id, false).await? else {
        return Ok(SubmitCheck { other_problems: vec!["项目不存在".to_owned()], ..SubmitCheck::passed() });
    };
    Ok(domain::selfeval::submit_check(&input)
        .unwrap_or_else(|e| SubmitCheck { other_problems: vec![e], ..SubmitCheck::passed() }))
}

/// Saves one indicator's year-end entry as `user`; `expected_version` is the entry's version the
/// form showed (0 when never saved). An unreadable 实际完成值 or an unknown grade is refused.
pub async fn save_actual(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    input: &ActualInput,
    expected_version: i32,
) -> Result<actual_entry::Model, UpdateError> {
    let txn = db.begin().await?;
    let ind = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let project = edit::project_for_edit(&txn, user, ind.project_id, Phase::SelfEvaluation).await?;
    let actual_text = edit::text(input.actual_text.as_deref(), &format!("{}的实际完成值", ind.name), 200)?;
    let parsed = match &actual_text {
        None => None,
        Some(text) => {
            let ctx = TargetContext {
                category: Some(ind.level2.clone()),
                indicator_name: Some(ind.name.clone()),
                comparator_column: ind.direction.clone(),
                unit_column: None,
            };
            let actual = parse_actual_with(text, &ctx);
            if let ValueKind::Invalid { message } = &actual.kind {
                return Err(UpdateError::Invalid(format!("指标“{}”的实际完成值“{text}”无法识别：{message}", ind.name)));
            }
            Some(serde_json::to_string(&actual).unwrap_or_default())
        }
    };
    let grade = match edit::text(input.grade.as_deref(), "评价等级", 32)? {
        None => None,
        Some(g) => Some(
            grade_key(parse_grade(&g).ok_or_else(|| {
                UpdateError::Invalid(format!(
                    "评价等级“{g}”无法识别（应为 达成年度指标、部分达成年度指标并具有一定效果 或 未达成年度指标且效果较差）"
                ))
            })?)
            .to_owned(),
        ),
    };
    let grade_score = edit::non_negative(input.grade_score, &format!("{}的得分", ind.name))?;
    let weight = versions::current_weight(&txn, &ind).await?;
    if let (Some(s), Some(w)) = (grade_score, weight) {
        if s > w {
            return Err(UpdateError::Invalid(format!("指标“{}”的得分 {s} 超过分值 {}", ind.name, w.normalize())));
        }
    }
    let evidence = edit::text(input.evidence.as_deref(), "佐证材料", MAX_CHARS)?;
    let explanation = edit::text(input.explanation.as_deref(), "偏差原因分析及改进措施", MAX_CHARS)?;

    let now = Utc::now();
    let existing =
        actual_entry::Entity::find().filter(actual_entry::Column::IndicatorId.eq(indicator_id)).one(&txn).await?;
    if existing.as_ref().map_or(0, |e| e.version) != expected_version {
        return Err(UpdateError::Conflict);
    }
    let old = |f: fn(&actual_entry::Model) -> Option<String>| existing.as_ref().and_then(f);
    let changes: Vec<Change> = vec![
        ("actual_text", old(|e| e.actual_text.clone()), actual_text.clone()),
        ("grade", old(|e| e.grade.clone()), grade.clone()),
        ("grade_score", old(|e| dec_text(e.grade_score.map(|s| s.0))), dec_text(grade_score)),
        ("evidence", old(|e| e.evidence.clone()), evidence.clone()),
        ("explanation", old(|e| e.explanation.clone()), explanation.clone()),
    ];
    if existing.is_some() && changes.iter().all(|(_, a, b)| a == b) {
        txn.commit().await?;
        return existing.ok_or(UpdateError::NotFound);
    }
    let id = match &existing {
        Some(e) => {
            let updated = actual_entry::Entity::update_many()
                .col_expr(actual_entry::Column::ActualText, Expr::value(actual_text))
                .col_expr(actual_entry::Column::ActualParsed, Expr::value(parsed))
                .col_expr(actual_entry::Column::Grade, Expr::value(grade))
                .col_expr(actual_entry::Column::GradeScore, Expr::value(grade_score.map(Amount)))
                .col_expr(actual_entry::Column::Evidence, Expr::value(evidence))
                .col_expr(actual_entry::Column::Explanation, Expr::value(explanation))
                .col_expr(actual_entry::Column::UpdatedBy, Expr::value(Some(user.id)))
                .col_expr(actual_entry::Column::UpdatedAt, Expr::value(now))
                .col_expr(actual_entry::Column::Version, Expr::col(actual_entry::Column::Version).add(1))
                .filter(actual_entry::Column::Id.eq(e.id))
                .filter(actual_entry::Column::Version.eq(expected_version))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(UpdateError::Conflict);
            }
            e.id
        }
        None => {
            let inserted = actual_entry::ActiveModel {
                indicator_id: Set(indicator_id),
                project_id: Set(project.id),
                actual_text: Set(actual_text),
                actual_parsed: Set(parsed),
                grade: Set(grade),
                grade_score: Set(grade_score.map(Amount)),
                evidence: Set(evidence),
                explanation: Set(explanation),
                updated_by: Set(Some(user.id)),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Err(UpdateError::Conflict)
                }
                other => other?.id,
            }
        }
    };
    let kind = if existing.is_some() { action::UPDATE } else { action::CREATE };
    let base = edit::entry(user, now, kind, entity::ACTUAL_ENTRY, id, project.id);
    edit::record_changes(&txn, &base, changes).await?;
    let saved = actual_entry::Entity::find_by_id(id).one(&txn).await?.ok_or(UpdateError::Conflict)?;
    txn.commit().await?;
    Ok(saved)
}

/// Updates figures of project `p` if it is still at `expected_version`, bumping the version.
pub(crate) async fn update_project_figures(
    conn: &impl ConnectionTrait,
    p: &project::Model,
    expected_version: i32,
    sets: Vec<(project::Column, SimpleExpr)>,
) -> Result<project::Model, UpdateError> {
    if p.version != expected_version {
        return Err(UpdateError::Conflict);
    }
    let mut update = project::Entity::update_many();
    for (col, value) in sets {
        update = update.col_expr(col, value);
    }
    let updated = update
        .col_expr(project::Column::Version, Expr::col(project::Column::Version).add(1))
        .filter(project::Column::Id.eq(p.id))
        .filter(project::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(UpdateError::Conflict);
    }
    project::Entity::find_by_id(p.id).one(conn).await?.ok_or(UpdateError::Conflict)
}

/// Saves the project's 年初预算数 / 全年预算数 / 全年执行数 (万元) and the execution explanation as
/// `user`; `expected_version` is the project's version the form showed.
pub async fn save_year_end_funds(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    input: &YearEndFunds,
    expected_version: i32,
) -> Result<project::Model, UpdateError> {
    let txn = db.begin().await?;
    let p = edit::project_for_edit(&txn, user, project_id, Phase::SelfEvaluation).await?;
    let initial = edit::non_negative(input.budget_initial, "年初预算数")?;
    let budget = edit::non_negative(input.budget_full_year, "全年预算数")?;
    let executed = edit::non_negative(input.executed_full_year, "全年执行数")?;
    let explanation = edit::text(input.execution_explanation.as_deref(), "预算执行偏差原因", MAX_CHARS)?;
    let old = |a: Option<Amount>| dec_text(a.map(|a| a.0));
    let changes: Vec<Change> = vec![
        ("budget_initial", old(p.budget_initial), dec_text(initial)),
        ("budget_full_year", old(p.budget_full_year), dec_text(budget)),
        ("executed_full_year", old(p.executed_full_year), dec_text(executed)),
        ("execution_explanation", p.execution_explanation.clone(), explanation.clone()),
    ];
    let saved = update_project_figures(
        &txn,
        &p,
        expected_version,
        vec![
            (project::Column::BudgetInitial, Expr::value(initial.map(Amount))),
            (project::Column::BudgetFullYear, Expr::value(budget.map(Amount))),
            (project::Column::ExecutedFullYear, Expr::value(executed.map(Amount))),
            (project::Column::ExecutionExplanation, Expr::value(explanation)),
        ],
    )
    .await?;
    let base = edit::entry(user, Utc::now(), action::UPDATE, entity::PROJECT, p.id, p.id);
    edit::record_changes(&txn, &base, changes).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records the finance bureau's score for one indicator, with the reason, as `user`. Allowed
/// while 绩效自评 is 财政复核中; the score must lie between 0 and the indicator's 分值.
pub async fn rescore(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    score: Decimal,
    reason: &str,
) -> Result<review_score::Model, UpdateError> {
    let txn = db.begin().await?;
    let ind = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let status = crate::workflow::phase_status(&txn, ind.project_id, Phase::SelfEvaluation).await?;
    can_rescore(&accounts::actor(user), status)?;
    let reason = validate_reason(ActionKind::Return, reason)
        .map_err(|_| UpdateError::Invalid("复核评分须填写理由（不超过500字）".to_owned()))?
        .to_owned();
    let weight = versions::current_weight(&txn, &ind).await?.unwrap_or_default();
    if score < Decimal::ZERO || score > weight {
        return Err(UpdateError::Invalid(format!(
            "指标“{}”的复核得分须在 0 到 {} 之间",
            ind.name,
            weight.normalize()
        )));
    }
    let previous = reviews(&txn, ind.project_id).await?.into_iter().rev().find(|r| r.indicator_id == ind.id);
    let now = Utc::now();
    let saved = review_score::ActiveModel {
        indicator_id: Set(ind.id),
        project_id: Set(ind.project_id),
        score: Set(Amount(score.normalize())),
        reason: Set(reason.clone()),
        reviewer_id: Set(Some(user.id)),
        reviewer_name: Set(user.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let base = edit::entry(user, now, action::CREATE, entity::REVIEW_SCORE, saved.id, ind.project_id);
    edit::record_changes(
        &txn,
        &base,
        vec![
            ("score", previous.map(|r| r.score.0.normalize().to_string()), Some(score.normalize().to_string())),
            ("reason", None, Some(reason)),
        ],
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
