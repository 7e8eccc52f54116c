//! Over real MQTT connections, with the server and the simulator as separate processes:
//! a 10,000-device static rollout at 10,000 a minute, then the ingestion of progress reports
//! sent as fast as 2,000 devices' own connections allow.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use ota_model::device::credentials::Login;
use ota_model::device::{DeviceId, Upstream};
use ota_model::signature::AccessKey;
use ota_server::mqtt::auth::password_for;
use ota_server::sim::api::Api;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_ota-server");
const DEVICES: usize = 10_000;
const REPORTERS: usize = 2_000;
/// Progress reports per reporting device (2 %, 4 %, … 100 %), then its new version.
const STEPS: usize = 50;
/// Each reporter's pace: the broker drops more than 50 a second from one device.
const REPORTS_PER_SECOND: u64 = 40;

pub struct Process {
    pub child: Child,
    lines: mpsc::Receiver<String>,
}

impl Process {
    pub fn spawn(args: &[&str]) -> Self {
        Self::spawn_with(args, Stdio::inherit())
    }

    /// With its log (stderr) appended to `log`.
    pub fn spawn_logged(args: &[&str], log: &std::path::Path) -> Self {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("the log file");
        Self::spawn_with(args, Stdio::from(file))
    }

    fn spawn_with(args: &[&str], stderr: Stdio) -> Self {
        let mut child = Command::new(BINARY)
            .args(args)
            .env("RUST_LOG", "ota_server=warn")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("ota-server starts");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Self { child, lines }
    }

    pub fn line_with(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(text) {
                return line;
            }
        }
        panic!("no line with '{text}' within {within:?}");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new admin access key in the database under `data`, from `ota-server access-key create`.
/// Every simulated device connects from 127.0.0.1, faster than the per-address flood limit.
pub const FLEET_ON_ONE_ADDRESS: &str = "--mqtt-logins-per-address=1000000";

pub fn admin_key(data: &str, database: Option<&str>) -> AccessKey {
    let made = Command::new(BINARY)
        .args(["access-key", "create", "--name", "bench", "--policy", "admin", "--data-dir", data, "--json"])
        .args(database.map(|url| ["--database", url]).iter().flatten())
        .output()
        .expect("ota-server access-key create");
    let json: Value = serde_json::from_slice(&made.stdout).expect("the key as JSON");
    AccessKey {
        access_key_id: json["AccessKeyId"].as_str().unwrap().to_owned(),
        access_key_secret: json["AccessKeySecret"].as_str().unwrap().to_owned(),
        security_token: None,
    }
}

pub fn free_address() -> String {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string()
}

/// The rollout and the ingestion on SQLite, or on the PostgreSQL `database` (a URL).
pub async fn measure(database: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (http, mqtt) = (free_address(), free_address());
    let data = dir.path().to_str().unwrap();
    let key = admin_key(data, database);
    let mut args = vec!["serve", "--listen", &http, "--mqtt-listen", &mqtt, "--data-dir", data, FLEET_ON_ONE_ADDRESS];
    args.extend(database.iter().flat_map(|url| ["--database", url]));
    let server = Process::spawn(&args);
    let backend = if database.is_some() { "PostgreSQL" } else { "SQLite" };
    server.line_with("OTA API at", Duration::from_secs(60));
    let endpoint = format!("http://{http}/");
    let api = Api::new(reqwest::Client::new(), &endpoint, None, key.clone());
    let product =
        ok(&api, "CreateProduct", &[("ProductName", "Engine bench")]).await["ProductKey"].as_str().unwrap().to_owned();

    eprintln!("fleet: {DEVICES} simulated devices connecting");
    let count = DEVICES.to_string();
    let flawless = ["--fail-download", "0", "--fail-verify", "0", "--fail-write", "0", "--fail-other", "0"];
    let simulator = Process::spawn(
        &[
            &["simulate", "--devices", &count, "--product", &product, "--api", &endpoint, "--mqtt", &mqtt][..],
            &["--time-scale", "0.1", "--ramp-up", "20", "--churn", "0", "--absent", "0", "--pullers", "0"],
            &["--wrong-version", "0", "--silent", "0"],
            &["--access-key-id", &key.access_key_id, "--access-key-secret", &key.access_key_secret],
            &flawless,
        ]
        .concat(),
    );
    until(Duration::from_secs(600), "every device reported 1.0.0", || async {
        let spread = ok(&api, "ListOTAVersionDistribution", &[("ProductKey", &product)]).await;
        let versions = &spread["Data"]["Versions"]["VersionCount"];
        versions[0]["Version"] == "1.0.0" && versions[0]["DeviceCount"].as_u64() == Some(DEVICES as u64)
    })
    .await;

    // The devices' own update time: 20 of them all pushed at once.
    let warm_up = package(&api, &product, "1.5.0").await;
    let names: Vec<String> = (1..=20).map(|n| format!("sim-{n:05}")).collect();
    let keys: Vec<String> = (1..=20).map(|n| format!("TargetDeviceName.{n}")).collect();
    let mut params = vec![("ProductKey", product.as_str()), ("FirmwareId", &warm_up), ("TargetSelection", "SPECIFIC")];
    params.extend(keys.iter().map(String::as_str).zip(names.iter().map(String::as_str)));
    params.push(("MaximumPerMinute", "10000"));
    let started = Instant::now();
    let job = job_id(ok(&api, "CreateOTAStaticUpgradeJob", &params).await);
    let update_time = finished(&api, &job, 20, None).await.1 - started;

    eprintln!("fleet: rolling out to {DEVICES} devices at 10,000 a minute");
    let firmware = package(&api, &product, "2.0.0").await;
    let params = [
        ("ProductKey", product.as_str()),
        ("FirmwareId", &firmware),
        ("TargetSelection", "ALL"),
        ("MaximumPerMinute", "10000"),
    ];
    let started = Instant::now();
    let job = job_id(ok(&api, "CreateOTAStaticUpgradeJob", &params).await);
    let (all_pushed, done) = finished(&api, &job, DEVICES as u64, Some(started)).await;
    let (push_phase, total) = (all_pushed - started, done - started);
    let ideal = Duration::from_secs_f64((DEVICES - 1) as f64 * 60.0 / 10_000.0);
    let target = ideal.mul_f64(1.05) + update_time;
    let simulator_rss = super::peak_rss_mb(simulator.child.id());
    drop(simulator);
    // The fleet's 10,000 disconnections are recorded before the next measurement starts.
    until(Duration::from_secs(120), "every device offline", || async {
        let mut offline = true;
        for page in ["1", "100", "200"] {
            let list =
                ok(&api, "QueryDevice", &[("ProductKey", &product), ("PageSize", "50"), ("CurrentPage", page)]).await;
            offline &= list["Data"]["DeviceInfo"].as_array().unwrap().iter().all(|d| d["DeviceStatus"] != "ONLINE");
        }
        offline
    })
    .await;

    let ingestion = ingest(&api, &product, &mqtt, backend).await;
    let server_rss = super::peak_rss_mb(server.child.id());
    let mb = |rss: Option<f64>| rss.map_or("?".into(), |mb| format!("{mb:.0} MB"));
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    format!(
        "### A 10,000-device rollout over MQTT, {backend}\n\n\
         `ota-server serve` and `ota-server simulate --devices 10000 --time-scale 0.1` as two processes, \
         10,000 MQTT connections, one static batch at `MaximumPerMinute=10000`. The devices' own update \
         time ({}) is measured first on 20 devices pushed at once.\n\n\
         | measure | target | result | |\n|---|---|---|---|\n\
         | last push after | {} (ideal, 9,999 gaps of 6 ms) | {} | |\n\
         | every device updated after | ≤ 1.05 × ideal + update time = {} | {} | {} |\n\
         | server peak memory (RSS) | | {} | |\n\
         | simulator peak memory (RSS), 10,000 clients | | {} | |\n\n\
         ### Progress-report ingestion, {backend}\n\n{ingestion}",
        super::secs(update_time),
        super::secs(ideal),
        super::secs(push_phase),
        super::secs(target),
        super::secs(total),
        verdict(total <= target),
        mb(server_rss),
        mb(simulator_rss),
    )
}

/// Only the ingestion, on a server of its own with devices registered for it (to measure it
/// alone: `cargo bench -p ota-server --bench engine -- ingest`).
pub async fn ingestion_alone() -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (http, mqtt) = (free_address(), free_address());
    let data = dir.path().to_str().unwrap();
    let key = admin_key(data, None);
    let server =
        Process::spawn(&["serve", "--listen", &http, "--mqtt-listen", &mqtt, "--data-dir", data, FLEET_ON_ONE_ADDRESS]);
    server.line_with("OTA API at", Duration::from_secs(60));
    let api = Api::new(reqwest::Client::new(), &format!("http://{http}/"), None, key);
    let product = ok(&api, "CreateProduct", &[("ProductName", "Ingestion bench")]).await["ProductKey"]
        .as_str()
        .unwrap()
        .to_owned();
    register_reporters(&api, &product).await;
    let section = ingest(&api, &product, &mqtt, "SQLite").await;
    let rss = super::peak_rss_mb(server.child.id()).map_or("?".into(), |mb| format!("{mb:.0} MB"));
    format!("### Progress-report ingestion\n\n{section}\nServer peak memory: {rss}.\n")
}

/// Registers the devices that [`ingest`] has report.
pub async fn register_reporters(api: &Api, product: &str) {
    for n in 1..=REPORTERS {
        ok(api, "RegisterDevice", &[("ProductKey", product), ("DeviceName", &format!("sim-{n:05}"))]).await;
    }
}

/// 2,000 devices on their own connections report progress 2 … 100 % and their new version
/// as fast as the broker lets one device publish; the rate is every report handled (each one
/// a state change written to the database) over the time until the last task succeeded.
pub async fn ingest(api: &Api, product: &str, mqtt: &str, backend: &str) -> String {
    eprintln!("ingestion: {REPORTERS} devices reporting progress");
    let firmware = package(api, product, "3.0.0").await;
    let params = [("ProductKey", product), ("FirmwareId", firmware.as_str()), ("TargetSelection", "ALL")];
    let job = job_id(ok(api, "CreateOTAStaticUpgradeJob", &params).await);
    let mut secrets = Vec::new();
    for page in 1..=REPORTERS.div_ceil(50) {
        let list =
            ok(api, "QueryDevice", &[("ProductKey", product), ("PageSize", "50"), ("CurrentPage", &page.to_string())])
                .await;
        for device in list["Data"]["DeviceInfo"].as_array().unwrap() {
            let name = device["DeviceName"].as_str().unwrap().to_owned();
            secrets.push((name, device["DeviceSecret"].as_str().unwrap().to_owned()));
        }
    }
    let (host, port) = mqtt.rsplit_once(':').unwrap();
    let go = Arc::new(tokio::sync::Barrier::new(REPORTERS + 1));
    for (name, secret) in secrets.into_iter().take(REPORTERS) {
        let device = DeviceId { product_key: product.to_owned(), device_name: name };
        tokio::spawn(report(device, secret, host.to_owned(), port.parse().unwrap(), go.clone()));
    }
    go.wait().await;
    let started = Instant::now();
    let (_, done) = finished(api, &job, REPORTERS as u64, None).await;
    let messages = REPORTERS * (STEPS + 1);
    let rate = messages as f64 / (done - started).as_secs_f64();
    format!(
        "{REPORTERS} devices, each on its own connection, report progress 2, 4, … 100 % at {REPORTS_PER_SECOND} \
         a second (the broker's per-device limit is 50) and then their new version: {messages} messages, each a \
         task change written to {backend}, sent over QoS 1.\n\n\
         | measure | target | result | |\n|---|---|---|---|\n\
         | messages handled per second | ≥ 10,000 | {rate:.0} | {} |\n\
         | first report to last task succeeded | | {} | |\n",
        if rate >= 10_000.0 { "met" } else { "**missed**" },
        super::secs(done - started),
    )
}

/// One reporting device: logs in, waits for the start, reports, and keeps its connection.
async fn report(device: DeviceId, secret: String, host: String, port: u16, go: Arc<tokio::sync::Barrier>) {
    let timestamp = chrono::Utc::now().timestamp_millis();
    let (pk, dn) = (&device.product_key, &device.device_name);
    let client_id = format!("{pk}&{dn}|securemode=2,signmethod=hmacsha256,timestamp={timestamp}|");
    let username = format!("{}&{}", device.device_name, device.product_key);
    let password = password_for(&Login::parse(&client_id, &username).unwrap(), &secret).unwrap();
    let mut options = MqttOptions::new(client_id, host, port);
    options.set_credentials(username, password).set_keep_alive(Duration::from_secs(120));
    let (client, mut events) = AsyncClient::new(options, 64);
    let (connected, mut is_connected) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    let _ = connected.send(true);
                }
                Ok(_) => {}
                Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        }
    });
    let _ = is_connected.wait_for(|c| *c).await;
    go.wait().await;
    let mut pace = tokio::time::interval(Duration::from_millis(1000 / REPORTS_PER_SECOND));
    for step in 1..=STEPS {
        pace.tick().await;
        let body =
            json!({ "id": step.to_string(), "params": { "step": (step * 100 / STEPS).to_string(), "desc": "" } });
        let _ = client.publish(Upstream::Progress.topic(&device), QoS::AtLeastOnce, false, body.to_string()).await;
    }
    pace.tick().await;
    let body = json!({ "id": "done", "params": { "version": "3.0.0" } });
    let _ = client.publish(Upstream::Inform.topic(&device), QoS::AtLeastOnce, false, body.to_string()).await;
    std::future::pending::<()>().await;
}

/// Polls a batch until `total` tasks succeeded: when none was queued any more (if asked
/// for), and when the last succeeded.
async fn finished(api: &Api, job: &str, total: u64, pushes_since: Option<Instant>) -> (Instant, Instant) {
    let deadline = Instant::now() + Duration::from_secs(900);
    let mut all_pushed = None;
    loop {
        let stats = ok(api, "QueryOTATaskStatistics", &[("JobId", job)]).await;
        let now = Instant::now();
        let count = |name: &str| stats["Data"][name].as_u64().unwrap_or(0);
        if pushes_since.is_some() && all_pushed.is_none() && count("Queued") == 0 {
            all_pushed = Some(now);
        }
        if count("Succeeded") >= total {
            return (all_pushed.unwrap_or(now), now);
        }
        assert!(now < deadline, "batch {job} not done within 15 minutes: {stats}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn until<F, Fut>(within: Duration, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !check().await {
        assert!(Instant::now() < deadline, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

pub async fn package(api: &Api, product: &str, version: &str) -> String {
    let content = format!("firmware {version} ").repeat(400).into_bytes();
    let grant = ok(api, "GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
    let url = grant["Data"]["FirmwareUrl"].as_str().unwrap().to_owned();
    let put = reqwest::Client::new().put(&url).body(content.clone()).send().await.unwrap();
    assert!(put.status().is_success(), "upload: {}", put.status());
    let sign = format!("{:x}", Md5::digest(&content));
    let name = format!("bench-{}", version.replace('.', "_"));
    let params = [
        ("ProductKey", product),
        ("FirmwareName", name.as_str()),
        ("DestVersion", version),
        ("FirmwareUrl", &url),
        ("FirmwareSign", &sign),
        ("FirmwareSize", &content.len().to_string()),
        ("NeedToVerify", "False"),
    ];
    ok(api, "CreateOTAFirmware", &params).await["Data"]["FirmwareId"].as_str().unwrap().to_owned()
}

pub fn job_id(created: Value) -> String {
    created["Data"]["JobId"].as_str().unwrap().to_owned()
}

pub async fn ok(api: &Api, action: &str, params: &[(&str, &str)]) -> Value {
    api.action(action, params).await.unwrap_or_else(|e| panic!("{e}"))
}
