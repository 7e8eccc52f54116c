//! The data-analysis extensions: a batch's progress over time (`progress`), the running
//! batches, failures by reason and tasks by source version (`tasks`), QueryDevice's version
//! filter and the version distribution kept as counters (`devices`); here, what they share,
//! and the extensions' absence from a plain server. Devices report through the engine,
//! in-process.

mod devices;
mod progress;
mod tasks;

use std::sync::Arc;

use axum::http::StatusCode;
use bytes::Bytes;
use ota_model::device::{DeviceId, Upstream};
use ota_server::engine::{Engine, SystemClock};
use ota_server::metrics::Metrics;
use ota_server::mqtt::{DeviceEvent, Outbox, Receipt};
use serde_json::{Value, json};

use crate::support::{Options, Server};

const METER: &str = "a1SMtr200Qx";
const HVAC: &str = "a1Hvac3CtlM";
const STATES: [&str; 7] = ["Confirm", "Queued", "Notified", "InProgress", "Succeeded", "Failed", "Canceled"];

/// Total and the seven states' counts of an answer's object, in that order.
fn counts(of: &Value) -> [u64; 8] {
    let mut counts = [0; 8];
    counts[0] = of["Total"].as_u64().unwrap_or_else(|| panic!("no Total in {of}"));
    for (i, state) in STATES.iter().enumerate() {
        counts[i + 1] = of[state].as_u64().unwrap_or_else(|| panic!("no {state} in {of}"));
    }
    counts
}

async fn statistics(server: &Server, job_id: &str) -> [u64; 8] {
    counts(&server.ok("QueryOTATaskStatistics", &[("JobId", job_id)]).await["Data"])
}

/// The update batch (not the verification) of the demo package `name`.
async fn rollout(server: &Server, name: &str) -> String {
    let firmware = server.firmware_id(name).await;
    let jobs = server.jobs_of(&firmware).await;
    let job = jobs.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").expect("an update batch");
    job["JobId"].as_str().unwrap().to_owned()
}

/// The array at `path` in `data`.
fn items<'a>(data: &'a Value, path: &[&str]) -> &'a Vec<Value> {
    let found = path.iter().fold(data, |value, name| &value[*name]);
    found.as_array().unwrap_or_else(|| panic!("no {} in {data}", path.join(".")))
}

/// Devices reporting as their MQTT messages would arrive.
struct Devices {
    engine: Engine,
}

impl Devices {
    fn new(server: &Server) -> Self {
        let metrics = Metrics::new();
        let engine = Engine::new(
            server.store.clone(),
            Outbox::default(),
            Arc::new(SystemClock),
            "http://ota.test".into(),
            server.access.downloads.clone(),
            metrics,
        );
        Devices { engine }
    }

    async fn report(&mut self, product_key: &str, device_name: &str, kind: Upstream, params: Value) {
        let device = DeviceId { product_key: product_key.into(), device_name: device_name.into() };
        let payload = Bytes::from(json!({"id": "1", "params": params}).to_string());
        self.engine
            .on_device(DeviceEvent::Message { device, kind, payload, receipt: Receipt::default() })
            .await
            .unwrap();
    }

    async fn progress(&mut self, product_key: &str, device_name: &str, step: &str) {
        self.report(product_key, device_name, Upstream::Progress, json!({"step": step})).await;
    }

    async fn version(&mut self, product_key: &str, device_name: &str, module: &str, version: &str) {
        self.report(product_key, device_name, Upstream::Inform, json!({"version": version, "module": module})).await;
    }
}

/// A batch of hc3-ctrl-1_9_0 for every controller on 1.8.0 (taking over the scheduled demo
/// batch's devices): its ID and its devices' names in order.
async fn hvac_batch(server: &Server) -> (String, Vec<String>) {
    let firmware = server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [
        ("FirmwareId", firmware.as_str()),
        ("ProductKey", HVAC),
        ("TargetSelection", "ALL"),
        ("SrcVersion.1", "1.8.0"),
        ("OverwriteMode", "2"),
    ];
    let job = server.ok("CreateOTAStaticUpgradeJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned();
    let tasks = server.ok("ListOTATaskByJob", &[("JobId", &job), ("PageSize", "100")]).await;
    let names = items(&tasks, &["Data", "SimpleOTATaskInfo"])
        .iter()
        .map(|t| t["DeviceName"].as_str().unwrap().to_owned())
        .collect();
    (job, names)
}

// ---- without the extensions, and wrong requests ---------------------------------------------

#[tokio::test]
async fn the_analysis_extensions_are_announced_and_a_plain_server_lacks_them() {
    let server = Server::new().await;
    let capabilities = server.ok("QueryOTACapabilities", &[]).await["Data"].clone();
    let actions = &capabilities["Actions"]["Action"];
    for (extension, action) in [
        ("JobProgress", Some("ListOTAJobProgress")),
        ("RunningJobs", Some("ListOTARunningJobs")),
        ("FailureReasons", Some("ListOTAFailureReasons")),
        ("SourceVersions", Some("ListOTASourceVersions")),
        ("DeviceVersionFilter", None),
    ] {
        assert!(capabilities["Extensions"]["Extension"].as_array().unwrap().contains(&json!(extension)));
        if let Some(action) = action {
            assert!(actions.as_array().unwrap().contains(&json!(action)), "{action}");
        }
    }

    let plain = Server::with(Options { plain: true, ..Default::default() }).await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    for (action, params) in [
        ("ListOTAJobProgress", vec![("JobId", job.as_str())]),
        ("ListOTARunningJobs", vec![]),
        ("ListOTAFailureReasons", vec![]),
        ("ListOTASourceVersions", vec![("JobId", job.as_str())]),
    ] {
        plain.refused(action, &params, StatusCode::BAD_REQUEST, "InvalidAction.NotFound").await;
    }
    let unfiltered =
        plain.ok("QueryDevice", &[("ProductKey", METER), ("ModuleName", "zigbee"), ("ModuleVersion", "9.9.9")]).await;
    assert_eq!(unfiltered["Total"], 120, "the filter is ignored, like any parameter Alibaba does not know");
    let module_alone = plain.ok("QueryDevice", &[("ProductKey", METER), ("ModuleName", "zigbee")]).await;
    assert_eq!(module_alone["Total"], 120, "ModuleName alone too");
    // meter-0002 is verifying 3.2.1 (the default module): nothing unfinished of zigbee.
    let device = [("ProductKey", METER), ("DeviceName", "meter-0002")];
    let zigbee = plain.ok("ListOTAUnfinishedTaskByDevice", &[&device[..], &[("ModuleName", "zigbee")]].concat()).await;
    assert_eq!(zigbee["Data"]["SimpleOTATaskInfo"].as_array().map(Vec::len), Some(0), "other actions keep ModuleName");
    let any = plain.ok("ListOTAUnfinishedTaskByDevice", &device).await;
    assert_eq!(any["Data"]["SimpleOTATaskInfo"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn wrong_requests_are_refused_with_the_parameter_at_fault() {
    let server = Server::new().await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    for points in ["1", "1001", "many", "-5"] {
        let reply = server.call("ListOTAJobProgress", &[("JobId", &job), ("MaxPoints", points)]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
        let body = reply.json();
        assert_eq!((body["Code"].as_str(), body["ErrorParam"].as_str()), (Some("InvalidParameter"), Some("MaxPoints")));
    }
    server.refused("ListOTAJobProgress", &[], StatusCode::BAD_REQUEST, "MissingJobId").await;
    server.refused("ListOTAJobProgress", &[("JobId", "nope")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;
    let elsewhere = [("JobId", job.as_str()), ("IotInstanceId", "iot-lab")];
    server.refused("ListOTAJobProgress", &elsewhere, StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;

    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    let both = [("JobId", job.as_str()), ("FirmwareId", firmware.as_str())];
    server.refused("ListOTAFailureReasons", &both, StatusCode::BAD_REQUEST, "InvalidParameter").await;
    server
        .refused("ListOTAFailureReasons", &[("FirmwareId", "nope")], StatusCode::NOT_FOUND, "iot.ota.FirmwareNotFound")
        .await;
    server.refused("ListOTASourceVersions", &[], StatusCode::BAD_REQUEST, "MissingFirmwareId").await;
    server.refused("ListOTASourceVersions", &[("JobId", "nope")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;

    let reply = server.call("QueryDevice", &[("ProductKey", METER), ("ModuleVersion", "not a version!")]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["ErrorParam"], "ModuleVersion");
    let module_alone = [("ProductKey", METER), ("ModuleName", "zigbee")];
    let refused = server.refused("QueryDevice", &module_alone, StatusCode::BAD_REQUEST, "MissingModuleVersion").await;
    assert!(refused.contains("ModuleVersion"), "{refused}");
}
