use crate::Key;
use domain::vocab::Phase;
use sea_orm::entity::prelude::*;

/// A fiscal year's deadline for one phase (申报截止, 监控截止, 自评截止); one row per year and phase.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phase_deadline")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub fiscal_year_id: i32,
    pub phase: Key<Phase>,
    pub due_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::fiscal_year::Entity",
        from = "Column::FiscalYearId",
        to = "super::fiscal_year::Column::Id",
        on_delete = "Cascade"
    )]
    FiscalYear,
}

impl ActiveModelBehavior for ActiveModel {}
