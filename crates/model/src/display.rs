//! How values read for people, the same in the console and in the server's messages.

/// A byte count in binary units, one decimal below ten: `512 B`, `1.8 MiB`, `48 MiB`.
pub fn bytes(size: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if size < 1024 {
        return format!("{size} B");
    }
    let mut value = size as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1023.95 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let decimals = usize::from(value < 9.95);
    format!("{value:.decimals$} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn sizes_use_binary_units_with_a_decimal_only_when_small() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1.0 KiB");
        assert_eq!(bytes(1_884_160), "1.8 MiB");
        assert_eq!(bytes(49_366_016), "47 MiB");
        assert_eq!(bytes(10_239), "10 KiB");
        assert_eq!(bytes(1024 * 1024 - 1), "1.0 MiB");
        assert_eq!(bytes(3 * 1024_u64.pow(4)), "3.0 TiB");
    }
}
