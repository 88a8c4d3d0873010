//! 绩效自评 entries (实际完成值 per indicator) and the finance bureau's re-scores.

use crate::entities::{actual_entry, review_score};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A project's actual entries.
pub async fn of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<actual_entry::Model>, DbErr> {
    actual_entry::Entity::find().filter(actual_entry::Column::ProjectId.eq(project_id)).all(conn).await
}

/// The actual entries of many projects.
pub async fn of_projects(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<HashMap<i32, Vec<actual_entry::Model>>, DbErr> {
    let mut out: HashMap<i32, Vec<actual_entry::Model>> = HashMap::new();
    for chunk in project_ids.chunks(super::projects::CHUNK) {
        for row in actual_entry::Entity::find()
            .filter(actual_entry::Column::ProjectId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?
        {
            out.entry(row.project_id).or_default().push(row);
        }
    }
    Ok(out)
}

/// The entry of one indicator, if it was ever saved.
pub async fn of_indicator(
    conn: &impl ConnectionTrait,
    indicator_id: i32,
) -> Result<Option<actual_entry::Model>, DbErr> {
    actual_entry::Entity::find().filter(actual_entry::Column::IndicatorId.eq(indicator_id)).one(conn).await
}

/// A project's re-scores, oldest first (the newest per indicator counts).
pub async fn reviews(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<review_score::Model>, DbErr> {
    Ok(reviews_of(conn, &[project_id]).await?.remove(&project_id).unwrap_or_default())
}

/// The re-scores of many projects, each oldest first.
pub async fn reviews_of(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<HashMap<i32, Vec<review_score::Model>>, DbErr> {
    let mut out: HashMap<i32, Vec<review_score::Model>> = HashMap::new();
    for chunk in project_ids.chunks(super::projects::CHUNK) {
        let rows = review_score::Entity::find()
            .filter(review_score::Column::ProjectId.is_in(chunk.iter().copied()))
            .order_by_asc(review_score::Column::Id)
            .all(conn)
            .await?;
        for row in rows {
            out.entry(row.project_id).or_default().push(row);
        }
    }
    Ok(out)
}
