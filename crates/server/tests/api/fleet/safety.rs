//! A bad firmware on a staged batch with a pause rule, with simulated devices as real MQTT
//! clients: the first wave's failures pause the batch before any later wave is pushed; the
//! operator cancels what waits and the devices already updating finish.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::harness::{FLAWLESS, Served, names, until_devices};
use crate::database::Database;

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_firmware_pauses_its_staged_batch_after_the_first_wave() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::empty(dir.path());
    let server = Served::start(dir.path(), &database, "127.0.0.1:0", "127.0.0.1:0");
    let product = server.product("Staged fleet").await;
    let _sim = server.simulate(&product, 40, &[&FLAWLESS[..], &["--bad-version", "2.0.0=0.9", "--seed", "3"]].concat());
    until_devices(&server, &product, "devices online", |d| {
        d.len() == 40 && d.values().all(|(s, v)| s == "ONLINE" && v.as_deref() == Some("1.0.0"))
    })
    .await;
    let firmware = server.package(&product, "2.0.0").await;
    let rules = [
        ("MaximumPerMinute", "600"),
        ("Wave.1.Count", "10"),
        ("WaveSuccessRate", "90"),
        ("PauseFailureRate", "20"),
        ("PauseSampleSize", "10"),
        ("PauseMinSample", "5"),
    ];
    let job = server.batch(&product, &firmware, &names(1, 40), &rules).await;

    let deadline = Instant::now() + Duration::from_secs(60);
    let paused = loop {
        let data = server.ok("QueryOTAJob", &[("JobId", &job)]).await["Data"].clone();
        if data["Paused"] == true {
            break data;
        }
        assert!(Instant::now() < deadline, "the batch never paused: {data}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!((paused["PausedBy"].as_str(), paused["CurrentWave"].as_u64()), (Some("RULE"), Some(1)));
    let (failed, sample) = (paused["PauseFailed"].as_u64().unwrap(), paused["PauseSample"].as_u64().unwrap());
    assert!(sample >= 5 && failed * 100 > 20 * sample, "{failed} of {sample}");

    // Nothing beyond the first wave ever went out, and what waits says why.
    let tasks = all_tasks(&server, &job).await;
    let later: Vec<&Value> = tasks.iter().filter(|t| t["Wave"].as_u64() > Some(1)).collect();
    assert_eq!(later.len(), 30);
    assert!(later.iter().all(|t| t["TaskStatus"] == "QUEUED" && t["WaitReason"] == "WAVE"), "{later:?}");
    let flash = server.ok("ListOTATaskByJob", &[("JobId", &job), ("ReasonCode", "FLASH_FAILED")]).await;
    assert!(flash["Total"].as_u64().unwrap() >= failed, "{flash}");

    // The operator cancels the waiting devices (the first wave's not yet pushed among them:
    // a paused batch pushes nothing); the batch ends once the devices updating have.
    let waiting = tasks.iter().filter(|t| t["TaskStatus"] == "QUEUED").count();
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true")]).await;
    let settled = server.settled(&job).await;
    assert_eq!(settled.values().filter(|t| t.0 == "CANCELED").count(), waiting);
    assert!(settled.values().all(|t| matches!(t.0.as_str(), "SUCCEEDED" | "FAILED" | "CANCELED")), "{settled:?}");
    server.counters_agree(&job).await;
}

async fn all_tasks(server: &Served, job: &str) -> Vec<Value> {
    let list = server.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100")]).await;
    list["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone()
}
