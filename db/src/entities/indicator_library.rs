use crate::Key;
use domain::vocab::IndicatorNature;
use sea_orm::entity::prelude::*;

/// 指标库条目: a common 三级指标 under its 一级 / 二级 names, with a suggested 计量单位,
/// 指标性质 and example 指标值. One per 二级 and name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_library")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// Suggested 计量单位; empty for a qualitative indicator.
    pub unit: String,
    pub direction: Option<Key<IndicatorNature>>,
    /// An example 指标值 ("≥95%").
    pub example: String,
    /// Optimistic lock: bumped by every edit.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
