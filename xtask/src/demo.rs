//! `cargo xtask demo`: set up, build, and serve the console with the OTA API, an embedded
//! SQLite database (seeded with the demo fleet on first run), and the fleet simulator beside it.
//!
//! Every API call is signed, so the first run also makes who may use the demo: a user `admin`
//! to sign in to the console, an admin access key `sdk` for SDKs and scripts, and a key for the
//! simulator with a policy of its own (`fleet-simulator`, in the data directory's
//! `demo-config.toml`). The CLI shows a password and a secret only once: they are kept in
//! `demo-credentials.json` (mode 0600) in the data directory and shown again on every run.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use clap::Args;
use ota_model::signature::AccessKey;
use serde_json::{Value, json};

use crate::project::{Failure, Project, describe, step};
use crate::server::{create_access_key, json_output};
use crate::setup;

/// The server's `--config` file in the data directory, written on first run (then the user's).
const CONFIG_FILE: &str = "demo-config.toml";
/// The demo's sign-in details in the data directory, readable by its owner only.
const CREDENTIALS_FILE: &str = "demo-credentials.json";
const USER: &str = "admin";
const SIMULATOR_POLICY: &str = "fleet-simulator";
/// The configuration written: the simulator's policy. It loads the fleet with the devices'
/// secrets and registers the devices that are missing.
const CONFIG: &str = r#"# Written by `cargo xtask demo`; passed to `ota-server serve --config` and to
# `ota-server access-key create --config`. Add policies of your own here (RAM's shape).

# The fleet simulator's key: it reads and registers devices, with their secrets.
[policies.fleet-simulator]
Statement = [{ Effect = "Allow", Action = ["iot:QueryProductList", "iot:QueryDevice", "iot:RegisterDevice", "iot:QueryDeviceSecret"] }]
"#;

#[derive(Args)]
pub struct DemoArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Address of the MQTT broker for devices.
    #[arg(long, default_value = "127.0.0.1:1883")]
    mqtt_listen: String,
    /// Directory for the database; created and seeded on first run, reused after.
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Simulated devices (0: none, the fleet stays offline).
    #[arg(long, default_value_t = 2000)]
    devices: u32,
}

pub fn run(project: &Project, args: DemoArgs) -> Result<(), Failure> {
    setup::run(project, setup::Needs { browser: false })?;
    project.build_console()?;
    let server_binary = project.build_release_server()?;
    let data_dir = project.root.join(&args.data_dir);
    // Before the server starts: the first of these makes the data directory's master key.
    let access = step("the demo's user and access keys", || Access::prepare(&server_binary, &data_dir))?;
    let mut server = Command::new(&server_binary);
    server
        .current_dir(&project.root)
        .arg("serve")
        .args(["--listen", &args.listen, "--mqtt-listen", &args.mqtt_listen])
        // The simulated fleet connects from this one address, faster than a flood limit allows.
        .args(["--mqtt-logins-per-address", "100000"])
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--config")
        .arg(data_dir.join(CONFIG_FILE))
        .arg("--console-dir")
        .arg(project.dist())
        .arg("--seed-demo");
    // Ctrl-C in the terminal reaches the whole process group: both stop on their own.
    let mut server = Spawned::new(&mut server)?;
    wait_until_listening(&args.listen, &mut server)?;
    let mut simulator = Command::new(&server_binary);
    simulator
        .args(["simulate", "--devices", &args.devices.to_string()])
        // The demo's modem 8.3 is a bad firmware: its batch paused on its failure rule keeps
        // failing after a resume, as a real spike would.
        .args(["--bad-version", "8.3.0=0.6"])
        .args(["--api", &format!("http://{}/", args.listen), "--mqtt", &args.mqtt_listen])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &access.simulator.access_key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &access.simulator.access_key_secret);
    let _simulator = if args.devices > 0 { Some(Spawned::new(&mut simulator)?) } else { None };
    println!("\n==> serving the demo: open http://{}/ (Ctrl-C stops)", args.listen);
    match &access.user {
        Some((name, password)) => println!("    sign in as:  {name}  password  {password}"),
        None => {
            println!("    sign in as a user of this data directory (the demo made none: it already had users);");
            println!(
                "    to add one: {} user create NAME --policy admin --data-dir {}",
                server_binary.display(),
                data_dir.display()
            );
        }
    }
    println!(
        "    SDKs and scripts (admin):  AccessKeyId  {}  AccessKeySecret  {}",
        access.sdk.access_key_id, access.sdk.access_key_secret
    );
    println!("    (kept in {}, shown on every run)", data_dir.join(CREDENTIALS_FILE).display());
    println!("    data: {}", data_dir.display());
    println!("    devices: {} simulated, over MQTT at {}", args.devices, args.mqtt_listen);
    let status = server.0.wait().map_err(|e| Failure::new(format!("ota-server: {e}"), "cargo xtask demo"))?;
    if !status.success() && status.code().is_some() {
        return Err(Failure::new(format!("ota-server stopped: {status}"), "cargo xtask demo"));
    }
    Ok(())
}

/// A child process, killed if it is still running when this is dropped.
struct Spawned(Child);

impl Spawned {
    fn new(command: &mut Command) -> Result<Self, Failure> {
        command
            .spawn()
            .map(Self)
            .map_err(|e| Failure::new(format!("cannot start {}: {e}", describe(command)), "cargo xtask demo"))
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Until the server accepts connections; an error if it stops first.
fn wait_until_listening(address: &str, server: &mut Spawned) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(Failure::new(format!("ota-server stopped: {status}"), "cargo xtask demo"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(Failure::new(format!("ota-server did not listen on {address} within 2 minutes"), "cargo xtask demo"))
}

/// Who may use the demo, as kept in the data directory's credentials file.
struct Access {
    /// The console user the demo made, with its password; none if the data directory had
    /// users before the demo first ran there.
    user: Option<(String, String)>,
    /// An admin key for SDKs and scripts.
    sdk: AccessKey,
    /// The simulator's key, with the `fleet-simulator` policy.
    simulator: AccessKey,
}

impl Access {
    /// Reads what is kept, makes what is missing (the user only in a data directory without
    /// users; a key again if it was deleted or disabled), and keeps it.
    fn prepare(binary: &Path, data_dir: &Path) -> Result<Self, Failure> {
        let fail = |e: String| Failure::new(e, format!("ls -l {}", data_dir.display()));
        std::fs::create_dir_all(data_dir).map_err(|e| fail(format!("cannot create {}: {e}", data_dir.display())))?;
        let config = data_dir.join(CONFIG_FILE);
        if !config.exists() {
            std::fs::write(&config, CONFIG).map_err(|e| fail(format!("cannot write {}: {e}", config.display())))?;
        }
        let file = data_dir.join(CREDENTIALS_FILE);
        let kept = match std::fs::read_to_string(&file) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Failure::new(format!("{} is not JSON: {e}", file.display()), format!("rm {}", file.display()))
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Value::Null,
            Err(error) => return Err(fail(format!("cannot read {}: {error}", file.display()))),
        };
        let cli = |args: &[&str]| {
            let mut command = Command::new(binary);
            command.args(args).arg("--data-dir").arg(data_dir).arg("--config").arg(&config);
            command
        };
        let users = json_output(&mut cli(&["user", "list", "--json"]))?;
        let users = users.as_array().cloned().unwrap_or_default();
        let keys = json_output(&mut cli(&["access-key", "list", "--json"]))?;
        let usable = |key: &AccessKey| {
            keys.as_array()
                .into_iter()
                .flatten()
                .any(|k| k["AccessKeyId"] == *key.access_key_id && k["Enabled"] == true)
        };
        let mut changed = false;
        let mut user = match (kept["UserName"].as_str(), kept["Password"].as_str()) {
            (Some(name), Some(password)) => Some((name.to_owned(), password.to_owned())),
            _ => None,
        };
        if users.is_empty() {
            let created = json_output(&mut cli(&["user", "create", USER, "--policy", "admin", "--json"]))?;
            let password = created["Password"].as_str().ok_or_else(|| fail(format!("no password made: {created}")))?;
            user = Some((USER.to_owned(), password.to_owned()));
            changed = true;
        } else if user
            .as_ref()
            .is_some_and(|(name, _)| !users.iter().any(|u| u["UserName"] == **name && u["Enabled"] == true))
        {
            // Deleted or disabled since: no longer shown, nor kept.
            user = None;
            changed = true;
        }
        let mut key = |field: &str, name: &str, policy: &str| -> Result<AccessKey, Failure> {
            match kept_key(&kept[field]).filter(|key| usable(key)) {
                Some(key) => Ok(key),
                None => {
                    changed = true;
                    create_access_key(binary, data_dir, Some(&config), None, name, policy)
                }
            }
        };
        let sdk = key("Sdk", "sdk", "admin")?;
        let simulator = key("Simulator", "fleet-simulator", SIMULATOR_POLICY)?;
        let access = Self { user, sdk, simulator };
        if changed {
            access.keep(&file)?;
        }
        Ok(access)
    }

    /// Writes the credentials file, readable by its owner only (a new file, renamed over the old).
    fn keep(&self, file: &Path) -> Result<(), Failure> {
        use std::io::Write;
        let fail = |e: std::io::Error| Failure::new(format!("cannot write {}: {e}", file.display()), "df -h");
        let key = |key: &AccessKey| json!({"AccessKeyId": key.access_key_id, "AccessKeySecret": key.access_key_secret});
        let mut kept = json!({"Sdk": key(&self.sdk), "Simulator": key(&self.simulator)});
        if let Some((name, password)) = &self.user {
            kept["UserName"] = json!(name);
            kept["Password"] = json!(password);
        }
        let new = file.with_extension("json.new");
        let _ = std::fs::remove_file(&new);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&new).map_err(fail)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&kept).unwrap_or_default()).map_err(fail)?;
        drop(out);
        std::fs::rename(&new, file).map_err(fail)
    }
}

/// A key as the credentials file keeps it.
fn kept_key(value: &Value) -> Option<AccessKey> {
    Some(AccessKey {
        access_key_id: value["AccessKeyId"].as_str()?.to_owned(),
        access_key_secret: value["AccessKeySecret"].as_str()?.to_owned(),
        security_token: None,
    })
}
