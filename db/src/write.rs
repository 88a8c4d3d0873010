//! The one write path every change of content goes through:
//! - [`begin`] opens a write transaction that holds the database's write lock from its start,
//!   so concurrent savers on SQLite wait for each other instead of failing;
//! - [`Versioned`] + [`upsert`]: check the version the user saw, diff the audited fields, update
//!   `WHERE version = expected` with `version + 1` (or insert at version 1), write one audit row
//!   per changed field, and return the stored row;
//! - [`Change`] / [`record_changes`] for the audit rows of writes that are not versioned rows
//!   (appended re-scores, comments, administration).
//!
//! Everything runs inside the caller's transaction: the caller checks permissions first (through
//! `domain::workflow`, see `cycle::access`) and ends with [`commit`], which stores the changed
//! projects' derived scores (`crate::scores`) in the same transaction.

use crate::entities::user;
use crate::error::{is_unique_violation, Error, Result};
use crate::store::audit::{self, AuditEntry};
use crate::{Amount, Key};
use chrono::{DateTime, Utc};
use domain::vocab::{AuditAction, EntityKind, Field, ValueSet};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Value};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
};

/// Begins a write transaction. On SQLite it first updates the one-row `write_lock` table, which
/// takes the write lock at once (what `BEGIN IMMEDIATE` does): a transaction that read first and
/// wrote later could not wait for another writer and would fail with "database is locked"; this
/// one waits up to the busy timeout, then answers [`Error::Busy`].
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let txn = db.begin().await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE write_lock SET counter = counter + 1 WHERE id = 1").await?;
    }
    Ok(txn)
}

/// Commits a write transaction that changed `projects`: their stored scores are recomputed from
/// what the transaction wrote, inside it, so a score is never older than its inputs.
pub async fn commit(txn: DatabaseTransaction, projects: &[i32]) -> Result<()> {
    crate::scores::refresh(&txn, projects).await?;
    txn.commit().await?;
    Ok(())
}

/// Reads the project inside a write transaction and, on PostgreSQL, locks its row
/// (`SELECT … FOR NO KEY UPDATE`) until the transaction ends, so rules that read before they write
/// ("only one pending 调整") cannot race between concurrent requests. SQLite writers are already
/// one at a time ([`begin`]).
pub async fn lock_project(txn: &DatabaseTransaction, project_id: i32) -> Result<crate::entities::project::Model> {
    use crate::entities::project;
    use sea_orm::QuerySelect;
    let query = project::Entity::find_by_id(project_id);
    // NO KEY UPDATE: exclusive against other lockers and writers of the row, but not against
    // the KEY SHARE locks that inserting child rows takes (see `scores::refresh`).
    let query = match txn.get_database_backend() {
        DbBackend::Postgres => query.lock(sea_orm::sea_query::LockType::NoKeyUpdate),
        _ => query,
    };
    query.one(txn).await?.ok_or(Error::NotFound(EntityKind::Project))
}

/// A value as the audit log writes it: decimals normalised, value sets by key, yes/no as
/// true/false.
pub trait AuditText {
    fn audit_text(&self) -> String;
}

impl AuditText for String {
    fn audit_text(&self) -> String {
        self.clone()
    }
}
impl AuditText for Decimal {
    fn audit_text(&self) -> String {
        self.normalize().to_string()
    }
}
impl AuditText for Amount {
    fn audit_text(&self) -> String {
        self.0.normalize().to_string()
    }
}
impl AuditText for bool {
    fn audit_text(&self) -> String {
        self.to_string()
    }
}
impl AuditText for i32 {
    fn audit_text(&self) -> String {
        self.to_string()
    }
}
impl AuditText for chrono::NaiveDate {
    fn audit_text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}
impl<T: ValueSet> AuditText for Key<T> {
    fn audit_text(&self) -> String {
        self.0.key().to_owned()
    }
}

/// One audited field of a write: its value before and after, as audit text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: Field,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    pub fn new<T: AuditText>(field: Field, old: Option<&T>, new: Option<&T>) -> Change {
        Change { field, old: old.map(AuditText::audit_text), new: new.map(AuditText::audit_text) }
    }

    pub fn is_change(&self) -> bool {
        self.old != self.new
    }
}

/// Who changes what, for the audit rows of a write.
#[derive(Clone, Copy, Debug)]
pub struct Audit<'a> {
    pub user: &'a user::Model,
    pub at: DateTime<Utc>,
    pub kind: EntityKind,
    pub project_id: Option<i32>,
    /// The action recorded; `None`: 新建 for an inserted row, 修改 for an updated one.
    pub action: Option<AuditAction>,
}

impl Audit<'_> {
    fn entry(&self, action: AuditAction, entity_id: i32) -> AuditEntry {
        AuditEntry { project_id: self.project_id, ..AuditEntry::by(self.user, self.at, action, self.kind, entity_id) }
    }
}

/// Records one audit row per change that changes something; returns how many.
pub async fn record_changes(
    conn: &impl ConnectionTrait,
    audit: &Audit<'_>,
    entity_id: i32,
    changes: &[Change],
) -> Result<usize> {
    let action = audit.action.unwrap_or(AuditAction::Update);
    let mut n = 0;
    for c in changes.iter().filter(|c| c.is_change()) {
        audit::record(conn, audit.entry(action, entity_id).change(c.field, c.old.clone(), c.new.clone())).await?;
        n += 1;
    }
    Ok(n)
}

/// A table whose rows carry an id and an optimistic-lock `version`.
pub trait Versioned: EntityTrait {
    fn id_column() -> Self::Column;
    fn version_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> i32;
    fn version_of(model: &Self::Model) -> i32;
}

macro_rules! versioned {
    ($($entity:ident),*) => {$(
        impl Versioned for crate::entities::$entity::Entity {
            fn id_column() -> Self::Column {
                crate::entities::$entity::Column::Id
            }
            fn version_column() -> Self::Column {
                crate::entities::$entity::Column::Version
            }
            fn id_of(model: &Self::Model) -> i32 {
                model.id
            }
            fn version_of(model: &Self::Model) -> i32 {
                model.version
            }
        }
    )*};
}
versioned!(indicator, indicator_library, project, project_phase, monitoring_entry, actual_entry, user);

/// What a write to one versioned row sets: audited fields (column, old → new) and other columns
/// (bookkeeping such as `updated_at`, derived ones such as the parsed target).
pub struct Write<E: EntityTrait> {
    set: Vec<(E::Column, Value)>,
    changes: Vec<Change>,
}

impl<E: EntityTrait> Default for Write<E> {
    fn default() -> Self {
        Write { set: Vec::new(), changes: Vec::new() }
    }
}

impl<E: EntityTrait> Write<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// An audited field: `column` becomes `new`; `old` is what the row holds now.
    pub fn field<T>(mut self, field: Field, column: E::Column, old: Option<T>, new: Option<T>) -> Self
    where
        T: AuditText + Into<Value> + sea_orm::sea_query::Nullable,
    {
        self.changes.push(Change::new(field, old.as_ref(), new.as_ref()));
        self.set.push((column, new.map_or_else(T::null, Into::into)));
        self
    }

    /// A column that is written but not audited.
    pub fn set(mut self, column: E::Column, value: impl Into<Value>) -> Self {
        self.set.push((column, value.into()));
        self
    }

    /// An audit change recorded without a column of its own (e.g. a reason kept elsewhere).
    pub fn note(mut self, change: Change) -> Self {
        self.changes.push(change);
        self
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    fn changes_anything(&self) -> bool {
        self.changes.iter().any(Change::is_change)
    }
}

/// The stored row after [`upsert`], and whether the write changed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved<M> {
    pub row: M,
    pub changed: bool,
}

/// The shared versioned write. `existing` is the row as read in this transaction (`None`: not
/// stored yet, version 0); `expected` the version the user saw. Refuses a stale version with
/// [`Error::Stale`]; leaves an existing row alone when no audited field changes; otherwise updates
/// it `WHERE version = expected` (or inserts it with `keys` at version 1, a clash with a
/// concurrent insert being [`Error::Stale`] too), records the changed fields, and rereads the
/// row.
pub async fn upsert<E>(
    conn: &impl ConnectionTrait,
    existing: Option<E::Model>,
    expected: i32,
    keys: Vec<(E::Column, Value)>,
    write: Write<E>,
    audit: Audit<'_>,
) -> Result<Saved<E::Model>>
where
    E: Versioned,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    if existing.as_ref().map_or(0, E::version_of) != expected {
        return Err(Error::Stale);
    }
    if let Some(row) = &existing {
        if !write.changes_anything() {
            return Ok(Saved { row: row.clone(), changed: false });
        }
    }
    let id = match &existing {
        Some(row) => {
            let id = E::id_of(row);
            let mut update = E::update_many();
            for (column, value) in write.set.iter().cloned() {
                update = update.col_expr(column, Expr::value(value));
            }
            let updated = update
                .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
                .filter(E::id_column().eq(id))
                .filter(E::version_column().eq(expected))
                .exec(conn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(Error::Stale);
            }
            id
        }
        None => {
            let mut model = E::ActiveModel::default();
            for (column, value) in keys.into_iter().chain(write.set.iter().cloned()) {
                model.try_set(column, value)?;
            }
            model.try_set(E::version_column(), 1.into())?;
            match model.insert(conn).await {
                Ok(row) => E::id_of(&row),
                Err(e) if is_unique_violation(&e) => return Err(Error::Stale),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let action = audit.action.unwrap_or(if existing.is_some() { AuditAction::Update } else { AuditAction::Create });
    record_changes(conn, &Audit { action: Some(action), ..audit }, id, &write.changes).await?;
    let row = E::find().filter(E::id_column().eq(id)).one(conn).await?.ok_or(Error::Stale)?;
    Ok(Saved { row, changed: true })
}
