use crate::api::{CopyProject, PhaseView, TransitionPhase};
use crate::components::{use_project_state, AuditTable};
use domain::vocab::ActionKind;
use leptos::prelude::*;

/// 流程状态: the three phases with coloured status badges, the 退回 reason shown to the
/// department, and the actions the signed-in user may take (reasons asked where required).
/// The page state reloads after every action.
#[component]
pub fn WorkflowPanel() -> impl IntoView {
    let state = use_project_state();
    let project_id = state.project_id;
    let transition = ServerAction::<TransitionPhase>::new();
    // A refusal changes nothing, but the page may be stale, so reload either way.
    Effect::new(move |_| {
        if transition.version().get() > 0 {
            state.refresh.dispatch(());
        }
    });
    let outcome = move || match transition.value().get() {
        Some(Err(e)) => Some(
            view! { <p class="notice notice-error" role="alert" data-testid="workflow-error">{e.message()}</p> }
                .into_any(),
        ),
        Some(Ok(())) => Some(view! { <p class="notice notice-ok" role="status">"操作成功"</p> }.into_any()),
        None => None,
    };
    view! {
        <section class="card" id="workflow">
            <div class="card-head"><h2>"流程状态"</h2></div>
            {outcome}
            <div class="phases">
                {move || state.phases.get().into_iter().map(|p| view! { <PhaseCard project_id phase=p transition/> }).collect_view()}
            </div>
            <CopyToNextYear/>
        </section>
    }.into_any()
}

/// 复制到下一年度: a new draft of this project in the next fiscal year, opened once copied.
#[component]
fn CopyToNextYear() -> impl IntoView {
    let state = use_project_state();
    let project_id = state.project_id;
    let copy = ServerAction::<CopyProject>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = copy.value().get() {
            crate::components::load_page(&format!("/projects/{id}"));
        }
    });
    move || {
        state.cycle.get().permissions.copy_to_year.map(|year| {
            view! {
                <div class="copy-project">
                    <button class="btn btn-secondary" disabled=move || copy.pending().get()
                        on:click=move |_| { copy.dispatch(CopyProject { project_id }); }>
                        {format!("复制到{year}年度")}
                    </button>
                    <span class="muted">"以本项目的指标和目标为起点，新建下一年度的草稿项目。"</span>
                    {move || match copy.value().get() {
                        Some(Err(e)) => Some(view! { <p class="notice notice-error" role="alert">{e.message()}</p> }),
                        _ => None,
                    }}
                </div>
            }
        })
    }
}

/// 操作记录: the project's audit trail (newest first), reloaded with the page state, and its CSV
/// export.
#[component]
pub fn AuditPanel() -> impl IntoView {
    let state = use_project_state();
    let project_id = state.project_id;
    view! {
        <section class="card" id="audit">
            <div class="card-head">
                <h2>"操作记录"</h2>
                <a class="btn btn-secondary" href=format!("/projects/{project_id}/audit.csv") download>"导出 CSV"</a>
            </div>
            {move || {
                let page = state.audit.get();
                let shown = page.rows.len() as u64;
                let note = (page.total > shown)
                    .then(|| view! { <p class="muted" data-testid="audit-more">{format!("共 {} 条，这里显示最新 {shown} 条；全部记录请导出 CSV", page.total)}</p> });
                view! { {note} <AuditTable rows=page.rows/> }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn PhaseCard(project_id: i32, phase: PhaseView, transition: ServerAction<TransitionPhase>) -> impl IntoView {
    let PhaseView { phase, status, return_reason, version, available, actions } = phase;
    let reason = RwSignal::new(String::new());
    let hydrated = crate::components::use_hydrated();
    let needs_reason = actions.iter().any(|a| a.needs_reason());
    let testid = format!("phase-{}", phase.key());
    let buttons = actions
        .into_iter()
        .map(|action| {
            let class = if action == ActionKind::Return { "btn btn-danger" } else { "btn btn-primary" };
            view! {
                <button class=class disabled=move || transition.pending().get() on:click=move |_| {
                    transition.dispatch(TransitionPhase {
                        project_id,
                        phase,
                        action,
                        reason: action.needs_reason().then(|| reason.get_untracked()),
                        expected_version: version,
                    });
                }>{action.label_in(phase)}</button>
            }
        })
        .collect_view();
    view! {
        <div class="phase" class:unavailable=!available data-testid=testid data-hydrated=move || hydrated.get().to_string()>
            <div class="phase-head">
                <strong>{phase.label()}</strong>
                <span class=format!("badge status-{}", status.key()) data-testid="status">{status.label()}</span>
            </div>
            {(!available).then(|| view! { <p class="muted">"目标申报批复后开放"</p> })}
            {return_reason.map(|r| view! { <p class="return-reason"><strong>"原因："</strong>{r}</p> })}
            {needs_reason.then(|| view! {
                <textarea class="reason" rows="2" placeholder="退回或重新打开须填写原因"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            })}
            <div class="phase-actions">{buttons}</div>
        </div>
    }
}
