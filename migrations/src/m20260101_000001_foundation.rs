//! The first schema: departments, fiscal years, projects and their indicators.

use crate::decimal_column;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
    Name,
    ParentId,
}

#[derive(DeriveIden)]
enum FiscalYear {
    Table,
    Id,
    Year,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    DepartmentId,
    FiscalYearId,
    Name,
    ImplementingUnit,
    FundsTotal,
    FundsFiscal,
    FundsOther,
    OverallGoal,
    AnnualGoals,
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Id,
    ProjectId,
    Level1,
    Level2,
    Name,
    TargetText,
    SortOrder,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Department::Table)
                    .col(ColumnDef::new(Department::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Department::Name).string().not_null().unique_key())
                    .col(ColumnDef::new(Department::ParentId).integer().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Department::Table, Department::ParentId)
                            .to(Department::Table, Department::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FiscalYear::Table)
                    .col(ColumnDef::new(FiscalYear::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(FiscalYear::Year).integer().not_null().unique_key())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Project::Table)
                    .col(ColumnDef::new(Project::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Project::DepartmentId).integer().not_null())
                    .col(ColumnDef::new(Project::FiscalYearId).integer().not_null())
                    .col(ColumnDef::new(Project::Name).string().not_null())
                    .col(ColumnDef::new(Project::ImplementingUnit).string().null())
                    .col(decimal_column(manager, Project::FundsTotal))
                    .col(decimal_column(manager, Project::FundsFiscal))
                    .col(decimal_column(manager, Project::FundsOther))
                    .col(ColumnDef::new(Project::OverallGoal).text().not_null())
                    .col(ColumnDef::new(Project::AnnualGoals).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Project::Table, Project::DepartmentId)
                            .to(Department::Table, Department::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Project::Table, Project::FiscalYearId)
                            .to(FiscalYear::Table, FiscalYear::Id),
                    )
                    .index(
                        Index::create()
                            .name("ux_project_department_year_name")
                            .col(Project::DepartmentId)
                            .col(Project::FiscalYearId)
                            .col(Project::Name)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Indicator::Table)
                    .col(ColumnDef::new(Indicator::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Indicator::ProjectId).integer().not_null())
                    .col(ColumnDef::new(Indicator::Level1).string().not_null())
                    .col(ColumnDef::new(Indicator::Level2).string().not_null())
                    .col(ColumnDef::new(Indicator::Name).string().not_null())
                    .col(ColumnDef::new(Indicator::TargetText).string().not_null())
                    .col(ColumnDef::new(Indicator::SortOrder).integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Indicator::Table, Indicator::ProjectId)
                            .to(Project::Table, Project::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_indicator_project_order")
                    .table(Indicator::Table)
                    .col(Indicator::ProjectId)
                    .col(Indicator::SortOrder)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Indicator::Table.into_iden(),
            Project::Table.into_iden(),
            FiscalYear::Table.into_iden(),
            Department::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
