//! 目标申报: editing each indicator's declared content while the declaration is 草稿 / 退回,
//! and what submitting it requires.

use super::access;
use crate::entities::{indicator, user};
use crate::error::Result;
use crate::store;
use crate::store::projects::{parsed_target_json, target_context};
use crate::write::{self, Audit, Change, Write};
use crate::{Amount, Key};
use chrono::Utc;
use domain::input::{self, Invalid};
use domain::value::{parse_target, ValueKind};
use domain::vocab::{AuditAction, Basis, EntityKind, Field, IndicatorNature};
use domain::workflow::{Phase, SubmitCheck};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter};

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
    validate_target_of(&ind.level2, &ind.name, direction, text)
}

/// [`validate_target`] for an indicator named `name` under 二级 `level2` (one not stored yet).
pub fn validate_target_of(
    level2: &str,
    name: &str,
    direction: Option<IndicatorNature>,
    text: &str,
) -> Result<String, Invalid> {
    let text = input::required_text(text, Field::TargetText, MAX_TARGET_CHARS)?;
    match parse_target(&text, &domain::library::declared_context(level2, name, direction)).kind {
        ValueKind::Invalid { message } => {
            Err(Invalid::Unreadable { field: Field::TargetText, indicator: name.to_owned(), text, message })
        }
        ValueKind::Placeholder => Err(Invalid::Placeholder { indicator: name.to_owned(), text }),
        _ => Ok(text),
    }
}

/// The longest 三级指标 name accepted, in characters.
pub const MAX_INDICATOR_NAME_CHARS: usize = 60;

/// A new indicator as the 目标申报 form (or a 指标库 pick) enters it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewIndicatorEdit {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub edit: IndicatorEdit,
}

fn checked_weight(weight: Option<Decimal>) -> Result<Option<Decimal>, Invalid> {
    let weight = input::non_negative(weight, Field::Weight)?;
    if weight.is_some_and(|w| w > Decimal::ONE_HUNDRED) {
        return Err(Invalid::AboveMax { field: Field::Weight, max: Decimal::ONE_HUNDRED });
    }
    Ok(weight)
}

/// Adds an indicator to project `project_id` while its 目标申报 is 草稿 / 退回, after the
/// project's last one (the tree groups it under its 一级 / 二级). The 一级 / 二级 pair must be a
/// standard one (`domain::library::LEVELS`) and the name new within its 二级.
pub async fn add_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    new: &NewIndicatorEdit,
) -> Result<indicator::Model> {
    let txn = write::begin(db).await?;
    let saved = add_indicator_in(&txn, user, project_id, new).await?;
    write::commit(txn, &[project_id]).await?;
    Ok(saved)
}

/// [`add_indicator`] inside the caller's transaction (a 绩效目标表 import adds a table's rows).
pub async fn add_indicator_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    project_id: i32,
    new: &NewIndicatorEdit,
) -> Result<indicator::Model> {
    let project = access::project_for_edit(txn, user, project_id, Phase::Declaration).await?;
    domain::library::check_levels(&new.level1, &new.level2)?;
    let name = input::required_text(&new.name, Field::IndicatorName, MAX_INDICATOR_NAME_CHARS)?;
    let text = validate_target_of(&new.level2, &name, new.edit.direction, &new.edit.target_text)?;
    let weight = checked_weight(new.edit.weight)?;
    let existing = store::projects::indicators(txn, project_id).await?;
    if existing.iter().any(|i| i.level2 == new.level2 && i.name == name) {
        return Err(Invalid::Duplicate { field: Field::IndicatorName, value: name }.into());
    }
    let sort_order = existing.iter().map(|i| i.sort_order).max().map_or(0, |m| m.saturating_add(1));
    use indicator::Column as C;
    let parsed = parsed_target_json(&new.level2, &name, new.edit.direction, &text);
    let changes = Write::<indicator::Entity>::new()
        .field(Field::Level1, C::Level1, None, Some(new.level1.clone()))
        .field(Field::Level2, C::Level2, None, Some(new.level2.clone()))
        .field(Field::IndicatorName, C::Name, None, Some(name))
        .field(Field::TargetText, C::TargetText, None, Some(text))
        .field(Field::Weight, C::Weight, None, weight.map(|w| Amount(w.normalize())))
        .field(Field::Direction, C::Direction, None, new.edit.direction.map(Key))
        .field(Field::Basis, C::Basis, None, new.edit.basis.map(Key))
        .field(Field::Core, C::Core, None, Some(new.edit.core))
        .set(C::TargetParsed, Some(parsed));
    let keys = vec![(C::ProjectId, project_id.into()), (C::SortOrder, sort_order.into())];
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Indicator, project_id: Some(project.id), action: None };
    Ok(write::upsert(txn, None, 0, keys, changes, audit).await?.row)
}

/// Removes an indicator while its project's 目标申报 is 草稿 / 退回, if it is still at
/// `expected_version`; audited as 删除 with its name and 指标值.
pub async fn remove_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    expected_version: i32,
) -> Result<()> {
    let txn = write::begin(db).await?;
    let (old, project) = access::indicator_for_edit(&txn, user, indicator_id, Phase::Declaration).await?;
    if old.version != expected_version {
        return Err(crate::Error::Stale);
    }
    indicator::Entity::delete_by_id(old.id).exec(&txn).await?;
    let audit = Audit {
        user,
        at: Utc::now(),
        kind: EntityKind::Indicator,
        project_id: Some(project.id),
        action: Some(AuditAction::Delete),
    };
    let what = format!("{} / {}：{}", old.level2, old.name, old.target_text);
    write::record_changes(&txn, &audit, old.id, &[Change::new(Field::IndicatorName, Some(&what), None)]).await?;
    write::commit(txn, &[project.id]).await?;
    Ok(())
}

/// Moves an indicator one place up or down within its 二级 group (table order), while its
/// project's 目标申报 is 草稿 / 退回 and it is still at `expected_version`. At the group's edge
/// nothing changes. Both rows' 排列顺序 are audited.
pub async fn move_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    up: bool,
    expected_version: i32,
) -> Result<()> {
    let txn = write::begin(db).await?;
    let (old, project) = access::indicator_for_edit(&txn, user, indicator_id, Phase::Declaration).await?;
    if old.version != expected_version {
        return Err(crate::Error::Stale);
    }
    let all = store::projects::indicators(&txn, project.id).await?;
    let group: Vec<&indicator::Model> =
        all.iter().filter(|i| i.level1 == old.level1 && i.level2 == old.level2).collect();
    let at = group.iter().position(|i| i.id == old.id).unwrap_or(0);
    let neighbour = if up { at.checked_sub(1).and_then(|j| group.get(j)) } else { group.get(at + 1) };
    let Some(&neighbour) = neighbour else {
        return Ok(());
    };
    // Table positions: the stored orders of all rows, so equal orders (older data) still swap.
    let position = |id: i32| all.iter().position(|i| i.id == id).unwrap_or(0) as i32;
    let (mine, theirs) = (position(old.id), position(neighbour.id));
    use indicator::Column as C;
    for (row, from, to) in [(old.clone(), old.sort_order, theirs), (neighbour.clone(), neighbour.sort_order, mine)] {
        let version = row.version;
        let changes = Write::<indicator::Entity>::new().field(Field::SortOrder, C::SortOrder, Some(from), Some(to));
        let audit =
            Audit { user, at: Utc::now(), kind: EntityKind::Indicator, project_id: Some(project.id), action: None };
        write::upsert(&txn, Some(row), version, vec![], changes, audit).await?;
    }
    // The other rows take their table positions too, so later moves swap distinct orders.
    for (i, row) in all.iter().enumerate() {
        if row.id != old.id && row.id != neighbour.id && row.sort_order != i as i32 {
            indicator::Entity::update_many()
                .col_expr(C::SortOrder, sea_orm::sea_query::Expr::value(i as i32))
                .filter(sea_orm::ColumnTrait::eq(&C::Id, row.id))
                .exec(&txn)
                .await?;
        }
    }
    write::commit(txn, &[project.id]).await?;
    Ok(())
}

/// Files an indicator under another 一级 / 二级 (one of `domain::library::LEVELS`) while its
/// project's 目标申报 is 草稿 / 退回, if it is still at `expected_version`: it goes to the end of
/// its new group, its 指标值 is read again in the new group's context (a 指标值 that the new
/// 二级 cannot read is refused), and a name already used in the new 二级 is refused. The 一级,
/// 二级 and 排列顺序 changes are audited. Filing it where it already is changes nothing.
pub async fn regroup_indicator(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    level1: &str,
    level2: &str,
    expected_version: i32,
) -> Result<indicator::Model> {
    let txn = write::begin(db).await?;
    let (old, project) = access::indicator_for_edit(&txn, user, indicator_id, Phase::Declaration).await?;
    if old.version != expected_version {
        return Err(crate::Error::Stale);
    }
    domain::library::check_levels(level1, level2)?;
    if old.level1 == level1 && old.level2 == level2 {
        return Ok(old);
    }
    let all = store::projects::indicators(&txn, project.id).await?;
    if all.iter().any(|i| i.id != old.id && i.level2 == level2 && i.name == old.name) {
        return Err(Invalid::Duplicate { field: Field::IndicatorName, value: old.name.clone() }.into());
    }
    let direction = old.direction.map(|d| d.0);
    let text = validate_target_of(level2, &old.name, direction, &old.target_text)?;
    let sort_order = all.iter().map(|i| i.sort_order).max().map_or(0, |m| m.saturating_add(1));
    use indicator::Column as C;
    let changes = Write::<indicator::Entity>::new()
        .field(Field::Level1, C::Level1, Some(old.level1.clone()), Some(level1.to_owned()))
        .field(Field::Level2, C::Level2, Some(old.level2.clone()), Some(level2.to_owned()))
        .field(Field::SortOrder, C::SortOrder, Some(old.sort_order), Some(sort_order))
        .set(C::TargetParsed, Some(parsed_target_json(level2, &old.name, direction, &text)));
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Indicator, project_id: Some(project.id), action: None };
    let saved = write::upsert(&txn, Some(old), expected_version, vec![], changes, audit).await?;
    write::commit(txn, &[project.id]).await?;
    Ok(saved.row)
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
    let weight = checked_weight(new.weight)?;
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
