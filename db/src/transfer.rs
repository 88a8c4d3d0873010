//! Copying a whole jixiao database into another: `jixiao backup` (a consistent snapshot into a new
//! SQLite file, while the server runs), `jixiao restore` and `jixiao migrate-data` (SQLite →
//! PostgreSQL, or back). Everything is copied — accounts, projects, every version, entry and
//! re-score, the audit trail — except sessions (they belong to the server that issued them).
//!
//! The source is read in one read transaction (a snapshot); the target is written in one
//! transaction, so a failed copy leaves it as it was. The target must hold no data yet.

use crate::entities::{
    actual_entry, audit_log, department, fiscal_year, indicator, indicator_comment, monitoring_entry, project,
    project_phase, review_score, target_version, target_version_item, user,
};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityName, EntityTrait, IntoActiveModel,
    IsolationLevel, Iterable, PaginatorTrait, PrimaryKeyToColumn, QueryOrder, TransactionTrait,
};
use std::path::Path;

/// Rows per INSERT (well below SQLite's and PostgreSQL's limits on bound parameters).
const CHUNK: usize = 200;

/// How many rows of each table were copied, in the order copied.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    pub fn total(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Why a copy did not happen. The target is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("目标数据库已有数据（{table} 表有 {rows} 行），为避免覆盖，只能写入空数据库")]
    TargetNotEmpty { table: String, rows: u64 },
    #[error("备份文件 {0} 已存在，请换一个文件名")]
    FileExists(String),
    #[error("{0} 不是 jixiao 的数据库备份")]
    NotABackup(String),
    #[error("数据库操作失败：{0}")]
    Db(#[from] DbErr),
}

type Result<T> = std::result::Result<T, TransferError>;

/// Copies one table, in primary-key order, in chunks.
async fn copy_table<E>(from: &impl ConnectionTrait, to: &impl ConnectionTrait) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
{
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let rows = query.all(from).await?;
    for chunk in rows.chunks(CHUNK) {
        E::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(to)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// Refuses a target that already holds rows in any copied table.
async fn must_be_empty<E>(to: &impl ConnectionTrait) -> Result<()>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let rows = E::find().count(to).await?;
    if rows > 0 {
        return Err(TransferError::TargetNotEmpty { table: E::default().table_name().to_owned(), rows });
    }
    Ok(())
}

/// After explicit ids were inserted, PostgreSQL's id sequences must continue after the largest.
async fn reset_sequence<E: EntityTrait>(to: &impl ConnectionTrait) -> Result<()> {
    if to.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let table = E::default().table_name().to_owned();
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
    );
    to.execute_unprepared(&sql).await?;
    Ok(())
}

macro_rules! each_table {
    ($f:ident, $conn:expr $(, $extra:expr)*) => {{
        let mut out = Vec::new();
        out.push(($f::<department::Entity>($conn $(, $extra)*).await?, department::Entity.table_name()));
        out.push(($f::<fiscal_year::Entity>($conn $(, $extra)*).await?, fiscal_year::Entity.table_name()));
        out.push(($f::<user::Entity>($conn $(, $extra)*).await?, user::Entity.table_name()));
        out.push(($f::<project::Entity>($conn $(, $extra)*).await?, project::Entity.table_name()));
        out.push(($f::<project_phase::Entity>($conn $(, $extra)*).await?, project_phase::Entity.table_name()));
        out.push(($f::<indicator::Entity>($conn $(, $extra)*).await?, indicator::Entity.table_name()));
        out.push(($f::<target_version::Entity>($conn $(, $extra)*).await?, target_version::Entity.table_name()));
        out.push(($f::<target_version_item::Entity>($conn $(, $extra)*).await?, target_version_item::Entity.table_name()));
        out.push(($f::<monitoring_entry::Entity>($conn $(, $extra)*).await?, monitoring_entry::Entity.table_name()));
        out.push(($f::<actual_entry::Entity>($conn $(, $extra)*).await?, actual_entry::Entity.table_name()));
        out.push(($f::<review_score::Entity>($conn $(, $extra)*).await?, review_score::Entity.table_name()));
        out.push(($f::<indicator_comment::Entity>($conn $(, $extra)*).await?, indicator_comment::Entity.table_name()));
        out.push(($f::<audit_log::Entity>($conn $(, $extra)*).await?, audit_log::Entity.table_name()));
        out
    }};
}

async fn copy_one<E>(to: &impl ConnectionTrait, from: &impl ConnectionTrait) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
{
    copy_table::<E>(from, to).await
}

async fn check_empty<E>(to: &impl ConnectionTrait) -> Result<()>
where
    E: EntityTrait,
    E::Model: Sync,
{
    must_be_empty::<E>(to).await
}

async fn reset<E: EntityTrait>(to: &impl ConnectionTrait) -> Result<()> {
    reset_sequence::<E>(to).await
}

/// Copies everything but sessions from `from` into `to` (migrated here; must hold no data).
pub async fn copy_all(from: &DatabaseConnection, to: &DatabaseConnection) -> Result<Copied> {
    crate::migrate(to).await?;
    let source = match from.get_database_backend() {
        DbBackend::Postgres => {
            from.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        _ => from.begin().await?,
    };
    let target = to.begin().await?;
    each_table!(check_empty, &target);
    let counts = each_table!(copy_one, &target, &source);
    each_table!(reset, &target);
    target.commit().await?;
    source.commit().await?;
    Ok(Copied { tables: counts.into_iter().map(|(n, table)| (table.to_owned(), n)).collect() })
}

/// A consistent snapshot of `db` into a new SQLite file at `path` (which must not exist): SQLite
/// with `VACUUM INTO`, PostgreSQL by copying every table into the new file.
pub async fn backup(db: &DatabaseConnection, path: &Path) -> Result<()> {
    if path.exists() {
        return Err(TransferError::FileExists(path.display().to_string()));
    }
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let quoted = path.display().to_string().replace('\'', "''");
            db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
            // Sessions stay with the server they belong to.
            let copy = crate::connect(&sqlite_url(path)).await?;
            copy.execute_unprepared("DELETE FROM session").await?;
            copy.close().await?;
        }
        _ => {
            let copy = crate::connect(&format!("{}?mode=rwc", sqlite_url(path))).await?;
            let copied = copy_all(db, &copy).await;
            copy.close().await?;
            if let Err(e) = copied {
                let _ = std::fs::remove_file(path);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Copies a backup file made by [`backup`] into `to` (migrated here; must hold no data). The
/// backup itself is not changed: a working copy of it is brought to this version's schema first.
pub async fn restore(path: &Path, to: &DatabaseConnection) -> Result<Copied> {
    let not_a_backup = || TransferError::NotABackup(path.display().to_string());
    if !is_jixiao_sqlite(path).await {
        return Err(not_a_backup());
    }
    let work = std::env::temp_dir().join(format!("jixiao-restore-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&work);
    std::fs::copy(path, &work).map_err(|_| not_a_backup())?;
    let copied = async {
        let from = crate::connect(&sqlite_url(&work)).await?;
        let copied = copy_all(&from, to).await;
        from.close().await?;
        copied
    }
    .await;
    let _ = std::fs::remove_file(&work);
    copied
}

/// Whether `path` is a SQLite file with jixiao's tables.
async fn is_jixiao_sqlite(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let Ok(db) = crate::connect(&format!("{}?mode=ro", sqlite_url(path))).await else { return false };
    let sql = "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
               AND name IN ('seaql_migrations', 'project', 'app_user')";
    let n = db
        .query_one(sea_orm::Statement::from_string(DbBackend::Sqlite, sql))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<i64>("", "n").ok());
    let _ = db.close().await;
    n == Some(3)
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}
