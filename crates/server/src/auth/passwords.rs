//! Passwords: argon2id hashes (PHC strings) and a throttle on failed sign-ins.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The shortest password a user may be given.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// An argon2id hash of `password` with a fresh salt, in PHC form.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches `hash` (constant time inside argon2).
pub fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the user does not exist, so that the answer takes as long
/// as for a wrong password and does not tell which names exist.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("no user has this password").unwrap_or_default())
}

/// Failed sign-ins allowed in a row before a user name is held back.
const FREE_FAILURES: u32 = 5;
/// How long a held-back name waits, doubling with each further failure, up to `MAX_HOLD`.
const FIRST_HOLD: Duration = Duration::from_secs(30);
const MAX_HOLD: Duration = Duration::from_secs(15 * 60);
/// Names remembered at most, so that a flood of made-up names cannot exhaust memory.
const MAX_REMEMBERED: usize = 10_000;

/// Counts failed sign-ins per user name (lower-cased) and holds a name back after too many.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// How long `user` must still wait, if held back.
    pub fn wait(&self, user: &str, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let (count, last) = failures.get(&user.to_lowercase())?;
        let until = *last + hold(*count)?;
        (until > now).then(|| until - now)
    }

    pub fn failed(&self, user: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= MAX_REMEMBERED {
            failures.retain(|_, (_, last)| now.duration_since(*last) < MAX_HOLD);
        }
        if failures.len() < MAX_REMEMBERED {
            let entry = failures.entry(user.to_lowercase()).or_insert((0, now));
            *entry = (entry.0 + 1, now);
        }
    }

    pub fn succeeded(&self, user: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&user.to_lowercase());
    }
}

/// The hold after `count` failures in a row.
fn hold(count: u32) -> Option<Duration> {
    let beyond = count.checked_sub(FREE_FAILURES)?;
    Some(FIRST_HOLD.saturating_mul(1 << beyond.min(10)).min(MAX_HOLD))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hashed = hash("correct horse battery").unwrap();
        assert!(hashed.starts_with("$argon2id$"), "{hashed}");
        assert!(verify(&hashed, "correct horse battery"));
        assert!(!verify(&hashed, "correct horse battery "));
        assert!(!verify("not a hash", "x"));
        assert!(!verify(decoy(), ""));
    }

    #[test]
    fn five_failures_are_free_then_the_name_waits_longer_each_time() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            assert_eq!(throttle.wait("Ops", start), None);
            throttle.failed("ops", start);
        }
        assert_eq!(throttle.wait("OPS", start), Some(FIRST_HOLD));
        assert_eq!(throttle.wait("ops", start + FIRST_HOLD), None);
        throttle.failed("ops", start + FIRST_HOLD);
        assert_eq!(throttle.wait("ops", start + FIRST_HOLD), Some(FIRST_HOLD * 2));
        assert_eq!(throttle.wait("someone-else", start), None);
        throttle.succeeded("ops");
        assert_eq!(throttle.wait("ops", start + FIRST_HOLD), None);
        assert_eq!(hold(40), Some(MAX_HOLD));
    }
}
