//! Reusable view pieces. They only display; data comes from `api`, rules from `domain`.

mod audit_table;
mod error_notice;
mod hydrated;
mod indicator_table;
mod user_menu;
mod workflow_panel;

pub use audit_table::AuditTable;
pub use hydrated::use_hydrated;
pub use error_notice::{server_message, ErrorNotice};
pub use indicator_table::IndicatorTable;
pub use user_menu::UserMenu;
pub use workflow_panel::WorkflowPanel;
