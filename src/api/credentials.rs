//! Who the console signs as, per backend: credentials kept for this tab (sessionStorage) or, if
//! the operator asks, on this device (localStorage); each call signed with them (ACS3); and the
//! sign-in prompt, which calls that need it wait for instead of failing.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use futures_channel::oneshot;
use ota_model::UtcTime;
use ota_model::codes::auth as codes;
use ota_model::console_config::Environment;
use ota_model::signature::{self, AccessKey};
use serde::{Deserialize, Serialize};

/// Where credentials are kept, as a JSON object from endpoint URL to credentials.
pub const STORAGE_KEY: &str = "ota-console.credentials";

/// Temporary credentials are renewed once they have less than this left.
const RENEW_WITHIN_SECONDS: i64 = 10 * 60;

/// What the console signs with for one backend.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Kind")]
pub enum Credentials {
    /// An access key pair, for any Alibaba-compatible backend.
    AccessKey {
        #[serde(rename = "AccessKeyId")]
        access_key_id: String,
        #[serde(rename = "AccessKeySecret")]
        access_key_secret: String,
    },
    /// A user's temporary credentials from AssumeOTASession.
    User {
        #[serde(rename = "UserName")]
        user_name: String,
        #[serde(flatten)]
        session: ota_model::access::Credentials,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({})", self.who())
    }
}

impl Credentials {
    /// The user's name, or the AccessKeyId.
    pub fn who(&self) -> &str {
        match self {
            Credentials::AccessKey { access_key_id, .. } => access_key_id,
            Credentials::User { user_name, .. } => user_name,
        }
    }

    pub(super) fn signing_key(&self) -> AccessKey {
        match self {
            Credentials::AccessKey { access_key_id, access_key_secret } => AccessKey {
                access_key_id: access_key_id.clone(),
                access_key_secret: access_key_secret.clone(),
                security_token: None,
            },
            Credentials::User { session, .. } => AccessKey {
                access_key_id: session.access_key_id.clone(),
                access_key_secret: session.access_key_secret.clone(),
                security_token: Some(session.security_token.clone()),
            },
        }
    }

    /// When temporary credentials stop working.
    fn expiration(&self) -> Option<UtcTime> {
        match self {
            Credentials::AccessKey { .. } => None,
            Credentials::User { session, .. } => signature::parse_timestamp(&session.expiration),
        }
    }
}

fn now() -> UtcTime {
    UtcTime(chrono::Utc::now())
}

fn storage(remembered: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    if remembered { window.local_storage().ok().flatten() } else { window.session_storage().ok().flatten() }
}

/// What one storage holds; anything unreadable counts as nothing.
fn read_all(remembered: bool) -> BTreeMap<String, Credentials> {
    storage(remembered)
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_all(remembered: bool, all: &BTreeMap<String, Credentials>) {
    if let (Some(storage), Ok(text)) = (storage(remembered), serde_json::to_string(all)) {
        let _ = if all.is_empty() { storage.remove_item(STORAGE_KEY) } else { storage.set_item(STORAGE_KEY, &text) };
    }
}

/// The credentials kept for `endpoint`, and whether they are remembered on this device.
pub fn stored(endpoint: &str) -> Option<(Credentials, bool)> {
    [false, true].into_iter().find_map(|remembered| read_all(remembered).remove(endpoint).map(|c| (c, remembered)))
}

/// Keeps `credentials` for `endpoint`: for this tab, or on this device when `remember`.
pub fn keep(endpoint: &str, credentials: Credentials, remember: bool) {
    forget(endpoint);
    let mut all = read_all(remember);
    all.insert(endpoint.to_owned(), credentials);
    write_all(remember, &all);
}

/// Forgets whatever is kept for `endpoint`, in both places.
pub fn forget(endpoint: &str) {
    for remembered in [false, true] {
        let mut all = read_all(remembered);
        if all.remove(endpoint).is_some() {
            write_all(remembered, &all);
        }
    }
}

/// Forgets `used` if it is still what is kept (a call refused for it; another may have renewed).
pub(super) fn forget_if_kept(endpoint: &str, used: &Credentials) {
    if stored(endpoint).is_some_and(|(kept, _)| &kept == used) {
        forget(endpoint);
    }
}

/// Whether a refusal means the credentials are missing, wrong or spent: signing in again helps.
pub fn wants_sign_in(code: &str) -> bool {
    [
        codes::MISSING_ACCESS_KEY_ID,
        codes::ACCESS_KEY_NOT_FOUND,
        codes::ACCESS_KEY_INACTIVE,
        codes::SIGNATURE_MISMATCH,
        codes::TOKEN_EXPIRED,
        codes::TOKEN_MISMATCH,
    ]
    .contains(&code)
}

/// The credentials to sign the next call for `env` with: renewed first when temporary ones are
/// about to run out; none when nothing usable is kept.
pub(super) async fn current(env: &Environment) -> Option<Credentials> {
    let (credentials, remembered) = stored(&env.endpoint)?;
    let Some(expiration) = credentials.expiration() else { return Some(credentials) };
    let left = (expiration.0 - now().0).num_seconds();
    if left <= 0 {
        forget(&env.endpoint);
        return None;
    }
    if left > RENEW_WITHIN_SECONDS || !RENEWING.with_borrow_mut(|r| r.insert(env.endpoint.clone())) {
        return Some(credentials);
    }
    let renewed = super::renew_session(env, &credentials).await;
    RENEWING.with_borrow_mut(|r| r.remove(&env.endpoint));
    match (renewed, &credentials) {
        (Ok(session), Credentials::User { user_name, .. }) => {
            let renewed = Credentials::User { user_name: user_name.clone(), session };
            keep(&env.endpoint, renewed.clone(), remembered);
            Some(renewed)
        }
        // Not renewed: the current ones still work for a while.
        _ => Some(credentials),
    }
}

/// Shows the sign-in prompt for an environment.
type Prompt = Rc<dyn Fn(Environment)>;

thread_local! {
    /// Set once by the app.
    static PROMPT: RefCell<Option<Prompt>> = RefCell::new(None);
    /// Calls waiting for a sign-in, by endpoint.
    static WAITING: RefCell<HashMap<String, Vec<oneshot::Sender<bool>>>> = RefCell::new(HashMap::new());
    /// Endpoints whose prompt the operator closed: calls fail instead of asking again, until
    /// the operator signs in from the header.
    static DECLINED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// Endpoints whose temporary credentials are being renewed.
    static RENEWING: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// How the app shows its sign-in prompt.
pub fn set_prompt(prompt: impl Fn(Environment) + 'static) {
    PROMPT.with_borrow_mut(|p| *p = Some(Rc::new(prompt)));
}

/// Asks the operator to sign in to `env`'s backend and waits: true once signed in, false if
/// the prompt was closed (or was closed before, or there is no prompt).
pub(super) async fn ask(env: &Environment) -> bool {
    if DECLINED.with_borrow(|d| d.contains(&env.endpoint)) {
        return false;
    }
    let Some(prompt) = PROMPT.with_borrow(|p| p.clone()) else { return false };
    let (answer, answered) = oneshot::channel();
    let first = WAITING.with_borrow_mut(|waiting| {
        let list = waiting.entry(env.endpoint.clone()).or_default();
        list.push(answer);
        list.len() == 1
    });
    if first {
        prompt(env.clone());
    }
    answered.await.unwrap_or(false)
}

/// The operator signed in to `endpoint` (`true`) or closed the prompt: the waiting calls go on.
/// Answers how many calls were waiting.
pub fn answered(endpoint: &str, signed_in: bool) -> usize {
    DECLINED.with_borrow_mut(|d| if signed_in { d.remove(endpoint) } else { d.insert(endpoint.to_owned()) });
    let waiting = WAITING.with_borrow_mut(|w| w.remove(endpoint)).unwrap_or_default();
    let count = waiting.len();
    for call in waiting {
        let _ = call.send(signed_in);
    }
    count
}

/// The operator asks to sign in (from the header): prompts are welcome again.
pub fn welcome(endpoint: &str) {
    DECLINED.with_borrow_mut(|d| d.remove(endpoint));
}
