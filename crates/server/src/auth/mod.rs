//! Authentication and permissions: every API call is signed with an access key (long-lived, or
//! temporary from AssumeOTASession) and checked against that key's policy.
//!
//! `signed` reads a request's signature; `authenticate` finds the key, checks the signature, the
//! time and the nonce, and answers the `Principal`; `Principal::may` applies the policy.

pub mod cli;
pub mod downloads;
pub mod master_key;
pub mod nonces;
pub mod passwords;
mod principal;
pub mod sessions;
pub mod signed;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use ota_model::access::{BuiltIn, NONCE_MEMORY_SECONDS, Policy};
use ota_model::codes::auth as codes;
use ota_model::{UtcTime, signature};

pub use master_key::MasterKey;
pub use principal::Principal;
pub use sessions::SESSION_KEY_PREFIX;

use crate::http::ApiError;
use crate::store::Store;
use crate::store::access::Grant;

/// Why a call's credentials were refused: Alibaba's code, with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl Refusal {
    pub fn bad(code: &str, message: &str) -> Self {
        Self::bad_owned(code.to_owned(), message.to_owned())
    }

    pub fn bad_owned(code: String, message: String) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code, message }
    }

    fn method(message: &str) -> Self {
        Self::bad(codes::SIGNATURE_METHOD, message)
    }

    fn mismatch(message: String) -> Self {
        Self::bad_owned(codes::SIGNATURE_MISMATCH.to_owned(), message)
    }

    /// The caller's policy does not allow `action` on `instance`.
    pub fn forbidden(action: &str, instance: &str) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: codes::FORBIDDEN.to_owned(),
            message: format!("You are not authorized to do this action: iot:{action} on instance {instance}."),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError::Denied { status: refusal.status, code: refusal.code, message: refusal.message }
    }
}

/// The policies a server knows: the built-in ones and those of its `--config` file.
#[derive(Debug, Clone)]
pub struct Policies {
    by_name: BTreeMap<String, Arc<Policy>>,
}

impl Default for Policies {
    fn default() -> Self {
        Self::new(BTreeMap::new()).unwrap_or_else(|_| unreachable!("the built-ins are valid"))
    }
}

impl Policies {
    /// The built-ins plus `custom`; refuses documents that would silently allow nothing and
    /// names that shadow a built-in.
    pub fn new(custom: BTreeMap<String, Policy>) -> Result<Self, String> {
        let mut by_name: BTreeMap<String, Arc<Policy>> =
            BuiltIn::ALL.iter().map(|b| (b.name().to_owned(), Arc::new(b.policy()))).collect();
        for (name, policy) in custom {
            if by_name.contains_key(&name) {
                return Err(format!("the policy {name} is built in and cannot be redefined"));
            }
            let problems = policy.problems();
            if !problems.is_empty() {
                return Err(format!("the policy {name}: {}", problems.join("; ")));
            }
            by_name.insert(name, Arc::new(policy));
        }
        Ok(Self { by_name })
    }

    pub fn get(&self, name: &str) -> Option<Arc<Policy>> {
        self.by_name.get(name).cloned()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
}

/// What authentication needs besides the database: the master key, the policies, and the
/// sign-in throttle.
#[derive(Clone)]
pub struct Access {
    pub master_key: MasterKey,
    pub policies: Policies,
    pub sign_ins: Arc<passwords::Throttle>,
    pub nonces: Arc<nonces::Nonces>,
    /// Signs the package files' download URLs.
    pub downloads: downloads::Downloads,
    /// Access keys recently read, so that a busy client costs no database read per call.
    keys: Arc<KeyCache>,
}

/// AccessKeyId → when it was read, its principal and its secret.
type KeyCache = std::sync::Mutex<HashMap<String, (Instant, Principal, String)>>;

/// How long an access key read from the database is trusted: a key disabled or deleted with
/// the CLI (another process) is refused at most this much later.
pub const KEY_CACHE_SECONDS: u64 = 5;
/// Keys remembered at most (every entry is a real, enabled key).
const KEY_CACHE_SIZE: usize = 10_000;

impl Access {
    pub fn new(master_key: MasterKey, policies: Policies) -> Self {
        let downloads = downloads::Downloads::new(&master_key);
        let (sign_ins, nonces, keys) = (Arc::default(), Arc::default(), Arc::default());
        Self { master_key, policies, sign_ins, nonces, downloads, keys }
    }

    /// The principal `signed` proves, or why not. The signature is checked before the nonce is
    /// recorded, so that nobody without the secret can use up a client's nonces.
    pub async fn authenticate(
        &self,
        store: &Store,
        signed: &signed::Signed<'_>,
        now: UtcTime,
    ) -> Result<Principal, ApiError> {
        let (principal, secret) = if signed.access_key_id.starts_with(SESSION_KEY_PREFIX) {
            sessions::credentials(self, store, signed, now).await?
        } else {
            self.access_key(store, &signed.access_key_id).await?
        };
        if !signed.verify(&secret) {
            return Err(Refusal::mismatch(format!(
                "The signature does not match the request. What the server signed: {}",
                signed.string_to_sign()
            ))
            .into());
        }
        if !signature::is_fresh(signed.timestamp, now) {
            return Err(Refusal::bad(
                codes::TIMESTAMP_EXPIRED,
                "The request's time is more than 15 minutes from the server's; check the client's clock.",
            )
            .into());
        }
        let remember_until = UtcTime(now.0 + chrono::Duration::seconds(NONCE_MEMORY_SECONDS));
        if !self.nonces.first_use_in(store, &signed.access_key_id, &signed.nonce, remember_until, now).await? {
            return Err(Refusal::bad(
                codes::NONCE_USED,
                "This signature nonce was used before: a request is signed once.",
            )
            .into());
        }
        Ok(principal)
    }

    async fn access_key(&self, store: &Store, access_key_id: &str) -> Result<(Principal, String), ApiError> {
        let fresh = Duration::from_secs(KEY_CACHE_SECONDS);
        let cached = self.keys.lock().unwrap_or_else(|e| e.into_inner()).get(access_key_id).cloned();
        if let Some((_, principal, secret)) = cached.filter(|(read_at, ..)| read_at.elapsed() < fresh) {
            return Ok((principal, secret));
        }
        let (principal, secret) = self.read_access_key(store, access_key_id).await?;
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= KEY_CACHE_SIZE {
            keys.retain(|_, (read_at, ..)| read_at.elapsed() < fresh);
        }
        if keys.len() < KEY_CACHE_SIZE {
            keys.insert(access_key_id.to_owned(), (Instant::now(), principal.clone(), secret.clone()));
        }
        Ok((principal, secret))
    }

    async fn read_access_key(&self, store: &Store, access_key_id: &str) -> Result<(Principal, String), ApiError> {
        let key = store.access_key(access_key_id).await?.ok_or_else(|| Refusal {
            status: StatusCode::NOT_FOUND,
            code: codes::ACCESS_KEY_NOT_FOUND.to_owned(),
            message: format!("The AccessKeyId {access_key_id} is not known to this server."),
        })?;
        if !key.enabled {
            return Err(Refusal::bad(codes::ACCESS_KEY_INACTIVE, "This access key is disabled.").into());
        }
        let secret = self.open(&key.secret_sealed)?;
        let principal = Principal::of_key(&key, self.policy(&key.grant));
        Ok((principal, secret))
    }

    /// A stored secret in clear, or an internal error if the master key cannot open it.
    fn open(&self, sealed: &[u8]) -> Result<String, ApiError> {
        self.master_key.open(sealed).ok_or_else(|| {
            ApiError::Internal("a stored secret does not open with this master key (was the key file replaced?)".into())
        })
    }

    /// The policy a grant names; a name no longer configured allows nothing.
    fn policy(&self, grant: &Grant) -> Arc<Policy> {
        self.policies.get(&grant.policy).unwrap_or_else(|| {
            tracing::warn!(
                policy = grant.policy,
                "a principal names a policy this server does not know; it allows nothing"
            );
            Arc::new(Policy { version: "1".into(), statement: Vec::new() })
        })
    }
}
