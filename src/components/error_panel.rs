//! What went wrong with a call, in the operator's language, and a way out.

use std::time::Duration;

use leptos::prelude::*;
use ota_model::codes;

use crate::api::ApiError;
use crate::i18n::{Msg, use_i18n};

/// How long to wait before trying an unreachable backend again.
const RETRY_EVERY: Duration = Duration::from_secs(3);

/// Explains `error` and offers `retry`. While the backend is unreachable it also retries by
/// itself, so the page recovers as soon as the backend is back.
#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let retrying = matches!(error, ApiError::Unreachable { .. });
    // One retry per panel: a failed retry renders a new panel, which schedules the next one,
    // so a slow backend never has several retries in flight.
    if retrying && let Ok(handle) = set_timeout_with_handle(move || retry.run(()), RETRY_EVERY) {
        on_cleanup(move || handle.clear());
    }
    let (detail, code, request_id) = match &error {
        ApiError::Unreachable { detail, .. } | ApiError::Unreadable { detail, .. } => (detail.clone(), None, None),
        ApiError::Refused { code, message, request_id, .. } => {
            (message.clone(), Some(code.clone()), Some(request_id.clone()).filter(|id| !id.is_empty()))
        }
    };
    let headline = {
        let error = error.clone();
        move || match &error {
            ApiError::Unreachable { endpoint, .. } => i18n.fill(Msg::Unreachable, &[("endpoint", endpoint)]),
            ApiError::Refused { code, .. } => i18n.t(known_code(code).unwrap_or(Msg::Refused)).to_owned(),
            ApiError::Unreadable { .. } => i18n.t(Msg::Unreadable).to_owned(),
        }
    };
    view! {
        <div class="panel error" role="alert">
            <p class="headline">{headline}</p>
            <p class="detail">{detail}</p>
            <dl class="meta">
                {code.map(|c| view! { <dt>{i18n.text(Msg::ErrorCode)}</dt> <dd><code>{c}</code></dd> })}
                {request_id.map(|id| view! { <dt>{i18n.text(Msg::RequestId)}</dt> <dd><code>{id}</code></dd> })}
            </dl>
            <p class="actions">
                <button type="button" on:click=move |_| retry.run(())>{i18n.text(Msg::Retry)}</button>
                {retrying.then(|| view! { <span class="hint">{i18n.text(Msg::RetryingAutomatically)}</span> })}
            </p>
        </div>
    }
}

/// Codes the console can explain better than the backend's English message.
fn known_code(code: &str) -> Option<Msg> {
    match code {
        codes::FIRMWARE_NOT_FOUND => Some(Msg::FirmwareNotFound),
        codes::INVALID_PAGE_PARAMS => Some(Msg::InvalidPageParams),
        _ => None,
    }
}
