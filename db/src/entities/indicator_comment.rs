use sea_orm::entity::prelude::*;

/// A comment on one indicator (审核意见, 说明), by anyone who may read the project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub indicator_id: i32,
    pub project_id: i32,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
