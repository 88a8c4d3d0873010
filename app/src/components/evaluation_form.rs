use crate::api::{CycleIndicator, Rescore, SaveActual, SaveYearEndFunds};
use crate::components::{non_blank as opt, phase_open, refresh_on_success, use_project_state, SaveStatus};
use domain::money::{format_wan, parse_input};
use domain::scoring::EvaluationResult;
use domain::value::{parse_target, TargetContext, ValueKind};
use leptos::prelude::*;
use rust_decimal::Decimal;

fn points(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// What a row of the form holds while the user types.
#[derive(Clone, Copy)]
struct Draft {
    actual: RwSignal<String>,
    grade: RwSignal<String>,
    score: RwSignal<String>,
    explanation: RwSignal<String>,
    evidence: RwSignal<String>,
}

/// The year-end figures while the user types.
#[derive(Clone, Copy)]
struct FundsDraft {
    initial: RwSignal<String>,
    budget: RwSignal<String>,
    executed: RwSignal<String>,
    explanation: RwSignal<String>,
}

/// 绩效自评 (项目支出绩效自评表): 全年预算数 / 全年执行数 and, per indicator, 实际完成值, the
/// score it earns, 偏差原因分析及改进措施 and 佐证. Scores are computed live in the browser by
/// `domain::selfeval` — the code the server scores with — as the user types; the finance
/// bureau's re-scores (财政复核) are part of the same table.
#[component]
pub fn EvaluationForm() -> impl IntoView {
    let state = use_project_state();
    let open = phase_open("self_evaluation");
    let hydrated = crate::components::use_hydrated();
    let initial = state.cycle.get_untracked();
    let text = |o: Option<String>| RwSignal::new(o.unwrap_or_default());
    let drafts: Vec<Draft> = initial
        .indicators
        .iter()
        .map(|i| Draft {
            actual: text(i.actual.actual_text.clone()),
            grade: text(i.actual.grade.clone()),
            score: text(i.actual.grade_score.map(|s| s.to_string())),
            explanation: text(i.actual.explanation.clone()),
            evidence: text(i.actual.evidence.clone()),
        })
        .collect();
    let funds = FundsDraft {
        initial: text(initial.funds.budget_initial.map(|d| d.to_string())),
        budget: text(initial.funds.budget_full_year.map(|d| d.to_string())),
        executed: text(initial.funds.executed_full_year.map(|d| d.to_string())),
        explanation: text(initial.funds.execution_explanation.clone()),
    };
    let preview_drafts = drafts.clone();
    let preview = Memo::new(move |_| {
        let mut e = state.cycle.with(|c| c.evaluation.clone());
        for (entry, d) in e.indicators.iter_mut().zip(&preview_drafts) {
            entry.actual = opt(d.actual.get());
            entry.grade = opt(d.grade.get());
            entry.score = parse_input("得分", &d.score.get()).ok().flatten();
            entry.explanation = opt(d.explanation.get());
        }
        e.funds.budget = parse_input("全年预算数", &funds.budget.get()).ok().flatten().unwrap_or_default();
        e.funds.executed = parse_input("全年执行数", &funds.executed.get()).ok().flatten().unwrap_or_default();
        e.funds.explanation = opt(funds.explanation.get());
        domain::selfeval::evaluate(&e)
    });
    let rows = StoredValue::new(initial.indicators.clone().into_iter().zip(drafts).collect::<Vec<_>>());
    view! {
        <Show when=open>
            <section class="card" id="evaluation" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head">
                    <h2>"绩效自评"</h2>
                    <span class="muted">{move || format!("评分方案：{}", state.cycle.get().profile_label)}</span>
                </div>
                <ScoreSummary preview/>
                <FundsForm funds preview/>
                <table class="data-table form-table evaluation" data-testid="evaluation">
                    <thead><tr>
                        <th>"三级指标"</th><th>"年度指标值（A）"</th><th>"实际完成值（B）"</th><th class="num">"分值"</th>
                        <th class="num">"得分"</th><th>"偏差原因分析及改进措施"</th><th>"佐证材料"</th><th></th>
                        <Show when=move || state.cycle.get().permissions.rescore><th>"财政复核"</th></Show>
                    </tr></thead>
                    <tbody>{move || rows.get_value().into_iter().map(|(row, draft)| view! { <EvaluationRow row draft preview/> }).collect_view()}</tbody>
                </table>
            </section>
        </Show>
    }.into_any()
}

#[component]
fn ScoreSummary(preview: Memo<Result<EvaluationResult, String>>) -> impl IntoView {
    move || match preview.get() {
        Err(e) => view! { <p class="notice notice-error">{e}</p> }.into_any(),
        Ok(r) => {
            let grade_class = format!("grade grade-{}", r.grade);
            let level1 = r
                .level1
                .iter()
                .map(|l| view! { <div class="subtotal"><dt>{l.name.clone()}</dt><dd>{format!("{} / {}", points(l.score), points(l.weight))}</dd></div> })
                .collect_view();
            let missing: Vec<String> =
                r.required_explanations.iter().filter(|x| !x.provided).map(|x| x.target.clone()).collect();
            view! {
                <div class="score-summary" data-testid="score-summary">
                    <div class="total">
                        <span class="muted">"总分"</span>
                        <strong data-testid="total-score">{points(r.total)}</strong>
                        <span class=grade_class data-testid="grade">{r.grade.clone()}</span>
                    </div>
                    <dl class="subtotals">
                        {level1}
                        <div class="subtotal"><dt>"预算执行率"</dt><dd>{format!("{} / {}", points(r.execution.score), points(r.execution.weight))}</dd></div>
                    </dl>
                    {r.cap.clone().map(|c| view! { <p class="muted">{c}</p> })}
                    {(!missing.is_empty()).then(|| view! {
                        <p class="notice notice-warn" data-testid="missing-explanations">
                            {format!("提交前须填写偏差原因分析及改进措施：{}", missing.join("、"))}
                        </p>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn FundsForm(funds: FundsDraft, preview: Memo<Result<EvaluationResult, String>>) -> impl IntoView {
    let state = use_project_state();
    let editable = move || state.cycle.get().permissions.edit_evaluation;
    let save = ServerAction::<SaveYearEndFunds>::new();
    refresh_on_success(save.value());
    let input = move |label: &'static str, s: RwSignal<String>| {
        view! {
            <label>{label}<input class="cell num" inputmode="decimal" prop:disabled=move || !editable()
                prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))/></label>
        }
    };
    let rate = move || match preview.get() {
        Ok(r) => r.execution.rate.map(|r| format!("{r:.2}%")).unwrap_or_else(|| "—".into()),
        Err(_) => "—".into(),
    };
    view! {
        <div class="funds-form" data-testid="year-end-funds">
            {input("年初预算数（万元）", funds.initial)}
            {input("全年预算数（万元）", funds.budget)}
            {input("全年执行数（万元）", funds.executed)}
            <span class="muted">"执行率 "<strong data-testid="execution-rate">{rate}</strong></span>
            <label class="wide">"预算执行偏差原因"<textarea class="cell" rows="1" prop:disabled=move || !editable()
                prop:value=move || funds.explanation.get() on:input=move |ev| funds.explanation.set(event_target_value(&ev))></textarea></label>
            <Show when=editable>
                <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                    save.dispatch(SaveYearEndFunds {
                        project_id: state.project_id,
                        budget_initial: opt(funds.initial.get_untracked()),
                        budget_full_year: opt(funds.budget.get_untracked()),
                        executed_full_year: opt(funds.executed.get_untracked()),
                        execution_explanation: opt(funds.explanation.get_untracked()),
                        expected_version: state.cycle.get_untracked().project_version,
                    });
                }>"保存资金"</button>
            </Show>
            <SaveStatus value=save.value() pending=save.pending()/>
            <span class="muted">{move || state.cycle.get().funds.budget_full_year.map(|b| format!("已保存全年预算数 {} 万元", format_wan(b)))}</span>
        </div>
    }.into_any()
}

#[component]
fn EvaluationRow(row: CycleIndicator, draft: Draft, preview: Memo<Result<EvaluationResult, String>>) -> impl IntoView {
    let state = use_project_state();
    let id = row.id;
    let index = state.cycle.with_untracked(|c| c.indicators.iter().position(|i| i.id == id)).unwrap_or(0);
    let editable = move || state.cycle.get().permissions.edit_evaluation;
    let version = move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.actual.version));
    let entry = move || state.cycle.with(|c| c.evaluation.indicators.get(index).cloned().unwrap_or_default());
    let qualitative = {
        let e = entry();
        let ctx = TargetContext { category: Some(e.level2.clone()), indicator_name: Some(e.name.clone()), comparator_column: e.comparator.clone(), unit_column: None };
        matches!(parse_target(&e.target, &ctx).kind, ValueKind::Qualitative { .. })
    };
    let scored = move || preview.with(|p| p.as_ref().ok().and_then(|r| r.indicators.get(index).cloned()));
    let score_text = move || scored().map(|s| points(s.score)).unwrap_or_else(|| "—".into());
    let rule = move || scored().map(|s| s.explanation).unwrap_or_default();
    let required = move || {
        preview.with(|p| p.as_ref().ok().is_some_and(|r| r.required_explanations.iter().any(|x| x.index == Some(index) && !x.provided)))
    };
    let save = ServerAction::<SaveActual>::new();
    refresh_on_success(save.value());
    let initial_grade = draft.grade.get_untracked();
    view! {
        <tr data-indicator=row.name.clone() class:attention=required>
            <td class="l3">{row.core.then_some("★ ")}{row.name.clone()}</td>
            <td class="target">{move || entry().target}</td>
            <td>
                <input class="cell" aria-label="实际完成值" prop:disabled=move || !editable()
                    prop:value=move || draft.actual.get() on:input=move |ev| draft.actual.set(event_target_value(&ev))/>
                {qualitative.then(|| view! {
                    <select aria-label="评价等级" prop:disabled=move || !editable() on:change=move |ev| draft.grade.set(event_target_value(&ev))>
                        <option value="" selected=initial_grade.is_empty()>"评价等级"</option>
                        <option value="achieved" selected=initial_grade == "achieved">"达成年度指标"</option>
                        <option value="partial" selected=initial_grade == "partial">"部分达成年度指标并具有一定效果"</option>
                        <option value="poor" selected=initial_grade == "poor">"未达成年度指标且效果较差"</option>
                    </select>
                    <input class="cell num short" inputmode="decimal" aria-label="定性得分" placeholder="得分" prop:disabled=move || !editable()
                        prop:value=move || draft.score.get() on:input=move |ev| draft.score.set(event_target_value(&ev))/>
                })}
            </td>
            <td class="num">{move || entry().weight.normalize().to_string()}</td>
            <td class="num score" title=rule data-testid="row-score">{score_text}</td>
            <td><textarea class="cell" rows="2" aria-label="偏差原因分析及改进措施" prop:disabled=move || !editable()
                placeholder=move || if required() { "须填写" } else { "" }
                prop:value=move || draft.explanation.get() on:input=move |ev| draft.explanation.set(event_target_value(&ev))></textarea></td>
            <td><textarea class="cell" rows="2" aria-label="佐证材料" prop:disabled=move || !editable()
                prop:value=move || draft.evidence.get() on:input=move |ev| draft.evidence.set(event_target_value(&ev))></textarea></td>
            <td class="nowrap">
                <Show when=editable>
                    <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                        save.dispatch(SaveActual {
                            indicator_id: id,
                            actual_text: opt(draft.actual.get_untracked()),
                            grade: opt(draft.grade.get_untracked()),
                            grade_score: opt(draft.score.get_untracked()),
                            evidence: opt(draft.evidence.get_untracked()),
                            explanation: opt(draft.explanation.get_untracked()),
                            expected_version: version(),
                        });
                    }>"保存"</button>
                </Show>
                <SaveStatus value=save.value() pending=save.pending()/>
                {move || scored().and_then(|s| s.self_score.map(|own| view! {
                    <div class="muted small">{format!("自评 {}，财政复核 {}", points(own), points(s.score))}</div>
                }))}
            </td>
            <Show when=move || state.cycle.get().permissions.rescore>
                <td><RescoreCell id/></td>
            </Show>
        </tr>
    }.into_any()
}

#[component]
fn RescoreCell(id: i32) -> impl IntoView {
    let score = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let rescore = ServerAction::<Rescore>::new();
    refresh_on_success(rescore.value());
    view! {
        <div class="rescore">
            <input class="cell num short" inputmode="decimal" aria-label="复核得分" placeholder="复核得分"
                prop:value=move || score.get() on:input=move |ev| score.set(event_target_value(&ev))/>
            <input class="cell" aria-label="复核理由" placeholder="理由"
                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            <button class="btn" disabled=move || rescore.pending().get() on:click=move |_| {
                rescore.dispatch(Rescore { indicator_id: id, score: score.get_untracked(), reason: reason.get_untracked() });
            }>"复核"</button>
            <SaveStatus value=rescore.value() pending=rescore.pending()/>
        </div>
    }.into_any()
}
