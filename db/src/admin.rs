//! Administration (系统管理员 only, checked here through `domain::workflow::require_admin`):
//! departments with their 主管部门, accounts, fiscal years and each year's scoring profile.
//! Every change is audited in its transaction.

use crate::accounts::{self, NewUser};
use crate::entities::{department, fiscal_year, phase_deadline, user};
use crate::error::{Error, Result};
use crate::store;
use crate::write::{self, Audit, Change, Write};
use crate::Key;
use chrono::Utc;
use domain::input::{self, Invalid};
use domain::todo;
use domain::vocab::{AuditAction, EntityKind, Field, Phase, ScoringProfile};
use domain::workflow::require_admin;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

fn audit(admin: &user::Model, kind: EntityKind, action: AuditAction) -> Audit<'_> {
    Audit { user: admin, at: Utc::now(), kind, project_id: None, action: Some(action) }
}

/// Creates fiscal year `year` with scoring profile `profile`.
pub async fn create_fiscal_year(
    db: &DatabaseConnection,
    admin: &user::Model,
    year: i32,
    profile: ScoringProfile,
) -> Result<fiscal_year::Model> {
    require_admin(&accounts::actor(admin))?;
    if !(2000..=2100).contains(&year) {
        return Err(Invalid::YearOutOfRange { year }.into());
    }
    let txn = write::begin(db).await?;
    if store::directory::fiscal_year_by_year(&txn, year).await?.is_some() {
        return Err(Invalid::Duplicate { field: Field::Year, value: year.to_string() }.into());
    }
    let saved = fiscal_year::ActiveModel { year: Set(year), scoring_profile: Set(Key(profile)), ..Default::default() }
        .insert(&txn)
        .await?;
    let changes =
        [Change::new(Field::Year, None, Some(&year)), Change::new(Field::ScoringProfile, None, Some(&Key(profile)))];
    write::record_changes(&txn, &audit(admin, EntityKind::FiscalYear, AuditAction::Create), saved.id, &changes).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Sets the scoring profile of a fiscal year.
pub async fn set_scoring_profile(
    db: &DatabaseConnection,
    admin: &user::Model,
    fiscal_year_id: i32,
    profile: ScoringProfile,
) -> Result<fiscal_year::Model> {
    require_admin(&accounts::actor(admin))?;
    let txn = write::begin(db).await?;
    let old =
        store::directory::fiscal_year(&txn, fiscal_year_id).await?.ok_or(Error::NotFound(EntityKind::FiscalYear))?;
    let change = Change::new(Field::ScoringProfile, Some(&old.scoring_profile), Some(&Key(profile)));
    if change.is_change() {
        fiscal_year::ActiveModel { id: Set(old.id), scoring_profile: Set(Key(profile)), ..Default::default() }
            .update(&txn)
            .await?;
        write::record_changes(&txn, &audit(admin, EntityKind::FiscalYear, AuditAction::Update), old.id, &[change])
            .await?;
    }
    let saved =
        store::directory::fiscal_year(&txn, fiscal_year_id).await?.ok_or(Error::NotFound(EntityKind::FiscalYear))?;
    // Every project of the year is scored under the new profile, in the same transaction.
    crate::scores::refresh_year(&txn, fiscal_year_id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Sets a fiscal year's deadlines (申报截止, 监控截止, 自评截止), each typed as in a date field
/// (`domain::todo::parse_deadline`; empty clears it). All or nothing: one unreadable date
/// changes none. Returns the deadlines as stored.
pub async fn set_deadlines(
    db: &DatabaseConnection,
    admin: &user::Model,
    fiscal_year_id: i32,
    texts: &[(Phase, String)],
) -> Result<todo::Deadlines> {
    require_admin(&accounts::actor(admin))?;
    let txn = write::begin(db).await?;
    let year =
        store::directory::fiscal_year(&txn, fiscal_year_id).await?.ok_or(Error::NotFound(EntityKind::FiscalYear))?;
    let parsed = texts
        .iter()
        .map(|(phase, text)| Ok((*phase, todo::parse_deadline(*phase, text, year.year)?)))
        .collect::<std::result::Result<Vec<_>, Invalid>>()?;
    let mut changes = Vec::new();
    for (phase, due) in parsed {
        let old = store::directory::deadline(&txn, fiscal_year_id, phase).await?;
        let change = Change::new(todo::deadline_field(phase), old.as_ref().map(|o| &o.due_on), due.as_ref());
        if !change.is_change() {
            continue;
        }
        match (old, due) {
            (Some(o), Some(d)) => {
                phase_deadline::ActiveModel { id: Set(o.id), due_on: Set(d), ..Default::default() }
                    .update(&txn)
                    .await?;
            }
            (Some(o), None) => {
                phase_deadline::Entity::delete_by_id(o.id).exec(&txn).await?;
            }
            (None, Some(d)) => {
                phase_deadline::ActiveModel {
                    fiscal_year_id: Set(fiscal_year_id),
                    phase: Set(Key(phase)),
                    due_on: Set(d),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            (None, None) => {}
        }
        changes.push(change);
    }
    if !changes.is_empty() {
        write::record_changes(&txn, &audit(admin, EntityKind::FiscalYear, AuditAction::Update), year.id, &changes)
            .await?;
    }
    let saved = store::directory::deadlines(&txn).await?.remove(&fiscal_year_id).unwrap_or_default();
    txn.commit().await?;
    Ok(saved)
}

/// Creates a department (预算单位), optionally under a 主管部门.
pub async fn create_department(
    db: &DatabaseConnection,
    admin: &user::Model,
    name: &str,
    parent_id: Option<i32>,
) -> Result<department::Model> {
    require_admin(&accounts::actor(admin))?;
    let name = input::required_text(name, Field::Name, 100)?;
    let txn = write::begin(db).await?;
    if store::directory::department_by_name(&txn, &name).await?.is_some() {
        return Err(Invalid::Duplicate { field: Field::Name, value: name }.into());
    }
    if let Some(pid) = parent_id {
        if store::directory::department(&txn, pid).await?.is_none() {
            return Err(Invalid::UnknownReference { field: Field::ParentId }.into());
        }
    }
    let saved = department::ActiveModel { name: Set(name.clone()), parent_id: Set(parent_id), ..Default::default() }
        .insert(&txn)
        .await?;
    let changes = [Change::new(Field::Name, None, Some(&name)), Change::new(Field::ParentId, None, parent_id.as_ref())];
    write::record_changes(&txn, &audit(admin, EntityKind::Department, AuditAction::Create), saved.id, &changes).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Creates an account as `admin` (audited).
pub async fn create_user(db: &DatabaseConnection, admin: &user::Model, new: NewUser) -> Result<user::Model> {
    require_admin(&accounts::actor(admin))?;
    let txn = write::begin(db).await?;
    let saved = accounts::create_user_in(&txn, new).await?;
    let changes =
        [Change::new(Field::Username, None, Some(&saved.username)), Change::new(Field::Role, None, Some(&saved.role))];
    write::record_changes(&txn, &audit(admin, EntityKind::User, AuditAction::Create), saved.id, &changes).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Activates or deactivates an account as `admin`; a deactivated account cannot sign in and its
/// sessions end at their next request. Administrators cannot deactivate themselves.
pub async fn set_user_active(
    db: &DatabaseConnection,
    admin: &user::Model,
    user_id: i32,
    active: bool,
    expected_version: i32,
) -> Result<user::Model> {
    require_admin(&accounts::actor(admin))?;
    if user_id == admin.id && !active {
        return Err(Invalid::CannotDeactivateSelf.into());
    }
    let txn = write::begin(db).await?;
    let old = store::users::one(&txn, user_id).await?.ok_or(Error::NotFound(EntityKind::User))?;
    let changes =
        Write::<user::Entity>::new().field(Field::Active, user::Column::Active, Some(old.active), Some(active));
    let saved = write::upsert(
        &txn,
        Some(old),
        expected_version,
        vec![],
        changes,
        audit(admin, EntityKind::User, AuditAction::Update),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.row)
}
