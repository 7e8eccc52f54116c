//! Why a task failed or was cancelled (`ReasonCode`, an extension), and the task lists'
//! filter by it (extension `ReasonCodeFilter`).

use std::fmt;

use crate::enums::TaskStatus;
use crate::params::{ParamError, Params};

wire_str_enum! {
    /// Extension: why a task failed or was cancelled, beside Alibaba's free-text `TaskDesc`.
    pub enum TaskReason {
        /// The device still had an unfinished task, and the batch does not overwrite.
        Conflict = "CONFLICT",
        /// The device reported progress -1.
        UpgradeFailed = "UPGRADE_FAILED",
        /// -2.
        DownloadFailed = "DOWNLOAD_FAILED",
        /// -3.
        VerifyFailed = "VERIFY_FAILED",
        /// -4.
        FlashFailed = "FLASH_FAILED",
        /// While updating, the device reported a version that is neither source nor destination.
        VersionMismatch = "VERSION_MISMATCH",
        /// The destination version was not reported in time.
        Timeout = "TIMEOUT",
        /// CancelOTATaskByJob, or cancelling the batch in the console.
        CanceledByJob = "CANCELED_BY_JOB",
        /// CancelOTATaskByDevice.
        CanceledByDevice = "CANCELED_BY_DEVICE",
        /// A newer batch that overwrites took the device.
        Overwritten = "OVERWRITTEN",
        /// The batch's scheduled end came first.
        ScheduleEnded = "SCHEDULE_ENDED",
    }
}

impl TaskReason {
    /// The `TaskDesc` text for this reason (English, as the API's own texts are).
    pub const fn description(self) -> &'static str {
        match self {
            Self::Conflict => "the device has an unfinished task in another batch",
            Self::UpgradeFailed => "the device reported that the update failed",
            Self::DownloadFailed => "the device reported that the download failed",
            Self::VerifyFailed => "the device reported that the package failed verification",
            Self::FlashFailed => "the device reported that writing the firmware failed",
            Self::VersionMismatch => "report version is not conform",
            Self::Timeout => "timeout",
            Self::CanceledByJob => "canceled with the batch",
            Self::CanceledByDevice => "canceled for the device",
            Self::Overwritten => "overwritten by a newer batch",
            Self::ScheduleEnded => "the batch's scheduled end came first",
        }
    }

    /// Failures the automatic retry may repeat (timeouts and cancellations are never retried).
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            Self::UpgradeFailed | Self::DownloadFailed | Self::VerifyFailed | Self::FlashFailed | Self::VersionMismatch
        )
    }
}

/// `ReasonCode` on task lists (extension `ReasonCodeFilter`): tasks that failed or were
/// cancelled for one reason, or (`NONE`) for none the server could name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonFilter {
    Code(TaskReason),
    Uncoded,
}

impl ReasonFilter {
    pub const NONE: &'static str = "NONE";

    pub fn from_params(params: &Params) -> Result<Option<Self>, ParamError> {
        match params.get("ReasonCode") {
            None => Ok(None),
            Some(Self::NONE) => Ok(Some(Self::Uncoded)),
            Some(code) => {
                code.parse().map(|code| Some(Self::Code(code))).map_err(|e| ParamError::invalid("ReasonCode", e))
            }
        }
    }

    /// The code as a task carries it, `None` for `NONE`.
    pub fn code(self) -> Option<TaskReason> {
        match self {
            Self::Code(code) => Some(code),
            Self::Uncoded => None,
        }
    }
}

impl fmt::Display for ReasonFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().map_or(Self::NONE, TaskReason::as_str))
    }
}

/// `ReasonCode`, which only failed and cancelled tasks carry.
pub(super) fn reason_filter(params: &Params) -> Result<Option<ReasonFilter>, ParamError> {
    let filter = ReasonFilter::from_params(params)?;
    match params.parse::<TaskStatus>("TaskStatus")? {
        Some(status) if filter.is_some() && !matches!(status, TaskStatus::Failed | TaskStatus::Canceled) => {
            Err(ParamError::invalid("ReasonCode", format!("only FAILED and CANCELED tasks have one, not {status}")))
        }
        _ => Ok(filter),
    }
}
