//! ListOTAJobProgress: a batch's counts per state over time.

use serde_json::Value;

use super::{Devices, HVAC, counts, hvac_batch, items, rollout, statistics};
use crate::support::Server;

/// A batch's progress with `extra` parameters: its `Data`.
async fn progress(server: &Server, job_id: &str, extra: &[(&str, &str)]) -> Value {
    let mut params = vec![("JobId", job_id)];
    params.extend_from_slice(extra);
    server.ok("ListOTAJobProgress", &params).await["Data"].clone()
}

/// What every progress answer keeps to: oldest first, at most `max_points`, every point's
/// states adding up to its total, an interval of whole 10-second buckets, and the last point
/// the batch's counts now.
async fn assert_well_formed(server: &Server, job_id: &str, data: &Value, max_points: usize) {
    assert_eq!(data["JobId"], job_id);
    assert_eq!(data["Interval"].as_u64().unwrap() % 10, 0, "{data}");
    let points = items(data, &["Points", "ProgressPoint"]);
    assert!((1..=max_points).contains(&points.len()), "{} points, at most {max_points}", points.len());
    let times: Vec<&str> = points.iter().map(|p| p["UtcTime"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first: {times:?}");
    for point in points {
        let [total, states @ ..] = counts(point);
        assert_eq!(states.iter().sum::<u64>(), total, "{point}");
    }
    assert_eq!(counts(points.last().unwrap()), statistics(server, job_id).await, "the last point is now");
}

#[tokio::test]
async fn a_batchs_progress_runs_from_its_creation_to_its_counts_now() {
    let server = Server::new().await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let three_days = 3 * 86_400;
    assert!(data["Interval"].as_u64().unwrap() * 240 >= three_days, "three days fit in 240 points: {data}");

    // The demo batch was created three days ago with 94 queued tasks, and moved on since.
    let points = items(&data, &["Points", "ProgressPoint"]);
    assert!(points.len() > 200, "three days at the narrowest interval that fits fill most of the points");
    let first = counts(&points[0]);
    assert_eq!((first[0], first[2], first[5]), (94, 94, 0), "at first every task waited: {}", points[0]);
    let last = counts(points.last().unwrap());
    assert_eq!((last[0], last[5], last[6]), (94, 40, 5));

    // A change shows at the last point and at no point before it.
    let before = chrono::Utc::now() - chrono::Duration::seconds(10);
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true")]).await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let points = items(&data, &["Points", "ProgressPoint"]);
    assert_eq!(points.last().unwrap()["Canceled"], 39);
    let earlier: Vec<&Value> = points
        .iter()
        .filter(|p| p["UtcTime"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap() < before)
        .collect();
    assert!(earlier.len() > 200);
    assert!(earlier.iter().all(|p| p["Canceled"].as_u64() <= Some(2)), "only the two the devices cancelled");
}

#[tokio::test]
async fn progress_widens_its_interval_to_keep_within_the_points_asked_for() {
    let server = Server::new().await;
    let job = rollout(&server, "sm200-main-3_2_0").await;
    for max in [2, 3, 17, 1000] {
        let data = progress(&server, &job, &[("MaxPoints", &max.to_string())]).await;
        assert_well_formed(&server, &job, &data, max).await;
    }
    let two = progress(&server, &job, &[("MaxPoints", "2")]).await;
    let points = items(&two, &["Points", "ProgressPoint"]);
    assert_eq!(points.len(), 2, "three days in two points of a day and a half");
    assert_eq!(points[0]["Succeeded"], 0, "a day and a half in, nothing had happened yet");
    assert_eq!(points[1]["Succeeded"], 40);
}

#[tokio::test]
async fn a_new_batchs_progress_follows_its_devices() {
    let server = Server::new().await;
    let (job, names) = hvac_batch(&server).await;
    let fresh = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &fresh, 240).await;
    assert_eq!(fresh["Interval"], 10, "a batch seconds old needs no wider interval");

    let mut devices = Devices::new(&server);
    devices.progress(HVAC, &names[0], "30").await;
    devices.version(HVAC, &names[0], "default", "1.9.0").await;
    devices.progress(HVAC, &names[1], "30").await;
    let data = progress(&server, &job, &[]).await;
    assert_well_formed(&server, &job, &data, 240).await;
    let last = counts(items(&data, &["Points", "ProgressPoint"]).last().unwrap());
    assert_eq!((last[0], last[4], last[5]), (12, 1, 1), "one in progress, one succeeded, of twelve");
}
