use crate::Amount;
use sea_orm::entity::prelude::*;

/// 财政复核: a reviewer's score for one indicator, with the reason. Appended, never changed; the
/// newest per indicator counts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_score")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub indicator_id: i32,
    pub project_id: i32,
    pub score: Amount,
    pub reason: String,
    pub reviewer_id: Option<i32>,
    pub reviewer_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
