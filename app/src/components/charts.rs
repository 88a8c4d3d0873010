//! Charts drawn on the server (SVG with `<title>` and `<desc>`), each with its numbers as a table
//! for screen readers and for copying.

use crate::api::ChartView;
use crate::components::use_project_state;
use leptos::prelude::*;

#[component]
pub fn ChartFigure(chart: ChartView) -> impl IntoView {
    let ChartView { key, title, svg, headers, rows } = chart;
    view! {
        <figure class="chart" data-testid=format!("chart-{key}")>
            <div class="chart-svg" inner_html=svg></div>
            <details class="chart-data">
                <summary>{format!("数据表：{title}")}</summary>
                <table class="data-table">
                    <thead><tr>{headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// The project page's charts (loaded with the page, redrawn by every refresh of the page state)
/// and its document downloads.
#[component]
pub fn ProjectCharts() -> impl IntoView {
    let state = use_project_state();
    let project_id = state.project_id;
    view! {
        <section class="card" id="charts">
            <div class="card-head">
                <h2>"目标完成情况图表"</h2>
                <span class="downloads">
                    <a href=format!("/export/selfeval.xlsx?project={project_id}") download="" data-testid="download-selfeval">"自评表（Excel）"</a>
                    <a href=format!("/export/targets.xlsx?project={project_id}") download="" data-testid="download-targets">"目标表（Excel）"</a>
                    <a href=format!("/export/report.docx?project={project_id}") download="" data-testid="download-report">"自评报告（Word）"</a>
                    <a href=format!("/export/report.pdf?project={project_id}") download="" data-testid="download-report-pdf">"自评报告（PDF）"</a>
                </span>
            </div>
            {move || state.charts.get().into_iter().map(|chart| view! { <ChartFigure chart/> }).collect_view()}
        </section>
    }
}
