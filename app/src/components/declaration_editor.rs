use crate::api::{CycleIndicator, SaveIndicator};
use crate::components::{non_blank as opt, refresh_on_success, use_project_state, SaveStatus};
use leptos::prelude::*;

const DIRECTIONS: [&str; 5] = ["≥", "≤", "=", "正向", "反向"];
const BASES: [&str; 4] = ["历史标准", "行业标准", "计划标准", "其他认可标准"];

/// 目标申报: edit each indicator's 指标值, 分值, 指标性质, 取值依据 and ★ while the declaration is
/// 草稿 or 退回 (shown only to those who may edit it). Each row saves on its own.
#[component]
pub fn DeclarationEditor() -> impl IntoView {
    let state = use_project_state();
    let rows = state.cycle.get_untracked().indicators;
    let hydrated = crate::components::use_hydrated();
    let total = move || {
        state.cycle.get().indicators.iter().filter_map(|i| i.weight).sum::<rust_decimal::Decimal>().normalize().to_string()
    };
    view! {
        <Show when=move || state.cycle.get().permissions.edit_declaration>
            <section class="card" id="declaration" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head">
                    <h2>"填报绩效目标"</h2>
                    <span class="muted">{move || format!("评分方案：{} · 指标分值合计 {}", state.cycle.get().profile_label, total())}</span>
                </div>
                <table class="data-table form-table" data-testid="declaration-editor">
                    <thead><tr>
                        <th>"三级指标"</th><th>"指标值"</th><th>"分值"</th><th>"指标性质"</th><th>"取值依据"</th><th>"核心"</th><th></th>
                    </tr></thead>
                    <tbody>
                        {rows.clone().into_iter().map(|row| view! { <DeclarationRow row/> }).collect_view()}
                    </tbody>
                </table>
            </section>
        </Show>
    }.into_any()
}

#[component]
fn DeclarationRow(row: CycleIndicator) -> impl IntoView {
    let state = use_project_state();
    let id = row.id;
    let target = RwSignal::new(row.target_text.clone());
    let weight = RwSignal::new(row.weight.map(|w| w.to_string()).unwrap_or_default());
    let direction = RwSignal::new(row.direction.clone().unwrap_or_default());
    let basis = RwSignal::new(row.basis.clone().unwrap_or_default());
    let core = RwSignal::new(row.core);
    let version = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.version));
    let save = ServerAction::<SaveIndicator>::new();
    refresh_on_success(save.value());
    view! {
        <tr data-indicator=row.name.clone()>
            <td class="l3">{row.core.then_some("★ ")}{row.name.clone()}</td>
            <td><input class="cell" aria-label="指标值" prop:value=move || target.get()
                on:input=move |ev| target.set(event_target_value(&ev))/></td>
            <td><input class="cell num" inputmode="decimal" aria-label="分值" prop:value=move || weight.get()
                on:input=move |ev| weight.set(event_target_value(&ev))/></td>
            <td><select aria-label="指标性质" on:change=move |ev| direction.set(event_target_value(&ev))>
                <option value="" selected=direction.get_untracked().is_empty()>"—"</option>
                {DIRECTIONS.into_iter().map(|d| view! { <option value=d selected=direction.get_untracked() == d>{d}</option> }).collect_view()}
            </select></td>
            <td><select aria-label="取值依据" on:change=move |ev| basis.set(event_target_value(&ev))>
                <option value="" selected=basis.get_untracked().is_empty()>"—"</option>
                {BASES.into_iter().map(|b| view! { <option value=b selected=basis.get_untracked() == b>{b}</option> }).collect_view()}
            </select></td>
            <td><input type="checkbox" aria-label="核心指标" prop:checked=move || core.get()
                on:change=move |ev| core.set(event_target_checked(&ev))/></td>
            <td class="nowrap">
                <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                    save.dispatch(SaveIndicator {
                        indicator_id: id,
                        target_text: target.get_untracked(),
                        weight: opt(weight.get_untracked()),
                        direction: opt(direction.get_untracked()),
                        basis: opt(basis.get_untracked()),
                        core: Some(core.get_untracked()),
                        expected_version: version(),
                    });
                }>"保存"</button>
                <SaveStatus value=save.value() pending=save.pending()/>
            </td>
        </tr>
    }.into_any()
}
