//! The rollout engine on the demo fleet, with a clock the test moves and devices attached
//! in-process: no sleeps, no sockets. Batches are made through the API as an operator would.

mod rig;
mod safety;

use bytes::Bytes;
use ota_model::device::{Downstream, Upstream};
use ota_server::engine::Clock;
use ota_server::metrics::Refusal;
use ota_server::mqtt::{DeviceEvent, Receipt};
use serde_json::Value;

use self::rig::{HVAC, Rig, hvac, progress, version};

#[tokio::test]
async fn a_connected_device_is_pushed_its_update_and_reports_its_way_to_success() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[("Tag.1.Key", "wave"), ("Tag.1.Value", "1")]).await;
    let name = names[0].clone();
    rig.connect(&name).await;
    rig.advance(100).await;
    let pushes = rig.received(&name);
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    let (kind, push) = &pushes[0];
    assert_eq!(*kind, Downstream::Upgrade);
    assert_eq!(push["code"], "1000");
    assert_eq!(push["data"]["version"], "1.9.0");
    assert_eq!(push["data"]["extData"]["wave"], "1");
    assert!(push["data"]["url"].as_str().unwrap().starts_with("http://ota.test/ota-files/"));
    assert_eq!(rig.state(&job, &name).await, "NOTIFIED");

    rig.publish(&name, Upstream::Progress, progress("0")).await;
    rig.publish(&name, Upstream::Progress, progress("45")).await;
    let tasks = rig.server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "IN_PROGRESS")]).await;
    assert_eq!(tasks["Data"]["SimpleOTATaskInfo"][0]["Progress"], "45.00");
    rig.publish(&name, Upstream::Inform, version("1.9.0")).await;
    assert_eq!(rig.state(&job, &name).await, "SUCCEEDED");
    let detail = rig.server.ok("QueryDeviceDetail", &[("ProductKey", HVAC), ("DeviceName", &name)]).await;
    assert_eq!(detail["Data"]["FirmwareVersion"], "1.9.0");
    assert_eq!(detail["Data"]["Status"], "ONLINE");

    rig.device(DeviceEvent::Disconnected { device: hvac(&name) }).await;
    let detail = rig.server.ok("QueryDeviceDetail", &[("ProductKey", HVAC), ("DeviceName", &name)]).await;
    assert_eq!(detail["Data"]["Status"], "OFFLINE");
}

#[tokio::test]
async fn pushes_keep_the_batch_rate_and_offline_devices_wait() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[("MaximumPerMinute", "60")]).await;
    for name in &names[..10] {
        rig.connect(name).await;
    }
    rig.advance(4_950).await;
    let pushed: usize = names[..10].iter().map(|n| rig.received(n).len()).sum();
    assert_eq!(pushed, 5, "one a second at 60 a minute");
    let states = rig.states(&job).await;
    let offline = &names[11];
    assert_eq!(states[offline].0, "QUEUED", "an offline device is not pushed");

    rig.connect(offline).await;
    rig.advance(20_000).await;
    assert_eq!(rig.received(offline).len(), 1, "it is pushed once it connects, within the rate");
}

#[tokio::test]
async fn a_server_taking_the_lead_pushes_again_what_the_last_leader_may_not_have_sent() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[]).await;
    let (earlier, lately) = (&names[0], &names[1]);
    rig.connect(earlier).await;
    rig.advance(100).await;
    assert_eq!(rig.received(earlier).len(), 1);
    rig.advance(60_000).await;
    rig.connect(lately).await;
    rig.advance(100).await;
    assert_eq!(rig.received(lately).len(), 1);

    // The same database, led afresh: as when the last leader died or this server restarted.
    rig.engine.take_lead().await.unwrap();
    let again = rig.received(lately);
    assert_eq!(again.len(), 1, "pushed seconds ago: it may never have left the last leader");
    assert_eq!(again[0].1["data"]["version"], "1.9.0");
    assert!(rig.received(earlier).is_empty(), "pushed a minute ago: it left long since");
    rig.publish(lately, Upstream::Progress, progress("10")).await;
    rig.engine.take_lead().await.unwrap();
    assert!(rig.received(lately).is_empty(), "a task the device has taken up is not pushed again");
    assert_eq!(rig.state(&job, earlier).await, "NOTIFIED");
    assert_eq!(rig.state(&job, lately).await, "IN_PROGRESS");
}

#[tokio::test]
async fn failures_timeouts_and_retries_follow_the_batch_policy() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[("TimeoutInMinutes", "30"), ("RetryInterval", "10"), ("RetryCount", "1")]).await;
    let (flaky, slow) = (names[0].clone(), names[1].clone());
    rig.connect(&flaky).await;
    rig.connect(&slow).await;
    rig.advance(2_000).await;
    rig.received(&flaky);

    rig.publish(&flaky, Upstream::Progress, progress("-2")).await;
    assert_eq!(rig.state(&job, &flaky).await, "NOTIFIED", "a retry keeps the state shown");
    rig.advance(9 * 60_000).await;
    assert!(rig.received(&flaky).is_empty());
    rig.advance(60_000 + 100).await;
    assert_eq!(rig.received(&flaky).len(), 1, "ten minutes on, the package goes out again");
    rig.publish(&flaky, Upstream::Progress, progress("-2")).await;
    assert_eq!(rig.states(&job).await[&flaky], ("FAILED".into(), Some("DOWNLOAD_FAILED".into())));

    rig.publish(&slow, Upstream::Progress, progress("10")).await;
    rig.advance(29 * 60_000).await;
    assert_eq!(rig.state(&job, &slow).await, "IN_PROGRESS");
    rig.advance(60_000).await;
    assert_eq!(rig.states(&job).await[&slow], ("FAILED".into(), Some("TIMEOUT".into())));
}

#[tokio::test]
async fn a_device_that_must_pull_asks_and_is_answered() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[("NeedPush", "false")]).await;
    let name = names[0].clone();
    rig.connect(&name).await;
    rig.advance(2_000).await;
    assert!(rig.received(&name).is_empty(), "nothing is pushed");
    rig.publish(&name, Upstream::FirmwareGet, serde_json::json!({"id": "77", "params": {}})).await;
    let replies = rig.received(&name);
    assert_eq!(replies[0].0, Downstream::FirmwareGetReply);
    assert_eq!(replies[0].1["id"], "77");
    assert_eq!(replies[0].1["data"]["version"], "1.9.0");
    assert_eq!(rig.state(&job, &name).await, "NOTIFIED");

    let other = names[1].clone();
    rig.connect(&other).await;
    rig.publish(&other, Upstream::FirmwareGet, serde_json::json!({"id": 5, "params": {"module": "nothing-here"}}))
        .await;
    assert_eq!(rig.received(&other)[0].1, serde_json::json!({"id": 5, "code": 200, "data": {}}));
}

#[tokio::test]
async fn a_scheduled_batch_starts_on_time_and_its_end_cancels_what_has_not_started() {
    let mut rig = Rig::new().await;
    let start = rig.clock.now().millis() + 10 * 60_000;
    let (start_text, finish_text) = (start.to_string(), (start + 3_600_000).to_string());
    let (job, names) = rig.batch(&[("ScheduleTime", &start_text), ("ScheduleFinishTime", &finish_text)]).await;
    let (early, late) = (names[0].clone(), names[1].clone());
    rig.connect(&early).await;
    rig.advance(60_000).await;
    assert!(rig.received(&early).is_empty(), "planned batches wait");
    rig.advance(10 * 60_000).await;
    assert_eq!(rig.received(&early).len(), 1);
    let batch = rig.server.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(batch["Data"]["JobStatus"], "IN_PROGRESS");
    rig.publish(&early, Upstream::Progress, progress("20")).await;

    rig.advance(60 * 60_000).await;
    let states = rig.states(&job).await;
    assert_eq!(states[&late], ("CANCELED".into(), Some("SCHEDULE_ENDED".into())));
    assert_eq!(states[&early].0, "IN_PROGRESS", "an update under way runs on");
}

#[tokio::test]
async fn malformed_reports_are_dropped_and_counted() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[]).await;
    let name = names[0].clone();
    rig.connect(&name).await;
    rig.advance(100).await;
    rig.publish(&name, Upstream::Progress, serde_json::json!({"params": {"step": "fast"}})).await;
    rig.publish(&name, Upstream::Inform, serde_json::json!({"params": {}})).await;
    rig.device(DeviceEvent::Message {
        device: hvac(&name),
        kind: Upstream::Progress,
        payload: Bytes::from("{"),
        receipt: Receipt::default(),
    })
    .await;
    assert_eq!(rig.metrics.refusals(Refusal::MqttPayload), 3);
    assert_eq!(rig.state(&job, &name).await, "NOTIFIED");
}

#[tokio::test]
async fn a_dynamic_batch_takes_on_devices_that_later_report_a_source_version_at_most_ten_times() {
    let mut rig = Rig::new().await;
    let id = rig.server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [("FirmwareId", id.as_str()), ("ProductKey", HVAC), ("SrcVersion.1", "1.8.0"), ("DynamicMode", "2")];
    let created = rig.server.ok("CreateOTADynamicUpgradeJob", &params).await;
    let job = created["Data"]["JobId"].as_str().unwrap().to_owned();
    assert!(rig.states(&job).await.is_empty(), "mode 2: nobody until a report");

    let device = "hc3-bldg-a-020";
    rig.connect(device).await;
    rig.publish("hc3-bldg-a-001", Upstream::Inform, version("1.8.0")).await;
    assert!(rig.states(&job).await.is_empty(), "1.8.0 again is not a new report");
    rig.publish("hc3-bldg-a-015", Upstream::Inform, version("1.7.3")).await;
    assert!(rig.states(&job).await.is_empty(), "not a source version");

    // Each time it goes back to 1.8.0 it is taken on again, ten times and no more.
    for round in 1..=11 {
        rig.publish(device, Upstream::Inform, version("1.8.0")).await;
        let tasks = rig.server.ok("ListOTATaskByJob", &[("JobId", &job), ("PageSize", "100")]).await;
        let tasks = tasks["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone();
        assert_eq!(tasks.len(), round.min(10), "round {round}");
        let last = tasks.last().unwrap();
        assert_eq!((last["DeviceName"].as_str(), last["SrcVersion"].as_str()), (Some(device), Some("1.8.0")));
        if round <= 10 {
            assert_eq!(last["TaskStatus"], "QUEUED", "round {round}");
        }
        rig.publish(device, Upstream::Inform, version("1.9.0")).await;
    }
    let stats = rig.server.ok("QueryOTATaskStatistics", &[("JobId", &job)]).await;
    assert_eq!((stats["Data"]["Total"].as_u64(), stats["Data"]["Succeeded"].as_u64()), (Some(10), Some(10)));
}

/// How many of `names` were pushed their update since last asked.
fn pushed(rig: &mut Rig, names: &[String]) -> usize {
    names.iter().map(|n| rig.received(n).len()).sum()
}

#[tokio::test]
async fn a_variable_rate_speeds_up_as_devices_are_notified() {
    let mut rig = Rig::new().await;
    let rate = [("RateType", "VARIABLE"), ("StartPerMinute", "60"), ("GrowthFactor", "2"), ("GrowthEvery", "3")];
    let (_, names) = rig.batch(&[&rate[..], &[("MaximumPerMinute", "240")]].concat()).await;
    assert_eq!(names.len(), 12);
    for name in &names {
        rig.connect(name).await;
    }
    rig.advance(2_900).await;
    let first = pushed(&mut rig, &names);
    assert!((2..=4).contains(&first), "one a second to begin with: {first}");
    // 60, then 120 after 3 notified, then 240 (the maximum) after 6: twelve in about 6 s,
    // where a constant 60 a minute would take 12.
    rig.advance(3_600).await;
    assert_eq!(first + pushed(&mut rig, &names), 12);
}

#[tokio::test]
async fn a_new_rate_set_with_update_ota_job_takes_effect_within_a_second() {
    let mut rig = Rig::new().await;
    let (job, names) = rig.batch(&[("MaximumPerMinute", "60")]).await;
    for name in &names {
        rig.connect(name).await;
    }
    rig.advance(2_000).await;
    let before = pushed(&mut rig, &names);
    assert!(before <= 3, "{before}");
    rig.server.ok("UpdateOTAJob", &[("JobId", &job), ("MaximumPerMinute", "600")]).await;
    rig.advance(1_000).await;
    let after = pushed(&mut rig, &names);
    assert!(after >= 9, "ten a second now: {after} in the second after the edit");
}

#[tokio::test]
async fn a_verification_batch_marks_its_package_verified_when_its_devices_succeed() {
    let mut rig = Rig::new().await;
    let id = rig.server.firmware_id("hc3-ctrl-2_0_0").await;
    let devices = [("TargetDeviceName.1", "hc3-bldg-a-013"), ("TargetDeviceName.2", "hc3-bldg-a-014")];
    let params = [&[("FirmwareId", id.as_str()), ("ProductKey", HVAC)][..], &devices[..]].concat();
    let job = rig.server.ok("CreateOTAVerifyJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned();
    let status =
        |info: &Value| (info["FirmwareInfo"]["Status"].as_i64(), info["FirmwareInfo"]["VerifyProgress"].as_i64());
    for (_, name) in devices {
        rig.connect(name).await;
    }
    rig.advance(500).await;
    rig.publish("hc3-bldg-a-013", Upstream::Inform, version("2.0.0")).await;
    let half = rig.server.ok("QueryOTAFirmware", &[("FirmwareId", &id)]).await;
    assert_eq!(status(&half), (Some(2), Some(50)), "verifying, one of two done");
    rig.publish("hc3-bldg-a-014", Upstream::Inform, version("2.0.0")).await;
    let done = rig.server.ok("QueryOTAFirmware", &[("FirmwareId", &id)]).await;
    assert_eq!(status(&done), (Some(1), Some(100)), "verified");
    let batch = rig.server.ok("QueryOTAJob", &[("JobId", &job)]).await;
    assert_eq!(batch["Data"]["JobStatus"], "COMPLETED");
}

#[tokio::test]
async fn a_multi_file_package_is_pushed_with_every_file() {
    let mut rig = Rig::new().await;
    let (app, dsp) = (rig.server.upload(b"application").await, rig.server.upload(b"dsp firmware").await);
    let files = [("MultiFiles.1.Name", "app.bin"), ("MultiFiles.1.Url", &app), ("MultiFiles.2.Name", "dsp.bin")];
    let package =
        [("ProductKey", HVAC), ("FirmwareName", "hc3-bundle"), ("DestVersion", "2.1.0"), ("NeedToVerify", "False")];
    let params = [&package[..], &files[..], &[("MultiFiles.2.Url", dsp.as_str())]].concat();
    let created = rig.server.ok("CreateOTAFirmware", &params).await;
    let id = created["Data"]["FirmwareId"].as_str().unwrap().to_owned();
    let target = [("TargetSelection", "SPECIFIC"), ("TargetDeviceName.1", "hc3-bldg-a-020")];
    rig.server
        .ok("CreateOTAStaticUpgradeJob", &[&[("FirmwareId", id.as_str()), ("ProductKey", HVAC)][..], &target].concat())
        .await;
    rig.connect("hc3-bldg-a-020").await;
    rig.advance(200).await;
    let pushes = rig.received("hc3-bldg-a-020");
    let data = &pushes[0].1["data"];
    let names: Vec<&str> = data["files"].as_array().unwrap().iter().map(|f| f["fileName"].as_str().unwrap()).collect();
    assert_eq!(names, ["app.bin", "dsp.bin"]);
    assert_eq!(data["files"][1]["fileSize"], 12);
    assert!(data["files"][1]["fileUrl"].as_str().unwrap().starts_with("http://ota.test/ota-files/"));
    assert_eq!(data["url"], data["files"][0]["fileUrl"], "the first file also where single-file devices look");
}
