//! The sign-in dialog: opens over whatever page wants a sign-in, so nothing typed there is lost,
//! and lets the calls waiting for it go on once signed in.

use leptos::ev::SubmitEvent;
use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::codes;
use ota_model::console_config::Environment;

use super::use_auth;
use crate::api::{self, ApiError};
use crate::i18n::{AuthMsg, Msg, use_i18n};
use crate::lifetime;
use crate::nav;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    AccessKey,
}

/// One per app: open while some backend waits for a sign-in.
#[component]
pub fn SignInDialog() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // Work started by a click ends with the component.
    let scope = lifetime::Scope::here();
    let dialog = NodeRef::<Dialog>::new();
    let method = RwSignal::new(Method::Password);
    let (user_name, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (key_id, key_secret) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let remember = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let current = move || auth.waiting.with(|waiting| waiting.first().cloned());

    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        let wanted = auth.waiting.with(|waiting| !waiting.is_empty());
        if wanted && !element.open() {
            failure.set(None);
            let _ = element.show_modal();
        } else if !wanted && element.open() {
            element.close();
        }
    });

    // The calls waiting for `env` go on (signed in) or fail (not now); a sign-in nothing waited
    // for (from the header) reads the page again.
    let finish = move |env: Environment, signed_in: bool| {
        auth.waiting.update(|waiting| waiting.retain(|w| w.endpoint != env.endpoint));
        let continued = api::credentials::answered(&env.endpoint, signed_in);
        if signed_in {
            password.set(String::new());
            key_secret.set(String::new());
            auth.revision.update(|r| *r += 1);
            if continued == 0 {
                let _ = window().location().reload();
            }
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(env) = current() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let (how, keep) = (method.get_untracked(), remember.get_untracked());
        let (name, secret_word) = (user_name.get_untracked(), password.get_untracked());
        let (id, secret) = (key_id.get_untracked(), key_secret.get_untracked());
        scope.spawn(async move {
            let signed_in = match how {
                Method::Password => api::sign_in_user(&env, name.trim(), &secret_word, keep).await,
                Method::AccessKey => api::sign_in_key(&env, &id, &secret, keep).await,
            };
            busy.set(false);
            match signed_in {
                Ok(()) => finish(env, true),
                Err(ApiError::Refused { code, .. }) if how == Method::Password && code == codes::UNKNOWN_ACTION => {
                    method.set(Method::AccessKey);
                    failure.set(Some(i18n.t(AuthMsg::NoUserSignIn).to_owned()));
                }
                Err(error) => failure.set(Some(error.detail())),
            }
        });
    };
    let not_now = move || {
        if let Some(env) = current() {
            finish(env, false);
        }
    };
    let title = move || current().map(|env| i18n.fill(AuthMsg::SignInTo, &[("env", &env.name)])).unwrap_or_default();
    let endpoint = move || current().map(|env| env.endpoint).unwrap_or_default();
    let origin = nav::page_origin();

    view! {
        <dialog node_ref=dialog class="confirm sign-in" aria-labelledby="sign-in-title"
            on:close=move |_| if dialog.get_untracked().is_some_and(|d| !d.open()) { not_now() }>
            <form on:submit=submit>
                <h2 id="sign-in-title">{title}</h2>
                <p class="muted mono endpoint">{endpoint}</p>
                <p>{i18n.text(AuthMsg::SignInWhy)}</p>
                <fieldset class="choices">
                    <legend>{i18n.text(AuthMsg::SignInWith)}</legend>
                    <label>
                        <input type="radio" name="sign-in-method" prop:checked=move || method.get() == Method::Password
                            on:change=move |_| method.set(Method::Password)/>
                        {i18n.text(AuthMsg::WithPassword)}
                    </label>
                    <label>
                        <input type="radio" name="sign-in-method" prop:checked=move || method.get() == Method::AccessKey
                            on:change=move |_| method.set(Method::AccessKey)/>
                        {i18n.text(AuthMsg::WithAccessKey)}
                    </label>
                </fieldset>
                <div class="form-grid">
                    {move || match method.get() {
                        Method::Password => view! {
                            <label for="sign-in-user">{i18n.text(AuthMsg::UserName)}</label>
                            <input id="sign-in-user" type="text" autocomplete="username" required autofocus
                                prop:value=move || user_name.get() on:input:target=move |ev| user_name.set(ev.target().value())/>
                            <label for="sign-in-password">{i18n.text(AuthMsg::Password)}</label>
                            <input id="sign-in-password" type="password" autocomplete="current-password" required
                                prop:value=move || password.get() on:input:target=move |ev| password.set(ev.target().value())/>
                        }
                        .into_any(),
                        Method::AccessKey => view! {
                            <label for="sign-in-key-id">{i18n.text(AuthMsg::AccessKeyId)}</label>
                            <input id="sign-in-key-id" type="text" autocomplete="off" spellcheck="false" required autofocus
                                class="mono" prop:value=move || key_id.get() on:input:target=move |ev| key_id.set(ev.target().value())/>
                            <label for="sign-in-key-secret">{i18n.text(AuthMsg::AccessKeySecret)}</label>
                            <input id="sign-in-key-secret" type="password" autocomplete="off" required class="mono"
                                prop:value=move || key_secret.get() on:input:target=move |ev| key_secret.set(ev.target().value())/>
                        }
                        .into_any(),
                    }}
                </div>
                <label class="check">
                    <input type="checkbox" aria-describedby="sign-in-remember-where"
                        prop:checked=move || remember.get() on:change:target=move |ev| remember.set(ev.target().checked())/>
                    {i18n.text(AuthMsg::Remember)}
                </label>
                <p class="hint" id="sign-in-remember-where">
                    {move || i18n.fill(AuthMsg::RememberWhere, &[("origin", &origin)])}
                </p>
                {move || failure.get().map(|why| view! {
                    <p class="error" role="alert">{i18n.text(Msg::ActionFailed)} " " {why.clone()}</p>
                })}
                <div class="actions">
                    <button type="button" on:click=move |_| not_now()>{i18n.text(AuthMsg::NotNow)}</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t(AuthMsg::SigningIn) } else { i18n.t(AuthMsg::SignIn) }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
