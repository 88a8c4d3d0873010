use crate::api::SaveHeader;
use crate::components::{non_blank, use_project_state, FormErrors, SaveStatus, TextAreaCell, TextCell};
use domain::money::format_wan;
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

/// A project header being edited (新建项目 and 修改项目信息): 项目名称, 实施单位, 财政拨款, 其他资金,
/// 总体目标, 年度目标 (one per line), as typed.
#[derive(Clone, Copy)]
pub struct HeaderFields {
    pub name: RwSignal<String>,
    pub unit: RwSignal<String>,
    pub fiscal: RwSignal<String>,
    pub other: RwSignal<String>,
    pub overall: RwSignal<String>,
    pub goals: RwSignal<String>,
}

impl HeaderFields {
    /// Empty fields (新建项目), or those of a stored header (修改项目信息).
    pub fn new(values: Option<HeaderValues>) -> HeaderFields {
        let field = |text: String| RwSignal::new(text);
        match values {
            None => HeaderFields {
                name: field(String::new()),
                unit: field(String::new()),
                fiscal: field(String::new()),
                other: field(String::new()),
                overall: field(String::new()),
                goals: field(String::new()),
            },
            Some(v) => HeaderFields {
                name: field(v.name),
                unit: field(v.implementing_unit.unwrap_or_default()),
                fiscal: field(v.funds_fiscal.normalize().to_string()),
                other: field(v.funds_other.normalize().to_string()),
                overall: field(v.overall_goal),
                goals: field(v.annual_goals.join("\n")),
            },
        }
    }

    pub fn name(self) -> String {
        self.name.get_untracked()
    }

    /// 实施单位 (`None` when blank: the 主管部门).
    pub fn unit(self) -> Option<String> {
        non_blank(self.unit.get_untracked())
    }

    pub fn fiscal(self) -> Option<String> {
        non_blank(self.fiscal.get_untracked())
    }

    pub fn other(self) -> Option<String> {
        non_blank(self.other.get_untracked())
    }

    pub fn overall(self) -> String {
        self.overall.get_untracked()
    }

    pub fn goals(self) -> String {
        self.goals.get_untracked()
    }

    /// 年度资金总额 as typed: the sum of the two figures, or what is wrong with them.
    fn total(self) -> String {
        let read = |s: String, f| domain::input::number(f, &s).map(Option::unwrap_or_default);
        match (read(self.fiscal.get(), Field::FundsFiscal), read(self.other.get(), Field::FundsOther)) {
            (Ok(a), Ok(b)) => a.checked_add(b).map(format_wan).unwrap_or_else(|| "—".to_owned()),
            (Err(e), _) | (_, Err(e)) => e.to_string(),
        }
    }
}

/// The header's inputs, each showing the error about it, and the 年度资金总额 they add up to.
#[component]
pub fn HeaderInputs(fields: HeaderFields, errors: FormErrors) -> impl IntoView {
    let HeaderFields { name, unit, fiscal, other, overall, goals } = fields;
    view! {
        <label class="wide"><span>"项目名称"</span>
            <TextCell value=name label="项目名称" field=Field::ProjectName errors/>
        </label>
        <label class="wide"><span>"实施单位（不填则同主管部门）"</span>
            <TextCell value=unit label="实施单位" field=Field::ImplementingUnit errors/>
        </label>
        <label><span>"其中：财政拨款（万元）"</span>
            <TextCell value=fiscal label="财政拨款" numeric=true field=Field::FundsFiscal errors/>
        </label>
        <label><span>"其他资金（万元）"</span>
            <TextCell value=other label="其他资金" numeric=true field=Field::FundsOther errors/>
        </label>
        <p class="wide"><span class="muted">"年度资金总额（万元）："</span>
            <strong data-testid="header-funds-total">{move || fields.total()}</strong>
        </p>
        <label class="wide"><span>"项目总体目标"</span>
            <TextAreaCell value=overall label="项目总体目标" rows=3 field=Field::OverallGoal errors/>
        </label>
        <label class="wide"><span>"年度目标（每行一个，如“目标1：……”）"</span>
            <TextAreaCell value=goals label="年度目标" rows=3 field=Field::AnnualGoals errors/>
        </label>
    }
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
    let fields = HeaderFields::new(Some(values));
    view! {
        <Show when=move || state.cycle.get().permissions.edit_declaration>
            <details class="card header-editor" data-testid="header-editor">
                <summary>"修改项目信息（名称、实施单位、资金、目标）"</summary>
                <form class="form form-grid" on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(SaveHeader {
                        project_id: state.project_id,
                        name: fields.name(),
                        implementing_unit: fields.unit(),
                        funds_fiscal: fields.fiscal(),
                        funds_other: fields.other(),
                        overall_goal: fields.overall(),
                        annual_goals: fields.goals(),
                        expected_version: state.cycle.with_untracked(|c| c.project_version),
                    });
                }>
                    <HeaderInputs fields errors/>
                    <div class="wide">
                        <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"保存项目信息"</button>" "
                        <SaveStatus value=save.value() pending=save.pending()/>
                    </div>
                </form>
            </details>
        </Show>
    }
}
