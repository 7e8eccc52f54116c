//! Decimal numbers the API writes as text (`GrayPercent`, `GrowthFactor`), kept as integers
//! scaled by a power of ten so that the arithmetic is exact.

/// `text` (digits, optionally `.` and at most `decimals` more digits) times 10^`decimals`;
/// `None` if it is not such a number or is too large.
pub fn parse_scaled(text: &str, decimals: usize) -> Option<u64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (text, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || fraction.len() > decimals || !digits(whole) || !digits(fraction) {
        return None;
    }
    let scale = 10_u64.pow(decimals as u32);
    let fraction: u64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<decimals$}").parse().ok()? };
    whole.parse::<u64>().ok()?.checked_mul(scale)?.checked_add(fraction)
}

/// Writes a scaled value back without trailing zeros: 1500 with 3 decimals is `1.5`.
pub fn format_scaled(value: u64, decimals: usize) -> String {
    let scale = 10_u64.pow(decimals as u32);
    let (whole, fraction) = (value / scale, value % scale);
    if fraction == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{fraction:0decimals$}").trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_and_write_exactly() {
        assert_eq!(parse_scaled("33.33", 3), Some(33_330));
        assert_eq!(parse_scaled("100", 3), Some(100_000));
        assert_eq!(parse_scaled("1.25", 2), Some(125));
        assert_eq!(format_scaled(33_330, 3), "33.33");
        assert_eq!(format_scaled(500, 2), "5");
        assert_eq!(format_scaled(5, 3), "0.005");
    }

    #[test]
    fn anything_else_is_not_a_decimal() {
        for text in ["", ".5", "1.", "1.2345", "-1", "1e3", "1,5", " 1", "9999999999"] {
            assert_eq!(parse_scaled(text, 3), None, "{text:?}");
        }
    }
}
