//! mosquitto for the campaign's external-broker rollout: stopped and killed under it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::super::fleet::free_address;

/// Debian's mosquitto on a free port, letting anyone in (it stands for a broker that
/// authenticates devices itself), persistent as a production broker is, keeping every message
/// queued for the server's session.
pub struct Mosquitto {
    pub address: String,
    config: tempfile::TempDir,
    process: Child,
}

impl Mosquitto {
    pub fn start() -> Result<Self, String> {
        let binary = std::env::var("OTA_MOSQUITTO").unwrap_or_else(|_| "/usr/sbin/mosquitto".into());
        if !Path::new(&binary).exists() {
            return Err(format!("no mosquitto at {binary} (`cargo xtask setup --browser` installs it)"));
        }
        let address = free_address();
        let config = tempfile::tempdir().map_err(|e| e.to_string())?;
        // Started by root, mosquitto runs as its own user, who must be able to save its sessions.
        std::fs::set_permissions(config.path(), std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .map_err(|e| e.to_string())?;
        let port = address.rsplit_once(':').unwrap().1;
        let place = config.path().display();
        let text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n\
             persistence true\npersistence_location {place}/\n"
        );
        std::fs::write(config.path().join("mosquitto.conf"), text).map_err(|e| e.to_string())?;
        let process = spawn_mosquitto(config.path())?;
        let broker = Self { address, config, process };
        broker.wait_until_listening()?;
        Ok(broker)
    }

    /// SIGTERM (it saves its sessions), or SIGKILL with `crash`.
    pub fn stop(&mut self, crash: bool) {
        if crash {
            let _ = self.process.kill();
        } else {
            let _ = Command::new("kill").args(["-TERM", &self.process.id().to_string()]).status();
        }
        let _ = self.process.wait();
    }

    pub fn start_again(&mut self) {
        self.process = spawn_mosquitto(self.config.path()).expect("mosquitto starts again");
        self.wait_until_listening().expect("mosquitto listens again");
    }

    fn wait_until_listening(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&self.address).is_err() {
            if Instant::now() > deadline {
                return Err(format!("mosquitto did not listen on {}", self.address));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

fn spawn_mosquitto(config: &Path) -> Result<Child, String> {
    let binary = std::env::var("OTA_MOSQUITTO").unwrap_or_else(|_| "/usr/sbin/mosquitto".into());
    Command::new(binary)
        .arg("-c")
        .arg(config.join("mosquitto.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start mosquitto: {e}"))
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        self.stop(true);
    }
}
