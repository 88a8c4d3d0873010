//! Comments per indicator; never edited or deleted.

use crate::entities::indicator_comment;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// A project's comments, oldest first.
pub async fn of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<indicator_comment::Model>, DbErr> {
    indicator_comment::Entity::find()
        .filter(indicator_comment::Column::ProjectId.eq(project_id))
        .order_by_asc(indicator_comment::Column::Id)
        .all(conn)
        .await
}
