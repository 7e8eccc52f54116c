//! `cargo bench -p ota-server --bench engine`, run by `cargo xtask bench engine`: the rollout
//! engine's push rate, a 10,000-device rollout over MQTT with simulated devices, and the
//! ingestion of progress reports, on SQLite and (with `OTA_BENCH_POSTGRES`) on PostgreSQL with one
//! server and two; and, asked for alone, faults during a 2,000-device rollout.
//! Prints the Markdown section for docs/benchmarks.md between `BENCH SECTION START` and
//! `BENCH SECTION END` lines.

mod faults;
mod fleet;
mod rate;
mod servers;

use std::time::Duration;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    // `-- rate`, `-- fleet`, `-- postgres` or `-- ingest` (a part of fleet) runs one part; `-- faults` runs
    // the fault campaign, which `cargo xtask bench robustness` asks for. Cargo passes `--bench` too.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    let section = runtime.block_on(async {
        let mut parts = Vec::new();
        if wanted("rate") {
            parts.push(rate::measure().await);
        }
        if wanted("fleet") {
            parts.push(fleet::measure(None).await);
        } else if only.iter().any(|o| o == "ingest") {
            parts.push(fleet::ingestion_alone().await);
        }
        // On PostgreSQL (a server `cargo xtask bench engine` starts): the rollout and the
        // ingestion on one server, and the ingestion by two.
        let postgres = std::env::var("OTA_BENCH_POSTGRES").ok().filter(|url| !url.is_empty());
        if let Some(postgres) = postgres.filter(|_| wanted("postgres")) {
            let database = servers::create_database(&postgres, "ota_bench_fleet").await;
            parts.push(fleet::measure(Some(&database)).await);
            parts.push(servers::measure(&postgres).await);
        }
        if only.iter().any(|o| o == "faults") {
            parts.push(faults::measure().await);
        }
        parts.join("\n")
    });
    println!("BENCH SECTION START\n{section}BENCH SECTION END");
}

/// `12.3 s`
fn secs(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

/// The peak resident memory of a process, from /proc, in MB.
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
