//! `cargo xtask test`: every check CI runs, in order, continuing past failures where the
//! later checks still mean something. Ends with one line, `N passed, N failed`: each test of
//! `cargo test` and of Playwright counts once, and so does each other check.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};

use crate::postgres;
use crate::project::{Failure, Project, describe, free_port, step};
use crate::s3::S3Server;
use crate::server::TestServer;
use crate::setup;

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
}

impl Tally {
    /// Counts a check that passes or fails as a whole.
    fn check(&mut self, outcome: Result<(), Failure>) -> bool {
        match outcome {
            Ok(()) => {
                self.passed += 1;
                true
            }
            Err(failure) => {
                self.failed += 1;
                self.failures.push(failure.what);
                false
            }
        }
    }

    /// Counts a suite's tests; a suite that could not run counts as one failure.
    fn suite(&mut self, name: &str, outcome: Result<(u64, u64), Failure>) {
        match outcome {
            Ok((passed, failed)) => {
                self.passed += passed;
                self.failed += failed;
                if failed > 0 {
                    self.failures.push(format!("{name}: {failed} failed"));
                }
            }
            Err(failure) => {
                self.check(Err(failure));
            }
        }
    }
}

pub fn run(project: &Project) -> ExitCode {
    let mut tally = Tally::default();
    if !tally.check(setup::run(project, setup::Needs { browser: true })) {
        return finish(tally);
    }
    tally.check(step("vendored ECharts is what vendor/echarts-build builds", || vendored_echarts(project)));
    let cargo = |args: &[&str]| {
        let mut command = project.command("cargo");
        command.args(args);
        command
    };
    tally.check(step("formatting (cargo fmt --check)", || project.run(&mut cargo(&["fmt", "--all", "--", "--check"]))));
    tally.check(step("lints, native (clippy)", || {
        project.run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--exclude",
            "ota-console",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    }));
    tally.check(step("lints, console on wasm32 (clippy)", || {
        project.run(&mut cargo(&[
            "clippy",
            "-p",
            "ota-console",
            "--target",
            "wasm32-unknown-unknown",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    }));
    tally.suite(
        "cargo test",
        step("unit and API tests (cargo test, package files in S3 where a test asks)", || {
            let s3 = S3Server::start(project)?;
            let mut tests = cargo(&["test", "--workspace", "--exclude", "ota-console", "--locked"]);
            cargo_tests(tests.env("OTA_TEST_S3", s3.url()))
        }),
    );
    // Before the PostgreSQL pass: its cluster test watches a rollout in the console.
    let console_built = tally.check(project.build_console());
    tally.suite(
        "API tests on PostgreSQL",
        step("API, engine and analysis tests again, on PostgreSQL (a temporary cluster)", || {
            let cluster = postgres::Cluster::start()?;
            let s3 = S3Server::start(project)?;
            // The first pass's build, features and all: only the API binary runs again.
            let mut tests = cargo(&["test", "--workspace", "--exclude", "ota-console", "--test", "api", "--locked"]);
            tests.env("OTA_TEST_POSTGRES", cluster.url("postgres")).env("OTA_TEST_S3", s3.url());
            if console_built {
                tests.env("OTA_TEST_CONSOLE", project.root.join("dist"));
            }
            cargo_tests(&mut tests)
        }),
    );
    // The binary the API tests built, with the same packages selected (so the same features):
    // building it otherwise would take minutes for nothing.
    let server_built = tally.check(step("build ota-server (as the API tests build it)", || {
        let mut build = cargo(&["test", "--workspace", "--exclude", "ota-console", "--test", "api", "--no-run"]);
        project.run(build.arg("--locked"))
    }));
    if server_built {
        let api = || sdk_script(project, "workflow.py", false);
        tally.suite("Alibaba SDKs", step("Alibaba's Python API SDKs against the server over https", api));
        let device = || sdk_script(project, "linkkit_device.py", true);
        tally.suite("Alibaba device SDK", step("Alibaba's Python device SDK (linkkit) over MQTT with TLS", device));
    } else {
        tally.check(Err(Failure::new("SDK workflow not run: the server did not build", "cargo xtask test")));
    }
    if server_built && console_built {
        tally.suite("Playwright", step("browser tests (Playwright)", || playwright(project)));
    } else {
        tally.check(Err(Failure::new("browser tests not run: a build failed", "cargo xtask test")));
    }
    finish(tally)
}

/// Builds ECharts again (vendor/echarts-build, a few seconds) into a temporary directory and
/// compares every file the build writes (the script the console loads and the licences beside
/// it) byte for byte with vendor/echarts: what is vendored is exactly what the build makes.
fn vendored_echarts(project: &Project) -> Result<(), Failure> {
    let built = std::env::temp_dir().join(format!("ota-echarts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&built);
    let compared = build_and_compare_echarts(project, &built);
    let _ = std::fs::remove_dir_all(&built);
    let differing = compared?;
    if differing.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        format!(
            "vendor/echarts is not what vendor/echarts-build builds ({} differ): rebuild it after changing the \
             entry, the build script or the lock file, and never edit the built files by hand",
            differing.join(", ")
        ),
        "npm run build --prefix vendor/echarts-build",
    ))
}

/// The names of the files that the build in `built` wrote differently from vendor/echarts.
fn build_and_compare_echarts(project: &Project, built: &std::path::Path) -> Result<Vec<String>, Failure> {
    project.run(project.command("node").arg("build.mjs").arg(built).current_dir(project.echarts_build()))?;
    let names = std::fs::read_dir(built)
        .map_err(|e| Failure::new(format!("cannot list {}: {e}", built.display()), "cargo xtask test"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok());
    let vendored = project.root.join("vendor/echarts");
    let mut differing: Vec<String> =
        names.filter(|name| std::fs::read(built.join(name)).ok() != std::fs::read(vendored.join(name)).ok()).collect();
    differing.sort();
    Ok(differing)
}

/// Runs a script of end2end/sdk against a fresh server speaking TLS (its HTTPS address, and its
/// MQTT-over-TLS address for device scripts); each of the script's checks counts. The script
/// signs with the server's admin key (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`, as Alibaba's
/// SDKs read it) and checks permissions with a read-only key (`OTA_READONLY_KEY_ID`/`_SECRET`).
/// The test CA reaches the SDKs through the variables each reads (`OTA_CA_FILE` for linkkit).
fn sdk_script(project: &Project, script: &str, device: bool) -> Result<(u64, u64), Failure> {
    let server = TestServer::start_tls(&project.target_dir.join("debug/ota-server"))?;
    let reader = server.create_key("sdk-read-only", "read-only")?;
    let ca_file = server.ca_file.clone().unwrap_or_default();
    let mut command = Command::new(setup::sdk_python(project));
    command
        .arg(script)
        .arg(format!("127.0.0.1:{}", server.port))
        .current_dir(project.end2end().join("sdk"))
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &server.admin.access_key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &server.admin.access_key_secret)
        .env("OTA_READONLY_KEY_ID", &reader.access_key_id)
        .env("OTA_READONLY_KEY_SECRET", &reader.access_key_secret)
        .env("OTA_CA_FILE", &ca_file)
        .env("ALIBABA_CLOUD_CA_BUNDLE", &ca_file)
        .env("REQUESTS_CA_BUNDLE", &ca_file)
        .env("SSL_CERT_FILE", &ca_file);
    if device {
        command.arg(format!("127.0.0.1:{}", server.mqtt_port));
    }
    let shown = describe(&command);
    let output = command.output().map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let passed = text.lines().filter(|l| l.starts_with("ok: ")).count() as u64;
    let failed = text.lines().filter(|l| l.starts_with("FAILED: ")).count() as u64;
    if passed + failed == 0 || (!output.status.success() && failed == 0) {
        return Err(Failure::new(format!("{script} broke off ({})", output.status), shown));
    }
    Ok((passed, failed))
}

fn finish(tally: Tally) -> ExitCode {
    println!();
    for failure in &tally.failures {
        println!("FAILED: {failure}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Runs `cargo test`, echoing its output and adding up its `test result:` lines.
fn cargo_tests(command: &mut Command) -> Result<(u64, u64), Failure> {
    let shown = describe(command);
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
    let (mut passed, mut failed, mut suites) = (0, 0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some((p, f)) = parse_test_result(&line) {
                passed += p;
                failed += f;
                suites += 1;
            }
        }
    }
    let status = child.wait().map_err(|e| Failure::new(e.to_string(), shown.clone()))?;
    if !status.success() && failed == 0 {
        // It failed before or outside any test (a compile error, a crashed test binary).
        return Err(Failure::new(format!("`{shown}` failed ({status}) after {suites} test binaries"), shown));
    }
    Ok((passed, failed))
}

/// `test result: ok. 31 passed; 0 failed; 0 ignored; …` → (31, 0).
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let counts = line.strip_prefix("test result: ")?;
    let count = |label: &str| {
        counts.split(';').find_map(|part| match part.split_whitespace().collect::<Vec<_>>()[..] {
            [.., number, word] if word == label => number.parse().ok(),
            _ => None,
        })
    };
    Some((count("passed")?, count("failed")?))
}

/// Runs the Playwright suite against a fresh server and reads its JSON report.
fn playwright(project: &Project) -> Result<(u64, u64), Failure> {
    let results = std::env::temp_dir().join(format!("ota-e2e-results-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&results);
    let port = free_port()?;
    let server = project.target_dir.join("debug/ota-server");
    let mut command = project.command("npx");
    command
        .args(["playwright", "test"])
        .current_dir(project.end2end())
        .env("CI", "1")
        .env("OTA_SERVER_BIN", &server)
        .env("OTA_E2E_PORT", port.to_string())
        .env("OTA_E2E_RESULTS", &results)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let ran = project.run(&mut command);
    let report =
        std::fs::read_to_string(&results).ok().and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
    let Some(report) = report else {
        return Err(ran
            .err()
            .unwrap_or_else(|| Failure::new("Playwright wrote no report", "cd end2end && npx playwright test")));
    };
    let stat = |name: &str| report["stats"][name].as_u64().unwrap_or(0);
    let failed = stat("unexpected") + stat("flaky");
    if failed == 0 && ran.is_err() {
        // Every test passed, yet Playwright failed: the web server or a global hook broke.
        return Err(Failure::new(
            "Playwright failed outside the tests; see its output",
            "cd end2end && npx playwright test",
        ));
    }
    Ok((stat("expected"), failed))
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn reads_the_counts_of_a_cargo_test_summary() {
        let ok = "test result: ok. 31 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(parse_test_result(ok), Some((31, 0)));
        let failed = "test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_test_result(failed), Some((7, 2)));
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
