use crate::Key;
use domain::vocab::{AuditAction, EntityKind, Field};
use sea_orm::entity::prelude::*;

/// One entry of the append-only audit log (see `crate::store::audit`): who changed what, when, from
/// which value to which. No foreign keys, so the log outlives what it describes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub user_id: Option<i32>,
    /// The acting user's name at the time (or the name typed at a failed login).
    pub username: String,
    /// "project", "indicator", "project_phase", "app_user", …
    pub entity: Key<EntityKind>,
    pub entity_id: i32,
    /// The project concerned, for the per-project history.
    pub project_id: Option<i32>,
    pub field: Option<Key<Field>>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// "create", "update", "transition", "login", "login_failed", …
    pub action: Key<AuditAction>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
