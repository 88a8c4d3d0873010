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
