//! Package files in an S3-compatible bucket (`--files-url s3://…`, against moto): uploads
//! stream in while their digests are taken, a device list is read back from the bucket,
//! devices download through the store's own presigned URLs, and an upload that breaks off
//! leaves nothing behind. Runs when `OTA_TEST_S3` names an S3 test server.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, RANGE};

use super::harness::{FLAWLESS, Served, names, until_devices};
use crate::database::Database;
use crate::s3::{self, s3_server};

const DEVICES: u32 = 6;

#[tokio::test(flavor = "multi_thread")]
async fn package_files_live_in_a_bucket_and_devices_fetch_them_through_presigned_urls() {
    let Some(endpoint) = s3_server() else {
        eprintln!("package files in a bucket are tested where an S3 test server runs (OTA_TEST_S3)");
        return;
    };
    let bucket = s3::bucket().await;
    let dir = tempfile::tempdir().unwrap();
    let database = Database::empty(dir.path());
    let files_url = format!("s3://{bucket}/packages");
    let server = Served::start_with(dir.path(), &database, "127.0.0.1:0", "127.0.0.1:0", &["--files-url", &files_url]);
    let product = server.product("Bucket fleet").await;
    let _sim = server.simulate(&product, DEVICES, &FLAWLESS);
    until_devices(&server, &product, "every device on 1.0.0", |d| {
        d.len() == DEVICES as usize && d.values().all(|(_, v)| v.as_deref() == Some("1.0.0"))
    })
    .await;

    // A package goes up in one request and lies in the bucket under its upload's key.
    let firmware = server.package(&product, "2.0.0").await;
    let content = format!("firmware {} ", "2.0.0").repeat(4096).into_bytes();
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", &firmware)]).await;
    let url = info["FirmwareInfo"]["FirmwareUrl"].as_str().unwrap().to_owned();
    let key = url.split("/ota-files/").nth(1).unwrap().split('?').next().unwrap().to_owned();
    let stored = s3::objects(&bucket, &format!("packages/{key}/")).await;
    assert!(matches!(&stored[..], [(_, size)] if *size == content.len() as u64), "{stored:?}");

    // The server's signed URL sends a client on to the store's presigned one, briefly valid.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = client.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::TEMPORARY_REDIRECT);
    let presigned = answer.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(presigned.starts_with(&format!("{endpoint}/{bucket}/packages/{key}/")), "{presigned}");
    assert!(presigned.contains("X-Amz-Expires=900") && presigned.contains("X-Amz-Signature="), "{presigned}");
    assert_eq!(client.get(&presigned).send().await.unwrap().bytes().await.unwrap(), content);
    let part = client.get(&presigned).header(RANGE, "bytes=9-13").send().await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes().await.unwrap(), "2.0.0", "devices resume downloads with ranges");
    let unsigned = client.get(presigned.split('?').next().unwrap()).send().await.unwrap();
    assert_eq!(unsigned.status(), StatusCode::FORBIDDEN, "the bucket itself is not public");
    let forged = client.get(url.replace("Signature=", "Signature=x")).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no presigned URL without the server's signature");

    // Devices download it that way, checking its digest, and update.
    let job = server.batch(&product, &firmware, &names(1, DEVICES), &[("MaximumPerMinute", "1000")]).await;
    let tasks = server.settled(&job).await;
    assert!(tasks.len() == DEVICES as usize && tasks.values().all(|t| t.0 == "SUCCEEDED"), "{tasks:?}");

    // A device list is read back from the bucket.
    let next = server.package(&product, "3.0.0").await;
    let grant = server.ok("GenerateDeviceNameListURL", &[]).await;
    let list_url = grant["Data"]["FileUrl"].as_str().unwrap();
    let list = format!("DeviceName\n{}\n{}\nnot a device\n", names(2, 2)[0], names(5, 5)[0]);
    let put = reqwest::Client::new().put(list_url).body(list).send().await.unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    let params = [
        ("ProductKey", product.as_str()),
        ("FirmwareId", &next),
        ("TargetSelection", "SPECIFIC"),
        ("SrcVersion.1", "2.0.0"),
        ("DnListFileUrl", list_url),
    ];
    let listed = server.ok("CreateOTAStaticUpgradeJob", &params).await["Data"]["JobId"].as_str().unwrap().to_owned();
    let mut targets: Vec<String> = server.tasks(&listed).await.into_keys().collect();
    targets.sort();
    assert_eq!(targets, [names(2, 2)[0].clone(), names(5, 5)[0].clone()]);

    // A large file goes up in parts; one that breaks off leaves neither object nor parts.
    let large = vec![7_u8; 20 << 20];
    let grant = server.ok("GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
    let large_url = grant["Data"]["FirmwareUrl"].as_str().unwrap();
    let put = reqwest::Client::new().put(large_url).body(large.clone()).send().await.unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    let large_key = grant["Data"]["Key"].as_str().unwrap().rsplit('/').next().unwrap();
    let stored = s3::objects(&bucket, &format!("packages/{large_key}/")).await;
    assert!(matches!(&stored[..], [(_, size)] if *size == large.len() as u64), "{stored:?}");

    let grant = server.ok("GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
    let broken_url = grant["Data"]["FirmwareUrl"].as_str().unwrap();
    let broken_key = grant["Data"]["Key"].as_str().unwrap().rsplit('/').next().unwrap();
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from(vec![1_u8; 6 << 20])),
        Ok(Bytes::from(vec![2_u8; 6 << 20])),
        Err(std::io::Error::other("the client's disk failed")),
    ];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let sent = reqwest::Client::new().put(broken_url).body(body).send().await;
    assert!(sent.is_err() || !sent.unwrap().status().is_success());
    // The server may still be starting the multipart upload when the client gives up.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while s3::unfinished_uploads(&bucket).await > 0 {
        assert!(Instant::now() < deadline, "the broken-off upload's parts are still in the bucket");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(s3::objects(&bucket, &format!("packages/{broken_key}/")).await.is_empty());
    let state = database.texts(&format!("SELECT state FROM uploads WHERE file_key = '{broken_key}'")).await;
    assert_eq!(state, ["granted"], "the grant still takes a complete upload");
}
