//! The reference OTA server: Alibaba Cloud IoT Platform's OTA API (2018-01-20) over embedded
//! SQLite, with the console served beside it.
//!
//! `http` speaks the API, `store` owns the database, `demo` fills it with a believable fleet.

pub mod cli;
pub mod demo;
pub mod http;
pub mod store;
pub mod telemetry;

use std::error::Error;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::cli::{SeedArgs, ServeArgs};
use crate::http::console::Console;
use crate::store::Store;

/// A failure that stops the server from starting, worded for the operator.
pub type StartError = Box<dyn Error + Send + Sync>;

/// Runs `ota-server serve` until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    check_exposure(args.listen, args.insecure_public)?;
    let store = Store::open(&args.database.database).await?;
    if args.seed_demo && store.is_empty().await? {
        demo::seed(&store).await?;
        tracing::info!("filled the new database with the demo dataset");
    }
    let console = match &args.console_dir {
        Some(dir) => Some(Console::new(dir, &args.console_path)?),
        None => None,
    };
    let console_path = console.as_ref().map(|c| c.base_path().to_owned());
    let app = http::router(store, console);

    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr()?;
    match console_path {
        Some(path) => {
            println!("ota-server: console at http://{address}{path} (OTA API at http://{address}/)")
        }
        None => {
            println!("ota-server: OTA API at http://{address}/ (no --console-dir, so no console)")
        }
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_requested())
        .await?;
    println!("ota-server: stopped");
    Ok(())
}

/// Runs `ota-server seed`.
pub async fn seed(args: SeedArgs) -> Result<(), StartError> {
    let store = Store::open(&args.database.database).await?;
    if !store.is_empty().await? {
        return Err(format!(
            "{} already holds data; the demo dataset only goes into an empty database",
            args.database.database
        )
        .into());
    }
    demo::seed(&store).await?;
    println!(
        "ota-server: seeded the demo dataset into {}",
        args.database.database
    );
    Ok(())
}

/// Until the API has authentication, anyone who can reach it can change the fleet, so only
/// loopback is allowed without an explicit opt-in.
fn check_exposure(listen: SocketAddr, insecure_public: bool) -> Result<(), StartError> {
    if listen.ip().is_loopback() || insecure_public {
        if !listen.ip().is_loopback() {
            tracing::warn!("listening on {listen} without authentication (--insecure-public)");
        }
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {listen}: the OTA API has no authentication yet, so anyone who can \
         reach that address could read and change your fleet. Listen on 127.0.0.1, or pass \
         --insecure-public if this network is trusted."
    )
    .into())
}

async fn shutdown_requested() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot watch for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!("cannot watch for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    println!("ota-server: shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_always_allowed_and_public_needs_the_flag() {
        assert!(check_exposure("127.0.0.1:8080".parse().unwrap(), false).is_ok());
        assert!(check_exposure("[::1]:8080".parse().unwrap(), false).is_ok());
        let refused = check_exposure("0.0.0.0:8080".parse().unwrap(), false).unwrap_err();
        assert!(
            refused.to_string().contains("--insecure-public"),
            "{refused}"
        );
        assert!(check_exposure("0.0.0.0:8080".parse().unwrap(), true).is_ok());
    }
}
