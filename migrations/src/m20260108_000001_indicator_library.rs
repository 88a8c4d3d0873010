//! 指标库: common indicators per 二级指标 with a suggested unit, 指标性质 and example 指标值,
//! which a department picks from when it builds a project's indicator tree. Managed by the
//! administrator; seeded once from the real tables in fixtures/ by `db::library::seed` when this
//! migration is applied.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IndicatorLibrary {
    Table,
    Id,
    Level1,
    Level2,
    Name,
    Unit,
    Direction,
    Example,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IndicatorLibrary::Table)
                    .col(ColumnDef::new(IndicatorLibrary::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(IndicatorLibrary::Level1).string().not_null())
                    .col(ColumnDef::new(IndicatorLibrary::Level2).string().not_null())
                    .col(ColumnDef::new(IndicatorLibrary::Name).string().not_null())
                    .col(ColumnDef::new(IndicatorLibrary::Unit).string().not_null().default(""))
                    .col(ColumnDef::new(IndicatorLibrary::Direction).string().null())
                    .col(ColumnDef::new(IndicatorLibrary::Example).string().not_null().default(""))
                    .col(ColumnDef::new(IndicatorLibrary::Version).integer().not_null().default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("indicator_library_level2_name")
                    .table(IndicatorLibrary::Table)
                    .col(IndicatorLibrary::Level2)
                    .col(IndicatorLibrary::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(IndicatorLibrary::Table).to_owned()).await
    }
}
