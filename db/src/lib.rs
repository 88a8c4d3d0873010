//! jixiao persistence (server-only): the connection, entities, reads per table (`store`), the
//! shared write path (`write`), the cycle's writes (`cycle`), accounts and administration.
//! Nothing here is compiled into the WASM bundle.
//!
//! Layers, each using only the ones before it: `column`, `error` → `entities` → `store` →
//! `scores` → `write` → `cycle`, `accounts`, `admin`, `library`, `import` → `demo`, `generate`.

pub mod accounts;
pub mod admin;
pub mod column;
pub mod cycle;
pub mod demo;
pub mod entities;
pub mod error;
pub mod generate;
pub mod import;
pub mod library;
pub mod scores;
pub mod session_store;
pub mod store;
pub mod testing;
pub mod transfer;
pub mod write;

pub use column::{Amount, Key};
pub use error::{Error, Result};
pub use sea_orm::{DatabaseConnection, DbErr};
pub use session_store::DbSessionStore;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database};

/// The database used when `DATABASE_URL` is not set: a SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/jixiao.db?mode=rwc";

/// Opens a connection pool. For a SQLite file URL the parent folder is created first.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url) {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| DbErr::Custom(format!("无法创建数据库目录 {}: {e}", parent.display())))?;
            }
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // SQLite serialises writers (`write::begin` takes the write lock first, and a waiting
        // writer retries for the busy timeout); a few connections are plenty. These options apply
        // to every pooled connection (sqlx turns foreign keys on by default; WAL lets readers
        // proceed during a write).
        opts.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(std::time::Duration::from_secs(10))
        });
    } else {
        // With the server stopped or unreachable, a request waits at most this long for a
        // connection (then 503 Busy; a connection lost mid-query is 503 Offline) instead of
        // sqlx's 30 s; the pool reconnects by itself when the server is back.
        opts.acquire_timeout(std::time::Duration::from_secs(10));
    }
    let db = Database::connect(opts).await?;
    Ok(db)
}

/// Applies every pending migration, then scores the projects that have no stored score yet
/// (a database from before scores were stored).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    // The 指标库 is seeded once, when its table is created.
    let seed_library =
        Migrator::get_pending_migrations(db).await?.iter().any(|m| m.name() == "m20260108_000001_indicator_library");
    Migrator::up(db, None).await?;
    if seed_library {
        library::seed(db).await?;
    }
    scores::backfill(db).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(())
}

/// The file of a `sqlite:` URL, or `None` for other databases and in-memory SQLite.
fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file_path;

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_file_path("sqlite://data/jixiao.db?mode=rwc"), Some("data/jixiao.db"));
        assert_eq!(sqlite_file_path("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://127.0.0.1/test"), None);
    }
}
