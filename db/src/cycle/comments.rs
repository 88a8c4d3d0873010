//! Comments per indicator (审核意见, 补充说明): anyone who may read the project may add one;
//! comments are never edited or deleted.

use crate::accounts;
use crate::entities::{indicator_comment, project, user};
use crate::error::{Error, Result};
use crate::store;
use crate::write::{self, Audit, Change};
use chrono::Utc;
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::validate_comment;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

/// Adds `user`'s comment on an indicator.
pub async fn add(
    db: &DatabaseConnection,
    user: &user::Model,
    indicator_id: i32,
    body: &str,
) -> Result<indicator_comment::Model> {
    let txn = write::begin(db).await?;
    let ind = store::projects::indicator(&txn, indicator_id).await?.ok_or(Error::NotFound(EntityKind::Indicator))?;
    let p = project::Entity::find_by_id(ind.project_id).one(&txn).await?.ok_or(Error::NotFound(EntityKind::Project))?;
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
    let audit =
        Audit { user, at: now, kind: EntityKind::Comment, project_id: Some(p.id), action: Some(AuditAction::Create) };
    write::record_changes(&txn, &audit, saved.id, &[Change::new(Field::Body, None, Some(&body))]).await?;
    write::commit(txn, &[p.id]).await?;
    Ok(saved)
}
