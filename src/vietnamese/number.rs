//! Numbers the Vietnamese way: `351,05`, `1.234.567`, `-3,5`.

/// Formats `value` with `decimals` places, or with up to two places and no
/// trailing zeros when `decimals` is `None`.
pub fn format_number(value: f64, decimals: Option<usize>) -> String {
    let places = decimals.unwrap_or(2);
    let fixed = format!("{:.*}", places, value.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let frac = if decimals.is_none() { frac.trim_end_matches('0') } else { frac };
    let mut out = String::with_capacity(fixed.len() + int.len() / 3 + 1);
    if value < 0.0 && fixed.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.push('-');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_comma_decimals_and_dot_thousands() {
        assert_eq!(format_number(351.05, None), "351,05");
        assert_eq!(format_number(1_234_567.0, None), "1.234.567");
        assert_eq!(format_number(-3.5, None), "-3,5");
        assert_eq!(format_number(1234.5, None), "1.234,5");
        assert_eq!(format_number(65.0, None), "65");
        assert_eq!(format_number(19.234, Some(1)), "19,2");
        assert_eq!(format_number(-0.001, None), "0");
    }
}
