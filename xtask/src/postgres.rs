//! A temporary PostgreSQL cluster for the tests and benchmarks: Debian's PostgreSQL, a data
//! directory of its own on a free port, stopped and deleted when dropped. `initdb` refuses to
//! run as root, so as root the cluster belongs to the `postgres` user.

use std::path::PathBuf;
use std::process::Command;

use crate::project::{Failure, describe, free_port, output};

/// Where Debian puts PostgreSQL's programs: /usr/lib/postgresql/<major>/bin, newest major.
pub fn bin_dir() -> Option<PathBuf> {
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    majors.sort();
    majors.pop().map(|(_, bin)| bin)
}

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// Creates and starts a cluster that trusts local connections, tuned for tests: no fsync
    /// (a crash loses nothing worth keeping), room for many servers' connection pools.
    pub fn start() -> Result<Self, Failure> {
        let bin = bin_dir().ok_or_else(|| Failure::new("PostgreSQL is not installed", "cargo xtask setup"))?;
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("ota-postgres-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display()), "df -h /tmp"))?;
        let cluster = Self { bin, dir, port };
        if as_root() {
            cluster.as_owner(Command::new("chown").args(["postgres:postgres"]).arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        let mut initdb = cluster.tool("initdb");
        initdb.arg("-D").arg(&data).args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        cluster.as_owner(&mut initdb)?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=400",
            cluster.dir.display()
        );
        let mut start = cluster.tool("pg_ctl");
        start.arg("-D").arg(&data).args(["-w", "-o", &options, "-l"]).arg(cluster.dir.join("log")).arg("start");
        cluster.as_owner(&mut start)?;
        Ok(cluster)
    }

    /// The superuser's URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    /// Runs `command`, quietly unless it fails.
    fn as_owner(&self, command: &mut Command) -> Result<(), Failure> {
        let shown = describe(command);
        let done = command.output().map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
        if done.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
        Err(Failure::new(
            format!(
                "`{shown}` failed: {}{}\n{log}",
                String::from_utf8_lossy(&done.stdout),
                String::from_utf8_lossy(&done.stderr)
            ),
            shown,
        ))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = self.tool("pg_ctl");
        stop.arg("-D").arg(self.dir.join("data")).args(["-m", "immediate", "-w", "stop"]);
        let _ = stop.output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn as_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}
