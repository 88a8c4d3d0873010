//! Spreadsheet imports of year-end actuals and of 运行监控: the templates a user may download, the history of
//! committed imports, and undoing one. The upload itself carries a file, so it is a plain
//! multipart route of the server (`POST /import/actuals`, server/src/files.rs) answering the
//! same [`Report`] as `jixiao import actuals`.

use super::AppError;
pub use domain::upload::Report;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A template the signed-in user may download: a department's projects of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLink {
    pub department: String,
    pub year: i32,
    pub projects: usize,
    /// The 自评表.
    pub href: String,
    /// The 运行监控表.
    pub monitoring_href: String,
}

/// One committed import, as the history lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecordRow {
    pub id: i32,
    pub kind: domain::vocab::ImportKind,
    /// Beijing time.
    pub at: String,
    pub username: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i32,
    pub rows_changed: i32,
    pub warnings: i32,
    /// When and by whom it was undone.
    pub reverted: Option<String>,
}

/// The templates the user may download (a department user: their own department's).
#[server]
pub async fn template_links() -> Result<Vec<TemplateLink>, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let mut groups: std::collections::BTreeMap<(i32, String, i32), usize> = Default::default();
    for row in db::store::projects::list(&db).await? {
        if domain::workflow::can_read(&actor, row.project.department_id) {
            *groups.entry((-row.year, row.department.clone(), row.project.department_id)).or_default() += 1;
        }
    }
    Ok(groups
        .into_iter()
        .map(|((year, department, id), projects)| TemplateLink {
            href: format!("/export/template.xlsx?department={id}&year={}", -year),
            monitoring_href: format!("/export/template.xlsx?department={id}&year={}&kind=monitoring", -year),
            department,
            year: -year,
            projects,
        })
        .collect())
}

/// The committed imports the user may see, newest first.
#[server]
pub async fn import_history() -> Result<Vec<ImportRecordRow>, AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    let records = sheets::actuals::records(&db, &user).await.map_err(ssr::from_import)?;
    Ok(records
        .into_iter()
        .map(|r| ImportRecordRow {
            id: r.id,
            kind: r.kind.0,
            at: super::ssr::beijing(r.created_at),
            username: r.username,
            file_name: r.file_name,
            sha256: r.sha256,
            rows_read: r.rows_read,
            rows_changed: r.rows_changed,
            warnings: r.warnings,
            reverted: r
                .reverted_at
                .map(|at| format!("{} 由 {} 撤销", super::ssr::beijing(at), r.reverted_by_name.unwrap_or_default())),
        })
        .collect())
}

/// Undoes a committed import (while 绩效自评 is open and nothing was changed since).
#[server]
pub async fn revert_import(id: i32) -> Result<Report, AppError> {
    let (user, _) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    sheets::actuals::revert(&db, &user, id).await.map_err(ssr::from_import)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::AppError;

    /// An import's failure as the one error that crosses the wire.
    pub fn from_import(e: sheets::actuals::ImportError) -> AppError {
        match e {
            sheets::actuals::ImportError::File(f) => AppError::Upload(f.to_string()),
            sheets::actuals::ImportError::Db(e) => e.into(),
        }
    }
}
