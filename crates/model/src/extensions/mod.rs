//! Extensions: what the console needs and Alibaba's API lacks, named in the API's style.
//! A backend announces the ones it offers through QueryOTACapabilities; the console asks
//! before it relies on one. Each is documented in docs/api.md with why it exists.

mod insight;
mod overview;
mod statistics;

pub use insight::{
    FailureCount, FailureCountList, FailureReasons, JobProgress, ListOTAFailureReasons, ListOTAFailureReasonsResponse,
    ListOTAJobProgress, ListOTAJobProgressResponse, ListOTARunningJobs, ListOTARunningJobsResponse,
    ListOTASourceVersions, ListOTASourceVersionsResponse, ProgressPoint, ProgressPointList, RunningJob, RunningJobList,
    RunningJobs, SourceVersionCount, SourceVersionList, SourceVersions,
};
pub use overview::{Overview, QueryOTAOverview, QueryOTAOverviewResponse};
pub use statistics::{
    QueryOTATaskStatistics, QueryOTATaskStatisticsResponse, StatisticsScope, TaskCounts, TaskStatistics,
};

use serde::{Deserialize, Serialize};

use crate::module::DEFAULT_MODULE;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

wire_str_enum! {
    /// The extensions a backend may offer.
    pub enum Extension {
        /// ListOTAFirmware's `Keyword` filter.
        Keyword = "Keyword",
        /// QueryOTATaskStatistics.
        TaskStatistics = "TaskStatistics",
        /// `WaitReason` and `UtcScheduleTime` on QUEUED tasks.
        WaitReason = "WaitReason",
        /// `ReasonCode` on FAILED and CANCELED tasks.
        ReasonCode = "ReasonCode",
        /// ListOTAVersionDistribution.
        VersionDistribution = "VersionDistribution",
        /// ListIotInstances.
        Instances = "Instances",
        /// SubscribeOTAEvents.
        EventStream = "EventStream",
        /// `FirmwareVersion` on QueryDevice's devices.
        DeviceFirmwareVersion = "DeviceFirmwareVersion",
        /// QueryOTAOverview: an environment's headline numbers.
        Overview = "Overview",
        /// ListOTATaskByFirmware: a package's tasks across its batches.
        PackageTasks = "PackageTasks",
        /// A variable push rate: `RateType`, `StartPerMinute`, `GrowthFactor`, `GrowthEvery`,
        /// `GrowthOn` on batch creation, UpdateOTAJob and QueryOTAJob.
        VariableRate = "VariableRate",
        /// `DryRun` on the three CreateOTA…Job operations: check and plan the batch, answer
        /// what it would do (`Data.DryRun`), create nothing.
        DryRun = "DryRun",
        /// ListOTAJobProgress: a batch's task counts per state over time.
        JobProgress = "JobProgress",
        /// ListOTARunningJobs: the instance's scheduled and running batches with their counts.
        RunningJobs = "RunningJobs",
        /// ListOTAFailureReasons: failed tasks counted by `ReasonCode` and batch.
        FailureReasons = "FailureReasons",
        /// ListOTASourceVersions: a package's tasks by the version each device started from.
        SourceVersions = "SourceVersions",
        /// `ModuleName` and `ModuleVersion` on QueryDevice: only devices on that version.
        DeviceVersionFilter = "DeviceVersionFilter",
        /// ListOTAAuditEvents and ListOTAJobHistory: who changed what, and what was refused.
        AuditLog = "AuditLog",
        /// Waves, automatic pause and maintenance windows on batches, with PauseOTAJob,
        /// ResumeOTAJob and StartOTAJobNextWave.
        SafeRollout = "SafeRollout",
        /// `ReasonCode` on ListOTATaskByJob and ListOTATaskByFirmware: one failure reason's tasks.
        ReasonCodeFilter = "ReasonCodeFilter",
    }
}

// ---- capability discovery ------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryOTACapabilities;

list_wrapper!(
    /// `Extensions.Extension[]`.
    ExtensionList { "Extension": String }
);

list_wrapper!(
    /// `Actions.Action[]`.
    ActionList { "Action": String }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Capabilities {
    /// The API version spoken, `2018-01-20`.
    pub api_version: String,
    /// The backend, e.g. `ota-server 0.1.0`.
    pub server: String,
    /// Extension names, as strings so that a console can read a newer backend's list.
    pub extensions: ExtensionList,
    /// Every `Action` the backend implements, sorted.
    pub actions: ActionList,
}

impl Capabilities {
    pub fn offers(&self, extension: Extension) -> bool {
        self.extensions.items.iter().any(|name| name == extension.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTACapabilitiesResponse {
    pub data: Capabilities,
}

parameterless_operation!(QueryOTACapabilities, "QueryOTACapabilities", QueryOTACapabilitiesResponse);

// ---- version distribution ------------------------------------------------------------------

/// How a product's devices spread over the versions of one module: the largest groups, and
/// the rest summed as "others".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAVersionDistribution {
    pub product_key: String,
    pub module_name: String,
    pub top: u32,
}

impl ListOTAVersionDistribution {
    pub const DEFAULT_TOP: u32 = 5;
    pub const MAX_TOP: u32 = 50;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionCount {
    pub version: String,
    pub device_count: u64,
}

list_wrapper!(
    /// `Versions.VersionCount[]`.
    VersionCountList { "VersionCount": VersionCount }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionDistribution {
    pub product_key: String,
    pub module_name: String,
    /// Devices that have reported a version of the module.
    pub total: u64,
    /// The largest groups, largest first (ties by version).
    pub versions: VersionCountList,
    /// Devices on any other version.
    pub others_count: u64,
    /// How many other versions there are.
    pub others_version_count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAVersionDistributionResponse {
    pub data: VersionDistribution,
}

impl Operation for ListOTAVersionDistribution {
    const ACTION: &'static str = "ListOTAVersionDistribution";
    type Response = ListOTAVersionDistributionResponse;

    fn to_params(&self) -> Params {
        Params::new().with("ProductKey", &self.product_key).with("ModuleName", &self.module_name).with("Top", self.top)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            module_name: rules::MODULE_NAME.optional(params, "ModuleName")?.unwrap_or(DEFAULT_MODULE).to_owned(),
            top: params.integer_in("Top", 1..=i64::from(Self::MAX_TOP))?.map_or(Self::DEFAULT_TOP, |n| n as u32),
        })
    }
}

// ---- instances -----------------------------------------------------------------------------

/// The instances this backend hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListIotInstances;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceInfo {
    pub iot_instance_id: String,
    pub name: String,
    /// Requests without `IotInstanceId` go to this one.
    pub is_default: bool,
}

list_wrapper!(
    /// `Data.InstanceInfo[]`.
    InstanceInfoList { "InstanceInfo": InstanceInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIotInstancesResponse {
    pub data: InstanceInfoList,
}

parameterless_operation!(ListIotInstances, "ListIotInstances", ListIotInstancesResponse);

// ---- change feed ---------------------------------------------------------------------------

/// `GET /?Action=SubscribeOTAEvents`: a Server-Sent Events stream of task and batch state
/// changes of the instance, optionally of one batch. Each event's `id` is a cursor: a client
/// that reconnects with `Last-Event-ID` (or `Cursor`) misses nothing still retained.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscribeOTAEvents {
    pub job_id: Option<String>,
    /// Resume after this event.
    pub cursor: Option<i64>,
}

impl SubscribeOTAEvents {
    pub const ACTION: &'static str = "SubscribeOTAEvents";

    pub fn to_params(&self) -> Params {
        Params::new().with_opt("JobId", self.job_id.as_deref()).with_opt("Cursor", self.cursor)
    }

    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            job_id: rules::ID.optional(params, "JobId")?.map(str::to_owned),
            cursor: params.integer_in("Cursor", 0..=i64::MAX)?,
        })
    }
}

/// One change, the `data` of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OtaEvent {
    pub cursor: i64,
    /// `job` or `task`.
    pub kind: String,
    pub job_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iot_id: Option<String>,
    /// The new state: a `JobStatus` or a `TaskStatus`.
    pub status: String,
    pub utc_time: crate::time::UtcTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::TaskStatus;

    #[test]
    fn the_success_rate_counts_only_tasks_that_ended_either_way() {
        let mut counts = TaskCounts::default();
        assert_eq!(counts.success_per_mille(), None);
        counts.add(TaskStatus::Succeeded, 19);
        counts.add(TaskStatus::Failed, 1);
        counts.add(TaskStatus::Canceled, 30);
        counts.add(TaskStatus::Queued, 50);
        assert_eq!(counts.total, 100);
        assert_eq!(counts.unfinished(), 50);
        let stats = TaskStatistics::new(&StatisticsScope::Job("j".into()), counts);
        assert_eq!(stats.success_rate.as_deref(), Some("0.950"));
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(json["Succeeded"], 19);
        assert_eq!(json["JobId"], "j");
    }

    #[test]
    fn statistics_are_of_a_batch_or_a_package() {
        let both: Params = [("JobId", "j"), ("FirmwareId", "f")].into_iter().collect();
        assert!(QueryOTATaskStatistics::from_params(&both).is_err());
        assert_eq!(QueryOTATaskStatistics::from_params(&Params::new()).unwrap_err().code, "MissingJobId");
    }

    #[test]
    fn a_console_can_tell_what_a_backend_offers() {
        let capabilities = Capabilities {
            api_version: "2018-01-20".into(),
            server: "x".into(),
            extensions: ExtensionList { items: vec!["Keyword".into(), "SomethingNewer".into()] },
            actions: ActionList::default(),
        };
        assert!(capabilities.offers(Extension::Keyword));
        assert!(!capabilities.offers(Extension::EventStream));
    }
}
