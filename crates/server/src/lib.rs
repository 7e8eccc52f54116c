//! The reference OTA server: Alibaba Cloud IoT Platform's OTA API (2018-01-20) over embedded
//! SQLite, with the console served beside it.
//!
//! `http` speaks the API, `store` owns the database, `files` the uploaded package files,
//! `demo` fills a new database with a believable fleet.

pub mod auth;
pub mod batches;
pub mod cli;
pub mod demo;
pub mod engine;
pub mod files;
pub mod http;
pub mod ids;
pub mod loadtest;
pub mod maintenance;
pub mod metrics;
pub mod mqtt;
pub mod relay;
pub mod sim;
pub mod store;
pub mod telemetry;
pub mod tls;

use std::error::Error;
use std::net::SocketAddr;
use std::path::Path;

use ota_model::UtcTime;
use ota_model::audit::DEFAULT_RETENTION_DAYS;
use tokio::net::TcpListener;

use crate::cli::{CheckArgs, ConfigFile, InstanceSpec, MigrateStoreArgs, SeedArgs, ServeArgs, StorageArgs};
use crate::files::FileStore;
use crate::http::console::Console;
use crate::http::{Instances, Settings};
use crate::store::Store;

/// A failure that stops the server from starting, worded for the operator.
pub type StartError = Box<dyn Error + Send + Sync>;

fn now() -> UtcTime {
    UtcTime(chrono::Utc::now())
}

/// The database and the file store, opened and migrated, with the instances in place.
async fn open(storage: &StorageArgs, instances: &Instances) -> Result<(Store, FileStore), StartError> {
    let store = Store::open(&storage.database()).await?;
    let files = FileStore::open(&storage.files()).await?;
    store.upsert_instances(instances.all(), now()).await?;
    Ok((store, files))
}

/// Runs `ota-server serve` until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let certificates = args.tls.certificate.load()?;
    check_exposure(args.listen, certificates.is_some(), args.insecure_public)?;
    if args.mqtt_url.is_none() {
        check_exposure(args.mqtt_listen, false, args.insecure_public)?;
    }
    let config = match &args.config {
        Some(path) => ConfigFile::read(path)?,
        None => ConfigFile::default(),
    };
    let specs = if args.instances.instances.is_empty() { &config.instances } else { &args.instances.instances };
    let instances = Instances::new(InstanceSpec::pairs(specs)).ok_or("no instance to serve")?;
    let (store, files) = open(&args.storage, &instances).await?;
    let access = auth::Access::new(
        auth::MasterKey::load_or_create(&args.storage.data_dir)?,
        auth::Policies::new(config.policies.clone())?,
    );
    access.nonces.load(&store, now()).await?;
    tokio::spawn(maintenance::keep_nonces(store.clone(), access.nonces.clone()));
    if args.seed_demo && store.is_empty().await? {
        demo::seed(&store, &files, instances.default_id()).await?;
        tracing::info!("filled the new database with the demo dataset");
    }
    let console = match &args.console_dir {
        Some(dir) => Some(Console::new(dir, &args.console_path)?),
        None => None,
    };
    let console_path = console.as_ref().map(|c| c.base_path().to_owned());
    let public_url = args.public_url.clone().or(config.public_url);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let hosts = if args.allowed_hosts.is_empty() { &config.allowed_hosts } else { &args.allowed_hosts };
    let metrics = metrics::Metrics::new();
    let store = store.observed_by(metrics.clone());
    let settings = Settings {
        allowed_hosts: http::AllowedHosts::new(public_url.as_deref(), hosts),
        stopping: Some(stopping),
        public_url: public_url.clone(),
        cors_origins: if args.cors_origins.is_empty() { config.cors_origins } else { args.cors_origins.clone() },
        plain: args.plain,
        limits: args.limits.requests(),
        metrics: metrics.clone(),
        metrics_public: args.metrics_public,
        broker_hooks: args
            .broker_hooks_secret
            .clone()
            .map(|secret| http::BrokerHooks::new(secret, args.limits.mqtt_logins_per_device)),
    };
    let retention = args.audit_retention_days.or(config.audit_retention_days).unwrap_or(DEFAULT_RETENTION_DAYS);
    if retention == 0 {
        return Err("the audit log's retention must be at least one day".into());
    }
    tokio::spawn(maintenance::run(store.clone(), files.clone(), access.nonces.clone(), retention));
    let nonces = access.nonces.clone();
    let listener =
        TcpListener::bind(args.listen).await.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr()?;
    let scheme = if certificates.is_some() { "https" } else { "http" };
    let download_base = public_url.unwrap_or_else(|| format!("{scheme}://{address}"));
    let devices = Devices { download_base, downloads: access.downloads.clone(), metrics: metrics.clone() };
    let leader = start_devices(&store, &args, certificates.as_ref(), devices).await?;
    let store_for_shutdown = store.clone();
    let app = http::router(store, files, instances, settings, access, console);

    match console_path {
        Some(path) => println!("ota-server: console at {scheme}://{address}{path} (OTA API at {scheme}://{address}/)"),
        None => println!("ota-server: OTA API at {scheme}://{address}/ (no --console-dir, so no console)"),
    }
    let stopped = async move {
        shutdown_requested().await;
        // Event streams never end by themselves; graceful shutdown would wait for them forever.
        let _ = stop.send(true);
    };
    let tls = certificates.as_ref().map(http::serve::acceptor);
    http::serve::serve(listener, tls, app, args.limits.connections(), metrics, stopped).await;
    engine::lease::step_down(&store_for_shutdown, &leader.holder, &leader.leadership).await;
    if let Err(error) = nonces.flush(&store_for_shutdown).await {
        tracing::warn!("cannot write the last signature nonces: {error}");
    }
    println!("ota-server: stopped");
    Ok(())
}

/// Runs `ota-server check`: prints what is wrong with the database, a line each.
pub async fn check(args: CheckArgs) -> Result<(), StartError> {
    let database = args.storage.database();
    let is_url = database.starts_with("sqlite:") || database.starts_with("postgres");
    if !is_url && !Path::new(&database).exists() {
        return Err(format!("there is no database at {database}").into());
    }
    let store = Store::open(&database).await?;
    let findings = store.check().await?;
    store.close().await;
    for finding in &findings {
        println!("{finding}");
    }
    match findings.len() {
        0 => Ok(()),
        n => Err(format!("{database}: {n} inconsistencies").into()),
    }
}

/// Runs `ota-server migrate-store`: copies, verifies and checks; prints each table's rows.
pub async fn migrate_store(args: MigrateStoreArgs) -> Result<(), StartError> {
    if !args.from.is_file() {
        return Err(format!("there is no database at {}", args.from.display()).into());
    }
    if !args.to.starts_with("postgres://") && !args.to.starts_with("postgresql://") {
        return Err("--to must name a PostgreSQL database: postgres://user:password@host/database".into());
    }
    let source = Store::open(&args.from.to_string_lossy()).await?;
    let target = Store::open(&args.to).await?;
    let copied = source.copy_into(&target).await?;
    for table in &copied {
        println!("{:>12}  {}", table.rows, table.table);
    }
    // What the copy got wrong, beside what the source had wrong already (and passed on).
    let inherited = source.check().await?;
    let findings = target.check().await?;
    source.close().await;
    target.close().await;
    let new: Vec<String> = findings.iter().filter(|f| !inherited.contains(f)).cloned().collect();
    if !new.is_empty() {
        return Err(format!("the copy is complete, but its counters are wrong: {}", at_most_five(&new)).into());
    }
    if !inherited.is_empty() {
        let n = inherited.len();
        println!("ota-server: the source had {n} inconsistencies, and so has the copy: {}", at_most_five(&inherited));
    }
    let rows: u64 = copied.iter().map(|t| t.rows).sum();
    println!("ota-server: copied {rows} rows into PostgreSQL, verified table by table; counters checked");
    Ok(())
}

/// The first five findings, and how many more there are (`ota-server check` lists them all).
fn at_most_five(findings: &[String]) -> String {
    let mut text = findings.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
    if findings.len() > 5 {
        text += &format!("; and {} more", findings.len() - 5);
    }
    text
}

/// Runs `ota-server seed`.
pub async fn seed(args: SeedArgs) -> Result<(), StartError> {
    let instances = Instances::new(InstanceSpec::pairs(&args.instances.instances)).ok_or("no instance to seed")?;
    let (store, files) = open(&args.storage, &instances).await?;
    if !store.is_empty().await? {
        return Err(format!(
            "{} already holds data; a dataset only goes into an empty database",
            args.storage.database()
        )
        .into());
    }
    if args.load_test {
        let fleet = loadtest::seed(&store, instances.default_id(), args.devices, args.tasks).await?;
        // One JSON line, for `cargo xtask bench api` to find the batch it measures.
        println!("{}", serde_json::to_string(&fleet)?);
    } else {
        demo::seed(&store, &files, instances.default_id()).await?;
        println!("ota-server: seeded the demo dataset into {}", args.storage.database());
    }
    store.close().await;
    Ok(())
}

/// What the engine needs to tell devices where their packages are, and where it counts.
struct Devices {
    download_base: String,
    downloads: auth::downloads::Downloads,
    metrics: std::sync::Arc<metrics::Metrics>,
}

/// This server's claim to lead the rollout engine.
struct Leader {
    holder: String,
    leadership: engine::lease::Leadership,
}

/// Starts the rollout engine (leading it while this server holds the engine lease) and the
/// MQTT side: the embedded broker (plain, and over TLS when there is a certificate) or a
/// client of the external one.
async fn start_devices(
    store: &Store,
    args: &ServeArgs,
    certificates: Option<&std::sync::Arc<tls::Certificates>>,
    devices: Devices,
) -> Result<Leader, StartError> {
    let replica = args.replica();
    let leadership = engine::lease::Leadership::default();
    let (events, incoming) = tokio::sync::mpsc::channel(10_000);
    let outbox = match &args.mqtt_url {
        Some(url) => {
            let tls = match url.tls {
                true => Some(tls::client_config(args.mqtt_ca_file.as_deref())?),
                false => None,
            };
            let secure = if url.tls { " (TLS)" } else { "" };
            println!("ota-server: devices through the MQTT broker at {}:{}{secure}", url.host, url.port);
            if let Some(replica) = &args.replica_id {
                // Known to run before it takes its session, so that a leader holding it lets go.
                store.heartbeat(replica).await?;
                let adopting = mqtt::external::adopt_silent(
                    store.clone(),
                    replica.clone(),
                    leadership.clone(),
                    url.clone(),
                    tls.clone(),
                    events.clone(),
                    devices.metrics.clone(),
                );
                tokio::spawn(adopting);
            }
            mqtt::external::connect(url, args.replica_id.as_deref(), tls, events, devices.metrics.clone())
        }
        None => {
            // Whatever the last run left, nobody is connected to a broker that starts now. (An
            // external broker kept its devices connected while the server was away.)
            store.all_devices_disconnected(now()).await?;
            let bind = |address: SocketAddr| async move {
                TcpListener::bind(address).await.map_err(|e| format!("cannot listen for MQTT on {address}: {e}"))
            };
            let plain = bind(args.mqtt_listen).await?;
            println!("ota-server: MQTT broker for devices at {}", plain.local_addr()?);
            let mut listeners = vec![mqtt::broker::BrokerListener::plain(plain)];
            if let Some(certificates) = certificates {
                let address = args.tls.mqtts_listen.unwrap_or(SocketAddr::new(args.mqtt_listen.ip(), 8883));
                let secure = bind(address).await?;
                println!("ota-server: MQTT over TLS for devices at {}", secure.local_addr()?);
                listeners.push(mqtt::broker::BrokerListener::tls(secure, certificates));
            }
            mqtt::broker::start(listeners, store.clone(), events, devices.metrics.clone(), args.limits.broker())
        }
    };
    let clock = std::sync::Arc::new(engine::SystemClock);
    let Devices { download_base, downloads, metrics } = devices;
    let leader = Leader { holder: engine::lease::holder_name(&replica), leadership };
    let (holder, heartbeat) = (leader.holder.clone(), args.replica_id.clone());
    let hold = engine::lease::hold(store.clone(), holder, heartbeat, leader.leadership.clone(), metrics.clone());
    tokio::spawn(hold);
    let engine = engine::Engine::new(store.clone(), outbox, clock, download_base, downloads, metrics);
    tokio::spawn(engine.run(incoming, leader.leadership.clone()));
    Ok(leader)
}

/// Without TLS, answers and passwords cross the network readable, so a plain listener is
/// allowed off loopback only when the operator says so (`--insecure-public`).
pub(crate) fn check_exposure(listen: SocketAddr, tls: bool, insecure_public: bool) -> Result<(), StartError> {
    if listen.ip().is_loopback() || tls {
        return Ok(());
    }
    if insecure_public {
        tracing::warn!(
            "listening on {listen} without TLS (--insecure-public): answers and passwords are readable on the network"
        );
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {listen} without TLS: device secrets in answers, passwords at sign-in \
         and device logins would cross the network readable. Give --tls-cert and --tls-key, listen \
         on 127.0.0.1 behind a TLS-terminating proxy, or pass --insecure-public if this network is trusted."
    )
    .into())
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_requested() {
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
    fn loopback_is_always_allowed_and_public_needs_tls_or_the_flag() {
        assert!(check_exposure("127.0.0.1:8080".parse().unwrap(), false, false).is_ok());
        assert!(check_exposure("[::1]:8080".parse().unwrap(), false, false).is_ok());
        let refused = check_exposure("0.0.0.0:8080".parse().unwrap(), false, false).unwrap_err();
        assert!(refused.to_string().contains("--insecure-public"), "{refused}");
        assert!(check_exposure("0.0.0.0:8080".parse().unwrap(), true, false).is_ok());
        assert!(check_exposure("0.0.0.0:8080".parse().unwrap(), false, true).is_ok());
    }
}
