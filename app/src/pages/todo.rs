//! 待办: the projects of a fiscal year that still owe a phase — not submitted, returned and not
//! yet submitted again, overdue against the year's 申报截止 / 监控截止 / 自评截止 — grouped by
//! department with counts (`domain::todo`). The year is in the URL (`/todo?year=2021`). The
//! department user's home page shows the same panel for their own projects (`TodoPanel`).

use crate::api::{todo_list, TodoView};
use crate::components::ErrorNotice;
use domain::todo::{date_text, deadline_field, Counts, Owed, TodoGroup};
use domain::vocab::{Phase, TodoKind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TodoPage() -> impl IntoView {
    let url = use_query_map();
    let year = Memo::new(move |_| url.read().get("year").and_then(|y| y.parse::<i32>().ok()));
    let data = Resource::new(move || year.get(), todo_list);
    view! {
        <h1>"待办"</h1>
        <Suspense fallback=|| view! { <p class="loading">"正在加载待办…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) if view.year.is_none() => view! {
                        <p class="empty-state">"暂无项目。"</p>
                    }.into_any(),
                    Ok(view) => view! { <YearPicker view=view.clone()/><TodoPanel view/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn YearPicker(view: TodoView) -> impl IntoView {
    (view.years.len() > 1).then(|| {
        view! {
            <form method="get" action="/todo" class="filters card" data-testid="todo-year">
                <label>"年度"
                    <select name="year">
                        {view.years.iter().map(|y| view! {
                            <option value=y.to_string() selected=view.year == Some(*y)>{format!("{y}年")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn">"查看"</button>
            </form>
        }
    })
}

/// The year's deadlines, the counts and the projects that owe something, by department.
#[component]
pub fn TodoPanel(view: TodoView) -> impl IntoView {
    let TodoView { year, today, deadlines, projects, groups, total, .. } = view;
    let year = year.unwrap_or_default();
    view! {
        <section class="card todo" data-testid="todo">
            <div class="card-head">
                <h2>{format!("{year}年度待办")}</h2>
                <span class="muted">{format!("今天 {}", date_text(today))}</span>
            </div>
            <p class="deadlines" data-testid="todo-deadlines">
                {Phase::ALL.iter().map(|p| {
                    let text = deadlines.of(*p).map(date_text).unwrap_or_else(|| "未设".to_owned());
                    view! { <span>{deadline_field(*p).label()}"："<strong>{text}</strong></span> }
                }).collect_view()}
            </p>
            <CountBadges counts=total testid="todo-total"/>
            {if groups.is_empty() {
                view! {
                    <p class="empty-state" data-testid="todo-empty">
                        {format!("{year}年度的 {projects} 个项目都没有待办事项。")}
                    </p>
                }.into_any()
            } else {
                groups.into_iter().map(|g| view! { <DepartmentTodo group=g/> }).collect_view().into_any()
            }}
        </section>
    }
}

#[component]
fn CountBadges(counts: Counts, #[prop(optional)] testid: &'static str) -> impl IntoView {
    view! {
        <p class="todo-counts" data-testid=(!testid.is_empty()).then_some(testid)>
            {TodoKind::ALL.iter().map(|k| view! {
                <span class=format!("badge todo-{}", k.key()) data-kind=k.key() data-count=counts.of(*k)>
                    {format!("{} {}", k.label(), counts.of(*k))}
                </span>
            }).collect_view()}
        </p>
    }
}

#[component]
fn DepartmentTodo(group: TodoGroup) -> impl IntoView {
    let TodoGroup { department, counts, projects } = group;
    let heading = department.clone();
    view! {
        <div class="todo-group" data-department=department>
            <h3>{heading}</h3>
            <CountBadges counts/>
            <table class="data-table">
                <thead><tr><th>"项目"</th><th>"待办事项"</th></tr></thead>
                <tbody>
                    {projects.into_iter().map(|p| view! {
                        <tr data-project=p.id>
                            <td><A href=format!("/projects/{}", p.id)>{p.name}</A></td>
                            <td>{p.owed.into_iter().map(|o| view! { <OwedItem owed=o/> }).collect_view()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OwedItem(owed: Owed) -> impl IntoView {
    let kind = owed.kind();
    let detail = match (owed.days_overdue, owed.deadline) {
        (Some(days), Some(d)) => format!("逾期 {days} 天（截止 {}）", date_text(d)),
        (None, Some(d)) => format!("截止 {}", date_text(d)),
        _ => String::new(),
    };
    view! {
        <div class="owed" data-kind=kind.key()>
            <span class=format!("badge todo-{}", kind.key())>{kind.label()}</span>" "
            {owed.phase.label()}" · "{owed.status.label()}
            {(!detail.is_empty()).then(|| view! { " · "<span class="muted">{detail}</span> })}
        </div>
    }
}
