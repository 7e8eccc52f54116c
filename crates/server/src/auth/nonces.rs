//! The signature nonces seen in the last 31 minutes. Checked in memory, so that a call costs no
//! database write; written to the database in batches a few times a second, and read back at
//! start, so that a replay is refused across a restart too. Servers that share a database
//! (PostgreSQL) also claim each nonce there before answering, as a replay may reach another.

use std::collections::HashMap;
use std::sync::Mutex;

use ota_model::UtcTime;
use sha2::{Digest, Sha256};

use crate::store::Store;

/// How often the nonces seen are written to the database: what a crash can forget.
pub const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// A nonce as remembered: (AccessKeyId, nonce) hashed to 128 bits, so that an entry is small
/// whatever a client sends.
type Fingerprint = u128;

fn fingerprint(access_key_id: &str, nonce: &str) -> Fingerprint {
    let digest = Sha256::new().chain_update(access_key_id).chain_update([0]).chain_update(nonce).finalize();
    u128::from_be_bytes(digest[..16].try_into().unwrap_or_default())
}

#[derive(Default)]
pub struct Nonces {
    /// Fingerprint → when it may be forgotten (milliseconds).
    seen: Mutex<HashMap<Fingerprint, i64>>,
    /// Seen since the last flush, with when each may be forgotten.
    unsaved: Mutex<Vec<(Fingerprint, UtcTime)>>,
}

impl Nonces {
    /// Records the nonce; false if it was seen before and is still remembered.
    pub fn first_use(&self, access_key_id: &str, nonce: &str, forget_at: UtcTime, now: UtcTime) -> bool {
        self.first_here(fingerprint(access_key_id, nonce), forget_at, now, true)
    }

    /// Records the nonce, here and, when other servers share `store`, there at once (a replay
    /// may reach another server); false if it was seen before and is still remembered.
    pub async fn first_use_in(
        &self,
        store: &Store,
        access_key_id: &str,
        nonce: &str,
        forget_at: UtcTime,
        now: UtcTime,
    ) -> Result<bool, sqlx::Error> {
        let fingerprint = fingerprint(access_key_id, nonce);
        if !store.is_shared() {
            return Ok(self.first_here(fingerprint, forget_at, now, true));
        }
        // Not queued for the next flush: the claim writes it, and a flush first would refuse it.
        if !self.first_here(fingerprint, forget_at, now, false) {
            return Ok(false);
        }
        store.claim_nonce(fingerprint, forget_at).await
    }

    /// Records a fingerprint in memory (and, with `queue`, for the next flush); false if it
    /// was seen before and is still remembered.
    fn first_here(&self, fingerprint: Fingerprint, forget_at: UtcTime, now: UtcTime, queue: bool) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.insert(fingerprint, forget_at.millis()) {
            Some(until) if until > now.millis() => false,
            _ => {
                drop(seen);
                if queue {
                    self.unsaved.lock().unwrap_or_else(|e| e.into_inner()).push((fingerprint, forget_at));
                }
                true
            }
        }
    }

    /// Reads back the nonces the database remembers (at start).
    pub async fn load(&self, store: &Store, now: UtcTime) -> Result<(), sqlx::Error> {
        let remembered = store.remembered_nonces(now).await?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        for (fingerprint, forget_at) in remembered {
            seen.insert(fingerprint, forget_at.millis());
        }
        Ok(())
    }

    /// Writes the nonces seen since the last flush; kept for the next one if that fails.
    pub async fn flush(&self, store: &Store) -> Result<(), sqlx::Error> {
        let batch = std::mem::take(&mut *self.unsaved.lock().unwrap_or_else(|e| e.into_inner()));
        if batch.is_empty() {
            return Ok(());
        }
        if let Err(error) = store.remember_nonces(&batch).await {
            self.unsaved.lock().unwrap_or_else(|e| e.into_inner()).extend(batch);
            return Err(error);
        }
        Ok(())
    }

    /// Forgets the nonces that can no longer be replayed.
    pub fn prune(&self, now: UtcTime) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, until| *until > now.millis());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> UtcTime {
        UtcTime::from_millis(millis).unwrap()
    }

    #[test]
    fn a_nonce_is_accepted_once_per_key_until_it_may_be_forgotten() {
        let nonces = Nonces::default();
        assert!(nonces.first_use("LTAIa", "n1", at(2_000), at(1_000)));
        assert!(!nonces.first_use("LTAIa", "n1", at(2_500), at(1_500)), "a replay");
        assert!(nonces.first_use("LTAIb", "n1", at(2_000), at(1_000)), "another key's nonce");
        assert!(nonces.first_use("LTAIa", "n1", at(4_000), at(3_000)), "remembered no longer");
        nonces.prune(at(5_000));
        assert!(nonces.seen.lock().unwrap().is_empty());
    }
}
