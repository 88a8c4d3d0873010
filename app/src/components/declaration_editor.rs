use crate::api::{CycleIndicator, SaveIndicator};
use crate::components::{
    non_blank as opt, refresh_on_success, use_project_state, CheckCell, ChoiceCell, FormErrors, SaveStatus, TextCell,
};
use domain::vocab::Field;
use leptos::prelude::*;

/// 目标申报: edit each indicator's 指标值, 分值, 指标性质, 取值依据 and ★ while the declaration is
/// 草稿 or 退回 (shown only to those who may edit it). Each row saves on its own.
#[component]
pub fn DeclarationEditor() -> impl IntoView {
    let state = use_project_state();
    let rows = state.cycle.get_untracked().indicators;
    let hydrated = crate::components::use_hydrated();
    let total = move || {
        state
            .cycle
            .get()
            .indicators
            .iter()
            .filter_map(|i| i.weight)
            .sum::<rust_decimal::Decimal>()
            .normalize()
            .to_string()
    };
    view! {
        <Show when=move || state.cycle.get().permissions.edit_declaration>
            <section class="card" id="declaration" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head">
                    <h2>"填报绩效目标"</h2>
                    <span class="muted">{move || {
                        let profile = state.cycle.get().profile;
                        format!("评分方案：{}：{} · 指标分值合计 {}", profile.key(), profile.label(), total())
                    }}</span>
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
    let direction = RwSignal::new(row.direction);
    let basis = RwSignal::new(row.basis);
    let core = RwSignal::new(row.core);
    let version = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.version));
    let save = ServerAction::<SaveIndicator>::new();
    let errors = FormErrors::of(save);
    refresh_on_success(save.value());
    view! {
        <tr data-indicator=row.name.clone()>
            <td class="l3">{row.core.then_some("★ ")}{row.name.clone()}</td>
            <td><TextCell value=target label="指标值" field=Field::TargetText errors/></td>
            <td><TextCell value=weight label="分值" numeric=true field=Field::Weight errors/></td>
            <td><ChoiceCell value=direction label="指标性质" none="—"/></td>
            <td><ChoiceCell value=basis label="取值依据" none="—"/></td>
            <td><CheckCell value=core label="核心指标"/></td>
            <td class="nowrap">
                <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                    save.dispatch(SaveIndicator {
                        indicator_id: id,
                        target_text: target.get_untracked(),
                        weight: opt(weight.get_untracked()),
                        direction: direction.get_untracked(),
                        basis: basis.get_untracked(),
                        core: Some(core.get_untracked()),
                        expected_version: version(),
                    });
                }>"保存"</button>
                <SaveStatus value=save.value() pending=save.pending()/>
            </td>
        </tr>
    }
    .into_any()
}
