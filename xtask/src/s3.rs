//! moto in server mode, the S3 protocol server the tests keep package files in: on a free
//! port, its buckets in memory, stopped when dropped.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::project::{Failure, Project, describe, free_port};
use crate::setup;

pub struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    /// Starts moto and waits until it answers.
    pub fn start(project: &Project) -> Result<Self, Failure> {
        let port = free_port()?;
        let mut command = Command::new(setup::s3_python(project));
        command.args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()]);
        let shown = describe(&command);
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Failure::new(format!("cannot run `{shown}`: {e}"), "cargo xtask setup"))?;
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(Failure::new(format!("`{shown}` did not listen within 30 s"), shown));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    /// Its endpoint, as `AWS_ENDPOINT` takes it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
