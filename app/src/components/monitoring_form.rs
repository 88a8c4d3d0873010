use crate::api::{CycleIndicator, SaveMonitoring, SaveMonitoringFunds};
use crate::components::{non_blank as opt, phase_open, refresh_on_success, use_project_state, SaveStatus};
use domain::money::format_wan;
use domain::workflow::{Likelihood, DEVIATION_CATEGORIES};
use leptos::prelude::*;

/// 运行监控 (绩效运行监控表): 1–7月 budget execution and, per indicator, 1–7月执行情况,
/// 全年预计完成情况, 完成目标可能性 and — for 有可能 / 完全不可能 — 偏差原因 and 纠偏措施.
/// Inputs are enabled only while the user may edit the phase.
#[component]
pub fn MonitoringForm() -> impl IntoView {
    let state = use_project_state();
    let open = phase_open("monitoring");
    let hydrated = crate::components::use_hydrated();
    let rows = state.cycle.get_untracked().indicators;
    view! {
        <Show when=open>
            <section class="card" id="monitoring" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head"><h2>"运行监控"</h2><span class="muted">"1–7月执行情况及全年预计"</span></div>
                <MonitoringFunds/>
                <table class="data-table form-table" data-testid="monitoring">
                    <thead><tr>
                        <th>"三级指标"</th><th>"年度指标值"</th><th>"1–7月执行情况"</th><th>"全年预计完成情况"</th>
                        <th>"完成目标可能性"</th><th>"偏差原因"</th><th>"纠偏措施"</th><th></th>
                    </tr></thead>
                    <tbody>{rows.clone().into_iter().map(|row| view! { <MonitoringRow row/> }).collect_view()}</tbody>
                </table>
            </section>
        </Show>
    }.into_any()
}

#[component]
fn MonitoringFunds() -> impl IntoView {
    let state = use_project_state();
    let funds = state.cycle.get_untracked().funds;
    let jan_jul = RwSignal::new(funds.executed_jan_jul.map(|d| d.to_string()).unwrap_or_default());
    let expected = RwSignal::new(funds.expected_execution.map(|d| d.to_string()).unwrap_or_default());
    let editable = move || state.cycle.get().permissions.edit_monitoring;
    let save = ServerAction::<SaveMonitoringFunds>::new();
    refresh_on_success(save.value());
    let rate = move || {
        let c = state.cycle.get();
        let budget = c.funds.budget_initial.unwrap_or_default();
        match (c.funds.executed_jan_jul, budget.is_zero()) {
            (Some(done), false) => format!("{}%", (done / budget * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2)),
            _ => "—".to_owned(),
        }
    };
    view! {
        <div class="funds-form">
            <label>"1–7月执行数（万元）"<input class="cell num" inputmode="decimal" prop:disabled=move || !editable()
                prop:value=move || jan_jul.get() on:input=move |ev| jan_jul.set(event_target_value(&ev))/></label>
            <label>"全年预计执行数（万元）"<input class="cell num" inputmode="decimal" prop:disabled=move || !editable()
                prop:value=move || expected.get() on:input=move |ev| expected.set(event_target_value(&ev))/></label>
            <span class="muted">"年初预算数 "{move || state.cycle.get().funds.budget_initial.map(format_wan).unwrap_or_else(|| "未填".into())}
                " · 1–7月执行率 "{rate}</span>
            <Show when=editable>
                <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                    save.dispatch(SaveMonitoringFunds {
                        project_id: state.project_id,
                        executed_jan_jul: opt(jan_jul.get_untracked()),
                        expected_execution: opt(expected.get_untracked()),
                        expected_version: state.cycle.get_untracked().project_version,
                    });
                }>"保存资金执行"</button>
            </Show>
            <SaveStatus value=save.value() pending=save.pending()/>
        </div>
    }.into_any()
}

#[component]
fn MonitoringRow(row: CycleIndicator) -> impl IntoView {
    let state = use_project_state();
    let id = row.id;
    let m = row.monitoring.clone();
    let progress = RwSignal::new(m.progress.unwrap_or_default());
    let forecast = RwSignal::new(m.forecast.unwrap_or_default());
    let likelihood = RwSignal::new(m.likelihood.unwrap_or_default());
    let category = RwSignal::new(m.deviation_category.unwrap_or_default());
    let reason = RwSignal::new(m.deviation_reason.unwrap_or_default());
    let corrective = RwSignal::new(m.corrective_action.unwrap_or_default());
    let editable = move || state.cycle.get().permissions.edit_monitoring;
    let version = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.monitoring.version));
    let target = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map(|i| i.target_text.clone()).unwrap_or_default());
    let needs_reason = move || Likelihood::parse(&likelihood.get()).is_some_and(|l| l.needs_explanation());
    let save = ServerAction::<SaveMonitoring>::new();
    refresh_on_success(save.value());
    let initial_likelihood = likelihood.get_untracked();
    let initial_category = category.get_untracked();
    view! {
        <tr data-indicator=row.name.clone() class:attention=needs_reason>
            <td class="l3">{row.name.clone()}</td>
            <td class="target">{target}</td>
            <td><textarea class="cell" rows="2" aria-label="1–7月执行情况" prop:disabled=move || !editable()
                prop:value=move || progress.get() on:input=move |ev| progress.set(event_target_value(&ev))></textarea></td>
            <td><textarea class="cell" rows="2" aria-label="全年预计完成情况" prop:disabled=move || !editable()
                prop:value=move || forecast.get() on:input=move |ev| forecast.set(event_target_value(&ev))></textarea></td>
            <td><select aria-label="完成目标可能性" prop:disabled=move || !editable() on:change=move |ev| likelihood.set(event_target_value(&ev))>
                <option value="" selected=initial_likelihood.is_empty()>"请选择"</option>
                {Likelihood::ALL.into_iter().map(|l| view! {
                    <option value=l.key() selected=initial_likelihood == l.key()>{l.label()}</option>
                }).collect_view()}
            </select></td>
            <td>
                <select aria-label="偏差原因类别" prop:disabled=move || !editable() on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="" selected=initial_category.is_empty()>"类别"</option>
                    {DEVIATION_CATEGORIES.into_iter().map(|c| view! { <option value=c selected=initial_category == c>{c}</option> }).collect_view()}
                </select>
                <textarea class="cell" rows="2" aria-label="偏差原因" prop:disabled=move || !editable()
                    placeholder=move || if needs_reason() { "须填写偏差原因" } else { "" }
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </td>
            <td><textarea class="cell" rows="2" aria-label="纠偏措施" prop:disabled=move || !editable()
                placeholder=move || if needs_reason() { "须填写纠偏措施" } else { "" }
                prop:value=move || corrective.get() on:input=move |ev| corrective.set(event_target_value(&ev))></textarea></td>
            <td class="nowrap">
                <Show when=editable>
                    <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                        save.dispatch(SaveMonitoring {
                            indicator_id: id,
                            progress: opt(progress.get_untracked()),
                            forecast: opt(forecast.get_untracked()),
                            likelihood: opt(likelihood.get_untracked()),
                            deviation_category: opt(category.get_untracked()),
                            deviation_reason: opt(reason.get_untracked()),
                            corrective_action: opt(corrective.get_untracked()),
                            expected_version: version(),
                        });
                    }>"保存"</button>
                </Show>
                <SaveStatus value=save.value() pending=save.pending()/>
            </td>
        </tr>
    }.into_any()
}
