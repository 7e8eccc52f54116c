//! QueryOTATaskStatistics: how many tasks of a batch, or of a package, are in each state.

use serde::{Deserialize, Serialize};

use crate::enums::TaskStatus;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

/// What the statistics are about: one batch, or all batches of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatisticsScope {
    Job(String),
    Firmware(String),
}

/// How many tasks are in each state, for a batch or a package. Kept as counters, so cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOTATaskStatistics {
    pub scope: StatisticsScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskCounts {
    pub total: u64,
    pub confirm: u64,
    pub queued: u64,
    pub notified: u64,
    pub in_progress: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub canceled: u64,
}

impl TaskCounts {
    pub fn add(&mut self, status: TaskStatus, count: u64) {
        self.total += count;
        *self.of_mut(status) += count;
    }

    pub fn of(&self, status: TaskStatus) -> u64 {
        match status {
            TaskStatus::Confirm => self.confirm,
            TaskStatus::Queued => self.queued,
            TaskStatus::Notified => self.notified,
            TaskStatus::InProgress => self.in_progress,
            TaskStatus::Succeeded => self.succeeded,
            TaskStatus::Failed => self.failed,
            TaskStatus::Canceled => self.canceled,
        }
    }

    fn of_mut(&mut self, status: TaskStatus) -> &mut u64 {
        match status {
            TaskStatus::Confirm => &mut self.confirm,
            TaskStatus::Queued => &mut self.queued,
            TaskStatus::Notified => &mut self.notified,
            TaskStatus::InProgress => &mut self.in_progress,
            TaskStatus::Succeeded => &mut self.succeeded,
            TaskStatus::Failed => &mut self.failed,
            TaskStatus::Canceled => &mut self.canceled,
        }
    }

    /// Tasks not yet over.
    pub fn unfinished(&self) -> u64 {
        self.confirm + self.queued + self.notified + self.in_progress
    }

    /// Succeeded ÷ (succeeded + failed), in per mille; none while nothing has ended either way.
    /// Cancelled and unfinished tasks do not count (the rule of Alibaba's IoV OTA statistics).
    pub fn success_per_mille(&self) -> Option<u32> {
        let ended = self.succeeded + self.failed;
        (ended > 0).then(|| (self.succeeded * 1000 / ended) as u32)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskStatistics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_id: Option<String>,
    #[serde(flatten)]
    pub counts: TaskCounts,
    /// Succeeded ÷ (succeeded + failed) as a decimal string, `"0.950"`; absent until a task ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<String>,
}

impl TaskStatistics {
    pub fn new(scope: &StatisticsScope, counts: TaskCounts) -> Self {
        let (job_id, firmware_id) = match scope {
            StatisticsScope::Job(id) => (Some(id.clone()), None),
            StatisticsScope::Firmware(id) => (None, Some(id.clone())),
        };
        let success_rate = counts.success_per_mille().map(|m| format!("{}.{:03}", m / 1000, m % 1000));
        Self { job_id, firmware_id, counts, success_rate }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTATaskStatisticsResponse {
    pub data: TaskStatistics,
}

impl Operation for QueryOTATaskStatistics {
    const ACTION: &'static str = "QueryOTATaskStatistics";
    type Response = QueryOTATaskStatisticsResponse;

    fn to_params(&self) -> Params {
        match &self.scope {
            StatisticsScope::Job(id) => Params::new().with("JobId", id),
            StatisticsScope::Firmware(id) => Params::new().with("FirmwareId", id),
        }
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let scope = match (rules::ID.optional(params, "JobId")?, rules::ID.optional(params, "FirmwareId")?) {
            (Some(job), None) => StatisticsScope::Job(job.to_owned()),
            (None, Some(firmware)) => StatisticsScope::Firmware(firmware.to_owned()),
            (None, None) => return Err(ParamError::missing("JobId")),
            (Some(_), Some(_)) => {
                return Err(ParamError::invalid("FirmwareId", "give JobId or FirmwareId, not both"));
            }
        };
        Ok(Self { scope })
    }
}
