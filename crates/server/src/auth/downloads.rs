//! Time-limited download URLs for package files, as OSS signs them: an expiry and an HMAC in the
//! query. Devices get them in pushes and replies, API callers in QueryOTAFirmware; an unsigned,
//! altered or expired URL downloads nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use ota_model::UtcTime;
use sha2::Sha256;

use super::MasterKey;

/// How long a download URL works: a device told of an update may start downloading later.
pub const LIFETIME_SECONDS: i64 = 24 * 3600;

/// Signs and checks download URLs with a key derived from the master key.
#[derive(Clone)]
pub struct Downloads {
    key: [u8; 32],
}

impl std::fmt::Debug for Downloads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Downloads(..)")
    }
}

/// Why a download URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Unsigned,
    Expired,
    Altered,
}

impl Downloads {
    pub fn new(master_key: &MasterKey) -> Self {
        Self { key: master_key.derive("ota-files download URLs v1") }
    }

    /// `{base}/ota-files/{file_key}?Expires=…&Signature=…`, good for a day from `now`.
    pub fn url(&self, base: &str, file_key: &str, now: UtcTime) -> String {
        let expires = now.0.timestamp() + LIFETIME_SECONDS;
        let signature = URL_SAFE_NO_PAD.encode(self.mac(file_key, expires).finalize().into_bytes());
        format!("{}/ota-files/{file_key}?Expires={expires}&Signature={signature}", base.trim_end_matches('/'))
    }

    /// Whether the query of a download of `file_key` is signed and still good at `now`.
    pub fn check(
        &self,
        file_key: &str,
        expires: Option<&str>,
        signature: Option<&str>,
        now: UtcTime,
    ) -> Result<(), Refused> {
        let (Some(expires), Some(signature)) = (expires, signature) else { return Err(Refused::Unsigned) };
        let expires: i64 = expires.parse().map_err(|_| Refused::Altered)?;
        let given = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refused::Altered)?;
        self.mac(file_key, expires).verify_slice(&given).map_err(|_| Refused::Altered)?;
        if expires < now.0.timestamp() {
            return Err(Refused::Expired);
        }
        Ok(())
    }

    fn mac(&self, file_key: &str, expires: i64) -> Hmac<Sha256> {
        // HMAC takes a key of any length: no input reaches the expect.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("{file_key}\n{expires}").as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(url: &str, name: &str) -> Option<String> {
        url.split_once('?')?.1.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    #[test]
    fn a_download_url_works_for_its_file_for_a_day_and_only_as_signed() {
        let downloads = Downloads::new(&MasterKey::generate());
        let now = UtcTime(chrono::Utc::now());
        let url = downloads.url("http://ota.test/", "abc.bin", now);
        assert!(url.starts_with("http://ota.test/ota-files/abc.bin?Expires="), "{url}");
        let (expires, signature) = (query(&url, "Expires"), query(&url, "Signature"));
        let check =
            |key: &str, expires: Option<&str>, at: UtcTime| downloads.check(key, expires, signature.as_deref(), at);
        assert_eq!(check("abc.bin", expires.as_deref(), now), Ok(()));
        assert_eq!(check("other.bin", expires.as_deref(), now), Err(Refused::Altered));
        let later = expires.as_deref().map(|e| (e.parse::<i64>().unwrap() + 60).to_string());
        assert_eq!(check("abc.bin", later.as_deref(), now), Err(Refused::Altered), "a longer life is not signed");
        let tomorrow = UtcTime(now.0 + chrono::Duration::seconds(LIFETIME_SECONDS + 1));
        assert_eq!(check("abc.bin", expires.as_deref(), tomorrow), Err(Refused::Expired));
        assert_eq!(downloads.check("abc.bin", None, None, now), Err(Refused::Unsigned));
        let other_server = Downloads::new(&MasterKey::generate());
        assert_eq!(other_server.check("abc.bin", expires.as_deref(), signature.as_deref(), now), Err(Refused::Altered));
    }
}
