//! Server functions: the only way the browser reaches data. Each returns plain serialisable
//! types; the database work and every access check run on the server (`ssr`).

pub mod admin;
pub mod auth;
pub mod content;
pub mod cycle;
pub mod projects;
pub mod workflow;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use admin::*;
pub use auth::*;
pub use content::*;
pub use cycle::*;
pub use projects::*;
pub use workflow::*;
