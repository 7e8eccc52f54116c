//! The processes the fleet tests run: `ota-server serve`, `ota-server simulate` and Debian's
//! mosquitto, with the API calls the tests make through them.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use ota_model::signature::AccessKey;
use ota_server::sim::api::Api;
use serde_json::Value;

use crate::database::Database;

const BINARY: &str = env!("CARGO_BIN_EXE_ota-server");

/// A child process whose output lines can be waited for; killed (SIGKILL) when dropped.
pub struct Process {
    pub child: Child,
    lines: mpsc::Receiver<String>,
}

impl Process {
    pub fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(BINARY)
            .args(args)
            .envs(crate::s3::credentials())
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
    pub fn line_with(&self, text: &str) -> String {
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

/// `ota-server serve` on `database` and `data` (package files, master key), at the HTTP address given (port 0: any free one), with the
/// embedded broker at `mqtt` or, for `mqtt://…`, devices through that external broker.
pub struct Served {
    pub process: Process,
    pub api: Api,
    endpoint: String,
    pub mqtt: String,
    key: AccessKey,
}

/// A new admin access key in `database` (with the master key in `data`), made as an operator
/// would make it.
pub fn admin_key(data: &str, database: &str) -> AccessKey {
    let made = Command::new(BINARY)
        .args(["access-key", "create", "--name", "fleet-test", "--policy", "admin", "--data-dir", data])
        .args(["--database", database, "--json"])
        .output()
        .unwrap();
    assert!(made.status.success(), "access-key create: {}", String::from_utf8_lossy(&made.stderr));
    let json: Value = serde_json::from_slice(&made.stdout).unwrap();
    AccessKey {
        access_key_id: json["AccessKeyId"].as_str().unwrap().to_owned(),
        access_key_secret: json["AccessKeySecret"].as_str().unwrap().to_owned(),
        security_token: None,
    }
}

impl Served {
    pub fn start(data: &Path, database: &Database, listen: &str, mqtt: &str) -> Self {
        Self::start_with(data, database, listen, mqtt, &[])
    }

    /// `start`, with more of `serve`'s flags.
    pub fn start_with(data: &Path, database: &Database, listen: &str, mqtt: &str, extra: &[&str]) -> Self {
        let (data, database) = (data.to_str().unwrap(), database.location());
        let key = admin_key(data, &database);
        let flag = if mqtt.starts_with("mqtt://") { "--mqtt-url" } else { "--mqtt-listen" };
        let mut args = vec!["serve", "--listen", listen, flag, mqtt, "--data-dir", data, "--database", &database];
        args.extend_from_slice(extra);
        let process = Process::spawn(&args);
        let mqtt = process.line_with("MQTT broker").rsplit(' ').next().unwrap().to_owned();
        let api_line = process.line_with("OTA API at");
        let endpoint = api_line.split(' ').find(|word| word.starts_with("http://")).unwrap().to_owned();
        let api = Api::new(reqwest::Client::new(), &endpoint, None, key.clone());
        Self { process, api, endpoint, mqtt, key }
    }

    /// The admin key the calls are signed with.
    pub fn key(&self) -> &AccessKey {
        &self.key
    }

    pub fn simulate(&self, product_key: &str, devices: u32, extra: &[&str]) -> Process {
        let devices = devices.to_string();
        let mut args = vec!["simulate", "--devices", &devices, "--product", product_key, "--api", &self.endpoint];
        args.extend(["--mqtt", &self.mqtt, "--time-scale", "0.02", "--ramp-up", "0.5", "--churn", "0"]);
        args.extend(["--access-key-id", &self.key.access_key_id, "--access-key-secret", &self.key.access_key_secret]);
        args.extend(extra);
        Process::spawn(&args)
    }

    pub async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        self.api.action(action, params).await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn product(&self, name: &str) -> String {
        self.ok("CreateProduct", &[("ProductName", name)]).await["ProductKey"].as_str().unwrap().to_owned()
    }

    /// Each device's status and reported version, by name.
    pub async fn devices(&self, product_key: &str) -> BTreeMap<String, (String, Option<String>)> {
        let field = |d: &Value, name: &str| d[name].as_str().map(str::to_owned);
        let mut all = BTreeMap::new();
        for page in 1.. {
            let page = page.to_string();
            let list = self
                .ok("QueryDevice", &[("ProductKey", product_key), ("PageSize", "50"), ("CurrentPage", &page)])
                .await;
            let devices = list["Data"]["DeviceInfo"].as_array().unwrap();
            for d in devices {
                all.insert(
                    field(d, "DeviceName").unwrap(),
                    (field(d, "DeviceStatus").unwrap(), field(d, "FirmwareVersion")),
                );
            }
            if devices.len() < 50 {
                break;
            }
        }
        all
    }

    /// A package of `product_key` to `version`, needing no verification.
    pub async fn package(&self, product_key: &str, version: &str) -> String {
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
    pub async fn batch(&self, product_key: &str, firmware: &str, names: &[String], extra: &[(&str, &str)]) -> String {
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
    pub async fn tasks(&self, job: &str) -> HashMap<String, (String, Option<String>, String)> {
        let field = |t: &Value, name: &str| t[name].as_str().map(str::to_owned);
        let mut all = HashMap::new();
        for page in 1.. {
            let page = page.to_string();
            let list =
                self.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100"), ("CurrentPage", &page)]).await;
            let tasks = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap();
            all.extend(tasks.iter().map(|t| {
                let (name, status) = (field(t, "DeviceName").unwrap(), field(t, "TaskStatus").unwrap());
                (name, (status, field(t, "ReasonCode"), field(t, "TaskId").unwrap()))
            }));
            if tasks.len() < 100 {
                break;
            }
        }
        all
    }

    /// The batch's tasks once they stop moving: the same in four looks half a second apart.
    pub async fn settled(&self, job: &str) -> HashMap<String, (String, Option<String>, String)> {
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
    pub async fn counters(&self, job: &str) -> BTreeMap<String, u64> {
        let stats = self.ok("QueryOTATaskStatistics", &[("JobId", job)]).await;
        let names = ["Confirm", "Queued", "Notified", "InProgress", "Succeeded", "Failed", "Canceled"];
        names.iter().map(|n| (n.to_string(), stats["Data"][n].as_u64().unwrap())).filter(|(_, c)| *c > 0).collect()
    }
}

impl Served {
    /// The batch's counters equal its tasks' states, looked at while nothing moved in between.
    pub async fn counters_agree(&self, job: &str) {
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
pub fn tally(tasks: &HashMap<String, (String, Option<String>, String)>) -> BTreeMap<String, u64> {
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
pub async fn until_devices(
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

pub fn names(from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|n| format!("sim-{n:05}")).collect()
}

/// Debian's mosquitto on a free port, letting anyone in: it stands for a broker that
/// authenticates devices itself. Killed when dropped.
pub struct Mosquitto {
    process: Child,
    pub address: String,
    config: tempfile::TempDir,
}

impl Mosquitto {
    pub fn start() -> Self {
        let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let config = tempfile::tempdir().unwrap();
        // Started by root, mosquitto runs as its own user, who must be able to save its sessions.
        std::fs::set_permissions(config.path(), std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
        let port = address.port();
        // Persistent, as a production broker is: sessions and queued messages outlive a restart.
        let place = config.path().display();
        let text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {place}/\n"
        );
        std::fs::write(config.path().join("mosquitto.conf"), text).unwrap();
        let process = Self::spawn(config.path());
        let broker = Self { process, address: address.to_string(), config };
        broker.wait_until_listening();
        broker
    }

    /// Stopped (SIGTERM: it saves its sessions) and started again on the same port: every
    /// client loses its connection.
    pub fn restart(&mut self) {
        let pid = self.process.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let _ = self.process.wait();
        self.process = Self::spawn(self.config.path());
        self.wait_until_listening();
    }

    fn spawn(config: &Path) -> Child {
        let binary = std::env::var("OTA_MOSQUITTO").unwrap_or_else(|_| "/usr/sbin/mosquitto".into());
        assert!(
            Path::new(&binary).exists(),
            "mosquitto is not at {binary}: `cargo xtask setup --browser` installs it (apt-get install mosquitto)"
        );
        let file = config.join("mosquitto.conf");
        Command::new(binary).arg("-c").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
    }

    fn wait_until_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&self.address).is_err() {
            assert!(Instant::now() < deadline, "mosquitto did not listen on {}", self.address);
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Simulator flags for devices that never fail, are all present and wait for pushes.
pub const FLAWLESS: [&str; 16] = [
    "--fail-download",
    "0",
    "--fail-verify",
    "0",
    "--fail-write",
    "0",
    "--fail-other",
    "0",
    "--wrong-version",
    "0",
    "--silent",
    "0",
    "--absent",
    "0",
    "--pullers",
    "0",
];
