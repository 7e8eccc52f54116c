//! The extensions: capabilities, task statistics, version distribution, instances, events,
//! and cross-origin access.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::{Options, Server, signed};

#[tokio::test]
async fn capabilities_name_every_extension_and_action() {
    let server = Server::new().await;
    let capabilities = server.ok("QueryOTACapabilities", &[]).await;
    let data = &capabilities["Data"];
    assert_eq!(data["ApiVersion"], "2018-01-20");
    let extensions = data["Extensions"]["Extension"].as_array().unwrap();
    for name in
        ["Keyword", "TaskStatistics", "WaitReason", "ReasonCode", "VersionDistribution", "Instances", "EventStream"]
    {
        assert!(extensions.iter().any(|e| e == name), "{name} is announced");
    }
    let actions: Vec<&str> =
        data["Actions"]["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let ota = actions.iter().filter(|a| a.contains("OTA")).count();
    assert!(ota >= 26, "all 26 OTA operations and the OTA extensions: {actions:?}");
    for action in
        ["CreateOTAStaticUpgradeJob", "ListOTAModuleVersionsByDevice", "ReupgradeOTATask", "SubscribeOTAEvents"]
    {
        assert!(actions.contains(&action), "{action}");
    }
}

#[tokio::test]
async fn statistics_count_a_batchs_and_a_packages_tasks() {
    let server = Server::new().await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    let jobs = server.jobs_of(&firmware).await;
    let rollout =
        jobs.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap().to_owned();
    let job = server.ok("QueryOTATaskStatistics", &[("JobId", &rollout)]).await;
    let data = &job["Data"];
    assert_eq!(
        (data["Total"].as_u64(), data["Succeeded"].as_u64(), data["Failed"].as_u64()),
        (Some(94), Some(40), Some(5))
    );
    assert_eq!(
        (data["Queued"].as_u64(), data["InProgress"].as_u64(), data["Canceled"].as_u64()),
        (Some(37), Some(6), Some(2))
    );
    assert_eq!(data["SuccessRate"], "0.888");
    let package = server.ok("QueryOTATaskStatistics", &[("FirmwareId", &firmware)]).await;
    assert_eq!(package["Data"]["Total"], 97, "the rollout and the three-device verification");
    assert_eq!(package["Data"]["Succeeded"], 43);

    server.ok("CancelOTATaskByJob", &[("JobId", &rollout), ("CancelQueuedTask", "true")]).await;
    let after = server.ok("QueryOTATaskStatistics", &[("JobId", &rollout)]).await;
    assert_eq!(
        (after["Data"]["Queued"].as_u64(), after["Data"]["Canceled"].as_u64()),
        (Some(0), Some(39)),
        "counters follow every change"
    );
}

#[tokio::test]
async fn the_version_distribution_shows_the_largest_groups_and_the_rest() {
    let server = Server::new().await;
    let spread = server.ok("ListOTAVersionDistribution", &[("ProductKey", "a1SMtr200Qx"), ("Top", "2")]).await;
    let data = &spread["Data"];
    assert_eq!(data["Total"], 117, "three meters never reported a version");
    let versions: Vec<(&str, u64)> = data["Versions"]["VersionCount"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["Version"].as_str().unwrap(), v["DeviceCount"].as_u64().unwrap()))
        .collect();
    assert_eq!(versions, [("3.1.0", 54), ("3.2.0", 43)]);
    assert_eq!((data["OthersCount"].as_u64(), data["OthersVersionCount"].as_u64()), (Some(20), Some(2)));
    let zigbee =
        server.ok("ListOTAVersionDistribution", &[("ProductKey", "a1SMtr200Qx"), ("ModuleName", "zigbee")]).await;
    assert_eq!(zigbee["Data"]["Versions"]["VersionCount"][0]["Version"], "1.4.2");
}

#[tokio::test]
async fn the_instances_are_listed_with_the_default_first() {
    let server = Server::new().await;
    let list = server.ok("ListIotInstances", &[]).await;
    let instances = list["Data"]["InstanceInfo"].as_array().unwrap();
    assert_eq!(instances.len(), 2);
    assert_eq!(
        (instances[0]["IotInstanceId"].as_str(), instances[0]["IsDefault"].as_bool()),
        (Some("iot-default"), Some(true))
    );
    assert_eq!(instances[1]["Name"], "Lab");
}

#[tokio::test]
async fn the_event_stream_sends_each_change_with_a_resumable_cursor() {
    let server = Server::new().await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    let jobs = server.jobs_of(&firmware).await;
    let rollout =
        jobs.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap().to_owned();

    let request = Request::get(format!(
        "/?{}",
        signed(&server.key, "GET", &format!("Action=SubscribeOTAEvents&JobId={rollout}"))
    ))
    .body(Body::empty())
    .unwrap();
    let response = server.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = response.into_body();
    let ready = next_text(&mut body).await;
    assert!(ready.starts_with("event: ready"), "{ready}");

    server.ok("CancelOTATaskByJob", &[("JobId", &rollout), ("CancelNotifiedTask", "true")]).await;
    let mut seen = String::new();
    while seen.matches("event: task").count() < 4 {
        seen += &next_text(&mut body).await;
    }
    assert!(seen.contains("\"Status\":\"CANCELED\""), "{seen}");
    let first_id: i64 = seen.lines().find_map(|l| l.strip_prefix("id: ")).unwrap().parse().unwrap();

    // Resuming after the first change sends the other three again, and nothing before.
    let request = Request::get(format!(
        "/?{}",
        signed(&server.key, "GET", &format!("Action=SubscribeOTAEvents&JobId={rollout}"))
    ))
    .header("last-event-id", first_id.to_string())
    .body(Body::empty())
    .unwrap();
    let mut resumed = server.app.clone().oneshot(request).await.unwrap().into_body();
    let mut again = String::new();
    while again.matches("event: task").count() < 3 {
        again += &next_text(&mut resumed).await;
    }
    assert!(!again.contains(&format!("id: {first_id}\n")));
}

#[tokio::test]
async fn many_subscribers_hear_a_batch_and_its_cursor_moves_past_other_batches_changes() {
    let server = Server::new().await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    let jobs = server.jobs_of(&firmware).await;
    let rollout =
        jobs.iter().find(|j| j["JobType"] == "UPGRADE_FIRMWARE").unwrap()["JobId"].as_str().unwrap().to_owned();
    let subscribe = || {
        let query = signed(&server.key, "GET", &format!("Action=SubscribeOTAEvents&JobId={rollout}"));
        server.app.clone().oneshot(Request::get(format!("/?{query}")).body(Body::empty()).unwrap())
    };
    let mut bodies = Vec::new();
    for _ in 0..5 {
        let mut body = subscribe().await.unwrap().into_body();
        assert!(next_text(&mut body).await.starts_with("event: ready"));
        // Caught up and listening: nothing more to say yet.
        assert!(tokio::time::timeout(Duration::from_millis(300), body.frame()).await.is_err());
        bodies.push(body);
    }
    // 1,200 changes of another batch, then the rollout's own.
    server
        .database
        .execute(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1200)
             INSERT INTO events (instance_id, kind, job_id, status, utc)
             SELECT 'iot-default', 'job', 'another-batch', 'IN_PROGRESS', 0 FROM n",
        )
        .await;
    server.ok("CancelOTATaskByJob", &[("JobId", &rollout), ("CancelNotifiedTask", "true")]).await;
    for body in &mut bodies {
        let mut seen = String::new();
        while !seen.contains("event: task") {
            seen += &next_text(body).await;
        }
        assert!(!seen.contains("another-batch"), "{seen}");
        let moved =
            seen.split("\n\n").find(|e| e.contains(": cursor")).expect("the cursor moved past the skipped changes");
        let id: i64 = moved.lines().find_map(|l| l.strip_prefix("id: ")).unwrap().parse().unwrap();
        let first_task = seen.split("\n\n").find(|e| e.contains("event: task")).unwrap();
        let task_id: i64 = first_task.lines().find_map(|l| l.strip_prefix("id: ")).unwrap().parse().unwrap();
        assert!(id < task_id, "the moved cursor ({id}) comes before the batch's next change ({task_id})");
    }
}

async fn next_text(body: &mut Body) -> String {
    let frame = tokio::time::timeout(Duration::from_secs(5), body.frame()).await.expect("an event within 5 s");
    let frame = frame.unwrap().unwrap();
    String::from_utf8_lossy(&frame.into_data().unwrap()).into_owned()
}

#[tokio::test]
async fn a_console_on_another_origin_may_call_when_its_origin_is_allowed() {
    let allowed =
        Server::with(Options { cors_origins: vec!["https://console.example.com".into()], ..Default::default() }).await;
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/")
        .header(header::ORIGIN, "https://console.example.com")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap();
    let reply = allowed.send(preflight).await;
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://console.example.com");
    let call = Request::post("/?Action=ListIotInstances")
        .header(header::ORIGIN, "https://console.example.com")
        .body(Body::empty())
        .unwrap();
    let reply = allowed.send(call).await;
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://console.example.com");
    assert!(reply.headers[header::ACCESS_CONTROL_EXPOSE_HEADERS].to_str().unwrap().contains("x-acs-request-id"));

    let other = Request::post("/?Action=ListIotInstances")
        .header(header::ORIGIN, "https://evil.example.com")
        .body(Body::empty())
        .unwrap();
    assert!(allowed.send(other).await.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let same_origin_only = Server::new().await;
    let call = Request::post("/?Action=ListIotInstances")
        .header(header::ORIGIN, "https://console.example.com")
        .body(Body::empty())
        .unwrap();
    assert!(same_origin_only.send(call).await.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn requests_with_too_many_parameters_are_refused_whole() {
    let server = Server::new().await;
    let form: String = (0..2001).map(|i| format!("P{i}=x&")).collect::<String>() + "Action=ListIotInstances";
    let reply = server.post_form(&form).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["Code"], "iot.common.RequestTooLarge");
}

#[tokio::test]
async fn a_plain_server_has_no_extension_operations() {
    let plain = Server::with(Options { plain: true, ..Default::default() }).await;
    plain.refused("QueryOTACapabilities", &[], StatusCode::BAD_REQUEST, "InvalidAction.NotFound").await;
    plain.refused("QueryOTATaskStatistics", &[("JobId", "x")], StatusCode::BAD_REQUEST, "InvalidAction.NotFound").await;
    plain.ok("ListOTAFirmware", &[]).await;
}

/// Every page of ListOTATaskByFirmware with `filters`, as (TaskId, JobId, DeviceName, TaskStatus).
async fn package_tasks(server: &Server, firmware: &str, filters: &[(&str, &str)]) -> (u64, Vec<[String; 4]>) {
    let mut rows = Vec::new();
    for page in 1.. {
        let page = page.to_string();
        let mut params = vec![("FirmwareId", firmware), ("PageSize", "7"), ("CurrentPage", page.as_str())];
        params.extend_from_slice(filters);
        let list = server.ok("ListOTATaskByFirmware", &params).await;
        let found = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone();
        if found.is_empty() {
            return (list["Total"].as_u64().unwrap(), rows);
        }
        rows.extend(
            found
                .iter()
                .map(|t| ["TaskId", "JobId", "DeviceName", "TaskStatus"].map(|f| t[f].as_str().unwrap().to_owned())),
        );
    }
    unreachable!()
}

#[tokio::test]
async fn a_package_lists_its_tasks_across_batches_newest_batch_first() {
    let server = Server::new().await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    let mut expected = Vec::new();
    for job in server.jobs_of(&firmware).await {
        let job_id = job["JobId"].as_str().unwrap();
        for page in 1.. {
            let page = page.to_string();
            let list =
                server.ok("ListOTATaskByJob", &[("JobId", job_id), ("PageSize", "100"), ("CurrentPage", &page)]).await;
            let found = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone();
            if found.is_empty() {
                break;
            }
            expected.extend(
                found.iter().map(|t| {
                    ["TaskId", "JobId", "DeviceName", "TaskStatus"].map(|f| t[f].as_str().unwrap().to_owned())
                }),
            );
        }
    }
    let batches: std::collections::BTreeSet<&String> = expected.iter().map(|t| &t[1]).collect();
    assert!(batches.len() >= 2, "the demo package has several batches");

    // Pages of seven cross from one batch into the next without losing or repeating a task.
    let (total, all) = package_tasks(&server, &firmware, &[]).await;
    assert_eq!((total, &all), (expected.len() as u64, &expected));

    let failed: Vec<_> = expected.iter().filter(|t| t[3] == "FAILED").cloned().collect();
    assert!(!failed.is_empty());
    assert_eq!(package_tasks(&server, &firmware, &[("TaskStatus", "FAILED")]).await, (failed.len() as u64, failed));

    let device = expected[0][2].clone();
    let of_device: Vec<_> = expected.iter().filter(|t| t[2] == device).cloned().collect();
    assert_eq!(
        package_tasks(&server, &firmware, &[("DeviceName", &device)]).await,
        (of_device.len() as u64, of_device)
    );
    assert_eq!(package_tasks(&server, &firmware, &[("DeviceName", "no-such-device")]).await, (0, vec![]));

    server
        .refused("ListOTATaskByFirmware", &[("FirmwareId", "nope")], StatusCode::NOT_FOUND, "iot.ota.FirmwareNotFound")
        .await;
}

#[tokio::test]
async fn the_overview_counts_packages_running_batches_and_their_unfinished_tasks() {
    let server = Server::new().await;
    let overview = server.ok("QueryOTAOverview", &[]).await["Data"].clone();
    let packages = server.ok("ListOTAFirmware", &[("PageSize", "1")]).await["Total"].as_u64().unwrap();
    assert_eq!(overview["FirmwareCount"].as_u64(), Some(packages));

    // The same numbers, the long way: every batch of every package.
    let (mut planned, mut running, mut unfinished) = (0, 0, 0);
    let list = server.ok("ListOTAFirmware", &[("PageSize", "100")]).await;
    for package in list["FirmwareInfo"]["SimpleFirmwareInfo"].as_array().unwrap() {
        for job in server.jobs_of(package["FirmwareId"].as_str().unwrap()).await {
            let status = job["JobStatus"].as_str().unwrap();
            if status != "PLANNED" && status != "IN_PROGRESS" {
                continue;
            }
            if status == "PLANNED" {
                planned += 1
            } else {
                running += 1
            }
            let counts = server.ok("QueryOTATaskStatistics", &[("JobId", job["JobId"].as_str().unwrap())]).await;
            unfinished += ["Confirm", "Queued", "Notified", "InProgress"]
                .iter()
                .map(|f| counts["Data"][f].as_u64().unwrap())
                .sum::<u64>();
        }
    }
    assert!(running > 0 && unfinished > 0, "the demo has batches under way");
    assert_eq!(
        [overview["JobsPlanned"].as_u64(), overview["JobsInProgress"].as_u64(), overview["UnfinishedTasks"].as_u64()],
        [Some(planned), Some(running), Some(unfinished)]
    );
}
