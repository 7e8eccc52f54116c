//! The master key that seals every stored secret. It lives outside the database (a file in the
//! data directory, or `OTA_MASTER_KEY`), so a copy of the database alone signs nothing.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// The file name of the master key inside the data directory.
pub const FILE_NAME: &str = "master.key";
/// The environment variable that may hold the master key instead (Base64 of 32 bytes).
pub const ENV: &str = "OTA_MASTER_KEY";

const NONCE_LEN: usize = 24;

/// Seals and opens secrets with XChaCha20-Poly1305: a random nonce per secret, stored before it.
#[derive(Clone)]
pub struct MasterKey {
    cipher: XChaCha20Poly1305,
    /// The key itself, for keys derived from it.
    bytes: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    /// A new random key, for tests and in-memory databases.
    pub fn generate() -> Self {
        Self::of(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    fn of(bytes: [u8; 32]) -> Self {
        Self { cipher: XChaCha20Poly1305::new(&bytes.into()), bytes }
    }

    /// A key for one `purpose`, derived from this one (HMAC-SHA256 of the purpose): the same on
    /// every start and every replica that shares the master key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        // HMAC takes a key of any length: no input reaches the expect.
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.bytes).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `OTA_MASTER_KEY` if set, else `<data_dir>/master.key`, created (mode 0600) when missing.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, String> {
        if let Ok(text) = std::env::var(ENV) {
            return Self::decode(&text).map_err(|e| format!("{ENV}: {e}"));
        }
        let path = data_dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::decode(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Self::create(&path),
            Err(error) => Err(format!("cannot read the master key {}: {error}", path.display())),
        }
    }

    fn create(path: &Path) -> Result<Self, String> {
        let fail = |e: std::io::Error| format!("cannot create the master key {}: {e}", path.display());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(fail)?;
        writeln!(file, "{}", STANDARD.encode(key)).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        Ok(Self::of(key.into()))
    }

    fn decode(text: &str) -> Result<Self, String> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| "the master key is not Base64".to_owned())?;
        let bytes: [u8; 32] =
            bytes.as_slice().try_into().map_err(|_| format!("the master key has {} bytes, not 32", bytes.len()))?;
        Ok(Self::of(bytes))
    }

    /// `secret` sealed: nonce then ciphertext and tag.
    pub fn seal(&self, secret: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption fails only for inputs of gigabytes; secrets are short.
        let sealed = self.cipher.encrypt(&nonce, secret.as_bytes()).expect("a secret of a few bytes seals");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The secret `sealed` holds, or none if another key sealed it or it was altered.
    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key() {
        let key = MasterKey::generate();
        let sealed = key.seal("s3cret-value");
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"), "the secret is not stored in clear");
        assert_eq!(key.open(&sealed).as_deref(), Some("s3cret-value"));
        assert_eq!(MasterKey::generate().open(&sealed), None);
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(&altered), None);
        assert_eq!(key.open(b"short"), None);
    }

    #[test]
    fn the_key_file_is_created_private_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = MasterKey::create(&dir.path().join(FILE_NAME)).unwrap();
        let sealed = first.seal("x");
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(MasterKey::decode(&text).unwrap().open(&sealed).as_deref(), Some("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(MasterKey::create(&dir.path().join(FILE_NAME)).is_err(), "never overwritten");
        assert!(MasterKey::decode("not base64!").is_err());
        assert!(MasterKey::decode(&STANDARD.encode([1u8; 16])).unwrap_err().contains("16 bytes"));
    }
}
