//! 指标库 on the 系统管理 page: the common indicators departments pick from, by 一级 / 二级, with
//! a new entry and removal (系统管理员 only; the server checks it).

use crate::api::{AddLibraryEntry, AppError, DeleteLibraryEntry, LibraryItem};
use crate::components::{ChoiceCell, FormErrors, SaveStatus, TextCell};
use domain::library::{level2_of, LEVELS};
use domain::vocab::{Field, IndicatorNature};
use leptos::prelude::*;

#[component]
pub fn LibrarySection(items: Vec<LibraryItem>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let add = ServerAction::<AddLibraryEntry>::new();
    let remove = ServerAction::<DeleteLibraryEntry>::new();
    let done = Signal::derive(move || -> Option<Result<(), AppError>> {
        match (add.value().get(), remove.value().get()) {
            (Some(Ok(())), _) | (_, Some(Ok(()))) => Some(Ok(())),
            _ => None,
        }
    });
    super::admin::reload_after(done, reload);
    let errors = FormErrors::of(add);
    let level1 = RwSignal::new(LEVELS[0].0.to_owned());
    let level2 = RwSignal::new(LEVELS[0].1[0].to_owned());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let direction = RwSignal::new(None::<IndicatorNature>);
    let example = RwSignal::new(String::new());
    view! {
        <section class="card" id="library">
            <div class="card-head">
                <h2>"指标库"</h2>
                <span class="muted">"部门新建指标时可从这里选取；初始内容取自真实公开的绩效目标表。"</span>
            </div>
            <LibraryTable rows=items remove/>
            {move || remove.value().get().and_then(Result::err).map(|e| view! {
                <p class="notice notice-error" role="alert">{e.message()}</p>
            })}
            <form class="form inline-form" data-testid="library-add" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddLibraryEntry {
                    level1: level1.get_untracked(),
                    level2: level2.get_untracked(),
                    name: name.get_untracked(),
                    unit: unit.get_untracked(),
                    direction: direction.get_untracked(),
                    example: example.get_untracked(),
                });
            }>
                <label>"一级指标"<select aria-label="一级指标" on:change=move |ev| {
                    let l1 = event_target_value(&ev);
                    level2.set(level2_of(&l1).first().copied().unwrap_or_default().to_owned());
                    level1.set(l1);
                }>
                    {LEVELS.iter().map(|(l1, _)| view! { <option value=*l1>{*l1}</option> }).collect_view()}
                </select></label>
                <label>"二级指标"<select aria-label="二级指标" on:change=move |ev| level2.set(event_target_value(&ev))>
                    {move || level2_of(&level1.get()).iter().map(|l2| view! {
                        <option value=*l2 prop:selected=move || level2.get() == *l2>{*l2}</option>
                    }).collect_view()}
                </select></label>
                <label>"三级指标"<TextCell value=name label="指标库三级指标" field=Field::IndicatorName errors/></label>
                <label>"计量单位"<TextCell value=unit label="计量单位" field=Field::Unit errors/></label>
                <label>"指标性质"<ChoiceCell value=direction label="指标库指标性质" none="—"/></label>
                <label>"示例指标值"<TextCell value=example label="示例指标值" field=Field::TargetText errors/></label>
                <div><button class="btn btn-primary" type="submit">"加入指标库"</button>" "
                    <SaveStatus value=add.value() pending=add.pending() ok_text="已加入"/></div>
            </form>
        </section>
    }
}

#[component]
fn LibraryTable(rows: Vec<LibraryItem>, remove: ServerAction<DeleteLibraryEntry>) -> impl IntoView {
    let count = rows.len();
    view! {
        <p class="muted">{format!("共 {count} 条")}</p>
        <div class="scroll-box">
            <table class="data-table" data-testid="library-table">
                <thead><tr><th>"一级指标"</th><th>"二级指标"</th><th>"三级指标"</th><th>"计量单位"</th>
                    <th>"指标性质"</th><th>"示例指标值"</th><th></th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|item| {
                        let LibraryItem { id, version, entry } = item;
                        view! {
                            <tr data-entry=entry.name.clone()>
                                <td>{entry.level1}</td><td>{entry.level2}</td><td>{entry.name.clone()}</td>
                                <td>{entry.unit}</td><td>{entry.direction.map(|d| d.label()).unwrap_or("—")}</td>
                                <td>{entry.example}</td>
                                <td><button class="btn btn-danger" aria-label=format!("从指标库删除“{}”", entry.name)
                                    disabled=move || remove.pending().get()
                                    on:click=move |_| { remove.dispatch(DeleteLibraryEntry { id, expected_version: version }); }>
                                    "删除"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
