//! `ota-server migrate-store`: the demo database, with a user, a session, audit records and
//! nonces, copied from SQLite into PostgreSQL. The copy answers every read as the original did,
//! to the same keys and session, and takes new changes. Runs when the tests run on PostgreSQL
//! (`OTA_TEST_POSTGRES`, as `cargo xtask test` does in its second pass).

use std::process::Command;

use axum::http::StatusCode;
use ota_model::signature::AccessKey;
use ota_server::auth::MasterKey;
use ota_server::auth::cli::create_user_in;
use ota_server::files::FilesLocation;
use ota_server::store::access::Grant;
use serde_json::Value;

use crate::database::{Database, postgres_server};
use crate::support::{Options, Server};

const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

#[tokio::test]
async fn migrate_store_copies_a_sqlite_database_that_postgres_then_serves_alike() {
    if postgres_server().is_none() {
        eprintln!("migrate-store is tested where the tests run on PostgreSQL (OTA_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = FilesLocation::Directory(dir.path().join("files"));
    let master_key = MasterKey::generate();
    let database = Database::sqlite_demo(dir.path());
    let sqlite_file = database.location();
    let sqlite = Server::on(Options::default(), database, &files, master_key.clone(), dir).await;
    let session = activity(&sqlite).await;
    // A fault the source has already: copied as it is, and reported rather than refused.
    sqlite.database.execute("UPDATE firmware_task_counts SET count = count + 7 WHERE status = 'SUCCEEDED'").await;

    let target_dir = tempfile::tempdir().unwrap();
    let target = Database::empty(target_dir.path());
    let migrated = Command::new(env!("CARGO_BIN_EXE_ota-server"))
        .args(["migrate-store", "--from", &sqlite_file, "--to", &target.location()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&migrated.stdout);
    assert!(migrated.status.success(), "{said}{}", String::from_utf8_lossy(&migrated.stderr));
    assert!(said.contains("verified table by table; counters checked"), "{said}");
    assert!(said.contains("the source had") && said.contains("firmware_task_counts"), "{said}");
    let tasks = said.lines().find_map(|l| l.trim().strip_suffix("  tasks")?.trim().parse::<u64>().ok());
    assert!(tasks > Some(166), "the demo's tasks and the new batch's: {said}");

    let again = Command::new(env!("CARGO_BIN_EXE_ota-server"))
        .args(["migrate-store", "--from", &sqlite_file, "--to", &target.location()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"), "a second copy is refused");

    let mut postgres = Server::on(Options::default(), target, &files, master_key, target_dir).await;
    postgres.key = sqlite.key.clone();
    for (action, params) in reads(&sqlite).await {
        let params: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (before, after) = (sqlite.ok(action, &params).await, postgres.ok(action, &params).await);
        let (before, after) = (without_request_id(before), without_request_id(after));
        assert!(before == after, "{action} {params:?} answers differently:\n{before}\n{after}");
    }
    let identity = serde_urlencoded::to_string([("Action", "QueryOTACallerIdentity")]).unwrap();
    let answer = postgres.post_form_as(&session, &identity).await;
    assert_eq!(answer.status, StatusCode::OK, "the session signs in on the copy too: {}", answer.text);
    assert_eq!(answer.json()["Data"]["PrincipalName"], "migrating-operator");

    // New rows continue after the copied ones (identity sequences, the change feed).
    let created = new_batch(&postgres).await;
    let events = postgres.ok("ListOTAAuditEvents", &[("PageSize", "1")]).await;
    assert_eq!(events["Data"]["AuditEvent"][0]["TargetId"], created);
}

/// A user's session, changes, a refused call and nonces: what the copy must carry.
async fn activity(server: &Server) -> AccessKey {
    let grant = Grant { policy: "operator".into(), instances: vec![] };
    assert!(create_user_in(&server.store, "migrating-operator", "a long enough password", grant).await.unwrap());
    let form = serde_urlencoded::to_string([
        ("Action", "AssumeOTASession"),
        ("UserName", "migrating-operator"),
        ("Password", "a long enough password"),
    ])
    .unwrap();
    let credentials = server.post_form_unsigned(&form).await.json()["Credentials"].clone();
    let session = AccessKey {
        access_key_id: credentials["AccessKeyId"].as_str().unwrap().to_owned(),
        access_key_secret: credentials["AccessKeySecret"].as_str().unwrap().to_owned(),
        security_token: credentials["SecurityToken"].as_str().map(str::to_owned),
    };
    let job = new_batch(server).await;
    server.ok("UpdateOTAJob", &[("JobId", &job), ("MaximumPerMinute", "100")]).await;
    server.ok("CancelOTATaskByJob", &[("JobId", &job), ("CancelQueuedTask", "true")]).await;
    server.refused("QueryOTAJob", &[("JobId", "no-such-batch")], StatusCode::NOT_FOUND, "iot.ota.JobNotFound").await;
    server.access.nonces.flush(&server.store).await.unwrap();
    session
}

async fn new_batch(server: &Server) -> String {
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0")];
    server.ok("CreateOTAStaticUpgradeJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned()
}

/// The calls that read every kind of row: packages, batches, tasks, statistics, devices,
/// analysis and the audit log. (Progress over time ends at "now", so two reads differ; the
/// copy's table check covers its rows.)
async fn reads(server: &Server) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let all = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(n, v)| (*n, v.to_string())).collect::<Vec<_>>();
    let mut calls = vec![
        ("ListOTAFirmware", all(&[("PageSize", "100")])),
        ("QueryOTAOverview", vec![]),
        ("ListOTARunningJobs", vec![]),
        ("ListOTAAuditEvents", all(&[("PageSize", "100")])),
        ("QueryDevice", all(&[HVAC, ("PageSize", "50")])),
        ("ListOTAVersionDistribution", all(&[HVAC])),
    ];
    let firmware = server.ok("ListOTAFirmware", &[("PageSize", "100")]).await;
    for package in firmware["FirmwareInfo"]["SimpleFirmwareInfo"].as_array().unwrap() {
        let id = package["FirmwareId"].as_str().unwrap();
        calls.push(("QueryOTAFirmware", all(&[("FirmwareId", id)])));
        calls.push(("ListOTATaskByFirmware", all(&[("FirmwareId", id), ("PageSize", "100")])));
        calls.push(("QueryOTATaskStatistics", all(&[("FirmwareId", id)])));
        for job in server.jobs_of(id).await {
            let job = job["JobId"].as_str().unwrap();
            calls.push(("QueryOTAJob", all(&[("JobId", job)])));
            calls.push(("ListOTATaskByJob", all(&[("JobId", job), ("PageSize", "100")])));
            calls.push(("ListOTAJobHistory", all(&[("JobId", job)])));
            calls.push(("ListOTAFailureReasons", all(&[("JobId", job)])));
            calls.push(("ListOTASourceVersions", all(&[("JobId", job)])));
        }
    }
    calls
}

fn without_request_id(mut body: Value) -> Value {
    body.as_object_mut().unwrap().remove("RequestId");
    body
}
