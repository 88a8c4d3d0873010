//! One module per page.

mod login;
mod not_found;
mod project;
mod project_list;

pub use login::LoginPage;
pub use not_found::NotFound;
pub use project::ProjectPage;
pub use project_list::ProjectList;
