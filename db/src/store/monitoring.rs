//! 运行监控 entries, one per indicator.

use crate::entities::monitoring_entry;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// A project's monitoring entries.
pub async fn of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<monitoring_entry::Model>, DbErr> {
    monitoring_entry::Entity::find().filter(monitoring_entry::Column::ProjectId.eq(project_id)).all(conn).await
}

/// The entry of one indicator, if it was ever saved.
pub async fn of_indicator(
    conn: &impl ConnectionTrait,
    indicator_id: i32,
) -> Result<Option<monitoring_entry::Model>, DbErr> {
    monitoring_entry::Entity::find().filter(monitoring_entry::Column::IndicatorId.eq(indicator_id)).one(conn).await
}

/// The monitoring entries of several projects, by project.
pub async fn of_projects(
    conn: &impl ConnectionTrait,
    project_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<monitoring_entry::Model>>, DbErr> {
    let mut out: std::collections::HashMap<i32, Vec<monitoring_entry::Model>> = std::collections::HashMap::new();
    for chunk in project_ids.chunks(super::projects::CHUNK) {
        let rows = monitoring_entry::Entity::find()
            .filter(monitoring_entry::Column::ProjectId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for row in rows {
            out.entry(row.project_id).or_default().push(row);
        }
    }
    Ok(out)
}
