use crate::Amount;
use sea_orm::entity::prelude::*;

/// One indicator's target and weight in one [`super::target_version`].
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "target_version_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub version_id: i32,
    pub indicator_id: i32,
    pub target_text: String,
    pub weight: Option<Amount>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
