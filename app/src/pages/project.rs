use crate::api::{get_project, ProjectDetail};
use crate::components::{
    Adjustments, AuditPanel, Comments, DeclarationEditor, ErrorNotice, EvaluationForm, HeaderEditor, HeaderValues,
    IndicatorTable, MonitoringForm, ProjectCharts, ProjectState, WorkflowPanel,
};
use crate::pages::NotFound;
use domain::money::format_wan;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// 项目支出绩效目标表 of one project: header block, funds, goals and the indicator tree.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    let project = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_project(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载项目…"</p> }>
            {move || Suspend::new(async move {
                match project.await {
                    Ok(Some(detail)) => view! { <ProjectView detail/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProjectView(detail: ProjectDetail) -> impl IntoView {
    let ProjectDetail {
        summary,
        implementing_unit,
        funds_fiscal,
        funds_other,
        overall_goal,
        annual_goals,
        phases,
        audit,
        cycle,
        charts,
    } = detail;
    let project_id = summary.id;
    let header = HeaderValues {
        name: summary.name.clone(),
        implementing_unit: implementing_unit.clone(),
        funds_fiscal,
        funds_other,
        overall_goal: overall_goal.clone(),
        annual_goals: annual_goals.clone(),
    };
    let state = ProjectState::provide(project_id, phases, audit, cycle, charts);
    // One source of truth: the table shows the page state's indicators, which every save and
    // this button reload from the server.
    let indicators = Signal::derive(move || state.cycle.with(|c| c.indicators.clone()));
    let reloaded = RwSignal::new(false);
    let reload_status = move || {
        if state.refresh.pending().get() {
            "正在从服务器加载…".to_owned()
        } else if reloaded.get() {
            format!("已从服务器重新加载 {} 项指标", state.cycle.with(|c| c.indicators.len()))
        } else {
            String::new()
        }
    };

    view! {
        <nav class="breadcrumb">
            <a href="/">"项目"</a>
            " / "
            <span>{summary.department.clone()}</span>
        </nav>
        <h1>{summary.name.clone()}</h1>
        <p class="subtitle">{format!("{} 年度 · 项目支出绩效目标表", summary.year)}</p>

        <section class="card header-block">
            <dl class="facts">
                <div><dt>"主管部门"</dt><dd>{summary.department.clone()}</dd></div>
                <div><dt>"实施单位"</dt><dd>{implementing_unit.unwrap_or_else(|| summary.department.clone())}</dd></div>
                <div><dt>"年度"</dt><dd>{summary.year}</dd></div>
            </dl>
            <table class="data-table funds">
                <caption>"项目资金（万元）"</caption>
                <thead><tr><th>"年度资金总额"</th><th>"其中：财政拨款"</th><th>"其他资金"</th></tr></thead>
                <tbody>
                    <tr>
                        <td class="num" data-testid="funds-total">{format_wan(summary.funds_total)}</td>
                        <td class="num">{format_wan(funds_fiscal)}</td>
                        <td class="num">{format_wan(funds_other)}</td>
                    </tr>
                </tbody>
            </table>
        </section>

        <HeaderEditor values=header/>

        <section class="card goals">
            <h2>"项目总体目标"</h2>
            <p>{overall_goal}</p>
            <h2>"年度目标"</h2>
            <ol class="goal-list">
                {annual_goals.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}
            </ol>
        </section>

        <section class="card">
            <div class="card-head">
                <h2>"绩效指标"</h2>
                <span class="muted">{move || format!("共 {} 项", indicators.read().len())}</span>
                <button class="btn btn-secondary js-only" on:click=move |_| {
                    reloaded.set(true);
                    state.refresh.dispatch(());
                } disabled=move || state.refresh.pending().get()>
                    "从服务器刷新"
                </button>
                <span class="muted" data-testid="reload-status" aria-live="polite">{reload_status}</span>
            </div>
            <IndicatorTable indicators/>
        </section>

        <nav class="section-nav">
            <a href="#charts">"图表"</a>
            <a href="#workflow">"流程状态"</a>
            <a href="#declaration">"填报目标"</a>
            <a href="#versions">"目标版本"</a>
            <a href="#monitoring">"运行监控"</a>
            <a href="#evaluation">"绩效自评"</a>
            <a href="#comments">"指标意见"</a>
            <a href="#audit">"操作记录"</a>
            <a href=format!("/export/template.xlsx?project={project_id}") download="" data-testid="project-template">"下载自评表模板（Excel）"</a>
            <a href=format!("/export/template.xlsx?project={project_id}&kind=monitoring") download="" data-testid="project-monitoring-template">"下载运行监控表模板"</a>
            <a href="/imports">"批量导入"</a>
        </nav>
        <ProjectCharts/>
        <WorkflowPanel/>
        <DeclarationEditor/>
        <Adjustments/>
        <MonitoringForm/>
        <EvaluationForm/>
        <Comments/>
        <AuditPanel/>
    }
    .into_any()
}
