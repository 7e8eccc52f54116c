//! Several servers on one PostgreSQL database and one broker (mosquitto, devices' messages
//! shared among the servers): the rollout goes on when the engine's leader is killed, and
//! then another server, with nothing lost, nothing done twice and the batch's rate kept.
//! Package files are in a bucket and each server has a data directory of its own. Runs when
//! the tests run on PostgreSQL (`OTA_TEST_POSTGRES`), with an S3 test server (`OTA_TEST_S3`).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::harness::{FLAWLESS, Mosquitto, Served, until_devices};
use crate::database::{Database, postgres_server};
use crate::s3::{self, s3_server};

const DEVICES: u32 = 500;
/// Pushes a minute: the rollout takes about a minute, long enough for two take-overs.
const RATE: u32 = 600;

#[tokio::test(flavor = "multi_thread")]
async fn three_servers_finish_a_rollout_though_two_of_them_die_leading_the_engine() {
    if postgres_server().is_none() {
        eprintln!("the cluster is tested where the tests run on PostgreSQL (OTA_TEST_POSTGRES)");
        return;
    }
    assert!(
        s3_server().is_some(),
        "the servers keep their package files in a bucket: OTA_TEST_S3 names an S3 test server (cargo xtask test starts moto)"
    );
    let console = std::env::var("OTA_TEST_CONSOLE").ok().filter(|dir| !dir.is_empty());
    let broker = Mosquitto::start();
    let database = Database::empty(tempfile::tempdir().unwrap().path());
    let files = format!("s3://{}/packages", s3::bucket().await);
    let mqtt = format!("mqtt://{}", broker.address);
    // Server 0 stays up: devices download from it, as they would through a load balancer.
    // It starts last, so that another server leads the engine first. Each has a data
    // directory of its own, sharing only a copy of the first one's master key.
    let listen: Vec<String> = (0..3).map(|_| free_address()).collect();
    let public = format!("http://{}", listen[0]);
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut servers: Vec<Option<Served>> = (0..3)
        .rev()
        .map(|n| {
            let master_key = dirs[2].path().join("master.key");
            if n < 2 {
                std::fs::copy(&master_key, dirs[n].path().join("master.key")).unwrap();
            }
            let replica = format!("replica-{n}");
            let mut flags = vec!["--replica-id", &replica, "--public-url", &public, "--files-url", &files];
            if let Some(console) = console.as_deref().filter(|_| n == 0) {
                flags.extend(["--console-dir", console]);
            }
            Some(Served::start_with(dirs[n].path(), &database, &listen[n], &mqtt, &flags))
        })
        .collect();
    servers.reverse();
    let observer = servers[0].take().unwrap();
    let product = observer.product("Cluster fleet").await;
    let _sim = observer.simulate(&product, DEVICES, &FLAWLESS);
    until_devices(&observer, &product, "every device heard on 1.0.0", |d| {
        d.len() == DEVICES as usize && d.values().all(|(_, v)| v.as_deref() == Some("1.0.0"))
    })
    .await;
    let firmware = observer.package(&product, "2.0.0").await;
    let rate = RATE.to_string();
    let params = [
        ("ProductKey", product.as_str()),
        ("FirmwareId", &firmware),
        ("TargetSelection", "ALL"),
        ("SrcVersion.1", "1.0.0"),
        ("MaximumPerMinute", &rate),
    ];
    let job = observer.ok("CreateOTAStaticUpgradeJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned();
    let browser = match console {
        Some(_) => Some(follow_in_browser(&observer, &public, &firmware, &job)),
        None => {
            eprintln!("the console's part runs where the console is built (OTA_TEST_CONSOLE names dist/)");
            None
        }
    };

    // The leader dies, then another server: the one leading by then, unless that is server 0.
    for killed in 0..2 {
        tokio::time::sleep(Duration::from_secs(12)).await;
        let leader = leader(&database).await;
        let n = match leader.strip_prefix("replica-").and_then(|rest| rest.split('/').next()) {
            Some("0") | None => servers.iter().position(Option::is_some).unwrap(),
            Some(n) => n.parse().unwrap(),
        };
        let mut dying = servers[n].take().unwrap_or_else(|| panic!("replica-{n} (kill {killed}) is gone already"));
        dying.process.child.kill().unwrap();
        dying.process.child.wait().unwrap();
    }

    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let counters = observer.counters(&job).await;
        if counters.get("Succeeded") == Some(&u64::from(DEVICES)) {
            break;
        }
        assert!(Instant::now() < deadline, "the rollout did not complete: {counters:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let tasks = observer.tasks(&job).await;
    assert_eq!(tasks.len(), DEVICES as usize, "one task per device, none lost or made twice");
    assert!(tasks.values().all(|t| t.0 == "SUCCEEDED"));
    observer.counters_agree(&job).await;
    let batch = observer.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(batch["Data"]["JobStatus"], "COMPLETED");

    // Each task was pushed once, and no minute saw more pushes than the rate, take-overs
    // included (a new leader's pacing starts afresh, without a burst).
    let pushed: Vec<i64> = database
        .texts(&format!(
            "SELECT CAST(utc AS TEXT) FROM events
             WHERE job_id = '{job}' AND kind = 'task' AND status = 'NOTIFIED' ORDER BY utc"
        ))
        .await
        .iter()
        .map(|utc| utc.parse().unwrap())
        .collect();
    assert_eq!(pushed.len(), DEVICES as usize, "every task notified once");
    let busiest = pushed.iter().map(|start| pushed.iter().filter(|t| (*start..start + 60_000).contains(t)).count());
    let busiest = busiest.max().unwrap();
    assert!(busiest as f64 <= f64::from(RATE) * 1.01, "{busiest} pushes in one minute at {RATE} a minute");
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_ota-server"))
        .args(["check", "--database", &database.location()])
        .output()
        .unwrap();
    assert!(checked.status.success(), "ota-server check: {}", String::from_utf8_lossy(&checked.stdout));
    if let Some(mut browser) = browser {
        let child = browser.0.take().unwrap();
        let watched = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
        let said = String::from_utf8_lossy(&watched.stdout);
        println!("{said}");
        assert!(watched.status.success(), "the console's part (end2end/cluster) failed:\n{said}");
    }
}

/// The browser's Playwright run, stopped if the test ends before it.
struct Browser(Option<Child>);

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts end2end/cluster's Playwright suite: a browser on `origin` (server 0, which stays up)
/// follows the batch to its end.
fn follow_in_browser(observer: &Served, origin: &str, firmware: &str, job: &str) -> Browser {
    let key = observer.key();
    let key = serde_json::json!({"AccessKeyId": key.access_key_id, "AccessKeySecret": key.access_key_secret});
    let child = Command::new("npx")
        .args(["playwright", "test", "--config", "cluster/cluster.config.ts"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../end2end"))
        .env("OTA_CLUSTER_ORIGIN", origin)
        .env("OTA_CLUSTER_KEY", key.to_string())
        .env("OTA_CLUSTER_FIRMWARE", firmware)
        .env("OTA_CLUSTER_JOB", job)
        .env("OTA_CLUSTER_DEVICES", DEVICES.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("npx (Node.js) runs Playwright: cargo xtask setup installs it");
    Browser(Some(child))
}

/// Who holds the engine lease now.
async fn leader(database: &Database) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let holders = database.texts("SELECT holder FROM engine_lease").await;
        if let Some(holder) = holders.into_iter().next() {
            return holder;
        }
        assert!(Instant::now() < deadline, "no server leads the engine");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn free_address() -> String {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string()
}
