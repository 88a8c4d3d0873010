//! 批量导入: download the 自评表 or 运行监控表 template, upload the filled workbook with a
//! progress bar, see the preview (every row old → new, with its score for actuals, every problem
//! at its cell), commit it, and
//! the history of imports with their reports and 撤销; below, 导入绩效目标表 (import_targets.rs).

use crate::api::{import_history, template_links, ImportRecordRow, Report, RevertImport, TemplateLink};
use crate::components::{use_hydrated, ErrorNotice};
use domain::upload::{MonitoringValues, Severity};
use domain::vocab::ImportKind;
use leptos::prelude::*;

/// Where workbooks of actuals and 运行监控 are uploaded (server/src/files.rs).
const UPLOAD_PATH: &str = "/import/actuals";

#[component]
pub fn ImportPage() -> impl IntoView {
    let links = Resource::new(|| (), |_| template_links());
    let reload = RwSignal::new(0u32);
    let history = Resource::new(move || reload.get(), |_| import_history());
    let hydrated = use_hydrated();
    let on_change = move || reload.update(|n| *n += 1);
    // Outside the history's Suspense, so that its outcome stays shown while the list reloads.
    let revert = ServerAction::<RevertImport>::new();
    Effect::new(move |_| {
        if let Some(Ok(r)) = revert.value().get() {
            if r.committed {
                on_change();
            }
        }
    });
    view! {
        <div class="imports" data-hydrated=move || if hydrated.get() { "true" } else { "false" }>
            <h1>"批量导入"</h1>
            <h2 class="section-title">"年终实际完成值 · 运行监控"</h2>
            <p class="lead">
                "下载绩效自评表模板（实际完成值、偏差原因分析及改进措施、全年预算数与执行数）或运行监控表模板（1-7月执行情况、"
                "完成目标可能性、偏差原因、纠偏措施、1-7月执行数），在 Excel / WPS 中填写黄色单元格，"
                "上传后先预览：每一行的原值与新值、得分和问题都会列出；确认无误后一次导入，出错时不写入任何数据。"
            </p>
            <section class="card" id="templates">
                <h2>"1. 下载模板"</h2>
                <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
                    {move || Suspend::new(async move {
                        match links.await {
                            Ok(list) if list.is_empty() => view! { <p class="empty-state">"没有可下载模板的项目。"</p> }.into_any(),
                            Ok(list) => view! { <TemplateList links=list/> }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card" id="upload">
                <h2>"2. 上传并预览"</h2>
                <Uploader on_committed=on_change/>
            </section>
            <section class="card" id="targets">
                <h2>"导入绩效目标表（新建项目）"</h2>
                <p class="lead">
                    "上传已公开或已填好的项目支出绩效目标表（申报表）：每张表成为所选年度、所选部门的一个新项目（草稿），"
                    "指标逐行按与填报页相同的规则检查；先预览，确认后一次创建，出错时不创建任何项目。"
                </p>
                <super::import_targets::TargetsImport/>
            </section>
            <section class="card" id="history">
                <h2>"导入记录"</h2>
                <RevertOutcome revert=revert/>
                <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
                    {move || Suspend::new(async move {
                        match history.await {
                            Ok(rows) if rows.is_empty() => view! { <p class="empty-state">"还没有导入记录。"</p> }.into_any(),
                            Ok(rows) => view! { <History rows=rows revert=revert/> }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn TemplateList(links: Vec<TemplateLink>) -> impl IntoView {
    view! {
        <ul class="template-links">
            {links.into_iter().map(|l| view! {
                <li>
                    <a href=l.href.clone() download="" data-testid="template-link">
                        {format!("{} · {}年度绩效自评表（{} 个项目）", l.department, l.year, l.projects)}
                    </a>
                    " · "
                    <a href=l.monitoring_href.clone() download="" data-testid="monitoring-template-link">"运行监控表"</a>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// What an uploader is doing (set by the browser's upload code only).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) enum Stage {
    Idle,
    /// Sending the file: percent.
    Uploading(u32),
    /// Sent; the server reads it.
    Checking,
    /// The server matches and writes its rows: percent.
    Processing(u32),
}

/// A report that tells whether its upload was committed.
pub(crate) trait Committed {
    fn committed(&self) -> bool;
}

impl Committed for Report {
    fn committed(&self) -> bool {
        self.committed
    }
}

impl Committed for domain::upload::TargetsReport {
    fn committed(&self) -> bool {
        self.committed
    }
}

/// One upload form's state: the form, what it is doing, the preview, what the commit did, the
/// error. Both uploaders (actuals / 运行监控, 绩效目标表) send through [`UploadForm::send`].
pub(crate) struct UploadForm<R: Send + Sync + 'static> {
    pub form: NodeRef<leptos::html::Form>,
    pub stage: RwSignal<Stage>,
    pub preview: RwSignal<Option<R>>,
    pub done: RwSignal<Option<R>>,
    pub error: RwSignal<Option<String>>,
}

impl<R: Send + Sync + 'static> Clone for UploadForm<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for UploadForm<R> {}

impl<R: Committed + Clone + serde::de::DeserializeOwned + Send + Sync + 'static> UploadForm<R> {
    pub fn new() -> Self {
        UploadForm {
            form: NodeRef::new(),
            stage: RwSignal::new(Stage::Idle),
            preview: RwSignal::new(None),
            done: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Forgets the last preview, commit and error (another file or option was chosen).
    pub fn clear(self) {
        self.preview.set(None);
        self.done.set(None);
        self.error.set(None);
    }

    /// Posts the form to `path`: a preview, or with `commit` (the previewed file's SHA-256) its
    /// commit, after which `on_committed` runs.
    pub fn send(self, path: &'static str, commit: Option<String>, on_committed: impl Fn() + 'static) {
        self.error.set(None);
        self.done.set(None);
        if commit.is_none() {
            self.preview.set(None);
        }
        self.stage.set(Stage::Uploading(0));
        let url = match &commit {
            Some(sha) => format!("{path}?commit={sha}"),
            None => path.to_owned(),
        };
        let finish = move |result: Result<R, String>| {
            self.stage.set(Stage::Idle);
            match result {
                Ok(report) if report.committed() => {
                    self.preview.set(None);
                    self.done.set(Some(report));
                    on_committed();
                }
                Ok(report) => self.preview.set(Some(report)),
                Err(message) => self.error.set(Some(message)),
            }
        };
        #[cfg(feature = "hydrate")]
        match self.form.get_untracked() {
            Some(f) => post_form(&f, &url, move |s| self.stage.set(s), finish),
            None => finish(Err(crate::api::AppError::Unreachable.message())),
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, finish);
    }
}

#[component]
fn Uploader(on_committed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let upload = UploadForm::<Report>::new();
    let UploadForm { form, stage, preview, done, error } = upload;
    let send = move |commit: Option<String>| upload.send(UPLOAD_PATH, commit, on_committed);
    view! {
        <form node_ref=form class="upload-form" method="post" action=UPLOAD_PATH enctype="multipart/form-data"
            on:submit=move |ev| { ev.prevent_default(); send(None); }>
            <label class="drop-zone">
                <input type="file" name="file" accept=".xlsx,.xls,.ods" required data-testid="upload-file"
                    on:change=move |_| upload.clear()/>
                <span>"把填好的 .xlsx / .xls / .ods 文件拖到这里，或点击选择文件（不超过 20 MB）"</span>
            </label>
            <button type="submit" class="btn" disabled=move || stage.get() != Stage::Idle>"上传并预览"</button>
        </form>
        <UploadProgress stage/>
        {move || error.get().map(|m| view! {
            <div class="notice notice-error" role="alert" data-testid="upload-error"><strong>"无法导入："</strong>{m}</div>
        })}
        {move || done.get().map(|r| view! {
            <div class="notice notice-success" role="status" data-testid="import-done">
                {format!("已导入{}：写入 {} 项（导入记录编号 {}）。", r.kind.label(), r.counts.rows_changed, r.import_id.unwrap_or_default())}
                {(!r.projects.is_empty()).then(|| view! { <ProjectTotals report=r.clone()/> })}
            </div>
        })}
        {move || preview.get().map(|r| view! { <Preview report=r on_commit=move |sha| send(Some(sha))/> })}
    }
}

/// The upload's progress bar, then "checking" while the server reads the file.
#[component]
pub(crate) fn UploadProgress(stage: RwSignal<Stage>) -> impl IntoView {
    view! {
        {move || match stage.get() {
            Stage::Idle => None,
            Stage::Uploading(p) => Some(view! {
                <div class="upload-progress" data-testid="upload-progress">
                    <progress max="100" value=p.to_string()></progress>
                    <span>{format!("正在上传 {p}%")}</span>
                </div>
            }.into_any()),
            Stage::Checking => Some(view! {
                <div class="upload-progress" data-testid="upload-progress">
                    <progress></progress>
                    <span>"已上传，正在读取表格…"</span>
                </div>
            }.into_any()),
            Stage::Processing(p) => Some(view! {
                <div class="upload-progress" data-testid="upload-progress">
                    <progress max="100" value=p.to_string()></progress>
                    <span>{format!("正在逐行检查 {p}%")}</span>
                </div>
            }.into_any()),
        }}
    }
}

#[component]
fn ProjectTotals(report: Report) -> impl IntoView {
    let grade = |g: Option<domain::vocab::Grade>| g.map_or("—", |g| g.label());
    view! {
        <table class="data-table totals">
            <thead><tr><th>"项目"</th><th class="num">"原得分"</th><th class="num">"导入后得分"</th><th>"等级"</th></tr></thead>
            <tbody>
                {report.projects.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.project}</td>
                        <td class="num">{format!("{:.2}", p.old_total)}</td>
                        <td class="num" data-testid="new-total">{format!("{:.2}", p.new_total)}</td>
                        <td>{format!("{} → {}", grade(p.old_grade), grade(p.new_grade))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Preview(report: Report, on_commit: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let only_problems = RwSignal::new(false);
    let c = report.counts;
    let problem_rows: Vec<(String, u32)> = report.problems.iter().filter_map(|p| sheet_row(&p.place)).collect();
    let sha = report.sha256.clone();
    let can_commit = c.errors == 0 && c.rows_changed > 0;
    let rows = report.rows.clone();
    view! {
        <div class="preview" data-testid="preview">
            <p class="summary" data-testid="preview-summary">
                {format!("《{}》（{}）：读取 {} 行，将写入 {} 项；错误 {} 个，提示 {} 个。", report.file_name, report.kind.label(), c.rows_read, c.rows_changed, c.errors, c.warnings)}
            </p>
            {(!report.problems.is_empty()).then(|| view! {
                <ul class="problems" data-testid="problems">
                    {report.problems.iter().map(|p| view! {
                        <li class=if p.severity == Severity::Error { "problem problem-error" } else { "problem problem-warning" }>
                            {if p.severity == Severity::Error { "错误 " } else { "提示 " }}{p.to_string()}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {report.notes.iter().map(|n| view! { <p class="muted">{n.clone()}</p> }).collect_view()}
            {(report.kind == ImportKind::Actuals).then(|| view! { <ProjectTotals report=report.clone()/> })}
            <label class="filter"><input type="checkbox" on:change=move |ev| only_problems.set(event_target_checked(&ev))/>" 只看有变化或有问题的行"</label>
            {if report.kind == ImportKind::Monitoring {
                view! { <MonitoringRows report=report.clone() problem_rows=problem_rows.clone() only_problems/> }.into_any()
            } else {
                view! {
            <table class="data-table preview-rows">
                <thead>
                    <tr>
                        <th>"位置"</th><th>"项目"</th><th>"三级指标"</th><th>"原实际完成值"</th><th>"新实际完成值"</th>
                        <th>"偏差原因分析及改进措施"</th><th class="num">"分值"</th><th class="num">"得分"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let has_problem = sheet_row(&r.place).is_some_and(|here| problem_rows.contains(&here));
                        let class = match (has_problem, r.changed) {
                            (true, _) => "row-error",
                            (false, true) => "row-changed",
                            _ => "",
                        };
                        let quiet = !has_problem && !r.changed;
                        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
                        view! {
                            <tr class=class style:display=move || if quiet && only_problems.get() { "none" } else { "" }>
                                <td class="place">{r.place.clone()}</td>
                                <td>{r.project.clone()}</td>
                                <td>{r.indicator.clone()}</td>
                                <td>{dash(&r.old_actual)}</td>
                                <td class="new-value">{dash(&r.new_actual)}</td>
                                <td>{dash(&r.new_explanation)}</td>
                                <td class="num">{r.weight.map(|w| w.to_string()).unwrap_or_default()}</td>
                                <td class="num">{r.score.map(|s| s.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
                }.into_any()
            }}
            <div class="actions">
                <button type="button" class="btn" disabled=!can_commit on:click=move |_| on_commit(sha.clone())>"确认导入"</button>
                {(c.errors > 0).then(|| view! { <span class="muted">" 请修改表格中的错误后重新上传；有错误时不会写入任何数据。"</span> })}
                {(c.errors == 0 && c.rows_changed == 0).then(|| view! { <span class="muted">" 表格与系统中的数据相同，没有需要写入的内容。"</span> })}
            </div>
        </div>
    }
}

/// The rows of a 运行监控 import: each field old → new, and the sheets' 1–7月 funds.
#[component]
fn MonitoringRows(report: Report, problem_rows: Vec<(String, u32)>, only_problems: RwSignal<bool>) -> impl IntoView {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    let change = move |old: &Option<String>, new: &Option<String>| {
        if old == new {
            dash(new)
        } else {
            format!("{} → {}", dash(old), dash(new))
        }
    };
    let likelihood = |v: &MonitoringValues| v.likelihood.map(|l| l.label().to_owned());
    let money = |v: Option<rust_decimal::Decimal>| v.map(|d| format!("{d} 万元"));
    view! {
        {report.monitoring_funds.into_iter().map(|f| view! {
            <p class="muted" data-testid="monitoring-funds">
                {format!("{}（{}）：1-7月执行数 {}，全年预计执行数 {}", f.project, f.place,
                    change(&money(f.old_executed_jan_jul), &money(f.new_executed_jan_jul)),
                    change(&money(f.old_expected_execution), &money(f.new_expected_execution)))}
            </p>
        }).collect_view()}
        <table class="data-table preview-rows" data-testid="monitoring-rows">
            <thead>
                <tr>
                    <th>"位置"</th><th>"项目"</th><th>"三级指标"</th><th>"1-7月执行情况"</th><th>"全年预计完成情况"</th>
                    <th>"完成目标可能性"</th><th>"偏差原因"</th><th>"纠偏措施"</th>
                </tr>
            </thead>
            <tbody>
                {report.monitoring.into_iter().map(|r| {
                    let has_problem = sheet_row(&r.place).is_some_and(|here| problem_rows.contains(&here));
                    let class = match (has_problem, r.changed) {
                        (true, _) => "row-error",
                        (false, true) => "row-changed",
                        _ => "",
                    };
                    let quiet = !has_problem && !r.changed;
                    let reason = match r.new.deviation_category {
                        Some(c) => format!("[{}] {}", c.label(), change(&r.old.deviation_reason, &r.new.deviation_reason)),
                        None => change(&r.old.deviation_reason, &r.new.deviation_reason),
                    };
                    view! {
                        <tr class=class style:display=move || if quiet && only_problems.get() { "none" } else { "" }>
                            <td class="place">{r.place.clone()}</td>
                            <td>{r.project.clone()}</td>
                            <td>{r.indicator.clone()}</td>
                            <td class="new-value">{change(&r.old.progress, &r.new.progress)}</td>
                            <td>{change(&r.old.forecast, &r.new.forecast)}</td>
                            <td>{change(&likelihood(&r.old), &likelihood(&r.new))}</td>
                            <td>{reason}</td>
                            <td>{change(&r.old.corrective_action, &r.new.corrective_action)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The sheet and 1-based row of a place: "表!G8" and "表!第8行" → ("表", 8).
fn sheet_row(place: &str) -> Option<(String, u32)> {
    let (sheet, cell) = place.rsplit_once('!')?;
    let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
    Some((sheet.to_owned(), digits.parse().ok()?))
}

#[component]
fn RevertOutcome(revert: ServerAction<RevertImport>) -> impl IntoView {
    view! {
        {move || revert.value().get().map(|result| match result {
            Ok(r) if r.committed => view! { <div class="notice notice-success" role="status">"已撤销该次导入，数据已恢复为导入前的值。"</div> }.into_any(),
            Ok(r) => view! {
                <div class="notice notice-error" role="alert">
                    <strong>"无法撤销："</strong>
                    {r.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；")}
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        })}
    }
}

#[component]
fn History(rows: Vec<ImportRecordRow>, revert: ServerAction<RevertImport>) -> impl IntoView {
    view! {
        <table class="data-table history" data-testid="import-history">
            <thead>
                <tr><th>"编号"</th><th>"时间"</th><th>"导入人"</th><th>"内容"</th><th>"文件"</th><th class="num">"读取行数"</th><th class="num">"写入项数"</th><th>"状态"</th><th>"操作"</th></tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let id = r.id;
                    let reverted = r.reverted.is_some();
                    view! {
                        <tr>
                            <td>{id}</td>
                            <td>{r.at}</td>
                            <td>{r.username}</td>
                            <td>{r.kind.label()}</td>
                            <td title=r.sha256>{r.file_name}</td>
                            <td class="num">{r.rows_read}</td>
                            <td class="num">{r.rows_changed}</td>
                            <td>{match r.reverted {
                                Some(text) => view! { <span class="badge status-returned">{text}</span> }.into_any(),
                                None => view! { <span class="badge status-approved">"已导入"</span> }.into_any(),
                            }}</td>
                            <td>
                                <a href=format!("/imports/{id}/report.json") download="">"下载明细"</a>
                                {(!reverted).then(|| view! {
                                    " "
                                    <button type="button" class="btn btn-secondary" disabled=move || revert.pending().get()
                                        on:click=move |_| { revert.dispatch(RevertImport { id }); }>"撤销"</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Posts the form (its file and fields) to `url` with XMLHttpRequest, telling `on_stage` the
/// upload's percent, then — when the server streams its answer (`application/x-ndjson`, the
/// actuals import) — the processing's percent; then the report or the error's message.
#[cfg(feature = "hydrate")]
pub(crate) fn post_form<T: serde::de::DeserializeOwned + 'static>(
    form: &web_sys::HtmlFormElement,
    url: &str,
    on_stage: impl Fn(Stage) + Clone + 'static,
    on_done: impl Fn(Result<T, String>) + 'static,
) {
    use crate::api::AppError;
    use domain::upload::{Progress, UploadLine};
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let done = Rc::new(on_done);
    let start = {
        let done = done.clone();
        move || -> Result<(), wasm_bindgen::JsValue> {
            let data = web_sys::FormData::new_with_form(form)?;
            let xhr = web_sys::XmlHttpRequest::new()?;
            xhr.open("POST", url)?;
            xhr.set_request_header("Accept", "application/x-ndjson, application/json")?;
            let stage = on_stage.clone();
            let sent = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    let percent = (e.loaded() * 100.0 / e.total()) as u32;
                    stage(if percent >= 100 { Stage::Checking } else { Stage::Uploading(percent) });
                }
            });
            xhr.upload()?.set_onprogress(Some(sent.as_ref().unchecked_ref()));
            sent.forget();
            // The streamed answer's progress lines, as they arrive.
            let x = xhr.clone();
            let received = Closure::<dyn FnMut()>::new(move || {
                let text = x.response_text().ok().flatten().unwrap_or_default();
                let last = text.lines().rev().find_map(|l| serde_json::from_str::<UploadLine<Progress>>(l).ok());
                if let Some(UploadLine::Progress(p)) = last {
                    on_stage(Stage::Processing(p.percent()));
                }
            });
            xhr.set_onprogress(Some(received.as_ref().unchecked_ref()));
            received.forget();
            let (x, d) = (xhr.clone(), done.clone());
            let load = Closure::<dyn FnMut()>::new(move || {
                let status = x.status().unwrap_or(0);
                let text = x.response_text().ok().flatten().unwrap_or_default();
                let streamed =
                    x.get_response_header("content-type").ok().flatten().is_some_and(|t| t.contains("ndjson"));
                d(match (status, streamed) {
                    (200, true) => match text
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .map(serde_json::from_str::<UploadLine<T>>)
                    {
                        Some(Ok(UploadLine::Done(report))) => Ok(report),
                        Some(Ok(UploadLine::Failed { message })) => Err(message),
                        _ => Err(AppError::Internal.message()),
                    },
                    (200, false) => serde_json::from_str::<T>(&text).map_err(|_| AppError::Internal.message()),
                    _ => Err(error_message(&text)),
                });
            });
            xhr.set_onload(Some(load.as_ref().unchecked_ref()));
            load.forget();
            let d = done.clone();
            let fail = Closure::<dyn FnMut()>::new(move || d(Err(AppError::Unreachable.message())));
            xhr.set_onerror(Some(fail.as_ref().unchecked_ref()));
            fail.forget();
            xhr.send_with_opt_form_data(Some(&data))
        }
    };
    if start().is_err() {
        done(Err(AppError::Unreachable.message()));
    }
}

/// The message of an error answer (`{"message": …}`), whatever the status.
#[cfg(feature = "hydrate")]
fn error_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| crate::api::AppError::Internal.message())
}
