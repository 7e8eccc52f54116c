//! `ota-server`: the reference OTA backend. `serve` runs it; `seed` fills a database.

use std::process::ExitCode;

use clap::Parser;
use ota_server::cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    ota_server::telemetry::init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => ota_server::serve(args).await,
        Command::Seed(args) => ota_server::seed(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ota-server: {error}");
            ExitCode::FAILURE
        }
    }
}
