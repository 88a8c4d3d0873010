//! Server functions: the only way the browser reaches data. Each returns plain serialisable
//! types; the database work and every access check run on the server (`ssr`).

pub mod admin;
pub mod auth;
pub mod charts;
pub mod content;
pub mod cycle;
pub mod declare;
pub mod error;
pub mod imports;
pub mod projects;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod todo;
pub mod workflow;

pub use admin::*;
pub use auth::*;
pub use charts::*;
pub use content::*;
pub use cycle::*;
pub use declare::*;
pub use error::AppError;
pub use imports::*;
pub use projects::*;
pub use todo::*;
pub use workflow::*;
