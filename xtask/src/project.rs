//! Where things are, and running commands with the project's tools on PATH.

use std::env;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The repository and the places derived from it.
pub struct Project {
    pub root: PathBuf,
    pub target_dir: PathBuf,
}

impl Project {
    pub fn locate() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_owned();
        let target_dir = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        Self { root, target_dir }
    }

    pub fn end2end(&self) -> PathBuf {
        self.root.join("end2end")
    }

    /// Where vendor/echarts/echarts.min.js is built from (its README says how).
    pub fn echarts_build(&self) -> PathBuf {
        self.root.join("vendor/echarts-build")
    }

    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// PATH with npm's wasm-opt (binaryen 132) and cargo's installed tools first.
    pub fn tool_path(&self) -> OsString {
        let mut dirs = vec![self.end2end().join("node_modules/.bin"), cargo_bin_dir()];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        env::join_paths(dirs).unwrap_or_default()
    }

    /// A command run in the repository with the project's PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", self.tool_path());
        command
    }

    /// The version `Cargo.lock` pins for `package`.
    pub fn locked_version(&self, package: &str) -> Option<String> {
        let lock = std::fs::read_to_string(self.root.join("Cargo.lock")).ok()?;
        let mut lines = lock.lines();
        lines.find(|line| *line == format!("name = \"{package}\""))?;
        let version = lines.next()?.strip_prefix("version = \"")?.strip_suffix('"')?;
        Some(version.to_owned())
    }

    /// Builds the console for release into dist/ (Trunk, offline, with the locked crates).
    pub fn build_console(&self) -> Result<(), Failure> {
        step("build the console (trunk build --release)", || {
            self.run(self.command("trunk").args(["build", "--release", "--offline", "--locked"]))
        })
    }

    /// Builds ota-server with the release profile; returns the binary.
    pub fn build_release_server(&self) -> Result<PathBuf, Failure> {
        step("build ota-server (release)", || {
            self.run(self.command("cargo").args(["build", "--release", "-p", "ota-server", "--locked"]))
        })?;
        Ok(self.target_dir.join("release/ota-server"))
    }

    /// Runs `command`, showing its output; fails if it does not succeed.
    pub fn run(&self, command: &mut Command) -> Result<(), Failure> {
        let shown = describe(command);
        match command.status() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(Failure::new(format!("`{shown}` failed ({status})"), shown)),
            Err(error) => Err(Failure::new(format!("cannot run `{shown}`: {error}"), shown)),
        }
    }
}

/// A TCP port on loopback that nothing listens on (at the moment of asking).
pub fn free_port() -> Result<u16, Failure> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| Failure::new(format!("no free port on 127.0.0.1: {e}"), "try again"))
}

/// What a command prints on stdout, if it runs and succeeds.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn cargo_bin_dir() -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    home.join("bin")
}

pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

/// A step that failed: what went wrong and the command to retry it by hand.
#[derive(Debug)]
pub struct Failure {
    pub what: String,
    pub retry: String,
}

impl Failure {
    pub fn new(what: impl Into<String>, retry: impl Into<String>) -> Self {
        Self { what: what.into(), retry: retry.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed: {}\nretry with: {}", self.what, self.retry)
    }
}

/// Runs one named step, saying what it does, how long it took, and where it failed.
pub fn step<T>(name: &str, work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    println!("\n==> {name}");
    let started = Instant::now();
    let outcome = work();
    let took = started.elapsed().as_secs_f64();
    match &outcome {
        Ok(_) => println!("==> {name}: done in {}", seconds(took)),
        Err(failure) => println!("==> {name}: FAILED after {}: {}", seconds(took), failure.what),
    }
    outcome.map_err(|failure| Failure { what: format!("{name}: {}", failure.what), retry: failure.retry })
}

pub fn seconds(secs: f64) -> String {
    if secs < 60.0 { format!("{secs:.1} s") } else { format!("{} min {:02} s", (secs / 60.0) as u64, secs as u64 % 60) }
}
