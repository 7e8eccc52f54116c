//! Creating batches and the rules that hold at creation; reading and listing them (changes:
//! job_edits.rs).

use axum::http::StatusCode;

use crate::support::{Server, count};

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");
const GATEWAY: (&str, &str) = ("ProductKey", "a1GwLte4Kx9");
const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

#[tokio::test]
async fn a_verification_batch_puts_its_package_into_verifying() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-2_0_0").await;
    let created = server
        .ok(
            "CreateOTAVerifyJob",
            &[
                ("FirmwareId", &id),
                HVAC,
                ("TargetDeviceName.1", "hc3-bldg-a-013"),
                ("TargetDeviceName.2", "hc3-bldg-a-014"),
                ("NeedConfirm", "true"),
            ],
        )
        .await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    assert!(created["Data"]["UtcCreate"].as_str().unwrap().ends_with('Z'));
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(job["Data"]["JobType"], "VERFIY_FIRMWARE");
    assert_eq!(job["Data"]["JobStatus"], "IN_PROGRESS");
    assert_eq!(server.task_statuses(job_id).await, ["CONFIRM", "CONFIRM"]);
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", &id)]).await;
    assert_eq!(info["FirmwareInfo"]["Status"], 2);

    let again = [("FirmwareId", id.as_str()), HVAC, ("TargetDeviceName.1", "hc3-bldg-a-015")];
    server.refused("CreateOTAVerifyJob", &again, StatusCode::CONFLICT, "iot.ota.FirmwareVerifyingOrVerified").await;
}

#[tokio::test]
async fn batch_updates_wait_for_a_passed_verification() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-2_0_0").await;
    let msg = server
        .refused(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), HVAC, ("TargetSelection", "ALL")],
            StatusCode::CONFLICT,
            "iot.ota.FirmwareNotVerified",
        )
        .await;
    assert!(msg.contains("verification"), "{msg}");
    server
        .refused(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), METER, ("TargetSelection", "ALL")],
            StatusCode::CONFLICT,
            "iot.ota.FirmwareProductMismatch",
        )
        .await;
}

#[tokio::test]
async fn a_static_batch_takes_the_devices_on_its_source_versions() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0"), ("OverwriteMode", "2")],
        )
        .await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    let statuses = server.task_statuses(job_id).await;
    // Twelve controllers run 1.8.0; the six the scheduled demo batch holds are overwritten.
    assert_eq!(statuses.len(), 12);
    assert_eq!(count(&statuses, "QUEUED"), 12);
    let scheduled = server.jobs_of(&id).await.into_iter().find(|j| j["JobId"] != job_id).unwrap();
    let old = server.task_statuses(scheduled["JobId"].as_str().unwrap()).await;
    assert_eq!(count(&old, "CANCELED"), 6);
    let tasks = server.ok("ListOTATaskByJob", &[("JobId", scheduled["JobId"].as_str().unwrap())]).await;
    assert_eq!(tasks["Data"]["SimpleOTATaskInfo"][0]["ReasonCode"], "OVERWRITTEN");

    let nobody = [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.7.0")];
    let msg =
        server.refused("CreateOTAStaticUpgradeJob", &nobody, StatusCode::CONFLICT, "iot.ota.NoTargetDevice").await;
    assert!(msg.contains("None of the 30 devices"), "{msg}");
}

#[tokio::test]
async fn without_overwrite_a_busy_device_gets_a_failed_task() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[
                ("FirmwareId", &id),
                HVAC,
                ("TargetSelection", "SPECIFIC"),
                ("TargetDeviceName.1", "hc3-bldg-a-001"),
                ("TargetDeviceName.2", "hc3-bldg-a-006"),
            ],
        )
        .await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    let tasks = server.ok("ListOTATaskByJob", &[("JobId", job_id)]).await;
    let tasks = tasks["Data"]["SimpleOTATaskInfo"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    for task in tasks {
        assert_eq!(task["TaskStatus"], "FAILED", "the scheduled batch holds both controllers");
        assert_eq!(task["ReasonCode"], "CONFLICT");
        assert!(task["TaskDesc"].as_str().unwrap().contains("unfinished task"));
    }
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(job["Data"]["JobStatus"], "COMPLETED", "a batch with nothing left to do is complete");
}

#[tokio::test]
async fn named_devices_must_exist_and_lists_and_groups_name_devices_too() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-bacnet-stack-4_1").await;
    let ghost =
        [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "SPECIFIC"), ("TargetDeviceName.1", "hc3-ghost-01")];
    let msg =
        server.refused("CreateOTAStaticUpgradeJob", &ghost, StatusCode::NOT_FOUND, "iot.device.NotExistedDevice").await;
    assert!(msg.contains("hc3-ghost-01"), "{msg}");

    // A device list file: a header, two controllers, a name that cannot be one, a blank line.
    let grant = server.ok("GenerateDeviceNameListURL", &[]).await;
    let url = grant["Data"]["FileUrl"].as_str().unwrap();
    server.put_bytes(url, b"DeviceName\nhc3-bldg-a-020\nhc3-bldg-a-021\nbad name\n\n".to_vec()).await;
    // bacnet 4.1.0 runs everywhere already, so take a package the controllers do not run.
    let ctrl = server.firmware_id("hc3-ctrl-1_9_0").await;
    let listed = [("FirmwareId", ctrl.as_str()), HVAC, ("TargetSelection", "SPECIFIC"), ("DnListFileUrl", url)];
    let msg =
        server.refused("CreateOTAStaticUpgradeJob", &listed, StatusCode::CONFLICT, "iot.ota.NoTargetDevice").await;
    assert!(msg.contains("2 devices"), "both listed controllers run 1.9.0 already: {msg}");

    let group = server.ok("CreateDeviceGroup", &[("GroupName", "floor_one")]).await;
    let group_id = group["Data"]["GroupId"].as_str().unwrap();
    server
        .ok(
            "BatchAddDeviceGroupRelations",
            &[("GroupId", group_id), ("Device.1.ProductKey", "a1Hvac3CtlM"), ("Device.1.DeviceName", "hc3-bldg-a-010")],
        )
        .await;
    let grouped = [
        ("FirmwareId", ctrl.as_str()),
        HVAC,
        ("TargetSelection", "GROUP"),
        ("GroupId", group_id),
        ("GroupType", "LINK_PLATFORM"),
    ];
    let created = server.ok("CreateOTAStaticUpgradeJob", &grouped).await;
    assert_eq!(server.task_statuses(created["Data"]["JobId"].as_str().unwrap()).await, ["QUEUED"]);
}

#[tokio::test]
async fn a_gray_batch_takes_a_share_of_the_devices() {
    let server = Server::new().await;
    let id = server.firmware_id("sm200-main-3_1_0").await;
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[
                ("FirmwareId", &id),
                METER,
                ("TargetSelection", "GRAY"),
                ("GrayPercent", "25"),
                ("SrcVersion.1", "3.0.0"),
            ],
        )
        .await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    assert_eq!(server.task_statuses(job_id).await.len(), 4, "25 % of the nineteen meters still on 3.0.0, rounded down");
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(
        (job["Data"]["TargetSelection"].as_str(), job["Data"]["GrayPercent"].as_str()),
        (Some("GRAY"), Some("25"))
    );
}

#[tokio::test]
async fn a_scheduled_batch_is_planned_and_its_tasks_wait_for_the_time() {
    let server = Server::new().await;
    let id = server.firmware_id("sm200-zigbee-1_4_2").await;
    let start = (chrono::Utc::now() + chrono::Duration::hours(3)).timestamp_millis().to_string();
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[
                ("FirmwareId", &id),
                METER,
                ("TargetSelection", "ALL"),
                ("ScheduleTime", &start),
                ("MultiModuleMode", "true"),
            ],
        )
        .await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(job["Data"]["JobStatus"], "PLANNED");
    assert!(job["Data"]["UtcScheduleTime"].is_string());
    let tasks = server.ok("ListOTATaskByJob", &[("JobId", job_id), ("PageSize", "1")]).await;
    let task = &tasks["Data"]["SimpleOTATaskInfo"][0];
    assert_eq!((task["TaskStatus"].as_str(), task["WaitReason"].as_str()), (Some("QUEUED"), Some("SCHEDULED")));
    assert_eq!(task["UtcScheduleTime"], job["Data"]["UtcScheduleTime"]);

    let soon = (chrono::Utc::now() + chrono::Duration::minutes(2)).timestamp_millis().to_string();
    let msg = server
        .refused(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), METER, ("TargetSelection", "ALL"), ("ScheduleTime", &soon)],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;
    assert!(msg.contains("5 minutes to 7 days"), "{msg}");
}

#[tokio::test]
async fn a_package_has_one_running_dynamic_batch() {
    let server = Server::new().await;
    let id = server.firmware_id("gw4-os-2_5_1").await;
    let msg = server
        .refused(
            "CreateOTADynamicUpgradeJob",
            &[("FirmwareId", &id), GATEWAY, ("SrcVersion.1", "2.3.8")],
            StatusCode::CONFLICT,
            "iot.ota.DynamicJobExisted",
        )
        .await;
    assert!(msg.contains("cancel it first"), "{msg}");
    let dynamic = server.jobs_of(&id).await.into_iter().find(|j| j["SelectionType"] == "DYNAMIC").unwrap();
    let dynamic_id = dynamic["JobId"].as_str().unwrap();
    server.ok("CancelOTAStrategyByJob", &[("JobId", dynamic_id)]).await;
    let job = server.ok("QueryOTAJob", &[("JobId", dynamic_id)]).await;
    assert_eq!(job["Data"]["JobStatus"], "CANCELED");
    assert_eq!(job["Data"]["TargetSelection"], "ALL");
    let created = server
        .ok(
            "CreateOTADynamicUpgradeJob",
            &[("FirmwareId", &id), GATEWAY, ("SrcVersion.1", "2.3.8"), ("DynamicMode", "2")],
        )
        .await;
    let new_id = created["Data"]["JobId"].as_str().unwrap();
    assert!(server.task_statuses(new_id).await.is_empty(), "mode 2 waits for devices to report a matching version");
    server
        .refused(
            "CreateOTADynamicUpgradeJob",
            &[("FirmwareId", &id), GATEWAY, ("GroupId", "g1"), ("GroupType", "LINK_PLATFORM_DYNAMIC")],
            StatusCode::BAD_REQUEST,
            "iot.ota.NotSupported",
        )
        .await;
    let static_job = server.jobs_of(&server.firmware_id("sm200-main-3_2_0").await).await;
    let static_id =
        static_job.iter().find(|j| j["SelectionType"] == "STATIC").unwrap()["JobId"].as_str().unwrap().to_owned();
    server
        .refused("CancelOTAStrategyByJob", &[("JobId", &static_id)], StatusCode::CONFLICT, "iot.ota.JobStateConflict")
        .await;
}

#[tokio::test]
async fn a_differential_package_applies_to_its_source_version_only() {
    let server = Server::new().await;
    let id = server.firmware_id("gw4-os-2_5_1-delta").await;
    let wrong = [("FirmwareId", id.as_str()), GATEWAY, ("TargetSelection", "ALL"), ("SrcVersion.1", "2.3.8")];
    server.refused("CreateOTAStaticUpgradeJob", &wrong, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), GATEWAY, ("TargetSelection", "ALL"), ("OverwriteMode", "2")],
        )
        .await;
    // Ten gateways are still on 2.4.11, all of them in the dynamic batch: the seven waiting or
    // notified there are overwritten, the three updating are not (their new tasks fail).
    let statuses = server.task_statuses(created["Data"]["JobId"].as_str().unwrap()).await;
    assert_eq!(statuses.len(), 10);
    assert_eq!(count(&statuses, "FAILED"), 3);
    assert_eq!(count(&statuses, "QUEUED"), 7);
}

#[tokio::test]
async fn batches_are_listed_per_package_and_per_device() {
    let server = Server::new().await;
    let id = server.firmware_id("sm200-main-3_2_0").await;
    let jobs = server.jobs_of(&id).await;
    let kinds: Vec<&str> = jobs.iter().map(|j| j["JobType"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&"VERFIY_FIRMWARE") && kinds.contains(&"UPGRADE_FIRMWARE"));
    let verify = jobs.iter().find(|j| j["JobType"] == "VERFIY_FIRMWARE").unwrap();
    assert_eq!(verify["JobStatus"], "COMPLETED");
    assert!(verify["UtcEndTime"].is_string());

    let tester = server.ok("ListOTAJobByDevice", &[("FirmwareId", &id), METER, ("DeviceName", "meter-0021")]).await;
    assert_eq!(tester["Total"], 1, "the tester was verified, then skipped by the rollout");
    let other = server.ok("ListOTAJobByDevice", &[("FirmwareId", &id), METER, ("DeviceName", "meter-0050")]).await;
    assert_eq!(other["Data"]["SimpleOTAJobInfo"][0]["JobType"], "UPGRADE_FIRMWARE");
    server.refused("QueryOTAJob", &[("JobId", "nope")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;
}
