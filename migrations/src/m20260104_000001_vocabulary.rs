//! One vocabulary: value sets are stored by their stable keys (`domain::vocab`). Before, three
//! columns held the Chinese text as typed: 指标性质 (`indicator.direction`: "≥", "正向" …),
//! 取值依据 (`indicator.basis`) and 偏差原因类别 (`monitoring_entry.deviation_category`). This
//! migration rewrites them to keys (values it cannot read become NULL). The mapping is written
//! out here, frozen, rather than read from the domain, so the migration means the same forever.
//!
//! It also adds `write_lock`, the one-row table a SQLite write transaction updates first so it
//! takes the write lock at its start (the equivalent of `BEGIN IMMEDIATE`, see `db::write`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WriteLock {
    Table,
    Id,
    Counter,
}

const DIRECTIONS: &[(&str, &str)] = &[
    ("≥", "ge"),
    ("≧", "ge"),
    (">=", "ge"),
    ("大于等于", "ge"),
    ("不低于", "ge"),
    ("不少于", "ge"),
    (">", "gt"),
    ("＞", "gt"),
    ("=", "eq"),
    ("＝", "eq"),
    ("≤", "le"),
    ("≦", "le"),
    ("<=", "le"),
    ("小于等于", "le"),
    ("不高于", "le"),
    ("不超过", "le"),
    ("<", "lt"),
    ("＜", "lt"),
    ("正向", "positive"),
    ("正向指标", "positive"),
    ("反向", "reverse"),
    ("反向指标", "reverse"),
];
const BASES: &[(&str, &str)] =
    &[("历史标准", "history"), ("行业标准", "industry"), ("计划标准", "plan"), ("其他认可标准", "other")];
const CATEGORIES: &[(&str, &str)] = &[
    ("经费保障", "funding"),
    ("制度保障", "institution"),
    ("人员保障", "staffing"),
    ("硬件条件保障", "hardware"),
    ("其他", "other"),
];

/// `UPDATE table SET column = <to> WHERE column = <from>`, with the backend's placeholders.
fn replace(
    backend: sea_orm_migration::sea_orm::DatabaseBackend,
    table: &str,
    column: &str,
    to: &str,
    from: &str,
) -> Statement {
    let (a, b) = match backend {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    Statement::from_sql_and_values(
        backend,
        format!("UPDATE {table} SET {column} = {a} WHERE {column} = {b}"),
        [to.into(), from.into()],
    )
}

async fn rekey(db: &SchemaManagerConnection<'_>, table: &str, column: &str, map: &[(&str, &str)]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for (text, key) in map {
        db.execute(replace(backend, table, column, key, text)).await?;
    }
    let mut keys: Vec<&str> = map.iter().map(|(_, k)| *k).collect();
    keys.dedup();
    let list = keys.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    db.execute_unprepared(&format!("UPDATE {table} SET {column} = NULL WHERE {column} NOT IN ({list})")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        rekey(db, "indicator", "direction", DIRECTIONS).await?;
        rekey(db, "indicator", "basis", BASES).await?;
        rekey(db, "monitoring_entry", "deviation_category", CATEGORIES).await?;
        manager
            .create_table(
                Table::create()
                    .table(WriteLock::Table)
                    .col(ColumnDef::new(WriteLock::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(WriteLock::Counter).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("INSERT INTO write_lock (id, counter) VALUES (1, 0)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(WriteLock::Table).to_owned()).await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for (table, column, map) in [
            ("indicator", "direction", DIRECTIONS),
            ("indicator", "basis", BASES),
            ("monitoring_entry", "deviation_category", CATEGORIES),
        ] {
            // The first text of each key is the one the forms wrote.
            let mut done = Vec::new();
            for (text, key) in map {
                if done.contains(key) {
                    continue;
                }
                done.push(*key);
                db.execute(replace(backend, table, column, text, key)).await?;
            }
        }
        Ok(())
    }
}
