//! `cargo xtask bench forms`: the create forms in Chromium against a release ota-server with
//! the demo dataset: how fast the console's wasm computes a package file's SHA-256 and MD5
//! while the operator waits, and the time from "Create batch" to the new batch's page painted
//! (end2end/bench/forms.mjs).
//!
//! Target: SHA-256 at 100 MB/s or more.

use std::path::Path;

use crate::project::{Failure, Project};
use crate::server::{TempDir, TestServer, get, signed};

const SHA256_TARGET_MBPS: f64 = 100.0;

pub fn browser_timings(project: &Project, binary: &Path) -> Result<String, Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench forms");
    let dist = project.dist();
    let server = TestServer::start_on(
        binary,
        TempDir::new("ota-bench-forms")?,
        &["--seed-demo", "--console-dir", &dist.to_string_lossy()],
    )?;
    let origin = format!("http://127.0.0.1:{}", server.port);
    let firmware = demo_package(&server, "sm200-main-3_1_0")?;
    let timings = super::node_json(
        project,
        "bench/forms.mjs",
        &[&origin, &firmware],
        &server.admin,
        "hash, upload and create in Chromium",
    )?;
    drop(server);
    let sorted = |value: &serde_json::Value| {
        let mut values: Vec<f64> = value.as_array().into_iter().flatten().filter_map(|v| v.as_f64()).collect();
        values.sort_by(f64::total_cmp);
        values
    };
    let (sha256, md5, submits) =
        (sorted(&timings["hashing"]["SHA256"]), sorted(&timings["hashing"]["MD5"]), sorted(&timings["submits"]));
    if sha256.is_empty() || md5.is_empty() || submits.is_empty() {
        return Err(fail("bench/forms.mjs measured nothing".into()));
    }
    let at = |values: &[f64], q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    let file_mib = timings["fileMiB"].as_u64().unwrap_or_default();
    let mut table = format!(
        "### The create forms (Chromium, release wasm)\n\n\
         Digests: a {file_mib} MiB file chosen in the new-package form, {} rounds per algorithm, each in a \
         fresh browser context; timed between the console's own performance marks around the hashing \
         (slices of 4 MiB read from the file and fed to `ota_model::digest`). Submit: {} batches made \
         from the wizard's review (all devices of `sm200-main-3_1_0`), from the click on \"Create batch\" \
         to the new batch's first table of devices painted.\n\n\
         | measure | worst | median | best | target | |\n|---|---:|---:|---:|---:|---|\n",
        sha256.len(),
        submits.len()
    );
    table += &format!(
        "| SHA-256 in the browser | {:.0} MB/s | {:.0} MB/s | {:.0} MB/s | ≥ {SHA256_TARGET_MBPS:.0} MB/s | {} |\n",
        at(&sha256, 0.0),
        at(&sha256, 0.5),
        at(&sha256, 1.0),
        verdict(at(&sha256, 0.0) >= SHA256_TARGET_MBPS)
    );
    table += &format!(
        "| MD5 in the browser | {:.0} MB/s | {:.0} MB/s | {:.0} MB/s | | |\n",
        at(&md5, 0.0),
        at(&md5, 0.5),
        at(&md5, 1.0)
    );
    table += &format!(
        "| submit → batch page painted | {:.0} ms | {:.0} ms | {:.0} ms | | |\n",
        at(&submits, 1.0),
        at(&submits, 0.5),
        at(&submits, 0.0)
    );
    Ok(table)
}

/// The FirmwareId of the demo's package named `name`.
fn demo_package(server: &TestServer, name: &str) -> Result<String, Failure> {
    let fail = |e: String| Failure::new(format!("the demo package {name}: {e}"), "cargo xtask bench forms");
    let path = signed("/?Action=ListOTAFirmware&PageSize=100", &server.admin);
    let (status, answer) = get(server.port, &path).map_err(|e| fail(e.to_string()))?;
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    if status != 200 {
        return Err(fail(format!("ListOTAFirmware answered HTTP {status}: {body}")));
    }
    let listed: serde_json::Value = serde_json::from_str(body).map_err(|e| fail(e.to_string()))?;
    listed["FirmwareInfo"]["SimpleFirmwareInfo"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["FirmwareName"] == name)
        .and_then(|package| package["FirmwareId"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| fail("not listed".into()))
}
