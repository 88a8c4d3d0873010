use crate::Key;
use domain::vocab::ImportKind;
use sea_orm::entity::prelude::*;

/// One committed spreadsheet import: who, when, which file, and the row-by-row diff (JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: Key<ImportKind>,
    pub user_id: Option<i32>,
    pub username: String,
    /// The uploader's department (department users); `None` for finance and administrators.
    pub department_id: Option<i32>,
    pub file_name: String,
    /// SHA-256 of the uploaded bytes, hex.
    pub sha256: String,
    pub rows_read: i32,
    pub rows_changed: i32,
    pub warnings: i32,
    /// The import's report as JSON (`sheets::Report`): every row, old → new, problems.
    #[sea_orm(column_type = "Text")]
    pub diff: String,
    pub created_at: DateTimeUtc,
    pub reverted_at: Option<DateTimeUtc>,
    pub reverted_by_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
