use crate::api::SaveHeader;
use crate::components::{non_blank, use_project_state, FormErrors, SaveStatus, TextAreaCell, TextCell};
use domain::vocab::Field;
use leptos::prelude::*;
use rust_decimal::Decimal;

/// The header as the project page shows it, for [`HeaderEditor`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderValues {
    pub name: String,
    pub implementing_unit: Option<String>,
    pub funds_fiscal: Decimal,
    pub funds_other: Decimal,
    pub overall_goal: String,
    pub annual_goals: Vec<String>,
}

/// 修改项目信息: the header (项目名称, 实施单位, funds, goals) while the 目标申报 is 草稿 / 退回, for
/// those who may edit it. Saving reloads the page, whose header block shows the new values.
#[component]
pub fn HeaderEditor(values: HeaderValues) -> impl IntoView {
    let state = use_project_state();
    let save = ServerAction::<SaveHeader>::new();
    let errors = FormErrors::of(save);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            crate::components::load_page(&format!("/projects/{}", state.project_id));
        }
    });
    let name = RwSignal::new(values.name);
    let unit = RwSignal::new(values.implementing_unit.unwrap_or_default());
    let fiscal = RwSignal::new(values.funds_fiscal.normalize().to_string());
    let other = RwSignal::new(values.funds_other.normalize().to_string());
    let overall = RwSignal::new(values.overall_goal);
    let goals = RwSignal::new(values.annual_goals.join("\n"));
    view! {
        <Show when=move || state.cycle.get().permissions.edit_declaration>
            <details class="card header-editor" data-testid="header-editor">
                <summary>"修改项目信息（名称、实施单位、资金、目标）"</summary>
                <form class="form form-grid" on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(SaveHeader {
                        project_id: state.project_id,
                        name: name.get_untracked(),
                        implementing_unit: non_blank(unit.get_untracked()),
                        funds_fiscal: non_blank(fiscal.get_untracked()),
                        funds_other: non_blank(other.get_untracked()),
                        overall_goal: overall.get_untracked(),
                        annual_goals: goals.get_untracked(),
                        expected_version: state.cycle.with_untracked(|c| c.project_version),
                    });
                }>
                    <label class="wide"><span>"项目名称"</span><TextCell value=name label="项目名称" field=Field::ProjectName errors/></label>
                    <label class="wide"><span>"实施单位"</span><TextCell value=unit label="实施单位" field=Field::ImplementingUnit errors/></label>
                    <label><span>"财政拨款（万元）"</span><TextCell value=fiscal label="财政拨款" numeric=true field=Field::FundsFiscal errors/></label>
                    <label><span>"其他资金（万元）"</span><TextCell value=other label="其他资金" numeric=true field=Field::FundsOther errors/></label>
                    <label class="wide"><span>"项目总体目标"</span><TextAreaCell value=overall label="项目总体目标" rows=3 field=Field::OverallGoal errors/></label>
                    <label class="wide"><span>"年度目标（每行一个）"</span><TextAreaCell value=goals label="年度目标" rows=3 field=Field::AnnualGoals errors/></label>
                    <div class="wide">
                        <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"保存项目信息"</button>" "
                        <SaveStatus value=save.value() pending=save.pending()/>
                    </div>
                </form>
            </details>
        </Show>
    }
}
