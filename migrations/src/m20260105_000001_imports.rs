//! Spreadsheet imports: one record per committed import (who, when, which file and its SHA-256,
//! counts, the row-by-row diff as JSON), and when it was reverted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportRecord {
    Table,
    Id,
    Kind,
    UserId,
    Username,
    DepartmentId,
    FileName,
    Sha256,
    RowsRead,
    RowsChanged,
    Warnings,
    Diff,
    CreatedAt,
    RevertedAt,
    RevertedByName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: ImportRecord| ColumnDef::new(c).string().not_null().to_owned();
        let count = |c: ImportRecord| ColumnDef::new(c).integer().not_null().default(0).to_owned();
        manager
            .create_table(
                Table::create()
                    .table(ImportRecord::Table)
                    .col(ColumnDef::new(ImportRecord::Id).integer().not_null().auto_increment().primary_key())
                    .col(text(ImportRecord::Kind))
                    .col(ColumnDef::new(ImportRecord::UserId).integer().null())
                    .col(text(ImportRecord::Username))
                    .col(ColumnDef::new(ImportRecord::DepartmentId).integer().null())
                    .col(text(ImportRecord::FileName))
                    .col(text(ImportRecord::Sha256))
                    .col(count(ImportRecord::RowsRead))
                    .col(count(ImportRecord::RowsChanged))
                    .col(count(ImportRecord::Warnings))
                    .col(ColumnDef::new(ImportRecord::Diff).text().not_null())
                    .col(ColumnDef::new(ImportRecord::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(ImportRecord::RevertedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(ImportRecord::RevertedByName).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ImportRecord::Table).to_owned()).await
    }
}
