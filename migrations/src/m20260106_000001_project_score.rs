//! What is derived from a project's inputs, stored when they change (in the same transaction as
//! the change, by `db::scores`): the current total score, grade and 预算执行率, so lists, the
//! dashboard and the 汇总表 read them instead of re-scoring every project per request.

use crate::{decimal_column, decimal_column_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProjectScore {
    Table,
    ProjectId,
    Total,
    Grade,
    ExecutionRate,
    HasResults,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProjectScore::Table)
                    .col(ColumnDef::new(ProjectScore::ProjectId).integer().not_null().primary_key())
                    .col(decimal_column(manager, ProjectScore::Total))
                    .col(ColumnDef::new(ProjectScore::Grade).string().null())
                    .col(decimal_column_null(manager, ProjectScore::ExecutionRate))
                    .col(ColumnDef::new(ProjectScore::HasResults).boolean().not_null().default(false))
                    .col(ColumnDef::new(ProjectScore::UpdatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectScore::Table, ProjectScore::ProjectId)
                            .to(Project::Table, Project::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProjectScore::Table).to_owned()).await
    }
}
