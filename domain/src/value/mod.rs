//! 指标值: the value grammar and units (domain-rules.md §3).
//!
//! A target (指标值) or actual (实际完成值) is read from the text of a table cell into a
//! [`Target`]: what it says ([`ValueKind`]: a quantity with comparator, a range, a date, a
//! qualitative phrase, not applicable, an unfilled placeholder, or invalid) and what was assumed
//! or looks suspicious on the way ([`Flag`], each with a Chinese message). Reading never fails
//! and never panics; real-data traps (full-width digits, "40,000", "968.191 8", OCR "292%",
//! Excel serials, "**") are flagged, never silently fixed.
//!
//! ```
//! use domain::value::{parse_target, parse_actual, compare_quantities, Comparator, TargetContext};
//!
//! let target = parse_target("≤40000 元/年", &TargetContext::default());
//! assert_eq!(target.comparator(), Some(Comparator::Le));
//! let actual = parse_actual("3.8万元");
//! let both = compare_quantities(target.quantity().unwrap(), actual.quantity().unwrap()).unwrap();
//! assert_eq!((both.target.to_string(), both.actual.to_string(), both.unit.as_str()), ("40000".into(), "38000".into(), "元"));
//! ```
//!
//! Layout: `types` (the data), `grammar` (normalising and reading the text), `unit` (计量单位),
//! `date` (deadlines and Excel serials), `parse` (context: columns, categories, flags),
//! `compare` (bringing target and actual to one unit).

mod compare;
mod date;
mod grammar;
mod parse;
mod types;
mod unit;

#[cfg(test)]
mod tests;

pub use compare::{compare_quantities, compare_targets, Comparable, UnitError};
pub use date::{excel_serial_to_date, read_date};
pub(crate) use parse::clear_value_prefix;
pub use parse::{parse_actual, parse_actual_with, parse_target, split_glued_value};
pub use types::{Comparator, Dimension, Flag, Quantity, Target, TargetContext, Unit, ValueKind};
