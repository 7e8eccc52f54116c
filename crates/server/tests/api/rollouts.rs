//! Safe rollouts through the API: which batches take which rules, what QueryOTAJob says of
//! them, what a `--plain` server does with them and who may pause a batch. The engine's side
//! is engine::safety.

use axum::http::StatusCode;

use crate::support::{Options, Server};

const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

async fn static_batch(server: &Server, extra: &[(&str, &str)]) -> Result<String, String> {
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let params =
        [&[("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0")][..], extra]
            .concat();
    let reply = server.call("CreateOTAStaticUpgradeJob", &params).await;
    match reply.json()["Data"]["JobId"].as_str() {
        Some(job) if reply.status.is_success() => Ok(job.to_owned()),
        _ => Err(reply.text),
    }
}

#[tokio::test]
async fn a_staged_batch_with_a_pause_rule_and_a_window_says_all_of_it() {
    let server = Server::new().await;
    let rules = [
        ("Wave.1.Percent", "10"),
        ("Wave.2.Percent", "40"),
        ("WaveSuccessRate", "95"),
        ("WaveMinFinished", "20"),
        ("WaveSoakMinutes", "30"),
        ("PauseFailureRate", "5"),
        ("PauseSampleSize", "50"),
        ("PauseMinSample", "20"),
        ("PauseReason.1", "FLASH_FAILED"),
        ("PauseReason.2", "TIMEOUT"),
        ("MaintenanceTimeZone", "Asia/Tokyo"),
        ("MaintenanceWindow.1.Days", "TUE-THU"),
        ("MaintenanceWindow.1.Start", "01:00"),
        ("MaintenanceWindow.1.End", "05:00"),
    ];
    let job = static_batch(&server, &rules).await.unwrap();
    let data = server.ok("QueryOTAJob", &[("JobId", &job)]).await["Data"].clone();
    assert_eq!(data["CurrentWave"], 1);
    let waves = data["Waves"]["Wave"].as_array().unwrap();
    assert_eq!(waves.len(), 3, "10 %, 40 % and the rest: {waves:?}");
    let total: u64 = waves.iter().map(|w| w["Total"].as_u64().unwrap()).sum();
    let stats = server.ok("QueryOTATaskStatistics", &[("JobId", &job)]).await;
    let (all, conflicting) = (stats["Data"]["Total"].as_u64().unwrap(), stats["Data"]["Failed"].as_u64().unwrap());
    assert!(conflicting > 0, "the demo's devices busy elsewhere fail at creation: {stats}");
    assert_eq!(total, all - conflicting, "every task but those that failed at creation has a wave");
    assert_eq!((data["WavePromotion"].as_str(), data["WaveSuccessRate"].as_str()), (Some("AUTO"), Some("95")));
    assert_eq!((data["WaveMinFinished"].as_u64(), data["WaveSoakMinutes"].as_u64()), (Some(20), Some(30)));
    assert_eq!(data["PauseFailureRate"], "5");
    assert_eq!(data["PauseReasons"]["PauseReason"], serde_json::json!(["FLASH_FAILED", "TIMEOUT"]));
    assert_eq!(data["MaintenanceTimeZone"], "Asia/Tokyo");
    assert_eq!(data["MaintenanceWindows"]["MaintenanceWindow"][0]["Days"], "TUE,WED,THU");
    assert!(data["InMaintenanceWindow"].is_boolean());
    assert!(data.get("Paused").is_none());

    let plain_job = static_batch(&server, &[("OverwriteMode", "2")]).await.unwrap();
    let plain = server.ok("QueryOTAJob", &[("JobId", &plain_job)]).await["Data"].clone();
    for field in ["Waves", "CurrentWave", "PauseFailureRate", "MaintenanceWindows", "Paused", "InMaintenanceWindow"] {
        assert!(plain.get(field).is_none(), "a batch without rules has no {field}");
    }
}

#[tokio::test]
async fn rules_are_checked_and_refused_where_they_cannot_apply() {
    let server = Server::new().await;
    let refused = static_batch(&server, &[("Wave.1.Percent", "10")]).await.unwrap_err();
    assert!(refused.contains("WaveSuccessRate"), "{refused}");
    let refused = static_batch(&server, &[("PauseFailureRate", "5"), ("PauseReason.1", "CONFLICT")]).await.unwrap_err();
    assert!(refused.contains("PauseReason.1"), "{refused}");
    let window = [
        ("MaintenanceWindow.1.Days", "MON"),
        ("MaintenanceWindow.1.Start", "01:00"),
        ("MaintenanceWindow.1.End", "02:00"),
    ];
    let refused =
        static_batch(&server, &[&window[..], &[("MaintenanceTimeZone", "Mars/Base")]].concat()).await.unwrap_err();
    assert!(refused.contains("MaintenanceTimeZone"), "{refused}");

    let id = server.firmware_id("hc3-ctrl-2_0_0").await;
    let verify =
        [("FirmwareId", id.as_str()), HVAC, ("TargetDeviceName.1", "hc3-bldg-a-013"), ("PauseFailureRate", "5")];
    server.refused("CreateOTAVerifyJob", &verify, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let dynamic = [
        ("FirmwareId", id.as_str()),
        HVAC,
        ("SrcVersion.1", "1.8.0"),
        ("Wave.1.Count", "2"),
        ("WaveSuccessRate", "90"),
    ];
    let message =
        server.refused("CreateOTADynamicUpgradeJob", &dynamic, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    assert!(message.contains("dynamic"), "{message}");
    let dynamic = [("FirmwareId", id.as_str()), HVAC, ("SrcVersion.1", "1.8.0"), ("PauseFailureRate", "5")];
    server.ok("CreateOTADynamicUpgradeJob", &dynamic).await;
}

#[tokio::test]
async fn a_read_only_key_cannot_pause_and_every_pause_is_audited() {
    let server = Server::new().await;
    let job = static_batch(&server, &[]).await.unwrap();
    let reader = server.new_key("read-only", &[]).await;
    let form = serde_urlencoded::to_string([("Action", "PauseOTAJob"), ("JobId", job.as_str())]).unwrap();
    let reply = server.post_form_as(&reader, &form).await;
    assert_eq!((reply.status, reply.json()["Code"].as_str()), (StatusCode::FORBIDDEN, Some("Forbidden.RAM")));
    server.ok("PauseOTAJob", &[("JobId", &job)]).await;
    server.ok("ResumeOTAJob", &[("JobId", &job)]).await;
    let history = server.ok("ListOTAJobHistory", &[("JobId", &job)]).await.to_string();
    for action in ["PauseOTAJob", "ResumeOTAJob"] {
        assert!(history.contains(action), "{history}");
    }
    server.refused("PauseOTAJob", &[("JobId", "no-such-batch")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;
}

#[tokio::test]
async fn capabilities_announce_safe_rollouts_and_a_plain_server_refuses_them() {
    let server = Server::new().await;
    let capabilities = server.ok("QueryOTACapabilities", &[]).await["Data"].to_string();
    for name in ["SafeRollout", "ReasonCodeFilter", "PauseOTAJob", "ResumeOTAJob", "StartOTAJobNextWave"] {
        assert!(capabilities.contains(name), "{name}: {capabilities}");
    }

    // A plain server would create a batch without the rules the operator counts on: it refuses.
    let plain = Server::with(Options { plain: true, ..Default::default() }).await;
    let refused = static_batch(&plain, &[("PauseFailureRate", "5")]).await.unwrap_err();
    assert!(refused.contains("iot.ota.NotSupported") && refused.contains("PauseFailureRate"), "{refused}");
    let job = static_batch(&plain, &[]).await.unwrap();
    plain.refused("PauseOTAJob", &[("JobId", &job)], StatusCode::BAD_REQUEST, "InvalidAction.NotFound").await;
    let reason = [("JobId", job.as_str()), ("ReasonCode", "TIMEOUT")];
    plain.refused("ListOTATaskByJob", &reason, StatusCode::BAD_REQUEST, "iot.ota.NotSupported").await;
}

#[tokio::test]
async fn a_batch_that_ended_is_no_longer_said_to_be_paused() {
    let server = Server::new().await;
    let job = static_batch(&server, &[("PauseFailureRate", "5")]).await.unwrap();
    server.ok("PauseOTAJob", &[("JobId", &job)]).await;
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true")]).await;
    let data = server.ok("QueryOTAJob", &[("JobId", &job)]).await["Data"].clone();
    assert_ne!(data["JobStatus"], "IN_PROGRESS", "{data}");
    assert!(data.get("Paused").is_none(), "{data}");
}
