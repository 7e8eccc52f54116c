//! Command-line interface. Every `serve` flag also reads an `OTA_…` environment variable, and
//! `--config` a TOML file; flags win over the file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

use crate::files::FilesLocation;

mod config;
mod limits;

pub use config::ConfigFile;
pub use limits::LimitArgs;

#[derive(Debug, Parser)]
#[command(name = "ota-server", version, about = "Alibaba-compatible OTA API server with the ota-console web UI")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the OTA API and the console.
    Serve(Box<ServeArgs>),
    /// Fill a database with data.
    Seed(SeedArgs),
    /// Check a database: every counter equals what it counts, and no device has two
    /// unfinished tasks for one module (say, after a crash). Exits 1 when something is wrong.
    Check(CheckArgs),
    /// Copy a SQLite database into an empty PostgreSQL one (stop the server first), verify
    /// the copy table by table and check its counters.
    MigrateStore(MigrateStoreArgs),
    /// Run a fleet of simulated devices against a running server.
    Simulate(crate::sim::SimulateArgs),
    /// Manage access keys: who may call the API from scripts, SDKs and the console.
    #[command(subcommand)]
    AccessKey(crate::auth::cli::AccessKeyCommand),
    /// Manage users who sign in to the console with a name and a password.
    #[command(subcommand)]
    User(crate::auth::cli::UserCommand),
    /// Forward a browser console's signed calls to a backend that does not answer browsers
    /// (Alibaba Cloud's endpoints), adding CORS.
    Relay(crate::relay::RelayArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on for the API and the console.
    #[arg(long, env = "OTA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Allow plain HTTP and plain MQTT on a non-loopback address, without TLS. Every call is
    /// signed, but the answers (and passwords at sign-in) cross the network readable.
    #[arg(long, env = "OTA_INSECURE_PUBLIC")]
    pub insecure_public: bool,

    #[command(flatten)]
    pub tls: TlsArgs,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// A host name clients reach the server by (besides IP addresses, `localhost` and the
    /// --public-url's host), e.g. ota.lan; repeat for several. Requests naming any other host
    /// are refused, which defeats DNS rebinding.
    #[arg(long = "allowed-host", env = "OTA_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// Address of the embedded MQTT broker devices connect to (port 0: any free port).
    #[arg(long, env = "OTA_MQTT_LISTEN", default_value = "127.0.0.1:1883")]
    pub mqtt_listen: SocketAddr,

    /// Use this external MQTT broker instead of the embedded one, e.g.
    /// mqtt://user:password@broker:1883: it authenticates the devices, the server joins it as
    /// a client (see docs/api.md).
    #[arg(long, env = "OTA_MQTT_URL", conflicts_with = "mqtt_listen")]
    pub mqtt_url: Option<crate::mqtt::external::BrokerUrl>,

    /// CA certificates (PEM) to trust for an mqtts:// --mqtt-url, when its certificate is not
    /// signed by a public CA.
    #[arg(long, env = "OTA_MQTT_CA_FILE", requires = "mqtt_url")]
    pub mqtt_ca_file: Option<PathBuf>,

    /// Answer an external broker's questions (EMQX's HTTP authentication and authorization,
    /// its connect/disconnect webhook, VerneMQ's webhooks; see docs/api.md) from callers that
    /// send `Authorization: Bearer <this secret>`, at least 16 characters.
    #[arg(long, env = "OTA_BROKER_HOOKS_SECRET", requires = "mqtt_url", value_parser = hooks_secret)]
    pub broker_hooks_secret: Option<String>,

    /// This server's name among several that share one database and one broker: its MQTT
    /// client ID is ota-server-<name>, and it takes devices' messages through a shared
    /// subscription. Without it, the server is alone at the broker (client ID ota-server).
    /// Letters, digits, '.', '_' and '-'.
    #[arg(long, env = "OTA_REPLICA_ID", value_parser = replica_id)]
    pub replica_id: Option<String>,

    #[command(flatten)]
    pub storage: StorageArgs,

    #[command(flatten)]
    pub instances: InstanceArgs,

    /// How many days the audit log keeps an event (default 400); older events are deleted.
    #[arg(long, env = "OTA_AUDIT_RETENTION_DAYS")]
    pub audit_retention_days: Option<u32>,

    /// An origin allowed to call the API from a browser (a console on a CDN), e.g.
    /// https://console.example.com; repeat for several, `*` for any. Default: same origin only.
    #[arg(long = "cors-origin", env = "OTA_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// The server's public origin for the URLs it hands out (upload and download links), when
    /// clients reach it through a proxy. Default: the origin each request came to.
    #[arg(long, env = "OTA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Directory of the built console (Trunk's dist/). Without it only the API is served.
    #[arg(long, env = "OTA_CONSOLE_DIR")]
    pub console_dir: Option<PathBuf>,

    /// URL path the console is served under, e.g. /ota/ (the API stays at /).
    #[arg(long, env = "OTA_CONSOLE_PATH", default_value = "/")]
    pub console_path: String,

    /// Fill the database with the demo dataset if it holds no data yet.
    #[arg(long, env = "OTA_SEED_DEMO")]
    pub seed_demo: bool,

    /// Serve /metrics to any client that reaches the server, not only to loopback (put it
    /// behind a firewall or a proxy that checks who scrapes).
    #[arg(long, env = "OTA_METRICS_PUBLIC")]
    pub metrics_public: bool,

    /// Answer like a plain Alibaba backend, without the extensions (to test consoles against).
    #[arg(long, env = "OTA_PLAIN")]
    pub plain: bool,

    /// A TOML file with `instances`, `cors_origins` and `public_url` (see docs/api.md).
    #[arg(long, env = "OTA_CONFIG")]
    pub config: Option<PathBuf>,
}

/// HTTPS and MQTT over TLS.
#[derive(Debug, Clone, Args)]
pub struct TlsArgs {
    #[command(flatten)]
    pub certificate: CertificateArgs,

    /// Address of the broker's MQTT-over-TLS listener. Default, with a certificate: the
    /// --mqtt-listen address on port 8883.
    #[arg(long, env = "OTA_MQTTS_LISTEN", requires = "tls_cert")]
    pub mqtts_listen: Option<SocketAddr>,
}

/// A certificate to serve HTTPS with (and MQTT over TLS, for `serve`).
#[derive(Debug, Clone, Args)]
pub struct CertificateArgs {
    /// The certificate chain (PEM, leaf first) for HTTPS (and MQTT over TLS). Both files are
    /// read again on SIGHUP; connections already open keep the old certificate.
    #[arg(long, env = "OTA_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "OTA_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl CertificateArgs {
    /// The certificate, if one is given, reloaded on SIGHUP.
    pub fn load(&self) -> Result<Option<std::sync::Arc<crate::tls::Certificates>>, crate::StartError> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else { return Ok(None) };
        let certificates = crate::tls::Certificates::load(cert, key)?;
        certificates.reload_on_hangup();
        Ok(Some(certificates))
    }
}

#[derive(Debug, Clone, Args)]
#[group(id = "dataset", required = true, multiple = false, args = ["demo", "load_test"])]
pub struct SeedArgs {
    /// Seed the demo dataset: a small fleet with packages and batches.
    #[arg(long)]
    pub demo: bool,

    /// Seed a large fleet for benchmarks: one product, `--devices` devices and a batch of
    /// `--tasks` tasks; prints what it made as JSON.
    #[arg(long)]
    pub load_test: bool,

    /// Devices of the load-test fleet.
    #[arg(long, default_value_t = 100_000, requires = "load_test")]
    pub devices: u32,

    /// Tasks of the load-test batch.
    #[arg(long, default_value_t = 1_000_000, requires = "load_test")]
    pub tasks: u32,

    #[command(flatten)]
    pub storage: StorageArgs,

    #[command(flatten)]
    pub instances: InstanceArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
}

/// A secret long enough not to be guessed.
fn hooks_secret(text: &str) -> Result<String, String> {
    match text.chars().count() >= 16 {
        true => Ok(text.to_owned()),
        false => Err("at least 16 characters".into()),
    }
}

/// A replica name fit for an MQTT client ID and a log line.
fn replica_id(text: &str) -> Result<String, String> {
    let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    match !text.is_empty() && text.len() <= 40 && text.chars().all(fits) {
        true => Ok(text.to_owned()),
        false => Err("1 to 40 letters, digits, '.', '_' or '-'".into()),
    }
}

impl ServeArgs {
    /// `--replica-id`, or the host name: how the engine lease names this server.
    pub fn replica(&self) -> String {
        let host = rustix::system::uname().nodename().to_string_lossy().into_owned();
        self.replica_id.clone().or_else(|| replica_id(&host).ok()).unwrap_or_else(|| "ota-server".into())
    }
}

#[derive(Debug, Clone, Args)]
pub struct MigrateStoreArgs {
    /// The SQLite database file to copy (data/ota.db unless it was moved).
    #[arg(long)]
    pub from: PathBuf,

    /// The empty PostgreSQL database to fill: postgres://user:password@host/database.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Directory for the database and uploaded package files.
    #[arg(long, env = "OTA_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The database, if not the SQLite file `<data-dir>/ota.db`: a SQLite file path (created if
    /// missing) or URL such as sqlite::memory:, or a PostgreSQL (15 or newer) URL,
    /// postgres://user:password@host/database, which several servers may share.
    #[arg(long, env = "OTA_DATABASE")]
    pub database: Option<String>,

    /// Where uploaded package files go, if not `<data-dir>/files`: a directory, or an
    /// S3-compatible bucket, s3://bucket/prefix, which several servers may share (endpoint,
    /// region and keys from AWS_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
    #[arg(long, env = "OTA_FILES_URL", value_parser = FilesLocation::parse)]
    pub files_url: Option<FilesLocation>,
}

impl StorageArgs {
    pub fn database(&self) -> String {
        self.database.clone().unwrap_or_else(|| self.data_dir.join("ota.db").to_string_lossy().into_owned())
    }

    pub fn files(&self) -> FilesLocation {
        self.files_url.clone().unwrap_or_else(|| FilesLocation::Directory(self.data_dir.join("files")))
    }
}

#[derive(Debug, Clone, Args)]
pub struct InstanceArgs {
    /// An instance this server hosts, as ID or ID=NAME; repeat for several. The first one is
    /// where requests without IotInstanceId go. Default: one instance, iot-default.
    #[arg(long = "instance", env = "OTA_INSTANCES", value_delimiter = ',')]
    pub instances: Vec<InstanceSpec>,
}

/// `iot-lab=Lab fleet` or just `iot-lab`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InstanceSpec {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

impl FromStr for InstanceSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, name) = match text.split_once('=') {
            Some((id, name)) => (id.trim(), Some(name.trim().to_owned()).filter(|n| !n.is_empty())),
            None => (text.trim(), None),
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if id.is_empty() || id.len() > 64 || !id.chars().all(plain) {
            return Err(format!("'{id}' is not an instance ID (1–64 letters, digits, '-', '_')"));
        }
        Ok(Self { id: id.to_owned(), name })
    }
}

impl InstanceSpec {
    /// (ID, name) pairs; the default instance when none are given.
    pub fn pairs(specs: &[InstanceSpec]) -> Vec<(String, String)> {
        if specs.is_empty() {
            return vec![("iot-default".to_owned(), "Default instance".to_owned())];
        }
        specs.iter().map(|s| (s.id.clone(), s.name.clone().unwrap_or_else(|| s.id.clone()))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_are_given_as_id_or_id_and_name() {
        assert_eq!(
            "iot-lab=Lab fleet".parse(),
            Ok(InstanceSpec { id: "iot-lab".into(), name: Some("Lab fleet".into()) })
        );
        assert_eq!("iot-x".parse(), Ok(InstanceSpec { id: "iot-x".into(), name: None }));
        assert!("bad id=x".parse::<InstanceSpec>().is_err());
        assert_eq!(InstanceSpec::pairs(&[])[0].0, "iot-default");
    }
}
