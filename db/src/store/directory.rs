//! Departments (with their 主管部门) and fiscal years (with their scoring profile and deadlines).

use crate::entities::{department, fiscal_year, phase_deadline};
use crate::Key;
use domain::todo::Deadlines;
use domain::vocab::ScoringProfile;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

pub async fn department(conn: &impl ConnectionTrait, id: i32) -> Result<Option<department::Model>, DbErr> {
    department::Entity::find_by_id(id).one(conn).await
}

pub async fn department_name(conn: &impl ConnectionTrait, id: i32) -> Result<Option<String>, DbErr> {
    Ok(department(conn, id).await?.map(|d| d.name))
}

pub async fn department_by_name(conn: &impl ConnectionTrait, name: &str) -> Result<Option<department::Model>, DbErr> {
    department::Entity::find().filter(department::Column::Name.eq(name.trim())).one(conn).await
}

pub async fn departments(conn: &impl ConnectionTrait) -> Result<Vec<department::Model>, DbErr> {
    department::Entity::find().order_by_asc(department::Column::Name).all(conn).await
}

/// The department's id, creating it (without a 主管部门) when it does not exist yet.
pub async fn department_id_or_create(conn: &impl ConnectionTrait, name: &str) -> Result<i32, DbErr> {
    if let Some(d) = department_by_name(conn, name).await? {
        return Ok(d.id);
    }
    let d = department::ActiveModel { name: Set(name.trim().to_owned()), parent_id: Set(None), ..Default::default() }
        .insert(conn)
        .await?;
    Ok(d.id)
}

pub async fn fiscal_year(conn: &impl ConnectionTrait, id: i32) -> Result<Option<fiscal_year::Model>, DbErr> {
    fiscal_year::Entity::find_by_id(id).one(conn).await
}

pub async fn fiscal_year_by_year(conn: &impl ConnectionTrait, year: i32) -> Result<Option<fiscal_year::Model>, DbErr> {
    fiscal_year::Entity::find().filter(fiscal_year::Column::Year.eq(year)).one(conn).await
}

/// Every fiscal year, newest first.
pub async fn fiscal_years(conn: &impl ConnectionTrait) -> Result<Vec<fiscal_year::Model>, DbErr> {
    fiscal_year::Entity::find().order_by_desc(fiscal_year::Column::Year).all(conn).await
}

/// The fiscal year's id, creating it (national scoring profile) when it does not exist yet.
pub async fn fiscal_year_id_or_create(conn: &impl ConnectionTrait, year: i32) -> Result<i32, DbErr> {
    if let Some(y) = fiscal_year_by_year(conn, year).await? {
        return Ok(y.id);
    }
    let y = fiscal_year::ActiveModel {
        year: Set(year),
        scoring_profile: Set(Key(ScoringProfile::National)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(y.id)
}

/// The scoring profile of a project's fiscal year (national when the project or year is unknown).
pub async fn profile_of_project(conn: &impl ConnectionTrait, project_id: i32) -> Result<ScoringProfile, DbErr> {
    let year = match crate::entities::project::Entity::find_by_id(project_id).one(conn).await? {
        Some(p) => fiscal_year(conn, p.fiscal_year_id).await?,
        None => None,
    };
    Ok(year.map_or(ScoringProfile::National, |y| y.scoring_profile.0))
}

/// The deadlines of every fiscal year, by fiscal year id (years without any are absent).
pub async fn deadlines(conn: &impl ConnectionTrait) -> Result<HashMap<i32, Deadlines>, DbErr> {
    let mut out: HashMap<i32, Deadlines> = HashMap::new();
    for row in phase_deadline::Entity::find().all(conn).await? {
        out.entry(row.fiscal_year_id).or_default().set(row.phase.0, Some(row.due_on));
    }
    Ok(out)
}

/// The deadline row of one fiscal year's phase.
pub async fn deadline(
    conn: &impl ConnectionTrait,
    fiscal_year_id: i32,
    phase: domain::vocab::Phase,
) -> Result<Option<phase_deadline::Model>, DbErr> {
    phase_deadline::Entity::find()
        .filter(phase_deadline::Column::FiscalYearId.eq(fiscal_year_id))
        .filter(phase_deadline::Column::Phase.eq(Key(phase)))
        .one(conn)
        .await
}
