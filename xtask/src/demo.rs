//! `cargo xtask demo`: set up, build, and serve the console with the OTA API, an embedded
//! SQLite database (seeded with the demo fleet on first run) and, later, the simulator.

use std::path::PathBuf;
use std::process::Command;

use clap::Args;

use crate::project::{Failure, Project};
use crate::setup;

#[derive(Args)]
pub struct DemoArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Directory for the database; created and seeded on first run, reused after.
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
}

pub fn run(project: &Project, args: DemoArgs) -> Result<(), Failure> {
    setup::run(project, setup::Needs { browser: false })?;
    project.build_console()?;
    let server_binary = project.build_release_server()?;
    let data_dir = project.root.join(&args.data_dir);
    let mut server = Command::new(server_binary);
    server
        .current_dir(&project.root)
        .arg("serve")
        .args(["--listen", &args.listen])
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--console-dir")
        .arg(project.dist())
        .arg("--seed-demo");
    println!("\n==> serving the demo: open http://{}/ (Ctrl-C stops)", args.listen);
    println!("    data: {}", data_dir.display());
    exec(project, server)
}

/// Becomes the server, so that Ctrl-C reaches it directly and it shuts down cleanly.
#[cfg(unix)]
fn exec(_project: &Project, mut command: Command) -> Result<(), Failure> {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(Failure::new(format!("cannot start ota-server: {error}"), crate::project::describe(&command)))
}

#[cfg(not(unix))]
fn exec(project: &Project, mut command: Command) -> Result<(), Failure> {
    project.run(&mut command)
}
