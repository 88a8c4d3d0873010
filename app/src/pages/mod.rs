//! One module per page.

mod admin;
mod login;
mod not_found;
mod project;
mod project_list;

pub use admin::AdminPage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use project::ProjectPage;
pub use project_list::ProjectList;
