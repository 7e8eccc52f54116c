//! The sample responses quoted in `alibaba-ota-api.md`, read into our types and written back:
//! what Alibaba sends must survive the trip unchanged.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::enums::{JobStatus, RetryInterval, TaskStatus};
use crate::envelope::SuccessBody;
use crate::job::{CreateOTAJobResponse, QueryOTAJobResponse};
use crate::task::ListOTATaskByJobResponse;

fn round_trip<T: Serialize + DeserializeOwned>(wire: Value) -> SuccessBody<T> {
    let body: SuccessBody<T> = serde_json::from_value(wire.clone()).expect("sample should parse");
    assert_eq!(serde_json::to_value(&body).unwrap(), wire);
    // The console's reader (objects only) reads it the same.
    let read: SuccessBody<T> = crate::read_json::from_json(&wire).expect("sample should read");
    assert_eq!(serde_json::to_value(&read).unwrap(), wire);
    body
}

#[test]
fn create_static_upgrade_job() {
    let body = round_trip::<CreateOTAJobResponse>(json!({
        "Data": {"JobId": "wahVIzGkCMuAUE2gDERM02****", "UtcCreate": "2019-11-04T06:22:19.566Z"},
        "RequestId": "29EC7245-0FA4-4BB6-B4F5-5F04818FDFB1", "Success": true
    }));
    assert_eq!(body.data.data.job_id, "wahVIzGkCMuAUE2gDERM02****");
}

#[test]
fn query_ota_job() {
    let body = round_trip::<QueryOTAJobResponse>(json!({"Data": {
        "TimeoutInMinutes": 5, "JobDesc": "batch upgrade", "UtcStartTime": "2019-12-28T02:43:10.000Z",
        "UtcEndTime": "2019-12-29T02:43:10.000Z", "ProductKey": "a19mzPZ****",
        "UtcModified": "2019-12-28T02:43:10.000Z", "JobStatus": "IN_PROGRESS",
        "UtcCreate": "2019-12-28T02:43:10.000Z", "SelectionType": "STATIC",
        "TargetSelection": "SPECIFIC", "JobType": "UPGRADE_FIRMWARE", "RetryInterval": 60,
        "RetryCount": 1, "OverwriteMode": 1, "MaximumPerMinute": 1000,
        "SrcVersions": {"SrcVersion": ["1.0.0"]}, "Name": "firmware2",
        "FirmwareId": "UfuxnwygsuSkVE0VCN****0100", "JobId": "HvKuBpuk3rdk6E92CP****0200",
        "DestVersion": "1.0.1"},
        "RequestId": "30F1BB8D-EDBF-44FD-BBC0-BE97DEA73991", "Success": true}));
    let job = body.data.data;
    assert_eq!(job.summary.job_status, JobStatus::InProgress);
    assert_eq!(job.retry_interval, Some(RetryInterval::OneHour));
    assert_eq!(job.src_versions.unwrap().items, ["1.0.0"]);
}

#[test]
fn list_ota_task_by_job() {
    let body = round_trip::<ListOTATaskByJobResponse>(json!({
        "PageCount": 1, "PageSize": 10, "CurrentPage": 1, "Total": 2, "Success": true,
        "Data": {"SimpleOTATaskInfo": [
            {"TaskId": "y3tOmCDNgpR8F9jnVEzC01****", "TaskStatus": "FAILED", "Progress": "0.00",
             "TaskDesc": "report version is not conform", "SrcVersion": "1.0.0", "DestVersion": "1.0.1",
             "DeviceName": "testDevice1", "IotId": "SR8FiTu1R9tlUR2V1bmi00105****",
             "ProductKey": "a1GUfrM****", "ProductName": "MyProduct",
             "JobId": "7glPHmaDYLAYMD1HHutT02****", "FirmwareId": "q3j9OYBjUAZMv1hlMgdo03****",
             "UtcCreate": "2019-11-04T03:38:15.000Z", "UtcModified": "2019-11-04T03:38:15.000Z"},
            {"TaskId": "ZS9sNBb1ahsu6khqr9II01****", "TaskStatus": "SUCCEEDED", "Progress": "100.00",
             "TaskDesc": "", "SrcVersion": "1.0.0", "DestVersion": "1.0.1",
             "DeviceName": "testDevice2", "IotId": "Xq8FiTu1R9tlUR2V1bmi00105****",
             "ProductKey": "a1GUfrM****", "ProductName": "MyProduct",
             "JobId": "7glPHmaDYLAYMD1HHutT02****", "FirmwareId": "q3j9OYBjUAZMv1hlMgdo03****",
             "UtcCreate": "2019-11-04T03:38:15.000Z", "UtcModified": "2019-11-04T03:40:02.000Z"}]},
        "RequestId": "A59D3BE1-E9A3-43F3-9B50-B7C8DE165D9B"}));
    let statuses: Vec<_> = body.data.data.items.iter().map(|t| t.task_status).collect();
    assert_eq!(statuses, [TaskStatus::Failed, TaskStatus::Succeeded]);
    assert_eq!(body.data.page.total, 2);
}
