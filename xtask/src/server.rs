//! Running an ota-server for a check: start it on a free port, wait until it answers, stop it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::project::{Failure, free_port};

/// A running server with a data directory of its own; stopped when dropped.
pub struct TestServer {
    pub port: u16,
    /// Its MQTT broker's.
    pub mqtt_port: u16,
    pub pid: u32,
    _process: KillOnDrop,
    _data: TempDir,
}

impl TestServer {
    /// With a fresh demo dataset.
    pub fn start(binary: &Path) -> Result<Self, Failure> {
        Self::start_on(binary, TempDir::new("ota-check")?, &["--seed-demo"])
    }

    /// On the data in `data`, with more `serve` flags.
    pub fn start_on(binary: &Path, data: TempDir, flags: &[&str]) -> Result<Self, Failure> {
        let (port, mqtt_port) = (free_port()?, free_port()?);
        let process = Command::new(binary)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--mqtt-listen", &format!("127.0.0.1:{mqtt_port}")])
            .args(flags)
            .arg("--data-dir")
            .arg(&data.0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                Failure::new(format!("cannot start {}: {e}", binary.display()), "cargo build -p ota-server")
            })?;
        let pid = process.id();
        let process = KillOnDrop(process);
        wait_until_healthy(port)?;
        Ok(Self { port, mqtt_port, pid, _process: process, _data: data })
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
    // Opening a large database (a benchmark's) takes a moment.
    let deadline = Instant::now() + Duration::from_secs(120);
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

/// A kept-alive HTTP/1.1 connection for measuring: one request at a time, answers read by
/// their Content-Length (the server never compresses without Accept-Encoding).
pub struct Connection {
    reader: std::io::BufReader<TcpStream>,
    port: u16,
}

impl Connection {
    pub fn open(port: u16) -> std::io::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        Ok(Self { reader: std::io::BufReader::new(stream), port })
    }

    /// GETs `path`; answers the status and the body.
    pub fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        use std::io::BufRead;
        write!(self.reader.get_mut(), "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}
