//! sea-orm entities, one file per table. The schema itself is defined by `migrations`.

pub mod actual_entry;
pub mod audit_log;
pub mod department;
pub mod fiscal_year;
pub mod import_record;
pub mod indicator;
pub mod indicator_comment;
pub mod indicator_library;
pub mod monitoring_entry;
pub mod phase_deadline;
pub mod project;
pub mod project_phase;
pub mod project_score;
pub mod review_score;
pub mod session;
pub mod target_version;
pub mod target_version_item;
/// Table `app_user`.
pub mod user;
