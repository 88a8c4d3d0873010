//! Reusable view pieces. They only display; data comes from `api`, rules from `domain`.

mod adjustments;
mod audit_table;
mod charts;
mod comments;
mod declaration_editor;
mod error_notice;
mod evaluation_form;
mod fields;
mod header_editor;
mod hydrated;
mod indicator_table;
mod monitoring_form;
mod project_state;
mod user_menu;
mod workflow_panel;

pub use adjustments::Adjustments;
pub use audit_table::AuditTable;
pub use charts::{ChartFigure, ProjectCharts};
pub use comments::Comments;
pub use declaration_editor::DeclarationEditor;
pub use error_notice::ErrorNotice;
pub use evaluation_form::EvaluationForm;
pub use fields::{CheckCell, ChoiceCell, FormErrors, TextAreaCell, TextCell};
pub use header_editor::{HeaderEditor, HeaderFields, HeaderInputs, HeaderValues};
pub use hydrated::{load_page, use_hydrated};
pub use indicator_table::IndicatorTable;
pub use monitoring_form::MonitoringForm;
pub use project_state::{non_blank, phase_open, refresh_on_success, use_project_state, ProjectState, SaveStatus};
pub use user_menu::UserMenu;
pub use workflow_panel::{AuditPanel, WorkflowPanel};
