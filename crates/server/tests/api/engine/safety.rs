//! Safe rollouts in the engine, on the demo fleet's twelve controllers with a clock the test
//! moves: waves that promote themselves or wait for an operator, the failure rule that pauses
//! a batch, maintenance windows. The rules' every boundary is unit-tested in ota_model.

use axum::http::StatusCode;
use ota_model::device::Upstream;
use ota_server::engine::Clock;
use serde_json::Value;

use super::rig::{Rig, progress, version};

/// The names among `names` pushed their update since last asked.
fn pushed_now(rig: &mut Rig, names: &[String]) -> Vec<String> {
    names.iter().filter(|name| !rig.received(name).is_empty()).cloned().collect()
}

async fn connect_all(rig: &mut Rig, names: &[String]) {
    for name in names {
        rig.connect(name).await;
    }
}

async fn job(rig: &Rig, job: &str) -> Value {
    rig.server.ok("QueryOTAJob", &[("JobId", job)]).await["Data"].clone()
}

async fn task_of(rig: &Rig, job: &str, name: &str) -> Value {
    let tasks = rig.server.ok("ListOTATaskByJob", &[("JobId", job), ("DeviceNames.1", name)]).await;
    tasks["Data"]["SimpleOTATaskInfo"][0].clone()
}

#[tokio::test]
async fn a_staged_batch_pushes_its_first_wave_and_starts_the_next_when_the_rule_holds() {
    let mut rig = Rig::new().await;
    let rule = [("Wave.1.Count", "3"), ("Wave.2.Percent", "50"), ("WaveSuccessRate", "100"), ("WaveMinFinished", "3")];
    let (job_id, names) = rig.batch(&rule).await;
    connect_all(&mut rig, &names).await;
    rig.advance(2_000).await;
    let first = pushed_now(&mut rig, &names);
    assert_eq!(first.len(), 3, "only the first wave");

    let batch = job(&rig, &job_id).await;
    assert_eq!(batch["CurrentWave"], 1);
    let sizes: Vec<u64> =
        batch["Waves"]["Wave"].as_array().unwrap().iter().map(|w| w["Total"].as_u64().unwrap()).collect();
    assert_eq!(sizes, [3, 6, 3], "3, then half of 12 on top, then the rest");
    let waiting = names.iter().find(|n| !first.contains(n)).unwrap();
    let task = task_of(&rig, &job_id, waiting).await;
    assert_eq!(task["WaitReason"], "WAVE");
    assert!(task["Wave"].as_u64().unwrap() >= 2);

    for name in &first[..2] {
        rig.publish(name, Upstream::Inform, version("1.9.0")).await;
    }
    rig.advance(2_000).await;
    assert!(pushed_now(&mut rig, &names).is_empty(), "two of three finished: the rule wants three");
    rig.publish(&first[2], Upstream::Inform, version("1.9.0")).await;
    rig.advance(2_000).await;
    assert_eq!(pushed_now(&mut rig, &names).len(), 6, "the second wave");
    assert_eq!(job(&rig, &job_id).await["CurrentWave"], 2);

    let history = rig.server.ok("ListOTAJobHistory", &[("JobId", &job_id)]).await;
    let text = history.to_string();
    assert!(text.contains("StartOTAJobNextWave") && text.contains("rules of the batch"), "{text}");
}

#[tokio::test]
async fn manual_waves_wait_for_an_operator_who_cannot_start_beyond_the_last() {
    let mut rig = Rig::new().await;
    let (job_id, names) = rig.batch(&[("Wave.1.Count", "6"), ("WavePromotion", "MANUAL")]).await;
    connect_all(&mut rig, &names).await;
    rig.advance(2_000).await;
    let first = pushed_now(&mut rig, &names);
    assert_eq!(first.len(), 6);
    for name in &first {
        rig.publish(name, Upstream::Inform, version("1.9.0")).await;
    }
    rig.advance(5_000).await;
    assert!(pushed_now(&mut rig, &names).is_empty(), "a manual wave waits whatever its results");
    rig.server.ok("StartOTAJobNextWave", &[("JobId", &job_id)]).await;
    rig.advance(1_000).await;
    assert_eq!(pushed_now(&mut rig, &names).len(), 6);
    let refused = rig
        .server
        .refused("StartOTAJobNextWave", &[("JobId", &job_id)], StatusCode::CONFLICT, "iot.ota.JobStateConflict")
        .await;
    assert!(refused.contains("last wave"), "{refused}");
    let (plain, _) = rig.batch(&[]).await;
    rig.server
        .refused("StartOTAJobNextWave", &[("JobId", &plain)], StatusCode::CONFLICT, "iot.ota.JobStateConflict")
        .await;
}

#[tokio::test]
async fn a_failure_spike_pauses_the_batch_until_an_operator_resumes_it() {
    let mut rig = Rig::new().await;
    let rule = [("MaximumPerMinute", "60"), ("PauseFailureRate", "25"), ("PauseSampleSize", "4")];
    let (job_id, names) = rig.batch(&rule).await;
    connect_all(&mut rig, &names).await;
    rig.advance(3_900).await;
    let first = pushed_now(&mut rig, &names);
    assert_eq!(first.len(), 4, "one a second");
    rig.publish(&first[0], Upstream::Progress, progress("-4")).await;
    rig.publish(&first[1], Upstream::Progress, progress("-4")).await;
    rig.publish(&first[2], Upstream::Inform, version("1.9.0")).await;
    rig.advance(100).await;
    assert!(job(&rig, &job_id).await.get("Paused").is_none(), "three finished: below the minimum sample of four");
    rig.publish(&first[3], Upstream::Inform, version("1.9.0")).await;
    rig.advance(1_000).await;
    pushed_now(&mut rig, &names);

    let batch = job(&rig, &job_id).await;
    assert_eq!((batch["Paused"].as_bool(), batch["PausedBy"].as_str()), (Some(true), Some("RULE")));
    assert_eq!((batch["PauseFailed"].as_u64(), batch["PauseSample"].as_u64()), (Some(2), Some(4)));
    assert_eq!(batch["JobStatus"], "IN_PROGRESS");
    rig.advance(10_000).await;
    assert!(pushed_now(&mut rig, &names).is_empty(), "a paused batch pushes nothing");
    let queued = rig.server.ok("ListOTATaskByJob", &[("JobId", &job_id), ("TaskStatus", "QUEUED")]).await;
    assert_eq!(queued["Data"]["SimpleOTATaskInfo"][0]["WaitReason"], "PAUSED");
    let flash = rig.server.ok("ListOTATaskByJob", &[("JobId", &job_id), ("ReasonCode", "FLASH_FAILED")]).await;
    let mut failed: Vec<&str> = flash["Data"]["SimpleOTATaskInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["DeviceName"].as_str().unwrap())
        .collect();
    failed.sort_unstable();
    let mut expected = vec![first[0].as_str(), first[1].as_str()];
    expected.sort_unstable();
    assert_eq!((failed, flash["Total"].as_u64()), (expected, Some(2)), "a reason opens exactly its devices");

    rig.server.ok("ResumeOTAJob", &[("JobId", &job_id)]).await;
    rig.advance(1_100).await;
    let resumed = pushed_now(&mut rig, &names).len();
    assert!((1..=2).contains(&resumed), "at its rate, without a burst: {resumed}");
    assert!(job(&rig, &job_id).await.get("Paused").is_none());
    rig.advance(2_000).await;
    assert!(!pushed_now(&mut rig, &names).is_empty(), "the failures before the resume are not judged again");

    rig.server.ok("PauseOTAJob", &[("JobId", &job_id)]).await;
    assert_eq!(job(&rig, &job_id).await["PausedBy"], "OPERATOR");
    rig.server.refused("PauseOTAJob", &[("JobId", &job_id)], StatusCode::CONFLICT, "iot.ota.JobStateConflict").await;
    rig.server.ok("ResumeOTAJob", &[("JobId", &job_id)]).await;
    rig.server.refused("ResumeOTAJob", &[("JobId", &job_id)], StatusCode::CONFLICT, "iot.ota.JobStateConflict").await;
    let history = rig.server.ok("ListOTAJobHistory", &[("JobId", &job_id)]).await.to_string();
    assert!(history.contains("PauseOTAJob") && history.contains("\"PausedBy\""), "{history}");
}

#[tokio::test]
async fn a_rule_that_cancels_pending_tasks_leaves_only_what_was_under_way() {
    let mut rig = Rig::new().await;
    let rule = [
        ("MaximumPerMinute", "60"),
        ("PauseFailureRate", "0"),
        ("PauseSampleSize", "1"),
        ("PauseCancelPending", "true"),
    ];
    let (job_id, names) = rig.batch(&rule).await;
    connect_all(&mut rig, &names).await;
    rig.advance(1_900).await;
    let first = pushed_now(&mut rig, &names);
    assert_eq!(first.len(), 2);
    rig.publish(&first[0], Upstream::Progress, progress("-2")).await;
    rig.advance(200).await;
    let stats = rig.server.ok("QueryOTATaskStatistics", &[("JobId", &job_id)]).await["Data"].clone();
    assert_eq!((stats["Queued"].as_u64(), stats["Canceled"].as_u64()), (Some(0), Some(10)));
    assert_eq!(
        (stats["Notified"].as_u64(), stats["Failed"].as_u64()),
        (Some(1), Some(1)),
        "the device updating goes on"
    );
}

#[tokio::test]
async fn pushes_wait_for_the_maintenance_window_and_tasks_say_when_it_opens() {
    let mut rig = Rig::new().await;
    let now = rig.clock.now().0;
    let minute = |t: chrono::DateTime<chrono::Utc>| t.format("%H:%M").to_string();
    let start = now + chrono::Duration::minutes(10);
    let (from, to) = (minute(start), minute(start + chrono::Duration::minutes(30)));
    let window = [
        ("MaintenanceTimeZone", "UTC"),
        ("MaintenanceWindow.1.Days", "MON-SUN"),
        ("MaintenanceWindow.1.Start", from.as_str()),
        ("MaintenanceWindow.1.End", to.as_str()),
    ];
    let (job_id, names) = rig.batch(&window).await;
    connect_all(&mut rig, &names).await;
    rig.advance(2_000).await;
    assert!(pushed_now(&mut rig, &names).is_empty(), "outside the window");
    let batch = job(&rig, &job_id).await;
    assert_eq!(batch["InMaintenanceWindow"], false);
    let task = task_of(&rig, &job_id, &names[0]).await;
    assert_eq!(task["WaitReason"], "MAINTENANCE_WINDOW");
    assert_eq!(task["UtcNextWindow"], batch["UtcNextWindow"]);
    let opens: chrono::DateTime<chrono::Utc> = task["UtcNextWindow"].as_str().unwrap().parse().unwrap();
    assert_eq!(minute(opens), from);
    assert!(opens > now && opens <= start);

    rig.advance((opens - now).num_milliseconds()).await;
    rig.advance(1_000).await;
    assert_eq!(pushed_now(&mut rig, &names).len(), 12, "the window opened");
    assert_eq!(job(&rig, &job_id).await["InMaintenanceWindow"], true);
}

#[tokio::test]
async fn the_demo_s_staged_batch_promotes_itself_and_its_bad_modem_batch_pauses_once_the_engine_runs() {
    let mut rig = Rig::new().await;
    let batch_of = |name: &'static str| {
        let server = &rig.server;
        async move {
            let id = server.firmware_id(name).await;
            let jobs = server.ok("ListOTAJobByFirmware", &[("FirmwareId", &id)]).await;
            jobs["Data"]["SimpleOTAJobInfo"][0]["JobId"].as_str().unwrap().to_owned()
        }
    };
    let (staged, spike) = (batch_of("ipc7-person-detect-v13").await, batch_of("gw4-modem-fw-8_3").await);
    assert_eq!(job(&rig, &staged).await["CurrentWave"], 1);
    assert!(job(&rig, &spike).await.get("Paused").is_none(), "as seeded, before the engine looked");
    rig.advance(200).await;
    assert_eq!(job(&rig, &staged).await["CurrentWave"], 2, "its first wave succeeded whole");
    let paused = job(&rig, &spike).await;
    assert_eq!(
        (paused["PausedBy"].as_str(), paused["PauseFailed"].as_u64(), paused["PauseSample"].as_u64()),
        (Some("RULE"), Some(5), Some(8))
    );
}

#[tokio::test]
async fn a_device_that_pulls_waits_like_the_others_for_its_wave_a_pause_or_a_window() {
    let mut rig = Rig::new().await;
    let (job_id, names) = rig.batch(&[("NeedPush", "false"), ("Wave.1.Count", "6"), ("WavePromotion", "MANUAL")]).await;
    let pull = serde_json::json!({"id": "9", "params": {}});
    let mut later = None;
    for name in &names {
        rig.connect(name).await;
        if task_of(&rig, &job_id, name).await["Wave"] == 2 {
            later = Some(name.clone());
        }
    }
    let later = later.unwrap();
    rig.publish(&later, Upstream::FirmwareGet, pull.clone()).await;
    assert_eq!(rig.received(&later)[0].1["data"], serde_json::json!({}), "its wave has not started");
    assert_eq!(task_of(&rig, &job_id, &later).await["TaskStatus"], "QUEUED");

    rig.server.ok("StartOTAJobNextWave", &[("JobId", &job_id)]).await;
    rig.server.ok("PauseOTAJob", &[("JobId", &job_id)]).await;
    rig.publish(&later, Upstream::FirmwareGet, pull.clone()).await;
    assert_eq!(rig.received(&later)[0].1["data"], serde_json::json!({}), "the batch is paused");
    rig.server.ok("ResumeOTAJob", &[("JobId", &job_id)]).await;
    rig.publish(&later, Upstream::FirmwareGet, pull).await;
    assert_eq!(rig.received(&later)[0].1["data"]["version"], "1.9.0");
    assert_eq!(task_of(&rig, &job_id, &later).await["TaskStatus"], "NOTIFIED");
}

#[tokio::test]
async fn a_wave_whose_last_device_is_cancelled_promotes_and_a_rerun_conflict_joins_the_running_wave() {
    let mut rig = Rig::new().await;
    // Controllers 1–6 wait in the demo's scheduled batch: without overwriting, their tasks
    // here fail (CONFLICT).
    let firmware = rig.server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [
        ("FirmwareId", firmware.as_str()),
        ("ProductKey", super::rig::HVAC),
        ("TargetSelection", "ALL"),
        ("SrcVersion.1", "1.8.0"),
        ("Wave.1.Count", "3"),
        ("WaveSuccessRate", "100"),
    ];
    let created = rig.server.ok("CreateOTAStaticUpgradeJob", &params).await;
    let job_id = created["Data"]["JobId"].as_str().unwrap().to_owned();
    let tasks = rig.server.ok("ListOTATaskByJob", &[("JobId", &job_id), ("PageSize", "100")]).await;
    let tasks = tasks["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone();
    let names: Vec<String> = tasks.iter().map(|t| t["DeviceName"].as_str().unwrap().to_owned()).collect();
    let conflict = tasks.iter().find(|t| t["ReasonCode"] == "CONFLICT").unwrap().clone();
    assert!(conflict.get("Wave").is_none(), "a task that failed at creation has no wave");
    let first: Vec<String> =
        tasks.iter().filter(|t| t["Wave"] == 1).map(|t| t["DeviceName"].as_str().unwrap().to_owned()).collect();
    assert_eq!(first.len(), 3);
    for name in &names {
        rig.connect(name).await;
    }
    rig.advance(500).await;
    rig.publish(&first[0], Upstream::Inform, version("1.9.0")).await;
    rig.publish(&first[1], Upstream::Inform, version("1.9.0")).await;
    rig.advance(500).await;
    assert_eq!(job(&rig, &job_id).await["CurrentWave"], 1, "the third has not finished");
    let cancel =
        [("ProductKey", super::rig::HVAC), ("FirmwareId", firmware.as_str()), ("DeviceName.1", first[2].as_str())];
    rig.server.ok("CancelOTATaskByDevice", &cancel).await;
    rig.advance(200).await;
    assert_eq!(job(&rig, &job_id).await["CurrentWave"], 2, "no device left to wait for");

    // The conflicting device's other batch goes; re-run, its task joins wave 2 and is pushed.
    let scheduled = rig.server.ok("ListOTAJobByFirmware", &[("FirmwareId", &firmware)]).await;
    let planned =
        scheduled["Data"]["SimpleOTAJobInfo"].as_array().unwrap().iter().find(|j| j["JobStatus"] == "PLANNED").unwrap()
            ["JobId"]
            .as_str()
            .unwrap()
            .to_owned();
    rig.server.ok("CancelOTATaskByJob", &[("JobId", &planned), ("CancelScheduledTask", "true")]).await;
    let device = conflict["DeviceName"].as_str().unwrap().to_owned();
    rig.received(&device);
    rig.server.ok("ReupgradeOTATask", &[("JobId", &job_id), ("TaskId.1", conflict["TaskId"].as_str().unwrap())]).await;
    assert_eq!(task_of(&rig, &job_id, &device).await["Wave"], 2);
    rig.advance(500).await;
    assert_eq!(rig.received(&device).len(), 1, "pushed in the running wave");
}
