//! The append-only audit log: who changed what, when, from which value to which, and every login.
//! Rows are only ever inserted; write them in the same transaction as the change they describe.

use crate::entities::{audit_log, user};
use crate::Key;
use chrono::{DateTime, Utc};
use domain::vocab::{AuditAction, EntityKind, Field};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// One entry to append. Build it with [`AuditEntry::by`] and struct update syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<i32>,
    pub username: String,
    pub entity: EntityKind,
    pub entity_id: i32,
    pub project_id: Option<i32>,
    pub field: Option<Field>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub action: AuditAction,
}

impl AuditEntry {
    /// An entry for `action` by `user` at `at` on `entity` number `entity_id`.
    pub fn by(user: &user::Model, at: DateTime<Utc>, action: AuditAction, entity: EntityKind, entity_id: i32) -> Self {
        AuditEntry {
            at,
            user_id: Some(user.id),
            username: user.username.clone(),
            entity,
            entity_id,
            project_id: None,
            field: None,
            old_value: None,
            new_value: None,
            action,
        }
    }

    /// The same entry recording `field` going from `old` to `new`.
    pub fn change(self, field: Field, old: Option<String>, new: Option<String>) -> AuditEntry {
        AuditEntry { field: Some(field), old_value: old, new_value: new, ..self }
    }
}

/// Appends `entry`.
pub async fn record(conn: &impl ConnectionTrait, entry: AuditEntry) -> Result<audit_log::Model, DbErr> {
    audit_log::ActiveModel {
        at: Set(entry.at),
        user_id: Set(entry.user_id),
        username: Set(entry.username),
        entity: Set(Key(entry.entity)),
        entity_id: Set(entry.entity_id),
        project_id: Set(entry.project_id),
        field: Set(entry.field.map(Key)),
        old_value: Set(entry.old_value),
        new_value: Set(entry.new_value),
        action: Set(Key(entry.action)),
        ..Default::default()
    }
    .insert(conn)
    .await
}

/// The history of one project (its phases, content and indicators), newest first.
pub async fn for_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<Vec<audit_log::Model>, DbErr> {
    newest_first(audit_log::Entity::find().filter(audit_log::Column::ProjectId.eq(project_id))).all(conn).await
}

/// The newest `limit` entries of one project's trail, and how many it has in all.
pub async fn for_project_newest(
    conn: &impl ConnectionTrait,
    project_id: i32,
    limit: u64,
) -> Result<(Vec<audit_log::Model>, u64), DbErr> {
    let of_project = || audit_log::Entity::find().filter(audit_log::Column::ProjectId.eq(project_id));
    let rows = newest_first(of_project()).limit(limit).all(conn).await?;
    let total = if (rows.len() as u64) < limit { rows.len() as u64 } else { of_project().count(conn).await? };
    Ok((rows, total))
}

/// The newest `limit` entries of the whole log.
pub async fn recent(conn: &impl ConnectionTrait, limit: u64) -> Result<Vec<audit_log::Model>, DbErr> {
    newest_first(audit_log::Entity::find()).limit(limit).all(conn).await
}

/// The whole log, newest first.
pub async fn all(conn: &impl ConnectionTrait) -> Result<Vec<audit_log::Model>, DbErr> {
    newest_first(audit_log::Entity::find()).all(conn).await
}

fn newest_first(q: sea_orm::Select<audit_log::Entity>) -> sea_orm::Select<audit_log::Entity> {
    q.order_by_desc(audit_log::Column::At).order_by_desc(audit_log::Column::Id)
}
