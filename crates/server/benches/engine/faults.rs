//! Faults during a 2,000-device rollout (`-- faults`, run by `cargo xtask bench robustness`):
//! with the embedded broker, the server killed with SIGKILL at random moments and the data
//! directory's disk filled to its last byte; through an external broker (mosquitto), that
//! broker stopped and killed under the rollout, and the server killed. After every kill, with the server down, `Store::check`
//! compares each counter with what it counts; at the end every task of the batch is listed.

pub mod broker;
mod disk;
mod report;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ota_model::signature::AccessKey;
use ota_server::sim::api::Api;
use ota_server::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use self::broker::Mosquitto;
use self::disk::Tmpfs;
use super::fleet::{FLEET_ON_ONE_ADDRESS, Process, admin_key, free_address, job_id, ok, package};

const DEVICES: usize = 2_000;
/// 2,000 pushes take two minutes: every fault lands while the rollout runs.
const PER_MINUTE: &str = "1000";
const KILLS: usize = 5;
const TIMEOUT_MINUTES: &str = "2";
/// The data directory's disk, when a tmpfs can be mounted for it.
const DISK_SIZE: &str = "256m";
/// The free-space reserve for uploads, below the default 1 GB: the disk is small.
const SMALL_DISK: &str = "--min-free-disk-mb=16";
const FULL_FOR: Duration = Duration::from_secs(15);
const STATES: [&str; 7] = ["Confirm", "Queued", "Notified", "InProgress", "Succeeded", "Failed", "Canceled"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Kill,
    FullDisk,
    /// The broker stopped (SIGTERM: it saves its sessions) and started again.
    BrokerRestart,
    /// The broker killed (SIGKILL: what it held in memory is gone) and started again.
    BrokerCrash,
}

pub async fn measure() -> String {
    let embedded = [Fault::Kill, Fault::Kill, Fault::FullDisk, Fault::Kill, Fault::Kill, Fault::Kill];
    debug_assert_eq!(embedded.iter().filter(|f| **f == Fault::Kill).count(), KILLS);
    let mut sections = vec![Campaign::run("embedded broker", None, &embedded).await];
    match Mosquitto::start() {
        Ok(broker) => {
            let faults = [Fault::BrokerRestart, Fault::Kill, Fault::BrokerCrash];
            sections.push(Campaign::run("external broker (mosquitto)", Some(broker), &faults).await);
        }
        Err(why) => sections.push(format!("#### External broker\n\nNot run: {why}.\n")),
    }
    format!(
        "### Faults during a 2,000-device rollout\n\n\
         `ota-server serve` and `ota-server simulate --devices 2000` (every update succeeds unless a fault \
         makes it fail) as separate processes; one static batch for all 2,000 devices at \
         `MaximumPerMinute={PER_MINUTE}` and `TimeoutInMinutes={TIMEOUT_MINUTES}`; faults at random moments while it runs. After every SIGKILL, with \
         the server down, `ota-server check`'s comparison of every counter with what it counts runs on \
         the database; at the end every task of the batch is listed. Targets: tasks lost 0, tasks \
         duplicated 0, counters equal to task states at every check, the rollout completed.\n\n{}",
        sections.join("\n")
    )
}

/// One rollout under faults, with what was seen.
/// Its fields drop in order: the processes go before their disk and directory.
struct Campaign {
    server: Process,
    simulator: Option<Process>,
    broker: Option<Mosquitto>,
    disk: Option<Tmpfs>,
    _dir: tempfile::TempDir,
    data: PathBuf,
    log: PathBuf,
    http: String,
    /// Where devices connect: the embedded broker, or mosquitto.
    mqtt: String,
    api: Api,
    rng: StdRng,
    /// The batch under faults, and when it was made.
    job: String,
    began: Instant,
    journal: Vec<String>,
    checks: usize,
    findings: Vec<String>,
}

impl Campaign {
    async fn run(name: &str, broker: Option<Mosquitto>, faults: &[Fault]) -> String {
        eprintln!("faults, {name}: {DEVICES} simulated devices connecting");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (disk, no_disk) = match Tmpfs::mount(&dir.path().join("disk"), DISK_SIZE) {
            Ok(disk) => (Some(disk), None),
            Err(why) => (None, Some(why)),
        };
        let data = disk.as_ref().map_or_else(|| dir.path().join("data"), |disk| disk.path.join("data"));
        std::fs::create_dir_all(&data).expect("the data directory");
        let key = admin_key(data.to_str().unwrap(), None);
        let http = free_address();
        let mqtt = broker.as_ref().map_or_else(free_address, |b| b.address.clone());
        let log = dir.path().join("server.log");
        let mut campaign = Campaign {
            disk,
            server: start_server(&data, &http, &mqtt, broker.is_some(), &log),
            simulator: None,
            api: Api::new(reqwest::Client::new(), &format!("http://{http}/"), None, key.clone()),
            _dir: dir,
            data,
            log,
            http,
            mqtt,
            broker,
            rng: StdRng::seed_from_u64(0xfa_0175),
            job: String::new(),
            began: Instant::now(),
            journal: Vec::new(),
            checks: 0,
            findings: Vec::new(),
        };
        if let Some(why) = no_disk {
            campaign.journal.push(format!("no disk of its own ({why}): the full-disk fault is skipped"));
        }
        let product = campaign.rollout(&key).await;
        for fault in faults {
            tokio::time::sleep(Duration::from_millis(campaign.rng.gen_range(4_000..14_000))).await;
            match fault {
                Fault::Kill => campaign.kill().await,
                Fault::FullDisk => campaign.fill_disk().await,
                Fault::BrokerRestart => campaign.cut_broker(false).await,
                Fault::BrokerCrash => campaign.cut_broker(true).await,
            }
        }
        let completed = campaign.settled().await;
        campaign.report(name, &product, completed).await
    }

    /// A product, the fleet on 1.0.0, a package of 2.0.0 and the batch for every device.
    async fn rollout(&mut self, key: &AccessKey) -> String {
        let product = ok(&self.api, "CreateProduct", &[("ProductName", "Fault campaign")]).await["ProductKey"]
            .as_str()
            .unwrap()
            .to_owned();
        self.simulator = Some(simulate(&self.http, &self.mqtt, &product, key));
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            let spread = ok(&self.api, "ListOTAVersionDistribution", &[("ProductKey", &product)]).await;
            let first = &spread["Data"]["Versions"]["VersionCount"][0];
            if first["Version"] == "1.0.0" && first["DeviceCount"].as_u64() == Some(DEVICES as u64) {
                break;
            }
            assert!(Instant::now() < deadline, "the fleet did not report 1.0.0 within 10 minutes: {spread}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let firmware = package(&self.api, &product, "2.0.0").await;
        let params = [
            ("ProductKey", product.as_str()),
            ("FirmwareId", &firmware),
            ("TargetSelection", "ALL"),
            ("MaximumPerMinute", PER_MINUTE),
            // Ends a task whose last reports a crashed broker lost.
            ("TimeoutInMinutes", TIMEOUT_MINUTES),
        ];
        self.job = job_id(ok(&self.api, "CreateOTAStaticUpgradeJob", &params).await);
        self.began = Instant::now();
        product
    }

    /// SIGKILL, the check on the database while the server is down, and a start on the same data.
    async fn kill(&mut self) {
        let (at, moved) = (self.began.elapsed(), self.moved().await);
        self.server.child.kill().expect("SIGKILL");
        let _ = self.server.child.wait();
        let check = self.check().await;
        let down = Duration::from_millis(self.rng.gen_range(0..2_000));
        tokio::time::sleep(down).await;
        let restarted = Instant::now();
        self.server = start_server(&self.data, &self.http, &self.mqtt, self.broker.is_some(), &self.log);
        self.journal.push(format!(
            "{}: SIGKILL, {moved} of {DEVICES} tasks pushed or further; database check: {check}; \
             down {}, answering {} after its start",
            super::secs(at),
            super::secs(down),
            super::secs(restarted.elapsed())
        ));
    }

    /// `Store::check` on the database of a stopped server.
    async fn check(&mut self) -> String {
        self.checks += 1;
        let store = Store::open(self.data.join("ota.db").to_str().unwrap()).await.expect("the database opens");
        let findings = store.check().await.expect("the check runs");
        store.close().await;
        let verdict = if findings.is_empty() { "whole".to_owned() } else { format!("{} findings", findings.len()) };
        self.findings.extend(findings);
        verdict
    }

    /// Fills the data directory's disk for [`FULL_FOR`] while calling the API, then frees it.
    async fn fill_disk(&mut self) {
        let at = self.began.elapsed();
        let Some(disk) = &self.disk else { return };
        let filler = disk.fill().expect("the filler file");
        let until = Instant::now() + FULL_FOR;
        let (mut answered, mut refused, mut first_refusal) = (0, 0, None);
        while Instant::now() < until {
            match self.api.action("GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await {
                Ok(_) => answered += 1,
                Err(why) => {
                    refused += 1;
                    first_refusal.get_or_insert(why);
                }
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let alive = self.server.child.try_wait().is_ok_and(|exited| exited.is_none());
        drop(filler);
        self.journal.push(format!(
            "{}: disk full for {}: the server {}; writing calls meanwhile: {answered} answered, {refused} refused{}",
            super::secs(at),
            super::secs(FULL_FOR),
            if alive { "kept running" } else { "**stopped**" },
            first_refusal.map_or(String::new(), |why| format!(" (first: {why})"))
        ));
    }

    /// Stops mosquitto (or kills it, with `crash`) and starts it again on the same port.
    async fn cut_broker(&mut self, crash: bool) {
        let (at, moved) = (self.began.elapsed(), self.moved().await);
        let down = Duration::from_millis(self.rng.gen_range(1_000..3_000));
        let Some(broker) = self.broker.as_mut() else { return };
        broker.stop(crash);
        tokio::time::sleep(down).await;
        broker.start_again();
        let how = if crash { "killed (SIGKILL)" } else { "stopped (SIGTERM)" };
        self.journal.push(format!(
            "{}: broker {how}, {moved} of {DEVICES} tasks pushed or further; started again after {}",
            super::secs(at),
            super::secs(down)
        ));
    }

    /// Tasks no longer queued, from the batch's counters (0 while the server is away).
    async fn moved(&self) -> u64 {
        let Ok(stats) = self.api.action("QueryOTATaskStatistics", &[("JobId", &self.job)]).await else { return 0 };
        STATES.iter().filter(|s| **s != "Queued").map(|s| stats["Data"][s].as_u64().unwrap_or(0)).sum()
    }

    /// Waits (10 minutes at most) until no task of the batch is unfinished: how long after the
    /// batch was made.
    async fn settled(&self) -> Option<Duration> {
        let deadline = Instant::now() + Duration::from_secs(600);
        while Instant::now() < deadline {
            if let Ok(stats) = self.api.action("QueryOTATaskStatistics", &[("JobId", &self.job)]).await {
                let count = |name: &str| stats["Data"][name].as_u64().unwrap_or(0);
                let unfinished: u64 = ["Confirm", "Queued", "Notified", "InProgress"].iter().map(|s| count(s)).sum();
                if unfinished == 0 {
                    return Some(self.began.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        None
    }
}

fn start_server(data: &Path, http: &str, mqtt: &str, external: bool, log: &Path) -> Process {
    let data = data.to_str().unwrap();
    let broker = if external {
        ["--mqtt-url".to_owned(), format!("mqtt://{mqtt}")]
    } else {
        ["--mqtt-listen".to_owned(), mqtt.to_owned()]
    };
    let args = [
        &["serve", "--listen", http, "--data-dir", data, FLEET_ON_ONE_ADDRESS, SMALL_DISK],
        &[broker[0].as_str(), broker[1].as_str()][..],
    ]
    .concat();
    let server = Process::spawn_logged(&args, log);
    server.line_with("OTA API at", Duration::from_secs(60));
    server
}

/// The fleet: every update succeeds unless a fault makes it fail.
fn simulate(http: &str, mqtt: &str, product: &str, key: &AccessKey) -> Process {
    let count = DEVICES.to_string();
    let endpoint = format!("http://{http}/");
    let flawless = ["--fail-download", "0", "--fail-verify", "0", "--fail-write", "0", "--fail-other", "0"];
    Process::spawn(
        &[
            &["simulate", "--devices", &count, "--product", product, "--api", &endpoint, "--mqtt", mqtt][..],
            &["--time-scale", "0.1", "--ramp-up", "20", "--churn", "0", "--absent", "0", "--pullers", "0"],
            &["--wrong-version", "0", "--silent", "0"],
            &["--access-key-id", &key.access_key_id, "--access-key-secret", &key.access_key_secret],
            &flawless,
        ]
        .concat(),
    )
}
