//! Timestamps as the API writes them.

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant in a `Utc…` response field: ISO-8601 in UTC with milliseconds,
/// `2019-11-04T06:22:19.566Z`. Requests carry instants as 13-digit epoch milliseconds instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(pub DateTime<Utc>);

impl UtcTime {
    /// The instant `millis` milliseconds after the Unix epoch, if chrono can represent it.
    pub fn from_millis(millis: i64) -> Option<Self> {
        Utc.timestamp_millis_opt(millis).single().map(Self)
    }

    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl Serialize for UtcTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UtcTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| Self(t.with_timezone(&Utc)))
            .map_err(|e| serde::de::Error::custom(format!("'{text}' is not an ISO-8601 time: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_utc_with_milliseconds_and_reads_it_back() {
        let t = UtcTime::from_millis(1_572_848_539_566).unwrap();
        assert_eq!(t.to_string(), "2019-11-04T06:22:19.566Z");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<UtcTime>(&json).unwrap(), t);
    }

    #[test]
    fn reads_other_offsets_as_the_same_instant() {
        let t: UtcTime = serde_json::from_str("\"2019-11-04T15:22:19.566+09:00\"").unwrap();
        assert_eq!(t.millis(), 1_572_848_539_566);
    }
}
