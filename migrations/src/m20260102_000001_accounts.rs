//! Accounts, sessions, the workflow status of each project phase, the audit log, and a `version`
//! column on projects and indicators for optimistic locking.
//!
//! Timestamps are `TIMESTAMPTZ` on PostgreSQL and RFC 3339 text in UTC on SQLite (sea-orm's
//! `DateTimeUtc` reads and writes both; all values share one format, so they compare in SQL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    Version,
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    DepartmentId,
    Active,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    Data,
    ExpiryDate,
}

#[derive(DeriveIden)]
enum ProjectPhase {
    Table,
    Id,
    ProjectId,
    Phase,
    Status,
    ReturnReason,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Username,
    Entity,
    EntityId,
    ProjectId,
    Field,
    OldValue,
    NewValue,
    Action,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().auto_increment().primary_key().to_owned()
}

fn version(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().default(0).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(id(AppUser::Id))
                    .col(ColumnDef::new(AppUser::Username).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(AppUser::DisplayName).string().not_null())
                    .col(ColumnDef::new(AppUser::PasswordHash).string().not_null())
                    .col(ColumnDef::new(AppUser::Role).string_len(16).not_null())
                    .col(ColumnDef::new(AppUser::DepartmentId).integer().null())
                    .col(ColumnDef::new(AppUser::Active).boolean().not_null().default(true))
                    .col(ColumnDef::new(AppUser::FailedLogins).integer().not_null().default(0))
                    .col(ColumnDef::new(AppUser::LockedUntil).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(AppUser::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(version(AppUser::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::DepartmentId)
                            .to(Department::Table, Department::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(ColumnDef::new(Session::Id).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(Session::Data).text().not_null())
                    .col(ColumnDef::new(Session::ExpiryDate).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_session_expiry").table(Session::Table).col(Session::ExpiryDate).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProjectPhase::Table)
                    .col(id(ProjectPhase::Id))
                    .col(ColumnDef::new(ProjectPhase::ProjectId).integer().not_null())
                    .col(ColumnDef::new(ProjectPhase::Phase).string_len(32).not_null())
                    .col(ColumnDef::new(ProjectPhase::Status).string_len(32).not_null())
                    .col(ColumnDef::new(ProjectPhase::ReturnReason).text().null())
                    .col(ColumnDef::new(ProjectPhase::UpdatedBy).integer().null())
                    .col(ColumnDef::new(ProjectPhase::UpdatedAt).timestamp_with_time_zone().not_null())
                    .col(version(ProjectPhase::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectPhase::Table, ProjectPhase::ProjectId)
                            .to(Project::Table, Project::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectPhase::Table, ProjectPhase::UpdatedBy)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .index(
                        Index::create()
                            .name("ux_project_phase")
                            .col(ProjectPhase::ProjectId)
                            .col(ProjectPhase::Phase)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        // Append-only and without foreign keys: the log outlives what it describes.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id(AuditLog::Id))
                    .col(ColumnDef::new(AuditLog::At).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(AuditLog::UserId).integer().null())
                    .col(ColumnDef::new(AuditLog::Username).string().not_null())
                    .col(ColumnDef::new(AuditLog::Entity).string_len(32).not_null())
                    .col(ColumnDef::new(AuditLog::EntityId).integer().not_null())
                    .col(ColumnDef::new(AuditLog::ProjectId).integer().null())
                    .col(ColumnDef::new(AuditLog::Field).string().null())
                    .col(ColumnDef::new(AuditLog::OldValue).text().null())
                    .col(ColumnDef::new(AuditLog::NewValue).text().null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(32).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_project")
                    .table(AuditLog::Table)
                    .col(AuditLog::ProjectId)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::Entity)
                    .col(AuditLog::EntityId)
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        manager
            .alter_table(Table::alter().table(Project::Table).add_column(version(Project::Version)).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Indicator::Table).add_column(version(Indicator::Version)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Indicator::Table).drop_column(Indicator::Version).to_owned()).await?;
        manager.alter_table(Table::alter().table(Project::Table).drop_column(Project::Version).to_owned()).await?;
        for t in [
            AuditLog::Table.into_iden(),
            ProjectPhase::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
