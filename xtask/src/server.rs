//! Running an ota-server for a check: start it on a free port, wait until it answers, stop it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::project::{Failure, free_port};

/// A running server with a fresh demo database of its own; stopped when dropped.
pub struct TestServer {
    pub port: u16,
    _process: KillOnDrop,
    _data: TempDir,
}

impl TestServer {
    pub fn start(binary: &Path) -> Result<Self, Failure> {
        let data = TempDir::new("ota-check")?;
        let port = free_port()?;
        let process = Command::new(binary)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--seed-demo", "--data-dir"])
            .arg(&data.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                Failure::new(format!("cannot start {}: {e}", binary.display()), "cargo build -p ota-server")
            })?;
        let process = KillOnDrop(process);
        wait_until_healthy(port)?;
        Ok(Self { port, _process: process, _data: data })
    }
}

/// A directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Result<Self, Failure> {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{}", std::process::id(), free_port()?));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display()), "df -h"))?;
        Ok(Self(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn wait_until_healthy(port: u16) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if get(port, "/healthz").is_ok_and(|(status, _)| status == 200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(Failure::new("ota-server did not become healthy within 30 s", "cargo xtask bench"))
}

/// A minimal HTTP/1.1 GET (no compression, connection closed after): the status code and
/// the whole answer, head included.
pub fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split_whitespace().nth(1).and_then(|code| code.parse().ok());
    match status {
        Some(status) => Ok((status, answer)),
        None => Err(std::io::Error::other(format!("not an HTTP answer: {:?}", &answer[..answer.len().min(32)]))),
    }
}

pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
