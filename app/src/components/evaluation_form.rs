use crate::api::{CycleIndicator, Rescore, SaveActual, SaveYearEndFunds};
use crate::components::{
    non_blank as opt, phase_open, refresh_on_success, use_project_state, ChoiceCell, FormErrors, SaveStatus,
    TextAreaCell, TextCell,
};
use domain::input::number;
use domain::money::format_wan;
use domain::scoring::EvaluationResult;
use domain::value::{parse_target, TargetContext, ValueKind};
use domain::vocab::{Field, Phase, QualitativeGrade};
use leptos::prelude::*;
use rust_decimal::Decimal;

fn points(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// What a row of the form holds while the user types.
#[derive(Clone, Copy)]
struct Draft {
    actual: RwSignal<String>,
    grade: RwSignal<Option<QualitativeGrade>>,
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
    let open = phase_open(Phase::SelfEvaluation);
    let hydrated = crate::components::use_hydrated();
    let initial = state.cycle.get_untracked();
    let text = |o: Option<String>| RwSignal::new(o.unwrap_or_default());
    let drafts: Vec<Draft> = initial
        .indicators
        .iter()
        .map(|i| Draft {
            actual: text(i.actual.actual_text.clone()),
            grade: RwSignal::new(i.actual.grade),
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
            entry.grade = d.grade.get();
            entry.score = number(Field::GradeScore, &d.score.get()).ok().flatten();
            entry.explanation = opt(d.explanation.get());
        }
        e.funds.budget = number(Field::BudgetFullYear, &funds.budget.get()).ok().flatten().unwrap_or_default();
        e.funds.executed = number(Field::ExecutedFullYear, &funds.executed.get()).ok().flatten().unwrap_or_default();
        e.funds.explanation = opt(funds.explanation.get());
        domain::selfeval::evaluate(&e)
    });
    let rows = StoredValue::new(initial.indicators.clone().into_iter().zip(drafts).collect::<Vec<_>>());
    view! {
        <Show when=open>
            <section class="card" id="evaluation" data-hydrated=move || hydrated.get().to_string()>
                <div class="card-head">
                    <h2>"绩效自评"</h2>
                    <span class="muted">{move || {
                        let profile = state.cycle.get().profile;
                        format!("评分方案：{}：{}", profile.key(), profile.label())
                    }}</span>
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
fn ScoreSummary(preview: Memo<EvaluationResult>) -> impl IntoView {
    move || {
        let r = preview.get();
        {
            let grade = r.grade.map(|g| g.label()).unwrap_or_default();
            let grade_class = format!("grade grade-{grade}");
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
                        <span class=grade_class data-testid="grade">{grade}</span>
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
fn FundsForm(funds: FundsDraft, preview: Memo<EvaluationResult>) -> impl IntoView {
    let state = use_project_state();
    let editable = move || state.cycle.get().permissions.edit_evaluation;
    let disabled = Signal::derive(move || !editable());
    let save = ServerAction::<SaveYearEndFunds>::new();
    let errors = FormErrors::of(save);
    refresh_on_success(save.value());
    let input = move |label: &'static str, s: RwSignal<String>, field: Field| {
        view! { <label>{label}<TextCell value=s label=label numeric=true disabled field errors/></label> }
    };
    let rate = move || preview.get().execution.rate.map(|r| format!("{r:.2}%")).unwrap_or_else(|| "—".into());
    view! {
        <div class="funds-form" data-testid="year-end-funds">
            {input("年初预算数（万元）", funds.initial, Field::BudgetInitial)}
            {input("全年预算数（万元）", funds.budget, Field::BudgetFullYear)}
            {input("全年执行数（万元）", funds.executed, Field::ExecutedFullYear)}
            <span class="muted">"执行率 "<strong data-testid="execution-rate">{rate}</strong></span>
            <label class="wide">"预算执行偏差原因"<TextAreaCell value=funds.explanation label="预算执行偏差原因" rows=1 disabled
                field=Field::ExecutionExplanation errors/></label>
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
fn EvaluationRow(row: CycleIndicator, draft: Draft, preview: Memo<EvaluationResult>) -> impl IntoView {
    let state = use_project_state();
    let id = row.id;
    let index = state.cycle.with_untracked(|c| c.indicators.iter().position(|i| i.id == id)).unwrap_or(0);
    let editable = move || state.cycle.get().permissions.edit_evaluation;
    let disabled = Signal::derive(move || !editable());
    let version =
        move || state.cycle.with(|c| c.indicators.iter().find(|i| i.id == id).map_or(0, |i| i.actual.version));
    let entry = move || state.cycle.with(|c| c.evaluation.indicators.get(index).cloned().unwrap_or_default());
    let qualitative = {
        let e = entry();
        let ctx = TargetContext {
            category: Some(e.level2.clone()),
            indicator_name: Some(e.name.clone()),
            comparator_column: e.comparator.map(|c| c.label().to_owned()),
            unit_column: None,
        };
        matches!(parse_target(&e.target, &ctx).kind, ValueKind::Qualitative { .. })
    };
    let scored = move || preview.with(|r| r.indicators.get(index).cloned());
    let score_text = move || scored().map(|s| points(s.score)).unwrap_or_else(|| "—".into());
    let rule = move || scored().map(|s| s.explanation).unwrap_or_default();
    let required =
        move || preview.with(|r| r.required_explanations.iter().any(|x| x.index == Some(index) && !x.provided));
    let save = ServerAction::<SaveActual>::new();
    let errors = FormErrors::of(save);
    refresh_on_success(save.value());
    view! {
        <tr data-indicator=row.name.clone() class:attention=required>
            <td class="l3">{row.core.then_some("★ ")}{row.name.clone()}</td>
            <td class="target">{move || entry().target}</td>
            <td>
                <TextCell value=draft.actual label="实际完成值" disabled field=Field::ActualText errors/>
                {qualitative.then(|| view! {
                    <ChoiceCell value=draft.grade label="评价等级" none="评价等级" disabled/>
                    <TextCell value=draft.score label="定性得分" numeric=true placeholder="得分" disabled field=Field::GradeScore errors/>
                })}
            </td>
            <td class="num">{move || entry().weight.normalize().to_string()}</td>
            <td class="num score" title=rule data-testid="row-score">{score_text}</td>
            <td><TextAreaCell value=draft.explanation label="偏差原因分析及改进措施" disabled
                placeholder=Signal::derive(move || if required() { "须填写".to_owned() } else { String::new() })
                field=Field::Explanation errors/></td>
            <td><TextAreaCell value=draft.evidence label="佐证材料" disabled field=Field::Evidence errors/></td>
            <td class="nowrap">
                <Show when=editable>
                    <button class="btn" disabled=move || save.pending().get() on:click=move |_| {
                        save.dispatch(SaveActual {
                            indicator_id: id,
                            actual_text: opt(draft.actual.get_untracked()),
                            grade: draft.grade.get_untracked(),
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
    let errors = FormErrors::of(rescore);
    refresh_on_success(rescore.value());
    view! {
        <div class="rescore">
            <TextCell value=score label="复核得分" numeric=true placeholder="复核得分" field=Field::Score errors/>
            <TextCell value=reason label="复核理由" placeholder="理由" field=Field::Reason errors/>
            <button class="btn" disabled=move || rescore.pending().get() on:click=move |_| {
                rescore.dispatch(Rescore { indicator_id: id, score: score.get_untracked(), reason: reason.get_untracked() });
            }>"复核"</button>
            <SaveStatus value=rescore.value() pending=rescore.pending()/>
        </div>
    }.into_any()
}
