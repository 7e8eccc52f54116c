//! How a device logs in to the MQTT broker with Alibaba's device credentials: the client ID
//! `{anything}|securemode=…,signmethod=…,timestamp=…|`, the username `{dn}&{pk}`, and a
//! password that is the hex HMAC of [`Login::signed_content`] keyed by the device secret.
//! The HMAC itself is the server's to compute; this is the parsing and the text signed.

use std::fmt;

use super::DeviceId;
use crate::UtcTime;

/// How far a login's timestamp may be from the server's clock, either way: a captured login
/// replays for this long at most.
pub const LOGIN_WINDOW: chrono::Duration = chrono::Duration::minutes(15);

/// Timestamps below this are seconds (10^11 s is the year 5138); above, milliseconds.
const MILLISECONDS_FROM: u64 = 100_000_000_000;

/// The HMAC a device signed its password with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignMethod {
    HmacSha1,
    HmacSha256,
    HmacMd5,
}

/// A login's claims, read from the client ID and the username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub device: DeviceId,
    pub sign_method: SignMethod,
    /// The client ID before its `|…|` parameters.
    pub client_id: String,
    /// As the device sent it: milliseconds from most SDKs, seconds from linkkit.
    pub timestamp: Option<String>,
}

/// Why a login is refused before its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginError(pub String);

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Login {
    pub fn parse(client_id: &str, username: &str) -> Result<Self, LoginError> {
        let refuse = |why: String| Err(LoginError(why));
        let Some((device_name, product_key)) = username.split_once('&') else {
            return refuse(format!("the username '{username}' is not deviceName&productKey"));
        };
        if device_name.is_empty() || product_key.is_empty() {
            return refuse(format!("the username '{username}' is not deviceName&productKey"));
        }
        let (prefix, rest) = client_id.split_once('|').unwrap_or((client_id, ""));
        let params = rest.strip_suffix('|').unwrap_or(rest);
        let mut sign_method = None;
        let mut timestamp = None;
        // Other parameters (securemode, ext, _ss, lan, _v, …) are the SDK's business.
        for pair in params.split(',').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("signmethod", method)) => sign_method = Some(method),
                Some(("timestamp", ts)) => timestamp = Some(ts.to_owned()),
                _ => {}
            }
        }
        let sign_method = match sign_method.map(str::to_ascii_lowercase).as_deref() {
            Some("hmacsha1") => SignMethod::HmacSha1,
            Some("hmacsha256") => SignMethod::HmacSha256,
            Some("hmacmd5") => SignMethod::HmacMd5,
            Some(other) => return refuse(format!("the signmethod '{other}' is not hmacsha1, hmacsha256 or hmacmd5")),
            None => return refuse("the client ID names no signmethod".to_owned()),
        };
        if let Some(ts) = &timestamp
            && (ts.is_empty() || !ts.chars().all(|c| c.is_ascii_digit()))
        {
            return refuse(format!("the timestamp '{ts}' is not a number"));
        }
        Ok(Self {
            device: DeviceId { product_key: product_key.to_owned(), device_name: device_name.to_owned() },
            sign_method,
            client_id: prefix.to_owned(),
            timestamp,
        })
    }

    /// Whether the login was made within [`LOGIN_WINDOW`] of `now`. A login without a timestamp
    /// could be replayed forever, so it is refused too.
    pub fn is_fresh(&self, now: UtcTime) -> Result<(), LoginError> {
        let Some(text) = &self.timestamp else {
            return Err(LoginError("the client ID carries no timestamp".to_owned()));
        };
        let stale = || LoginError(format!("the timestamp {text} is more than 15 minutes from the server's clock"));
        let number: u64 = text.parse().map_err(|_| stale())?;
        let millis = if number < MILLISECONDS_FROM { number.checked_mul(1000) } else { Some(number) };
        let signed_at = millis
            .and_then(|ms| i64::try_from(ms).ok())
            .and_then(chrono::DateTime::from_timestamp_millis)
            .ok_or_else(stale)?;
        let skew = (now.0 - signed_at).abs();
        if skew > LOGIN_WINDOW { Err(stale()) } else { Ok(()) }
    }

    /// The text the password signs: each parameter's name then its value, in name order.
    pub fn signed_content(&self) -> String {
        let mut content = format!(
            "clientId{}deviceName{}productKey{}",
            self.client_id, self.device.device_name, self.device.product_key
        );
        if let Some(ts) = &self.timestamp {
            content += &format!("timestamp{ts}");
        }
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_names_its_device_method_and_timestamp() {
        let login = Login::parse(
            "a1SMtr200Qx&sm200-0001|securemode=2,signmethod=hmacsha256,timestamp=1700000000000|",
            "sm200-0001&a1SMtr200Qx",
        )
        .unwrap();
        assert_eq!(login.device.device_name, "sm200-0001");
        assert_eq!(login.sign_method, SignMethod::HmacSha256);
        assert_eq!(
            login.signed_content(),
            "clientIda1SMtr200Qx&sm200-0001deviceNamesm200-0001productKeya1SMtr200Qxtimestamp1700000000000"
        );
    }

    #[test]
    fn linkkit_extras_and_second_timestamps_are_fine() {
        let login = Login::parse(
            "a1SMtr200Qx&sm200-0001|securemode=3,signmethod=hmacsha1,ext=1,_ss=1,lan=Python,_v=1.2.13,timestamp=1700000000|",
            "sm200-0001&a1SMtr200Qx",
        )
        .unwrap();
        assert_eq!((login.sign_method, login.timestamp.as_deref()), (SignMethod::HmacSha1, Some("1700000000")));
    }

    #[test]
    fn without_a_timestamp_none_is_signed() {
        let login = Login::parse("dev1|securemode=3,signmethod=HmacMD5|", "dn&pk").unwrap();
        assert_eq!(login.signed_content(), "clientIddev1deviceNamednproductKeypk");
    }

    fn login_at(timestamp: &str) -> Login {
        Login::parse(&format!("dev1|signmethod=hmacsha1,timestamp={timestamp}|"), "dn&pk").unwrap()
    }

    #[test]
    fn a_login_is_fresh_within_fifteen_minutes_either_way_in_seconds_or_milliseconds() {
        let now = UtcTime(chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap());
        for fresh in ["1700000000", "1700000000000", "1699999100", "1700000900", "1699999100000", "1700000900000"] {
            assert_eq!(login_at(fresh).is_fresh(now), Ok(()), "{fresh}");
        }
        for stale in ["1699999099", "1700000901", "1699999099999", "1700000900001", "0", "99999999999999999999"] {
            let refused = login_at(stale).is_fresh(now).unwrap_err().0;
            assert!(refused.contains("15 minutes"), "{stale}: {refused}");
        }
    }

    #[test]
    fn a_login_without_a_timestamp_is_never_fresh() {
        let login = Login::parse("dev1|securemode=3,signmethod=HmacMD5|", "dn&pk").unwrap();
        let now = UtcTime(chrono::Utc::now());
        assert!(login.is_fresh(now).unwrap_err().0.contains("no timestamp"));
    }

    #[test]
    fn malformed_logins_say_what_is_wrong() {
        let refused = |client_id: &str, username: &str| Login::parse(client_id, username).unwrap_err().0;
        assert!(refused("x|signmethod=hmacsha1|", "no-ampersand").contains("deviceName&productKey"));
        assert!(refused("x|signmethod=hmacsha1|", "&pk").contains("deviceName&productKey"));
        assert!(refused("x|securemode=2|", "dn&pk").contains("no signmethod"));
        assert!(refused("x|signmethod=sha1|", "dn&pk").contains("'sha1'"));
        assert!(refused("x|signmethod=hmacsha1,timestamp=12a|", "dn&pk").contains("not a number"));
    }
}
