//! Changing a running batch (UpdateOTAJob): its rate, its tags, a dynamic batch's timeout,
//! and a variable rate's values.

use axum::http::StatusCode;

use crate::support::Server;

const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

#[tokio::test]
async fn a_running_batch_changes_its_rate_and_tags_and_a_dynamic_one_its_timeout() {
    let server = Server::new().await;
    let rollout = server.jobs_of(&server.firmware_id("sm200-main-3_2_0").await).await;
    let rollout =
        rollout.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap().to_owned();
    let before = server.ok("QueryOTAJob", &[("JobId", &rollout)]).await;
    assert_eq!(before["Data"]["Tags"]["OtaTagDTO"].as_array().unwrap().len(), 2);
    server
        .ok(
            "UpdateOTAJob",
            &[
                ("JobId", &rollout),
                ("UpgradeType", "STATIC"),
                ("MaximumPerMinute", "500"),
                ("Tags.1.Key", "wave"),
                ("Tags.1.Value", "2"),
            ],
        )
        .await;
    let after = server.ok("QueryOTAJob", &[("JobId", &rollout)]).await;
    assert_eq!(after["Data"]["MaximumPerMinute"], 500);
    assert_eq!(
        after["Data"]["Tags"]["OtaTagDTO"],
        serde_json::json!([{"Key": "wave", "Value": "2"}]),
        "tags are replaced whole"
    );
    server.ok("UpdateOTAJob", &[("JobId", &rollout), ("MaximumPerMinute", "500")]).await;
    let cleared = server.ok("QueryOTAJob", &[("JobId", &rollout)]).await;
    assert!(cleared["Data"].get("Tags").is_none(), "left out, the tags are cleared");

    server.refused("UpdateOTAJob", &[("JobId", &rollout)], StatusCode::BAD_REQUEST, "MissingMaximumPerMinute").await;
    server
        .refused(
            "UpdateOTAJob",
            &[("JobId", &rollout), ("MaximumPerMinute", "50"), ("TimeoutInMinutes", "30")],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;
    server
        .refused(
            "UpdateOTAJob",
            &[("JobId", &rollout), ("MaximumPerMinute", "50"), ("UpgradeType", "DYNAMIC")],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;

    let dynamic = server.jobs_of(&server.firmware_id("gw4-os-2_5_1").await).await;
    let dynamic = dynamic[0]["JobId"].as_str().unwrap().to_owned();
    server
        .ok(
            "UpdateOTAJob",
            &[
                ("JobId", &dynamic),
                ("MaximumPerMinute", "20"),
                ("TimeoutInMinutes", "45"),
                ("SrcVersionList.1", "2.4.11"),
                ("SrcVersionList.2", "2.3.8"),
            ],
        )
        .await;
    let changed = server.ok("QueryOTAJob", &[("JobId", &dynamic)]).await;
    assert_eq!(changed["Data"]["TimeoutInMinutes"], 45);
    assert_eq!(changed["Data"]["SrcVersions"]["SrcVersion"], serde_json::json!(["2.4.11", "2.3.8"]));

    let done = server.jobs_of(&server.firmware_id("ipc7-fw-5_1_0").await).await;
    let done = done[0]["JobId"].as_str().unwrap().to_owned();
    server
        .refused(
            "UpdateOTAJob",
            &[("JobId", &done), ("MaximumPerMinute", "50")],
            StatusCode::CONFLICT,
            "iot.ota.JobStateConflict",
        )
        .await;
}

#[tokio::test]
async fn a_variable_rate_keeps_its_type_while_its_values_change() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let variable = [
        ("FirmwareId", id.as_str()),
        HVAC,
        ("TargetSelection", "ALL"),
        ("SrcVersion.1", "1.8.0"),
        ("OverwriteMode", "2"),
        ("MaximumPerMinute", "1000"),
        ("RateType", "VARIABLE"),
        ("StartPerMinute", "20"),
        ("GrowthFactor", "1.5"),
        ("GrowthEvery", "50"),
    ];
    let too_fast = [&variable[..7], &[("StartPerMinute", "2000")], &variable[8..]].concat();
    let msg = server.refused("CreateOTAStaticUpgradeJob", &too_fast, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    assert!(msg.contains("StartPerMinute"), "{msg}");
    let created = server.ok("CreateOTAStaticUpgradeJob", &variable).await;
    let job_id = created["Data"]["JobId"].as_str().unwrap();
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    let rate = |job: &serde_json::Value| {
        ["RateType", "StartPerMinute", "GrowthFactor", "GrowthEvery", "GrowthOn"].map(|f| job["Data"][f].to_string())
    };
    assert_eq!(rate(&job), ["\"VARIABLE\"", "20", "\"1.5\"", "50", "\"NOTIFIED\""]);

    let edit = [("JobId", job_id), ("MaximumPerMinute", "2000"), ("GrowthFactor", "3"), ("GrowthOn", "SUCCEEDED")];
    server.ok("UpdateOTAJob", &edit).await;
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(rate(&job), ["\"VARIABLE\"", "20", "\"3\"", "50", "\"SUCCEEDED\""]);
    assert_eq!(job["Data"]["MaximumPerMinute"], 2000);
    let switch = [("JobId", job_id), ("MaximumPerMinute", "2000"), ("RateType", "CONSTANT")];
    let msg = server.refused("UpdateOTAJob", &switch, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    assert!(msg.contains("keeps its rate type"), "{msg}");

    let constant = server.jobs_of(&server.firmware_id("sm200-main-3_2_0").await).await;
    let constant = constant.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap();
    assert!(server.ok("QueryOTAJob", &[("JobId", constant)]).await["Data"].get("RateType").is_none());
    let grow = [("JobId", constant), ("MaximumPerMinute", "500"), ("RateType", "VARIABLE")];
    let msg = server.refused("UpdateOTAJob", &grow, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    assert!(msg.contains("keeps its rate type"), "{msg}");
}
