//! One cell's value as the importer sees it, whatever format it came from.

use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

/// A non-empty cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A number cell; `percent` when its number format shows it as a percentage (0.95 → 95%).
    Number {
        value: Decimal,
        percent: bool,
    },
    /// A date cell (an Excel serial with a date format, or an ISO date from ods).
    Date(NaiveDate),
    Bool(bool),
    /// A formula error as Excel shows it: #DIV/0!, #REF! …
    Error(String),
}

impl Cell {
    /// A number from a float as the spreadsheet stored it: `Decimal::from_f64` keeps what the
    /// spreadsheet shows (0.1 stays 0.1); NaN and infinities are no number at all.
    pub fn number(value: f64, percent: bool) -> Cell {
        match Decimal::from_f64(value) {
            Some(d) => Cell::Number { value: d.normalize(), percent },
            None => Cell::Error("#NUM!".to_owned()),
        }
    }

    /// The cell as text for the value grammar: numbers without exponent or trailing zeros,
    /// percentages as "95%", dates as 2021-12-31, text trimmed.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number { value, percent: false } => value.normalize().to_string(),
            Cell::Number { value, percent: true } => format!("{}%", (value * Decimal::ONE_HUNDRED).normalize()),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(true) => "是".to_owned(),
            Cell::Bool(false) => "否".to_owned(),
            Cell::Error(e) => e.clone(),
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
}

/// Whether an Excel number format shows a percentage ("0%", "0.00%"), ignoring quoted text.
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numbers_read_as_shown() {
        assert_eq!(Cell::number(0.1, false).text(), "0.1");
        assert_eq!(Cell::number(40000.0, false).text(), "40000");
        assert_eq!(Cell::number(0.95, true).text(), "95%");
        assert_eq!(Cell::number(0.987, true).text(), "98.7%");
        assert_eq!(Cell::number(f64::NAN, false), Cell::Error("#NUM!".to_owned()));
        assert_eq!(Cell::Number { value: dec!(3.80), percent: false }.text(), "3.8");
        assert_eq!(Cell::Date(NaiveDate::from_ymd_opt(2021, 12, 31).unwrap()).text(), "2021-12-31");
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("#,##0.00"));
        assert!(!is_percent_format("0\"%\""));
        assert!(!is_percent_format("@"));
    }
}
