use crate::api::{CycleIndicator, SaveMonitoring, SaveMonitoringFunds};
use crate::components::{
    non_blank as opt, phase_open, refresh_on_success, use_project_state, ChoiceCell, FormErrors, SaveStatus,
    TextAreaCell, TextCell,
};
use domain::money::format_wan;
use domain::vocab::{Field, Phase};
use leptos::prelude::*;

/// 运行监控 (绩效运行监控表): 1–7月 budget execution and, per indicator, 1–7月执行情况,
/// 全年预计完成情况, 完成目标可能性 and — for 有可能 / 完全不可能 — 偏差原因 and 纠偏措施.
/// Inputs are enabled only while the user may edit the phase.
#[component]
pub fn MonitoringForm() -> impl IntoView {
    let state = use_project_state();
    let open = phase_open(Phase::Monitoring);
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
    }
    .into_any()
}

#[component]
fn MonitoringFunds() -> impl IntoView {
    let state = use_project_state();
    let funds = state.cycle.get_untracked().funds;
    let jan_jul = RwSignal::new(funds.executed_jan_jul.map(|d| d.to_string()).unwrap_or_default());
    let expected = RwSignal::new(funds.expected_execution.map(|d| d.to_string()).unwrap_or_default());
    let editable = move || state.cycle.get().permissions.edit_monitoring;
    let disabled = Signal::derive(move || !editable());
    let save = ServerAction::<SaveMonitoringFunds>::new();
    let errors = FormErrors::of(save);
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
            <label>"1–7月执行数（万元）"
                <TextCell value=jan_jul label="1–7月执行数（万元）" numeric=true disabled field=Field::ExecutedJanJul errors/></label>
            <label>"全年预计执行数（万元）"
                <TextCell value=expected label="全年预计执行数（万元）" numeric=true disabled field=Field::ExpectedExecution errors/></label>
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
    let likelihood = RwSignal::new(m.likelihood);
    let category = RwSignal::new(m.deviation_category);
    let reason = RwSignal::new(m.deviation_reason.unwrap_or_default());
    let corrective = RwSignal::new(m.corrective_action.unwrap_or_default());
    let editable = move || state.cycle.get().permissions.edit_monitoring;
    let disabled = Signal::derive(move || !editable());
    let version =
        move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.monitoring.version));
    let target = move || {
        state
            .cycle
            .with(|c| c.indicators.iter().find(|i| i.id == id).map(|i| i.target_text.clone()).unwrap_or_default())
    };
    let needs_reason = move || likelihood.get().is_some_and(|l| l.needs_explanation());
    let required = move |what: &str| if needs_reason() { format!("须填写{what}") } else { String::new() };
    let save = ServerAction::<SaveMonitoring>::new();
    let errors = FormErrors::of(save);
    refresh_on_success(save.value());
    view! {
        <tr data-indicator=row.name.clone() class:attention=needs_reason>
            <td class="l3">{row.name.clone()}</td>
            <td class="target">{target}</td>
            <td><TextAreaCell value=progress label="1–7月执行情况" disabled field=Field::Progress errors/></td>
            <td><TextAreaCell value=forecast label="全年预计完成情况" disabled field=Field::Forecast errors/></td>
            <td><ChoiceCell value=likelihood label="完成目标可能性" none="请选择" disabled/></td>
            <td>
                <ChoiceCell value=category label="偏差原因类别" none="类别" disabled/>
                <TextAreaCell value=reason label="偏差原因" disabled placeholder=Signal::derive(move || required("偏差原因"))
                    field=Field::DeviationReason errors/>
            </td>
            <td><TextAreaCell value=corrective label="纠偏措施" disabled placeholder=Signal::derive(move || required("纠偏措施"))
                field=Field::CorrectiveAction errors/></td>
            <td class="nowrap">
                <Show when=editable>
                    <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                        save.dispatch(SaveMonitoring {
                            indicator_id: id,
                            progress: opt(progress.get_untracked()),
                            forecast: opt(forecast.get_untracked()),
                            likelihood: likelihood.get_untracked(),
                            deviation_category: category.get_untracked(),
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
