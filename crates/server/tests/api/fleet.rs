//! Whole processes: `ota-server serve` with its broker and engine, simulated devices
//! (`ota-server simulate`) that are real MQTT clients, batches made through the API, and a
//! server killed with SIGKILL in the middle of a rollout.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use ota_server::sim::api::Api;
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_ota-server");

/// A child process whose output lines can be waited for; killed (SIGKILL) when dropped.
struct Process {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Process {
    fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(BINARY)
            .args(args)
            .env("RUST_LOG", std::env::var("FLEET_LOG").unwrap_or_else(|_| "ota_server=warn".into()))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Self { child, lines }
    }

    /// The first line from now on that contains `text`.
    fn line_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(text) {
                return line;
            }
        }
        panic!("no line with '{text}' within a minute");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ota-server serve` on `data`, at the HTTP address given (port 0: any free one), with the
/// embedded broker at `mqtt` or, for `mqtt://…`, devices through that external broker.
struct Served {
    process: Process,
    api: Api,
    endpoint: String,
    mqtt: String,
}

impl Served {
    fn start(data: &Path, listen: &str, mqtt: &str) -> Self {
        let data = data.to_str().unwrap();
        let flag = if mqtt.starts_with("mqtt://") { "--mqtt-url" } else { "--mqtt-listen" };
        let process = Process::spawn(&["serve", "--listen", listen, flag, mqtt, "--data-dir", data]);
        let mqtt = process.line_with("MQTT broker").rsplit(' ').next().unwrap().to_owned();
        let api_line = process.line_with("OTA API at");
        let endpoint = api_line.split(' ').find(|word| word.starts_with("http://")).unwrap().to_owned();
        let api = Api::new(reqwest::Client::new(), &endpoint, None);
        Self { process, api, endpoint, mqtt }
    }

    fn simulate(&self, product_key: &str, devices: u32, extra: &[&str]) -> Process {
        let devices = devices.to_string();
        let mut args = vec!["simulate", "--devices", &devices, "--product", product_key, "--api", &self.endpoint];
        args.extend(["--mqtt", &self.mqtt, "--time-scale", "0.02", "--ramp-up", "0.5", "--churn", "0"]);
        args.extend(extra);
        Process::spawn(&args)
    }

    async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        self.api.action(action, params).await.unwrap_or_else(|e| panic!("{e}"))
    }

    async fn product(&self, name: &str) -> String {
        self.ok("CreateProduct", &[("ProductName", name)]).await["ProductKey"].as_str().unwrap().to_owned()
    }

    /// Each device's status and reported version, by name.
    async fn devices(&self, product_key: &str) -> BTreeMap<String, (String, Option<String>)> {
        let field = |d: &Value, name: &str| d[name].as_str().map(str::to_owned);
        let mut all = BTreeMap::new();
        for page in ["1", "2"] {
            let list =
                self.ok("QueryDevice", &[("ProductKey", product_key), ("PageSize", "50"), ("CurrentPage", page)]).await;
            for d in list["Data"]["DeviceInfo"].as_array().unwrap() {
                all.insert(
                    field(d, "DeviceName").unwrap(),
                    (field(d, "DeviceStatus").unwrap(), field(d, "FirmwareVersion")),
                );
            }
        }
        all
    }

    /// A package of `product_key` to `version`, needing no verification.
    async fn package(&self, product_key: &str, version: &str) -> String {
        let content = format!("firmware {version} ").repeat(4096).into_bytes();
        let grant = self.ok("GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
        let url = grant["Data"]["FirmwareUrl"].as_str().unwrap().to_owned();
        let put = reqwest::Client::new().put(&url).body(content.clone()).send().await.unwrap();
        assert!(put.status().is_success(), "upload: {}", put.status());
        let sign = format!("{:x}", Md5::digest(&content));
        let size = content.len().to_string();
        let created = self
            .ok(
                "CreateOTAFirmware",
                &[
                    ("ProductKey", product_key),
                    ("FirmwareName", &format!("sim-{}", version.replace('.', "_"))),
                    ("DestVersion", version),
                    ("FirmwareUrl", &url),
                    ("FirmwareSign", &sign),
                    ("FirmwareSize", &size),
                    ("NeedToVerify", "False"),
                ],
            )
            .await;
        created["Data"]["FirmwareId"].as_str().unwrap().to_owned()
    }

    /// A static batch for the named devices, from 1.0.0.
    async fn batch(&self, product_key: &str, firmware: &str, names: &[String], extra: &[(&str, &str)]) -> String {
        let keys: Vec<String> = (1..=names.len()).map(|n| format!("TargetDeviceName.{n}")).collect();
        let mut params = vec![
            ("ProductKey", product_key),
            ("FirmwareId", firmware),
            ("TargetSelection", "SPECIFIC"),
            ("SrcVersion.1", "1.0.0"),
        ];
        params.extend(keys.iter().map(String::as_str).zip(names.iter().map(String::as_str)));
        params.extend_from_slice(extra);
        self.ok("CreateOTAStaticUpgradeJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned()
    }

    /// Each task by device name: (status, reason code, task ID).
    async fn tasks(&self, job: &str) -> HashMap<String, (String, Option<String>, String)> {
        let list = self.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100")]).await;
        let tasks = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap();
        let field = |t: &Value, name: &str| t[name].as_str().map(str::to_owned);
        tasks
            .iter()
            .map(|t| {
                let (name, status) = (field(t, "DeviceName").unwrap(), field(t, "TaskStatus").unwrap());
                (name, (status, field(t, "ReasonCode"), field(t, "TaskId").unwrap()))
            })
            .collect()
    }

    /// The batch's tasks once they stop moving: the same in four looks half a second apart.
    async fn settled(&self, job: &str) -> HashMap<String, (String, Option<String>, String)> {
        let deadline = Instant::now() + Duration::from_secs(90);
        let (mut last, mut same) = (self.tasks(job).await, 0);
        while same < 4 {
            assert!(Instant::now() < deadline, "batch {job} still moving after 90 s: {last:?}");
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = self.tasks(job).await;
            same = if now == last { same + 1 } else { 0 };
            last = now;
        }
        last
    }

    /// Per-state counters of a batch (the TaskStatistics extension).
    async fn counters(&self, job: &str) -> BTreeMap<String, u64> {
        let stats = self.ok("QueryOTATaskStatistics", &[("JobId", job)]).await;
        let names = ["Confirm", "Queued", "Notified", "InProgress", "Succeeded", "Failed", "Canceled"];
        names.iter().map(|n| (n.to_string(), stats["Data"][n].as_u64().unwrap())).filter(|(_, c)| *c > 0).collect()
    }
}

impl Served {
    /// The batch's counters equal its tasks' states, looked at while nothing moved in between.
    async fn counters_agree(&self, job: &str) {
        for _ in 0..50 {
            let (first, tasks, last) = (self.counters(job).await, self.tasks(job).await, self.counters(job).await);
            if first == last {
                assert_eq!(first, tally(&tasks), "counters equal the tasks' states");
                return;
            }
        }
        panic!("batch {job} never held still long enough to compare its counters");
    }
}

/// Counts by state, named as the statistics name them.
fn tally(tasks: &HashMap<String, (String, Option<String>, String)>) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for (status, _, _) in tasks.values() {
        let name = match status.as_str() {
            "CONFIRM" => "Confirm",
            "QUEUED" => "Queued",
            "NOTIFIED" => "Notified",
            "IN_PROGRESS" => "InProgress",
            "SUCCEEDED" => "Succeeded",
            "FAILED" => "Failed",
            _ => "Canceled",
        };
        *counts.entry(name.to_owned()).or_default() += 1;
    }
    counts
}

/// Waits until `check` holds of the product's devices.
async fn until_devices(
    server: &Served,
    product_key: &str,
    what: &str,
    check: impl Fn(&BTreeMap<String, (String, Option<String>)>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let devices = server.devices(product_key).await;
        if check(&devices) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: not within a minute: {devices:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn names(from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|n| format!("sim-{n:05}")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn simulated_devices_take_batches_through_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(dir.path(), "127.0.0.1:0", "127.0.0.1:0");
    let product = server.product("Simulated fleet").await;
    let shares = ["--fail-download", "0.12", "--fail-verify", "0.12", "--fail-write", "0.12", "--fail-other", "0.12"];
    let more = ["--wrong-version", "0.12", "--silent", "0.12", "--absent", "0.1", "--pullers", "0", "--seed", "7"];
    let sim = server.simulate(&product, 40, &[&shares[..], &more[..]].concat());
    let started = sim.line_with("devices (");
    let absent: usize = started.split('(').nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(absent > 0, "{started}");

    // Registered by the simulator; every device that is not absent connects and reports 1.0.0.
    until_devices(&server, &product, "devices online", |devices| {
        devices.len() == 40
            && devices.values().filter(|(s, v)| s == "ONLINE" && v.as_deref() == Some("1.0.0")).count() == 40 - absent
    })
    .await;
    let offline: Vec<String> =
        server.devices(&product).await.into_iter().filter(|(_, (s, _))| s != "ONLINE").map(|(n, _)| n).collect();

    let firmware = server.package(&product, "2.0.0").await;
    let job = server.batch(&product, &firmware, &names(1, 30), &[("MaximumPerMinute", "1000")]).await;
    let confirm_job = server.batch(&product, &firmware, &names(31, 40), &[("NeedConfirm", "true")]).await;
    let tasks = server.settled(&job).await;

    // Every fate the simulator deals shows up as its state and reason.
    let reasons: Vec<&str> = tasks.values().filter(|t| t.0 == "FAILED").filter_map(|t| t.1.as_deref()).collect();
    for reason in ["DOWNLOAD_FAILED", "VERIFY_FAILED", "FLASH_FAILED", "UPGRADE_FAILED", "VERSION_MISMATCH"] {
        assert!(reasons.contains(&reason), "no {reason} among {tasks:?}");
    }
    let succeeded: Vec<&String> = tasks.iter().filter(|(_, t)| t.0 == "SUCCEEDED").map(|(n, _)| n).collect();
    assert!(succeeded.len() >= 5, "{tasks:?}");
    assert!(tasks.values().any(|t| t.0 == "IN_PROGRESS"), "a silent device stays in progress: {tasks:?}");
    for name in offline.iter().filter(|n| tasks.contains_key(*n)) {
        assert_eq!(tasks[name].0, "QUEUED", "{name} never connected");
    }
    assert!(!tasks.values().any(|t| t.0 == "NOTIFIED" || t.0 == "CONFIRM"), "{tasks:?}");
    let fates: BTreeMap<&String, &str> = tasks.iter().map(|(n, t)| (n, t.1.as_deref().unwrap_or(&t.0))).collect();
    println!("fates for seed 7: {fates:?}");
    server.counters_agree(&job).await;
    let devices = server.devices(&product).await;
    assert!(succeeded.iter().all(|n| devices[*n].1.as_deref() == Some("2.0.0")), "updated devices report 2.0.0");

    // The batch that needs confirmation: nothing moves until the app confirms, or cancels.
    let waiting = server.tasks(&confirm_job).await;
    assert!(waiting.values().all(|t| t.0 == "CONFIRM"), "{waiting:?}");
    let online_names: Vec<&String> =
        names(31, 40).iter().filter(|n| !offline.contains(n)).map(|n| waiting.get_key_value(n).unwrap().0).collect();
    let (confirmed, cancelled) = (online_names[0], online_names[1]);
    server.ok("ConfirmOTATask", &[("TaskId.1", &waiting[confirmed].2)]).await;
    server
        .ok(
            "CancelOTATaskByDevice",
            &[("ProductKey", &product), ("FirmwareId", &firmware), ("DeviceName.1", cancelled)],
        )
        .await;
    let after = server.settled(&confirm_job).await;
    assert_ne!(after[confirmed].0, "CONFIRM", "confirmed, it went to the device");
    assert_eq!(after[cancelled].0, "CANCELED");
    assert_eq!(after[cancelled].1.as_deref(), Some("CANCELED_BY_DEVICE"));
    assert_eq!(after.values().filter(|t| t.0 == "CONFIRM").count(), after.len() - 2, "{after:?}");

    // With the fleet gone, a new batch for the failed devices waits for them to come back.
    drop(sim);
    until_devices(&server, &product, "devices offline", |d| d.values().all(|(s, _)| s != "ONLINE")).await;
    // Those still on 1.0.0: a device that booted a wrong version is no longer a source.
    let still_old =
        |t: &(String, Option<String>, String)| t.0 == "FAILED" && t.1.as_deref() != Some("VERSION_MISMATCH");
    let failed: Vec<String> = tasks.iter().filter(|(_, t)| still_old(t)).map(|(n, _)| n.clone()).collect();
    let retry = server.batch(&product, &firmware, &failed, &[]).await;
    let list = server.ok("ListOTATaskByJob", &[("JobId", &retry), ("PageSize", "100")]).await;
    let waiting = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap();
    assert_eq!(waiting.len(), failed.len());
    assert!(waiting.iter().all(|t| t["TaskStatus"] == "QUEUED" && t["WaitReason"] == "DEVICE_OFFLINE"), "{waiting:?}");
}

/// The rank of a state along a task's way: a task never goes to a lower one by itself.
fn rank(status: &str) -> u8 {
    match status {
        "CONFIRM" => 0,
        "QUEUED" => 1,
        "NOTIFIED" => 2,
        "IN_PROGRESS" => 3,
        _ => 4,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_kill_9_nothing_is_lost_nothing_goes_back_and_the_rollout_resumes() {
    let dir = tempfile::tempdir().unwrap();
    // The same addresses after the restart: devices and their download links know them.
    let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let (http, mqtt) = (free(), free());
    let mut server = Served::start(dir.path(), &http, &mqtt);
    let product = server.product("Crash fleet").await;
    let flawless = ["--fail-download", "0", "--fail-verify", "0", "--fail-write", "0", "--fail-other", "0"];
    let present = ["--wrong-version", "0", "--silent", "0", "--absent", "0", "--pullers", "0"];
    let _sim = server.simulate(&product, 60, &[&flawless[..], &present[..]].concat());
    until_devices(&server, &product, "devices online", |d| {
        d.len() == 60 && d.values().all(|(s, v)| s == "ONLINE" && v.as_deref() == Some("1.0.0"))
    })
    .await;
    let firmware = server.package(&product, "2.0.0").await;
    // 600 a minute: ten a second, so the kill comes with the rollout half done.
    let job = server.batch(&product, &firmware, &names(1, 60), &[("MaximumPerMinute", "600")]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = server.tasks(&job).await;
    let moved = before.values().filter(|t| t.0 != "QUEUED").count();
    assert!(moved > 0 && moved < 60, "the kill should come mid-rollout: {before:?}");

    server.process.child.kill().unwrap();
    server.process.child.wait().unwrap();
    server = Served::start(dir.path(), &http, &mqtt);

    let after = server.tasks(&job).await;
    assert_eq!(after.len(), 60, "no task lost, none added");
    for (name, (status, _, id)) in &after {
        let (old_status, _, old_id) = &before[name];
        assert_eq!(id, old_id);
        assert!(rank(status) >= rank(old_status), "{name} went from {old_status} back to {status}");
    }
    server.counters_agree(&job).await;

    // The devices come back, the rate resumes, and every device ends on the new version.
    let done = server.settled(&job).await;
    assert!(done.values().all(|t| t.0 == "SUCCEEDED"), "{done:?}");
    assert_eq!(server.counters(&job).await, BTreeMap::from([("Succeeded".to_owned(), 60)]));
    let batch = server.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(batch["Data"]["JobStatus"], "COMPLETED");
}

/// Debian's mosquitto on a free port, letting anyone in: it stands for a broker that
/// authenticates devices itself. Killed when dropped.
struct Mosquitto {
    process: Child,
    address: String,
    _config: tempfile::TempDir,
}

impl Mosquitto {
    fn start() -> Self {
        let binary = std::env::var("OTA_MOSQUITTO").unwrap_or_else(|_| "/usr/sbin/mosquitto".into());
        assert!(
            Path::new(&binary).exists(),
            "mosquitto is not at {binary}: `cargo xtask setup --browser` installs it (apt-get install mosquitto)"
        );
        let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let config = tempfile::tempdir().unwrap();
        let file = config.path().join("mosquitto.conf");
        let port = address.port();
        std::fs::write(&file, format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")).unwrap();
        let process =
            Command::new(binary).arg("-c").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(address).is_err() {
            assert!(Instant::now() < deadline, "mosquitto did not listen on {address}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { process, address: address.to_string(), _config: config }
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn through_an_external_broker_devices_are_heard_and_pushed_to() {
    let broker = Mosquitto::start();
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(dir.path(), "127.0.0.1:0", &format!("mqtt://{}", broker.address));
    assert_eq!(server.mqtt, broker.address);
    let product = server.product("Fleet behind mosquitto").await;
    let flawless = ["--fail-download", "0", "--fail-verify", "0", "--fail-write", "0", "--fail-other", "0"];
    let present = ["--wrong-version", "0", "--silent", "0", "--absent", "0", "--pullers", "0"];
    let _sim = server.simulate(&product, 20, &[&flawless[..], &present[..]].concat());
    // Online from their first word: the version each reports on connecting.
    until_devices(&server, &product, "devices heard", |d| {
        d.len() == 20 && d.values().all(|(s, v)| s == "ONLINE" && v.as_deref() == Some("1.0.0"))
    })
    .await;
    let firmware = server.package(&product, "2.0.0").await;
    let job = server.batch(&product, &firmware, &names(1, 20), &[("MaximumPerMinute", "1000")]).await;
    let done = server.settled(&job).await;
    assert!(done.values().all(|t| t.0 == "SUCCEEDED"), "{done:?}");
    let devices = server.devices(&product).await;
    assert!(devices.values().all(|(_, v)| v.as_deref() == Some("2.0.0")), "{devices:?}");
}
