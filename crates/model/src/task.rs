//! Device tasks: the shape ListOTATaskByJob and ListOTAUnfinishedTaskByDevice answer with
//! (§3.16–3.17).

use serde::{Deserialize, Serialize};

use crate::enums::TaskStatus;
use crate::paging::Page;
use crate::time::UtcTime;

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
