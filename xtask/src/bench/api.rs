//! `cargo xtask bench api`: the API on a fleet of 100,000 devices with one batch of a million
//! tasks in a realistic spread of states. Latency of the task list (unfiltered and per state,
//! first and last allowed page), the per-state counts, QueryOTAJob and ListOTAJobByFirmware, at
//! concurrency 1 and 32; requests per second at 32; the server's peak memory.
//!
//! Targets on the 2-core machine: p99 ≤ 20 ms for every list at concurrency 1, ≥ 2,000
//! requests per second at 32, resident memory ≤ 300 MB.
//!
//! Every request is signed (v1, a new nonce each) with an admin key, inside the measured time,
//! as a real client signs it.

use std::path::Path;
use std::time::{Duration, Instant};

use ota_model::signature::AccessKey;

use crate::project::{Failure, seconds, step};
use crate::server::{Connection, TempDir, TestServer, signed};

const SEQUENTIAL: usize = 200;
const CONCURRENT: usize = 32;
const PER_CLIENT: usize = 50;
const P99_TARGET_MS: f64 = 20.0;
const THROUGHPUT_TARGET: f64 = 2000.0;
const RSS_TARGET_MB: f64 = 300.0;

struct Measured {
    name: String,
    is_list: bool,
    sequential: Vec<Duration>,
    concurrent: Vec<Duration>,
    per_second: f64,
}

pub fn run(binary: &Path) -> Result<String, Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench api");
    let data = TempDir::new("ota-bench-api")?;
    let (fleet, seeded_in) =
        step("seed 100,000 devices and a batch of 1,000,000 tasks", || super::seed_load_test(binary, &data, &[]))?;
    let job = fleet["JobId"].as_str().unwrap_or_default().to_owned();
    let firmware = fleet["FirmwareId"].as_str().unwrap_or_default().to_owned();
    let server = TestServer::start_on(binary, data, &[])?;

    let mut connection = Connection::open(server.port).map_err(|e| fail(e.to_string()))?;
    let statistics = signed(&format!("/?Action=QueryOTATaskStatistics&JobId={job}"), &server.admin);
    let (status, stats) = connection.get(&statistics).map_err(|e| fail(e.to_string()))?;
    if status != 200 {
        return Err(fail(format!("QueryOTATaskStatistics: HTTP {status}: {}", String::from_utf8_lossy(&stats))));
    }
    let stats: serde_json::Value = serde_json::from_slice(&stats).map_err(|e| fail(format!("statistics: {e}")))?;
    let list = |extra: &str, page: u64| {
        format!("/?Action=ListOTATaskByJob&JobId={job}&PageSize=100&CurrentPage={page}{extra}")
    };
    let mut calls: Vec<(String, String, bool)> = vec![
        ("ListOTATaskByJob, page 1".into(), list("", 1), true),
        ("ListOTATaskByJob, page 1,000 (the last allowed)".into(), list("", 1000), true),
    ];
    for (status, field) in [
        ("SUCCEEDED", "Succeeded"),
        ("FAILED", "Failed"),
        ("CANCELED", "Canceled"),
        ("QUEUED", "Queued"),
        ("NOTIFIED", "Notified"),
        ("IN_PROGRESS", "InProgress"),
        ("CONFIRM", "Confirm"),
    ] {
        let count = stats["Data"][field].as_u64().unwrap_or(0);
        let last = count.div_ceil(100).clamp(1, 1000);
        let filter = format!("&TaskStatus={status}");
        calls.push((format!("ListOTATaskByJob {status} ({count}), page 1"), list(&filter, 1), true));
        calls.push((format!("ListOTATaskByJob {status}, page {last} (last)"), list(&filter, last), true));
    }
    calls.push((
        "QueryOTATaskStatistics (per-state counts)".into(),
        format!("/?Action=QueryOTATaskStatistics&JobId={job}"),
        false,
    ));
    calls.push(("QueryOTAJob".into(), format!("/?Action=QueryOTAJob&JobId={job}"), false));
    calls.push((
        "ListOTAJobByFirmware, 31 batches".into(),
        format!("/?Action=ListOTAJobByFirmware&FirmwareId={firmware}&PageSize=50"),
        true,
    ));

    let mut results = Vec::new();
    for (name, path, is_list) in calls {
        let measured = step(&format!("measure {name}"), || measure(server.port, &server.admin, &name, &path, is_list))?;
        results.push(measured);
    }
    let peak_mb = peak_memory_mb(server.pid);
    drop(server);
    Ok(report(&results, peak_mb, seeded_in))
}

/// Measures `path`, given unsigned: each request is signed within its measured time.
fn measure(port: u16, key: &AccessKey, name: &str, path: &str, is_list: bool) -> Result<Measured, Failure> {
    let fail = |e: String| Failure::new(format!("{name}: {e}"), "cargo xtask bench api");
    let mut connection = Connection::open(port).map_err(|e| fail(e.to_string()))?;
    let mut sequential = Vec::with_capacity(SEQUENTIAL);
    for i in 0..SEQUENTIAL + 10 {
        let started = Instant::now();
        let (status, body) = connection.get(&signed(path, key)).map_err(|e| fail(e.to_string()))?;
        if status != 200 {
            return Err(fail(format!("HTTP {status}: {}", String::from_utf8_lossy(&body))));
        }
        if i >= 10 {
            sequential.push(started.elapsed());
        }
    }
    let started = Instant::now();
    let clients: Vec<_> = (0..CONCURRENT)
        .map(|_| {
            let (path, key) = (path.to_owned(), key.clone());
            std::thread::spawn(move || -> std::io::Result<Vec<Duration>> {
                let mut connection = Connection::open(port)?;
                let mut times = Vec::with_capacity(PER_CLIENT);
                for _ in 0..PER_CLIENT {
                    let started = Instant::now();
                    let (status, body) = connection.get(&signed(&path, &key))?;
                    if status != 200 {
                        let body = String::from_utf8_lossy(&body);
                        return Err(std::io::Error::other(format!("HTTP {status}: {body}")));
                    }
                    times.push(started.elapsed());
                }
                Ok(times)
            })
        })
        .collect();
    let mut concurrent = Vec::with_capacity(CONCURRENT * PER_CLIENT);
    for client in clients {
        let times =
            client.join().map_err(|_| fail("a client thread panicked".into()))?.map_err(|e| fail(e.to_string()))?;
        concurrent.extend(times);
    }
    let per_second = concurrent.len() as f64 / started.elapsed().as_secs_f64();
    Ok(Measured { name: name.to_owned(), is_list, sequential, concurrent, per_second })
}

/// The `q` quantile of `times`, in milliseconds.
pub(super) fn percentile(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0
}

/// The server's peak resident memory in MB (Linux).
fn peak_memory_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn report(results: &[Measured], peak_mb: Option<f64>, seeded_in: Duration) -> String {
    let mut table = format!(
        "### API on a million-task batch\n\n\
         `ota-server seed --load-test`: 100,000 devices, one batch of 1,000,000 tasks (60 % succeeded, \
         15 % failed, 10 % cancelled, the rest unfinished) and 30 small batches; seeded in {}. \
         Release build; {SEQUENTIAL} sequential requests on one kept-alive connection, then \
         {CONCURRENT} clients × {PER_CLIENT} requests; each request signed (v1, HMAC-SHA1, a new nonce) \
         within its measured time.\n\n\
         | call | p50, 1 client | p99, 1 client | p50, {CONCURRENT} clients | p99, {CONCURRENT} clients | requests/s, {CONCURRENT} clients |\n\
         |---|---:|---:|---:|---:|---:|\n",
        seconds(seeded_in.as_secs_f64())
    );
    let (mut worst_list_p99, mut lowest_throughput) = (0.0_f64, f64::MAX);
    for m in results {
        let (mut seq, mut con) = (m.sequential.clone(), m.concurrent.clone());
        let p99 = percentile(&mut seq, 0.99);
        if m.is_list {
            worst_list_p99 = worst_list_p99.max(p99);
        }
        lowest_throughput = lowest_throughput.min(m.per_second);
        table += &format!(
            "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} |\n",
            m.name,
            percentile(&mut seq, 0.5),
            p99,
            percentile(&mut con, 0.5),
            percentile(&mut con, 0.99),
            m.per_second
        );
    }
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    let memory = peak_mb.map_or("not measured".to_owned(), |mb| format!("{mb:.0} MB"));
    table += &format!(
        "\nTargets: p99 ≤ {P99_TARGET_MS} ms for every list at 1 client — worst {worst_list_p99:.2} ms, {}; \
         ≥ {THROUGHPUT_TARGET:.0} requests/s at {CONCURRENT} clients — lowest {lowest_throughput:.0}, {}; \
         peak resident memory ≤ {RSS_TARGET_MB:.0} MB — {memory}, {}.\n",
        verdict(worst_list_p99 <= P99_TARGET_MS),
        verdict(lowest_throughput >= THROUGHPUT_TARGET),
        verdict(peak_mb.is_some_and(|mb| mb <= RSS_TARGET_MB)),
    );
    table
}
