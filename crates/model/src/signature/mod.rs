//! Alibaba Cloud's request signatures, as its SDKs compute them: v1 (HMAC-SHA1 over the sorted
//! parameters, older SDKs and the CLI) and ACS3-HMAC-SHA256 (a canonical request, current SDKs).
//! The console signs with these and the server checks with the same code: one definition.
//! Pure computation; keys, clocks and nonces are the caller's.

pub mod acs3;
pub mod v1;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::UtcTime;

/// Everything but RFC 3986's unreserved characters is encoded, as both forms require (so a
/// space is `%20`, `*` is `%2A`, and `~` stays).
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A name or value percent-encoded as Alibaba's signatures encode it.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODED).to_string()
}

/// The credentials a client signs with: a long-lived access key, or temporary credentials (with
/// their `SecurityToken`).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey").field("access_key_id", &self.access_key_id).finish_non_exhaustive()
    }
}

/// A request's time as both forms carry it (`Timestamp`, `x-acs-date`): `2026-12-06T19:32:47Z`.
pub fn timestamp(at: UtcTime) -> String {
    at.0.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A request's time, read back; any RFC 3339 time is accepted, as the SDKs differ in detail.
pub fn parse_timestamp(text: &str) -> Option<UtcTime> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|at| UtcTime(at.with_timezone(&chrono::Utc)))
}

/// Whether a request signed at `signed` may still be accepted at `now` (15 minutes either way).
pub fn is_fresh(signed: UtcTime, now: UtcTime) -> bool {
    (now.0 - signed.0).num_seconds().abs() <= crate::access::TIMESTAMP_WINDOW_SECONDS
}

/// `name=value` pairs sorted by name in byte order (as the SDKs sort them), each encoded, joined
/// by `&`: the canonical query of both forms.
fn canonical_query<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    canonical_query_spelled(params, EmptyValue::WithEquals)
}

/// How a parameter with an empty value is written into a canonical query: the SDKs differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EmptyValue {
    /// `Name=`, as the Python SDKs write it.
    WithEquals,
    /// `Name`, as some other SDKs write it.
    Bare,
}

fn canonical_query_spelled<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>, empty: EmptyValue) -> String {
    let mut pairs: Vec<(&str, &str)> = params.into_iter().collect();
    pairs.sort();
    let pair = |(name, value): (&str, &str)| match (value.is_empty(), empty) {
        (true, EmptyValue::Bare) => encode(name),
        _ => format!("{}={}", encode(name), encode(value)),
    };
    pairs.into_iter().map(pair).collect::<Vec<_>>().join("&")
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
    fn a_request_is_fresh_for_fifteen_minutes_either_way() {
        let now = parse_timestamp("2026-12-06T19:32:47Z").unwrap();
        assert_eq!(timestamp(now), "2026-12-06T19:32:47Z");
        let at = |text| parse_timestamp(text).unwrap();
        assert!(is_fresh(at("2026-12-06T19:17:47Z"), now));
        assert!(is_fresh(at("2026-12-06T19:47:47Z"), now));
        assert!(!is_fresh(at("2026-12-06T19:17:46Z"), now));
        assert!(!is_fresh(at("2026-12-06T19:47:48Z"), now));
        assert!(is_fresh(at("2026-12-06T19:32:47.123Z"), now), "fractions of a second are fine");
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn the_canonical_query_is_sorted_by_name_in_byte_order() {
        let query = canonical_query([("b", "2"), ("B", "x y"), ("a", "1"), ("Tag.10", "t"), ("Tag.2", "u")]);
        assert_eq!(query, "B=x%20y&Tag.10=t&Tag.2=u&a=1&b=2");
    }
}
