//! 项目总览: every project the user may see with its three phase statuses, funds, 预算执行率,
//! score and grade; filters, sorting on every column and pages, all in the URL
//! (`domain::listing`), so a view can be shared and the back button works; totals per department.

use crate::api::{list_projects, ProjectPage, ProjectSummary};
use crate::components::ErrorNotice;
use crate::pages::TodoPanel;
use domain::listing::{DepartmentTotal, ListQuery, UnitOption};
use domain::money::format_wan;
use domain::vocab::{Grade, Phase, SortColumn, Status};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProjectList() -> impl IntoView {
    let url = use_query_map();
    let query = Memo::new(move |_| ListQuery::from_pairs(&*url.read()));
    let page = Resource::new(move || query.get(), list_projects);
    view! {
        <h1>"项目支出绩效目标"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载项目…"</p> }>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                match page.await {
                    Ok(page) if page.years.is_empty() => view! {
                        <p class="empty-state">
                            "暂无项目。"
                            {if page.can_create {
                                view! { <a class="btn btn-primary" href="/projects/new">"新建项目"</a> }.into_any()
                            } else {
                                "可运行 jixiao demo 载入示例项目。".into_any()
                            }}
                        </p>
                    }.into_any(),
                    Ok(page) => view! { <Listing page query=q/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(page: ProjectPage, query: ListQuery) -> impl IntoView {
    let ProjectPage { selection, years, departments, todo, can_create } = page;
    let many_departments = selection.departments.len() > 1;
    view! {
        {can_create.then(|| view! {
            <p class="page-actions"><a class="btn btn-primary" href="/projects/new" data-testid="new-project-link">"新建项目"</a></p>
        })}
        {todo.map(|view| view! { <TodoPanel view/> })}
        <Filters query=query.clone() years departments/>
        {if selection.rows.is_empty() {
            view! {
                <p class="empty-state" data-testid="list-empty">
                    "没有符合筛选条件的项目。" <a href="/">"清除筛选"</a>
                </p>
            }.into_any()
        } else {
            view! {
                <ProjectTable rows=selection.rows query=query.clone() matched=selection.matched funds=selection.funds_total/>
                <Pager query=query.clone() page=selection.page pages=selection.pages matched=selection.matched/>
            }.into_any()
        }}
        {many_departments.then(|| view! { <DepartmentTotals totals=selection.departments/> })}
    }
}

/// The filter form: a plain GET form, so the filters land in the URL.
#[component]
fn Filters(query: ListQuery, years: Vec<i32>, departments: Vec<UnitOption>) -> impl IntoView {
    let q = query;
    let sort = q.sort.map(|c| c.key());
    view! {
        <form method="get" action="/" class="filters card" role="search" data-testid="list-filters">
            <label>"年度"
                <select name="year">
                    <option value="">"全部"</option>
                    {years.into_iter().map(|y| view! {
                        <option value=y.to_string() selected=q.year == Some(y)>{format!("{y}年")}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"主管部门"
                <select name="department">
                    <option value="">"全部"</option>
                    {departments.into_iter().map(|d| {
                        let selected = q.department.as_deref() == Some(d.name.as_str());
                        // A 主管部门 includes the units indented under it.
                        let label = format!("{}{}", "\u{3000}".repeat(d.depth), d.name);
                        view! { <option value=d.name selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"阶段"
                <select name="phase">
                    <option value="">"任一阶段"</option>
                    {Phase::ALL.iter().map(|p| view! {
                        <option value=p.key() selected=q.phase == Some(*p)>{p.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"状态"
                <select name="status">
                    <option value="">"全部"</option>
                    {Status::ALL.iter().map(|s| view! {
                        <option value=s.key() selected=q.status == Some(*s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"等级"
                <select name="grade">
                    <option value="">"全部"</option>
                    {Grade::ALL.iter().map(|g| view! {
                        <option value=g.key() selected=q.grade == Some(*g)>{g.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"得分"
                <span class="range">
                    <input name="min" type="number" min="0" max="100" step="0.01" inputmode="decimal" aria-label="最低得分"
                        value=q.min_score.map(|m| m.normalize().to_string()).unwrap_or_default()/>
                    "–"
                    <input name="max" type="number" min="0" max="100" step="0.01" inputmode="decimal" aria-label="最高得分"
                        value=q.max_score.map(|m| m.normalize().to_string()).unwrap_or_default()/>
                </span>
            </label>
            <label class="grow">"搜索"
                <input name="q" type="search" placeholder="项目或部门名称" value=q.text.clone().unwrap_or_default()/>
            </label>
            {sort.map(|s| view! { <input type="hidden" name="sort" value=s/> })}
            {q.descending.then(|| view! { <input type="hidden" name="desc" value="1"/> })}
            <button type="submit" class="btn">"筛选"</button>
            {q.is_filtered().then(|| view! { <a href="/" class="clear">"清除筛选"</a> })}
        </form>
    }
}

#[component]
fn ProjectTable(
    rows: Vec<ProjectSummary>,
    query: ListQuery,
    matched: usize,
    funds: rust_decimal::Decimal,
) -> impl IntoView {
    let header = move |column: SortColumn, numeric: bool| {
        let active = query.sort == Some(column);
        let aria = active.then_some(if query.descending { "descending" } else { "ascending" });
        let arrow = match (active, query.descending) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        view! {
            <th class:num=numeric aria-sort=aria>
                <A href=query.sorted_by(column).href("/") attr:title=format!("按{}排序", column.label())>
                    {column.label()}{arrow}
                </A>
            </th>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="data-table project-list" data-testid="project-list">
                <thead>
                    <tr>
                        {header(SortColumn::Year, false)}
                        {header(SortColumn::Department, false)}
                        {header(SortColumn::Name, false)}
                        {header(SortColumn::Funds, true)}
                        {header(SortColumn::Indicators, true)}
                        {header(SortColumn::Declaration, false)}
                        {header(SortColumn::Monitoring, false)}
                        {header(SortColumn::Evaluation, false)}
                        {header(SortColumn::Execution, true)}
                        {header(SortColumn::Score, true)}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|p| view! {
                        <tr data-project=p.id>
                            <td>{p.year}</td>
                            <td>{p.department}</td>
                            <td><A href=format!("/projects/{}", p.id)>{p.name}</A></td>
                            <td class="num">{format_wan(p.funds_total)}</td>
                            <td class="num">{format!("{} 项", p.indicator_count)}</td>
                            {p.statuses.into_iter().map(|(phase, status)| view! {
                                <td><span class=format!("badge status-{}", status.key()) title=phase.label()>{status.label()}</span></td>
                            }).collect_view()}
                            <td class="num">{p.execution_rate.map(|r| format!("{:.2}%", r.round_dp(2))).unwrap_or_else(|| "—".to_owned())}</td>
                            <td class="num" data-testid="list-score">{match (p.score, p.grade) {
                                (Some(score), Some(grade)) => format!("{:.2}（{}）", score.round_dp(2), grade.label()),
                                _ => "—".to_owned(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <td colspan="3" data-testid="list-count">{format!("合计 {matched} 个项目")}</td>
                        <td class="num">{format_wan(funds)}</td>
                        <td colspan="6"></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[component]
fn Pager(query: ListQuery, page: usize, pages: usize, matched: usize) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="分页" data-testid="pager">
                {(page > 1).then(|| view! { <A href=query.at_page(page - 1).href("/") attr:rel="prev">"上一页"</A> })}
                <span>{format!("第 {page} / {pages} 页，共 {matched} 个项目")}</span>
                {(page < pages).then(|| view! { <A href=query.at_page(page + 1).href("/") attr:rel="next">"下一页"</A> })}
            </nav>
        }
    })
}

#[component]
fn DepartmentTotals(totals: Vec<DepartmentTotal>) -> impl IntoView {
    view! {
        <section class="card">
            <table class="data-table" data-testid="department-totals">
                <caption>"各部门合计（符合筛选条件的项目）"</caption>
                <thead>
                    <tr>
                        <th>"主管部门"</th>
                        <th class="num">"项目数"</th>
                        <th class="num">"年度资金总额（万元）"</th>
                        <th class="num">"已评分"</th>
                        <th class="num">"平均得分"</th>
                    </tr>
                </thead>
                <tbody>
                    {totals.into_iter().map(|d| view! {
                        <tr>
                            <td>{d.department}</td>
                            <td class="num">{d.projects}</td>
                            <td class="num">{format_wan(d.funds)}</td>
                            <td class="num">{d.scored}</td>
                            <td class="num">{d.average_score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
