use crate::Amount;
use sea_orm::entity::prelude::*;

/// 项目: one budgeted project of one department in one fiscal year. Funds are in 万元.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub department_id: i32,
    pub fiscal_year_id: i32,
    pub name: String,
    pub implementing_unit: Option<String>,
    /// 年度资金总额（万元）
    pub funds_total: Amount,
    /// 其中：财政拨款（万元）
    pub funds_fiscal: Amount,
    /// 其他资金（万元）
    pub funds_other: Amount,
    /// 项目总体目标
    pub overall_goal: String,
    /// 年度目标, one goal per line ("目标1：…").
    pub annual_goals: String,
    /// Optimistic lock: bumped by every edit.
    pub version: i32,
    /// 年初预算数（万元）
    pub budget_initial: Option<Amount>,
    /// 全年预算数（万元）, the denominator of 预算执行率.
    pub budget_full_year: Option<Amount>,
    /// 全年执行数（万元）
    pub executed_full_year: Option<Amount>,
    /// 1–7月执行数（万元）, reported in 运行监控.
    pub executed_jan_jul: Option<Amount>,
    /// 全年预计执行数（万元）, reported in 运行监控.
    pub expected_execution: Option<Amount>,
    /// 预算执行偏差原因分析及改进措施.
    pub execution_explanation: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentId",
        to = "super::department::Column::Id"
    )]
    Department,
    #[sea_orm(
        belongs_to = "super::fiscal_year::Entity",
        from = "Column::FiscalYearId",
        to = "super::fiscal_year::Column::Id"
    )]
    FiscalYear,
    #[sea_orm(has_many = "super::indicator::Entity")]
    Indicator,
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl Related<super::fiscal_year::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FiscalYear.def()
    }
}

impl Related<super::indicator::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Indicator.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
