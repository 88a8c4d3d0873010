use crate::api::AddComment;
use crate::components::{refresh_on_success, use_project_state, SaveStatus};
use leptos::prelude::*;

/// 意见: comments per indicator from the department and the finance bureau, and a form to add
/// one. Anyone who may read the project may comment; comments are never changed.
#[component]
pub fn Comments() -> impl IntoView {
    let state = use_project_state();
    let hydrated = crate::components::use_hydrated();
    let indicators = state.cycle.get_untracked().indicators;
    let indicator = RwSignal::new(indicators.first().map_or(0, |i| i.id));
    let body = RwSignal::new(String::new());
    let add = ServerAction::<AddComment>::new();
    refresh_on_success(add.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            body.set(String::new());
        }
    });
    let threads = move || {
        state
            .cycle
            .get()
            .indicators
            .into_iter()
            .filter(|i| !i.comments.is_empty())
            .map(|i| {
                let (total, shown) = (i.comment_count, i.comments.len());
                let older = total.saturating_sub(shown);
                let items = i
                    .comments
                    .into_iter()
                    .map(|c| view! { <li><strong>{c.author}</strong>" "<span class="muted">{c.at}</span><p>{c.body}</p></li> })
                    .collect_view();
                view! {
                    <div class="thread" data-indicator=i.name.clone()>
                        <h3>{i.name.clone()}</h3>
                        {(older > 0).then(|| view! {
                            <p class="muted" data-testid="older-comments">
                                {format!("共 {total} 条意见，这里显示最新 {shown} 条；全部意见见操作记录（CSV）。")}
                            </p>
                        })}
                        <ul>{items}</ul>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" id="comments" data-hydrated=move || hydrated.get().to_string()>
            <div class="card-head"><h2>"指标意见"</h2></div>
            <div data-testid="comments">{threads}</div>
            <Show when=move || state.cycle.get().permissions.comment>
                <form class="form inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(AddComment { indicator_id: indicator.get_untracked(), body: body.get_untracked() });
                }>
                    <label>"指标"
                        <select on:change=move |ev| indicator.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {indicators.iter().map(|i| view! { <option value=i.id>{i.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"意见"<textarea rows="2" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea></label>
                    <div><button class="btn btn-primary" type="submit" disabled=move || add.pending().get()>"发表意见"</button>
                        " "<SaveStatus value=add.value() pending=add.pending() ok_text="已发表"/></div>
                </form>
            </Show>
        </section>
    }.into_any()
}
