//! Two servers on one PostgreSQL database with the devices on mosquitto between them, which
//! hands each device message to one of the two (`$share/ota-server/…`): the progress-report
//! ingestion of `fleet`, handled by both.

use std::time::Duration;

use ota_server::sim::api::Api;
use sqlx::Connection;

use super::faults::broker::Mosquitto;
use super::fleet::{Process, admin_key, free_address, ingest, ok, register_reporters};

/// `postgres` is a superuser's URL of the server; the measurement gets a database of its own.
pub async fn measure(postgres: &str) -> String {
    let broker = Mosquitto::start().expect("mosquitto for the two servers");
    let database = create_database(postgres, "ota_bench_servers").await;
    let mqtt = format!("mqtt://{}", broker.address);
    let dirs = [tempfile::tempdir().expect("a directory"), tempfile::tempdir().expect("a directory")];
    let data: Vec<&str> = dirs.iter().map(|dir| dir.path().to_str().unwrap()).collect();
    let key = admin_key(data[0], Some(&database));
    // Both seal and sign with one master key.
    std::fs::copy(dirs[0].path().join("master.key"), dirs[1].path().join("master.key")).expect("the master key");
    let http = [free_address(), free_address()];
    let servers: Vec<Process> = (0..2)
        .map(|n| {
            let replica = format!("bench-{n}");
            let server = Process::spawn(&[
                "serve",
                "--listen",
                &http[n],
                "--mqtt-url",
                &mqtt,
                "--data-dir",
                data[n],
                "--database",
                &database,
                "--replica-id",
                &replica,
            ]);
            server.line_with("OTA API at", Duration::from_secs(60));
            server
        })
        .collect();
    let api = Api::new(reqwest::Client::new(), &format!("http://{}/", http[0]), None, key);
    let product =
        ok(&api, "CreateProduct", &[("ProductName", "Two servers")]).await["ProductKey"].as_str().unwrap().to_owned();
    register_reporters(&api, &product).await;
    let section = ingest(&api, &product, &broker.address, "PostgreSQL").await;
    let rss: Vec<String> = servers
        .iter()
        .map(|server| super::peak_rss_mb(server.child.id()).map_or("?".into(), |mb| format!("{mb:.0} MB")))
        .collect();
    format!(
        "### Progress-report ingestion, two servers on PostgreSQL\n\nThrough mosquitto, which hands each \
         message to one of the two servers (a shared subscription); each server records what it is handed. \
         {section}\nServers' peak memory: {}.\n",
        rss.join(" and ")
    )
}

/// A new, empty database `name` on the server at `postgres`: its URL.
pub async fn create_database(postgres: &str, name: &str) -> String {
    let mut db = sqlx::PgConnection::connect(postgres).await.expect("the benchmark's PostgreSQL");
    for statement in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
        sqlx::raw_sql(&statement).execute(&mut db).await.expect("a database for the benchmark");
    }
    let (server, _) = postgres.rsplit_once('/').expect("a database URL");
    format!("{server}/{name}")
}
