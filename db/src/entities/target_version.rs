use crate::Key;
use domain::vocab::VersionState;
use sea_orm::entity::prelude::*;

/// 绩效目标版本: the targets as approved at 年初批复 (number 1) and after each mid-year 调整.
/// `state`: "pending" (调整 awaiting the finance bureau), "approved", "superseded" (an earlier
/// approved version), "rejected". Scoring uses the newest approved version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "target_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub number: i32,
    pub state: Key<VersionState>,
    /// Why: "年初申报批复" or the 调整 reason.
    pub reason: Option<String>,
    pub created_by: Option<i32>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<i32>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// The finance bureau's note on approval or rejection.
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
