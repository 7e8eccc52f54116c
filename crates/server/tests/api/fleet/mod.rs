//! Whole processes: `ota-server serve` with its broker and engine, simulated devices
//! (`ota-server simulate`) that are real MQTT clients, batches made through the API, and a
//! server killed with SIGKILL in the middle of a rollout.

mod cluster;
mod harness;
mod object_storage;
mod safety;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use self::harness::{FLAWLESS, Mosquitto, Served, names, until_devices};
use crate::database::Database;

#[tokio::test(flavor = "multi_thread")]
async fn simulated_devices_take_batches_through_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::empty(dir.path());
    let server = Served::start(dir.path(), &database, "127.0.0.1:0", "127.0.0.1:0");
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
    let database = Database::empty(dir.path());
    // The same addresses after the restart: devices and their download links know them.
    let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let (http, mqtt) = (free(), free());
    let mut server = Served::start(dir.path(), &database, &http, &mqtt);
    let product = server.product("Crash fleet").await;
    let _sim = server.simulate(&product, 60, &FLAWLESS);
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
    server = Served::start(dir.path(), &database, &http, &mqtt);

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

#[tokio::test(flavor = "multi_thread")]
async fn through_an_external_broker_devices_are_heard_and_pushed_to_across_restarts_of_either() {
    let mut broker = Mosquitto::start();
    let dir = tempfile::tempdir().unwrap();
    let database = Database::empty(dir.path());
    let http = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let url = format!("mqtt://{}", broker.address);
    let mut server = Served::start(dir.path(), &database, &http, &url);
    assert_eq!(server.mqtt, broker.address);
    let product = server.product("Fleet behind mosquitto").await;
    let _sim = server.simulate(&product, 20, &FLAWLESS);
    // Online from their first word: the version each reports on connecting.
    until_devices(&server, &product, "devices heard", |d| {
        d.len() == 20 && d.values().all(|(s, v)| s == "ONLINE" && v.as_deref() == Some("1.0.0"))
    })
    .await;
    let firmware = server.package(&product, "2.0.0").await;
    // Two a second: both faults come while pushes go out.
    let job = server.batch(&product, &firmware, &names(1, 20), &[("MaximumPerMinute", "120")]).await;
    tokio::time::sleep(Duration::from_secs(1)).await;

    // The devices stay connected to the broker, silent, while the server is away and after:
    // pushes go on all the same.
    server.process.child.kill().unwrap();
    server.process.child.wait().unwrap();
    let pushed =
        |tasks: &HashMap<String, (String, Option<String>, String)>| tasks.values().filter(|t| t.0 != "QUEUED").count();
    server = Served::start(dir.path(), &database, &http, &url);
    let before = pushed(&server.tasks(&job).await);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while pushed(&server.tasks(&job).await) < before + 3 {
        assert!(std::time::Instant::now() < deadline, "no push after the restart");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Every connection drops, the server's too; its session and what waits in it are kept.
    broker.restart();

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let tasks = server.tasks(&job).await;
        if tasks.values().all(|t| t.0 == "SUCCEEDED") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not all updated within a minute: {tasks:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let devices = server.devices(&product).await;
    assert!(devices.values().all(|(_, v)| v.as_deref() == Some("2.0.0")), "{devices:?}");
    server.counters_agree(&job).await;
}
