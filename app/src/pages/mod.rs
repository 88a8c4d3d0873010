//! One module per page.

mod admin;
mod admin_library;
mod import_targets;
mod imports;
mod login;
mod new_project;
mod not_found;
mod overview;
mod project;
mod project_list;
mod todo;

pub use admin::AdminPage;
pub use imports::ImportPage;
pub use login::LoginPage;
pub use new_project::NewProjectPage;
pub use not_found::NotFound;
pub use overview::OverviewPage;
pub use project::ProjectPage;
pub use project_list::ProjectList;
pub use todo::{TodoPage, TodoPanel};
