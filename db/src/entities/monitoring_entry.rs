use crate::Key;
use domain::vocab::{DeviationCategory, Likelihood};
use sea_orm::entity::prelude::*;

/// 运行监控: one indicator's mid-year progress.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub indicator_id: i32,
    pub project_id: i32,
    /// 1–7月执行情况.
    pub progress: Option<String>,
    /// 全年预计完成情况.
    pub forecast: Option<String>,
    /// 完成目标可能性: "certain" 确定能 / "possible" 有可能 / "impossible" 完全不可能.
    pub likelihood: Option<Key<Likelihood>>,
    /// 偏差原因分析 category: 经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他.
    pub deviation_category: Option<Key<DeviationCategory>>,
    /// 偏差原因.
    pub deviation_reason: Option<String>,
    /// 纠偏措施.
    pub corrective_action: Option<String>,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// Optimistic lock.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
