use crate::api::{
    get_audit, get_cycle, get_workflow, project_charts, AppError, AuditPage, ChartView, CycleView, PhaseView,
};
use domain::vocab::Phase;
use leptos::prelude::*;

/// What the project page's parts share: the workflow status, the audit trail and the cycle's
/// content, all arriving with the page, and one `refresh` that reloads all three after any
/// change (a transition changes what may be edited; every edit adds audit rows).
#[derive(Clone, Copy)]
pub struct ProjectState {
    pub project_id: i32,
    pub phases: RwSignal<Vec<PhaseView>>,
    pub audit: RwSignal<AuditPage>,
    pub cycle: RwSignal<CycleView>,
    pub charts: RwSignal<Vec<ChartView>>,
    pub refresh: Action<(), ()>,
}

impl ProjectState {
    /// Creates the state and provides it to the page's components.
    pub fn provide(
        project_id: i32,
        phases: Vec<PhaseView>,
        audit: AuditPage,
        cycle: CycleView,
        charts: Vec<ChartView>,
    ) -> ProjectState {
        let phases = RwSignal::new(phases);
        let audit = RwSignal::new(audit);
        let cycle = RwSignal::new(cycle);
        let charts = RwSignal::new(charts);
        let refresh = Action::new(move |_: &()| async move {
            if let Ok(p) = get_workflow(project_id).await {
                phases.set(p);
            }
            if let Ok(a) = get_audit(project_id).await {
                audit.set(a);
            }
            if let Ok(c) = get_cycle(project_id).await {
                cycle.set(c);
            }
            if let Ok(c) = project_charts(project_id).await {
                charts.set(c);
            }
        });
        let state = ProjectState { project_id, phases, audit, cycle, charts, refresh };
        provide_context(state);
        state
    }
}

pub fn use_project_state() -> ProjectState {
    expect_context::<ProjectState>()
}

/// Whether a phase is open (目标申报 已批复) according to the page state.
pub fn phase_open(phase: Phase) -> impl Fn() -> bool + Copy {
    let state = use_project_state();
    move || state.phases.get().iter().any(|p| p.phase == phase && p.available)
}

/// A form field as sent to the server: `None` when blank.
pub fn non_blank(s: String) -> Option<String> {
    if s.trim().is_empty() {
        None
    } else {
        Some(s)
    }
}

/// Reloads the page state whenever `value` turns into a success.
pub fn refresh_on_success(value: impl Into<Signal<Option<Result<(), AppError>>>>) {
    let value: Signal<Option<Result<(), AppError>>> = value.into();
    let state = use_project_state();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            state.refresh.dispatch(());
        }
    });
}

/// The outcome of a save: "正在保存…", the refusal in Chinese, or "已保存".
#[component]
pub fn SaveStatus(
    #[prop(into)] value: Signal<Option<Result<(), AppError>>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional, into)] ok_text: Option<String>,
) -> impl IntoView {
    let ok_text = ok_text.unwrap_or_else(|| "已保存".to_owned());
    move || {
        if pending.get() {
            return view! { <span class="save-status muted" role="status">"正在保存…"</span> }.into_any();
        }
        match value.get() {
            Some(Err(e)) => view! { <span class="save-status error" role="alert">{e.message()}</span> }.into_any(),
            Some(Ok(())) => view! { <span class="save-status ok" role="status">{ok_text.clone()}</span> }.into_any(),
            None => ().into_any(),
        }
    }
}
