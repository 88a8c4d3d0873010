//! 待办: for one fiscal year, the projects the user may see that still owe a phase (not
//! submitted, returned, overdue against the year's deadlines), grouped by department. Finance
//! and administrators see the county; a department user sees their own department's projects.

use super::AppError;
use domain::todo::{Counts, Deadlines, NaiveDate, TodoGroup};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoView {
    /// The year shown (`None` when the user may see no project at all).
    pub year: Option<i32>,
    /// Every year the user has projects in, newest first.
    pub years: Vec<i32>,
    /// Today in Beijing time, as the overdue days were counted.
    #[serde(with = "domain::todo::iso_date")]
    pub today: NaiveDate,
    pub deadlines: Deadlines,
    /// Projects of the year the user may see.
    pub projects: usize,
    pub groups: Vec<TodoGroup>,
    pub total: Counts,
}

/// The 待办 of `year` (default: the newest year the user has projects in).
#[server]
pub async fn todo_list(#[server(default)] year: Option<i32>) -> Result<TodoView, AppError> {
    let (_, actor) = super::ssr::require_user().await?;
    let db = super::ssr::db()?;
    ssr::todo(&db, &actor, year, super::ssr::beijing_today()).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::TodoView;
    use crate::api::AppError;
    use db::store::phases::PhaseState;
    use db::store::projects::ProjectRow;
    use db::DatabaseConnection;
    use domain::todo::{self, Deadlines, NaiveDate, TodoProject};
    use domain::workflow::{can_read, Actor, Status};
    use std::collections::HashMap;

    /// The years of `rows`, newest first, and the one to show: `asked` when there are projects
    /// in it, else the newest.
    pub fn pick_year(rows: &[ProjectRow], asked: Option<i32>) -> (Vec<i32>, Option<i32>) {
        let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let year = asked.filter(|y| years.contains(y)).or(years.first().copied());
        (years, year)
    }

    pub async fn todo(
        db: &DatabaseConnection,
        actor: &Actor,
        year: Option<i32>,
        today: NaiveDate,
    ) -> Result<TodoView, AppError> {
        let rows: Vec<_> = db::store::projects::list(db)
            .await?
            .into_iter()
            .filter(|r| can_read(actor, r.project.department_id))
            .collect();
        let (_, shown) = pick_year(&rows, year);
        let ids: Vec<i32> = rows.iter().filter(|r| Some(r.year) == shown).map(|r| r.project.id).collect();
        let phases = db::store::phases::of_projects(db, &ids).await?;
        of_rows(db, &rows, &phases, year, today).await
    }

    /// The 待办 of the projects `rows` the user may see, in year `asked` (or the newest), from
    /// their phases (`phases`, at least those of that year) and that year's deadlines.
    pub async fn of_rows(
        db: &DatabaseConnection,
        rows: &[ProjectRow],
        phases: &HashMap<i32, Vec<PhaseState>>,
        asked: Option<i32>,
        today: NaiveDate,
    ) -> Result<TodoView, AppError> {
        let (years, year) = pick_year(rows, asked);
        let of_year: Vec<&ProjectRow> = rows.iter().filter(|r| Some(r.year) == year).collect();
        let deadlines = match of_year.first() {
            Some(r) => db::store::directory::deadlines(db).await?.remove(&r.project.fiscal_year_id).unwrap_or_default(),
            None => Deadlines::default(),
        };
        let owing = of_year
            .iter()
            .map(|r| {
                let states = phases.get(&r.project.id).map(Vec::as_slice).unwrap_or_default();
                let status = |p| states.iter().find(|s| s.phase == p).map_or(Status::initial(p), |s| s.status);
                TodoProject {
                    id: r.project.id,
                    name: r.project.name.clone(),
                    department: r.department.clone(),
                    owed: todo::owed(status, &deadlines, today),
                }
            })
            .collect();
        let (groups, total) = todo::group(owing);
        Ok(TodoView { year, years, today, deadlines, projects: of_year.len(), groups, total })
    }
}
