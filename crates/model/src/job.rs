//! Batches (`Job`): the shapes QueryOTAJob, ListOTAJobByFirmware and the create operations
//! answer with (§3.11–3.15).

use serde::{Deserialize, Serialize};

use crate::enums::{
    DownloadProtocol, DynamicMode, JobStatus, JobType, OverwriteMode, RetryCount, RetryInterval,
    SelectionType, TargetSelection,
};
use crate::paging::Page;
use crate::time::UtcTime;

/// A batch tag, sent to devices with the push notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OtaTag {
    pub key: String,
    pub value: String,
}

list_wrapper!(
    /// `Tags.OtaTagDTO[]`.
    Tags { "OtaTagDTO": OtaTag }
);

list_wrapper!(
    /// `SrcVersions.SrcVersion[]`.
    SrcVersions { "SrcVersion": String }
);

/// A batch in full (QueryOTAJob `Data`): the list's fields and the batch's configuration.
/// Fields the API only fills in some cases are optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OTAJobInfo {
    #[serde(flatten)]
    pub summary: SimpleOTAJobInfo,
    /// The package's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_desc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gray_percent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_versions: Option<SrcVersions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_mode: Option<DynamicMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_per_minute: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_interval: Option<RetryInterval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_count: Option<RetryCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite_mode: Option<OverwriteMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_push: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_confirm: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_protocol: Option<DownloadProtocol>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_module_mode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_schedule_time: Option<UtcTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_schedule_finish_time: Option<UtcTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTAJobResponse {
    pub data: OTAJobInfo,
}

/// One batch in a list (ListOTAJobByFirmware, ListOTAJobByDevice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimpleOTAJobInfo {
    pub job_id: String,
    pub firmware_id: String,
    pub product_key: String,
    pub job_status: JobStatus,
    pub job_type: JobType,
    pub selection_type: SelectionType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_selection: Option<TargetSelection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    pub utc_create: UtcTime,
    pub utc_modified: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_start_time: Option<UtcTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_end_time: Option<UtcTime>,
}

list_wrapper!(
    /// `Data.SimpleOTAJobInfo[]`.
    SimpleOTAJobInfoList { "SimpleOTAJobInfo": SimpleOTAJobInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAJobResponse {
    #[serde(flatten)]
    pub page: Page,
    pub data: SimpleOTAJobInfoList,
}

/// What the create operations return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobCreated {
    pub job_id: String,
    pub utc_create: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOTAJobResponse {
    pub data: JobCreated,
}
