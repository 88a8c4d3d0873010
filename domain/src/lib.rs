//! jixiao's domain: the rules of 项目支出绩效 as pure functions. No I/O, no database, no
//! framework: this crate compiles for the server and into the browser's WASM bundle, so a
//! score previewed in the browser is computed by the same code as the stored one.

pub mod import;
pub mod input;
pub mod library;
pub mod listing;
pub mod money;
pub mod scoring;
pub mod selfeval;
pub mod todo;
pub mod tree;
pub mod upload;
pub mod value;
pub mod vocab;
pub mod workflow;
