//! `cargo xtask bench robustness`: what the server survives on this machine, in figures.
//!
//! - Fuzzed API calls: every Action the server announces, with random, oversized, wrongly
//!   typed, duplicated and unicode parameters, signed so that they reach the decoders:
//!   answers by class (target: no 5xx), panics in the server's log (target: none), its memory
//!   before and after.
//! - Slow clients: connections that trickle their request bytes, while honest clients call;
//!   the honest latency before and during.
//! - Fuzzed MQTT: garbage bytes, wrong logins, idle connections, oversized packets and
//!   payloads, foreign topics and SUBSCRIBE floods, while honest devices report progress; the
//!   refusals the server counted, and the honest devices' report latency (to PUBACK).
//!
//! Faults during a rollout (the server killed, the broker cut, the disk full) are the engine
//! benchmark's `faults` part (crates/server/benches/engine/faults.rs), which `bench robustness`
//! runs after these.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ota_model::signature::{self, AccessKey};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::project::{Failure, step};
use crate::server::{Connection, TestServer, get, signed};

mod mqtt;
mod report;

/// Fuzzed calls in all, over this many clients.
const FUZZ_CALLS: usize = 100_000;
const FUZZ_CLIENTS: usize = 4;
const TRICKLERS: usize = 1000;
const HONEST_DEVICES: usize = 200;
/// How long each disturbance lasts, and the quiet measurement before it.
const DISTURBANCE: Duration = Duration::from_secs(20);
const QUIET: Duration = Duration::from_secs(5);

/// Names the API takes, for the fuzzer to aim at the decoders.
const NAMES: &[&str] = &[
    "ProductKey",
    "DeviceName",
    "IotId",
    "FirmwareId",
    "JobId",
    "TaskId",
    "ModuleName",
    "DestVersion",
    "SrcVersion",
    "FirmwareName",
    "FirmwareUrl",
    "FirmwareSign",
    "FirmwareSize",
    "SignMethod",
    "NeedToVerify",
    "TargetSelection",
    "TargetDeviceName",
    "GrayPercent",
    "GroupId",
    "GroupType",
    "DnListFileUrl",
    "ScheduleTime",
    "ScheduleFinishTime",
    "RetryInterval",
    "RetryCount",
    "TimeoutInMinutes",
    "MaximumPerMinute",
    "RateType",
    "GrowthFactor",
    "GrowthOn",
    "OverwriteMode",
    "NeedPush",
    "NeedConfirm",
    "DownloadProtocol",
    "MultiModuleMode",
    "DynamicMode",
    "DryRun",
    "Tag",
    "TaskStatus",
    "TaskStatusList",
    "PageSize",
    "CurrentPage",
    "Keyword",
    "FileSuffix",
    "MultiFiles",
    "Cursor",
    "StartTime",
    "EndTime",
    "Outcome",
    "UserName",
    "Password",
    "ProductName",
    "NodeType",
    "IotInstanceId",
    "Version",
    "Top",
    "MaxPoints",
    "CancelQueuedTask",
    "CancelNotifiedTask",
    "CancelInProgressTask",
    "FirmwareDesc",
    "Udi",
];

pub fn run(binary: &Path) -> Result<String, Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench robustness");
    let log = crate::server::TempDir::new("ota-bench-robustness-log")?;
    let log_file = log.0.join("server.log");
    let server = TestServer::start_logged(binary, &log_file)?;
    let actions = announced_actions(&server).map_err(fail)?;
    let api = step(&format!("fuzz {FUZZ_CALLS} API calls"), || Ok(fuzz_api(&server, &actions, 0)))?;
    // As many again, other calls: whether the memory levels off.
    let again = step(&format!("fuzz {FUZZ_CALLS} more"), || Ok(fuzz_api(&server, &actions, 1)))?;
    let slow = step(&format!("{TRICKLERS} slow clients"), || Ok(slow_clients(&server)))?;
    let devices = step("MQTT fuzz and floods", || mqtt::run(&server))?;
    let alive = get(server.port, "/healthz").is_ok_and(|(status, _)| status == 200);
    drop(server);
    let log = std::fs::read_to_string(&log_file).unwrap_or_default();
    let panics = log.matches("panicked at").count();
    Ok(report::markdown(&api, &again, &slow, &devices, alive, panics, actions.len()))
}

/// The Actions QueryOTACapabilities lists.
fn announced_actions(server: &TestServer) -> Result<Vec<String>, String> {
    let (status, body) = get(server.port, &signed("/?Action=QueryOTACapabilities", &server.admin))
        .map_err(|e| format!("QueryOTACapabilities: {e}"))?;
    let json = body.split_once("\r\n\r\n").map_or("", |(_, json)| json);
    let answer: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("capabilities ({status}): {e}"))?;
    let actions = answer["Data"]["Actions"]["Action"].as_array().cloned().unwrap_or_default();
    // The event stream never ends by itself; it has its own bound (event subscribers).
    let calls = actions.iter().filter_map(|a| a.as_str()).filter(|a| *a != "SubscribeOTAEvents");
    Ok(calls.map(str::to_owned).collect())
}

#[derive(Default)]
pub struct ApiFuzz {
    calls: u64,
    ok: u64,
    client_errors: u64,
    server_errors: u64,
    /// The first few 5xx, as `Action: status`.
    examples: Vec<String>,
    broken_connections: u64,
    rss_before_mb: Option<f64>,
    rss_after_mb: Option<f64>,
    took: Duration,
}

/// [`FUZZ_CALLS`] calls; each `round` makes other ones.
fn fuzz_api(server: &TestServer, actions: &[String], round: u64) -> ApiFuzz {
    let rss_before_mb = current_rss_mb(server.pid);
    let started = Instant::now();
    let clients: Vec<_> = (0..FUZZ_CLIENTS)
        .map(|client| {
            let (port, key, actions) = (server.port, server.admin.clone(), actions.to_vec());
            std::thread::spawn(move || fuzz_client(port, &key, &actions, round * 1000 + client as u64))
        })
        .collect();
    let mut total = ApiFuzz::default();
    for client in clients {
        let Ok(part) = client.join() else { continue };
        total.calls += part.calls;
        total.ok += part.ok;
        total.client_errors += part.client_errors;
        total.server_errors += part.server_errors;
        total.broken_connections += part.broken_connections;
        total.examples.extend(part.examples.into_iter().take(5));
    }
    total.took = started.elapsed();
    total.rss_before_mb = rss_before_mb;
    total.rss_after_mb = current_rss_mb(server.pid);
    total
}

fn fuzz_client(port: u16, key: &AccessKey, actions: &[String], seed: u64) -> ApiFuzz {
    let mut rng = StdRng::seed_from_u64(0x0fa5_7e57 + seed);
    let mut outcome = ApiFuzz::default();
    let mut connection = Connection::open(port).ok();
    for _ in 0..FUZZ_CALLS / FUZZ_CLIENTS {
        let action = if rng.gen_ratio(1, 50) { "NoSuchAction".to_owned() } else { pick(&mut rng, actions).clone() };
        let path = fuzzed_call(&mut rng, &action);
        let path = if rng.gen_ratio(1, 20) { path } else { signed(&path, key) };
        let answered = match connection.as_mut() {
            Some(open) => open.get(&path),
            None => Err(std::io::Error::other("not connected")),
        };
        outcome.calls += 1;
        match answered {
            Ok((status, _)) if status >= 500 => {
                outcome.server_errors += 1;
                if outcome.examples.len() < 5 {
                    outcome.examples.push(format!("{action}: {status}"));
                }
            }
            Ok((status, _)) if status >= 400 => outcome.client_errors += 1,
            Ok(_) => outcome.ok += 1,
            Err(_) => {
                // A closed connection (a 414 answer closes it, say): open another.
                outcome.broken_connections += 1;
                connection = Connection::open(port).ok();
            }
        }
    }
    outcome
}

/// `/?Action=…&…` with random parameters: known names and junk, lists, records and
/// duplicates, with values of every wrong kind.
fn fuzzed_call(rng: &mut StdRng, action: &str) -> String {
    let mut pairs = vec![("Action".to_owned(), action.to_owned())];
    for _ in 0..rng.gen_range(0..12) {
        let base = if rng.gen_ratio(1, 8) { junk(rng, 12) } else { (*pick(rng, NAMES)).to_owned() };
        let name = match rng.gen_range(0..10) {
            0 => format!("{base}.{}", pick(rng, &["1", "2", "0", "-1", "4294967296", "99999999999999999999", "x"])),
            1 => format!("{base}.{}.{}", rng.gen_range(0..5), pick(rng, &["Key", "Value", "Name", "Url", "Size"])),
            _ => base,
        };
        let value = fuzzed_value(rng);
        if rng.gen_ratio(1, 10) {
            pairs.push((name.clone(), fuzzed_value(rng)));
        }
        pairs.push((name, value));
    }
    if rng.gen_ratio(1, 30) {
        pairs.push(("Version".to_owned(), junk(rng, 10)));
    }
    let query: Vec<String> =
        pairs.iter().map(|(n, v)| format!("{}={}", signature::encode(n), signature::encode(v))).collect();
    format!("/?{}", query.join("&"))
}

fn fuzzed_value(rng: &mut StdRng) -> String {
    const ODD: &[&str] = &[
        "",
        "0",
        "-1",
        "1",
        "2147483648",
        "-9223372036854775809",
        "99999999999999999999999",
        "1.5",
        "1e309",
        "NaN",
        "true",
        "TRUE",
        "yes",
        "null",
        "[]",
        "{}",
        "{\"a\":",
        "2026-12-07T00:00:00Z",
        "1700000000000",
        "9999-99-99T99:99:99Z",
        "../../etc/passwd",
        "' OR 1=1 --",
        "更新パッケージ🚀",
        "\u{202e}txt.exe",
        "a\u{0}b",
        "%00",
        "\r\nX-Injected: 1",
        "ALL",
        "SPECIFIC",
        "GRAY",
        "QUEUED,FAILED",
        "default",
    ];
    match rng.gen_range(0..10) {
        0 => "x".repeat(rng.gen_range(100..20_000)),
        1 => "é".repeat(rng.gen_range(10..2_000)),
        2 => junk(rng, 40),
        3 => rng.r#gen::<i64>().to_string(),
        _ => (*pick(rng, ODD)).to_owned(),
    }
}

fn junk(rng: &mut StdRng, most: usize) -> String {
    let length = rng.gen_range(0..=most);
    (0..length).map(|_| char::from_u32(rng.gen_range(0x20..0x2FFF)).unwrap_or('?')).collect()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn current_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub struct SlowClients {
    quiet: Vec<Duration>,
    disturbed: Vec<Duration>,
    honest_failures: u64,
    /// Times the server cut a trickling connection off (and it opened another).
    cut_off: u64,
}

/// Honest QueryOTACapabilities calls, first alone, then while connections trickle their bytes.
fn slow_clients(server: &TestServer) -> SlowClients {
    let (quiet, _) = honest_calls(server, QUIET);
    let stop = Arc::new(AtomicBool::new(false));
    let cut_off = Arc::new(AtomicU64::new(0));
    let trickling = {
        let (port, stop, cut_off) = (server.port, stop.clone(), cut_off.clone());
        std::thread::spawn(move || trickle(port, &stop, &cut_off))
    };
    std::thread::sleep(Duration::from_secs(2));
    let (disturbed, honest_failures) = honest_calls(server, DISTURBANCE);
    stop.store(true, Ordering::Relaxed);
    let _ = trickling.join();
    SlowClients { quiet, disturbed, honest_failures, cut_off: cut_off.load(Ordering::Relaxed) }
}

/// [`TRICKLERS`] connections sending one byte of a request head every half second; a
/// connection the server closes is opened again.
fn trickle(port: u16, stop: &AtomicBool, cut_off: &AtomicU64) {
    const HEAD: &[u8] = b"GET /?Action=QueryOTACapabilities HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let open = || {
        let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_nonblocking(true).ok()?;
        Some(stream)
    };
    let mut streams: Vec<(Option<TcpStream>, usize)> = (0..TRICKLERS).map(|_| (open(), 0)).collect();
    while !stop.load(Ordering::Relaxed) {
        for (stream, sent) in &mut streams {
            let byte = HEAD.get(*sent).copied().unwrap_or(b'x');
            let written = stream.as_mut().is_some_and(|s| matches!(s.write(&[byte]), Ok(1)));
            if written {
                *sent += 1;
            } else {
                cut_off.fetch_add(1, Ordering::Relaxed);
                (*stream, *sent) = (open(), 0);
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Two clients calling for `length`: the latencies, and the calls that failed.
fn honest_calls(server: &TestServer, length: Duration) -> (Vec<Duration>, u64) {
    let clients: Vec<_> = (0..2)
        .map(|_| {
            let (port, key) = (server.port, server.admin.clone());
            std::thread::spawn(move || {
                let (mut times, mut failures) = (Vec::new(), 0);
                let until = Instant::now() + length;
                let mut connection = Connection::open(port).ok();
                while Instant::now() < until {
                    let started = Instant::now();
                    let path = signed("/?Action=QueryOTACapabilities", &key);
                    match connection.as_mut().map(|c| c.get(&path)) {
                        Some(Ok((200, _))) => times.push(started.elapsed()),
                        _ => {
                            failures += 1;
                            connection = Connection::open(port).ok();
                        }
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                (times, failures)
            })
        })
        .collect();
    clients.into_iter().filter_map(|c| c.join().ok()).fold((Vec::new(), 0), |(mut all, failed), (times, f)| {
        all.extend(times);
        (all, failed + f)
    })
}

/// Reads a whole answer's head and body from a raw stream (for the metrics scrape).
pub fn scrape_metrics(port: u16) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    let _ = write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text
}
