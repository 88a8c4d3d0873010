use crate::Key;
use domain::vocab::{Phase, Status};
use sea_orm::entity::prelude::*;

/// The workflow status of one phase of one project (see `crate::cycle::transition`). A missing row means
/// the phase is still in its initial status. `phase` and `status` are the snake_case names of
/// `domain::workflow::{Phase, Status}`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_phase")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub phase: Key<Phase>,
    pub status: Key<Status>,
    /// The reason of the last 退回 / 重新打开; cleared by the next other transition.
    pub return_reason: Option<String>,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// Optimistic lock: bumped by every transition.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::Id",
        on_delete = "Cascade"
    )]
    Project,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UpdatedBy",
        to = "super::user::Column::Id",
        on_delete = "SetNull"
    )]
    UpdatedBy,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
