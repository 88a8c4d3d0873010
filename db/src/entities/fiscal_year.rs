use crate::Key;
use domain::vocab::ScoringProfile;
use sea_orm::entity::prelude::*;

/// 预算年度.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fiscal_year")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    /// The scoring profile of the year (`domain::scoring::Profile::by_name`).
    pub scoring_profile: Key<ScoringProfile>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
