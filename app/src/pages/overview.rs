//! 绩效概览: the county (finance bureau, administrators) or one department in one year — funds,
//! 预算执行率, scores and grades in a table, the charts, and the 汇总表 / 自评表 / 目标表 downloads.
//! The URL holds the year and department, so a view can be shared and the back button works.

use crate::api::{overview, OverviewRow, OverviewView};
use crate::components::{ChartFigure, ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (q.get("year").and_then(|y| y.parse::<i32>().ok()), q.get("department").and_then(|d| d.parse::<i32>().ok()))
    };
    let data = Resource::new(params, |(year, department)| overview(year, department));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在加载概览…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Overview view/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(view: OverviewView) -> impl IntoView {
    let OverviewView { title, year, years, department, rows, total, charts, downloads } = view;
    let county = department.is_none();
    let first = if county { "部门" } else { "项目名称" };
    view! {
        <nav class="breadcrumb">
            <a href=format!("/overview?year={year}")>"全县概览"</a>
            {(!county).then(|| view! { " / " <span>{title.clone()}</span> })}
        </nav>
        <h1 data-testid="overview-title">{format!("{title} {year} 年度绩效概览")}</h1>
        <nav class="section-nav years">
            {years.into_iter().map(|y| {
                let href = match department {
                    Some(d) => format!("/overview?year={y}&department={d}"),
                    None => format!("/overview?year={y}"),
                };
                view! { <A href=href attr:aria-current=(y == year).then_some("page")>{format!("{y}年")}</A> }
            }).collect_view()}
            {downloads.into_iter().map(|d| view! {
                <a href=d.href download="" class="download">{d.label}</a>
            }).collect_view()}
        </nav>
        <section class="card">
            <table class="data-table overview" data-testid="overview-table">
                <thead>
                    <tr>
                        <th>{first}</th>
                        {county.then(|| view! { <th class="num">"项目数"</th> })}
                        <th class="num">"全年预算数（万元）"</th>
                        <th class="num">"全年执行数（万元）"</th>
                        <th class="num">"预算执行率"</th>
                        <th class="num">{if county { "平均得分" } else { "自评得分" }}</th>
                        {(!county).then(|| view! {
                            <th>"等级"</th>
                            {domain::vocab::Phase::ALL.iter().map(|p| view! { <th>{p.label()}</th> }).collect_view()}
                        })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <Row row=r county/> }).collect_view()}
                </tbody>
                <tfoot><Row row=total county/></tfoot>
            </table>
        </section>
        <section class="card charts">
            <h2>"图表"</h2>
            {if charts.is_empty() {
                view! { <p class="muted">"暂无可绘制的数据。"</p> }.into_any()
            } else {
                charts.into_iter().map(|chart| view! { <ChartFigure chart/> }).collect_view().into_any()
            }}
        </section>
    }
}

#[component]
fn Row(row: OverviewRow, county: bool) -> impl IntoView {
    let OverviewRow { name, href, projects, budget, executed, rate, score, grade, statuses } = row;
    let name = if href.is_empty() {
        view! { <span>{name}</span> }.into_any()
    } else {
        view! { <A href=href>{name}</A> }.into_any()
    };
    view! {
        <tr>
            <td>{name}</td>
            {county.then(|| view! { <td class="num">{projects}</td> })}
            <td class="num">{budget}</td>
            <td class="num">{executed}</td>
            <td class="num">{rate}</td>
            <td class="num">{score}</td>
            {(!county).then(|| view! {
                <td><span class=format!("badge grade-{grade}")>{grade.clone()}</span></td>
                {domain::vocab::Phase::ALL.iter().map(|phase| {
                    let status = statuses.iter().find(|(p, _)| p == phase).map(|(_, s)| *s);
                    view! {
                        <td>{status.map(|s| view! {
                            <span class=format!("badge status-{}", s.key()) title=phase.label()>{s.label()}</span>
                        })}</td>
                    }
                }).collect_view()}
            })}
        </tr>
    }
}
