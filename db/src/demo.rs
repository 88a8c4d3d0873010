//! The demo project: 阿合奇县电子政务办公室 2021 年「政府网站维护费及业务经费」, read by the
//! target-table importer from the published budget disclosure it came from.

use crate::import::to_new_project;
use crate::queries::{insert_project, project_count, NewProject};
use sea_orm::{DatabaseConnection, DbErr};

/// The published 2021 budget disclosure whose last part is the demo project's 绩效目标表.
pub const SEED_TEXT: &str = include_str!("../../fixtures/000_a24f108f427dffbb.txt");

/// What `load` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { project_id: i32 },
    /// The database already holds projects; nothing was changed.
    AlreadyPopulated,
}

/// Loads the demo project into an empty database; leaves a populated one untouched.
pub async fn load(db: &DatabaseConnection) -> Result<DemoOutcome, DbErr> {
    if project_count(db).await? > 0 {
        return Ok(DemoOutcome::AlreadyPopulated);
    }
    let project_id = insert_project(db, &seed_project().map_err(DbErr::Custom)?).await?;
    Ok(DemoOutcome::Loaded { project_id })
}

/// The seed project as the importer reads it from [`SEED_TEXT`].
pub fn seed_project() -> Result<NewProject, String> {
    let result = domain::import::import_target_tables(SEED_TEXT);
    let project = result.projects.first().ok_or("示例文本中没有找到绩效目标表")?;
    to_new_project(project)
}
