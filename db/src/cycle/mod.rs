//! The yearly cycle's writes, one module per part of a project's page: the declaration and its
//! submit check, target versions and mid-year 调整, 运行监控, 绩效自评 and 财政复核, comments, and
//! workflow transitions. Each write opens one transaction (`crate::write::begin`), checks who may
//! do it through `domain::workflow` (`access`), validates through `domain::input`, stores through
//! `crate::write::upsert` (optimistic lock + audit rows) and commits.
//!
//! Dependencies run one way: `transition` uses the submit checks of `declaration`, `monitoring`
//! and `evaluation` and the snapshot of `adjustment`; every module uses `access` and `crate::store`.

pub mod access;
pub mod adjustment;
pub mod carry_over;
pub mod comments;
pub mod declaration;
pub mod evaluation;
pub mod monitoring;
pub mod new_project;
pub mod target_import;
pub mod transition;
