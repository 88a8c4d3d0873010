//! The one error type of the database layer. Each variant carries what it is about; the
//! messages come from the variants (`Display`), the HTTP status from `app::api::AppError`.

use domain::input::Invalid;
use domain::vocab::EntityKind;
use domain::workflow::{LoginRefusal, Refusal};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Why a read or write did not happen; a write that fails changes nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content cannot be stored as given.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The workflow does not allow it: who asks, or not in this status.
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Login(#[from] LoginRefusal),
    #[error("{}不存在", .0.label())]
    NotFound(EntityKind),
    /// The row changed since the user read it (optimistic lock).
    #[error("数据已被他人修改，请刷新后重试")]
    Stale,
    /// The database is overloaded (locked past the busy timeout, no free connection).
    #[error("系统繁忙，请稍后重试")]
    Busy,
    /// The database cannot be reached (stopped, restarting, network down); the pool reconnects by
    /// itself once it is back.
    #[error("数据库暂时无法连接，请稍后重试")]
    Offline,
    #[error("数据库操作失败：{0}")]
    Db(DbErr),
}

impl Error {
    /// Whether the database itself failed (a fault, overloaded or unreachable) rather than
    /// refusing the content or the request: an import stops on these instead of reporting the row.
    pub fn is_database_failure(&self) -> bool {
        matches!(self, Error::Db(_) | Error::Busy | Error::Offline)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<DbErr> for Error {
    /// An overloaded database is [`Error::Busy`]; a unique-key clash that no caller turned into
    /// a named duplicate means a concurrent write stored the same row first: [`Error::Stale`].
    fn from(e: DbErr) -> Self {
        if is_busy(&e) {
            Error::Busy
        } else if is_offline(&e) {
            Error::Offline
        } else if is_unique_violation(&e) {
            Error::Stale
        } else {
            Error::Db(e)
        }
    }
}

/// Whether the database was too busy to answer: SQLite still locked after the busy timeout, a
/// PostgreSQL lock timeout, deadlock or serialisation failure, or no pooled connection in time.
pub fn is_busy(e: &DbErr) -> bool {
    if let DbErr::ConnectionAcquire(_) = e {
        return true;
    }
    let code = match e {
        DbErr::Exec(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(d)))
        | DbErr::Query(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(d)))
        | DbErr::Conn(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(d))) => d.code().map(|c| c.into_owned()),
        DbErr::Exec(RuntimeErr::SqlxError(sea_orm::sqlx::Error::PoolTimedOut))
        | DbErr::Query(RuntimeErr::SqlxError(sea_orm::sqlx::Error::PoolTimedOut))
        | DbErr::Conn(RuntimeErr::SqlxError(sea_orm::sqlx::Error::PoolTimedOut)) => return true,
        _ => None,
    };
    // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED, 517 SQLITE_BUSY_SNAPSHOT. PostgreSQL: 55P03
    // lock_not_available, 40P01 deadlock_detected, 40001 serialization_failure.
    matches!(code.as_deref(), Some("5" | "6" | "261" | "517" | "55P03" | "40P01" | "40001"))
}

/// Whether the database went away under a connection: the socket failed (server stopped, network
/// down), the pool was closed, or PostgreSQL is shutting down, starting or refusing connections
/// (SQLSTATE class 08, 57P01–57P03).
pub fn is_offline(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let sqlx = match e {
        DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::ConnectionClosed) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s))
        | DbErr::Conn(RuntimeErr::SqlxError(s)) => s,
        _ => return false,
    };
    match sqlx {
        Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
        Sqlx::Database(d) => {
            d.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

/// Whether `e` is a unique-key clash (someone stored the same key first).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
