//! The header's account: who the console is signed in as, with sign-out; or a sign-in button.

use leptos::prelude::*;

use super::{Identity, use_auth};
use crate::api;
use crate::i18n::{AuthMsg, use_i18n};
use crate::lifetime;
use crate::nav::use_environment;

#[component]
pub fn Account() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // Work started by a click ends with the component.
    let scope = lifetime::Scope::here();
    let env = use_environment();
    let identity = expect_context::<Identity>();
    let kept = move || {
        auth.revision.track();
        api::credentials::stored(&env.get().endpoint).map(|(credentials, _)| credentials)
    };
    let title = move || match identity.get() {
        Some(Ok(Some(identity))) => {
            i18n.fill(AuthMsg::SignedInAs, &[("who", &identity.principal_name), ("policy", &identity.policy)])
        }
        _ => kept().map(|c| c.who().to_owned()).unwrap_or_default(),
    };
    let name = move || match identity.get() {
        Some(Ok(Some(identity))) => identity.principal_name,
        _ => kept().map(|c| c.who().to_owned()).unwrap_or_default(),
    };
    let sign_out = move |_| {
        let env = env.get_untracked();
        scope.spawn(async move {
            api::sign_out(&env).await;
            // Every page holds what the old caller could read: start over.
            let _ = window().location().reload();
        });
    };
    let sign_in = move |_| {
        let env = env.get_untracked();
        api::credentials::welcome(&env.endpoint);
        auth.waiting.update(|waiting| {
            if !waiting.iter().any(|w| w.endpoint == env.endpoint) {
                waiting.push(env);
            }
        });
    };
    view! {
        <div class="account" role="group" aria-label=move || i18n.t(AuthMsg::Account)>
            {move || match kept() {
                Some(_) => view! {
                    <span class="who" title=title>{name}</span>
                    <button type="button" class="link" on:click=sign_out>{i18n.text(AuthMsg::SignOut)}</button>
                }
                .into_any(),
                None => view! {
                    <span class="who muted">{i18n.text(AuthMsg::NotSignedIn)}</span>
                    <button type="button" class="link" on:click=sign_in>{i18n.text(AuthMsg::SignIn)}</button>
                }
                .into_any(),
            }}
        </div>
    }
}
