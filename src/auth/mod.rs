//! Signing in, in the page: the prompt that calls wait for, the header's account, and what the
//! signed-in caller may do (so that the console does not offer what would be refused).

mod account;
mod dialog;

use leptos::prelude::*;
use ota_model::access::CallerIdentity;
use ota_model::console_config::Environment;

pub use account::Account;
pub use dialog::SignInDialog;

use crate::api::{self, ApiError};
use crate::nav::use_environment;
use crate::resource::{Fetched, resource};

/// The app's sign-in state, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    /// Backends waiting for a sign-in, the first one prompted for.
    pub waiting: RwSignal<Vec<Environment>>,
    /// Changes whenever the console signs in or out somewhere.
    pub revision: RwSignal<u64>,
}

/// Sets up signing in for the whole app: calls that need a sign-in put their backend in
/// `waiting`, which the dialog follows.
pub fn provide_auth() -> Auth {
    let auth = Auth { waiting: RwSignal::new(Vec::new()), revision: RwSignal::new(0) };
    api::credentials::set_prompt(move |env| {
        auth.waiting.try_update(|waiting| {
            if !waiting.iter().any(|w| w.endpoint == env.endpoint) {
                waiting.push(env);
            }
        });
    });
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Who the console is signed in as on the current environment: `None` while asking, then the
/// backend's answer (`Ok(None)`: a backend that does not say).
#[derive(Clone, Copy)]
pub struct Identity(Fetched<Result<Option<CallerIdentity>, ApiError>>);

/// Asks who the console is, for the pages inside the router; again after each sign-in.
pub fn provide_identity() -> Identity {
    let env = use_environment();
    let auth = use_auth();
    let identity = Identity(resource(move || {
        let (env, _) = (env.get(), auth.revision.get());
        async move { api::identity(&env).await }
    }));
    provide_context(identity);
    identity
}

impl Identity {
    pub fn get(self) -> Option<Result<Option<CallerIdentity>, ApiError>> {
        self.0.get()
    }
}

/// Whether to offer `action`: once the backend says the caller may call it, or when it does not
/// say (then a refusal shows where it happens). Not while still asking, so that nothing is
/// offered and then taken away.
pub fn use_may(action: &'static str) -> Signal<bool> {
    let identity = expect_context::<Identity>();
    Signal::derive(move || match identity.get() {
        None => false,
        Some(Ok(Some(identity))) => identity.may(action),
        Some(_) => true,
    })
}
