//! Running an ota-server for a check: start it on a free port with an access key to call it
//! with, wait until it answers, stop it; and signing the calls made to it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use ota_model::UtcTime;
use ota_model::signature::{self, AccessKey, v1};

use crate::project::{Failure, describe, free_port};

/// A running server with a data directory of its own; stopped when dropped.
pub struct TestServer {
    pub port: u16,
    /// Its MQTT broker's: plain, or over TLS for a server started with [`TestServer::start_tls`].
    pub mqtt_port: u16,
    /// The CA that signed the server's certificate, for a server that speaks TLS.
    pub ca_file: Option<PathBuf>,
    pub pid: u32,
    /// An access key with the built-in `admin` policy: every call is signed.
    pub admin: AccessKey,
    binary: PathBuf,
    _process: KillOnDrop,
    data: TempDir,
}

impl TestServer {
    /// With a fresh demo dataset.
    pub fn start(binary: &Path) -> Result<Self, Failure> {
        Self::start_on(binary, TempDir::new("ota-check")?, &["--seed-demo"])
    }

    /// With a fresh demo dataset, speaking HTTPS and MQTT over TLS with a certificate for
    /// `localhost` and `127.0.0.1` that a CA made for it signed (`ca_file`).
    pub fn start_tls(binary: &Path) -> Result<Self, Failure> {
        let data = TempDir::new("ota-check-tls")?;
        let ca_file = write_test_certificates(&data.0)?;
        let (cert, key) = (data.0.join("server.pem"), data.0.join("server.key"));
        let mqtts_port = free_port()?;
        let flags = [
            "--seed-demo".to_owned(),
            format!("--tls-cert={}", cert.display()),
            format!("--tls-key={}", key.display()),
            format!("--mqtts-listen=127.0.0.1:{mqtts_port}"),
        ];
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let mut server = Self::start_on(binary, data, &flags)?;
        server.mqtt_port = mqtts_port;
        server.ca_file = Some(ca_file);
        Ok(server)
    }

    /// With a fresh demo dataset, its log (stderr) written to `log`.
    pub fn start_logged(binary: &Path, log: &Path) -> Result<Self, Failure> {
        let file = std::fs::File::create(log)
            .map_err(|e| Failure::new(format!("cannot create {}: {e}", log.display()), "df -h"))?;
        Self::spawn(binary, TempDir::new("ota-check")?, &["--seed-demo"], Stdio::from(file))
    }

    /// On the data in `data`, with more `serve` flags. An admin key is made on it first (before
    /// the server, which would otherwise make the data directory's master key at the same time).
    pub fn start_on(binary: &Path, data: TempDir, flags: &[&str]) -> Result<Self, Failure> {
        Self::spawn(binary, data, flags, Stdio::null())
    }

    fn spawn(binary: &Path, data: TempDir, flags: &[&str], log: Stdio) -> Result<Self, Failure> {
        // A server on PostgreSQL (`--database URL` among the flags) keeps its keys there.
        let database = flags.windows(2).find(|pair| pair[0] == "--database").map(|pair| pair[1]);
        let admin = create_access_key(binary, &data.0, None, database, "xtask-admin", "admin")?;
        let (port, mqtt_port) = (free_port()?, free_port()?);
        let tls = flags.iter().any(|flag| flag.starts_with("--tls-cert"));
        let process = Command::new(binary)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--mqtt-listen", &format!("127.0.0.1:{mqtt_port}")])
            .args(flags)
            .arg("--data-dir")
            .arg(&data.0)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| {
                Failure::new(format!("cannot start {}: {e}", binary.display()), "cargo build -p ota-server")
            })?;
        let pid = process.id();
        let process = KillOnDrop(process);
        if tls {
            wait_until_listening(port)?
        } else {
            wait_until_healthy(port)?
        }
        Ok(Self { port, mqtt_port, ca_file: None, pid, admin, binary: binary.to_owned(), _process: process, data })
    }

    /// Its data directory (the master key, and the SQLite database unless `--database`).
    pub fn data_dir(&self) -> &Path {
        &self.data.0
    }

    /// Another access key, with `policy` (`read-only`, `operator`, `admin`).
    pub fn create_key(&self, name: &str, policy: &str) -> Result<AccessKey, Failure> {
        create_access_key(&self.binary, &self.data.0, None, None, name, policy)
    }
}

/// Makes an access key on the database in `data_dir` (or `database`) with `ota-server
/// access-key create`; `policy` is built in or defined in the server's `config` file.
pub fn create_access_key(
    binary: &Path,
    data_dir: &Path,
    config: Option<&Path>,
    database: Option<&str>,
    name: &str,
    policy: &str,
) -> Result<AccessKey, Failure> {
    let mut command = Command::new(binary);
    command
        .args(["access-key", "create", "--json", "--name", name, "--policy", policy])
        .arg("--data-dir")
        .arg(data_dir);
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    if let Some(database) = database {
        command.args(["--database", database]);
    }
    let created = json_output(&mut command)?;
    let field = |name: &str| created[name].as_str().map(str::to_owned);
    match (field("AccessKeyId"), field("AccessKeySecret")) {
        (Some(access_key_id), Some(access_key_secret)) => {
            Ok(AccessKey { access_key_id, access_key_secret, security_token: None })
        }
        _ => Err(Failure::new(format!("`{}` printed no key: {created}", describe(&command)), describe(&command))),
    }
}

/// Runs `command`, which prints one JSON value; fails with its error output if it fails.
pub fn json_output(command: &mut Command) -> Result<serde_json::Value, Failure> {
    let shown = describe(command);
    let output = command.output().map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), shown.clone()))?;
    if !output.status.success() {
        let error = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::new(format!("`{shown}` failed ({}): {}", output.status, error.trim()), shown));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| Failure::new(format!("`{shown}` printed no JSON: {e}"), shown))
}

/// `path` (`/?Action=…&…`) with a signature by `key` added to its query: signature v1
/// (HMAC-SHA1), as the older SDKs sign a GET, with a new nonce and the time now.
pub fn signed(path: &str, key: &AccessKey) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect();
    let now = signature::timestamp(UtcTime(chrono::Utc::now()));
    v1::sign_params("GET", &mut params, key, &nonce(), &now);
    let pairs: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{}={}", signature::encode(name), signature::encode(value)))
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A signature nonce never used before by this process or, through the time it started, by another.
fn nonce() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static STARTED: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let started = STARTED
        .get_or_init(|| SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.as_nanos()));
    format!("{started:x}-{:x}-{:x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A query string's name or value, percent-decoded (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

/// Writes a new CA (`ca.pem`) and a certificate it signed for `localhost` and `127.0.0.1`
/// (`server.pem`, `server.key`) into `dir`; answers the CA's file.
fn write_test_certificates(dir: &Path) -> Result<PathBuf, Failure> {
    let failed =
        |e: &dyn std::fmt::Display| Failure::new(format!("cannot make test certificates: {e}"), "cargo xtask test");
    let ca_key = rcgen::KeyPair::generate().map_err(|e| failed(&e))?;
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| failed(&e))?;
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "ota-console test CA");
    let ca = ca_params.self_signed(&ca_key).map_err(|e| failed(&e))?;
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().map_err(|e| failed(&e))?;
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let cert = rcgen::CertificateParams::new(names).and_then(|p| p.signed_by(&key, &issuer)).map_err(|e| failed(&e))?;
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).map_err(|e| failed(&e));
    write("ca.pem", ca.pem())?;
    write("server.pem", cert.pem())?;
    write("server.key", key.serialize_pem())?;
    Ok(dir.join("ca.pem"))
}

/// Until the port takes connections (for a server speaking TLS, which a plain GET cannot ask).
fn wait_until_listening(port: u16) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(Failure::new("ota-server did not listen within 2 minutes", "cargo xtask test"))
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
    Err(Failure::new("ota-server did not become healthy within 2 minutes", "cargo xtask bench"))
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
        // An answer that never comes fails the request instead of hanging the measurement.
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_path_keeps_its_parameters_and_verifies() {
        let key =
            AccessKey { access_key_id: "LTAIexample".into(), access_key_secret: "secret".into(), security_token: None };
        let path = signed("/?Action=ListOTAFirmware&Keyword=a%20b+c&PageSize=10", &key);
        let query = path.strip_prefix("/?").unwrap();
        let params: Vec<(String, String)> = query
            .split('&')
            .map(|pair| pair.split_once('=').unwrap())
            .map(|(name, value)| (decode(name), decode(value)))
            .collect();
        let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("Keyword"), Some("a b c"));
        assert_eq!(get("AccessKeyId"), Some("LTAIexample"));
        let to_sign = v1::string_to_sign("GET", params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert!(v1::verify("secret", &to_sign, get("Signature").unwrap()));
        assert!(!query.contains('+') && !query.contains('/'), "the signature is percent-encoded: {query}");
        assert_ne!(nonce(), nonce());
    }
}
