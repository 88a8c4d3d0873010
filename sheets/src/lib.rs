//! Spreadsheets in and out, server-only (calamine, rust_xlsxwriter and zip never reach the WASM):
//! - [`template`]: the 自评表 workbook a department downloads, pre-filled with its projects and
//!   indicators, with keys that survive editing;
//! - [`read`]: opening an upload by its bytes (xlsx / xls / ods), refusing hostile files before
//!   they are parsed, and streaming its rows;
//! - [`layout`]: finding headers by name (any column order, title rows above) and the rows and
//!   funds a sheet holds — pure, no database;
//! - [`targets`]: a 绩效目标表 workbook as the text the published-table importer reads;
//! - [`actuals`]: matching those rows to indicators and applying them through the same write path
//!   as the forms: a preview (dry run) or one all-or-nothing commit with an import record.

pub mod actuals;
pub mod address;
pub mod cell;
pub mod error;
pub mod layout;
pub mod read;
pub mod targets;
pub mod template;

pub use error::FileError;
pub use read::Limits;
