use crate::Key;
use domain::vocab::Role;
use sea_orm::entity::prelude::*;

/// 用户账号 (table `app_user`). `role` is a `domain::workflow::Role` stored by its key; only
/// department users have a `department_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// Argon2id PHC string; never shown.
    pub password_hash: String,
    pub role: Key<Role>,
    pub department_id: Option<i32>,
    pub active: bool,
    /// Consecutive failed logins since the last success or lock.
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// Optimistic lock: bumped by every edit of the account.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentId",
        to = "super::department::Column::Id"
    )]
    Department,
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
