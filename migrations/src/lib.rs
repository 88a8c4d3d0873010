//! jixiao's schema, as sea-orm migrations. The schema is only ever changed here (never
//! auto-synced from entities); each migration runs identically on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20260101_000001_foundation;
mod m20260102_000001_accounts;
mod m20260103_000001_cycle;
mod m20260104_000001_vocabulary;
mod m20260105_000001_imports;
mod m20260106_000001_project_score;
mod m20260107_000001_phase_deadline;
mod m20260108_000001_indicator_library;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_foundation::Migration),
            Box::new(m20260102_000001_accounts::Migration),
            Box::new(m20260103_000001_cycle::Migration),
            Box::new(m20260104_000001_vocabulary::Migration),
            Box::new(m20260105_000001_imports::Migration),
            Box::new(m20260106_000001_project_score::Migration),
            Box::new(m20260107_000001_phase_deadline::Migration),
            Box::new(m20260108_000001_indicator_library::Migration),
        ]
    }
}

/// Column for exact decimal amounts (万元, targets, scores). PostgreSQL stores NUMERIC; SQLite
/// stores the decimal's text, because SQLite's numeric affinity would turn it into a float.
/// `db::Amount` reads and writes both.
pub fn decimal_column(manager: &SchemaManager, col: impl IntoIden) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Sqlite => def.custom(Alias::new("TEXT")),
        _ => def.decimal_len(20, 6),
    };
    def.not_null();
    def
}

/// [`decimal_column`], but nullable: a figure not entered yet.
pub fn decimal_column_null(manager: &SchemaManager, col: impl IntoIden) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Sqlite => def.custom(Alias::new("TEXT")),
        _ => def.decimal_len(20, 6),
    };
    def.null();
    def
}
