use crate::api::{
    indicator_library, AddIndicator, CycleIndicator, LibraryItem, MoveIndicator, RegroupIndicator, RemoveIndicator,
    SaveIndicator,
};
use crate::components::{
    non_blank as opt, refresh_on_success, use_project_state, CheckCell, ChoiceCell, FormErrors, SaveStatus, TextCell,
};
use domain::library::{declared_context, level2_of, reading, LEVELS};
use domain::value::parse_target;
use domain::vocab::{Basis, Field, IndicatorNature};
use leptos::prelude::*;

/// 目标申报: build and edit the indicator tree while the declaration is 草稿 or 退回 (shown only
/// to those who may edit it) — each indicator's 指标值 (read by the value grammar as it is typed),
/// 分值 (summed live against the year's scoring profile), 指标性质, 取值依据 and ★; move it within
/// its 二级 or file it under another, remove it, or add one, picked from the 指标库 or typed. Each change saves on its own.
#[component]
pub fn DeclarationEditor() -> impl IntoView {
    let state = use_project_state();
    let hydrated = crate::components::use_hydrated();
    // Rows in tree order (grouped by 一级 / 二级 as the table shows them), keyed by id: a row is
    // drawn once and kept while it exists, so a save elsewhere never resets what is typed in it.
    let rows = move || {
        domain::tree::group(state.cycle.get().indicators, |i| (i.level1.as_str(), i.level2.as_str()))
            .into_iter()
            .flat_map(|l1| l1.groups.into_iter().flat_map(|l2| l2.rows))
            .collect::<Vec<_>>()
    };
    let total = move || {
        state
            .cycle
            .get()
            .indicators
            .iter()
            .filter_map(|i| i.weight)
            .sum::<rust_decimal::Decimal>()
            .normalize()
            .to_string()
    };
    // The 分值 checks of the year's profile, as submitting will apply them.
    let weight_problems = move || {
        let cycle = state.cycle.get();
        if cycle.indicators.is_empty() || cycle.indicators.iter().any(|i| i.weight.is_none()) {
            return vec!["每项指标都须设置分值".to_owned()];
        }
        let pairs: Vec<_> = cycle.indicators.iter().map(|i| (i.level1.clone(), i.weight.unwrap_or_default())).collect();
        domain::scoring::weight_problems(&pairs, &domain::scoring::Profile::of(cycle.profile))
    };
    view! {
        <Show when=move || state.cycle.get().permissions.edit_declaration>
            <section class="card" id="declaration" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head">
                    <h2>"填报绩效目标"</h2>
                    <span class="muted">{move || {
                        let profile = state.cycle.get().profile;
                        format!("评分方案：{}：{} · 指标分值合计 {}", profile.key(), profile.label(), total())
                    }}</span>
                </div>
                <div class="weight-check" data-testid="weight-check" aria-live="polite">
                    {move || {
                        let problems = weight_problems();
                        if problems.is_empty() {
                            view! { <p class="notice notice-ok">"分值设置符合评分方案，可以提交。"</p> }.into_any()
                        } else {
                            view! {
                                <ul class="notice notice-warn">
                                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
                <Show when=move || !state.cycle.get().indicators.is_empty()
                    fallback=|| view! {
                        <p class="empty-state" data-testid="no-indicators">
                            "还没有绩效指标：在下方选择一级、二级指标，从指标库选取或自行填写后添加。"
                        </p>
                    }>
                    <table class="data-table form-table" data-testid="declaration-editor">
                        <thead><tr>
                            <th>"一级 / 二级"</th><th>"三级指标"</th><th>"指标值"</th><th>"分值"</th><th>"指标性质"</th>
                            <th>"取值依据"</th><th>"核心"</th><th></th>
                        </tr></thead>
                        <tbody>
                            <For each=rows key=|row| row.id let:row>
                                <DeclarationRow row/>
                            </For>
                        </tbody>
                    </table>
                </Show>
                <AddIndicatorForm/>
            </section>
        </Show>
    }
    .into_any()
}

/// The value grammar's reading of a 指标值 as typed, shown under its field: `(true, reading)`,
/// `(false, why it cannot be declared)`, or nothing yet.
fn target_reading(text: &str, level2: &str, name: &str, direction: Option<IndicatorNature>) -> (bool, String) {
    if text.trim().is_empty() {
        return (true, String::new());
    }
    match reading(&parse_target(text, &declared_context(level2, name, direction))) {
        Ok(r) => (true, r),
        Err(e) => (false, e),
    }
}

/// [`target_reading`] as a line under the field, one element whatever it says.
fn reading_line(read: impl Fn() -> (bool, String) + Send + Sync + Clone + 'static) -> impl IntoView {
    let text = read.clone();
    view! {
        <span class=move || if read().0 { "reading" } else { "reading reading-bad" } data-testid="reading"
            aria-live="polite">{move || text().1}</span>
    }
}

#[component]
fn DeclarationRow(row: CycleIndicator) -> impl IntoView {
    let state = use_project_state();
    let id = row.id;
    let target = RwSignal::new(row.target_text.clone());
    let weight = RwSignal::new(row.weight.map(|w| w.to_string()).unwrap_or_default());
    let direction = RwSignal::new(row.direction);
    let basis = RwSignal::new(row.basis);
    let core = RwSignal::new(row.core);
    let version = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.version));
    let save = ServerAction::<SaveIndicator>::new();
    let errors = FormErrors::of(save);
    refresh_on_success(save.value());
    let remove = ServerAction::<RemoveIndicator>::new();
    refresh_on_success(remove.value());
    let shift = ServerAction::<MoveIndicator>::new();
    refresh_on_success(shift.value());
    let regroup = ServerAction::<RegroupIndicator>::new();
    refresh_on_success(regroup.value());
    // The 一级/二级 the select shows: back to where the row is stored when a move is refused.
    let stored = move || {
        state.cycle.with_untracked(|c| {
            c.indicators.iter().find(|i| i.id == id).map(|i| format!("{}/{}", i.level1, i.level2)).unwrap_or_default()
        })
    };
    let chosen = RwSignal::new(format!("{}/{}", row.level1, row.level2));
    Effect::new(move |_| {
        if let Some(Err(_)) = regroup.value().get() {
            chosen.set(stored());
        }
    });
    let busy =
        move || save.pending().get() || remove.pending().get() || shift.pending().get() || regroup.pending().get();
    let (level2, name) = (row.level2.clone(), row.name.clone());
    let live = move || target_reading(&target.get(), &level2, &name, direction.get());
    let refused = move || {
        [remove.value().get(), shift.value().get(), regroup.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
            .map(|e| view! { <span class="save-status error" role="alert">{e.message()}</span> })
    };
    view! {
        <tr data-indicator=row.name.clone()>
            <td class="small">
                <select class="level-select" aria-label=format!("“{}”所属的二级指标", row.name) disabled=busy
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some((level1, level2)) = value.split_once('/') {
                            chosen.set(value.clone());
                            regroup.dispatch(RegroupIndicator {
                                indicator_id: id,
                                level1: level1.to_owned(),
                                level2: level2.to_owned(),
                                expected_version: version(),
                            });
                        }
                    }>
                    {LEVELS.iter().map(|(l1, l2s)| view! {
                        <optgroup label=*l1>
                            {l2s.iter().map(|l2| {
                                let value = format!("{l1}/{l2}");
                                let v = value.clone();
                                view! { <option value=value prop:selected=move || chosen.get() == v>{*l2}</option> }
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </td>
            <td class="l3">{row.core.then_some("★ ")}{row.name.clone()}</td>
            <td><TextCell value=target label="指标值" field=Field::TargetText errors/>{reading_line(live)}</td>
            <td><TextCell value=weight label="分值" numeric=true field=Field::Weight errors/></td>
            <td><ChoiceCell value=direction label="指标性质" none="—"/></td>
            <td><ChoiceCell value=basis label="取值依据" none="—"/></td>
            <td><CheckCell value=core label="核心指标"/></td>
            <td class="nowrap row-actions">
                <button class="btn" disabled=busy on:click=move |_| {
                    save.dispatch(SaveIndicator {
                        indicator_id: id,
                        target_text: target.get_untracked(),
                        weight: opt(weight.get_untracked()),
                        direction: direction.get_untracked(),
                        basis: basis.get_untracked(),
                        core: Some(core.get_untracked()),
                        expected_version: version(),
                    });
                }>"保存"</button>
                <button class="btn btn-icon" title="上移" aria-label=format!("上移“{}”", row.name) disabled=busy
                    on:click=move |_| { shift.dispatch(MoveIndicator { indicator_id: id, up: true, expected_version: version() }); }>"↑"</button>
                <button class="btn btn-icon" title="下移" aria-label=format!("下移“{}”", row.name) disabled=busy
                    on:click=move |_| { shift.dispatch(MoveIndicator { indicator_id: id, up: false, expected_version: version() }); }>"↓"</button>
                <button class="btn btn-danger" aria-label=format!("删除“{}”", row.name) disabled=busy
                    on:click=move |_| { remove.dispatch(RemoveIndicator { indicator_id: id, expected_version: version() }); }>"删除"</button>
                <SaveStatus value=save.value() pending=save.pending()/>
                {refused}
            </td>
        </tr>
    }
    .into_any()
}

/// 添加指标: the 一级 and 二级 it files under, then a 指标库 pick (which fills name, 指标值 and
/// 指标性质 with the library's suggestion) or the indicator typed in full.
#[component]
fn AddIndicatorForm() -> impl IntoView {
    let state = use_project_state();
    // The 指标库 arrives after the page is interactive (never during hydration): the server
    // renders "正在加载指标库…", the browser fetches it once mounted.
    let library = RwSignal::new(None::<Result<Vec<LibraryItem>, crate::api::AppError>>);
    let load_library = move || {
        library.set(None);
        leptos::task::spawn_local(async move { library.set(Some(indicator_library().await)) });
    };
    Effect::new(move |_| load_library());
    let level1 = RwSignal::new(LEVELS[0].0.to_owned());
    let level2 = RwSignal::new(LEVELS[0].1[0].to_owned());
    let name = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let weight = RwSignal::new(String::new());
    let direction = RwSignal::new(None::<IndicatorNature>);
    let basis = RwSignal::new(None::<Basis>);
    let core = RwSignal::new(false);
    let unit = RwSignal::new(String::new());
    let add = ServerAction::<AddIndicator>::new();
    let errors = FormErrors::of(add);
    refresh_on_success(add.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            for s in [name, target, weight, unit] {
                s.set(String::new());
            }
            direction.set(None);
            core.set(false);
        }
    });
    let pick = move |item: &LibraryItem| {
        name.set(item.entry.name.clone());
        target.set(item.entry.example.clone());
        direction.set(item.entry.direction);
        unit.set(item.entry.unit.clone());
    };
    // The library's entries under the chosen 二级, narrowed by the name typed so far.
    let choices = move || {
        let (l1, l2, typed) = (level1.get(), level2.get(), name.get());
        let typed = typed.trim();
        library.get().map(|loaded| {
            loaded.map(|items| {
                items
                    .into_iter()
                    .filter(|i| i.entry.level1 == l1 && i.entry.level2 == l2)
                    .filter(|i| typed.is_empty() || i.entry.name.contains(typed) || i.entry.name == typed)
                    .collect::<Vec<_>>()
            })
        })
    };
    let live = move || target_reading(&target.get(), &level2.get(), &name.get(), direction.get());
    view! {
        <div class="add-indicator" data-testid="add-indicator">
            <h3>"添加指标"</h3>
            <div class="form-grid">
                <label><span>"一级指标"</span>
                    <select aria-label="一级指标" on:change=move |ev| {
                        let l1 = event_target_value(&ev);
                        level2.set(level2_of(&l1).first().copied().unwrap_or_default().to_owned());
                        level1.set(l1);
                    }>
                        {LEVELS.iter().map(|(l1, _)| view! {
                            <option value=*l1 prop:selected=move || level1.get() == *l1>{*l1}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label><span>"二级指标"</span>
                    <select aria-label="二级指标" on:change=move |ev| level2.set(event_target_value(&ev))>
                        {move || level2_of(&level1.get()).iter().map(|l2| view! {
                            <option value=*l2 prop:selected=move || level2.get() == *l2>{*l2}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="library-picks" data-testid="library-picks">
                <span class="muted">"指标库："</span>
                {move || match choices() {
                    None => view! { <span class="loading">"正在加载指标库…"</span> }.into_any(),
                    // A failed load says why and offers another try, never "no matches".
                    Some(Err(e)) => view! {
                        <span class="error" role="alert" data-testid="library-error">
                            {format!("指标库加载失败：{e}")}
                        </span>
                        <button type="button" class="link" on:click=move |_| load_library()>"重试"</button>
                    }.into_any(),
                    Some(Ok(items)) => {
                        if items.is_empty() {
                            view! { <span class="muted">"此类别暂无匹配的常用指标，可直接填写。"</span> }.into_any()
                        } else {
                            items.into_iter().map(|item| {
                                let title = format!("示例：{}", item.entry.example);
                                let label = item.entry.name.clone();
                                view! {
                                    <button type="button" class="chip" title=title
                                        on:click=move |_| pick(&item)>{label}</button>
                                }
                            }).collect_view().into_any()
                        }
                    }
                }}
            </div>
            <div class="form-grid">
                <label class="wide"><span>"三级指标"</span>
                    <TextCell value=name label="三级指标" field=Field::IndicatorName errors/>
                </label>
                <label><span>{move || if unit.get().is_empty() { "指标值".to_owned() } else { format!("指标值（常用单位：{}）", unit.get()) }}</span>
                    <TextCell value=target label="新指标的指标值" placeholder="如 ≥95%、1个、2021年12月31日前" field=Field::TargetText errors/>
                    {reading_line(live)}
                </label>
                <label><span>"分值"</span>
                    <TextCell value=weight label="新指标的分值" numeric=true field=Field::Weight errors/>
                </label>
                <label><span>"指标性质"</span><ChoiceCell value=direction label="新指标的指标性质" none="—"/></label>
                <label><span>"取值依据"</span><ChoiceCell value=basis label="新指标的取值依据" none="—"/></label>
                <label class="check"><CheckCell value=core label="新指标为核心指标"/><span>"核心指标 ★"</span></label>
            </div>
            {move || add.value().get().and_then(Result::err)
                .filter(|e| !matches!(e.field(), Some(Field::IndicatorName | Field::TargetText | Field::Weight)))
                .map(|e| view! {
                <p class="notice notice-error" role="alert">{e.message()}</p>
            })}
            <button class="btn btn-primary" disabled=move || add.pending().get() on:click=move |_| {
                add.dispatch(AddIndicator {
                    project_id: state.project_id,
                    level1: level1.get_untracked(),
                    level2: level2.get_untracked(),
                    name: name.get_untracked(),
                    target_text: target.get_untracked(),
                    weight: opt(weight.get_untracked()),
                    direction: direction.get_untracked(),
                    basis: basis.get_untracked(),
                    core: Some(core.get_untracked()),
                });
            }>{move || if add.pending().get() { "正在添加…" } else { "添加指标" }}</button>
        </div>
    }
}
