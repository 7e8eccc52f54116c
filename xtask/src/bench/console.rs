//! `cargo xtask bench console`: what a user waits for when opening the console: its transfer
//! size on first load (raw and gzip -9), the latency of the calls its first page makes against
//! a release ota-server with the demo dataset, and, in Chromium against a batch of a million
//! tasks, opening the batch page and switching its state tabs.
//!
//! Targets: first load ≤ 300 KB gzip; a batch page's first table painted ≤ 1 s; switching
//! state tabs until the rows are painted, p95 ≤ 150 ms.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::project::{Failure, Project, seconds, step};
use crate::server::{TempDir, TestServer, get, signed};

const REQUESTS: usize = 500;
const TRANSFER_TARGET_KIB: f64 = 300.0 * 1000.0 / 1024.0;
const OPEN_TARGET_MS: f64 = 1000.0;
const SWITCH_P95_TARGET_MS: f64 = 150.0;

/// What the browser fetches on first load (the page, its scripts, the main wasm, style,
/// config), then what opening each page first adds: its chunks of the split wasm, as listed
/// by `cargo xtask post-build` in `pages` (xtask/src/split.rs).
pub fn transfer_sizes(dist: &Path, pages: &Path) -> Result<String, Failure> {
    let fail = |e: std::io::Error| Failure::new(format!("cannot read {}: {e}", dist.display()), "cargo xtask bench");
    let mut shell = Vec::new();
    let mut chunks = std::collections::HashMap::new();
    for entry in std::fs::read_dir(dist).map_err(fail)? {
        let path = entry.map_err(fail)?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let chunk = name.ends_with(".wasm") && !name.ends_with("_bg.wasm");
        let loaded = ["index.html", "config.json"].contains(&name.as_str())
            || [".js", ".wasm", ".css"].iter().any(|ext| name.ends_with(ext));
        if !loaded {
            continue;
        }
        let size = Size::of(&std::fs::read(&path).map_err(fail)?);
        if chunk {
            chunks.insert(name, size);
        } else {
            shell.push((name, size));
        }
    }
    shell.sort_by_key(|row| std::cmp::Reverse(row.1.raw));
    let first = shell.iter().fold(Size::default(), |sum, row| sum + row.1);
    let mut table = String::from(
        "### Console transfer size (first load)\n\nOpening the console at its address (the list of environments):\n\n\
         | file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|\n",
    );
    for (name, size) in &shell {
        table += &format!("| {} | {} | {} | {} |\n", trim_hash(name), kib(size.raw), kib(size.gzip), kib(size.brotli));
    }
    table += &format!("| **total** | **{}** | **{}** | **{}** |\n", kib(first.raw), kib(first.gzip), kib(first.brotli));
    let met = if first.gzip as f64 / 1024.0 <= TRANSFER_TARGET_KIB { "met" } else { "**missed**" };
    table += &format!("\nTarget: at most 300 KB (293.0 KiB) gzip on first load: {met}.\n");
    if !chunks.is_empty() {
        table += &page_sizes(pages, &chunks, first)?;
    }
    Ok(table)
}

/// A page opened first (a deep link, or the first visit to it) fetches its own chunks.
fn page_sizes(pages: &Path, chunks: &std::collections::HashMap<String, Size>, first: Size) -> Result<String, Failure> {
    let text = std::fs::read_to_string(pages)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", pages.display()), "trunk build --release"))?;
    let pages: std::collections::BTreeMap<String, Vec<String>> = serde_json::from_str(&text)
        .map_err(|e| Failure::new(format!("{} is not a page list: {e}", pages.display()), "trunk build --release"))?;
    let mut rows = Vec::new();
    for (page, files) in pages {
        let mut added = Size::default();
        for file in &files {
            added = added
                + *chunks.get(file).ok_or_else(|| {
                    Failure::new(format!("{file}, which {page} needs, is not in dist/"), "trunk build --release")
                })?;
        }
        rows.push((page, files.len(), added));
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.2.gzip));
    let mut table = String::from(
        "\nOpening a page first (a deep link) adds the code of its group of pages (src/app.rs), fetched as it opens:\n\n\
         | group of pages | files | gzip -9 | brotli 11 | with the first load, gzip | brotli |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (page, files, added) in rows {
        let total = first + added;
        table += &format!(
            "| {page} | {files} | {} | {} | {} | {} |\n",
            kib(added.gzip),
            kib(added.brotli),
            kib(total.gzip),
            kib(total.brotli)
        );
    }
    Ok(table)
}

/// A file's bytes as stored and as sent compressed.
#[derive(Clone, Copy, Default)]
struct Size {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl Size {
    fn of(bytes: &[u8]) -> Self {
        let brotli = crate::precompress::brotli_bytes(bytes).map_or(0, |b| b.len());
        Self { raw: bytes.len(), gzip: gzip_size(bytes), brotli }
    }
}

impl std::ops::Add for Size {
    type Output = Size;
    fn add(self, other: Size) -> Size {
        Size { raw: self.raw + other.raw, gzip: self.gzip + other.gzip, brotli: self.brotli + other.brotli }
    }
}

fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|out| out.len()).unwrap_or(0)
}

/// `ota-console-0123456789abcdef_bg.wasm` → `ota-console-…_bg.wasm`: hashes change every build.
fn trim_hash(name: &str) -> String {
    let Some((stem, rest)) = name.split_once('.') else {
        return name.to_owned();
    };
    let (stem, suffix) = stem.strip_suffix("_bg").map_or((stem, ""), |s| (s, "_bg"));
    match stem.rsplit_once('-') {
        Some((base, hash)) if (12..=16).contains(&hash.len()) => format!("{base}-…{suffix}.{rest}"),
        _ => name.to_owned(),
    }
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Sequential requests over fresh loopback connections, as a browser's first calls are, each
/// signed (v1) within its measured time.
pub fn api_latencies(server: &Path) -> Result<String, Failure> {
    let server = TestServer::start(server)?;
    let port = server.port;
    let fail = |e: String| Failure::new(e, "cargo xtask bench");
    let first_page = "/?Action=ListOTAFirmware&PageSize=10&CurrentPage=1";
    let (_, list) = get(port, &signed(first_page, &server.admin)).map_err(|e| fail(e.to_string()))?;
    let body = list.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let listed: serde_json::Value = serde_json::from_str(body).map_err(|e| fail(format!("the package list: {e}")))?;
    let newest = listed["FirmwareInfo"]["SimpleFirmwareInfo"][0]["FirmwareId"]
        .as_str()
        .ok_or_else(|| fail("the demo database lists no package".into()))?;
    let query = format!("/?Action=QueryOTAFirmware&FirmwareId={newest}");
    let calls = [
        ("ListOTAFirmware, first page of 10", first_page),
        ("ListOTAFirmware, keyword search", "/?Action=ListOTAFirmware&PageSize=10&Keyword=gw4"),
        ("QueryOTAFirmware, newest package", query.as_str()),
    ];
    let mut table = format!(
        "### API latency ({REQUESTS} sequential requests each, new connection per request, each signed)\n\n\
         | call | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|\n"
    );
    for (name, path) in calls {
        let mut times = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            // Signing is part of what a client waits for.
            let started = Instant::now();
            let (status, _) = get(port, &signed(path, &server.admin)).map_err(|e| fail(format!("{name}: {e}")))?;
            times.push(started.elapsed());
            if status != 200 {
                return Err(fail(format!("{name}: HTTP {status}")));
            }
        }
        times.sort();
        let at = |q: f64| millis(times[((times.len() - 1) as f64 * q) as usize]);
        table += &format!("| {name} | {} | {} | {} | {} |\n", at(0.5), at(0.95), at(0.99), at(1.0));
    }
    drop(server);
    Ok(table)
}

/// Chromium against a batch of a million tasks (`ota-server seed --load-test`): opening the
/// batch page with nothing cached until its first table is painted, and switching state tabs
/// until the new rows are painted (end2end/bench/console.mjs).
pub fn browser_timings(project: &Project, binary: &Path) -> Result<String, Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench console");
    let data = TempDir::new("ota-bench-console")?;
    let (fleet, seeded_in) = step("seed a batch of 1,000,000 tasks", || super::seed_load_test(binary, &data, &[]))?;
    let seeded = seconds(seeded_in.as_secs_f64());
    let (job, firmware) =
        (fleet["JobId"].as_str().unwrap_or_default(), fleet["FirmwareId"].as_str().unwrap_or_default());
    let dist = project.dist();
    let server = TestServer::start_on(binary, data, &["--console-dir", &dist.to_string_lossy()])?;
    let origin = format!("http://127.0.0.1:{}", server.port);
    let timings = super::node_json(
        project,
        "bench/console.mjs",
        &[&origin, firmware, job],
        &server.admin,
        "time the batch page in Chromium",
    )?;
    drop(server);
    let sorted = |name: &str| {
        let mut values: Vec<f64> = timings[name].as_array().into_iter().flatten().filter_map(|v| v.as_f64()).collect();
        values.sort_by(f64::total_cmp);
        values
    };
    let (opens, switches) = (sorted("opens"), sorted("switches"));
    if opens.is_empty() || switches.is_empty() {
        return Err(fail("bench/console.mjs measured nothing".into()));
    }
    let at = |values: &[f64], q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    let mut table = format!(
        "### The batch page on a million-task batch (Chromium)\n\n\
         `ota-server seed --load-test` (seeded in {seeded}), release build, console served by it; \
         1280×800. Opening: {} fresh browser contexts (nothing cached), navigation start to the first \
         painted table of devices. Switching: {} clicks on the state tabs, click to the new rows painted.\n\n\
         | measure | p50 | p95 | max | target | |\n|---|---:|---:|---:|---:|---|\n",
        opens.len(),
        switches.len()
    );
    table += &format!(
        "| open the batch page | {:.0} ms | {:.0} ms | {:.0} ms | ≤ {OPEN_TARGET_MS:.0} ms | {} |\n",
        at(&opens, 0.5),
        at(&opens, 0.95),
        at(&opens, 1.0),
        verdict(at(&opens, 1.0) <= OPEN_TARGET_MS)
    );
    table += &format!(
        "| switch state tabs | {:.0} ms | {:.0} ms | {:.0} ms | p95 ≤ {SWITCH_P95_TARGET_MS:.0} ms | {} |\n",
        at(&switches, 0.5),
        at(&switches, 0.95),
        at(&switches, 1.0),
        verdict(at(&switches, 0.95) <= SWITCH_P95_TARGET_MS)
    );
    Ok(table)
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::trim_hash;

    #[test]
    fn build_hashes_are_left_out_of_file_names() {
        assert_eq!(trim_hash("ota-console-0123456789abcdef_bg.wasm"), "ota-console-…_bg.wasm");
        assert_eq!(trim_hash("main-0123456789abcdef.css"), "main-….css");
        assert_eq!(trim_hash("index.html"), "index.html");
    }
}
