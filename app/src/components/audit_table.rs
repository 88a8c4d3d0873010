use crate::api::AuditRow;
use leptos::prelude::*;

/// The audit trail: who, when, what, old → new.
#[component]
pub fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"暂无操作记录"</p> }.into_any();
    }
    view! {
        <table class="data-table audit" data-testid="audit">
            <thead><tr><th>"时间"</th><th>"用户"</th><th>"操作"</th><th>"内容"</th><th>"原值"</th><th>"新值"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td class="nowrap">{r.at}</td>
                        <td>{r.username}</td>
                        <td>{action_label(&r.action).to_owned()}</td>
                        <td>{field_label(r.field.as_deref().unwrap_or(&r.entity)).to_owned()}</td>
                        <td>{r.old_value.unwrap_or_default()}</td>
                        <td>{r.new_value.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn action_label(action: &str) -> &str {
    match action {
        "create" => "新建",
        "update" => "修改",
        "transition" => "流程",
        "login" => "登录",
        "login_failed" => "登录失败",
        other => other,
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "status" => "状态",
        "return_reason" => "原因",
        "target_text" => "指标值",
        "project_phase" => "流程",
        "indicator" => "指标",
        "project" => "项目",
        other => other,
    }
}
