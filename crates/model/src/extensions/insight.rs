//! Extensions for the data-analysis views: a batch's progress over time (`JobProgress`), the
//! instance's running batches with their counts (`RunningJobs`), failures by reason
//! (`FailureReasons`) and a package's tasks by the version they start from (`SourceVersions`).
//! Alibaba's API has none of these; the console's charts need each.

use serde::{Deserialize, Serialize};

use super::{StatisticsScope, TaskCounts};
use crate::enums::{JobStatus, JobType};
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;
use crate::task::TaskReason;
use crate::time::UtcTime;

// ---- a batch's progress over time ----------------------------------------------------------

/// A batch's task counts per state over time, from its first task to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAJobProgress {
    pub job_id: String,
    /// At most this many points; the server widens its interval to fit.
    pub max_points: u32,
}

impl ListOTAJobProgress {
    pub const DEFAULT_POINTS: u32 = 240;
    pub const MAX_POINTS: u32 = 1_000;
}

/// The counts at the end of one interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProgressPoint {
    pub utc_time: UtcTime,
    #[serde(flatten)]
    pub counts: TaskCounts,
}

list_wrapper!(
    /// `Points.ProgressPoint[]`.
    ProgressPointList { "ProgressPoint": ProgressPoint }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobProgress {
    pub job_id: String,
    /// Seconds between points (a multiple of the server's bucket).
    pub interval: u32,
    /// Oldest first; the last is the batch's counts now.
    pub points: ProgressPointList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAJobProgressResponse {
    pub data: JobProgress,
}

impl Operation for ListOTAJobProgress {
    const ACTION: &'static str = "ListOTAJobProgress";
    type Response = ListOTAJobProgressResponse;

    fn to_params(&self) -> Params {
        Params::new().with("JobId", &self.job_id).with("MaxPoints", self.max_points)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            job_id: rules::ID.required(params, "JobId")?.to_owned(),
            max_points: params
                .integer_in("MaxPoints", 2..=i64::from(Self::MAX_POINTS))?
                .map_or(Self::DEFAULT_POINTS, |n| n as u32),
        })
    }
}

// ---- the instance's running batches --------------------------------------------------------

/// The instance's batches that are scheduled (`PLANNED`) or running (`IN_PROGRESS`), newest
/// first, each with its package and task counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListOTARunningJobs;

impl ListOTARunningJobs {
    /// The most batches one answer lists; `Total` says how many there are.
    pub const LIMIT: u32 = 100;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunningJob {
    pub job_id: String,
    pub firmware_id: String,
    pub firmware_name: String,
    pub dest_version: String,
    pub product_key: String,
    pub job_status: JobStatus,
    pub job_type: JobType,
    pub utc_create: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_start_time: Option<UtcTime>,
    /// `true` while paused (extension `SafeRollout`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(flatten)]
    pub counts: TaskCounts,
}

list_wrapper!(
    /// `Jobs.RunningJob[]`.
    RunningJobList { "RunningJob": RunningJob }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunningJobs {
    /// All such batches, even beyond [`ListOTARunningJobs::LIMIT`].
    pub total: u64,
    pub jobs: RunningJobList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTARunningJobsResponse {
    pub data: RunningJobs,
}

parameterless_operation!(ListOTARunningJobs, "ListOTARunningJobs", ListOTARunningJobsResponse);

// ---- failures by reason --------------------------------------------------------------------

/// How many `FAILED` tasks each batch has per `ReasonCode`: of one batch, one package, or (with
/// neither) every batch of the instance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOTAFailureReasons {
    pub scope: Option<StatisticsScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailureCount {
    pub job_id: String,
    pub firmware_id: String,
    /// Absent for failures recorded without one (a backend's own, or older data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<TaskReason>,
    pub count: u64,
}

list_wrapper!(
    /// `Failures.FailureCount[]`.
    FailureCountList { "FailureCount": FailureCount }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailureReasons {
    /// Failed tasks in the scope: the sum of the counts.
    pub total: u64,
    /// Largest first.
    pub failures: FailureCountList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAFailureReasonsResponse {
    pub data: FailureReasons,
}

impl Operation for ListOTAFailureReasons {
    const ACTION: &'static str = "ListOTAFailureReasons";
    type Response = ListOTAFailureReasonsResponse;

    fn to_params(&self) -> Params {
        match &self.scope {
            Some(StatisticsScope::Job(id)) => Params::new().with("JobId", id),
            Some(StatisticsScope::Firmware(id)) => Params::new().with("FirmwareId", id),
            None => Params::new(),
        }
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let scope = match (rules::ID.optional(params, "JobId")?, rules::ID.optional(params, "FirmwareId")?) {
            (Some(job), None) => Some(StatisticsScope::Job(job.to_owned())),
            (None, Some(firmware)) => Some(StatisticsScope::Firmware(firmware.to_owned())),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(ParamError::invalid("FirmwareId", "give JobId or FirmwareId, not both"));
            }
        };
        Ok(Self { scope })
    }
}

// ---- tasks by source version ---------------------------------------------------------------

/// A package's (or one batch's) tasks grouped by the version each device updated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTASourceVersions {
    pub scope: StatisticsScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SourceVersionCount {
    /// Empty when the device had reported no version when its task was created.
    pub src_version: String,
    #[serde(flatten)]
    pub counts: TaskCounts,
}

list_wrapper!(
    /// `SourceVersions.SourceVersion[]`.
    SourceVersionList { "SourceVersion": SourceVersionCount }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SourceVersions {
    /// Tasks in the scope.
    pub total: u64,
    /// Most tasks first (ties by version).
    pub source_versions: SourceVersionList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTASourceVersionsResponse {
    pub data: SourceVersions,
}

impl Operation for ListOTASourceVersions {
    const ACTION: &'static str = "ListOTASourceVersions";
    type Response = ListOTASourceVersionsResponse;

    fn to_params(&self) -> Params {
        ListOTAFailureReasons { scope: Some(self.scope.clone()) }.to_params()
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        match ListOTAFailureReasons::from_params(params)?.scope {
            Some(scope) => Ok(Self { scope }),
            None => Err(ParamError::missing("FirmwareId")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_asks_for_a_bounded_number_of_points() {
        let params: Params = [("JobId", "j1")].into_iter().collect();
        assert_eq!(ListOTAJobProgress::from_params(&params).unwrap().max_points, 240);
        let too_many: Params = [("JobId", "j1"), ("MaxPoints", "5000")].into_iter().collect();
        assert_eq!(ListOTAJobProgress::from_params(&too_many).unwrap_err().param.as_deref(), Some("MaxPoints"));
    }

    #[test]
    fn a_progress_point_reads_with_the_apis_field_names() {
        let json = r#"{"Data":{"JobId":"j","Interval":10,"Points":{"ProgressPoint":[
            {"UtcTime":"2026-11-27T00:00:10.000Z","Total":3,"Confirm":0,"Queued":1,"Notified":0,
             "InProgress":1,"Succeeded":1,"Failed":0,"Canceled":0}]}}}"#;
        let answer: ListOTAJobProgressResponse = serde_json::from_str(json).unwrap();
        assert_eq!(answer.data.points.items[0].counts.succeeded, 1);
        assert_eq!(answer.data.interval, 10);
    }

    #[test]
    fn failure_reasons_are_of_a_batch_a_package_or_the_whole_instance() {
        assert_eq!(ListOTAFailureReasons::from_params(&Params::new()).unwrap().scope, None);
        let both: Params = [("JobId", "j"), ("FirmwareId", "f")].into_iter().collect();
        assert!(ListOTAFailureReasons::from_params(&both).is_err());
        let json = r#"{"Data":{"Total":4,"Failures":{"FailureCount":[
            {"JobId":"j","FirmwareId":"f","ReasonCode":"TIMEOUT","Count":3},
            {"JobId":"j","FirmwareId":"f","Count":1}]}}}"#;
        let answer: ListOTAFailureReasonsResponse = serde_json::from_str(json).unwrap();
        assert_eq!(answer.data.failures.items[0].reason_code, Some(TaskReason::Timeout));
        assert_eq!(answer.data.failures.items[1].reason_code, None);
    }

    #[test]
    fn source_versions_need_a_package_or_a_batch() {
        assert_eq!(ListOTASourceVersions::from_params(&Params::new()).unwrap_err().code, "MissingFirmwareId");
        let job: Params = [("JobId", "j")].into_iter().collect();
        assert_eq!(ListOTASourceVersions::from_params(&job).unwrap().scope, StatisticsScope::Job("j".into()));
    }
}
