//! Labels for the API's enums.

use leptos::prelude::*;
use ota_model::{FirmwareStatus, FirmwareType};

use crate::i18n::{Msg, use_i18n};

fn firmware_status_label(status: FirmwareStatus) -> Msg {
    match status {
        FirmwareStatus::NotRequired => Msg::StatusNotRequired,
        FirmwareStatus::Unverified => Msg::StatusUnverified,
        FirmwareStatus::Verified => Msg::StatusVerified,
        FirmwareStatus::Verifying => Msg::StatusVerifying,
        FirmwareStatus::VerificationFailed => Msg::StatusVerificationFailed,
    }
}

pub fn firmware_type_label(firmware_type: FirmwareType) -> Msg {
    match firmware_type {
        FirmwareType::Full => Msg::TypeFull,
        FirmwareType::Differential => Msg::TypeDifferential,
    }
}

/// A package's verification state as a coloured badge.
#[component]
pub fn FirmwareStatusBadge(status: FirmwareStatus) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match status {
        _ if status.allows_batch_update() => "good",
        FirmwareStatus::Verifying => "busy",
        FirmwareStatus::VerificationFailed => "bad",
        _ => "neutral",
    };
    view! {
        <span class=format!("badge {tone}") data-status=status.code()>
            {move || i18n.t(firmware_status_label(status))}
        </span>
    }
}
