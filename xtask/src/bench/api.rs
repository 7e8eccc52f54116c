//! `cargo xtask bench api`: the API on a fleet of 100,000 devices with one batch of a million
//! tasks in a realistic spread of states. Latency of the task list (unfiltered and per state,
//! first and last allowed page), the per-state counts, QueryOTAJob and ListOTAJobByFirmware, at
//! concurrency 1 and 32; requests per second at 32; the server's peak memory.
//!
//! Targets on the 2-core machine: p99 ≤ 20 ms for every list at concurrency 1, ≥ 2,000
//! requests per second at 32, resident memory ≤ 300 MB.
//!
//! Every request is signed (v1, a new nonce each) with an admin key, inside the measured time,
//! as a real client signs it. The same data is then copied into PostgreSQL (a temporary
//! cluster) and measured again, with one server and with two.

use std::path::Path;
use std::process::Command;
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
/// The calls measured again with two servers.
const TWO_SERVER_CALLS: [&str; 3] =
    ["ListOTATaskByJob, page 1", "QueryOTATaskStatistics (per-state counts)", "QueryOTAJob"];

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
    // The same data in PostgreSQL, copied before a server opens the SQLite file.
    let cluster = crate::postgres::Cluster::start()?;
    let database = cluster.url("postgres");
    let started = Instant::now();
    step("copy it into PostgreSQL (ota-server migrate-store)", || {
        let mut copy = Command::new(binary);
        copy.args(["migrate-store", "--to", &database]).arg("--from").arg(data.0.join("ota.db"));
        json_or_text(&mut copy).map(drop)
    })?;
    let migrated_in = started.elapsed();

    let server = TestServer::start_on(binary, data, &[])?;
    let calls = calls(&server, &job, &firmware).map_err(fail)?;
    let sqlite = measure_all(&server, &calls)?;
    let sqlite_peak = peak_memory_mb(server.pid);
    drop(server);

    let first = TestServer::start_on(binary, TempDir::new("ota-bench-api-pg")?, &["--database", &database])?;
    let postgres = measure_all(&first, &calls)?;
    let postgres_peak = peak_memory_mb(first.pid);
    // A second server on the same database, sealing with the same master key.
    let second_dir = TempDir::new("ota-bench-api-pg2")?;
    std::fs::copy(first.data_dir().join("master.key"), second_dir.0.join("master.key"))
        .map_err(|e| fail(format!("copying the master key: {e}")))?;
    let second = TestServer::start_on(binary, second_dir, &["--database", &database])?;
    let mut both = Vec::new();
    for (name, path, _) in calls.iter().filter(|(name, _, _)| TWO_SERVER_CALLS.contains(&name.as_str())) {
        let per_second = step(&format!("two servers: {name}"), || {
            concurrent(&[first.port, second.port], &first.admin, path).map(|(_, per_second)| per_second)
        })?;
        let alone = postgres.iter().find(|m| &m.name == name).map_or(0.0, |m| m.per_second);
        both.push((name.clone(), alone, per_second));
    }
    drop((first, second, cluster));
    let mut section = report("SQLite", &sqlite, sqlite_peak, seeded_in, None);
    section += "\n";
    section += &report("PostgreSQL", &postgres, postgres_peak, seeded_in, Some(migrated_in));
    section += &two_servers_report(&both);
    Ok(section)
}

/// The calls measured: (name, path, whether it is a list).
fn calls(server: &TestServer, job: &str, firmware: &str) -> Result<Vec<(String, String, bool)>, String> {
    let mut connection = Connection::open(server.port).map_err(|e| e.to_string())?;
    let statistics = signed(&format!("/?Action=QueryOTATaskStatistics&JobId={job}"), &server.admin);
    let (status, stats) = connection.get(&statistics).map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("QueryOTATaskStatistics: HTTP {status}: {}", String::from_utf8_lossy(&stats)));
    }
    let stats: serde_json::Value = serde_json::from_slice(&stats).map_err(|e| format!("statistics: {e}"))?;
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
    Ok(calls)
}

fn measure_all(server: &TestServer, calls: &[(String, String, bool)]) -> Result<Vec<Measured>, Failure> {
    calls
        .iter()
        .map(|(name, path, is_list)| {
            step(&format!("measure {name}"), || measure(server.port, &server.admin, name, path, *is_list))
        })
        .collect()
}

/// Runs `command`, which must succeed; its output.
fn json_or_text(command: &mut Command) -> Result<String, Failure> {
    let shown = crate::project::describe(command);
    let output = command.output().map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
    if !output.status.success() {
        let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        return Err(Failure::new(format!("`{shown}` failed: {said}"), shown));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
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
    let (concurrent, per_second) = concurrent(&[port], key, path).map_err(|e| fail(e.what))?;
    Ok(Measured { name: name.to_owned(), is_list, sequential, concurrent, per_second })
}

/// {CONCURRENT} clients, spread evenly over the servers at `ports`, each making {PER_CLIENT}
/// requests of `path`: every request's time, and requests per second in all.
fn concurrent(ports: &[u16], key: &AccessKey, path: &str) -> Result<(Vec<Duration>, f64), Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench api");
    let started = Instant::now();
    let clients: Vec<_> = (0..CONCURRENT)
        .map(|n| {
            let (port, path, key) = (ports[n % ports.len()], path.to_owned(), key.clone());
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
    let mut all = Vec::with_capacity(CONCURRENT * PER_CLIENT);
    for client in clients {
        let times =
            client.join().map_err(|_| fail("a client thread panicked".into()))?.map_err(|e| fail(e.to_string()))?;
        all.extend(times);
    }
    let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
    Ok((all, per_second))
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

fn report(
    backend: &str,
    results: &[Measured],
    peak_mb: Option<f64>,
    seeded_in: Duration,
    migrated_in: Option<Duration>,
) -> String {
    let origin = match migrated_in {
        None => format!(
            "`ota-server seed --load-test`: 100,000 devices, one batch of 1,000,000 tasks (60 % succeeded, \
             15 % failed, 10 % cancelled, the rest unfinished) and 30 small batches; seeded in {}.",
            seconds(seeded_in.as_secs_f64())
        ),
        Some(migrated_in) => format!(
            "The same data copied from the SQLite file by `ota-server migrate-store` (verified table by \
             table) in {}, into PostgreSQL 15 on the same machine (Debian's defaults: 128 MB shared buffers; \
             fsync off, as in the tests, which flatters writes and not these reads).",
            seconds(migrated_in.as_secs_f64())
        ),
    };
    let mut table = format!(
        "### API on a million-task batch, {backend}\n\n{origin} \
         Release build; {SEQUENTIAL} sequential requests on one kept-alive connection, then \
         {CONCURRENT} clients × {PER_CLIENT} requests; each request signed (v1, HMAC-SHA1, a new nonce) \
         within its measured time.\n\n\
         | call | p50, 1 client | p99, 1 client | p50, {CONCURRENT} clients | p99, {CONCURRENT} clients | requests/s, {CONCURRENT} clients |\n\
         |---|---:|---:|---:|---:|---:|\n"
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

/// Requests per second at {CONCURRENT} clients: on one PostgreSQL server, and spread over two.
fn two_servers_report(rows: &[(String, f64, f64)]) -> String {
    let mut table = format!(
        "\n### Two servers on one PostgreSQL database\n\n\
         {CONCURRENT} clients × {PER_CLIENT} requests, half of the clients on each server; both servers, \
         PostgreSQL and the clients share the same 2 cores.\n\n\
         | call | requests/s, one server | requests/s, two servers |\n|---|---:|---:|\n"
    );
    for (name, one, two) in rows {
        table += &format!("| {name} | {one:.0} | {two:.0} |\n");
    }
    table
}
