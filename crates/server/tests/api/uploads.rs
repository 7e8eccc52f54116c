//! What uploads may take, each bound counted when it refuses: form fields beside the file,
//! upload URLs open at once, an instance's storage quota, and the disk's free space.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ota_server::http::RequestLimits;
use ota_server::metrics::Refusal;

use crate::support::{Options, Server};

fn limited(limits: RequestLimits) -> Options<'static> {
    Options { limits, ..Default::default() }
}

#[tokio::test]
async fn a_form_field_beside_the_file_longer_than_its_cap_is_refused_unread() {
    let server = Server::new().await;
    let grant = server.ok("GenerateOTAUploadURL", &[]).await;
    let key = grant["Data"]["Key"].as_str().unwrap();
    let boundary = "XyZ";
    let policy = "p".repeat(64 * 1024);
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{key}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n{policy}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n\r\nbytes\r\n\
         --{boundary}--\r\n"
    );
    let request = Request::post("/ota-files")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let refused = server.send(request).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert!(refused.text.contains("policy: is longer than 8192 bytes"), "{}", refused.text);
    assert_eq!(server.metrics.refusals(Refusal::UploadField), 1);
}

#[tokio::test]
async fn an_instance_has_a_bounded_number_of_upload_urls_waiting_for_files() {
    let server = Server::with(limited(RequestLimits { upload_grants: 2, ..RequestLimits::default() })).await;
    server.ok("GenerateOTAUploadURL", &[]).await;
    server.ok("GenerateDeviceNameListURL", &[]).await;
    let refused = server.call("GenerateOTAUploadURL", &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json()["Code"], "iot.ota.UploadGrantLimitExceeded");
    assert_eq!(server.metrics.refusals(Refusal::UploadGrants), 1);
    // Another instance has its own.
    server.ok("GenerateOTAUploadURL", &[("IotInstanceId", "iot-lab")]).await;
}

#[tokio::test]
async fn an_instance_keeps_files_up_to_its_quota_and_a_refused_file_leaves_nothing() {
    let server = Server::with(limited(RequestLimits { storage_quota: 100, ..RequestLimits::default() })).await;
    let server = &server;
    let put = |bytes: usize| async move {
        let grant = server.ok("GenerateOTAUploadURL", &[("IotInstanceId", "iot-lab")]).await;
        let url = grant["Data"]["FirmwareUrl"].as_str().unwrap().to_owned();
        server.put_bytes(&url, vec![b'x'; bytes]).await
    };
    assert_eq!(put(60).await.status, StatusCode::OK);
    let over = put(60).await;
    assert_eq!(over.status, StatusCode::CONFLICT, "{}", over.text);
    assert!(over.text.contains("iot.ota.StorageQuotaExceeded") && over.text.contains("40 B left"), "{}", over.text);
    assert_eq!(put(40).await.status, StatusCode::OK, "what is left can still be used");
    assert_eq!(server.metrics.refusals(Refusal::StorageQuota), 1);
}

#[tokio::test]
async fn a_file_that_would_leave_the_disk_without_its_reserve_is_refused() {
    let server = Server::with(limited(RequestLimits { min_free_disk: u64::MAX / 2, ..RequestLimits::default() })).await;
    let grant = server.ok("GenerateOTAUploadURL", &[]).await;
    let refused = server.put_bytes(grant["Data"]["FirmwareUrl"].as_str().unwrap(), b"image".to_vec()).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.text);
    assert_eq!(server.metrics.refusals(Refusal::DiskSpace), 1);
}
