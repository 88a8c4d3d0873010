use crate::Amount;
use crate::Key;
use domain::vocab::{Basis, IndicatorNature};
use sea_orm::entity::prelude::*;

/// 绩效指标: a 三级指标 under its 一级 / 二级 names, with its 指标值 exactly as written.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
    pub sort_order: i32,
    /// Optimistic lock: bumped by every edit.
    pub version: i32,
    /// The target as the value grammar reads it (`domain::value::Target`, JSON).
    pub target_parsed: Option<String>,
    /// 分值.
    pub weight: Option<Amount>,
    /// 指标性质 from a separate column: "≥", "≤", "=", "正向", "反向".
    pub direction: Option<Key<IndicatorNature>>,
    /// 取值依据: 历史标准 / 行业标准 / 计划标准 / 其他认可标准.
    pub basis: Option<Key<Basis>>,
    /// ★ 核心指标.
    pub core: bool,
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
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
