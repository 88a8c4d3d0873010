//! 新建项目: a department declares a project from scratch — header (项目名称, 实施单位), funds
//! (财政拨款 + 其他资金 = 年度资金总额, in 万元) and goals — as a new draft of an open fiscal year,
//! then edits that header while its 目标申报 is 草稿 / 退回. Indicators are added by
//! `declaration::add_indicator`.

use super::access;
use crate::entities::{project, user};
use crate::error::Result;
use crate::store::{self, projects::NewProject};
use crate::write::{self, Audit, Change, Write};
use crate::{accounts, Amount};
use chrono::Utc;
use domain::input::{self, Invalid};
use domain::vocab::{AuditAction, EntityKind, Field};
use domain::workflow::{transition, Action, Phase, Status};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

/// The longest 项目名称 / 实施单位, and goal text, in characters.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_GOAL_CHARS: usize = 2000;

/// A project's header as the 新建项目 / 项目信息 form enters it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub implementing_unit: Option<String>,
    /// 其中：财政拨款（万元）.
    pub funds_fiscal: Option<Decimal>,
    /// 其他资金（万元）.
    pub funds_other: Option<Decimal>,
    pub overall_goal: String,
    /// 年度目标, one per line.
    pub annual_goals: String,
}

/// A header after its checks: trimmed texts, funds present and added up.
struct Checked {
    name: String,
    implementing_unit: Option<String>,
    fiscal: Decimal,
    other: Decimal,
    total: Decimal,
    overall_goal: String,
    annual_goals: Vec<String>,
}

fn check(header: &Header) -> Result<Checked, Invalid> {
    let name = input::required_text(&header.name, Field::ProjectName, MAX_NAME_CHARS)?;
    let implementing_unit = input::text(header.implementing_unit.as_deref(), Field::ImplementingUnit, MAX_NAME_CHARS)?;
    let fiscal = input::non_negative(header.funds_fiscal, Field::FundsFiscal)?.unwrap_or_default();
    let other = input::non_negative(header.funds_other, Field::FundsOther)?.unwrap_or_default();
    let total = fiscal.checked_add(other).ok_or(Invalid::TooLarge { field: Field::FundsTotal })?;
    input::non_negative(Some(total), Field::FundsTotal)?;
    let overall_goal = input::text(Some(&header.overall_goal), Field::OverallGoal, MAX_GOAL_CHARS)?.unwrap_or_default();
    let goals = input::text(Some(&header.annual_goals), Field::AnnualGoals, MAX_GOAL_CHARS)?.unwrap_or_default();
    let annual_goals = goals.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    Ok(Checked {
        name,
        implementing_unit,
        fiscal: fiscal.normalize(),
        other: other.normalize(),
        total: total.normalize(),
        overall_goal,
        annual_goals,
    })
}

/// Creates a project of fiscal year `year` for `department_id` (a department user's own; an
/// administrator names one) as a draft without indicators; returns its id. Whoever may declare
/// a draft of that department may create one; the year must be open; a project of the same
/// name in that year and department is refused.
pub async fn create_project(
    db: &DatabaseConnection,
    user: &user::Model,
    department_id: Option<i32>,
    year: i32,
    header: &Header,
) -> Result<i32> {
    let txn = write::begin(db).await?;
    let id = create_project_in(&txn, user, department_id, year, header).await?;
    write::commit(txn, &[id]).await?;
    Ok(id)
}

/// [`create_project`] inside the caller's transaction (a 绩效目标表 import creates several).
pub async fn create_project_in(
    txn: &DatabaseTransaction,
    user: &user::Model,
    department_id: Option<i32>,
    year: i32,
    header: &Header,
) -> Result<i32> {
    let actor = accounts::actor(user);
    domain::workflow::may_create_project(&actor)?;
    let department_id = department_id.or(user.department_id).ok_or(Invalid::Required { field: Field::Department })?;
    transition(&actor, department_id, Phase::Declaration, Status::Draft, &Action::Edit, None)?;
    let checked = check(header)?;
    let department = store::directory::department_name(txn, department_id)
        .await?
        .ok_or(Invalid::UnknownReference { field: Field::Department })?;
    let fiscal_year = store::directory::fiscal_year_by_year(txn, year).await?.ok_or(Invalid::YearNotOpen { year })?;
    if store::projects::find_by_name(txn, department_id, fiscal_year.id, &checked.name).await?.is_some() {
        return Err(Invalid::DuplicateProject { year, department, project: checked.name }.into());
    }
    let new = NewProject {
        department,
        year,
        name: checked.name,
        implementing_unit: checked.implementing_unit,
        funds_total: checked.total,
        funds_fiscal: checked.fiscal,
        funds_other: checked.other,
        overall_goal: checked.overall_goal,
        annual_goals: checked.annual_goals,
        indicators: Vec::new(),
    };
    let id = store::projects::insert(txn, &new, department_id, fiscal_year.id).await?;
    let audit = Audit {
        user,
        at: Utc::now(),
        kind: EntityKind::Project,
        project_id: Some(id),
        action: Some(AuditAction::Create),
    };
    let goals = new.annual_goals.join("\n");
    let changes = [
        Change::new(Field::ProjectName, None, Some(&new.name)),
        Change::new(Field::Year, None, Some(&year)),
        Change::new(Field::ImplementingUnit, None, new.implementing_unit.as_ref()),
        Change::new(Field::FundsFiscal, None, Some(&new.funds_fiscal)),
        Change::new(Field::FundsOther, None, Some(&new.funds_other)),
        Change::new(Field::OverallGoal, None, Some(&new.overall_goal)),
        Change::new(Field::AnnualGoals, None, Some(&goals)),
    ];
    write::record_changes(txn, &audit, id, &changes).await?;
    Ok(id)
}

/// Changes a project's header while its 目标申报 is 草稿 / 退回, if the project is still at
/// `expected_version`; one audit row per changed field.
pub async fn update_header(
    db: &DatabaseConnection,
    user: &user::Model,
    project_id: i32,
    header: &Header,
    expected_version: i32,
) -> Result<project::Model> {
    let txn = write::begin(db).await?;
    let old = access::project_for_edit(&txn, user, project_id, Phase::Declaration).await?;
    let new = check(header)?;
    if new.name != old.name
        && store::projects::find_by_name(&txn, old.department_id, old.fiscal_year_id, &new.name).await?.is_some()
    {
        let department = store::directory::department_name(&txn, old.department_id).await?.unwrap_or_default();
        let year = store::directory::fiscal_year(&txn, old.fiscal_year_id).await?.map_or(0, |y| y.year);
        return Err(Invalid::DuplicateProject { year, department, project: new.name }.into());
    }
    use project::Column as C;
    let changes = Write::<project::Entity>::new()
        .field(Field::ProjectName, C::Name, Some(old.name.clone()), Some(new.name))
        .field(Field::ImplementingUnit, C::ImplementingUnit, old.implementing_unit.clone(), new.implementing_unit)
        .field(
            Field::FundsFiscal,
            C::FundsFiscal,
            Some(Amount(old.funds_fiscal.0.normalize())),
            Some(Amount(new.fiscal)),
        )
        .field(Field::FundsOther, C::FundsOther, Some(Amount(old.funds_other.0.normalize())), Some(Amount(new.other)))
        .field(Field::FundsTotal, C::FundsTotal, Some(Amount(old.funds_total.0.normalize())), Some(Amount(new.total)))
        .field(Field::OverallGoal, C::OverallGoal, Some(old.overall_goal.clone()), Some(new.overall_goal))
        .field(Field::AnnualGoals, C::AnnualGoals, Some(old.annual_goals.clone()), Some(new.annual_goals.join("\n")));
    let audit = Audit { user, at: Utc::now(), kind: EntityKind::Project, project_id: Some(project_id), action: None };
    let saved = write::upsert(&txn, Some(old), expected_version, vec![], changes, audit).await?;
    write::commit(txn, &[project_id]).await?;
    Ok(saved.row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn headers_are_checked_and_funds_added() {
        let header = Header {
            name: " 网站运维 ".into(),
            implementing_unit: Some("  ".into()),
            funds_fiscal: Some(dec!(8.50)),
            funds_other: None,
            overall_goal: "保障网站正常运行".into(),
            annual_goals: "目标1：维护网站\n\n 目标2：测评 \n".into(),
        };
        let c = check(&header).unwrap();
        assert_eq!((c.name.as_str(), c.implementing_unit, c.total), ("网站运维", None, dec!(8.5)));
        assert_eq!(c.annual_goals, ["目标1：维护网站", "目标2：测评"]);
        let blank = Header { name: " ".into(), ..header.clone() };
        assert_eq!(check(&blank).err(), Some(Invalid::Required { field: Field::ProjectName }));
        let negative = Header { funds_other: Some(dec!(-1)), ..header };
        assert_eq!(check(&negative).err(), Some(Invalid::Negative { field: Field::FundsOther }));
    }
}
