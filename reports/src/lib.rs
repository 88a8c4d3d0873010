//! Charts and documents, server-only (plotters, rust_xlsxwriter and docx-rs never reach the WASM):
//! - [`model`]: the report model — one project's report, a department's or the county's
//!   summary — read from the database with access checked, scored once;
//! - [`charts`]: the charts pages and documents show, drawn from the model (SVG and PNG);
//! - [`xlsx`]: 自评表, 目标表 and 汇总表 workbooks;
//! - [`docx`]: the 绩效自评报告 as a Word document with the charts;
//! - [`pdf`]: the same report as PDF, the DOCX converted by LibreOffice;
//! - [`export`]: which document for which project / department / county, access checked — the
//!   one entry point of the download routes and `jixiao export`.

pub mod charts;
pub mod docx;
pub mod export;
pub mod model;
pub mod pdf;
pub mod xlsx;

pub use charts::{Chart, ChartError};
pub use model::{ProjectReport, Scope, Summary};
