//! Device tasks: their shape and the operations on them (§3.16–3.17, §3.19–3.22).

mod by_firmware;
mod change;
mod reason;

use serde::{Deserialize, Serialize};

use crate::codes;
use crate::enums::TaskStatus;
use crate::job::create::device_names;
use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::registry::DeviceRef;
use crate::rules;
use crate::time::UtcTime;

pub use by_firmware::ListOTATaskByFirmware;
pub use change::{CancelOTATaskByDevice, CancelOTATaskByJob, CancelStates, ConfirmOTATask, ReupgradeOTATask};
use reason::reason_filter;
pub use reason::{ReasonFilter, TaskReason};

wire_str_enum! {
    /// Extension: why a `QUEUED` task has not been pushed yet (the console's three kinds of
    /// "To Be Pushed").
    pub enum WaitReason {
        DeviceOffline = "DEVICE_OFFLINE",
        /// The batch's scheduled start has not come yet.
        Scheduled = "SCHEDULED",
        /// Held back by the batch's push rate.
        RateLimited = "RATE_LIMITED",
        /// Its wave has not started (extension `SafeRollout`).
        Wave = "WAVE",
        /// The batch is paused.
        Paused = "PAUSED",
        /// No maintenance window is open: the next opens at `UtcNextWindow`.
        MaintenanceWindow = "MAINTENANCE_WINDOW",
    }
}

/// One device's task in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimpleOTATaskInfo {
    pub task_id: String,
    pub job_id: String,
    pub firmware_id: String,
    pub iot_id: String,
    pub device_name: String,
    pub product_key: String,
    pub product_name: String,
    /// Only ListOTAUnfinishedTaskByDevice names the module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_name: Option<String>,
    pub src_version: String,
    pub dest_version: String,
    pub task_status: TaskStatus,
    /// A decimal string, `"0.00"` to `"100.00"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// Why the task failed or was cancelled, e.g. `"report version is not conform"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_desc: Option<String>,
    /// Minutes, when the batch has a timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Extension: why a `QUEUED` task waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_reason: Option<WaitReason>,
    /// Extension: the scheduled start a `SCHEDULED` task waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_schedule_time: Option<UtcTime>,
    /// Extension: when the next maintenance window opens, for a `MAINTENANCE_WINDOW` task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_next_window: Option<UtcTime>,
    /// Extension: the task's wave, in a batch with waves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<u32>,
    /// Extension: why a task failed or was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<TaskReason>,
    pub utc_create: UtcTime,
    pub utc_modified: UtcTime,
}

list_wrapper!(
    /// `Data.SimpleOTATaskInfo[]`.
    SimpleOTATaskInfoList { "SimpleOTATaskInfo": SimpleOTATaskInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTATaskByJobResponse {
    #[serde(flatten)]
    pub page: Page,
    pub data: SimpleOTATaskInfoList,
}

/// ConfirmOTATask and ReupgradeOTATask take at most this many tasks at a time.
pub const TASKS_PER_CALL: usize = 10;

/// Task lists may not reach further than this many rows (`CurrentPage × PageSize`).
pub const MAX_TASK_LIST_DEPTH: u64 = 100_000;

/// A batch's tasks, in creation order, optionally of one state or of some devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTATaskByJob {
    pub job_id: String,
    pub task_status: Option<TaskStatus>,
    pub device_names: Vec<String>,
    /// Extension `ReasonCodeFilter`.
    pub reason_code: Option<ReasonFilter>,
    pub page: PageRequest,
}

impl ListOTATaskByJob {
    pub const MAX_PAGE_SIZE: u32 = 100;
    pub const MAX_DEVICE_NAMES: usize = 100;
}

impl Operation for ListOTATaskByJob {
    const ACTION: &'static str = "ListOTATaskByJob";
    type Response = ListOTATaskByJobResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(
            Params::new()
                .with("JobId", &self.job_id)
                .with_opt("TaskStatus", self.task_status)
                .with_list("DeviceNames", &self.device_names)
                .with_opt("ReasonCode", self.reason_code),
        )
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let page = PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?;
        check_depth(page)?;
        Ok(Self {
            job_id: rules::ID.required(params, "JobId")?.to_owned(),
            task_status: params.parse("TaskStatus")?,
            device_names: device_names(params, "DeviceNames", Self::MAX_DEVICE_NAMES)?,
            reason_code: reason_filter(params)?,
            page,
        })
    }
}

/// Task lists reach at most [`MAX_TASK_LIST_DEPTH`] rows deep.
fn check_depth(page: PageRequest) -> Result<(), ParamError> {
    let depth = u64::from(page.current_page) * u64::from(page.page_size);
    if depth > MAX_TASK_LIST_DEPTH {
        return Err(ParamError::new(
            codes::INVALID_PAGE_PARAMS,
            format!("CurrentPage × PageSize must be at most {MAX_TASK_LIST_DEPTH}, got {depth}."),
        ));
    }
    Ok(())
}

/// A device's unfinished tasks (the app-confirmation flow starts here). Not paged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAUnfinishedTaskByDevice {
    pub device: DeviceRef,
    pub module_name: Option<String>,
    /// Empty: every unfinished state.
    pub statuses: Vec<TaskStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAUnfinishedTaskByDeviceResponse {
    pub data: SimpleOTATaskInfoList,
}

impl Operation for ListOTAUnfinishedTaskByDevice {
    const ACTION: &'static str = "ListOTAUnfinishedTaskByDevice";
    type Response = ListOTAUnfinishedTaskByDeviceResponse;

    fn to_params(&self) -> Params {
        self.device
            .to_params(Params::new())
            .with_opt("ModuleName", self.module_name.as_deref())
            .with_list("TaskStatusList", &self.statuses)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let mut statuses: Vec<TaskStatus> = Vec::new();
        let single = params.parse::<TaskStatus>("TaskStatus")?;
        let listed = params.list("TaskStatusList", TaskStatus::ALL.len())?;
        for (i, text) in listed.into_iter().enumerate() {
            let name = format!("TaskStatusList.{}", i + 1);
            statuses.push(text.parse().map_err(|e| ParamError::invalid(&name, e))?);
        }
        statuses.extend(single);
        if let Some(finished) = statuses.iter().find(|s| s.is_finished()) {
            return Err(ParamError::invalid(
                "TaskStatus",
                format!("{finished} is not an unfinished state (CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS)"),
            ));
        }
        statuses.sort();
        statuses.dedup();
        Ok(Self {
            device: DeviceRef::from_params(params)?,
            module_name: rules::MODULE_NAME.optional(params, "ModuleName")?.map(str::to_owned),
            statuses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    fn cancel(pairs: &[(&str, &str)]) -> Result<CancelOTATaskByJob, ParamError> {
        let mut params: Params = [("JobId", "j1")].into_iter().collect();
        for (name, value) in pairs {
            params.push(*name, *value);
        }
        CancelOTATaskByJob::from_params(&params)
    }

    #[test]
    fn cancelling_queued_tasks_takes_unconfirmed_ones_along_unless_told_otherwise() {
        assert_eq!(cancel(&[("CancelQueuedTask", "True")]).unwrap().cancel.states(false), [Confirm, Queued]);
        let only_queued = cancel(&[("CancelQueuedTask", "true"), ("CancelUnconfirmedTask", "false")]).unwrap();
        assert_eq!(only_queued.cancel.states(false), [Queued]);
        let only_unconfirmed = cancel(&[("CancelUnconfirmedTask", "true")]).unwrap();
        assert_eq!(only_unconfirmed.cancel.states(false), [Confirm]);
        let running = cancel(&[("CancelNotifiedTask", "true"), ("CancelInProgressTask", "true")]).unwrap();
        assert_eq!(running.cancel.states(false), [Notified, InProgress]);
    }

    #[test]
    fn cancelling_scheduled_tasks_applies_to_batches_not_yet_started() {
        let scheduled = cancel(&[("CancelScheduledTask", "true")]).unwrap().cancel;
        assert_eq!(scheduled.states(true), [Confirm, Queued]);
        assert!(scheduled.states(false).is_empty());
    }

    #[test]
    fn at_least_one_flag_is_needed() {
        assert!(cancel(&[]).unwrap_err().message.contains("at least one"));
        assert!(cancel(&[("CancelQueuedTask", "maybe")]).is_err());
    }

    #[test]
    fn task_lists_stop_at_one_hundred_thousand_rows() {
        let deep: Params = [("JobId", "j1"), ("PageSize", "100"), ("CurrentPage", "1001")].into_iter().collect();
        let err = ListOTATaskByJob::from_params(&deep).unwrap_err();
        assert_eq!(err.code, "iot.common.InvalidPageParams");
        let last: Params = [("JobId", "j1"), ("PageSize", "100"), ("CurrentPage", "1000")].into_iter().collect();
        assert!(ListOTATaskByJob::from_params(&last).is_ok());
    }

    #[test]
    fn only_unfinished_states_can_be_asked_of_a_device() {
        let params: Params = [
            ("IotId", "d1"),
            ("TaskStatusList.1", "QUEUED"),
            ("TaskStatus", "CONFIRM"),
            ("TaskStatusList.2", "QUEUED"),
        ]
        .into_iter()
        .collect();
        assert_eq!(ListOTAUnfinishedTaskByDevice::from_params(&params).unwrap().statuses, [Confirm, Queued]);
        let finished: Params = [("IotId", "d1"), ("TaskStatus", "SUCCEEDED")].into_iter().collect();
        assert!(ListOTAUnfinishedTaskByDevice::from_params(&finished).is_err());
    }

    #[test]
    fn confirm_and_reupgrade_take_one_to_ten_tasks() {
        assert_eq!(ConfirmOTATask::from_params(&Params::new()).unwrap_err().code, "MissingTaskId.1");
        let eleven = Params::new().with_list("TaskId", (1..=11).map(|i| format!("t{i}")));
        assert!(ConfirmOTATask::from_params(&eleven).is_err());
        let request = ReupgradeOTATask { job_id: "j".into(), task_ids: vec!["t1".into(), "t2".into()] };
        assert_eq!(ReupgradeOTATask::from_params(&request.to_params()), Ok(request));
    }

    #[test]
    fn a_reason_opens_the_failed_or_cancelled_tasks_that_have_it() {
        let list = |pairs: &[(&str, &str)]| {
            let mut params: Params = [("JobId", "j1")].into_iter().collect();
            for (name, value) in pairs {
                params.push(*name, *value);
            }
            ListOTATaskByJob::from_params(&params)
        };
        let flash = list(&[("ReasonCode", "FLASH_FAILED"), ("TaskStatus", "FAILED")]).unwrap();
        assert_eq!(flash.reason_code, Some(ReasonFilter::Code(TaskReason::FlashFailed)));
        assert_eq!(ListOTATaskByJob::from_params(&flash.to_params()), Ok(flash));
        assert_eq!(list(&[("ReasonCode", "NONE")]).unwrap().reason_code, Some(ReasonFilter::Uncoded));
        assert!(list(&[("ReasonCode", "BROKEN")]).is_err());
        assert!(list(&[("ReasonCode", "TIMEOUT"), ("TaskStatus", "QUEUED")]).is_err());
    }

    #[test]
    fn only_device_failures_are_retried() {
        assert!(TaskReason::VersionMismatch.is_retryable());
        assert!(!TaskReason::Timeout.is_retryable());
        assert!(!TaskReason::CanceledByJob.is_retryable());
    }
}
