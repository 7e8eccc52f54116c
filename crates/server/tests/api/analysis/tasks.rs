//! ListOTARunningJobs, ListOTAFailureReasons and ListOTASourceVersions, each checked against
//! the tasks listed one by one.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Devices, HVAC, METER, STATES, counts, hvac_batch, items, rollout, statistics};
use crate::support::Server;

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

    // A failed task run again is no longer counted; failing again, it is, under its new reason.
    let failed = server.ok("ListOTATaskByJob", &[("JobId", &job), ("TaskStatus", "FAILED")]).await;
    let first = items(&failed, &["Data", "SimpleOTATaskInfo"]).iter().find(|t| t["DeviceName"] == names[0].as_str());
    let task_id = first.unwrap()["TaskId"].as_str().unwrap().to_owned();
    server.ok("ReupgradeOTATask", &[("JobId", &job), ("TaskId.1", &task_id)]).await;
    let rerun = server.ok("ListOTAFailureReasons", &[("JobId", &job)]).await["Data"].clone();
    assert_eq!(by_reason(&rerun), failed_tasks(&server, std::slice::from_ref(&job)).await);
    assert_eq!(by_reason(&rerun)[&(job.clone(), "DOWNLOAD_FAILED".to_owned())], 1);
    devices.progress(HVAC, &names[0], "10").await;
    devices.progress(HVAC, &names[0], "-4").await;
    let again = server.ok("ListOTAFailureReasons", &[("JobId", &job)]).await["Data"].clone();
    assert_eq!(by_reason(&again), failed_tasks(&server, std::slice::from_ref(&job)).await);
    assert_eq!(by_reason(&again)[&(job.clone(), "FLASH_FAILED".to_owned())], 2);

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
