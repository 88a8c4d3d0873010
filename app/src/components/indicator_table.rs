use crate::api::CycleIndicator;
use domain::tree::{group, Level1};
use leptos::prelude::*;

/// The 三级指标 table grouped by 一级 / 二级; each 一级 group is a row group that collapses.
#[component]
pub fn IndicatorTable(indicators: Signal<Vec<CycleIndicator>>) -> impl IntoView {
    let tree = move || group(indicators.get(), |r| (r.level1.as_str(), r.level2.as_str()));
    let hydrated = crate::components::use_hydrated();
    view! {
        <table class="data-table indicators" data-hydrated=move || hydrated.get().to_string()>
            <thead>
                <tr>
                    <th class="col-l2">"二级指标"</th>
                    <th>"三级指标"</th>
                    <th>"指标值"</th>
                    <th class="num">"分值"</th>
                </tr>
            </thead>
            <For each=tree key=content_key let:level1>
                <Level1Group level1/>
            </For>
        </table>
    }
}

/// What a row shows: id, 指标值, 分值, 核心指标.
type RowContent = (i32, String, Option<rust_decimal::Decimal>, bool);

/// A group re-renders when any of its rows' shown content changes (not only its size), so saved
/// targets show at once.
fn content_key(g: &Level1<CycleIndicator>) -> (String, Vec<RowContent>) {
    let rows = g.groups.iter().flat_map(|l2| l2.rows.iter().map(|r| (r.id, r.target_text.clone(), r.weight, r.core)));
    (g.name.clone(), rows.collect())
}

#[component]
fn Level1Group(level1: Level1<CycleIndicator>) -> impl IntoView {
    let open = RwSignal::new(true);
    let count = level1.len();
    let name = level1.name.clone();
    let rows = level1
        .groups
        .into_iter()
        .flat_map(|g| {
            let span = g.rows.len();
            g.rows.into_iter().enumerate().map(move |(i, r)| (i == 0, span, g.name.clone(), r))
        })
        .map(|(first, span, l2, r)| {
            view! {
                <tr class="indicator-row">
                    {first.then(|| view! { <td class="l2" rowspan=span>{l2}</td> })}
                    <td class="l3">{r.core.then_some(view! { <span class="core" title="核心指标">"★"</span> })}{r.name}</td>
                    <td class="target">{r.target_text}</td>
                    <td class="num">{r.weight.map(|w| w.normalize().to_string()).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tbody class="level1" class:collapsed=move || !open.get() data-level1=name.clone()>
            <tr class="level1-head">
                <th colspan="4" scope="rowgroup">
                    <button class="toggle" aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>
                        <span class="chevron" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                        {name.clone()}
                        <span class="count">{format!("{count} 项")}</span>
                    </button>
                </th>
            </tr>
            {rows}
        </tbody>
    }
}
