//! Amounts in 万元, written the way Chinese budget tables write them.

use rust_decimal::{Decimal, RoundingStrategy};

/// Formats an amount of 万元 with thousands separators and 2 to 4 decimals
/// (4 decimals of 万元 is one 元): `10` → `"10.00"`, `968.1918` → `"968.1918"`,
/// `12345.6` → `"12,345.60"`.
pub fn format_wan(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero).normalize();
    let scale = rounded.scale().max(2);
    let text = format!("{:.*}", scale as usize, rounded.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + int_part.len() / 3 + 1);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        grouped.push('-');
    }
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if !frac_part.is_empty() {
        grouped.push('.');
        grouped.push_str(frac_part);
    }
    grouped
}

/// Reads a number typed into a form (万元, 分值, 得分): blank is `None`; full-width digits,
/// thousands separators and surrounding spaces are accepted; anything else is a Chinese error
/// naming `field`.
pub fn parse_input(field: &str, text: &str) -> Result<Option<Decimal>, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<Decimal>()
        .map(|d| Some(d.normalize()))
        .map_err(|_| format!("“{field}”应为数字，而不是“{}”", text.trim()))
}

#[cfg(test)]
mod tests {
    use super::{format_wan, parse_input};
    use rust_decimal_macros::dec;

    #[test]
    fn formats_like_budget_tables() {
        assert_eq!(format_wan(dec!(10)), "10.00");
        assert_eq!(format_wan(dec!(0)), "0.00");
        assert_eq!(format_wan(dec!(968.1918)), "968.1918");
        assert_eq!(format_wan(dec!(12345.6)), "12,345.60");
        assert_eq!(format_wan(dec!(1234567.891)), "1,234,567.891");
        assert_eq!(format_wan(dec!(-2500.5)), "-2,500.50");
        assert_eq!(format_wan(dec!(0.123456)), "0.1235");
        assert_eq!(format_wan(dec!(100)), "100.00");
    }

    #[test]
    fn reads_typed_numbers() {
        assert_eq!(parse_input("全年预算数", " 10 "), Ok(Some(dec!(10))));
        assert_eq!(parse_input("全年预算数", "1,234.50"), Ok(Some(dec!(1234.5))));
        assert_eq!(parse_input("全年预算数", "９．５"), Ok(Some(dec!(9.5))));
        assert_eq!(parse_input("全年预算数", "  "), Ok(None));
        assert_eq!(parse_input("全年预算数", "十万"), Err("“全年预算数”应为数字，而不是“十万”".to_owned()));
    }
}
