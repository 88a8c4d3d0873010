//! 目标申报: editing each indicator's declared content while the declaration is 草稿 / 退回,
//! and what submitting it requires.

use super::access;
use crate::entities::{indicator, user};
use crate::error::Result;
use crate::store;
use crate::store::projects::{parsed_target_json, target_context};
use crate::write::{self, Audit, Write};
use crate::{Amount, Key};
use chrono::Utc;
use domain::input::{self, Invalid};
use domain::value::{parse_target, ValueKind};
use domain::vocab::{Basis, EntityKind, Field, IndicatorNature};
use domain::workflow::{Phase, SubmitCheck};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// The longest 指标值 accepted, in characters.
pub const MAX_TARGET_CHARS: usize = 200;

/// An indicator's declared content, as the 目标申报 form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndicatorEdit {
    pub target_text: String,
    pub weight: Option<Decimal>,
    pub direction: Option<IndicatorNature>,
    pub basis: Option<Basis>,
    pub core: bool,
}

/// Checks a 指标值 for an indicator: non-blank, not too long, readable, not a placeholder.
pub fn validate_target(
    ind: &indicator::Model,
    direction: Option<IndicatorNature>,
    text: &str,
) -> Result<String, Invalid> {
    let text = input::required_text(text, Field::TargetText, MAX_TARGET_CHARS)?;
    match parse_target(&text, &target_context(ind, direction)).kind {
        ValueKind::Invalid { message } => {
            Err(Invalid::Unreadable { field: Field::TargetText, indicator: ind.name.clone(), text, message })
        }
        ValueKind::Placeholder => Err(Invalid::Placeholder { indicator: ind.name.clone(), text }),
        _ => Ok(text),
    }
}

/// Changes an indicator's 指标值 as `user` (see [`update_indicator`]); the other fields stay.
pub async fn update_indicator_target(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    new_text: &str,
    expected_version: i32,
) -> Result<indicator::Model> {
    let old =
        store::projects::indicator(db, indicator_id).await?.ok_or(crate::Error::NotFound(EntityKind::Indicator))?;
    let edit = IndicatorEdit {
        target_text: new_text.to_owned(),
        weight: old.weight.map(|w| w.0),
        direction: old.direction.map(|d| d.0),
        basis: old.basis.map(|b| b.0),
        core: old.core,
    };
    update_indicator(db, user, indicator_id, &edit, expected_version).await
}

/// Changes an indicator's declared content as `user`, if the indicator is still at
/// `expected_version` and the workflow lets the user edit the project's 目标申报 now. The change
/// and one audit row per changed field are written in one transaction.
pub async fn update_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    new: &IndicatorEdit,
    expected_version: i32,
) -> Result<indicator::Model> {
    let txn = write::begin(db).await?;
    let (old, project) = access::indicator_for_edit(&txn, user, indicator_id, Phase::Declaration).await?;
    let text = validate_target(&old, new.direction, &new.target_text)?;
    let weight = input::non_negative(new.weight, Field::Weight)?;
    if weight.is_some_and(|w| w > Decimal::ONE_HUNDRED) {
        return Err(Invalid::AboveMax { field: Field::Weight, max: Decimal::ONE_HUNDRED }.into());
    }
    use indicator::Column as C;
    let changes = Write::<indicator::Entity>::new()
        .field(Field::TargetText, C::TargetText, Some(old.target_text.clone()), Some(text.clone()))
        .field(Field::Weight, C::Weight, old.weight.map(|w| Amount(w.0.normalize())), weight.map(Amount))
        .field(Field::Direction, C::Direction, old.direction, new.direction.map(Key))
        .field(Field::Basis, C::Basis, old.basis, new.basis.map(Key))
        .field(Field::Core, C::Core, Some(old.core), Some(new.core))
        .set(C::TargetParsed, Some(parsed_target_json(&old.level2, &old.name, new.direction, &text)));
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Indicator, project_id: Some(project.id), action: None };
    let saved = write::upsert(&txn, Some(old), expected_version, vec![], changes, audit).await?;
    write::commit(txn, &[project.id]).await?;
    Ok(saved.row)
}

/// What submitting 目标申报 requires of the stored indicators: they exist, every 指标值 reads as
/// a value (no placeholder, nothing unreadable), every indicator has a 分值 and the 分值 fit the
/// year's scoring profile.
pub async fn submit_check(conn: &impl ConnectionTrait, project_id: i32) -> Result<SubmitCheck> {
    let indicators = store::projects::indicators(conn, project_id).await?;
    let mut problems = Vec::new();
    if indicators.is_empty() {
        problems.push("项目还没有绩效指标".to_owned());
    }
    for (i, ind) in indicators.iter().enumerate() {
        match parse_target(&ind.target_text, &target_context(ind, ind.direction.map(|d| d.0))).kind {
            ValueKind::Placeholder => {
                problems.push(format!("第 {} 项指标“{}”的指标值“{}”是未填写的占位符", i + 1, ind.name, ind.target_text))
            }
            ValueKind::Invalid { message } => {
                problems.push(format!("第 {} 项指标“{}”的指标值无法识别：{message}", i + 1, ind.name))
            }
            _ => {}
        }
    }
    let unweighted: Vec<&str> = indicators.iter().filter(|i| i.weight.is_none()).map(|i| i.name.as_str()).collect();
    let mut weight_problems = Vec::new();
    if !unweighted.is_empty() {
        problems.push(format!("以下指标未设置分值：{}", unweighted.join("、")));
    } else if !indicators.is_empty() {
        let profile = domain::scoring::Profile::of(store::directory::profile_of_project(conn, project_id).await?);
        let pairs: Vec<(String, Decimal)> =
            indicators.iter().map(|i| (i.level1.clone(), i.weight.map(|w| w.0).unwrap_or_default())).collect();
        weight_problems = domain::scoring::weight_problems(&pairs, &profile);
    }
    Ok(SubmitCheck {
        weights_ok: weight_problems.is_empty(),
        weight_problems,
        missing_explanations: Vec::new(),
        other_problems: problems,
    })
}
