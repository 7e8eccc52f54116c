//! `cargo xtask bench [console|forms|api|analysis|engine|robustness]`: measurements written to docs/benchmarks.md, each between
//! its own markers (`<!-- xtask bench console: start -->` … `end -->`); the rest of that file is
//! prose kept by hand.

mod analysis;
mod api;
mod console;
mod forms;
mod robustness;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use ota_model::signature::AccessKey;

use crate::project::{Failure, Project, step};
use crate::server::TempDir;
use crate::setup;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// The console's transfer size, its first page's API calls, and the batch page on a
    /// million-task batch in Chromium.
    Console,
    /// The create forms in Chromium: digest throughput and submit to the new batch's page.
    Forms,
    /// The API on a million-task batch: latency at concurrency 1 and 32, throughput, memory, on
    /// SQLite and PostgreSQL (one server and two).
    Api,
    /// Data analysis: the version distribution and success-rate queries over 1,000,000
    /// devices, and chart first paint in Chromium.
    Analysis,
    /// The rollout engine: push-rate accuracy, a 10,000-device rollout over MQTT, ingestion, on
    /// SQLite and PostgreSQL (one server and two).
    Engine,
    /// What the server survives: fuzzed API calls, slow clients, fuzzed and flooded MQTT, and
    /// faults (SIGKILL, a full disk, a broker that goes) during a 2,000-device rollout.
    Robustness,
}

pub fn run(project: &Project, target: Option<Target>) -> Result<(), Failure> {
    // The tests' setup: Chromium, and mosquitto and PostgreSQL, which the engine and API
    // benchmarks run on too.
    setup::run(project, setup::Needs { browser: true })?;
    let server = project.build_release_server()?;
    let report = project.root.join("docs/benchmarks.md");
    if target.is_none_or(|t| t == Target::Console) {
        project.build_console()?;
        let sizes = step("console transfer size", || {
            console::transfer_sizes(&project.dist(), &crate::split::pages_manifest(project))
        })?;
        let latencies = step("API latency, demo data", || console::api_latencies(&server))?;
        let browser = console::browser_timings(project, &server)?;
        let section = format!("{sizes}\n{latencies}\n{browser}");
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "console", &section))?;
    }
    if target.is_none_or(|t| t == Target::Forms) {
        project.build_console()?;
        let section = forms::browser_timings(project, &server)?;
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "forms", &section))?;
    }
    if target.is_none_or(|t| t == Target::Api) {
        let section = api::run(&server)?;
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "api", &section))?;
    }
    if target.is_none_or(|t| t == Target::Analysis) {
        project.build_console()?;
        let section = analysis::run(project, &server)?;
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "analysis", &section))?;
    }
    if target.is_none_or(|t| t == Target::Robustness) {
        let attacks = robustness::run(&server)?;
        let faults = step("faults during a rollout (about 10 minutes)", || engine(project, Some("faults")))?;
        let section = format!("{attacks}\n{faults}");
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "robustness", &section))?;
    }
    if target.is_none_or(|t| t == Target::Engine) {
        let section = step("engine, on SQLite and PostgreSQL (about 12 minutes)", || engine(project, None))?;
        println!("\n{section}");
        step("write docs/benchmarks.md", || write_section(&report, "engine", &section))?;
    }
    Ok(())
}

/// Seeds the load-test fleet (`ota-server seed --load-test` with `args`) into `data`: what it
/// made (the JSON it prints last: `FirmwareId`, `JobId`, …) and how long seeding took.
fn seed_load_test(binary: &Path, data: &TempDir, args: &[&str]) -> Result<(serde_json::Value, Duration), Failure> {
    let fail = |e: String| Failure::new(e, "ota-server seed --load-test");
    let started = Instant::now();
    let output = Command::new(binary)
        .args(["seed", "--load-test"])
        .args(args)
        .arg("--data-dir")
        .arg(&data.0)
        .output()
        .map_err(|e| fail(format!("cannot run ota-server seed: {e}")))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{')).unwrap_or_default();
    let fleet = serde_json::from_str(line).map_err(|e| {
        fail(format!("the seed printed no fleet ({e}): {text}{}", String::from_utf8_lossy(&output.stderr)))
    })?;
    Ok((fleet, started.elapsed()))
}

/// Runs a Node script of end2end/bench in Chromium, the console in it signed in with `key`
/// (end2end/bench/credentials.mjs), and reads the JSON line it prints last.
fn node_json(
    project: &Project,
    script: &str,
    args: &[&str],
    key: &AccessKey,
    what: &str,
) -> Result<serde_json::Value, Failure> {
    let fail = |e: String| Failure::new(e, format!("node {script}"));
    let output = step(what, || {
        let mut command = project.command("node");
        command
            .current_dir(project.end2end())
            .arg(script)
            .args(args)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &key.access_key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &key.access_key_secret);
        let output = command.output().map_err(|e| fail(format!("cannot run node: {e}")))?;
        if !output.status.success() {
            return Err(fail(format!("{script} failed: {}", String::from_utf8_lossy(&output.stderr))));
        }
        Ok(output)
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{')).unwrap_or_default();
    serde_json::from_str(line).map_err(|e| fail(format!("{script} printed no timings ({e})")))
}

/// Runs the engine benchmark (crates/server/benches/engine), or one `part` of it, and takes
/// its Markdown section.
fn engine(project: &Project, part: Option<&str>) -> Result<String, Failure> {
    let mut command = project.command("cargo");
    command.args(["bench", "-p", "ota-server", "--bench", "engine", "--locked"]).current_dir(&project.root);
    if let Some(part) = part {
        command.args(["--", part]);
    }
    // The full run measures on PostgreSQL too.
    let cluster = if part.is_none() { Some(crate::postgres::Cluster::start()?) } else { None };
    if let Some(cluster) = &cluster {
        command.env("OTA_BENCH_POSTGRES", cluster.url("postgres"));
    }
    let shown = crate::project::describe(&command);
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let section = text
        .split_once("BENCH SECTION START\n")
        .and_then(|(_, rest)| rest.split_once("BENCH SECTION END"))
        .map(|(section, _)| section.to_owned());
    match section {
        Some(section) if output.status.success() => Ok(section),
        _ => Err(Failure::new(format!("the engine benchmark failed ({})", output.status), shown)),
    }
}

/// Replaces the section between the markers named `name` in `path`.
fn write_section(path: &std::path::Path, name: &str, section: &str) -> Result<(), Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench");
    let (start_marker, end_marker) =
        (format!("<!-- xtask bench {name}: start -->"), format!("<!-- xtask bench {name}: end -->"));
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
    let (Some(start), Some(end)) = (text.find(&start_marker), text.find(&end_marker)) else {
        return Err(fail(format!("{} lacks the {start_marker} … {end_marker} markers", path.display())));
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let date = crate::project::output(Command::new("date").args(["-u", "+%Y-%m-%d"])).unwrap_or_default();
    let updated = format!(
        "{}{start_marker}\n_Measured by `cargo xtask bench {name}` on {date}, {cores} cores._\n\n{section}{end_marker}{}",
        &text[..start],
        &text[end + end_marker.len()..]
    );
    std::fs::write(path, updated).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))
}
