//! `cargo xtask demo`: set up, build, and serve the console with the OTA API, an embedded
//! SQLite database (seeded with the demo fleet on first run), and the fleet simulator beside it.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use clap::Args;

use crate::project::{Failure, Project, describe};
use crate::setup;

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
    let mut server = Command::new(&server_binary);
    server
        .current_dir(&project.root)
        .arg("serve")
        .args(["--listen", &args.listen, "--mqtt-listen", &args.mqtt_listen])
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--console-dir")
        .arg(project.dist())
        .arg("--seed-demo");
    // Ctrl-C in the terminal reaches the whole process group: both stop on their own.
    let mut server = Spawned::new(&mut server)?;
    wait_until_listening(&args.listen, &mut server)?;
    let mut simulator = Command::new(&server_binary);
    simulator.args(["simulate", "--devices", &args.devices.to_string()]).args([
        "--api",
        &format!("http://{}/", args.listen),
        "--mqtt",
        &args.mqtt_listen,
    ]);
    let _simulator = if args.devices > 0 { Some(Spawned::new(&mut simulator)?) } else { None };
    println!("\n==> serving the demo: open http://{}/ (Ctrl-C stops)", args.listen);
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
