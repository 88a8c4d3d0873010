//! The low-level reading of a value text: normalisation, comparator words, numbers, units and
//! ranges. Context (category, columns) is applied one level up, in `parse.rs`.
//!
//! Everything here works on `&str` with `strip_prefix`, `char_indices` and `get`, so no input can
//! make it slice inside a character or index out of bounds.

use super::types::{Comparator, Flag, Unit};

/// Normalises a value text: full-width ASCII (digits, ％, ＞ …) to half-width, ≧/≦ to ≥/≤, dashes to
/// "-", all whitespace runs to one space, trailing "。;," dropped. Returns the text and whether a
/// full-width character was converted (the ～ of ranges does not count: it is the usual sign).
pub(crate) fn normalise(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut full_width = false;
    for c in text.chars() {
        let c = match c {
            '～' | '〜' => '~',
            '\u{FF01}'..='\u{FF5E}' => {
                full_width = true;
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '≧' => '≥',
            '≦' => '≤',
            '—' | '–' | '―' | '−' => '-',
            '﹪' => '%',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_end_matches([' ', '。', ';', ',', '、']);
    (trimmed.to_owned(), full_width)
}

/// Chinese characters (CJK unified ideographs and extension A).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Comparator words as written in front of a number (after normalisation).
const COMPARATOR_WORDS: &[(&str, Comparator)] = &[
    ("≥", Comparator::Ge),
    (">=", Comparator::Ge),
    ("大于等于", Comparator::Ge),
    ("大于或等于", Comparator::Ge),
    ("不低于", Comparator::Ge),
    ("不少于", Comparator::Ge),
    ("不小于", Comparator::Ge),
    ("至少", Comparator::Ge),
    ("达到", Comparator::Ge),
    (">", Comparator::Gt),
    ("超过", Comparator::Gt),
    ("高于", Comparator::Gt),
    ("大于", Comparator::Gt),
    ("多于", Comparator::Gt),
    ("≤", Comparator::Le),
    ("<=", Comparator::Le),
    ("小于等于", Comparator::Le),
    ("小于或等于", Comparator::Le),
    ("不高于", Comparator::Le),
    ("不超过", Comparator::Le),
    ("不多于", Comparator::Le),
    ("不大于", Comparator::Le),
    ("不晚于", Comparator::Le),
    ("不迟于", Comparator::Le),
    ("控制在", Comparator::Le),
    ("至多", Comparator::Le),
    ("最多", Comparator::Le),
    ("<", Comparator::Lt),
    ("低于", Comparator::Lt),
    ("少于", Comparator::Lt),
    ("小于", Comparator::Lt),
    ("=", Comparator::Eq),
    ("等于", Comparator::Eq),
];

/// Comparator words written after the number and unit: "95%以上", "3天内", "10万元以内".
/// Longer words first, so "及以上" is not read as "以上" with a stray "及".
const SUFFIX_WORDS: &[(&str, Comparator)] = &[
    ("及以上", Comparator::Ge),
    ("或以上", Comparator::Ge),
    ("以上", Comparator::Ge),
    ("及以下", Comparator::Le),
    ("或以下", Comparator::Le),
    ("以下", Comparator::Le),
    ("以内", Comparator::Le),
    ("之内", Comparator::Le),
    ("内", Comparator::Le),
];

/// A whole text that is exactly one comparator word.
pub(crate) fn comparator_word(text: &str) -> Option<Comparator> {
    COMPARATOR_WORDS.iter().find(|(w, _)| *w == text).map(|(_, c)| *c)
}

/// The longest comparator word at the start of `text`: (comparator, word, rest).
pub(crate) fn leading_comparator(text: &str) -> Option<(Comparator, &'static str, &str)> {
    COMPARATOR_WORDS
        .iter()
        .filter_map(|(w, c)| text.strip_prefix(w).map(|rest| (*c, *w, rest)))
        .max_by_key(|(_, w, _)| w.len())
}

fn push_flag(flags: &mut Vec<Flag>, flag: Flag) {
    if !flags.contains(&flag) {
        flags.push(flag);
    }
}

/// Reads a decimal number at the start of `text`: optional sign, digits with "," thousands groups
/// ("40,000") and single spaces between digits ("968.191 8"), both flagged. Returns the number as
/// plain decimal text and the rest.
pub(crate) fn take_number<'a>(text: &'a str, flags: &mut Vec<Flag>) -> Option<(String, &'a str)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());

    let mut i = 0;
    let mut out = String::new();
    if matches!(at(0), Some('-' | '+')) && digit(1) {
        if at(0) == Some('-') {
            out.push('-');
        }
        i = 1;
    }
    if !digit(i) {
        return None;
    }
    let mut seen_point = false;
    loop {
        match at(i) {
            Some(c) if c.is_ascii_digit() => out.push(c),
            Some(',') if !seen_point && digit(i + 1) && digit(i + 2) && digit(i + 3) && !digit(i + 4) => {
                push_flag(flags, Flag::ThousandsSeparator)
            }
            Some('.') if !seen_point && digit(i + 1) => {
                seen_point = true;
                out.push('.');
            }
            Some(' ') if digit(i + 1) => push_flag(flags, Flag::SpaceInsideNumber),
            _ => break,
        }
        i += 1;
    }
    let rest = match chars.get(i) {
        Some(&(byte, _)) => text.get(byte..).unwrap_or(""),
        None => "",
    };
    Some((out, rest))
}

/// A number with the unit written after it (if any).
#[derive(Debug)]
pub(crate) struct Amount {
    pub number: String,
    pub unit: Option<Unit>,
}

/// The shape of a value text, before context is applied.
#[derive(Debug)]
pub(crate) enum Expr {
    /// "≥95%", "2 万元/年", "3天内"; `misread_two` when a leading "二" stood for ≥.
    Single { comparator: Option<Comparator>, misread_two: bool, amount: Amount },
    /// "80-90%", "80%～90%", "3至5个".
    Range { comparator: Option<Comparator>, low: Amount, high: Amount },
    /// No number where one should start ("有效保障", "≥", "年度资金支付完成率100%").
    NoNumber { comparator_word: Option<&'static str>, rest: String },
    /// A number followed by something that is not a unit.
    Unreadable { tail: String },
    /// A comparator before and a different one after: "≥5个以内".
    Contradiction,
}

/// Reads the shape of a normalised value text. Number-format flags go to `flags`.
pub(crate) fn expression(text: &str, flags: &mut Vec<Flag>) -> Expr {
    let text = text.trim();
    let (mut comparator, word, rest) = match leading_comparator(text) {
        Some((c, w, rest)) => (Some(c), Some(w), rest.trim_start()),
        None => (None, None, text),
    };
    // "约95%": "about" says nothing about the direction; it reads as if no comparator was written.
    let rest = match comparator {
        None => ["大约", "约"].iter().find_map(|w| rest.strip_prefix(w)).unwrap_or(rest),
        Some(_) => rest,
    };
    // "二95%": Chinese 二 never stands before Arabic digits; it is a misread ≥.
    let mut misread_two = false;
    let rest = match rest.strip_prefix('二') {
        Some(after) if comparator.is_none() && after.starts_with(|c: char| c.is_ascii_digit()) => {
            misread_two = true;
            comparator = Some(Comparator::Ge);
            after
        }
        _ => rest,
    };
    let Some((number, tail)) = take_number(rest, flags) else {
        return Expr::NoNumber { comparator_word: word, rest: rest.to_owned() };
    };

    if let Some((low_unit, high_text)) = split_range(tail) {
        let Some((high_number, high_tail)) = take_number(high_text, flags) else {
            return Expr::Unreadable { tail: tail.to_owned() };
        };
        return match (read_unit(low_unit), read_unit(high_tail)) {
            (Ok(low), Ok(high)) => Expr::Range {
                comparator,
                low: Amount { number, unit: low },
                high: Amount { number: high_number, unit: high },
            },
            _ => Expr::Unreadable { tail: tail.to_owned() },
        };
    }

    let (unit_text, suffix) = strip_suffix_comparator(tail);
    let comparator = match (comparator, suffix) {
        (Some(before), Some(after)) if before != after => return Expr::Contradiction,
        (before, after) => before.or(after),
    };
    match read_unit(unit_text) {
        Ok(unit) => Expr::Single { comparator, misread_two, amount: Amount { number, unit } },
        Err(()) => Expr::Unreadable { tail: tail.trim().to_owned() },
    }
}

/// An empty text is no unit; otherwise it must read as one.
fn read_unit(text: &str) -> Result<Option<Unit>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Unit::parse(text).map(Some).ok_or(())
}

/// Finds a range sign ("-", "~", "至", "到") after the first number, before any other digit, that
/// is followed by a second number: returns (unit text of the low end, text of the high end).
fn split_range(tail: &str) -> Option<(&str, &str)> {
    for (i, c) in tail.char_indices() {
        if c.is_ascii_digit() {
            return None;
        }
        if matches!(c, '-' | '~' | '至' | '到') {
            let after = tail.get(i + c.len_utf8()..)?.trim_start();
            return after.starts_with(|d: char| d.is_ascii_digit()).then(|| (tail.get(..i).unwrap_or(""), after));
        }
    }
    None
}

/// Strips "以上", "以内" … (and a neutral "左右") from the end of the unit text.
fn strip_suffix_comparator(tail: &str) -> (&str, Option<Comparator>) {
    let tail = tail.trim();
    let tail = tail.strip_suffix("左右").unwrap_or(tail);
    SUFFIX_WORDS.iter().find_map(|(w, c)| tail.strip_suffix(w).map(|rest| (rest, Some(*c)))).unwrap_or((tail, None))
}
