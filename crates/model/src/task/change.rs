//! The operations that change tasks: cancel them (by batch or by device), confirm them, run
//! them again.

use super::TASKS_PER_CALL;
use crate::enums::TaskStatus;
use crate::envelope::Empty;
use crate::job::create::device_names;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

/// Which tasks CancelOTATaskByJob cancels. `unconfirmed` is three-valued: left out, it
/// follows `queued`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CancelStates {
    pub scheduled: bool,
    pub queued: bool,
    pub notified: bool,
    pub in_progress: bool,
    pub unconfirmed: Option<bool>,
}

/// Cancels a batch's tasks by state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOTATaskByJob {
    pub job_id: String,
    pub cancel: CancelStates,
}

impl CancelStates {
    /// The states whose tasks are cancelled, in any batch; `scheduled` adds the waiting
    /// (`CONFIRM`, `QUEUED`) tasks of a batch whose start is still ahead.
    pub fn states(self, batch_is_scheduled: bool) -> Vec<TaskStatus> {
        let waiting = self.scheduled && batch_is_scheduled;
        let mut states = Vec::new();
        if self.unconfirmed.unwrap_or(self.queued) || waiting {
            states.push(TaskStatus::Confirm);
        }
        if self.queued || waiting {
            states.push(TaskStatus::Queued);
        }
        if self.notified {
            states.push(TaskStatus::Notified);
        }
        if self.in_progress {
            states.push(TaskStatus::InProgress);
        }
        states
    }
}

impl Operation for CancelOTATaskByJob {
    const ACTION: &'static str = "CancelOTATaskByJob";
    type Response = Empty;

    fn to_params(&self) -> Params {
        let c = self.cancel;
        Params::new()
            .with("JobId", &self.job_id)
            .with("CancelScheduledTask", c.scheduled)
            .with("CancelQueuedTask", c.queued)
            .with("CancelNotifiedTask", c.notified)
            .with("CancelInProgressTask", c.in_progress)
            .with_opt("CancelUnconfirmedTask", c.unconfirmed)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let scheduled = params.flag("CancelScheduledTask")?;
        let queued = params.flag("CancelQueuedTask")?;
        let notified = params.flag("CancelNotifiedTask")?;
        let in_progress = params.flag("CancelInProgressTask")?;
        let unconfirmed = params.flag("CancelUnconfirmedTask")?;
        if [scheduled, queued, notified, in_progress, unconfirmed].iter().all(Option::is_none) {
            return Err(ParamError::invalid(
                "CancelQueuedTask",
                "give at least one of CancelScheduledTask, CancelQueuedTask, CancelNotifiedTask, CancelInProgressTask, CancelUnconfirmedTask",
            ));
        }
        Ok(Self {
            job_id: rules::ID.required(params, "JobId")?.to_owned(),
            cancel: CancelStates {
                scheduled: scheduled.unwrap_or(false),
                queued: queued.unwrap_or(false),
                notified: notified.unwrap_or(false),
                in_progress: in_progress.unwrap_or(false),
                unconfirmed,
            },
        })
    }
}

/// Cancels the unfinished tasks of some devices for one package (optionally one batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOTATaskByDevice {
    pub product_key: String,
    pub firmware_id: String,
    pub device_names: Vec<String>,
    pub job_id: Option<String>,
}

impl CancelOTATaskByDevice {
    pub const MAX_DEVICES: usize = 200;
}

impl Operation for CancelOTATaskByDevice {
    const ACTION: &'static str = "CancelOTATaskByDevice";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new()
            .with("ProductKey", &self.product_key)
            .with("FirmwareId", &self.firmware_id)
            .with_list("DeviceName", &self.device_names)
            .with_opt("JobId", self.job_id.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let device_names = device_names(params, "DeviceName", Self::MAX_DEVICES)?;
        if device_names.is_empty() {
            return Err(ParamError::missing("DeviceName.1"));
        }
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            device_names,
            job_id: rules::ID.optional(params, "JobId")?.map(str::to_owned),
        })
    }
}

/// Task IDs from `TaskId.N`: one to ten, no duplicates.
fn task_ids(params: &Params) -> Result<Vec<String>, ParamError> {
    let mut ids: Vec<String> = Vec::new();
    for (i, id) in params.list("TaskId", TASKS_PER_CALL)?.into_iter().enumerate() {
        let name = format!("TaskId.{}", i + 1);
        rules::ID.check(&name, id)?;
        if ids.iter().any(|known| known == id) {
            return Err(ParamError::invalid(&name, format!("the task '{id}' appears twice")));
        }
        ids.push(id.to_owned());
    }
    if ids.is_empty() {
        return Err(ParamError::missing("TaskId.1"));
    }
    Ok(ids)
}

/// Confirms tasks waiting in `CONFIRM`, so that they can be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmOTATask {
    pub task_ids: Vec<String>,
}

impl Operation for ConfirmOTATask {
    const ACTION: &'static str = "ConfirmOTATask";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new().with_list("TaskId", &self.task_ids)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { task_ids: task_ids(params)? })
    }
}

/// Runs failed or cancelled tasks of a batch again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReupgradeOTATask {
    pub job_id: String,
    pub task_ids: Vec<String>,
}

impl Operation for ReupgradeOTATask {
    const ACTION: &'static str = "ReupgradeOTATask";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new().with("JobId", &self.job_id).with_list("TaskId", &self.task_ids)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { job_id: rules::ID.required(params, "JobId")?.to_owned(), task_ids: task_ids(params)? })
    }
}
