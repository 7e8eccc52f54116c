//! Checking a device's MQTT password: the HMAC of its login's signed content, keyed by its
//! secret, in hex (either case).

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use md5::Md5;
use ota_model::device::credentials::{Login, SignMethod};
use sha1::Sha1;
use sha2::Sha256;

/// The device `login` names, if it exists, is not disabled and `password` is right for it.
pub async fn known_device(
    store: &crate::store::Store,
    login: &Login,
    password: &str,
) -> Result<Option<crate::store::connections::DeviceLogin>, sqlx::Error> {
    let known = store.device_login(&login.device).await?;
    Ok(known.filter(|device| !device.is_disabled() && password_matches(login, password, &device.device_secret)))
}

/// Whether `password` is what the device holding `secret` sends for `login`.
pub fn password_matches(login: &Login, password: &str, secret: &str) -> bool {
    let Some(expected) = password_for(login, secret) else { return false };
    // Compared without an early exit, so that timing says nothing about how much matched.
    expected.len() == password.len()
        && expected.bytes().zip(password.bytes()).fold(0, |diff, (a, b)| diff | (a ^ b.to_ascii_lowercase())) == 0
}

/// The password a device with `secret` sends for `login` (for simulated devices and tests).
pub fn password_for(login: &Login, secret: &str) -> Option<String> {
    let content = login.signed_content();
    match login.sign_method {
        SignMethod::HmacSha1 => sign::<Hmac<Sha1>>(secret, &content),
        SignMethod::HmacSha256 => sign::<Hmac<Sha256>>(secret, &content),
        SignMethod::HmacMd5 => sign::<Hmac<Md5>>(secret, &content),
    }
}

fn sign<M: Mac + KeyInit>(secret: &str, content: &str) -> Option<String> {
    let mut mac = <M as KeyInit>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(content.as_bytes());
    Some(mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(method: &str) -> Login {
        Login::parse(
            &format!("a1SMtr200Qx&sm200-0001|securemode=2,signmethod={method},timestamp=1700000000000|"),
            "sm200-0001&a1SMtr200Qx",
        )
        .unwrap()
    }

    #[test]
    fn the_right_secret_signs_the_right_password() {
        for method in ["hmacsha1", "hmacsha256", "hmacmd5"] {
            let password = password_for(&login(method), "s3cret").unwrap();
            assert!(password_matches(&login(method), &password, "s3cret"), "{method}");
            assert!(password_matches(&login(method), &password.to_uppercase(), "s3cret"), "{method} in capitals");
            assert!(!password_matches(&login(method), &password, "other"), "{method}");
            assert!(!password_matches(&login(method), &password[1..], "s3cret"), "{method}");
        }
    }

    #[test]
    fn passwords_are_alibabas_hmacs() {
        // Computed independently: Python's hmac.new(b"s3cret", content, hashlib.sha1).
        assert_eq!(password_for(&login("hmacsha1"), "s3cret").unwrap(), "4478ba54a59713c1a8aa4e59efa9be4a82fb03f2");
    }
}
