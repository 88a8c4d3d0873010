use crate::{Amount, Key};
use domain::vocab::Grade;
use sea_orm::entity::prelude::*;

/// What is derived from a project's inputs (targets, 分值, actuals, funds, re-scores, the year's
/// scoring profile), written by `crate::scores` in the transaction that changed them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_score")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i32,
    /// The total score (with the finance bureau's re-scores).
    pub total: Amount,
    pub grade: Option<Key<Grade>>,
    /// 预算执行率 in percent; `None` until the year-end funds allow it.
    pub execution_rate: Option<Amount>,
    /// Whether anything of the year-end result (an actual or a qualitative grade) is entered.
    pub has_results: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
