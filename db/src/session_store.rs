//! Login sessions in the database: a `tower_sessions::SessionStore` over the `session` table.
//! Each row holds the whole tower-sessions record as JSON, with its expiry in a column of its own
//! so expired sessions are never loaded and can be deleted in bulk.

use crate::entities::session;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The session store to give to `tower_sessions::SessionManagerLayer`.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> DbSessionStore {
        DbSessionStore { db }
    }
}

/// Deletes every session that expired before now; returns how many.
pub async fn delete_expired(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let deleted = session::Entity::delete_many().filter(session::Column::ExpiryDate.lte(Utc::now())).exec(db).await?;
    Ok(deleted.rows_affected)
}

/// A store failure as tower-sessions carries it (a message). An unreachable or overloaded database
/// keeps its [`Error`](crate::Error) message, so [`unavailable`] can tell it apart from a fault.
fn backend(e: DbErr) -> session_store::Error {
    session_store::Error::Backend(crate::Error::from(e).to_string())
}

/// The database error behind a session failure when it is one a user can wait out (the database
/// is unreachable or overloaded), else `None`.
pub fn unavailable(e: &tower_sessions::session::Error) -> Option<crate::Error> {
    let tower_sessions::session::Error::Store(session_store::Error::Backend(message)) = e else { return None };
    [crate::Error::Offline, crate::Error::Busy].into_iter().find(|known| *message == known.to_string())
}

fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
    let expiry = &record.expiry_date;
    let expiry_date = DateTime::from_timestamp(expiry.unix_timestamp(), expiry.nanosecond())
        .ok_or_else(|| session_store::Error::Encode(format!("会话过期时间超出范围：{expiry}")))?;
    let data = serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok(session::ActiveModel { id: Set(record.id.to_string()), data: Set(data), expiry_date: Set(expiry_date) })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Stores a new session, drawing a new id while the id is taken.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        for _ in 0..8 {
            let inserted = session::Entity::insert(row(record)?)
                .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted > 0 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(session_store::Error::Backend("无法生成唯一的会话标识".to_owned()))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let update = OnConflict::column(session::Column::Id)
            .update_columns([session::Column::Data, session::Column::ExpiryDate])
            .to_owned();
        session::Entity::insert(row(record)?)
            .on_conflict(update)
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let found = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiryDate.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        found
            .map(|s| serde_json::from_str(&s.data).map_err(|e| session_store::Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        delete_expired(&self.db).await.map(drop).map_err(backend)
    }
}
