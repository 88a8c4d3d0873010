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

#[cfg(test)]
mod tests {
    use super::format_wan;
    use crate::input::number as parse_input;
    use crate::vocab::Field;
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
        assert_eq!(parse_input(Field::BudgetFullYear, " 10 "), Ok(Some(dec!(10))));
        assert_eq!(parse_input(Field::BudgetFullYear, "1,234.50"), Ok(Some(dec!(1234.5))));
        assert_eq!(parse_input(Field::BudgetFullYear, "９．５"), Ok(Some(dec!(9.5))));
        assert_eq!(parse_input(Field::BudgetFullYear, "  "), Ok(None));
        assert_eq!(
            parse_input(Field::BudgetFullYear, "十万"),
            Err(crate::input::Invalid::NotANumber { field: Field::BudgetFullYear, text: "十万".into() })
        );
    }
}
