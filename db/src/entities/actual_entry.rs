use crate::Amount;
use crate::Key;
use domain::vocab::QualitativeGrade;
use sea_orm::entity::prelude::*;

/// 绩效自评: one indicator's year-end 实际完成值.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actual_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub indicator_id: i32,
    pub project_id: i32,
    /// 实际完成值 as written.
    pub actual_text: Option<String>,
    /// The actual as the value grammar reads it (`domain::value::Target`, JSON).
    pub actual_parsed: Option<String>,
    /// Qualitative grade: "achieved" / "partial" / "poor".
    pub grade: Option<Key<QualitativeGrade>>,
    /// Qualitative: the points inside the grade's band.
    pub grade_score: Option<Amount>,
    /// 佐证材料说明.
    pub evidence: Option<String>,
    /// 偏差原因分析及改进措施.
    pub explanation: Option<String>,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// Optimistic lock.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
