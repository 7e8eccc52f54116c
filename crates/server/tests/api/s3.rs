//! The S3 protocol server the tests keep package files in when `OTA_TEST_S3` names one
//! (`cargo xtask test` starts moto in server mode): buckets made for a test, and what they
//! hold, read as any S3 client would (moto takes these calls unsigned).

use std::sync::atomic::{AtomicU32, Ordering};

/// The S3 endpoint, if the tests have one.
pub fn s3_server() -> Option<String> {
    std::env::var("OTA_TEST_S3").ok().filter(|url| !url.is_empty())
}

/// What `ota-server` needs to reach the test server: its endpoint and (any) keys.
pub fn credentials() -> Vec<(&'static str, String)> {
    let Some(endpoint) = s3_server() else { return Vec::new() };
    vec![
        ("AWS_ENDPOINT", endpoint),
        ("AWS_ALLOW_HTTP", "true".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "ota-test".into()),
        ("AWS_SECRET_ACCESS_KEY", "ota-test-secret".into()),
    ]
}

/// A new, empty bucket of its own: its name.
pub async fn bucket() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("ota-test-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let endpoint = s3_server().expect("OTA_TEST_S3 names the S3 test server");
    let made = reqwest::Client::new().put(format!("{endpoint}/{name}")).send().await.unwrap();
    assert!(made.status().is_success(), "creating bucket {name}: {}", made.status());
    name
}

/// The bucket's objects under `prefix`: (key, size).
pub async fn objects(bucket: &str, prefix: &str) -> Vec<(String, u64)> {
    let endpoint = s3_server().unwrap();
    let url = format!("{endpoint}/{bucket}?list-type=2&prefix={prefix}");
    let xml = reqwest::get(url).await.unwrap().text().await.unwrap();
    elements(&xml, "Contents")
        .iter()
        .map(|object| (elements(object, "Key")[0].clone(), elements(object, "Size")[0].parse().unwrap()))
        .collect()
}

/// Multipart uploads begun in the bucket and neither completed nor aborted.
pub async fn unfinished_uploads(bucket: &str) -> usize {
    let endpoint = s3_server().unwrap();
    let xml = reqwest::get(format!("{endpoint}/{bucket}?uploads")).await.unwrap().text().await.unwrap();
    elements(&xml, "Upload").len()
}

/// The text inside each `<name>…</name>` of `xml` (S3's answers nest nothing else alike).
fn elements(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    xml.split(&open).skip(1).filter_map(|rest| rest.split_once(&close)).map(|(inside, _)| inside.to_owned()).collect()
}
