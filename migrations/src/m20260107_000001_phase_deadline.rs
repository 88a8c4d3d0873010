//! Deadlines per fiscal year and phase (申报截止, 监控截止, 自评截止), set by the administrator
//! and read by the 待办 view (`domain::todo`). No row: the phase has no deadline.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PhaseDeadline {
    Table,
    Id,
    FiscalYearId,
    Phase,
    DueOn,
}

#[derive(DeriveIden)]
enum FiscalYear {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PhaseDeadline::Table)
                    .col(ColumnDef::new(PhaseDeadline::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(PhaseDeadline::FiscalYearId).integer().not_null())
                    .col(ColumnDef::new(PhaseDeadline::Phase).string().not_null())
                    .col(ColumnDef::new(PhaseDeadline::DueOn).date().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(PhaseDeadline::Table, PhaseDeadline::FiscalYearId)
                            .to(FiscalYear::Table, FiscalYear::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("phase_deadline_year_phase")
                    .table(PhaseDeadline::Table)
                    .col(PhaseDeadline::FiscalYearId)
                    .col(PhaseDeadline::Phase)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PhaseDeadline::Table).to_owned()).await
    }
}
