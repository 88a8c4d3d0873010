//! 绩效目标版本: each approved set of targets (批复 snapshots) and each proposed 调整, with items
//! per indicator. Scoring uses the newest approved version.

use crate::entities::{indicator, target_version, target_version_item};
use crate::{Amount, Key};
use domain::vocab::VersionState;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// A version with its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionWithItems {
    pub version: target_version::Model,
    pub items: Vec<target_version_item::Model>,
}

/// indicator id → (指标值, 分值) of one version.
pub type Targets = HashMap<i32, (String, Option<Decimal>)>;

/// Every version of a project, newest first.
pub async fn of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<VersionWithItems>, DbErr> {
    let versions = target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .order_by_desc(target_version::Column::Number)
        .all(conn)
        .await?;
    let ids: Vec<i32> = versions.iter().map(|v| v.id).collect();
    let mut items = items_of(conn, &ids).await?;
    Ok(versions
        .into_iter()
        .map(|version| VersionWithItems { items: items.remove(&version.id).unwrap_or_default(), version })
        .collect())
}

async fn items_of(
    conn: &impl ConnectionTrait,
    version_ids: &[i32],
) -> Result<HashMap<i32, Vec<target_version_item::Model>>, DbErr> {
    let mut by_version: HashMap<i32, Vec<target_version_item::Model>> = HashMap::new();
    for chunk in version_ids.chunks(super::projects::CHUNK) {
        let rows = target_version_item::Entity::find()
            .filter(target_version_item::Column::VersionId.is_in(chunk.iter().copied()))
            .order_by_asc(target_version_item::Column::Id)
            .all(conn)
            .await?;
        for row in rows {
            by_version.entry(row.version_id).or_default().push(row);
        }
    }
    Ok(by_version)
}

/// The targets scoring uses: those of the newest approved version; empty when the targets were
/// never approved.
pub async fn current_targets(conn: &impl ConnectionTrait, project_id: i32) -> Result<Targets, DbErr> {
    Ok(current_targets_of(conn, &[project_id]).await?.remove(&project_id).unwrap_or_default())
}

/// [`current_targets`] of many projects at once (projects never approved are absent).
pub async fn current_targets_of(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<HashMap<i32, Targets>, DbErr> {
    let mut current: HashMap<i32, target_version::Model> = HashMap::new();
    for chunk in project_ids.chunks(super::projects::CHUNK) {
        let approved = target_version::Entity::find()
            .filter(target_version::Column::ProjectId.is_in(chunk.iter().copied()))
            .filter(target_version::Column::State.eq(Key(VersionState::Approved)))
            .all(conn)
            .await?;
        for v in approved {
            match current.get(&v.project_id) {
                Some(c) if c.number >= v.number => {}
                _ => {
                    current.insert(v.project_id, v);
                }
            }
        }
    }
    let ids: Vec<i32> = current.values().map(|v| v.id).collect();
    let mut items = items_of(conn, &ids).await?;
    Ok(current
        .into_values()
        .map(|v| {
            let targets = items
                .remove(&v.id)
                .unwrap_or_default()
                .into_iter()
                .map(|i| (i.indicator_id, (i.target_text, i.weight.map(|w| w.0))))
                .collect();
            (v.project_id, targets)
        })
        .collect())
}

/// The 分值 scoring uses for one indicator: the current approved version's, or the indicator's
/// own while the targets were never approved.
pub async fn current_weight(conn: &impl ConnectionTrait, ind: &indicator::Model) -> Result<Option<Decimal>, DbErr> {
    Ok(match current_targets(conn, ind.project_id).await?.remove(&ind.id) {
        Some((_, weight)) => weight,
        None => ind.weight.map(|w| w.0),
    })
}

/// The newest version of a project in `state`.
pub async fn newest(
    conn: &impl ConnectionTrait,
    project_id: i32,
    state: VersionState,
) -> Result<Option<target_version::Model>, DbErr> {
    target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .filter(target_version::Column::State.eq(Key(state)))
        .order_by_desc(target_version::Column::Number)
        .one(conn)
        .await
}

/// The number the project's next version gets.
pub async fn next_number(conn: &impl ConnectionTrait, project_id: i32) -> Result<i32, DbErr> {
    let last = target_version::Entity::find()
        .filter(target_version::Column::ProjectId.eq(project_id))
        .order_by_desc(target_version::Column::Number)
        .one(conn)
        .await?;
    Ok(last.map_or(1, |v| v.number + 1))
}

/// Marks the project's approved version superseded.
pub async fn supersede_current(conn: &impl ConnectionTrait, project_id: i32) -> Result<(), DbErr> {
    target_version::Entity::update_many()
        .col_expr(target_version::Column::State, Expr::value(Key(VersionState::Superseded)))
        .filter(target_version::Column::ProjectId.eq(project_id))
        .filter(target_version::Column::State.eq(Key(VersionState::Approved)))
        .exec(conn)
        .await?;
    Ok(())
}

/// Stores a version's items: (indicator id, 指标值, 分值).
pub async fn insert_items(
    conn: &impl ConnectionTrait,
    version_id: i32,
    items: impl IntoIterator<Item = (i32, String, Option<Decimal>)>,
) -> Result<(), DbErr> {
    for (indicator_id, target_text, weight) in items {
        target_version_item::ActiveModel {
            version_id: Set(version_id),
            indicator_id: Set(indicator_id),
            target_text: Set(target_text),
            weight: Set(weight.map(Amount)),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// One version.
pub async fn one(conn: &impl ConnectionTrait, id: i32) -> Result<Option<target_version::Model>, DbErr> {
    target_version::Entity::find_by_id(id).one(conn).await
}

/// The items of one version.
pub async fn items(conn: &impl ConnectionTrait, version_id: i32) -> Result<Vec<target_version_item::Model>, DbErr> {
    Ok(items_of(conn, &[version_id]).await?.remove(&version_id).unwrap_or_default())
}
