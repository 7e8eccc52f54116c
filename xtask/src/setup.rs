//! `cargo xtask setup`: installs only what is missing, each step timed, each failure naming
//! the command to retry. Versions are the ones known to work offline on this toolchain
//! (../shared/reference/toolchain-setup.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project::{Failure, Project, output, step};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_OPT_VERSION: &str = "version 132";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Without a CJK font, Japanese renders as boxes in tests and screenshots.
const CJK_FONT_DIR: &str = "/usr/share/fonts/opentype/noto";

/// What the caller is about to do.
pub struct Needs {
    /// The tests' own needs: Chromium and fonts for the browser tests, the SDKs' Python,
    /// mosquitto, PostgreSQL and moto (S3).
    pub browser: bool,
}

pub fn run(project: &Project, needs: Needs) -> Result<(), Failure> {
    step("node and npm", || {
        output(Command::new("npm").arg("--version")).map(drop).ok_or_else(|| {
            Failure::new(
                "npm is not installed; the console build takes wasm-opt from npm",
                "apt-get install -y nodejs npm",
            )
        })
    })?;
    step("Rust target wasm32-unknown-unknown", || {
        let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
        if installed.lines().any(|line| line == "wasm32-unknown-unknown") {
            return already("installed");
        }
        project.run(project.command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
    })?;
    step(&format!("Trunk {TRUNK_VERSION}"), || {
        let found = output(project.command("trunk").arg("--version"));
        if found.as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
            return already("installed");
        }
        println!("    building Trunk from source: several minutes on two cores");
        project.run(project.command("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
    })?;
    step("wasm-bindgen-cli (the version in Cargo.lock)", || {
        let wanted = project
            .locked_version("wasm-bindgen")
            .ok_or_else(|| Failure::new("Cargo.lock names no wasm-bindgen", "cargo generate-lockfile"))?;
        let found = output(project.command("wasm-bindgen").arg("--version"));
        if found.as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
            return already(&format!("{wanted} installed"));
        }
        // Not --locked: its own lock file wants a crate release this registry lacks.
        project.run(project.command("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted, "--force"]))
    })?;
    step("npm packages in end2end/ (Playwright, wasm-opt)", || npm_packages(project, &project.end2end()))?;
    step("npm packages in vendor/echarts-build/ (ECharts' sources, esbuild)", || {
        npm_packages(project, &project.echarts_build())
    })?;
    step("wasm-opt 132 from npm", || {
        let found = output(project.command("wasm-opt").arg("--version")).unwrap_or_default();
        if found.contains(WASM_OPT_VERSION) {
            return already(&found);
        }
        Err(Failure::new(format!("wasm-opt on PATH says '{found}', not {WASM_OPT_VERSION}"), "npm ci --prefix end2end"))
    })?;
    step("crate sources (for offline builds)", || project.run(project.command("cargo").args(["fetch", "--locked"])))?;
    if needs.browser {
        step("Chromium and CJK fonts (Debian)", browser)?;
        step("Python virtualenv with Alibaba's SDKs (end2end/sdk)", || venv(project, "sdk"))?;
        step("Python virtualenv with moto, the tests' S3 server (end2end/s3)", || venv(project, "s3"))?;
        step("mosquitto (Debian), the external broker the tests use", || {
            if Path::new(MOSQUITTO).exists() {
                return already("installed");
            }
            apt_install(&["mosquitto"])
        })?;
        step("PostgreSQL (Debian), the second database the tests run on", || {
            if crate::postgres::bin_dir().is_some() {
                return already("installed");
            }
            apt_install(&["postgresql"])
        })?;
    }
    Ok(())
}

/// Debian's MQTT broker: `--mqtt-url` is tested against it.
pub const MOSQUITTO: &str = "/usr/sbin/mosquitto";

/// The Python interpreter of the SDK compatibility check.
pub fn sdk_python(project: &Project) -> PathBuf {
    project.end2end().join("sdk/.venv/bin/python")
}

/// The Python interpreter that runs moto, the S3 protocol server of the tests.
pub fn s3_python(project: &Project) -> PathBuf {
    project.end2end().join("s3/.venv/bin/python")
}

/// A virtualenv in end2end/`name` holding the pinned packages of its requirements.txt; rebuilt
/// when that file changes.
fn venv(project: &Project, name: &str) -> Result<(), Failure> {
    let dir = project.end2end().join(name);
    let requirements = std::fs::read_to_string(dir.join("requirements.txt")).map_err(|e| {
        Failure::new(
            format!("cannot read end2end/{name}/requirements.txt: {e}"),
            format!("git checkout end2end/{name}"),
        )
    })?;
    let stamp = dir.join(".venv/installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str()) {
        return already("installed");
    }
    // Debian splits venv (and the pip it bootstraps) out of python3.
    if output(Command::new("python3").args(["-c", "import ensurepip, venv; print('ok')"])).as_deref() != Some("ok") {
        apt_install(&["python3", "python3-venv"])?;
    }
    println!("    {}", output(Command::new("python3").arg("--version")).unwrap_or_default());
    let _ = std::fs::remove_dir_all(dir.join(".venv"));
    project.run(project.command("python3").args(["-m", "venv", ".venv"]).current_dir(&dir))?;
    project.run(
        Command::new(dir.join(".venv/bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"])
            .current_dir(&dir),
    )?;
    std::fs::write(&stamp, requirements).map_err(|e| {
        Failure::new(format!("cannot write {}: {e}", stamp.display()), format!("rm -rf end2end/{name}/.venv"))
    })
}

fn already(what: &str) -> Result<(), Failure> {
    println!("    {what}: nothing to do");
    Ok(())
}

/// `npm ci` in `dir` when its node_modules is missing or older than its lock file.
fn npm_packages(project: &Project, dir: &Path) -> Result<(), Failure> {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= modified(&dir.join("package-lock.json")) {
        return already("up to date");
    }
    project.run(
        project
            .command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

fn browser() -> Result<(), Failure> {
    if Path::new(CHROMIUM).exists() && Path::new(CJK_FONT_DIR).exists() {
        return already("installed");
    }
    apt_install(&["chromium", "fonts-noto-cjk"])
}

/// Installs Debian packages, as root or through sudo.
fn apt_install(packages: &[&str]) -> Result<(), Failure> {
    let retry = format!("apt-get update && apt-get install -y {}", packages.join(" "));
    let as_root = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if as_root { Command::new("apt-get") } else { sudo_apt() };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let run = |mut command: Command| match command.status() {
        Ok(status) if status.success() => Ok(()),
        _ => Err(Failure::new(format!("installing {} with apt-get failed", packages.join(", ")), retry.clone())),
    };
    run(apt(&["update", "-q"]))?;
    run(apt(&[&["install", "-y", "-q"], packages].concat()))
}

fn sudo_apt() -> Command {
    let mut command = Command::new("sudo");
    command.arg("apt-get");
    command
}
