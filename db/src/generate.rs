//! A generated county for benchmarks (ingest, exports, load): `projects` projects of 15
//! indicators each, spread over 150 departments, targets approved, and optionally every actual
//! and the year-end funds entered. Written with bulk inserts, not the forms' write path: this is
//! a fixture, not user input.

use crate::entities::{actual_entry, project, project_phase, user};
use crate::store::projects::{NewIndicator, NewProject};
use crate::{Amount, Key};
use chrono::Utc;
use domain::workflow::{Phase, Role, Status};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

/// (一级, 二级, 三级, 指标值, 实际完成值) of every generated project.
pub const INDICATORS: [(&str, &str, &str, &str, &str); 15] = [
    ("产出指标", "数量指标", "养护道路里程", "≥120公里", "121公里"),
    ("产出指标", "数量指标", "培训人次", "≥300人次", "310人次"),
    ("产出指标", "数量指标", "维护设备数量", "5台", "5台"),
    ("产出指标", "质量指标", "验收合格率", "100%", "100%"),
    ("产出指标", "质量指标", "设备正常运行率", "≥98%", "97%"),
    ("产出指标", "时效指标", "完成时间", "2021年12月31日前", "2021-12-20"),
    ("产出指标", "成本指标", "维护成本", "≤40000元/年", "38000元/年"),
    ("产出指标", "成本指标", "培训人均成本", "≤200元", "190元"),
    ("效益指标", "社会效益指标", "服务覆盖率", "≥90%", "92%"),
    ("效益指标", "社会效益指标", "信息公开及时率", "100%", "100%"),
    ("效益指标", "经济效益指标", "节约运行费用", "≥5万元", "5.2万元"),
    ("效益指标", "生态效益指标", "能耗下降率", "≥3%", "3.5%"),
    ("效益指标", "可持续影响指标", "长效机制", "有效保障", "有效保障"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥95%", "96%"),
    ("满意度指标", "服务对象满意度指标", "使用单位满意度", "≥90%", "93%"),
];

/// What was generated.
pub struct County {
    /// An administrator ("bench").
    pub admin: user::Model,
    /// Each project's id with its indicators' ids, in [`INDICATORS`] order.
    pub projects: Vec<(i32, Vec<i32>)>,
}

/// Generates the county into a migrated, empty database.
pub async fn county(db: &DatabaseConnection, projects: usize, with_actuals: bool) -> Result<County, crate::Error> {
    let new: Vec<NewProject> = (0..projects)
        .map(|i| NewProject {
            department: format!("部门{:03}", i % 150),
            year: 2021,
            name: format!("项目{i:05}"),
            implementing_unit: None,
            funds_total: Decimal::from(100),
            funds_fiscal: Decimal::from(100),
            funds_other: Decimal::ZERO,
            overall_goal: String::new(),
            annual_goals: vec![],
            indicators: INDICATORS
                .iter()
                .map(|(l1, l2, name, target, _)| NewIndicator {
                    level1: (*l1).into(),
                    level2: (*l2).into(),
                    name: (*name).into(),
                    target_text: (*target).into(),
                    weight: Some(Decimal::from(6)),
                    ..Default::default()
                })
                .collect(),
        })
        .collect();
    let ids = crate::import::insert_projects(db, &new).await?;
    let mut indicators = crate::store::projects::indicators_of(db, &ids).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    for chunk in ids.chunks(200) {
        let phases = chunk.iter().map(|id| project_phase::ActiveModel {
            project_id: Set(*id),
            phase: Set(Key(Phase::Declaration)),
            status: Set(Key(Status::Approved)),
            return_reason: Set(None),
            updated_by: Set(None),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        });
        project_phase::Entity::insert_many(phases).exec(&txn).await?;
    }
    let mut out = Vec::with_capacity(ids.len());
    for (n, id) in ids.iter().enumerate() {
        let inds = indicators.remove(id).unwrap_or_default();
        if with_actuals {
            let rows = inds.iter().zip(INDICATORS.iter()).map(|(ind, (_, l2, name, _, actual))| {
                let ctx = domain::value::TargetContext {
                    category: Some((*l2).to_owned()),
                    indicator_name: Some((*name).to_owned()),
                    ..Default::default()
                };
                let parsed = domain::value::parse_actual_with(actual, &ctx);
                actual_entry::ActiveModel {
                    indicator_id: Set(ind.id),
                    project_id: Set(*id),
                    actual_text: Set(Some((*actual).to_owned())),
                    actual_parsed: Set(serde_json::to_string(&parsed).ok()),
                    explanation: Set((*name == "设备正常运行率").then(|| "设备老化，已更换".to_owned())),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                }
            });
            actual_entry::Entity::insert_many(rows).exec(&txn).await?;
            // Execution between 70 % and 100 % of a 100 万元 budget.
            let executed = Decimal::from(70 + (n % 31) as i64);
            project::ActiveModel {
                id: Set(*id),
                budget_full_year: Set(Some(Amount(Decimal::from(100)))),
                executed_full_year: Set(Some(Amount(executed))),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
        out.push((*id, inds.into_iter().map(|i| i.id).collect()));
    }
    crate::write::commit(txn, &ids).await?;
    let admin = crate::accounts::create_user(
        db,
        crate::accounts::NewUser {
            username: "bench".into(),
            display_name: "bench".into(),
            password: "bench-password-1".into(),
            role: Role::Admin,
            department_id: None,
        },
    )
    .await?;
    Ok(County { admin, projects: out })
}
