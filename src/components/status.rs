//! Labels for the API's enums.

use leptos::prelude::*;
use ota_model::enums::{JobStatus, JobType, SelectionType, TaskStatus};
use ota_model::task::{TaskReason, WaitReason};
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

pub fn job_type_label(job_type: JobType) -> Msg {
    match job_type {
        JobType::VerifyFirmware => Msg::JobVerify,
        JobType::UpgradeFirmware => Msg::JobUpgrade,
    }
}

pub fn selection_label(selection: SelectionType) -> Msg {
    match selection {
        SelectionType::Static => Msg::SelectionStatic,
        SelectionType::Dynamic => Msg::SelectionDynamic,
    }
}

/// A task state in the seed's words.
pub fn task_status_label(status: TaskStatus) -> Msg {
    match status {
        TaskStatus::Confirm => Msg::TaskConfirm,
        TaskStatus::Queued => Msg::TaskQueued,
        TaskStatus::Notified => Msg::TaskNotified,
        TaskStatus::InProgress => Msg::TaskInProgress,
        TaskStatus::Succeeded => Msg::TaskSucceeded,
        TaskStatus::Failed => Msg::TaskFailed,
        TaskStatus::Canceled => Msg::TaskCanceled,
    }
}

/// A batch's state as a coloured badge.
#[component]
pub fn JobStatusBadge(status: JobStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, label) = match status {
        JobStatus::Planned => ("neutral", Msg::JobPlanned),
        JobStatus::InProgress => ("busy", Msg::JobInProgress),
        JobStatus::Completed => ("good", Msg::JobCompleted),
        JobStatus::Canceled => ("neutral", Msg::JobCanceled),
    };
    view! { <span class=format!("badge {tone}") data-status=status.as_str()>{move || i18n.t(label)}</span> }
}

pub fn wait_reason_label(reason: WaitReason) -> Msg {
    match reason {
        WaitReason::DeviceOffline => Msg::WaitOffline,
        WaitReason::Scheduled => Msg::WaitScheduled,
        WaitReason::RateLimited => Msg::WaitRateLimited,
        WaitReason::Wave => Msg::WaitWave,
        WaitReason::Paused => Msg::WaitPaused,
        WaitReason::MaintenanceWindow => Msg::WaitWindow,
    }
}

/// Why a task failed or was cancelled, in the user's language.
pub fn task_reason_label(reason: TaskReason) -> Msg {
    match reason {
        TaskReason::Conflict => Msg::ReasonConflict,
        TaskReason::UpgradeFailed => Msg::ReasonUpgradeFailed,
        TaskReason::DownloadFailed => Msg::ReasonDownloadFailed,
        TaskReason::VerifyFailed => Msg::ReasonVerifyFailed,
        TaskReason::FlashFailed => Msg::ReasonFlashFailed,
        TaskReason::VersionMismatch => Msg::ReasonVersionMismatch,
        TaskReason::Timeout => Msg::ReasonTimeout,
        TaskReason::CanceledByJob => Msg::ReasonCanceledByJob,
        TaskReason::CanceledByDevice => Msg::ReasonCanceledByDevice,
        TaskReason::Overwritten => Msg::ReasonOverwritten,
        TaskReason::ScheduleEnded => Msg::ReasonScheduleEnded,
    }
}

/// A device's connection state as a badge: its label and tone.
pub fn device_status(status: ota_model::registry::DeviceStatus) -> (Msg, &'static str) {
    use ota_model::registry::DeviceStatus;
    match status {
        DeviceStatus::Online => (Msg::DeviceOnline, "good"),
        DeviceStatus::Offline => (Msg::DeviceOffline, "neutral"),
        DeviceStatus::Unactive => (Msg::DeviceUnactive, "neutral"),
        DeviceStatus::Disable => (Msg::DeviceDisabled, "bad"),
    }
}
