//! sea-orm entities, one file per table. The schema itself is defined by `migrations`.

pub mod audit_log;
pub mod department;
pub mod fiscal_year;
pub mod indicator;
pub mod project;
pub mod project_phase;
pub mod session;
/// Table `app_user`.
pub mod user;
