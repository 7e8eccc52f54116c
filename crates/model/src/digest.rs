//! A package file's digests, computed as its bytes stream past: by the console before an
//! upload and by the server as it stores one, so that both spell them the same way.

use md5::{Digest as _, Md5};
use sha2::Sha256;

use crate::enums::SignMethod;

/// Digests being computed over a file's bytes, in order.
#[derive(Clone, Default)]
pub struct FileDigest {
    md5: Option<Md5>,
    sha256: Option<Sha256>,
    bytes: u64,
}

/// A finished file's size and the digests asked for, in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Digests {
    pub bytes: u64,
    pub md5: Option<String>,
    pub sha256: Option<String>,
}

impl FileDigest {
    /// Computes only what is needed: the signature's method, plus MD5 when `also_md5`
    /// (multi-file packages give each file's MD5 beside its signature).
    pub fn for_sign(method: SignMethod, also_md5: bool) -> Self {
        let md5 = method == SignMethod::Md5 || also_md5;
        let sha256 = method == SignMethod::Sha256;
        Self { md5: md5.then(Md5::new), sha256: sha256.then(Sha256::new), bytes: 0 }
    }

    pub fn update(&mut self, chunk: &[u8]) {
        if let Some(md5) = &mut self.md5 {
            md5.update(chunk);
        }
        if let Some(sha256) = &mut self.sha256 {
            sha256.update(chunk);
        }
        self.bytes += chunk.len() as u64;
    }

    /// Bytes seen so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn finish(self) -> Digests {
        Digests {
            bytes: self.bytes,
            md5: self.md5.map(|d| format!("{:x}", d.finalize())),
            sha256: self.sha256.map(|d| format!("{:x}", d.finalize())),
        }
    }
}

impl Digests {
    /// The signature for `method`, when it was computed.
    pub fn sign(&self, method: SignMethod) -> Option<&str> {
        match method {
            SignMethod::Md5 => self.md5.as_deref(),
            SignMethod::Sha256 => self.sha256.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lowercase_hex_of_the_whole_stream() {
        let mut digest = FileDigest::for_sign(SignMethod::Sha256, true);
        digest.update(b"ab");
        digest.update(b"c");
        let done = digest.finish();
        assert_eq!(done.bytes, 3);
        assert_eq!(done.md5.as_deref(), Some("900150983cd24fb0d6963f7d28e17f72"));
        assert_eq!(
            done.sign(SignMethod::Sha256),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }

    #[test]
    fn only_the_digests_asked_for_are_computed() {
        let done = FileDigest::for_sign(SignMethod::Md5, false).finish();
        assert_eq!(done.md5.as_deref(), Some("d41d8cd98f00b204e9800998ecf8427e"));
        assert_eq!(done.sha256, None);
    }
}
