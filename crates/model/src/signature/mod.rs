//! Alibaba Cloud's request signatures, as its SDKs compute them: v1 (HMAC-SHA1 over the sorted
//! parameters, older SDKs and the CLI) and ACS3-HMAC-SHA256 (a canonical request, current SDKs).
//! The console signs with these and the server checks with the same code: one definition.
//! Pure computation; keys, clocks and nonces are the caller's.

pub mod acs3;
pub mod v1;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters is encoded, as both forms require (so a
/// space is `%20`, `*` is `%2A`, and `~` stays).
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A name or value percent-encoded as Alibaba's signatures encode it.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODED).to_string()
}

/// `name=value` pairs sorted by name in byte order (as the SDKs sort them), each encoded, joined
/// by `&`: the canonical query of both forms.
fn canonical_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut pairs: Vec<(&str, &str)> = params.into_iter().collect();
    pairs.sort();
    pairs.into_iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(encode("a b*c/d=e&f+g"), "a%20b%2Ac%2Fd%3De%26f%2Bg");
        assert_eq!(encode("防犯"), "%E9%98%B2%E7%8A%AF");
    }

    #[test]
    fn the_canonical_query_is_sorted_by_name_in_byte_order() {
        let query = canonical_query([("b", "2"), ("B", "x y"), ("a", "1"), ("Tag.10", "t"), ("Tag.2", "u")]);
        assert_eq!(query, "B=x%20y&Tag.10=t&Tag.2=u&a=1&b=2");
    }
}
