//! Comments per indicator (审核意见, 补充说明): anyone who may read the project may add one;
//! comments are never edited or deleted.

use crate::audit::{action, entity};
use crate::edit;
use crate::entities::{indicator, indicator_comment, project, user};
use crate::queries::UpdateError;
use crate::accounts;
use chrono::Utc;
use domain::workflow::validate_comment;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};

/// A project's comments, oldest first.
pub async fn for_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<indicator_comment::Model>, DbErr> {
    indicator_comment::Entity::find()
        .filter(indicator_comment::Column::ProjectId.eq(project_id))
        .order_by_asc(indicator_comment::Column::Id)
        .all(conn)
        .await
}

/// Adds `user`'s comment on an indicator.
pub async fn add(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    body: &str,
) -> Result<indicator_comment::Model, UpdateError> {
    let txn = db.begin().await?;
    let ind = indicator::Entity::find_by_id(indicator_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let p = project::Entity::find_by_id(ind.project_id).one(&txn).await?.ok_or(UpdateError::NotFound)?;
    let body = validate_comment(&accounts::actor(user), p.department_id, body)?.to_owned();
    let now = Utc::now();
    let saved = indicator_comment::ActiveModel {
        indicator_id: Set(ind.id),
        project_id: Set(p.id),
        author_id: Set(Some(user.id)),
        author_name: Set(user.display_name.clone()),
        body: Set(body.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let base = edit::entry(user, now, action::CREATE, entity::INDICATOR_COMMENT, saved.id, p.id);
    edit::record_changes(&txn, &base, vec![("body", None, Some(body))]).await?;
    txn.commit().await?;
    Ok(saved)
}
