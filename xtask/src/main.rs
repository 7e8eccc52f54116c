//! `cargo xtask …`: everything a newcomer or CI runs, on a fresh machine.
//!
//! - `setup` installs only what is missing (wasm32 target, Trunk, wasm-bindgen-cli, npm
//!   packages with wasm-opt, and for tests Debian's Chromium);
//! - `demo` builds the console and serves it with the OTA API and a demo fleet;
//! - `test` runs every check CI runs and ends with one `N passed, N failed` line;
//! - `bench` measures the console's transfer size and the API's latency into docs/benchmarks.md.

mod bench;
mod demo;
mod postgres;
mod precompress;
mod project;
mod s3;
mod server;
mod setup;
mod split;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation for ota-console")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the tools the build and the tests need, where missing.
    Setup {
        /// Also install what the browser tests need (Chromium, CJK fonts).
        #[arg(long)]
        browser: bool,
    },
    /// Build everything and serve the console with the OTA API and a demo fleet.
    Demo(demo::DemoArgs),
    /// Run every check CI runs.
    Test,
    /// Write .br and .gz beside the console's built scripts, wasm and styles (Trunk's
    /// release builds run it on their output).
    Precompress {
        /// The directory; by default Trunk's staging directory, when Trunk runs it.
        dir: Option<std::path::PathBuf>,
    },
    /// Trunk's hook after every build: split the console's wasm by groups of pages, then precompress
    /// (release builds).
    PostBuild,
    /// Measure; write docs/benchmarks.md. Without a target, both.
    Bench {
        #[arg(value_enum)]
        target: Option<bench::Target>,
    },
}

fn main() -> ExitCode {
    let project = project::Project::locate();
    let outcome = match Cli::parse().command {
        Command::Setup { browser } => setup::run(&project, setup::Needs { browser }),
        Command::Demo(args) => demo::run(&project, args),
        Command::Test => return test::run(&project),
        Command::Precompress { dir } => precompress::run(dir),
        Command::PostBuild => split::run(&project),
        Command::Bench { target } => bench::run(&project, target),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\n{failure}");
            ExitCode::FAILURE
        }
    }
}
