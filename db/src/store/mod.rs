//! Reads and single-table stores, one module per table or aggregate. These modules know tables,
//! not rules: permission checks, validation and the cycle's writes live in `crate::cycle`,
//! `crate::accounts` and `crate::admin`, which use them. A store module imports only entities,
//! columns and other store modules.

pub mod actuals;
pub mod audit;
pub mod comments;
pub mod directory;
pub mod monitoring;
pub mod phases;
pub mod projects;
pub mod users;
pub mod versions;
