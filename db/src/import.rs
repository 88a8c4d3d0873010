//! Storing projects read by `domain::import` from published target tables.

use crate::queries::{insert_projects, NewIndicator, NewProject};
use crate::{DatabaseConnection, DbErr};
use domain::import::{ImportResult, ImportedProject};
use rust_decimal::Decimal;

/// Why an import was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Db(#[from] DbErr),
}

/// A project ready to store, or a Chinese reason why it cannot be stored.
pub fn to_new_project(p: &ImportedProject) -> Result<NewProject, String> {
    let name = p.name.trim();
    if name.is_empty() {
        return Err(format!("“{}”缺少项目名称", p.title));
    }
    let department = p
        .department
        .as_deref()
        .or(p.implementing_unit.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| format!("项目“{name}”缺少主管部门（预算单位）"))?;
    let year = p.year.ok_or_else(|| format!("项目“{name}”缺少年度（表头应有“（2021年）”之类的年度）"))?;
    Ok(NewProject {
        department: department.to_owned(),
        year,
        name: name.to_owned(),
        implementing_unit: p.implementing_unit.clone(),
        funds_total: p.funds_total.unwrap_or(Decimal::ZERO),
        funds_fiscal: p.funds_fiscal.unwrap_or(Decimal::ZERO),
        funds_other: p.funds_other.unwrap_or(Decimal::ZERO),
        overall_goal: p.overall_goal.clone(),
        annual_goals: p.annual_goals.clone(),
        indicators: p
            .indicators
            .iter()
            .map(|i| NewIndicator {
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                name: i.name.clone(),
                target_text: i.target_text.clone(),
                weight: i.weight,
                direction: i.comparator_column.clone(),
                core: i.core,
            })
            .collect(),
    })
}

/// Stores every project of an import, all-or-nothing. Refuses an import without projects or
/// with a project that lacks its name, department or year.
pub async fn store(db: &DatabaseConnection, result: &ImportResult) -> Result<Vec<i32>, ImportError> {
    if result.projects.is_empty() {
        return Err(ImportError::Invalid("文本中没有找到绩效目标表（应有“项目支出绩效目标表”之类的标题）".into()));
    }
    let projects = result
        .projects
        .iter()
        .map(to_new_project)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ImportError::Invalid)?;
    Ok(insert_projects(db, &projects).await?)
}
