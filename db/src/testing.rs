//! Throwaway databases for tests: a fresh SQLite file, or a fresh PostgreSQL schema, per call,
//! so parallel and repeated runs never see each other's data.

use crate::{connect, DatabaseConnection, DbErr};
use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use std::sync::atomic::{AtomicU32, Ordering};

/// PostgreSQL used by tests: `JIXIAO_TEST_PG_URL`, else the machine's trust-auth `test` database.
pub fn postgres_url() -> String {
    std::env::var("JIXIAO_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{}_{}", std::process::id(), nanos, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A test database; dropping it does not clean up, call `cleanup` at the end of a test.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Schema(String),
}

impl TestDb {
    /// An empty SQLite database in a new temporary file.
    pub async fn sqlite() -> Result<TestDb, DbErr> {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("jixiao_test")));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = connect(&url).await?;
        Ok(TestDb { db, url, cleanup: Cleanup::File(path) })
    }

    /// An empty PostgreSQL schema of its own in the test database.
    pub async fn postgres() -> Result<TestDb, DbErr> {
        TestDb::postgres_with_pool(4).await
    }

    /// [`TestDb::postgres`] with a pool of `max_connections` (benchmarks).
    pub async fn postgres_with_pool(max_connections: u32) -> Result<TestDb, DbErr> {
        let base = postgres_url();
        let schema = unique_name("jixiao_test");
        let admin = Database::connect(base.clone()).await?;
        admin.execute_unprepared(&format!("CREATE SCHEMA \"{schema}\"")).await?;
        admin.close().await?;
        let mut opts = ConnectOptions::new(base.clone());
        opts.set_schema_search_path(schema.clone()).sqlx_logging(false).max_connections(max_connections);
        let db = Database::connect(opts).await?;
        Ok(TestDb { db, url: base, cleanup: Cleanup::Schema(schema) })
    }

    /// Another pool on the same database (file or schema), as a second server instance has.
    pub async fn another_pool(&self) -> Result<DatabaseConnection, DbErr> {
        match &self.cleanup {
            Cleanup::File(_) => connect(&self.url).await,
            Cleanup::Schema(schema) => {
                let mut opts = ConnectOptions::new(self.url.clone());
                opts.set_schema_search_path(schema.clone()).sqlx_logging(false).max_connections(4);
                Database::connect(opts).await
            }
        }
    }

    /// Closes the connection and removes the file or schema.
    pub async fn cleanup(self) -> Result<(), DbErr> {
        self.db.close().await?;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Schema(schema) => {
                let admin = Database::connect(self.url).await?;
                admin.execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE")).await?;
                admin.close().await?;
            }
        }
        Ok(())
    }
}
