//! How one recorded call reads: who made it, on what, how it ended and its parameters. Shared
//! by the audit log and a batch's History tab.

use leptos::prelude::*;
use ota_model::access::PrincipalType;
use ota_model::audit::{AuditEvent, Outcome, TargetType};

use crate::i18n::{AuditMsg, I18n, use_i18n};
use crate::nav::{self, use_environment, use_site};

pub fn outcome_label(outcome: Outcome) -> AuditMsg {
    match outcome {
        Outcome::Success => AuditMsg::OutcomeSuccess,
        Outcome::Failed => AuditMsg::OutcomeFailed,
        Outcome::Refused => AuditMsg::OutcomeRefused,
    }
}

fn target_label(kind: TargetType) -> AuditMsg {
    match kind {
        TargetType::Job => AuditMsg::TargetJob,
        TargetType::Firmware => AuditMsg::TargetFirmware,
        TargetType::Task => AuditMsg::TargetTask,
        TargetType::Device => AuditMsg::TargetDevice,
        TargetType::Group => AuditMsg::TargetGroup,
        TargetType::Module => AuditMsg::TargetModule,
        TargetType::Product => AuditMsg::TargetProduct,
        TargetType::User => AuditMsg::TargetUser,
    }
}

/// The principal's name and kind; a call whose signature failed has only the key it claimed.
#[component]
pub fn Who(event: AuditEvent) -> impl IntoView {
    let i18n = use_i18n();
    let kind = event.principal_type.map(|kind| match kind {
        PrincipalType::User => AuditMsg::KindUser,
        PrincipalType::AccessKey => AuditMsg::KindAccessKey,
    });
    let name = event.principal_name.clone();
    let shown = move || match (&name, kind) {
        (name, Some(kind)) if !name.is_empty() => format!("{name} ({})", i18n.t(kind)),
        _ => i18n.t(AuditMsg::Unproven).to_owned(),
    };
    view! {
        <span class="who">{shown}</span>
        {(!event.access_key_id.is_empty()).then(|| view! { <div class="sub mono">{event.access_key_id.clone()}</div> })}
    }
}

/// The target, linked when the console has a page for it.
#[component]
pub fn TargetLink(event: AuditEvent) -> impl IntoView {
    let site = use_site();
    let env = use_environment();
    let id = event.target_id.clone();
    let href = match event.target_type {
        Some(TargetType::Firmware) => Some(nav::package_path(&id)),
        Some(TargetType::Device) => id.split_once('/').map(|(product, device)| nav::device_path(product, device)),
        _ => None,
    };
    let i18n = use_i18n();
    let label = event.target_type.map(target_label);
    let kind = move || label.map(|label| i18n.t(label)).unwrap_or_default();
    match href {
        Some(path) => view! {
            <a class="mono" href=move || site.href(&env.get(), &path, &[])>{id}</a>
            <div class="sub">{kind}</div>
        }
        .into_any(),
        None => view! { <span class="mono">{id}</span><div class="sub">{kind}</div> }.into_any(),
    }
}

/// The call's parameters (secrets already removed by the backend), request and error.
#[component]
pub fn EventDetails(event: AuditEvent) -> impl IntoView {
    let i18n = use_i18n();
    let parameters = event.parameters.items.clone();
    let listed = (!parameters.is_empty()).then(|| {
        view! {
            <dl class="parameters">
                {parameters
                    .into_iter()
                    .map(|p| view! { <dt class="mono">{p.name}</dt><dd class="mono">{p.value}</dd> })
                    .collect_view()}
            </dl>
        }
    });
    let none = event.parameters.items.is_empty().then(|| view! { <p>{i18n.text(AuditMsg::NoParameters)}</p> });
    view! {
        <details class="event-details">
            <summary>{i18n.text(AuditMsg::Details)}</summary>
            {event.error_message.clone().map(|message| view! { <p class="error-text">{message}</p> })}
            {listed}
            {none}
            <p class="sub">
                {i18n.text(AuditMsg::RequestId)} ": " <span class="mono">{event.request_id.clone()}</span>
            </p>
        </details>
    }
}

/// The result, with the error code when it failed.
pub fn result_text(i18n: I18n, event: &AuditEvent) -> String {
    match event.outcome {
        Outcome::Success => i18n.t(AuditMsg::OutcomeSuccess).to_owned(),
        other => format!("{} · {}", i18n.t(outcome_label(other)), event.code),
    }
}
