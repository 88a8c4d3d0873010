//! The demo project: 阿合奇县电子政务办公室 2021 年「政府网站维护费及业务经费」, read by the
//! target-table importer from the published budget disclosure it came from.

use crate::accounts::{create_user, NewUser};
use crate::error::{Error, Result};
use crate::import::{insert_projects, to_new_project};
use crate::store::{self, projects::NewProject};
use domain::input::Invalid;
use domain::workflow::Role;
use sea_orm::DatabaseConnection;

/// The published 2021 budget disclosure whose last part is the demo project's 绩效目标表.
pub const SEED_TEXT: &str = include_str!("../../fixtures/000_a24f108f427dffbb.txt");

/// The demo accounts: (username, 姓名, demo password, role). The department user belongs to the
/// demo project's department. Passwords are printed by `jixiao demo`; change them in production.
pub const DEMO_USERS: [(&str, &str, &str, Role); 3] = [
    ("admin", "系统管理员", "jixiao-admin-2021", Role::Admin),
    ("caizheng", "财政局审核员", "jixiao-finance-2021", Role::Finance),
    ("akqi", "电子政务办填报员", "jixiao-akqi-2021", Role::Department),
];

/// What `load` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded {
        project_id: i32,
    },
    /// The database already holds projects; nothing was changed.
    AlreadyPopulated,
}

/// Loads the demo project and the demo accounts into an empty database; leaves a populated one
/// untouched.
pub async fn load(db: &DatabaseConnection) -> Result<DemoOutcome> {
    if store::projects::count(db).await? > 0 {
        return Ok(DemoOutcome::AlreadyPopulated);
    }
    let seed = seed_project().map_err(|e| Error::Db(sea_orm::DbErr::Custom(e)))?;
    let project_id = insert_projects(db, std::slice::from_ref(&seed)).await?.first().copied().unwrap_or_default();
    let department = store::directory::department_by_name(db, &seed.department).await?.map(|d| d.id);
    for (username, name, password, role) in DEMO_USERS {
        let new = NewUser {
            username: username.to_owned(),
            display_name: name.to_owned(),
            password: password.to_owned(),
            role,
            department_id: if role == Role::Department { department } else { None },
        };
        match create_user(db, new).await {
            Ok(_) | Err(Error::Invalid(Invalid::Duplicate { .. })) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(DemoOutcome::Loaded { project_id })
}

/// The documented self-evaluation of the demo project (docs/examples); the demo takes its 分值.
pub const EXAMPLE_EVALUATION: &str = include_str!("../../docs/examples/self-evaluation.json");

/// The seed project as the importer reads it from [`SEED_TEXT`] (the published table has no
/// 分值), with the 分值 of the documented example so that it can be submitted as declared.
pub fn seed_project() -> Result<NewProject, String> {
    let result = domain::import::import_target_tables(SEED_TEXT);
    let project = result.projects.first().ok_or("示例文本中没有找到绩效目标表")?;
    let mut new = to_new_project(project).map_err(|e| e.to_string())?;
    let example: domain::selfeval::SelfEvaluation =
        serde_json::from_str(EXAMPLE_EVALUATION).map_err(|e| format!("示例自评数据无法读取：{e}"))?;
    for ind in &mut new.indicators {
        let weight = example.indicators.iter().find(|e| e.name == ind.name).map(|e| e.weight);
        ind.weight = Some(weight.ok_or_else(|| format!("示例自评数据缺少指标“{}”", ind.name))?);
    }
    Ok(new)
}
