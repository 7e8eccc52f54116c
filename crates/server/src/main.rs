//! `ota-server`: the reference OTA backend. `serve` runs it; `seed` fills a database; `check`
//! checks one; `migrate-store` copies SQLite into PostgreSQL; `simulate` runs a fleet of
//! virtual devices against it.

use std::process::ExitCode;

use clap::Parser;
use mimalloc::MiMalloc;
use ota_server::cli::{Cli, Command};

/// Rows are built on the database threads and dropped on the request threads; glibc's
/// allocator makes those threads queue on each other's arenas, mimalloc does not.
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    ota_server::telemetry::init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => ota_server::serve(*args).await,
        Command::Seed(args) => ota_server::seed(args).await,
        Command::Check(args) => ota_server::check(args).await,
        Command::MigrateStore(args) => ota_server::migrate_store(args).await,
        Command::Simulate(args) => ota_server::sim::run(args).await,
        Command::AccessKey(command) => ota_server::auth::cli::access_key(command).await,
        Command::User(command) => ota_server::auth::cli::user(command).await,
        Command::Relay(args) => ota_server::relay::run(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ota-server: {error}");
            ExitCode::FAILURE
        }
    }
}
