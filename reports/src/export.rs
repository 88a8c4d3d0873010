//! One entry point for every download and `jixiao export`: which document, for what, in which
//! format. [`load`] reads the model with the user's access checked (async, the database);
//! [`Loaded::render`] writes the file (CPU only, run it off the async runtime).

use crate::docx::{report_docx, ReportError};
use crate::model::{self, ProjectReport, Scope, Summary};
use crate::pdf::{docx_to_pdf, PdfError};
use crate::xlsx;
use db::entities::project;
use domain::vocab::{ExportDocument, ExportFormat};
use domain::workflow::Actor;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// What an export covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Project(i32),
    Department { department_id: i32, year: i32 },
    County { year: i32 },
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] db::Error),
    /// A document that does not exist for this target or format; the message says what does.
    #[error("{0}")]
    Unsupported(String),
    #[error("Excel 文件生成失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// A written file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// The name offered to the user ("某项目-2021年度项目支出绩效自评表.xlsx").
    pub file_name: String,
    pub content_type: &'static str,
}

/// The model of an export, read and checked, not yet written.
#[derive(Clone, Debug)]
pub struct Loaded {
    document: ExportDocument,
    /// "某项目-2021年度" / "某局2021年度" / "全县2021年度": the start of the file name.
    stem: String,
    content: Content,
}

#[derive(Clone, Debug)]
enum Content {
    Projects(Vec<ProjectReport>),
    Summary(Summary),
}

/// Reads what `document` for `target` shows, as `actor` may see it (refused across departments).
pub async fn load(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    document: ExportDocument,
    target: Target,
) -> Result<Loaded, ExportError> {
    let content = match (document, target) {
        (ExportDocument::Summary, Target::Project(_)) => {
            return Err(ExportError::Unsupported("汇总表按部门或全县导出：请指定部门和年度，或年度".to_owned()))
        }
        (ExportDocument::Report, Target::Department { .. } | Target::County { .. }) => {
            return Err(ExportError::Unsupported("绩效自评报告按项目导出：请指定项目".to_owned()))
        }
        (ExportDocument::Summary, Target::Department { department_id, year }) => {
            Content::Summary(model::summary(conn, actor, Scope::Department { department_id, year }).await?)
        }
        (ExportDocument::Summary, Target::County { year }) => {
            Content::Summary(model::summary(conn, actor, Scope::County { year }).await?)
        }
        (_, Target::Project(id)) => Content::Projects(vec![model::project_report(conn, actor, id).await?]),
        (_, Target::Department { department_id, year }) => {
            // The access check and the department's projects of the year come from its summary.
            let summary = model::summary(conn, actor, Scope::Department { department_id, year }).await?;
            let ids: Vec<i32> = summary.projects().map(|p| p.id).collect();
            Content::Projects(project_reports(conn, actor, &ids).await?)
        }
        (_, Target::County { year }) => {
            let summary = model::summary(conn, actor, Scope::County { year }).await?;
            let ids: Vec<i32> = summary.projects().map(|p| p.id).collect();
            Content::Projects(project_reports(conn, actor, &ids).await?)
        }
    };
    let stem = match (&content, target) {
        (Content::Projects(reports), Target::Project(_)) => {
            reports.first().map(|r| format!("{}-{}年度", r.header.name, r.header.year)).unwrap_or_default()
        }
        (Content::Summary(s), _) => format!("{}{}年度", s.title, s.year),
        (Content::Projects(reports), Target::Department { department_id, year }) => {
            let name = reports.first().map(|r| r.header.department.clone());
            format!("{}{year}年度", name.unwrap_or_else(|| format!("部门{department_id}")))
        }
        (Content::Projects(_), Target::County { year }) => format!("全县{year}年度"),
    };
    Ok(Loaded { document, stem, content })
}

async fn project_reports(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i32],
) -> Result<Vec<ProjectReport>, ExportError> {
    let ordered: Vec<i32> = project::Entity::find()
        .filter(project::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(project::Column::DepartmentId)
        .order_by_asc(project::Column::Name)
        .all(conn)
        .await
        .map_err(db::Error::from)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut out = Vec::with_capacity(ordered.len());
    for id in ordered {
        out.push(model::project_report(conn, actor, id).await?);
    }
    Ok(out)
}

impl Loaded {
    /// Writes the file; `None` = the document's usual format.
    pub fn render(&self, format: Option<ExportFormat>) -> Result<Exported, ExportError> {
        let format = format.unwrap_or(self.document.formats()[0]);
        if !self.document.formats().contains(&format) {
            let names: Vec<&str> = self.document.formats().iter().map(|f| f.key()).collect();
            return Err(ExportError::Unsupported(format!("{}只能导出为 {}", self.document.label(), names.join(" / "))));
        }
        let bytes = match (&self.content, self.document) {
            (Content::Projects(r), ExportDocument::Selfeval) => xlsx::selfeval_workbook(r)?,
            (Content::Projects(r), ExportDocument::Targets) => xlsx::targets_workbook(r)?,
            (Content::Projects(r), ExportDocument::Report) => match (r.as_slice(), format) {
                ([one], ExportFormat::Pdf) => docx_to_pdf(&report_docx(one)?)?,
                ([one], _) => report_docx(one)?,
                _ => return Err(ExportError::Unsupported("绩效自评报告按项目导出：请指定项目".to_owned())),
            },
            (Content::Summary(s), _) => xlsx::summary_workbook(s)?,
            (Content::Projects(_), ExportDocument::Summary) => {
                return Err(ExportError::Unsupported("汇总表按部门或全县导出".to_owned()))
            }
        };
        Ok(Exported {
            bytes,
            file_name: format!("{}{}.{}", self.stem, self.document.label(), format.key()),
            content_type: content_type(format),
        })
    }
}

pub fn content_type(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ExportFormat::Pdf => "application/pdf",
    }
}
