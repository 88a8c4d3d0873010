//! 导入绩效目标表 (on 批量导入): a 绩效目标表 / 申报表 — a Word document, a workbook, or text copied
//! from a published table — uploaded with a progress bar; the preview lists each table as the
//! project it will become (header, every indicator row with how its 指标值 reads) and every
//! problem at its line; the commit creates the draft projects in one piece, nothing on any error.

use super::imports::{Stage, UploadForm, UploadProgress};
use crate::api::{new_project_options, NewProjectChoices};
use crate::components::ErrorNotice;
use domain::money::format_wan;
use domain::upload::{Severity, TargetsReport};

/// Where 绩效目标表 files are uploaded (server/src/files.rs).
const UPLOAD_PATH: &str = "/import/targets";
use leptos::prelude::*;

/// The section, for those who may create projects (department users, administrators).
#[component]
pub fn TargetsImport() -> impl IntoView {
    let options = Resource::new(|| (), |_| new_project_options());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) if o.years.is_empty() => view! {
                        <p class="empty-state">"还没有开放的年度，请联系系统管理员在“系统管理”中新增年度。"</p>
                    }.into_any(),
                    Ok(o) => view! { <TargetsUploader options=o/> }.into_any(),
                    Err(crate::api::AppError::Refused(_)) => view! {
                        <p class="muted">"绩效目标表由部门填报人员或系统管理员导入。"</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TargetsUploader(options: NewProjectChoices) -> impl IntoView {
    let upload = UploadForm::<TargetsReport>::new();
    let UploadForm { form, stage, preview, done, error } = upload;
    let send = move |commit: Option<String>| upload.send(UPLOAD_PATH, commit, || {});
    let several = options.departments.len() > 1;
    let clear = move || upload.clear();
    view! {
        <form node_ref=form class="upload-form" method="post" action=UPLOAD_PATH enctype="multipart/form-data"
            data-testid="targets-form" on:submit=move |ev| { ev.prevent_default(); send(None); }>
            <div class="form-grid">
                <label><span>"导入到年度"</span>
                    <select name="year" aria-label="导入到年度" on:change=move |_| clear()>
                        {options.years.iter().map(|y| view! { <option value=y.to_string()>{format!("{y}年度")}</option> }).collect_view()}
                    </select>
                </label>
                <label><span>"主管部门"</span>
                    {if several {
                        view! {
                            <select name="department_id" aria-label="导入到部门" on:change=move |_| clear()>
                                {options.departments.iter().map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                            </select>
                        }.into_any()
                    } else {
                        view! { <strong>{options.departments.first().map(|d| d.1.clone()).unwrap_or_default()}</strong> }.into_any()
                    }}
                </label>
            </div>
            <label class="drop-zone">
                <input type="file" name="file" accept=".docx,.xlsx,.xls,.ods,.txt" required data-testid="targets-file"
                    on:change=move |_| clear()/>
                <span>"把绩效目标表（.docx / .xlsx / .xls / .ods，或从网页、PDF 复制后存成的 .txt）拖到这里，或点击选择文件"</span>
            </label>
            <button type="submit" class="btn" disabled=move || stage.get() != Stage::Idle>"上传并预览"</button>
        </form>
        <UploadProgress stage/>
        {move || error.get().map(|m| view! {
            <div class="notice notice-error" role="alert" data-testid="targets-error"><strong>"无法导入："</strong>{m}</div>
        })}
        {move || done.get().map(|r| view! {
            <div class="notice notice-success" role="status" data-testid="targets-done">
                {format!("已创建 {} 个项目（草稿），可在项目页继续修改并提交：", r.projects.len())}
                <ul>
                    {r.projects.into_iter().filter_map(|p| p.project_id.map(|id| view! {
                        <li><a href=format!("/projects/{id}")>{p.name}</a></li>
                    })).collect_view()}
                </ul>
            </div>
        })}
        {move || preview.get().map(|r| view! { <TargetsPreview report=r on_commit=move |sha| send(Some(sha))/> })}
    }
}

#[component]
fn TargetsPreview(report: TargetsReport, on_commit: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let errors = report.errors();
    let rows: usize = report.projects.iter().map(|p| p.rows.len()).sum();
    let sha = report.sha256.clone();
    let error_places: Vec<String> =
        report.problems.iter().filter(|p| p.severity == Severity::Error).map(|p| p.place.clone()).collect();
    view! {
        <div class="preview" data-testid="targets-preview">
            <p class="summary" data-testid="targets-summary">
                {format!(
                    "《{}》：{} 个项目、{} 项指标，将作为 {} 年度“{}”的草稿导入；错误 {} 个，提示 {} 个。",
                    report.file_name, report.projects.len(), rows, report.year, report.department,
                    errors, report.problems.len() - errors
                )}
            </p>
            {(!report.problems.is_empty()).then(|| view! {
                <ul class="problems" data-testid="targets-problems">
                    {report.problems.iter().map(|p| view! {
                        <li class=if p.severity == Severity::Error { "problem problem-error" } else { "problem problem-warning" }>
                            {if p.severity == Severity::Error { "错误 " } else { "提示 " }}{p.to_string()}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {report.projects.iter().map(|p| {
                let funds = p.funds_total.map(format_wan).unwrap_or_else(|| "—".to_owned());
                let unit = p.implementing_unit.clone().unwrap_or_else(|| "—".to_owned());
                let places = error_places.clone();
                view! {
                    <h3 data-testid="targets-project">{p.name.clone()}</h3>
                    <p class="muted">{format!("实施单位：{unit}；年度资金总额：{funds} 万元；年度目标 {} 条", p.annual_goals)}</p>
                    <table class="data-table preview-rows">
                        <thead>
                            <tr><th>"位置"</th><th>"一级指标"</th><th>"二级指标"</th><th>"三级指标"</th><th>"指标值"</th><th>"读作"</th><th class="num">"分值"</th></tr>
                        </thead>
                        <tbody>
                            {p.rows.iter().map(|r| view! {
                                <tr class=if places.contains(&r.place) { "row-error" } else { "" }>
                                    <td class="place">{r.place.clone()}</td>
                                    <td>{r.level1.clone()}</td>
                                    <td>{r.level2.clone()}</td>
                                    <td>{r.name.clone()}</td>
                                    <td class="new-value">{r.target_text.clone()}</td>
                                    <td class="muted">{r.reading.clone()}</td>
                                    <td class="num">{r.weight.map(|w| w.normalize().to_string()).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }).collect_view()}
            <div class="actions">
                <button type="button" class="btn" disabled={errors > 0} on:click=move |_| on_commit(sha.clone())>"确认导入"</button>
                {(errors > 0).then(|| view! { <span class="muted">" 请修改文件中的错误后重新上传；有错误时不会创建任何项目。"</span> })}
            </div>
        </div>
    }
}
