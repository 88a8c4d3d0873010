//! Server functions: the only way the browser reaches data. Each returns plain serialisable
//! types; the database work and every access check run on the server (`ssr`).

pub mod auth;
pub mod projects;
pub mod workflow;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use auth::*;
pub use projects::*;
pub use workflow::*;
