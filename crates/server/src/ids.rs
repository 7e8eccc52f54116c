//! Identifiers this server issues, in the style of Alibaba's: random base-62 strings.

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random base-62 characters (from the operating system's random source, via uuid).
pub fn random(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        // 122 random bits per UUID; 20 base-62 digits use 119 of them.
        let mut bits = uuid::Uuid::new_v4().as_u128();
        for _ in 0..20 {
            if out.len() == len {
                break;
            }
            out.push(ALPHABET[(bits % 62) as usize] as char);
            bits /= 62;
        }
    }
    out
}

/// Package, batch, task and device IDs: 26 characters.
pub fn object_id() -> String {
    random(26)
}

/// Product keys: `a1` and nine more characters, like Alibaba's.
pub fn product_key() -> String {
    format!("a1{}", random(9))
}

/// Device secrets: 32 lower-case hex digits.
pub fn device_secret() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Names of uploaded files: long enough to be unguessable, as the URL is the capability.
pub fn file_key() -> String {
    random(40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_length_and_alphabet() {
        let id = object_id();
        assert_eq!(id.len(), 26);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(object_id(), object_id());
        assert!(product_key().starts_with("a1") && product_key().len() == 11);
        assert_eq!(device_secret().len(), 32);
        assert_eq!(file_key().len(), 40);
    }
}
