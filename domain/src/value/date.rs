//! Dates and deadlines: "2021年12月31日前", "2021-12-31", "2021年底前", "12月底前" (no year), and
//! Excel date serials ("44,561").

use chrono::{Days, Months, NaiveDate};

use super::grammar::leading_comparator;
use super::types::Comparator;

/// Converts an Excel date serial (1900 date system) to a date: 44561 → 2021-12-31.
///
/// Excel counts 1900-01-01 as 1 and, copying Lotus 1-2-3, treats 1900 as a leap year, so serial
/// 60 is the non-existent 1900-02-29 (`None`) and from 61 on serial n is 1899-12-30 + n days.
/// 0 and anything after 9999-12-31 (2958465) are `None`.
pub fn excel_serial_to_date(serial: u32) -> Option<NaiveDate> {
    let epoch = match serial {
        0 | 60 | 2_958_466.. => return None,
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    epoch.checked_add_days(Days::new(serial.into()))
}

/// A date as users type it — `2021-06-30`, `2021/6/30`, `2021年6月30日`, `2021年6月` (its last
/// day), full-width digits too — or `None` when the text is no date or an impossible one. The
/// value grammar's own date reading, without a comparator's meaning.
pub fn read_date(text: &str) -> Option<NaiveDate> {
    let (normalised, _) = super::grammar::normalise(text);
    match date_phrase(&normalised)? {
        DatePhrase::Dated { date, .. } => Some(date),
        DatePhrase::NoYear | DatePhrase::Impossible => None,
    }
}

/// What a date phrase says.
#[derive(Debug, PartialEq)]
pub(crate) enum DatePhrase {
    /// A full date; the comparator if 前/后 or a comparator word was written.
    Dated { comparator: Option<Comparator>, date: NaiveDate },
    /// A month and day (or month end) without a year: "12月底前", "12月31日".
    NoYear,
    /// Looks like a date but does not exist: "2021年13月1日", "2021-02-30".
    Impossible,
}

/// Words after a date: (word, comparator, closes the month or year: 底, 末, 内).
const DATE_SUFFIXES: &[(&str, Comparator, bool)] = &[
    ("底之前", Comparator::Le, true),
    ("底前", Comparator::Le, true),
    ("末前", Comparator::Le, true),
    ("底", Comparator::Le, true),
    ("末", Comparator::Le, true),
    ("之前", Comparator::Le, false),
    ("以前", Comparator::Le, false),
    ("前", Comparator::Le, false),
    ("以内", Comparator::Le, true),
    ("之内", Comparator::Le, true),
    ("内", Comparator::Le, true),
    ("之后", Comparator::Ge, false),
    ("以后", Comparator::Ge, false),
    ("后", Comparator::Ge, false),
];

/// Reads a date phrase, or `None` if the text is not one. Text after the date and its 前/后 may
/// follow ("前完成资金拨付") as long as it has no digits.
pub(crate) fn date_phrase(text: &str) -> Option<DatePhrase> {
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    let (prefix, rest) = leading_date_word(&compact);

    let (year, rest) = match take_uint(rest, 4) {
        Some((year, 4, after)) if (1900..=2200).contains(&year) => (Some(year), after),
        Some((_, 1..=2, _)) => (None, rest),
        _ => return None,
    };

    // 2021-12-31, 2021/12/31, 2021.12.31
    if let Some(year) = year {
        if let Some(sep) = rest.chars().next().filter(|c| matches!(c, '-' | '/' | '.')) {
            let (month, _, after_month) = take_uint(rest.get(1..)?, 2)?;
            let after_sep = after_month.strip_prefix(sep)?;
            let (day, _, after_day) = take_uint(after_sep, 2)?;
            let (suffix, _, tail) = date_suffix(after_day);
            return finish(Some(year), Some(month), Some(day), prefix.or(suffix), tail);
        }
    }

    // 2021年12月31日 / 2021年12月 / 2021年底 / 12月31日 / 12月底
    let rest = match year {
        Some(_) => rest.strip_prefix('年')?,
        None => rest,
    };
    let (month, rest) = match take_uint(rest, 2) {
        Some((month, _, after)) => (Some(month), after.strip_prefix('月')?),
        None => (None, rest.strip_prefix('年').unwrap_or(rest)), // "2021年年底"
    };
    let (day, rest) = match take_uint(rest, 2) {
        Some((day, _, after)) if month.is_some() => {
            (Some(day), after.strip_prefix('日').or_else(|| after.strip_prefix('号'))?)
        }
        Some(_) => return None,
        None => (None, rest),
    };
    let (suffix, closes_period, tail) = date_suffix(rest);
    match (year, month) {
        // "2021年12月31日", "2021年12月", "2021年底前", "2021年内"
        (Some(_), Some(_)) => {}
        (Some(_), None) if closes_period => {}
        // "12月31日", "12月底前": the year is unknown
        (None, Some(_)) if day.is_some() || suffix.is_some() => {
            return (!tail.contains(|c: char| c.is_ascii_digit())).then_some(DatePhrase::NoYear);
        }
        // "2021年度", "2021年前", "12月" (a duration, not a date)
        _ => return None,
    }
    finish(year, Some(month.unwrap_or(12)), day, prefix.or(suffix), tail)
}

/// A leading comparator word or 截至/截止 (≤), or a neutral 于/在.
fn leading_date_word(text: &str) -> (Option<Comparator>, &str) {
    if let Some((comparator, _, rest)) = leading_comparator(text) {
        return (Some(comparator), rest);
    }
    for word in ["截止到", "截止至", "截至", "截止"] {
        if let Some(rest) = text.strip_prefix(word) {
            return (Some(Comparator::Le), rest);
        }
    }
    for word in ["于", "在"] {
        if let Some(rest) = text.strip_prefix(word) {
            return (None, rest);
        }
    }
    (None, text)
}

fn date_suffix(text: &str) -> (Option<Comparator>, bool, &str) {
    DATE_SUFFIXES
        .iter()
        .find_map(|(w, c, closes)| text.strip_prefix(w).map(|rest| (Some(*c), *closes, rest)))
        .unwrap_or((None, false, text))
}

/// Builds the date; a missing day is the last day of the month.
fn finish(
    year: Option<u32>,
    month: Option<u32>,
    day: Option<u32>,
    comparator: Option<Comparator>,
    tail: &str,
) -> Option<DatePhrase> {
    if tail.contains(|c: char| c.is_ascii_digit() || c == '%') {
        return None;
    }
    let (year, month) = (i32::try_from(year?).ok()?, month?);
    let date = match day {
        Some(day) => NaiveDate::from_ymd_opt(year, month, day),
        None => NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|first| first.checked_add_months(Months::new(1)))
            .and_then(|next| next.pred_opt()),
    };
    Some(match date {
        Some(date) => DatePhrase::Dated { comparator, date },
        None => DatePhrase::Impossible,
    })
}

/// Up to `max_len` ASCII digits at the start: (value, digit count, rest).
fn take_uint(text: &str, max_len: usize) -> Option<(u32, usize, &str)> {
    let len = text.chars().take_while(|c| c.is_ascii_digit()).count();
    if len == 0 || len > max_len {
        return None;
    }
    // ASCII digits are one byte each, so `len` is a character boundary.
    let value = text.get(..len)?.parse().ok()?;
    Some((value, len, text.get(len..)?))
}
