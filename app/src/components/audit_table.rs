use crate::api::AuditRow;
use leptos::prelude::*;

/// The audit trail: who, when, what, old → new, every field and action by its Chinese name.
#[component]
pub fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"暂无操作记录"</p> }.into_any();
    }
    view! {
        <table class="data-table audit" data-testid="audit">
            <thead><tr><th>"时间"</th><th>"用户"</th><th>"操作"</th><th>"内容"</th><th>"原值"</th><th>"新值"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let (old, new) = r.values();
                    view! {
                        <tr>
                            <td class="nowrap">{r.at.clone()}</td>
                            <td>{r.username.clone()}</td>
                            <td>{r.action.label()}</td>
                            <td>{r.subject()}</td>
                            <td>{old}</td>
                            <td>{new}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
