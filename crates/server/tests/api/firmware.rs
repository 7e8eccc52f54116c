//! Package files and packages: upload, create with signature checks, modify, delete, download.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{Server, assert_refused};

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");
const CONTENT: &[u8] = b"firmware image 4.0.0";

fn md5_of(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn an_uploaded_file_becomes_a_package_and_downloads_with_ranges() {
    let server = Server::new().await;
    let url = server.upload(CONTENT).await;
    assert!(url.starts_with("http://ota.test/ota-files/"), "{url}");
    let md5 = md5_of(CONTENT);
    let created = server
        .ok(
            "CreateOTAFirmware",
            &[
                METER,
                ("FirmwareName", "sm200-main-4_0_0"),
                ("DestVersion", "4.0.0"),
                ("FirmwareUrl", &url),
                ("FirmwareSign", &md5.to_uppercase()),
                ("FirmwareSize", &CONTENT.len().to_string()),
                ("NeedToVerify", "False"),
                ("Udi", "{\"note\":\"fixes\"}"),
            ],
        )
        .await;
    let id = created["Data"]["FirmwareId"].as_str().unwrap();
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", id)]).await;
    let info = &info["FirmwareInfo"];
    assert_eq!(info["FirmwareSign"], md5.as_str());
    assert_eq!(info["FirmwareSize"], CONTENT.len());
    assert_eq!(info["Status"], -1, "no verification needed");
    assert_eq!(info["Udi"], "{\"note\":\"fixes\"}");
    // The stored file is handed out through a download URL the server signed.
    let download = info["FirmwareUrl"].as_str().unwrap();
    assert!(download.starts_with(&format!("{url}?Expires=")), "{download}");
    assert!(download.contains("&Signature="), "{download}");
    let unsigned = server.get(url.trim_start_matches("http://ota.test")).await;
    assert_refused(unsigned, StatusCode::FORBIDDEN, "AccessDenied", "not signed").await;
    let altered =
        server.get(&download.trim_start_matches("http://ota.test").replacen("Expires=", "Expires=9", 1)).await;
    assert_refused(altered, StatusCode::FORBIDDEN, "AccessDenied", "does not match").await;

    let path = download.trim_start_matches("http://ota.test");
    let whole = server.get(path).await;
    assert_eq!(whole.text.as_bytes(), CONTENT);
    assert_eq!(whole.headers[header::CONTENT_LENGTH], CONTENT.len().to_string().as_str());
    let range = server.send(Request::get(path).header(header::RANGE, "bytes=9-13").body(Body::empty()).unwrap()).await;
    assert_eq!(range.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(range.text, "image");

    // The upload belongs to the package now: it cannot make a second one.
    server
        .refused(
            "CreateOTAFirmware",
            &[METER, ("FirmwareName", "again"), ("DestVersion", "4.0.1"), ("FirmwareUrl", &url)],
            StatusCode::NOT_FOUND,
            "iot.ota.FileNotFound",
        )
        .await;
}

#[tokio::test]
async fn a_signature_or_size_that_does_not_match_the_file_is_refused() {
    let server = Server::new().await;
    let url = server.upload(CONTENT).await;
    let base = [METER, ("FirmwareName", "sm200-main-4_0_0"), ("DestVersion", "4.0.0"), ("FirmwareUrl", url.as_str())];
    let wrong_sign = [&base[..], &[("FirmwareSign", "0123456789abcdef0123456789abcdef")]].concat();
    let msg = server.refused("CreateOTAFirmware", &wrong_sign, StatusCode::BAD_REQUEST, "iot.ota.FileMismatch").await;
    assert!(msg.contains(&md5_of(CONTENT)), "{msg}");
    let wrong_size = [&base[..], &[("FirmwareSize", "3")]].concat();
    server.refused("CreateOTAFirmware", &wrong_size, StatusCode::BAD_REQUEST, "iot.ota.FileMismatch").await;
    let sha = [&base[..], &[("SignMethod", "SHA256"), ("FirmwareSign", "not-the-sha")]].concat();
    server.refused("CreateOTAFirmware", &sha, StatusCode::BAD_REQUEST, "iot.ota.FileMismatch").await;
    // Nothing was used up by the refusals.
    let ok = server.ok("CreateOTAFirmware", &[&base[..], &[("SignMethod", "SHA256")]].concat()).await;
    assert!(ok["Data"]["FirmwareId"].is_string());
}

#[tokio::test]
async fn a_package_needs_a_real_upload_a_known_module_and_a_free_name() {
    let server = Server::new().await;
    let elsewhere =
        [METER, ("FirmwareName", "x1"), ("DestVersion", "4.0.0"), ("FirmwareUrl", "https://oss.example.com/f.bin")];
    server.refused("CreateOTAFirmware", &elsewhere, StatusCode::NOT_FOUND, "iot.ota.FileNotFound").await;
    let grant = server.ok("GenerateOTAUploadURL", &[]).await;
    let not_uploaded = grant["Data"]["FirmwareUrl"].as_str().unwrap();
    let early = [METER, ("FirmwareName", "x2"), ("DestVersion", "4.0.0"), ("FirmwareUrl", not_uploaded)];
    server.refused("CreateOTAFirmware", &early, StatusCode::CONFLICT, "iot.ota.FileNotFound").await;

    let url = server.upload(CONTENT).await;
    let module = [
        METER,
        ("FirmwareName", "x3"),
        ("DestVersion", "4.0.0"),
        ("FirmwareUrl", url.as_str()),
        ("ModuleName", "nope"),
    ];
    server.refused("CreateOTAFirmware", &module, StatusCode::NOT_FOUND, "iot.ota.ModuleNotFound").await;
    let taken = [METER, ("FirmwareName", "sm200-main-3_0_0"), ("DestVersion", "4.0.0"), ("FirmwareUrl", url.as_str())];
    server.refused("CreateOTAFirmware", &taken, StatusCode::CONFLICT, "iot.ota.FirmwareNameExisted").await;
    let module_any_case = [
        METER,
        ("FirmwareName", "zb-1_5"),
        ("DestVersion", "1.5.0"),
        ("FirmwareUrl", url.as_str()),
        ("ModuleName", "ZigBee"),
    ];
    let created = server.ok("CreateOTAFirmware", &module_any_case).await;
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", created["Data"]["FirmwareId"].as_str().unwrap())]).await;
    assert_eq!(info["FirmwareInfo"]["ModuleName"], "zigbee", "the module's own spelling is kept");
}

#[tokio::test]
async fn a_multi_file_package_lists_its_files() {
    let server = Server::new().await;
    let boot = server.upload(b"bootloader").await;
    let app = server.upload(b"application").await;
    let created = server
        .ok(
            "CreateOTAFirmware",
            &[
                METER,
                ("FirmwareName", "sm200-bundle-4_0"),
                ("DestVersion", "4.0.0"),
                ("MultiFiles.1.Name", "boot.bin"),
                ("MultiFiles.1.Url", &boot),
                ("MultiFiles.2.Name", "app.bin"),
                ("MultiFiles.2.Url", &app),
                ("MultiFiles.2.FileMd5", &md5_of(b"application")),
            ],
        )
        .await;
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", created["Data"]["FirmwareId"].as_str().unwrap())]).await;
    let files = info["FirmwareInfo"]["MultiFiles"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!((files[1]["Name"].as_str(), files[1]["Size"].as_u64()), (Some("app.bin"), Some(11)));
    assert_eq!(info["FirmwareInfo"]["FirmwareSize"], 21);
    assert!(info["FirmwareInfo"].get("FirmwareUrl").is_none());
}

#[tokio::test]
async fn uploads_are_limited_and_an_oversized_one_leaves_nothing() {
    let server = Server::new().await;
    let grant = server.ok("GenerateDeviceNameListURL", &[]).await;
    let url = grant["Data"]["FileUrl"].as_str().unwrap();
    let too_big = server.put_bytes(url, vec![b'x'; 5 * 1024 * 1024 + 1]).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.text);
    let key = url.rsplit('/').next().unwrap();
    let download = server.access.downloads.url("http://ota.test", key, ota_model::UtcTime(chrono::Utc::now()));
    assert_eq!(server.get(download.trim_start_matches("http://ota.test")).await.status, StatusCode::NOT_FOUND);
    let unknown = server.put_bytes("http://ota.test/ota-files/never-granted.bin", b"x".to_vec()).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_oss_style_form_uploads_too() {
    let server = Server::new().await;
    let grant = server.ok("GenerateOTAUploadURL", &[("FileSuffix", "tar.gz")]).await;
    let data = &grant["Data"];
    assert_eq!(data["ObjectStorage"], "OSS");
    let key = data["Key"].as_str().unwrap();
    assert!(key.ends_with(".tar.gz"));
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{key}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\nanything\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.tar.gz\"\r\n\r\npackage bytes\r\n\
         --{boundary}--\r\n"
    );
    let request = Request::post("/ota-files")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let stored = server.send(request).await;
    assert_eq!(stored.status, StatusCode::NO_CONTENT, "{}", stored.text);
    assert_eq!(stored.headers[header::ETAG], format!("\"{}\"", md5_of(b"package bytes").to_uppercase()).as_str());
    let now = ota_model::UtcTime(chrono::Utc::now());
    let download = server.access.downloads.url("http://ota.test", key, now);
    let file = server.get(download.trim_start_matches("http://ota.test")).await;
    assert_eq!(file.text, "package bytes");
}

#[tokio::test]
async fn a_package_is_renamed_and_deleted_only_without_unfinished_batches() {
    let server = Server::new().await;
    let id = server.firmware_id("hc3-ctrl-2_0_0").await;
    server
        .ok(
            "ModifyOTAFirmware",
            &[
                ("FirmwareId", &id),
                ("ProductKey", "a1Hvac3CtlM"),
                ("FirmwareName", "hc3-ctrl-2_0_0-final"),
                ("FirmwareDesc", "Release"),
            ],
        )
        .await;
    let info = server.ok("QueryOTAFirmware", &[("FirmwareId", &id)]).await;
    assert_eq!(
        (info["FirmwareInfo"]["FirmwareName"].as_str(), info["FirmwareInfo"]["FirmwareDesc"].as_str()),
        (Some("hc3-ctrl-2_0_0-final"), Some("Release"))
    );
    server
        .refused(
            "ModifyOTAFirmware",
            &[("FirmwareId", &id), METER],
            StatusCode::CONFLICT,
            "iot.ota.FirmwareProductMismatch",
        )
        .await;
    server
        .refused(
            "ModifyOTAFirmware",
            &[("FirmwareId", &id), ("ProductKey", "a1Hvac3CtlM"), ("FirmwareName", "hc3-ctrl-1_9_0")],
            StatusCode::CONFLICT,
            "iot.ota.FirmwareNameExisted",
        )
        .await;
    server.ok("DeleteOTAFirmware", &[("FirmwareId", &id)]).await;
    server.refused("QueryOTAFirmware", &[("FirmwareId", &id)], StatusCode::NOT_FOUND, "iot.ota.FirmwareNotFound").await;

    let busy = server.firmware_id("sm200-main-3_2_0").await;
    server.refused("DeleteOTAFirmware", &[("FirmwareId", &busy)], StatusCode::CONFLICT, "iot.ota.FirmwareInUse").await;
    let finished = server.firmware_id("ipc7-fw-5_1_0").await;
    server.ok("DeleteOTAFirmware", &[("FirmwareId", &finished)]).await;
}
