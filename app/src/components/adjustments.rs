use crate::api::{DecideAdjustment, ProposeAdjustment, VersionView};
use crate::components::{refresh_on_success, use_project_state, FormErrors, SaveStatus, TextAreaCell, TextCell};
use domain::vocab::{Field, VersionState};
use leptos::prelude::*;

/// 目标版本与调整: every approved version with who/when/why and what changed; the department's
/// form to request a mid-year 调整 of one indicator; the finance bureau's 同意 / 不同意.
#[component]
pub fn Adjustments() -> impl IntoView {
    let state = use_project_state();
    let hydrated = crate::components::use_hydrated();
    let decide = ServerAction::<DecideAdjustment>::new();
    refresh_on_success(decide.value());
    let note = RwSignal::new(String::new());
    let versions = move || state.cycle.get().versions;
    view! {
        <Show when=move || !state.cycle.get().versions.is_empty()>
            <section class="card" id="versions" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head"><h2>"目标版本与调整"</h2>
                    <span class="muted">"评分使用现行版本的指标值和分值"</span></div>
                <table class="data-table" data-testid="versions">
                    <thead><tr><th>"版本"</th><th>"状态"</th><th>"原因"</th><th>"提出"</th><th>"审核"</th><th>"调整内容"</th></tr></thead>
                    <tbody>
                        <For each=versions key=|v| (v.id, v.state) let:v>
                            <VersionRow v decide note/>
                        </For>
                    </tbody>
                </table>
                <SaveStatus value=decide.value() pending=decide.pending() ok_text="已处理"/>
                <Show when=move || state.cycle.get().permissions.propose_adjustment>
                    <ProposeForm/>
                </Show>
            </section>
        </Show>
    }.into_any()
}

#[component]
fn VersionRow(v: VersionView, decide: ServerAction<DecideAdjustment>, note: RwSignal<String>) -> impl IntoView {
    let state = use_project_state();
    let id = v.id;
    let pending = v.state == VersionState::Pending;
    let changes = v
        .changes
        .iter()
        .map(|(name, old, new)| view! { <li><strong>{name.clone()}</strong>"："{old.clone()}" → "{new.clone()}</li> })
        .collect_view();
    view! {
        <tr data-version=v.number>
            <td class="nowrap">{format!("第 {} 版", v.number)}</td>
            <td><span class=format!("badge version-{}", v.state.key())>{v.state.label()}</span></td>
            <td>{v.reason.clone().unwrap_or_default()}</td>
            <td class="nowrap">{v.created_by.clone()}<br/><span class="muted">{v.created_at.clone()}</span></td>
            <td class="nowrap">
                {v.decided_by.clone().unwrap_or_default()}<br/>
                <span class="muted">{v.decided_at.clone().unwrap_or_default()}</span>
                {v.decision_note.clone().map(|n| view! { <div>{n}</div> })}
            </td>
            <td>
                <ul class="changes">{changes}</ul>
                <Show when=move || pending && state.cycle.get().permissions.decide_adjustment>
                    <div class="decide">
                        <input class="cell" placeholder="审核意见（不同意时必填）" aria-label="审核意见"
                            prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                        <button class="btn btn-primary" disabled=move || decide.pending().get() on:click=move |_| {
                            decide.dispatch(DecideAdjustment { version_id: id, approve: true, note: Some(note.get_untracked()) });
                        }>"同意调整"</button>
                        <button class="btn btn-danger" disabled=move || decide.pending().get() on:click=move |_| {
                            decide.dispatch(DecideAdjustment { version_id: id, approve: false, note: Some(note.get_untracked()) });
                        }>"不同意"</button>
                    </div>
                </Show>
            </td>
        </tr>
    }.into_any()
}

#[component]
fn ProposeForm() -> impl IntoView {
    let state = use_project_state();
    let indicators = state.cycle.get_untracked().indicators;
    let first = indicators.first().cloned();
    let indicator = RwSignal::new(first.as_ref().map_or(0, |i| i.id));
    let target = RwSignal::new(first.as_ref().map(|i| i.target_text.clone()).unwrap_or_default());
    let weight = RwSignal::new(first.as_ref().and_then(|i| i.weight).map(|w| w.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let propose = ServerAction::<ProposeAdjustment>::new();
    let errors = FormErrors::of(propose);
    refresh_on_success(propose.value());
    let pick = move |id: i32| {
        indicator.set(id);
        if let Some(i) = state.cycle.get_untracked().indicators.into_iter().find(|i| i.id == id) {
            target.set(i.target_text);
            weight.set(i.weight.map(|w| w.to_string()).unwrap_or_default());
        }
    };
    view! {
        <form class="form inline-form" data-testid="propose-adjustment" on:submit=move |ev| {
            ev.prevent_default();
            propose.dispatch(ProposeAdjustment {
                project_id: state.project_id,
                indicator_id: indicator.get_untracked(),
                target_text: target.get_untracked(),
                weight: Some(weight.get_untracked()),
                reason: reason.get_untracked(),
            });
        }>
            <h3>"申请调整绩效目标"</h3>
            <label>"指标"
                <select on:change=move |ev| pick(event_target_value(&ev).parse().unwrap_or(0))>
                    {indicators.iter().map(|i| view! { <option value=i.id>{format!("{} / {}", i.level2, i.name)}</option> }).collect_view()}
                </select>
            </label>
            <label>"调整后的指标值"<TextCell value=target label="调整后的指标值" field=Field::TargetText errors/></label>
            <label>"分值"<TextCell value=weight label="分值" numeric=true field=Field::Weight errors/></label>
            <label>"调整原因"<TextAreaCell value=reason label="调整原因" field=Field::AdjustmentReason errors/></label>
            <div>
                <button class="btn btn-primary" type="submit" disabled=move || propose.pending().get()>"提交调整申请"</button>
                " "
                <SaveStatus value=propose.value() pending=propose.pending() ok_text="已提交，等待财政局审核"/>
            </div>
        </form>
    }.into_any()
}
