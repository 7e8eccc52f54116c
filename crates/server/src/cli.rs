//! Command-line interface. Every `serve` flag also reads an `OTA_…` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ota-server",
    version,
    about = "Alibaba-compatible OTA API server with the ota-console web UI"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the OTA API and the console.
    Serve(ServeArgs),
    /// Fill a database with data.
    Seed(SeedArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on for the API and the console.
    #[arg(long, env = "OTA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Allow listening on a non-loopback address although the API has no authentication yet.
    #[arg(long, env = "OTA_INSECURE_PUBLIC")]
    pub insecure_public: bool,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Directory of the built console (Trunk's dist/). Without it only the API is served.
    #[arg(long, env = "OTA_CONSOLE_DIR")]
    pub console_dir: Option<PathBuf>,

    /// URL path the console is served under, e.g. /ota/ (the API stays at /).
    #[arg(long, env = "OTA_CONSOLE_PATH", default_value = "/")]
    pub console_path: String,

    /// Fill the database with the demo dataset if it holds no data yet.
    #[arg(long, env = "OTA_SEED_DEMO")]
    pub seed_demo: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Seed the demo dataset: products and update packages of a small fleet.
    #[arg(long, required = true)]
    pub demo: bool,

    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// SQLite database: a file path (created if missing) or a URL such as sqlite://data/ota.db
    /// or sqlite::memory:.
    #[arg(long, env = "OTA_DATABASE", default_value = "data/ota.db")]
    pub database: String,
}
