//! The data-analysis extensions: a batch's progress over time, the running batches, failures
//! by reason, tasks by source version, QueryDevice's version filter, and the version
//! distribution kept as counters. Devices report through the engine, in-process.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::StatusCode;
use bytes::Bytes;
use ota_model::device::{DeviceId, Upstream};
use ota_server::engine::{Engine, SystemClock};
use ota_server::mqtt::{DeviceEvent, Outbox, Refusals};
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

/// A batch's progress with `extra` parameters: its `Data`.
async fn progress(server: &Server, job_id: &str, extra: &[(&str, &str)]) -> Value {
    let mut params = vec![("JobId", job_id)];
    params.extend_from_slice(extra);
    server.ok("ListOTAJobProgress", &params).await["Data"].clone()
}

/// What every progress answer keeps to: oldest first, at most `max_points`, every point's
/// states adding up to its total, an interval of whole 10-second buckets, and the last point
/// the batch's counts now.
async fn assert_well_formed(server: &Server, job_id: &str, data: &Value, max_points: usize) {
    assert_eq!(data["JobId"], job_id);
    assert_eq!(data["Interval"].as_u64().unwrap() % 10, 0, "{data}");
    let points = items(data, &["Points", "ProgressPoint"]);
    assert!((1..=max_points).contains(&points.len()), "{} points, at most {max_points}", points.len());
    let times: Vec<&str> = points.iter().map(|p| p["UtcTime"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first: {times:?}");
    for point in points {
        let [total, states @ ..] = counts(point);
        assert_eq!(states.iter().sum::<u64>(), total, "{point}");
    }
    assert_eq!(counts(points.last().unwrap()), statistics(server, job_id).await, "the last point is now");
}

/// Devices reporting as their MQTT messages would arrive.
struct Devices {
    engine: Engine,
}

impl Devices {
    fn new(server: &Server) -> Self {
        let refusals = Arc::new(Refusals::default());
        let engine = Engine::new(
            server.store.clone(),
            Outbox::default(),
            Arc::new(SystemClock),
            "http://ota.test".into(),
            refusals,
        );
        Devices { engine }
    }

    async fn report(&mut self, product_key: &str, device_name: &str, kind: Upstream, params: Value) {
        let device = DeviceId { product_key: product_key.into(), device_name: device_name.into() };
        let payload = Bytes::from(json!({"id": "1", "params": params}).to_string());
        self.engine.on_device(DeviceEvent::Message { device, kind, payload }).await.unwrap();
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

// ---- progress over time --------------------------------------------------------------------

#[tokio::test]
async fn a_batchs_progress_runs_from_its_creation_to_its_counts_now() {
    let server = Server::new().await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let three_days = 3 * 86_400;
    assert!(data["Interval"].as_u64().unwrap() * 240 >= three_days, "three days fit in 240 points: {data}");

    // The demo batch was created three days ago with 94 queued tasks, and moved on since.
    let points = items(&data, &["Points", "ProgressPoint"]);
    assert!(points.len() > 200, "three days at the narrowest interval that fits fill most of the points");
    let first = counts(&points[0]);
    assert_eq!((first[0], first[2], first[5]), (94, 94, 0), "at first every task waited: {}", points[0]);
    let last = counts(points.last().unwrap());
    assert_eq!((last[0], last[5], last[6]), (94, 40, 5));

    // A change shows at the last point and at no point before it.
    let before = chrono::Utc::now() - chrono::Duration::seconds(10);
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true")]).await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let points = items(&data, &["Points", "ProgressPoint"]);
    assert_eq!(points.last().unwrap()["Canceled"], 39);
    let earlier: Vec<&Value> = points
        .iter()
        .filter(|p| p["UtcTime"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap() < before)
        .collect();
    assert!(earlier.len() > 200);
    assert!(earlier.iter().all(|p| p["Canceled"].as_u64() <= Some(2)), "only the two the devices cancelled");
}

#[tokio::test]
async fn progress_widens_its_interval_to_keep_within_the_points_asked_for() {
    let server = Server::new().await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    for max in [2, 3, 17, 1000] {
        let data = progress(&server, &job, &[("MaxPoints", &max.to_string())]).await;
        assert_well_formed(&server, &job, &data, max).await;
    }
    let two = progress(&server, &job, &[("MaxPoints", "2")]).await;
    let points = items(&two, &["Points", "ProgressPoint"]);
    assert_eq!(points.len(), 2, "three days in two points of a day and a half");
    assert_eq!(points[0]["Succeeded"], 0, "a day and a half in, nothing had happened yet");
    assert_eq!(points[1]["Succeeded"], 40);
}

#[tokio::test]
async fn a_new_batchs_progress_follows_its_devices() {
    let server = Server::new().await;
    let (job, names) = hvac_batch(&server).await;
    let fresh = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &fresh, 240).await;
    assert_eq!(fresh["Interval"], 10, "a batch seconds old needs no wider interval");

    let mut devices = Devices::new(&server);
    devices.progress(HVAC, &names[0], "30").await;
    devices.version(HVAC, &names[0], "default", "1.9.0").await;
    devices.progress(HVAC, &names[1], "30").await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let last = counts(items(&data, &["Points", "ProgressPoint"]).last().unwrap());
    assert_eq!((last[0], last[4], last[5]), (12, 1, 1), "one in progress, one succeeded, of twelve");
}

// ---- running batches -----------------------------------------------------------------------

#[tokio::test]
async fn running_batches_are_listed_newest_first_with_their_counts() {
    let server = Server::new().await;
    let (created, _) = hvac_batch(&server).await;
    let data = server.ok("ListOTARunningJobs", &[]).await["Data"].clone();
    let jobs = items(&data, &["Jobs", "RunningJob"]);
    let overview = server.ok("QueryOTAOverview", &[]).await["Data"].clone();
    let running = overview["JobsPlanned"].as_u64().unwrap() + overview["JobsInProgress"].as_u64().unwrap();
    assert_eq!((data["Total"].as_u64(), jobs.len() as u64), (Some(running), running));
    assert_eq!(jobs[0]["JobId"], created.as_str(), "the newest first");
    let created_times: Vec<&str> = jobs.iter().map(|j| j["UtcCreate"].as_str().unwrap()).collect();
    assert!(created_times.windows(2).all(|w| w[0] >= w[1]), "{created_times:?}");

    for job in jobs {
        let job_id = job["JobId"].as_str().unwrap();
        let detail = server.ok("QueryOTAJob", &[("JobId", job_id)]).await["Data"].clone();
        for (field, from) in [("FirmwareId", "FirmwareId"), ("FirmwareName", "Name"), ("DestVersion", "DestVersion")] {
            assert_eq!(job[field], detail[from], "{field} of {job_id}");
        }
        for field in ["ProductKey", "JobStatus", "JobType", "UtcCreate"] {
            assert_eq!(job[field], detail[field], "{field} of {job_id}");
        }
        assert_eq!(job.get("UtcStartTime"), detail.get("UtcStartTime"), "started, unless scheduled");
        assert!(job["JobStatus"] == "PLANNED" || job["JobStatus"] == "IN_PROGRESS", "{job}");
        assert_eq!(counts(job), statistics(&server, job_id).await, "counts of {job_id}");
    }
    let hvac = jobs.iter().find(|j| j["JobId"] == created.as_str()).unwrap();
    assert_eq!((hvac["FirmwareName"].as_str(), hvac["Total"].as_u64()), (Some("hc3-ctrl-1_9_0"), Some(12)));

    let lab = server.ok("ListOTARunningJobs", &[("IotInstanceId", "iot-lab")]).await;
    assert_eq!(lab["Data"]["Total"], 0, "another instance's batches are its own");
}

// ---- failures by reason --------------------------------------------------------------------

/// Every failed task of `jobs`, counted by (batch, reason) the long way: listing them.
async fn failed_tasks(server: &Server, jobs: &[String]) -> BTreeMap<(String, String), u64> {
    let mut counted = BTreeMap::new();
    for job in jobs {
        let list =
            server.ok("ListOTATaskByJob", &[("JobId", job), ("TaskStatus", "FAILED"), ("PageSize", "100")]).await;
        for task in items(&list, &["Data", "SimpleOTATaskInfo"]) {
            let reason = task["ReasonCode"].as_str().unwrap_or("").to_owned();
            *counted.entry((job.clone(), reason)).or_default() += 1;
        }
    }
    counted
}

/// A failure answer as (batch, reason) → count, checking its order and total on the way.
fn by_reason(data: &Value) -> BTreeMap<(String, String), u64> {
    let failures = items(data, &["Failures", "FailureCount"]);
    let sizes: Vec<u64> = failures.iter().map(|f| f["Count"].as_u64().unwrap()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {sizes:?}");
    assert_eq!(data["Total"].as_u64(), Some(sizes.iter().sum()));
    failures
        .iter()
        .map(|f| {
            let key = (f["JobId"].as_str().unwrap().to_owned(), f["ReasonCode"].as_str().unwrap_or("").to_owned());
            (key, f["Count"].as_u64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn failures_are_counted_by_batch_and_reason_for_a_batch_a_package_or_the_instance() {
    let server = Server::new().await;
    let (job, names) = hvac_batch(&server).await;
    let mut devices = Devices::new(&server);
    for (name, step) in [(&names[0], "-2"), (&names[1], "-2"), (&names[2], "-4")] {
        devices.progress(HVAC, name, "10").await;
        devices.progress(HVAC, name, step).await;
    }
    let of_job = server.ok("ListOTAFailureReasons", &[("JobId", &job)]).await["Data"].clone();
    let expected: BTreeMap<(String, String), u64> =
        [((job.clone(), "DOWNLOAD_FAILED".into()), 2), ((job.clone(), "FLASH_FAILED".into()), 1)].into();
    assert_eq!(by_reason(&of_job), expected);
    let firmware = server.firmware_id("hc3-ctrl-1_9_0").await;
    assert_eq!(items(&of_job, &["Failures", "FailureCount"])[0]["FirmwareId"], firmware.as_str());
    let of_package = server.ok("ListOTAFailureReasons", &[("FirmwareId", &firmware)]).await["Data"].clone();
    assert_eq!(by_reason(&of_package), expected, "the package's other batches failed nowhere");

    // The whole instance: every failed task of every batch, once, under its reason.
    let mut all_jobs = Vec::new();
    let list = server.ok("ListOTAFirmware", &[("PageSize", "100")]).await;
    for package in list["FirmwareInfo"]["SimpleFirmwareInfo"].as_array().unwrap() {
        let jobs = server.jobs_of(package["FirmwareId"].as_str().unwrap()).await;
        all_jobs.extend(jobs.iter().map(|j| j["JobId"].as_str().unwrap().to_owned()));
    }
    let instance = server.ok("ListOTAFailureReasons", &[]).await["Data"].clone();
    let counted = by_reason(&instance);
    assert_eq!(counted, failed_tasks(&server, &all_jobs).await);
    let demo = rollout(&server, "sm200-main-3_2_0").await;
    assert_eq!(counted[&(demo, "TIMEOUT".to_owned())], 1, "the demo rollout's failures are there too");

    let lab = server.ok("ListOTAFailureReasons", &[("IotInstanceId", "iot-lab")]).await;
    assert_eq!(lab["Data"]["Total"], 0);
}

// ---- tasks by source version ---------------------------------------------------------------

/// Every task of `jobs` by (source version, state), the long way.
async fn tasks_by_source(server: &Server, jobs: &[String]) -> BTreeMap<(String, String), u64> {
    let mut counted = BTreeMap::new();
    for job in jobs {
        for page in 1.. {
            let page = page.to_string();
            let list =
                server.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100"), ("CurrentPage", &page)]).await;
            let tasks = items(&list, &["Data", "SimpleOTATaskInfo"]);
            if tasks.is_empty() {
                break;
            }
            for task in tasks {
                let key = (
                    task["SrcVersion"].as_str().unwrap_or("").to_owned(),
                    task["TaskStatus"].as_str().unwrap().to_owned(),
                );
                *counted.entry(key).or_default() += 1;
            }
        }
    }
    counted
}

/// A source-version answer as (source version, state) → count, checking its order and total.
fn by_source(data: &Value) -> BTreeMap<(String, String), u64> {
    let versions = items(data, &["SourceVersions", "SourceVersion"]);
    let order: Vec<(std::cmp::Reverse<u64>, &str)> = versions
        .iter()
        .map(|v| (std::cmp::Reverse(v["Total"].as_u64().unwrap()), v["SrcVersion"].as_str().unwrap()))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "most tasks first, ties by version: {order:?}");
    assert_eq!(data["Total"].as_u64(), Some(versions.iter().map(|v| counts(v)[0]).sum()));
    let mut counted = BTreeMap::new();
    for version in versions {
        let [total, states @ ..] = counts(version);
        assert_eq!(states.iter().sum::<u64>(), total);
        for (state, n) in STATES.iter().zip(states).filter(|(_, n)| *n > 0) {
            counted.insert((version["SrcVersion"].as_str().unwrap().to_owned(), wire_name(state)), n);
        }
    }
    counted
}

/// The state a count field counts: `InProgress` → `IN_PROGRESS`.
fn wire_name(field: &str) -> String {
    let mut wire = String::new();
    for (i, c) in field.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            wire.push('_');
        }
        wire.push(c.to_ascii_uppercase());
    }
    wire
}

#[tokio::test]
async fn tasks_are_counted_by_the_version_their_device_started_from() {
    let server = Server::new().await;
    // Two meters first, then every meter not on 3.1.0 (those never heard from included):
    // the two, busy with the first batch, fail CONFLICT in the second.
    let firmware = server.firmware_id("sm200-main-3_1_0").await;
    let package = [("FirmwareId", firmware.as_str()), ("ProductKey", METER)];
    let two =
        [("TargetSelection", "SPECIFIC"), ("TargetDeviceName.1", "meter-0003"), ("TargetDeviceName.2", "meter-0118")];
    server.ok("CreateOTAStaticUpgradeJob", &[&package[..], &two[..]].concat()).await;
    let all = [&package[..], &[("TargetSelection", "ALL")]].concat();
    let job = server.ok("CreateOTAStaticUpgradeJob", &all).await["Data"]["JobId"].as_str().unwrap().to_owned();

    let of_job = server.ok("ListOTASourceVersions", &[("JobId", &job)]).await["Data"].clone();
    let counted = by_source(&of_job);
    assert_eq!(counted, tasks_by_source(&server, std::slice::from_ref(&job)).await);
    let versions: Vec<&str> = items(&of_job, &["SourceVersions", "SourceVersion"])
        .iter()
        .map(|v| v["SrcVersion"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["3.2.0", "3.0.0", "", "3.2.1"], "43, 19, 3 never heard from, and the one tester of 3.2.1");
    let never_heard = &items(&of_job, &["SourceVersions", "SourceVersion"])[2];
    assert_eq!((never_heard["Queued"].as_u64(), never_heard["Failed"].as_u64()), (Some(2), Some(1)));

    let jobs: Vec<String> =
        server.jobs_of(&firmware).await.iter().map(|j| j["JobId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(jobs.len(), 2);
    let of_package = server.ok("ListOTASourceVersions", &[("FirmwareId", &firmware)]).await["Data"].clone();
    assert_eq!(by_source(&of_package), tasks_by_source(&server, &jobs).await);
}

// ---- devices by version, and the version distribution ---------------------------------------

/// Every page of QueryDevice with `filter`: the `Total` of the first page and every device's
/// (name, firmware version).
async fn devices_of(server: &Server, product: &str, filter: &[(&str, &str)]) -> (u64, Vec<(String, String)>) {
    let (mut total, mut devices) = (None, Vec::new());
    for page in 1.. {
        let page = page.to_string();
        let mut params = vec![("ProductKey", product), ("PageSize", "7"), ("CurrentPage", page.as_str())];
        params.extend_from_slice(filter);
        let answer = server.ok("QueryDevice", &params).await;
        let count = answer["Total"].as_u64().unwrap();
        let page_count = answer["PageCount"].as_u64().unwrap();
        assert_eq!(page_count, count.div_ceil(7), "{answer}");
        total.get_or_insert(count);
        let found = items(&answer, &["Data", "DeviceInfo"]);
        if found.is_empty() {
            break;
        }
        devices.extend(found.iter().map(|d| {
            let version = d["FirmwareVersion"].as_str().unwrap_or("").to_owned();
            (d["DeviceName"].as_str().unwrap().to_owned(), version)
        }));
    }
    (total.unwrap_or_default(), devices)
}

#[tokio::test]
async fn devices_can_be_listed_by_the_version_they_run() {
    let server = Server::new().await;
    let (all_total, all) = devices_of(&server, METER, &[]).await;
    assert_eq!(all_total, 120);
    let on_310: Vec<(String, String)> = all.iter().filter(|(_, v)| v == "3.1.0").cloned().collect();
    assert!(!on_310.is_empty());
    let (total, listed) = devices_of(&server, METER, &[("ModuleVersion", "3.1.0")]).await;
    assert_eq!((total, &listed), (on_310.len() as u64, &on_310), "the same devices, in the same order, paged");

    // Another module: each listed meter reports that version of it.
    let (zigbee_total, zigbee) =
        devices_of(&server, METER, &[("ModuleName", "zigbee"), ("ModuleVersion", "1.3.9")]).await;
    assert_eq!((zigbee_total, zigbee.len()), (47, 47));
    let (name, _) = &zigbee[0];
    let modules = server.ok("ListOTAModuleVersionsByDevice", &[("ProductKey", METER), ("DeviceName", name)]).await;
    let reported = items(&modules, &["Data", "SimpleOTAModuleInfo"]);
    assert!(reported.iter().any(|m| m["ModuleName"] == "zigbee" && m["ModuleVersion"] == "1.3.9"), "{modules}");

    assert_eq!(devices_of(&server, METER, &[("ModuleVersion", "9.9.9")]).await, (0, vec![]), "nobody runs it");
    assert_eq!(devices_of(&server, HVAC, &[("ModuleVersion", "3.1.0")]).await, (0, vec![]), "another product's");
}

/// The distribution of a product's module against the devices counted one by one (QueryDevice
/// with the version filter, which reads the devices themselves).
async fn assert_distribution_is_a_count(server: &Server, product: &str, module: &str) -> BTreeMap<String, u64> {
    let spread = server
        .ok("ListOTAVersionDistribution", &[("ProductKey", product), ("ModuleName", module), ("Top", "50")])
        .await;
    let data = &spread["Data"];
    assert_eq!(data["OthersVersionCount"], 0, "every version is shown");
    let shown: BTreeMap<String, u64> = items(data, &["Versions", "VersionCount"])
        .iter()
        .map(|v| (v["Version"].as_str().unwrap().to_owned(), v["DeviceCount"].as_u64().unwrap()))
        .collect();
    assert_eq!(data["Total"].as_u64(), Some(shown.values().sum()));
    for (version, count) in &shown {
        let filter = [("ModuleName", module), ("ModuleVersion", version.as_str())];
        let answer =
            server.ok("QueryDevice", &[&[("ProductKey", product), ("PageSize", "1")][..], &filter[..]].concat()).await;
        assert_eq!(answer["Total"].as_u64(), Some(*count), "{version}");
        assert!(*count > 0, "a version nobody runs any more is not shown");
    }
    shown
}

#[tokio::test]
async fn the_version_distribution_follows_every_report() {
    let server = Server::new().await;
    let (_, meters) = devices_of(&server, METER, &[]).await;
    let mut direct: BTreeMap<String, u64> = BTreeMap::new();
    for (_, version) in meters.iter().filter(|(_, v)| !v.is_empty()) {
        *direct.entry(version.clone()).or_default() += 1;
    }
    assert_eq!(assert_distribution_is_a_count(&server, METER, "default").await, direct);

    // Every 3.0.0 meter moves to 3.1.0, a meter never heard from reports 3.0.0, two meters
    // report a version new to the fleet, and one reports the version it had.
    let mut devices = Devices::new(&server);
    let on_300: Vec<&String> = meters.iter().filter(|(_, v)| v == "3.0.0").map(|(n, _)| n).collect();
    for name in &on_300 {
        devices.version(METER, name, "default", "3.1.0").await;
    }
    let silent = &meters.iter().find(|(_, v)| v.is_empty()).unwrap().0;
    devices.version(METER, silent, "default", "3.0.0").await;
    let on_310: Vec<&String> = meters.iter().filter(|(_, v)| v == "3.1.0").map(|(n, _)| n).collect();
    devices.version(METER, on_310[0], "default", "4.0.0-dev").await;
    devices.version(METER, on_310[1], "default", "4.0.0-dev").await;
    devices.version(METER, on_310[2], "default", "3.1.0").await;
    devices.version(METER, on_310[3], "zigbee", "1.5.0").await;

    let after = assert_distribution_is_a_count(&server, METER, "default").await;
    let mut expected = direct.clone();
    *expected.get_mut("3.1.0").unwrap() += on_300.len() as u64 - 2;
    expected.insert("3.0.0".into(), 1);
    expected.insert("4.0.0-dev".into(), 2);
    assert_eq!(after, expected);
    assert_eq!(assert_distribution_is_a_count(&server, METER, "zigbee").await["1.5.0"], 1);
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
}
