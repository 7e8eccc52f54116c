//! Batches (`Job`): their shapes and the operations that read and change them (§3.13–3.15,
//! §3.18). Creating them is in [`create`], with the policy they share in [`policy`]; the
//! console's forms for them are [`form`] (a new batch) and [`edit`] (a running one).

pub mod create;
pub mod edit;
pub mod form;
pub mod policy;
mod preview;
pub mod rate;
pub mod safety;

pub use preview::JobPreview;

use serde::{Deserialize, Serialize};

use crate::enums::{
    DownloadProtocol, DynamicMode, JobStatus, JobType, OverwriteMode, RetryCount, RetryInterval, SelectionType,
    TargetSelection,
};
use crate::envelope::Empty;
use crate::job::rate::{GrowthOn, RateParams, RateType};
use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::rules;
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
    /// The variable rate (extension), on batches that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_type: Option<RateType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_per_minute: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_factor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_every: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_on: Option<GrowthOn>,
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
    /// Waves, pause rule, windows and where the batch stands with them (extension).
    #[serde(flatten, default)]
    pub safety: safety::SafetyInfo,
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

/// What the create operations return. A dry run (extension `DryRun`) creates nothing: its
/// `JobId` is empty and `DryRun` says what creating the batch would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobCreated {
    pub job_id: String,
    pub utc_create: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<JobPreview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOTAJobResponse {
    pub data: JobCreated,
}

/// One batch in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOTAJob {
    pub job_id: String,
}

impl Operation for QueryOTAJob {
    const ACTION: &'static str = "QueryOTAJob";
    type Response = QueryOTAJobResponse;

    fn to_params(&self) -> Params {
        Params::new().with("JobId", &self.job_id)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { job_id: rules::ID.required(params, "JobId")?.to_owned() })
    }
}

/// A package's batches, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAJobByFirmware {
    pub firmware_id: String,
    pub page: PageRequest,
}

impl ListOTAJobByFirmware {
    pub const MAX_PAGE_SIZE: u32 = 200;
}

impl Operation for ListOTAJobByFirmware {
    const ACTION: &'static str = "ListOTAJobByFirmware";
    type Response = ListOTAJobResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(Params::new().with("FirmwareId", &self.firmware_id))
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
        })
    }
}

/// The batches of a package that include one device, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAJobByDevice {
    pub firmware_id: String,
    pub product_key: String,
    pub device_name: String,
    pub page: PageRequest,
}

impl ListOTAJobByDevice {
    pub const MAX_PAGE_SIZE: u32 = 100;
}

impl Operation for ListOTAJobByDevice {
    const ACTION: &'static str = "ListOTAJobByDevice";
    type Response = ListOTAJobResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(
            Params::new()
                .with("FirmwareId", &self.firmware_id)
                .with("ProductKey", &self.product_key)
                .with("DeviceName", &self.device_name),
        )
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            device_name: rules::DEVICE_NAME.required(params, "DeviceName")?.to_owned(),
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
        })
    }
}

/// Changes a running batch: its push rate (always given), its tags (replaced as a whole:
/// left out, they are cleared), and for dynamic batches the timeout and source versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOTAJob {
    pub job_id: String,
    /// The kind of batch being changed; checked against it when given.
    pub upgrade_type: Option<SelectionType>,
    pub maximum_per_minute: u32,
    /// Variable-rate values to change (extension); its type cannot change.
    pub rate: RateParams,
    pub tags: Vec<OtaTag>,
    /// Dynamic batches only; applies to devices the batch takes on afterwards.
    pub timeout_in_minutes: Option<u32>,
    /// Dynamic, version-based batches only. Empty: unchanged.
    pub src_versions: Vec<String>,
}

impl Operation for UpdateOTAJob {
    const ACTION: &'static str = "UpdateOTAJob";
    type Response = Empty;

    fn to_params(&self) -> Params {
        let params = Params::new()
            .with("JobId", &self.job_id)
            .with_opt("UpgradeType", self.upgrade_type)
            .with("MaximumPerMinute", self.maximum_per_minute)
            .with_opt("TimeoutInMinutes", self.timeout_in_minutes)
            .with_list("SrcVersionList", &self.src_versions);
        policy::with_tags(self.rate.to_params(params), "Tags", &self.tags)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            job_id: rules::ID.required(params, "JobId")?.to_owned(),
            upgrade_type: params.parse("UpgradeType")?,
            maximum_per_minute: policy::maximum_per_minute(params)?
                .ok_or_else(|| ParamError::missing("MaximumPerMinute"))?,
            rate: RateParams::from_params(params)?,
            tags: policy::tags(params, "Tags")?,
            timeout_in_minutes: policy::timeout(params)?,
            src_versions: policy::versions(params, "SrcVersionList")?,
        })
    }
}

/// Stops a dynamic batch from taking on more devices; its tasks carry on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOTAStrategyByJob {
    pub job_id: String,
}

impl Operation for CancelOTAStrategyByJob {
    const ACTION: &'static str = "CancelOTAStrategyByJob";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new().with("JobId", &self.job_id)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { job_id: rules::ID.required(params, "JobId")?.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_must_restate_the_push_rate() {
        let no_rate: Params = [("JobId", "j1")].into_iter().collect();
        assert_eq!(UpdateOTAJob::from_params(&no_rate).unwrap_err().code, "MissingMaximumPerMinute");
        let update = UpdateOTAJob {
            job_id: "j1".into(),
            upgrade_type: Some(SelectionType::Dynamic),
            maximum_per_minute: 200,
            rate: RateParams { factor: Some("1.5".parse().unwrap()), ..RateParams::default() },
            tags: vec![OtaTag { key: "wave".into(), value: "3".into() }],
            timeout_in_minutes: Some(30),
            src_versions: vec!["2.4.11".into()],
        };
        assert_eq!(UpdateOTAJob::from_params(&update.to_params()), Ok(update));
    }
}
