use crate::api::{list_projects, ProjectSummary};
use crate::components::ErrorNotice;
use domain::money::format_wan;
use leptos::prelude::*;
use leptos_router::components::A;

/// 项目列表: every project with its department, year, funds and number of indicators.
#[component]
pub fn ProjectList() -> impl IntoView {
    let projects = Resource::new(|| (), |_| list_projects());
    view! {
        <h1>"项目支出绩效目标"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载项目…"</p> }>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"暂无项目。可运行 jixiao demo 载入示例项目。"</p>
                    }.into_any(),
                    Ok(list) => view! { <ProjectTable projects=list/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProjectTable(projects: Vec<ProjectSummary>) -> impl IntoView {
    let total: rust_decimal::Decimal = projects.iter().map(|p| p.funds_total).sum();
    let count = projects.len();
    view! {
        <table class="data-table project-list">
            <thead>
                <tr>
                    <th>"年度"</th>
                    <th>"主管部门"</th>
                    <th>"项目名称"</th>
                    <th class="num">"年度资金总额（万元）"</th>
                    <th class="num">"绩效指标"</th>
                    <th>"目标申报"</th>
                    <th>"运行监控"</th>
                    <th>"绩效自评"</th>
                    <th class="num">"自评得分"</th>
                </tr>
            </thead>
            <tbody>
                {projects.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.year}</td>
                        <td>{p.department}</td>
                        <td><A href=format!("/projects/{}", p.id)>{p.name}</A></td>
                        <td class="num">{format_wan(p.funds_total)}</td>
                        <td class="num">{format!("{} 项", p.indicator_count)}</td>
                        {p.statuses.into_iter().map(|(phase, status)| view! {
                            <td><span class=format!("badge status-{}", status.key()) title=phase.label()>{status.label()}</span></td>
                        }).collect_view()}
                        <td class="num" data-testid="list-score">{match (p.score, p.grade) {
                            (Some(score), Some(grade)) => format!("{:.2}（{}）", score.round_dp(2), grade.label()),
                            _ => "—".to_owned(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <td colspan="3">{format!("合计 {count} 个项目")}</td>
                    <td class="num">{format_wan(total)}</td>
                    <td colspan="5"></td>
                </tr>
            </tfoot>
        </table>
    }
}
