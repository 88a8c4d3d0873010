//! Copying a whole jixiao database into another: `jixiao backup` (a consistent snapshot into a new
//! SQLite file, while the server runs), `jixiao restore` and `jixiao migrate-data` (SQLite →
//! PostgreSQL, or back). Everything is copied — accounts, projects, every version, entry and
//! re-score, the audit trail — except sessions (they belong to the server that issued them).
//!
//! The source is read in one read transaction (a snapshot); the target is written in one
//! transaction, so a failed copy leaves it as it was. The target must hold no data yet.

use crate::entities::{
    actual_entry, audit_log, department, fiscal_year, import_record, indicator, indicator_comment, indicator_library,
    monitoring_entry, phase_deadline, project, project_phase, review_score, target_version, target_version_item, user,
};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IntoActiveModel, IsolationLevel,
    Iterable, PaginatorTrait, PrimaryKeyToColumn, QueryOrder, TransactionTrait,
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

/// Copies one table, in primary-key order, in chunks, into the target transaction: refused when
/// the target's table already holds rows (the transaction is then dropped, so nothing stays);
/// on PostgreSQL the id sequence then continues after the largest copied id.
async fn copy_table<E>(from: &impl ConnectionTrait, to: &impl ConnectionTrait) -> Result<(String, u64)>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone + Sync,
{
    let table = E::default().table_name().to_owned();
    let existing = E::find().count(to).await?;
    if existing > 0 {
        return Err(TransferError::TargetNotEmpty { table, rows: existing });
    }
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
    if to.get_database_backend() == DbBackend::Postgres {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), \
             COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
        );
        to.execute_unprepared(&sql).await?;
    }
    Ok((table, rows.len() as u64))
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
    // Parents before children, so foreign keys hold at every insert.
    let tables = vec![
        copy_table::<department::Entity>(&source, &target).await?,
        copy_table::<fiscal_year::Entity>(&source, &target).await?,
        copy_table::<phase_deadline::Entity>(&source, &target).await?,
        copy_table::<user::Entity>(&source, &target).await?,
        copy_table::<project::Entity>(&source, &target).await?,
        copy_table::<project_phase::Entity>(&source, &target).await?,
        copy_table::<indicator::Entity>(&source, &target).await?,
        copy_table::<target_version::Entity>(&source, &target).await?,
        copy_table::<target_version_item::Entity>(&source, &target).await?,
        copy_table::<monitoring_entry::Entity>(&source, &target).await?,
        copy_table::<actual_entry::Entity>(&source, &target).await?,
        copy_table::<review_score::Entity>(&source, &target).await?,
        copy_table::<indicator_comment::Entity>(&source, &target).await?,
        copy_table::<audit_log::Entity>(&source, &target).await?,
        copy_table::<import_record::Entity>(&source, &target).await?,
        {
            // The target's library is the seed its migration stored; the source's replaces it.
            indicator_library::Entity::delete_many().exec(&target).await?;
            copy_table::<indicator_library::Entity>(&source, &target).await?
        },
    ];
    // Stored scores are derived: computed again in the target rather than copied.
    crate::scores::backfill(&target).await.map_err(|e| match e {
        crate::Error::Db(e) => TransferError::Db(e),
        other => TransferError::Db(DbErr::Custom(other.to_string())),
    })?;
    target.commit().await?;
    source.commit().await?;
    Ok(Copied { tables })
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
