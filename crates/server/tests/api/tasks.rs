//! Task lists and the changes made to tasks: cancel, confirm, re-run.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{Server, count};

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");

/// The demo rollout of sm200-main-3_2_0 (94 tasks in every state).
async fn rollout(server: &Server) -> String {
    let jobs = server.jobs_of(&server.firmware_id("sm200-main-3_2_0").await).await;
    jobs.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap().to_owned()
}

fn tasks(list: &Value) -> Vec<Value> {
    list["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone()
}

#[tokio::test]
async fn tasks_are_listed_in_order_with_their_states_and_reasons() {
    let server = Server::new().await;
    let job = rollout(&server).await;
    let first = server.ok("ListOTATaskByJob", &[("JobId", &job), ("PageSize", "10")]).await;
    assert_eq!((first["Total"].as_u64(), first["PageCount"].as_u64()), (Some(94), Some(10)));
    let page = tasks(&first);
    assert_eq!(page[0]["DeviceName"], "meter-0024");
    assert_eq!((page[0]["TaskStatus"].as_str(), page[0]["Progress"].as_str()), (Some("SUCCEEDED"), Some("100.00")));
    assert_eq!(page[0]["SrcVersion"], "3.1.0");
    assert_eq!(page[0]["DestVersion"], "3.2.0");
    assert_eq!(page[0]["ProductName"], "Smart meter SM-200");
    assert_eq!(page[0]["Timeout"], "60");

    let last = server.ok("ListOTATaskByJob", &[("JobId", &job), ("PageSize", "10"), ("CurrentPage", "10")]).await;
    assert_eq!(tasks(&last).len(), 4);
    assert_eq!(tasks(&last)[3]["DeviceName"], "meter-0117");

    let failed = server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "FAILED")]).await;
    let failed_tasks = tasks(&failed);
    let reasons: Vec<&str> = failed_tasks.iter().map(|t| t["ReasonCode"].as_str().unwrap()).collect();
    assert_eq!(failed["Total"], 5);
    assert_eq!(reasons, ["DOWNLOAD_FAILED", "DOWNLOAD_FAILED", "TIMEOUT", "VERSION_MISMATCH", "FLASH_FAILED"]);
    assert_eq!(failed_tasks[3]["TaskDesc"], "report version is not conform");

    let queued = server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "QUEUED"), ("PageSize", "100")]).await;
    assert_eq!(queued["Total"], 37);
    let waits: Vec<(String, String)> = tasks(&queued)
        .iter()
        .map(|t| (t["DeviceName"].as_str().unwrap().to_owned(), t["WaitReason"].as_str().unwrap().to_owned()))
        .collect();
    // Every seventh meter is offline; the others are held back by the push rate.
    assert!(waits.contains(&("meter-0084".into(), "DEVICE_OFFLINE".into())), "{waits:?}");
    assert!(waits.contains(&("meter-0085".into(), "RATE_LIMITED".into())), "{waits:?}");
    assert!(tasks(&queued).iter().all(|t| t.get("ReasonCode").is_none()));

    let named = server
        .ok("ListOTATaskByJob", &[("JobId", &job), ("DeviceNames.1", "meter-0030"), ("DeviceNames.2", "meter-0090")])
        .await;
    assert_eq!(named["Total"], 2);
}

#[tokio::test]
async fn task_lists_refuse_pages_beyond_one_hundred_thousand_rows() {
    let server = Server::new().await;
    let job = rollout(&server).await;
    server
        .refused(
            "ListOTATaskByJob",
            &[("JobId", &job), ("PageSize", "100"), ("CurrentPage", "1001")],
            StatusCode::BAD_REQUEST,
            "iot.common.InvalidPageParams",
        )
        .await;
    server
        .refused(
            "ListOTATaskByJob",
            &[("JobId", &job), ("TaskStatus", "DONE")],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;
    server.refused("ListOTATaskByJob", &[("JobId", "nope")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;
}

/// Every task of `job` in `status`, page by page.
async fn all_pages(server: &Server, job: &str, status: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let page = page.to_string();
        let list = server
            .ok(
                "ListOTATaskByJob",
                &[("JobId", job), ("TaskStatus", status), ("PageSize", "100"), ("CurrentPage", &page)],
            )
            .await;
        let found = tasks(&list);
        if found.is_empty() {
            return ids;
        }
        assert!(found.iter().all(|t| t["TaskStatus"] == status));
        ids.extend(found.iter().map(|t| t["TaskId"].as_str().unwrap().to_owned()));
    }
    unreachable!()
}

#[tokio::test]
async fn pages_of_one_state_follow_the_batch_order_across_thousands_of_tasks() {
    let server = Server::new().await;
    let fleet = ota_server::loadtest::seed(&server.store, "iot-default", 3000, 3000).await.unwrap();
    let job = fleet.job_id.as_str();
    let mut everything = Vec::new();
    for page in 1..=30 {
        let page = page.to_string();
        let list = server.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100"), ("CurrentPage", &page)]).await;
        everything.extend(tasks(&list));
    }
    assert_eq!(everything.len(), 3000);
    let of_state = |status: &str| -> Vec<String> {
        everything
            .iter()
            .filter(|t| t["TaskStatus"] == status)
            .map(|t| t["TaskId"].as_str().unwrap().to_owned())
            .collect()
    };
    for status in ["SUCCEEDED", "FAILED", "CANCELED", "QUEUED", "CONFIRM"] {
        assert_eq!(all_pages(&server, job, status).await, of_state(status), "{status}");
    }

    // Cancelling moves tasks between states (unconfirmed ones go with the queued); the pages follow.
    server.ok("CancelOTATaskByJob", &[("JobId", job), ("CancelQueuedTask", "true")]).await;
    let cancelled: Vec<String> = everything
        .iter()
        .filter(|t| ["CANCELED", "QUEUED", "CONFIRM"].contains(&t["TaskStatus"].as_str().unwrap()))
        .map(|t| t["TaskId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all_pages(&server, job, "CANCELED").await, cancelled);
    assert!(all_pages(&server, job, "QUEUED").await.is_empty());
}

#[tokio::test]
async fn cancelling_by_state_leaves_the_other_states_alone() {
    let server = Server::new().await;
    let job = rollout(&server).await;
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "True")]).await;
    let statuses = server.task_statuses(&job).await;
    assert_eq!((count(&statuses, "QUEUED"), count(&statuses, "CANCELED")), (0, 39));
    assert_eq!((count(&statuses, "NOTIFIED"), count(&statuses, "IN_PROGRESS")), (4, 6));
    let status = server.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(status["Data"]["JobStatus"], "IN_PROGRESS", "tasks are still running");

    server
        .ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelNotifiedTask", "true"), ("CancelInProgressTask", "true")])
        .await;
    let statuses = server.task_statuses(&job).await;
    assert_eq!(count(&statuses, "CANCELED"), 49);
    let status = server.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(status["Data"]["JobStatus"], "CANCELED", "a static batch with nothing left to do ends cancelled");
    let cancelled =
        server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "CANCELED"), ("PageSize", "100")]).await;
    assert!(tasks(&cancelled).iter().any(|t| t["ReasonCode"] == "CANCELED_BY_JOB"));

    server.refused("CancelOTATaskByJob", &[("JobId", &job)], StatusCode::BAD_REQUEST, "InvalidParameter").await;
}

#[tokio::test]
async fn unconfirmed_tasks_follow_queued_ones_unless_told_otherwise() {
    let server = Server::new().await;
    let jobs = server.jobs_of(&server.firmware_id("防犯カメラ_ファームウェア_520").await).await;
    let job = jobs[0]["JobId"].as_str().unwrap().to_owned();
    let before = server.task_statuses(&job).await;
    assert_eq!(
        (count(&before, "QUEUED"), count(&before, "CONFIRM")),
        (4, 11),
        "30 % of the fifty cameras on 5.1.0, four confirmed"
    );
    server
        .ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true"), ("CancelUnconfirmedTask", "false")])
        .await;
    let after = server.task_statuses(&job).await;
    assert_eq!((count(&after, "CANCELED"), count(&after, "CONFIRM")), (4, 11));
}

#[tokio::test]
async fn the_app_confirms_tasks_of_a_device_it_looked_up() {
    let server = Server::new().await;
    let jobs = server.jobs_of(&server.firmware_id("防犯カメラ_ファームウェア_520").await).await;
    let job = jobs[0]["JobId"].as_str().unwrap().to_owned();
    let waiting = server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "CONFIRM")]).await;
    let device = tasks(&waiting)[0]["DeviceName"].as_str().unwrap().to_owned();

    let unfinished = server
        .ok(
            "ListOTAUnfinishedTaskByDevice",
            &[("ProductKey", "a1Cam7IpcZr"), ("DeviceName", &device), ("TaskStatus", "CONFIRM")],
        )
        .await;
    let task = &tasks(&unfinished)[0];
    assert_eq!(task["ModuleName"], "default");
    let task_id = task["TaskId"].as_str().unwrap().to_owned();
    server.ok("ConfirmOTATask", &[("TaskId.1", &task_id)]).await;
    let confirmed =
        server.ok("ListOTAUnfinishedTaskByDevice", &[("ProductKey", "a1Cam7IpcZr"), ("DeviceName", &device)]).await;
    assert_eq!(tasks(&confirmed)[0]["TaskStatus"], "QUEUED");
    let msg = server
        .refused("ConfirmOTATask", &[("TaskId.1", &task_id)], StatusCode::CONFLICT, "iot.ota.TaskStateConflict")
        .await;
    assert!(msg.contains("QUEUED"), "{msg}");
    server.refused("ConfirmOTATask", &[("TaskId.1", "nope")], StatusCode::NOT_FOUND, "iot.ota.TaskNotFound").await;
    server
        .refused(
            "ListOTAUnfinishedTaskByDevice",
            &[("ProductKey", "a1Cam7IpcZr"), ("DeviceName", &device), ("TaskStatus", "FAILED")],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;
}

#[tokio::test]
async fn cancelling_by_device_and_running_a_task_again() {
    let server = Server::new().await;
    let job = rollout(&server).await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    // meter-0070 has been notified.
    server
        .ok(
            "CancelOTATaskByDevice",
            &[METER, ("FirmwareId", &firmware), ("DeviceName.1", "meter-0070"), ("JobId", &job)],
        )
        .await;
    let list = server.ok("ListOTATaskByJob", &[("JobId", &job), ("DeviceNames.1", "meter-0070")]).await;
    let task = &tasks(&list)[0];
    assert_eq!(
        (task["TaskStatus"].as_str(), task["ReasonCode"].as_str()),
        (Some("CANCELED"), Some("CANCELED_BY_DEVICE"))
    );
    let task_id = task["TaskId"].as_str().unwrap().to_owned();

    server.ok("ReupgradeOTATask", &[("JobId", &job), ("TaskId.1", &task_id)]).await;
    let list = server.ok("ListOTATaskByJob", &[("JobId", &job), ("DeviceNames.1", "meter-0070")]).await;
    let task = &tasks(&list)[0];
    assert_eq!((task["TaskStatus"].as_str(), task["Progress"].as_str()), (Some("QUEUED"), Some("0.00")));
    assert!(task.get("ReasonCode").is_none());
    server
        .refused(
            "ReupgradeOTATask",
            &[("JobId", &job), ("TaskId.1", &task_id)],
            StatusCode::CONFLICT,
            "iot.ota.TaskStateConflict",
        )
        .await;

    server
        .refused(
            "CancelOTATaskByDevice",
            &[METER, ("FirmwareId", &firmware), ("DeviceName.1", "meter-9999")],
            StatusCode::NOT_FOUND,
            "iot.device.NotExistedDevice",
        )
        .await;
    server
        .refused(
            "CancelOTATaskByDevice",
            &[("ProductKey", "a1Hvac3CtlM"), ("FirmwareId", &firmware), ("DeviceName.1", "meter-0070")],
            StatusCode::CONFLICT,
            "iot.ota.FirmwareProductMismatch",
        )
        .await;
}

#[tokio::test]
async fn a_task_cannot_run_again_while_its_device_is_busy_elsewhere() {
    let server = Server::new().await;
    let job = rollout(&server).await;
    let failed = server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "FAILED")]).await;
    let task = &tasks(&failed)[0];
    let (task_id, device) =
        (task["TaskId"].as_str().unwrap().to_owned(), task["DeviceName"].as_str().unwrap().to_owned());
    // Another batch takes the device first.
    let zigbee = server.firmware_id("sm200-zigbee-1_4_2").await;
    server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[
                ("FirmwareId", &zigbee),
                METER,
                ("TargetSelection", "SPECIFIC"),
                ("TargetDeviceName.1", &device),
                ("MultiModuleMode", "false"),
            ],
        )
        .await;
    let msg = server
        .refused(
            "ReupgradeOTATask",
            &[("JobId", &job), ("TaskId.1", &task_id)],
            StatusCode::CONFLICT,
            "iot.ota.TaskStateConflict",
        )
        .await;
    assert!(msg.contains(&device), "{msg}");
}
