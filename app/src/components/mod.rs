//! Reusable view pieces. They only display; data comes from `api`, rules from `domain`.

mod error_notice;
mod indicator_table;

pub use error_notice::ErrorNotice;
pub use indicator_table::IndicatorTable;
