//! Files in and out over HTTP: the template downloads (自评表, 运行监控表), the exports (自评表, 目标表, 汇总表,
//! 绩效自评报告), the actuals / monitoring upload (preview, or
//! commit of the file that was previewed) and an import's report as JSON. Each checks the
//! signed-in user's access exactly as the server functions do; an upload is read off the async
//! runtime (spawn_blocking), at most [`IMPORT_SLOTS`] at a time, so one big file never stalls
//! other users' pages.

use crate::web::{internal, refuse, refuse_json, signed_in};
use app::api::AppError;
use axum::extract::{Multipart, Path, Query};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::upload::{Progress, UploadLine};
use domain::vocab::TemplateKind;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reports::export::Target;
use serde::Deserialize;
use sheets::template::{self, Scope};
use tokio::sync::Semaphore;
use tower_sessions::Session;

/// Where workbooks of actuals are uploaded.
pub const UPLOAD_PATH: &str = "/import/actuals";
/// Where 绩效目标表 files (Word, workbook, text) are uploaded to become new projects.
pub const TARGETS_UPLOAD_PATH: &str = "/import/targets";

/// Whether `path` takes file uploads (larger than any form).
pub fn is_upload(path: &str) -> bool {
    path == UPLOAD_PATH || path == TARGETS_UPLOAD_PATH
}

/// Imports read at the same time; others wait their turn.
pub const IMPORT_SLOTS: usize = 2;
static SLOTS: Semaphore = Semaphore::const_new(IMPORT_SLOTS);

/// The largest upload in bytes: `JIXIAO_MAX_UPLOAD_MB` (default 20).
pub fn upload_limit() -> usize {
    let mb = std::env::var("JIXIAO_MAX_UPLOAD_MB").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(20);
    mb.clamp(1, 200) * 1024 * 1024
}

#[derive(Debug, Deserialize)]
pub struct TemplateQuery {
    pub project: Option<i32>,
    pub department: Option<i32>,
    pub year: Option<i32>,
    /// `selfeval` (default) or `monitoring`.
    pub kind: Option<String>,
}

/// `GET /export/template.xlsx?project=ID` or `?department=ID&year=Y`, with `&kind=monitoring`
/// for the 运行监控表.
pub async fn template_download(db: db::DatabaseConnection, session: Session, query: TemplateQuery) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    let kind = match query.kind.as_deref() {
        None => TemplateKind::Selfeval,
        Some(key) => match TemplateKind::from_key(key) {
            Some(kind) => kind,
            None => {
                return refuse(&AppError::BadRequest("模板种类有误：kind 只能是 selfeval 或 monitoring".to_owned()))
            }
        },
    };
    let scope = match query {
        TemplateQuery { project: Some(id), .. } => Scope::Project(id),
        TemplateQuery { department: Some(department_id), year: Some(year), .. } => {
            Scope::Department { department_id, year }
        }
        _ => return refuse(&AppError::BadRequest("请指定项目，或部门和年度".to_owned())),
    };
    let projects = match template::load(&db, &user, scope).await {
        Ok(p) => p,
        Err(e) => return refuse(&e.into()),
    };
    let year = match scope {
        Scope::Department { year, .. } => year,
        Scope::Project(_) => projects.first().map_or(0, |p| p.year),
    };
    let label = kind.label();
    let name = match (scope, projects.first()) {
        (Scope::Project(_), Some(p)) => format!("{}-{}年度{label}.xlsx", p.name, year),
        (_, Some(p)) => format!("{}-{}年度{label}.xlsx", p.department, year),
        _ => format!("{year}年度{label}.xlsx"),
    };
    match tokio::task::spawn_blocking(move || template::workbook(kind, &projects, year)).await {
        Ok(Ok(bytes)) => attachment(
            reports::export::content_type(domain::vocab::ExportFormat::Xlsx),
            &format!("{}-{year}.xlsx", kind.key()),
            &name,
            bytes,
        ),
        Ok(Err(e)) => internal("template", e),
        Err(e) => internal("template", e),
    }
}

/// `GET /export/{document}.{format}?project=ID | ?department=ID&year=Y | ?year=Y`: the 自评表,
/// 目标表, 汇总表 or 绩效自评报告 (`reports::export`), with the signed-in user's access.
pub async fn export_download(
    db: db::DatabaseConnection,
    session: Session,
    file: String,
    query: TemplateQuery,
) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    let Some((document, format)) = file.split_once('.').and_then(|(d, f)| {
        Some((domain::vocab::ExportDocument::from_key(d)?, domain::vocab::ExportFormat::from_key(f)?))
    }) else {
        return refuse(&AppError::BadRequest(
            "没有这种导出文件（可用：selfeval.xlsx、targets.xlsx、summary.xlsx、report.docx、report.pdf）".to_owned(),
        ));
    };
    let target = match query {
        TemplateQuery { project: Some(id), .. } => Target::Project(id),
        TemplateQuery { department: Some(department_id), year: Some(year), .. } => {
            Target::Department { department_id, year }
        }
        TemplateQuery { department: None, year: Some(year), .. } => Target::County { year },
        _ => return refuse(&AppError::BadRequest("请指定项目、部门和年度，或年度".to_owned())),
    };
    let actor = db::accounts::actor(&user);
    let loaded = match reports::export::load(&db, &actor, document, target).await {
        Ok(l) => l,
        Err(e) => return export_refusal(e),
    };
    match tokio::task::spawn_blocking(move || loaded.render(Some(format))).await {
        Ok(Ok(file)) => {
            attachment(file.content_type, &format!("{}.{}", document.key(), format.key()), &file.file_name, file.bytes)
        }
        Ok(Err(e)) => export_refusal(e),
        Err(e) => internal("export", e),
    }
}

fn export_refusal(e: reports::export::ExportError) -> Response {
    use reports::export::ExportError;
    use reports::pdf::PdfError;
    match e {
        ExportError::Db(e) => refuse(&e.into()),
        ExportError::Unsupported(message) => refuse(&AppError::BadRequest(message)),
        ExportError::Pdf(e @ (PdfError::Missing | PdfError::Timeout(_))) => {
            tracing::warn!("export: {e}");
            refuse(&AppError::Unavailable(e.to_string()))
        }
        e => internal("export", e),
    }
}

/// A download: `ascii` for old browsers, the Chinese `name` for the rest.
fn attachment(content_type: &str, ascii: &str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    utf8_percent_encode(name, NON_ALPHANUMERIC)
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// Commit the file whose preview had this SHA-256; without it, a preview.
    pub commit: Option<String>,
}

/// A multipart upload as read: the file (its name, at most 200 characters, and its bytes) and the
/// other fields as text.
struct Upload {
    name: String,
    bytes: axum::body::Bytes,
    fields: std::collections::HashMap<String, String>,
}

/// Reads an upload's multipart body; a broken body or one without a file is refused with the
/// reason.
async fn read_upload(multipart: &mut Multipart, default_name: &str) -> Result<Upload, AppError> {
    let mut file = None;
    let mut fields = std::collections::HashMap::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let key = field.name().unwrap_or_default().to_owned();
                let name = field.file_name().unwrap_or(default_name).chars().take(200).collect::<String>();
                let bytes = field.bytes().await.map_err(|e| AppError::BadRequest(format!("上传中断：{e}")))?;
                if key == "file" {
                    file = Some((name, bytes));
                } else {
                    fields.insert(key, String::from_utf8_lossy(&bytes).trim().to_owned());
                }
            }
            Ok(None) => break,
            Err(e) => return Err(AppError::BadRequest(format!("上传内容有误：{e}"))),
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::BadRequest("请选择要上传的文件".to_owned()))?;
    Ok(Upload { name, bytes, fields })
}

/// Reads the uploaded file with `read` off the async runtime (the caller holds an import slot);
/// a file the reader refuses is [`AppError::Upload`] with its reason.
async fn read_file<T: Send + 'static>(
    name: &str,
    read: impl FnOnce(&sheets::Limits) -> Result<T, sheets::FileError> + Send + 'static,
) -> Result<T, AppError> {
    let limits = sheets::Limits { max_bytes: upload_limit() as u64, ..sheets::Limits::default() };
    match tokio::task::spawn_blocking(move || read(&limits)).await {
        Ok(read) => read.map_err(|e| AppError::Upload(e.to_string())),
        Err(e) => {
            tracing::error!("reading {name}: {e}");
            Err(AppError::Internal)
        }
    }
}

/// A commit must upload the very file that was previewed.
fn check_commit(query: &UploadQuery, sha256: &str) -> Result<(), AppError> {
    match &query.commit {
        Some(expected) if expected != sha256 => {
            Err(AppError::Upload("上传的文件与预览时的不同，请重新预览后再导入".to_owned()))
        }
        _ => Ok(()),
    }
}

/// `POST /import/actuals` (multipart, field `file`): the preview, or with `?commit=SHA256` the
/// commit of the same file. Answers the report as JSON, or the error's JSON and status; a client
/// that accepts `application/x-ndjson` gets the answer streamed instead (see [`stream_import`]).
pub async fn upload_actuals(
    db: db::DatabaseConnection,
    session: Session,
    query: UploadQuery,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(_) => return refuse_json(&AppError::NotSignedIn),
    };
    let Upload { name, bytes, .. } = match read_upload(&mut multipart, "upload.xlsx").await {
        Ok(upload) => upload,
        Err(e) => return refuse_json(&e),
    };
    let Ok(slot) = SLOTS.acquire().await else { return refuse_json(&AppError::Busy) };
    let parsed = match read_file(&name, move |limits| sheets::actuals::read(&bytes, limits)).await {
        Ok(parsed) => parsed,
        Err(e) => return refuse_json(&e),
    };
    if let Err(e) = check_commit(&query, &parsed.sha256) {
        return refuse_json(&e);
    }
    let dry_run = query.commit.is_none();
    if accepts_ndjson(&headers) {
        return stream_import(db, user, name, parsed, dry_run, slot);
    }
    match sheets::actuals::apply(&db, &user, &name, &parsed, dry_run).await {
        Ok(report) => Json(report).into_response(),
        Err(e) => refuse_json(&app::api::imports::ssr::from_import(e)),
    }
}

/// The media type of a streamed upload answer: one JSON [`UploadLine`] per line.
pub const NDJSON: &str = "application/x-ndjson";

fn accepts_ndjson(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(NDJSON))
}

fn ndjson_line(line: &UploadLine<sheets::actuals::Report>) -> axum::body::Bytes {
    let mut bytes = serde_json::to_vec(line).unwrap_or_default();
    bytes.push(b'\n');
    bytes.into()
}

/// The import applied on its own task, answered as it goes: a `{"progress":{"done":…,"total":…}}`
/// line at each whole percent of rows matched and written, then `{"done":REPORT}` or
/// `{"failed":{"message":…}}` (status 200 either way: the status was sent with the first line).
/// The import slot is held until the import ends, also when the client has gone.
fn stream_import(
    db: db::DatabaseConnection,
    user: db::entities::user::Model,
    name: String,
    parsed: sheets::actuals::Parsed,
    dry_run: bool,
    slot: tokio::sync::SemaphorePermit<'static>,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<axum::body::Bytes>();
    tokio::spawn(async move {
        let _slot = slot;
        let sent = std::sync::atomic::AtomicU32::new(0);
        let progress_tx = tx.clone();
        let on_progress = move |p: Progress| {
            let percent = p.percent();
            if percent > sent.fetch_max(percent, std::sync::atomic::Ordering::Relaxed) {
                let _ = progress_tx.send(ndjson_line(&UploadLine::Progress(p)));
            }
        };
        let line = match sheets::actuals::apply_with_progress(&db, &user, &name, &parsed, dry_run, &on_progress).await {
            Ok(report) => UploadLine::Done(report),
            Err(e) => {
                let detail = e.to_string();
                let e = app::api::imports::ssr::from_import(e);
                if matches!(e, AppError::Internal) {
                    tracing::error!("import of {name}: {detail}");
                }
                UploadLine::Failed { message: e.message() }
            }
        };
        let _ = tx.send(ndjson_line(&line));
    });
    let lines = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|line| (Ok::<_, std::convert::Infallible>(line), rx))
    });
    (
        [
            (header::CONTENT_TYPE, NDJSON),
            (header::CACHE_CONTROL, "no-store"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        axum::body::Body::from_stream(lines),
    )
        .into_response()
}

/// `POST /import/targets` (multipart: `file`, `year`, and `department_id` for an administrator):
/// the tables of a 绩效目标表 file as new draft projects — a preview, or with `?commit=SHA256`
/// the commit of the same file. Answers the report as JSON, or the error's JSON and status.
pub async fn upload_targets(
    db: db::DatabaseConnection,
    session: Session,
    query: UploadQuery,
    mut multipart: Multipart,
) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(_) => return refuse_json(&AppError::NotSignedIn),
    };
    let Upload { name, bytes, fields } = match read_upload(&mut multipart, "upload").await {
        Ok(upload) => upload,
        Err(e) => return refuse_json(&e),
    };
    let number = |key: &str| fields.get(key).filter(|v| !v.is_empty()).map(|v| v.parse::<i32>());
    let Some(Ok(year)) = number("year") else {
        return refuse_json(&AppError::BadRequest("请选择年度".to_owned()));
    };
    let department_id = match number("department_id") {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return refuse_json(&AppError::BadRequest("主管部门无效".to_owned())),
    };
    let Ok(_slot) = SLOTS.acquire().await else { return refuse_json(&AppError::Busy) };
    let read = read_file(&name, move |limits| {
        sheets::targets::upload_text(&bytes, limits)
            .map(|(text, sha)| (domain::import::import_target_tables(&text), sha))
    });
    let (tables, sha256) = match read.await {
        Ok(read) => read,
        Err(e) => return refuse_json(&e),
    };
    if let Err(e) = check_commit(&query, &sha256) {
        return refuse_json(&e);
    }
    let to = db::cycle::target_import::Destination { department_id, year };
    let source = db::cycle::target_import::Source { file_name: &name, sha256: &sha256, tables: &tables };
    match db::cycle::target_import::import_targets(&db, &user, &to, &source, query.commit.is_none()).await {
        Ok(report) => Json(report).into_response(),
        Err(e) => refuse_json(&AppError::from(e)),
    }
}

/// `GET /imports/{id}/report.json`: a committed import's report, for whoever may see the record.
pub async fn import_report(db: db::DatabaseConnection, session: Session, id: i32) -> Response {
    let user = match signed_in(&db, &session).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    match sheets::actuals::record(&db, &user, id).await {
        Ok(r) => (
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"import-{id}.json\"")),
            ],
            r.diff,
        )
            .into_response(),
        Err(e) => refuse(&app::api::imports::ssr::from_import(e)),
    }
}

/// The routes above.
pub fn routes(db: db::DatabaseConnection) -> axum::Router<leptos::prelude::LeptosOptions> {
    let (a, b, c, d, e) = (db.clone(), db.clone(), db.clone(), db.clone(), db);
    axum::Router::new()
        .route(
            "/export/template.xlsx",
            axum::routing::get(move |session: Session, Query(q): Query<TemplateQuery>| {
                template_download(a.clone(), session, q)
            }),
        )
        .route(
            "/export/{file}",
            axum::routing::get(move |session: Session, Path(file): Path<String>, Query(q): Query<TemplateQuery>| {
                export_download(d.clone(), session, file, q)
            }),
        )
        .route(
            UPLOAD_PATH,
            axum::routing::post(
                move |session: Session, Query(q): Query<UploadQuery>, headers: HeaderMap, multipart: Multipart| {
                    upload_actuals(b.clone(), session, q, headers, multipart)
                },
            )
            .layer(axum::extract::DefaultBodyLimit::max(upload_limit())),
        )
        .route(
            TARGETS_UPLOAD_PATH,
            axum::routing::post(move |session: Session, Query(q): Query<UploadQuery>, multipart: Multipart| {
                upload_targets(e.clone(), session, q, multipart)
            })
            .layer(axum::extract::DefaultBodyLimit::max(upload_limit())),
        )
        .route(
            "/imports/{id}/report.json",
            axum::routing::get(move |session: Session, Path(id): Path<i32>| import_report(c.clone(), session, id)),
        )
}
