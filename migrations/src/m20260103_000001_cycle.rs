//! The yearly cycle's content: the scoring profile of each fiscal year; budget and execution
//! figures on projects; weight, direction, 取值依据, ★ and the parsed target on indicators;
//! target versions (年初批复 and each mid-year 调整, with who, when and why); mid-year monitoring
//! entries; year-end actuals; the finance bureau's re-scores; and comments per indicator.

use crate::{decimal_column, decimal_column_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FiscalYear {
    Table,
    ScoringProfile,
}

#[derive(DeriveIden)]
enum Project {
    Table,
    Id,
    BudgetInitial,
    BudgetFullYear,
    ExecutedFullYear,
    ExecutedJanJul,
    ExpectedExecution,
    ExecutionExplanation,
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Id,
    TargetParsed,
    Weight,
    Direction,
    Basis,
    Core,
}

#[derive(DeriveIden)]
enum TargetVersion {
    Table,
    Id,
    ProjectId,
    Number,
    State,
    Reason,
    CreatedBy,
    CreatedByName,
    CreatedAt,
    DecidedBy,
    DecidedByName,
    DecidedAt,
    DecisionNote,
}

#[derive(DeriveIden)]
enum TargetVersionItem {
    Table,
    Id,
    VersionId,
    IndicatorId,
    TargetText,
    Weight,
}

#[derive(DeriveIden)]
enum MonitoringEntry {
    Table,
    Id,
    IndicatorId,
    ProjectId,
    Progress,
    Forecast,
    Likelihood,
    DeviationCategory,
    DeviationReason,
    CorrectiveAction,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ActualEntry {
    Table,
    Id,
    IndicatorId,
    ProjectId,
    ActualText,
    ActualParsed,
    Grade,
    GradeScore,
    Evidence,
    Explanation,
    UpdatedBy,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ReviewScore {
    Table,
    Id,
    IndicatorId,
    ProjectId,
    Score,
    Reason,
    ReviewerId,
    ReviewerName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IndicatorComment {
    Table,
    Id,
    IndicatorId,
    ProjectId,
    AuthorId,
    AuthorName,
    Body,
    CreatedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().auto_increment().primary_key().to_owned()
}

fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().to_owned()
}

fn int_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().null().to_owned()
}

fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

fn at(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

fn version(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().default(0).to_owned()
}

fn to_indicator(table: impl IntoIden + 'static, col: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col(col)
        .to(Indicator::Table, Indicator::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn to_project(table: impl IntoIden + 'static, col: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col(col)
        .to(Project::Table, Project::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let add = |table: DynIden, col: ColumnDef| Table::alter().table(table).add_column(col).to_owned();
        let fy: DynIden = FiscalYear::Table.into_iden();
        let project: DynIden = Project::Table.into_iden();
        let indicator: DynIden = Indicator::Table.into_iden();
        let mut alters = vec![add(
            fy,
            ColumnDef::new(FiscalYear::ScoringProfile).string_len(32).not_null().default("national").to_owned(),
        )];
        for col in [
            Project::BudgetInitial,
            Project::BudgetFullYear,
            Project::ExecutedFullYear,
            Project::ExecutedJanJul,
            Project::ExpectedExecution,
        ] {
            alters.push(add(project.clone(), decimal_column_null(manager, col)));
        }
        alters.push(add(project, text_null(Project::ExecutionExplanation)));
        alters.push(add(indicator.clone(), text_null(Indicator::TargetParsed)));
        alters.push(add(indicator.clone(), decimal_column_null(manager, Indicator::Weight)));
        alters.push(add(indicator.clone(), ColumnDef::new(Indicator::Direction).string_len(8).null().to_owned()));
        alters.push(add(indicator.clone(), ColumnDef::new(Indicator::Basis).string_len(32).null().to_owned()));
        alters.push(add(indicator, ColumnDef::new(Indicator::Core).boolean().not_null().default(false).to_owned()));
        for alter in alters {
            manager.alter_table(alter).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TargetVersion::Table)
                    .col(id(TargetVersion::Id))
                    .col(int(TargetVersion::ProjectId))
                    .col(int(TargetVersion::Number))
                    .col(ColumnDef::new(TargetVersion::State).string_len(16).not_null())
                    .col(text_null(TargetVersion::Reason))
                    .col(int_null(TargetVersion::CreatedBy))
                    .col(ColumnDef::new(TargetVersion::CreatedByName).string().not_null())
                    .col(at(TargetVersion::CreatedAt))
                    .col(int_null(TargetVersion::DecidedBy))
                    .col(ColumnDef::new(TargetVersion::DecidedByName).string().null())
                    .col(ColumnDef::new(TargetVersion::DecidedAt).timestamp_with_time_zone().null())
                    .col(text_null(TargetVersion::DecisionNote))
                    .foreign_key(&mut to_project(TargetVersion::Table, TargetVersion::ProjectId))
                    .index(
                        Index::create()
                            .name("ux_target_version_number")
                            .col(TargetVersion::ProjectId)
                            .col(TargetVersion::Number)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TargetVersionItem::Table)
                    .col(id(TargetVersionItem::Id))
                    .col(int(TargetVersionItem::VersionId))
                    .col(int(TargetVersionItem::IndicatorId))
                    .col(ColumnDef::new(TargetVersionItem::TargetText).string().not_null())
                    .col(decimal_column_null(manager, TargetVersionItem::Weight))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TargetVersionItem::Table, TargetVersionItem::VersionId)
                            .to(TargetVersion::Table, TargetVersion::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut to_indicator(TargetVersionItem::Table, TargetVersionItem::IndicatorId))
                    .index(
                        Index::create()
                            .name("ux_target_version_item")
                            .col(TargetVersionItem::VersionId)
                            .col(TargetVersionItem::IndicatorId)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MonitoringEntry::Table)
                    .col(id(MonitoringEntry::Id))
                    .col(ColumnDef::new(MonitoringEntry::IndicatorId).integer().not_null().unique_key())
                    .col(int(MonitoringEntry::ProjectId))
                    .col(text_null(MonitoringEntry::Progress))
                    .col(text_null(MonitoringEntry::Forecast))
                    .col(ColumnDef::new(MonitoringEntry::Likelihood).string_len(16).null())
                    .col(ColumnDef::new(MonitoringEntry::DeviationCategory).string_len(16).null())
                    .col(text_null(MonitoringEntry::DeviationReason))
                    .col(text_null(MonitoringEntry::CorrectiveAction))
                    .col(int_null(MonitoringEntry::UpdatedBy))
                    .col(at(MonitoringEntry::UpdatedAt))
                    .col(version(MonitoringEntry::Version))
                    .foreign_key(&mut to_indicator(MonitoringEntry::Table, MonitoringEntry::IndicatorId))
                    .foreign_key(&mut to_project(MonitoringEntry::Table, MonitoringEntry::ProjectId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActualEntry::Table)
                    .col(id(ActualEntry::Id))
                    .col(ColumnDef::new(ActualEntry::IndicatorId).integer().not_null().unique_key())
                    .col(int(ActualEntry::ProjectId))
                    .col(text_null(ActualEntry::ActualText))
                    .col(text_null(ActualEntry::ActualParsed))
                    .col(ColumnDef::new(ActualEntry::Grade).string_len(16).null())
                    .col(decimal_column_null(manager, ActualEntry::GradeScore))
                    .col(text_null(ActualEntry::Evidence))
                    .col(text_null(ActualEntry::Explanation))
                    .col(int_null(ActualEntry::UpdatedBy))
                    .col(at(ActualEntry::UpdatedAt))
                    .col(version(ActualEntry::Version))
                    .foreign_key(&mut to_indicator(ActualEntry::Table, ActualEntry::IndicatorId))
                    .foreign_key(&mut to_project(ActualEntry::Table, ActualEntry::ProjectId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReviewScore::Table)
                    .col(id(ReviewScore::Id))
                    .col(int(ReviewScore::IndicatorId))
                    .col(int(ReviewScore::ProjectId))
                    .col(decimal_column(manager, ReviewScore::Score))
                    .col(ColumnDef::new(ReviewScore::Reason).text().not_null())
                    .col(int_null(ReviewScore::ReviewerId))
                    .col(ColumnDef::new(ReviewScore::ReviewerName).string().not_null())
                    .col(at(ReviewScore::CreatedAt))
                    .foreign_key(&mut to_indicator(ReviewScore::Table, ReviewScore::IndicatorId))
                    .foreign_key(&mut to_project(ReviewScore::Table, ReviewScore::ProjectId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IndicatorComment::Table)
                    .col(id(IndicatorComment::Id))
                    .col(int(IndicatorComment::IndicatorId))
                    .col(int(IndicatorComment::ProjectId))
                    .col(int_null(IndicatorComment::AuthorId))
                    .col(ColumnDef::new(IndicatorComment::AuthorName).string().not_null())
                    .col(ColumnDef::new(IndicatorComment::Body).text().not_null())
                    .col(at(IndicatorComment::CreatedAt))
                    .foreign_key(&mut to_indicator(IndicatorComment::Table, IndicatorComment::IndicatorId))
                    .foreign_key(&mut to_project(IndicatorComment::Table, IndicatorComment::ProjectId))
                    .to_owned(),
            )
            .await?;
        for (name, table, col) in [
            ("ix_review_score_project", ReviewScore::Table.into_iden(), ReviewScore::ProjectId.into_iden()),
            (
                "ix_indicator_comment_project",
                IndicatorComment::Table.into_iden(),
                IndicatorComment::ProjectId.into_iden(),
            ),
            ("ix_monitoring_entry_project", MonitoringEntry::Table.into_iden(), MonitoringEntry::ProjectId.into_iden()),
            ("ix_actual_entry_project", ActualEntry::Table.into_iden(), ActualEntry::ProjectId.into_iden()),
        ] {
            manager.create_index(Index::create().name(name).table(table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            IndicatorComment::Table.into_iden(),
            ReviewScore::Table.into_iden(),
            ActualEntry::Table.into_iden(),
            MonitoringEntry::Table.into_iden(),
            TargetVersionItem::Table.into_iden(),
            TargetVersion::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        let drop = |table: DynIden, col: DynIden| Table::alter().table(table).drop_column(col).to_owned();
        let mut drops = vec![drop(FiscalYear::Table.into_iden(), FiscalYear::ScoringProfile.into_iden())];
        for col in [
            Project::BudgetInitial.into_iden(),
            Project::BudgetFullYear.into_iden(),
            Project::ExecutedFullYear.into_iden(),
            Project::ExecutedJanJul.into_iden(),
            Project::ExpectedExecution.into_iden(),
            Project::ExecutionExplanation.into_iden(),
        ] {
            drops.push(drop(Project::Table.into_iden(), col));
        }
        for col in [
            Indicator::TargetParsed.into_iden(),
            Indicator::Weight.into_iden(),
            Indicator::Direction.into_iden(),
            Indicator::Basis.into_iden(),
            Indicator::Core.into_iden(),
        ] {
            drops.push(drop(Indicator::Table.into_iden(), col));
        }
        for d in drops {
            manager.alter_table(d).await?;
        }
        Ok(())
    }
}
