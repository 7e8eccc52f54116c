//! What calls made at the same moment cannot do: give one file to two packages, delete a file a
//! package just claimed, or give one device two unfinished tasks for one module.

use std::collections::HashMap;

use axum::http::StatusCode;
use ota_model::UtcTime;

use ota_server::store::uploads::claim_upload;

use crate::support::Server;

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");
const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

#[tokio::test]
async fn one_uploaded_file_goes_to_one_package_even_when_both_saw_it_free() {
    let server = Server::new().await;
    let url = server.upload(b"one image").await;
    let key = url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    // Both packages' calls checked the upload before either stored its package: the claims
    // themselves decide, inside each package's transaction.
    let mut first = server.store.begin().await.unwrap();
    assert!(claim_upload(&mut first, &key, "package-a").await.unwrap());
    first.commit().await.unwrap();
    let mut second = server.store.begin().await.unwrap();
    assert!(!claim_upload(&mut second, &key, "package-b").await.unwrap(), "a claimed file was claimed again");
    drop(second);
    assert_eq!(server.store.upload(&key).await.unwrap().unwrap().used_by.as_deref(), Some("package-a"));
}

#[tokio::test]
async fn cleanup_never_deletes_a_file_a_package_claimed_after_it_was_listed() {
    let server = Server::new().await;
    let url = server.upload(b"late image").await;
    let key = url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let later = UtcTime(chrono::Utc::now() + chrono::Duration::hours(2));
    // Cleanup lists the unclaimed upload as expired …
    assert!(server.store.expired_uploads(later).await.unwrap().contains(&key));
    // … a package claims it meanwhile …
    let params = [METER, ("FirmwareName", "claimed-late"), ("DestVersion", "4.2.0"), ("FirmwareUrl", url.as_str())];
    server.ok("CreateOTAFirmware", &params).await;
    // … and cleanup, going on, must leave it.
    assert!(!server.store.forget_upload(&key, later).await.unwrap(), "a claimed upload was forgotten");
    let download = server.ok("QueryOTAFirmware", &[("FirmwareId", &server.firmware_id("claimed-late").await)]).await;
    let file = download["FirmwareInfo"]["FirmwareUrl"].as_str().unwrap();
    assert_eq!(server.get_unsigned(file.split_once("ota.test").map_or(file, |(_, p)| p)).await.text, "late image");
}

#[tokio::test]
async fn two_batches_created_at_once_never_give_a_device_two_unfinished_tasks_for_a_module() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let params = [("FirmwareId", id.as_str()), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0")];
    let (first, second) = tokio::join!(
        server.call("CreateOTAStaticUpgradeJob", &params),
        server.call("CreateOTAStaticUpgradeJob", &params)
    );
    assert_eq!((first.status, second.status), (StatusCode::OK, StatusCode::OK), "{} {}", first.text, second.text);

    let mut unfinished: HashMap<String, u32> = HashMap::new();
    for job in server.jobs_of(&id).await {
        let job_id = job["JobId"].as_str().unwrap();
        let tasks = server.ok("ListOTATaskByJob", &[("JobId", job_id), ("PageSize", "100")]).await;
        for task in tasks["Data"]["SimpleOTATaskInfo"].as_array().unwrap() {
            let status = task["TaskStatus"].as_str().unwrap();
            if ["CONFIRM", "QUEUED", "NOTIFIED", "IN_PROGRESS"].contains(&status) {
                *unfinished.entry(task["DeviceName"].as_str().unwrap().to_owned()).or_default() += 1;
            }
        }
    }
    assert_eq!(unfinished.len(), 12, "every controller on 1.8.0 has its unfinished task: {unfinished:?}");
    let doubled: Vec<_> = unfinished.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "devices with two unfinished tasks: {doubled:?}");
}
