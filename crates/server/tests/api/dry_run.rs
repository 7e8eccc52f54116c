//! The `DryRun` extension: a create operation that only says what it would do. It answers the
//! counts the real create then produces, stores nothing, and refuses exactly as the create
//! would.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{Options, Server, count};

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");
const GATEWAY: (&str, &str) = ("ProductKey", "a1GwLte4Kx9");
const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

/// The same request, asking only for a dry run.
fn dry<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [params, &[("DryRun", "true")]].concat()
}

/// All that a package shows: its batches, its status, and its tasks counted by state.
async fn footprint(server: &Server, firmware_id: &str) -> (Vec<Value>, Value, Value) {
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", firmware_id)]).await;
    let counts = server.ok("QueryOTATaskStatistics", &[("FirmwareId", firmware_id)]).await;
    (server.jobs_of(firmware_id).await, info["FirmwareInfo"]["Status"].clone(), counts["Data"].clone())
}

/// Dry-runs `action` on a package's batch: checks that nothing about the package changed and
/// answers `Data.DryRun`.
async fn preview(server: &Server, action: &str, params: &[(&str, &str)]) -> Value {
    let firmware_id = params.iter().find(|(name, _)| *name == "FirmwareId").unwrap().1;
    let before = footprint(server, firmware_id).await;
    let answer = server.ok(action, &dry(params)).await;
    assert_eq!(answer["Data"]["JobId"], "", "no batch was created");
    assert!(answer["Data"]["UtcCreate"].is_string());
    assert_eq!(footprint(server, firmware_id).await, before, "nothing was stored");
    answer["Data"]["DryRun"].clone()
}

/// Creates the batch for real; answers its ID.
async fn create(server: &Server, action: &str, params: &[(&str, &str)]) -> String {
    let created = server.ok(action, params).await;
    assert!(created["Data"].get("DryRun").is_none(), "a real create previews nothing");
    created["Data"]["JobId"].as_str().unwrap().to_owned()
}

/// The preview's task counts are those of the batch created.
async fn assert_previewed(server: &Server, preview: &Value, job_id: &str) {
    let statuses = server.task_statuses(job_id).await;
    let counted = |status: &str| count(&statuses, status) as u64;
    assert_eq!(preview["Tasks"], statuses.len() as u64, "{preview}");
    assert_eq!(preview["AwaitingConfirmation"], counted("CONFIRM"), "{preview}");
    assert_eq!(preview["Queued"], counted("QUEUED"), "{preview}");
    assert_eq!(preview["Conflicting"], counted("FAILED"), "{preview}");
    let job = server.ok("QueryOTAJob", &[("JobId", job_id)]).await;
    assert_eq!(preview["JobStatus"], job["Data"]["JobStatus"], "{preview}");
}

/// Every candidate is either a task or skipped for a reason (`GRAY` leaves out more).
fn assert_accounted_for(preview: &Value) {
    let field = |name: &str| preview[name].as_u64().unwrap_or_else(|| panic!("no {name} in {preview}"));
    let skipped = field("AlreadyUpdated") + field("WrongSource") + field("NotASourceVersion");
    assert_eq!(field("Candidates"), field("Tasks") + skipped, "{preview}");
}

#[tokio::test]
async fn a_verification_is_previewed_without_verifying_the_package() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-2_0_0").await;
    let params = [
        ("FirmwareId", id.as_str()),
        HVAC,
        ("TargetDeviceName.1", "hc3-bldg-a-013"),
        ("TargetDeviceName.2", "hc3-bldg-a-014"),
        ("NeedConfirm", "true"),
    ];
    let preview = preview(&server, "CreateOTAVerifyJob", &params).await;
    assert_eq!(
        preview,
        serde_json::json!({
            "Candidates": 2, "Tasks": 2, "AwaitingConfirmation": 2, "Queued": 0, "Conflicting": 0,
            "Overwritten": 0, "AlreadyUpdated": 0, "WrongSource": 0, "NotASourceVersion": 0,
            "JobStatus": "IN_PROGRESS",
        }),
        "every field, in the API's spelling"
    );
    let job_id = create(&server, "CreateOTAVerifyJob", &params).await;
    assert_previewed(&server, &preview, &job_id).await;
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", &id)]).await;
    assert_eq!(info["FirmwareInfo"]["Status"], 2, "only the real batch puts the package into Verifying");
}

#[tokio::test]
async fn a_static_batch_of_all_devices_is_previewed_with_the_tasks_it_would_overwrite() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let scheduled = server.jobs_of(&id).await[0]["JobId"].as_str().unwrap().to_owned();
    let params = [
        ("FirmwareId", id.as_str()),
        HVAC,
        ("TargetSelection", "ALL"),
        ("SrcVersion.1", "1.8.0"),
        ("OverwriteMode", "2"),
    ];
    let preview = preview(&server, "CreateOTAStaticUpgradeJob", &params).await;
    // Thirty controllers: eighteen run 1.9.0; the twelve on 1.8.0 include the six the
    // scheduled demo batch holds, whose tasks the batch would overwrite.
    assert_eq!([&preview["Candidates"], &preview["AlreadyUpdated"], &preview["Overwritten"]], [30, 18, 6]);
    assert_accounted_for(&preview);
    assert_eq!(count(&server.task_statuses(&scheduled).await, "QUEUED"), 6, "the overwritten tasks still wait");

    let job_id = create(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_previewed(&server, &preview, &job_id).await;
    assert_eq!(count(&server.task_statuses(&scheduled).await, "CANCELED") as u64, preview["Overwritten"]);
}

#[tokio::test]
async fn named_devices_busy_elsewhere_are_previewed_as_conflicting() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [
        ("FirmwareId", id.as_str()),
        HVAC,
        ("TargetSelection", "SPECIFIC"),
        ("TargetDeviceName.1", "hc3-bldg-a-001"),
        ("TargetDeviceName.2", "hc3-bldg-a-006"),
    ];
    let preview = preview(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_eq!([&preview["Tasks"], &preview["Conflicting"]], [2, 2], "the scheduled batch holds both");
    assert_eq!(preview["JobStatus"], "COMPLETED", "with nothing left to do, the batch would be over at once");
    let job_id = create(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_previewed(&server, &preview, &job_id).await;
}

#[tokio::test]
async fn a_device_list_is_previewed_and_stays_usable() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let grant = server.ok("GenerateDeviceNameListURL", &[]).await;
    let url = grant["Data"]["FileUrl"].as_str().unwrap();
    let names: Vec<String> = (1..=14).map(|n| format!("hc3-bldg-a-{n:03}")).collect();
    server.put_bytes(url, format!("DeviceName\n{}\nhc3-ghost-01\n", names.join("\n")).into_bytes()).await;
    let params = [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "SPECIFIC"), ("DnListFileUrl", url)];
    let preview = preview(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_eq!(preview["Candidates"], 14, "the listed devices that exist");
    assert_accounted_for(&preview);
    let job_id = create(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_previewed(&server, &preview, &job_id).await;
    server.refused("CreateOTAStaticUpgradeJob", &params, StatusCode::NOT_FOUND, "iot.ota.FileNotFound").await;
}

#[tokio::test]
async fn a_gray_batch_is_previewed_with_the_size_of_its_share() {
    let server = Server::new().await;
    let id = server.firmware_id("sm200-main-3_1_0").await;
    let params = [
        ("FirmwareId", id.as_str()),
        METER,
        ("TargetSelection", "GRAY"),
        ("GrayPercent", "25"),
        ("SrcVersion.1", "3.0.0"),
    ];
    let preview = preview(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_eq!(preview["Tasks"], 4, "25 % of the nineteen meters still on 3.0.0, rounded down");
    let field = |name: &str| preview[name].as_u64().unwrap();
    let eligible = field("Candidates") - field("AlreadyUpdated") - field("WrongSource") - field("NotASourceVersion");
    assert_eq!(eligible, 19, "the rest of the candidates are outside the share");
    assert_eq!(field("AwaitingConfirmation") + field("Queued") + field("Conflicting"), 4);
    // The batch draws its share again, so which four (and whether one is busy elsewhere) may differ.
    let job_id = create(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_eq!(server.task_statuses(&job_id).await.len(), 4);
}

#[tokio::test]
async fn a_scheduled_batch_is_previewed_as_planned() {
    let server = Server::new().await;
    let id = server.firmware_id("sm200-zigbee-1_4_2").await;
    let start = (chrono::Utc::now() + chrono::Duration::hours(3)).timestamp_millis().to_string();
    let params = [
        ("FirmwareId", id.as_str()),
        METER,
        ("TargetSelection", "ALL"),
        ("ScheduleTime", &start),
        ("MultiModuleMode", "true"),
    ];
    let preview = preview(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_eq!(preview["JobStatus"], "PLANNED");
    assert_accounted_for(&preview);
    let job_id = create(&server, "CreateOTAStaticUpgradeJob", &params).await;
    assert_previewed(&server, &preview, &job_id).await;
}

#[tokio::test]
async fn a_dynamic_batch_is_previewed_with_the_devices_on_its_versions_now() {
    let server = Server::new().await;
    let id = server.firmware_id("gw4-os-2_5_1").await;
    let mode_1 = [("FirmwareId", id.as_str()), GATEWAY, ("SrcVersion.1", "2.3.8")];
    let code = "iot.ota.DynamicJobExisted";
    server.refused("CreateOTADynamicUpgradeJob", &dry(&mode_1), StatusCode::CONFLICT, code).await;
    let running = server.jobs_of(&id).await[0]["JobId"].as_str().unwrap().to_owned();
    server.ok("CancelOTAStrategyByJob", &[("JobId", &running)]).await;

    let mode_2 = [&mode_1[..], &[("DynamicMode", "2")]].concat();
    let later = preview(&server, "CreateOTADynamicUpgradeJob", &mode_2).await;
    assert_eq!([&later["Candidates"], &later["Tasks"]], [0, 0], "mode 2 waits for devices to report");
    assert_eq!(later["JobStatus"], "IN_PROGRESS");

    let preview = preview(&server, "CreateOTADynamicUpgradeJob", &mode_1).await;
    assert_eq!(preview["Candidates"], 40, "every gateway, of which those on 2.3.8 take the package");
    assert_eq!(preview["Tasks"], 5);
    assert_accounted_for(&preview);
    let job_id = create(&server, "CreateOTADynamicUpgradeJob", &mode_1).await;
    assert_previewed(&server, &preview, &job_id).await;
    server.refused("CreateOTADynamicUpgradeJob", &dry(&mode_1), StatusCode::CONFLICT, code).await;
}

/// The create and its dry run are both refused with `status` and `code`, in the same words.
async fn refused_alike(server: &Server, action: &str, params: &[(&str, &str)], status: StatusCode, code: &str) {
    let refused = server.refused(action, params, status, code).await;
    let refused_dry = server.refused(action, &dry(params), status, code).await;
    assert_eq!(refused_dry, refused, "{action} {params:?}");
}

#[tokio::test]
async fn a_dry_run_is_refused_exactly_as_the_create_would_be() {
    let server = Server::new().await;
    let unverified = server.firmware_id("hc3-ctrl-2_0_0").await;
    let ctrl = server.firmware_id("hc3-ctrl-1_9_0").await;
    let gateway_os = server.firmware_id("gw4-os-2_5_1").await;
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(2)).timestamp_millis().to_string();
    let (conflict, bad, not_found) = (StatusCode::CONFLICT, StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND);
    let static_job = "CreateOTAStaticUpgradeJob";
    let all = ("TargetSelection", "ALL");
    let specific = ("TargetSelection", "SPECIFIC");

    let unverified = [("FirmwareId", unverified.as_str()), HVAC, all];
    refused_alike(&server, static_job, &unverified, conflict, "iot.ota.FirmwareNotVerified").await;
    let other_product = [("FirmwareId", ctrl.as_str()), METER, all];
    refused_alike(&server, static_job, &other_product, conflict, "iot.ota.FirmwareProductMismatch").await;
    let nobody = [("FirmwareId", ctrl.as_str()), HVAC, all, ("SrcVersion.1", "1.7.0")];
    refused_alike(&server, static_job, &nobody, conflict, "iot.ota.NoTargetDevice").await;
    let too_soon = [("FirmwareId", ctrl.as_str()), HVAC, all, ("ScheduleTime", &soon)];
    refused_alike(&server, static_job, &too_soon, bad, "InvalidParameter").await;
    let ghost = [("FirmwareId", ctrl.as_str()), HVAC, specific, ("TargetDeviceName.1", "hc3-ghost-01")];
    refused_alike(&server, static_job, &ghost, not_found, "iot.device.NotExistedDevice").await;
    let no_list = [("FirmwareId", ctrl.as_str()), HVAC, specific, ("DnListFileUrl", "http://ota.test/ota-files/nope")];
    refused_alike(&server, static_job, &no_list, not_found, "iot.ota.FileNotFound").await;
    let verified_again = [("FirmwareId", ctrl.as_str()), HVAC, ("TargetDeviceName.1", "hc3-bldg-a-013")];
    refused_alike(&server, "CreateOTAVerifyJob", &verified_again, conflict, "iot.ota.FirmwareVerifyingOrVerified")
        .await;
    let second_dynamic = [("FirmwareId", gateway_os.as_str()), GATEWAY, ("SrcVersion.1", "2.3.8")];
    refused_alike(&server, "CreateOTADynamicUpgradeJob", &second_dynamic, conflict, "iot.ota.DynamicJobExisted").await;
}

#[tokio::test]
async fn capabilities_announce_dry_run_and_a_plain_server_ignores_it() {
    let server = Server::new().await;
    let capabilities = server.ok("QueryOTACapabilities", &[]).await;
    let extensions = capabilities["Data"]["Extensions"]["Extension"].as_array().unwrap();
    assert!(extensions.iter().any(|e| e == "DryRun"), "{extensions:?}");

    // Like Alibaba's backend, a plain one knows no DryRun and creates the batch: which is
    // why the console asks QueryOTACapabilities (refused here) before it sends one.
    let plain = Server::with(Options { plain: true, ..Default::default() }).await;
    plain.refused("QueryOTACapabilities", &[], StatusCode::BAD_REQUEST, "InvalidAction.NotFound").await;
    let id = plain.firmware_id("hc3-ctrl-1_9_0").await;
    let before = plain.jobs_of(&id).await.len();
    let params = [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0")];
    let created = plain.ok("CreateOTAStaticUpgradeJob", &dry(&params)).await;
    assert!(!created["Data"]["JobId"].as_str().unwrap().is_empty());
    assert!(created["Data"].get("DryRun").is_none());
    assert_eq!(plain.jobs_of(&id).await.len(), before + 1);
}
