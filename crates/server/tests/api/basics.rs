//! The transport, envelope, errors, the package list, and serving the console.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use ota_server::http::console::Console;

use crate::support::{Server, acs3_request, assert_refused, signed};

fn names(reply: &Value) -> Vec<String> {
    reply["FirmwareInfo"]["SimpleFirmwareInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["FirmwareName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn list_firmware_answers_in_alibabas_shape_newest_first() {
    let server = Server::new().await;
    let reply = server.get("/?Action=ListOTAFirmware&PageSize=10&CurrentPage=1").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["Success"], true);
    assert_eq!(body["RequestId"].as_str().unwrap().len(), 36);
    assert_eq!(
        (body["Total"].as_u64(), body["PageSize"].as_u64(), body["PageCount"].as_u64()),
        (Some(24), Some(10), Some(3))
    );
    assert_eq!(body["CurrentPage"], 1);
    let first = &body["FirmwareInfo"]["SimpleFirmwareInfo"][0];
    assert_eq!(first["FirmwareName"], "hc3-ctrl-2_0_0");
    assert_eq!(first["ProductName"], "HVAC controller HC-3");
    assert!(first["UtcCreate"].as_str().unwrap().ends_with('Z'));
    assert_eq!(names(&body).len(), 10);
    let last_page = server.get("/?Action=ListOTAFirmware&PageSize=10&CurrentPage=3").await.json();
    assert_eq!(names(&last_page).len(), 4);
    assert_eq!(names(&last_page).last().unwrap(), "hc3-ctrl-1_8_0");
}

#[tokio::test]
async fn list_firmware_filters_by_product_version_and_keyword() {
    let server = Server::new().await;
    let camera = server.get("/?Action=ListOTAFirmware&ProductKey=a1Cam7IpcZr&PageSize=100").await.json();
    assert_eq!(camera["Total"], 6);
    let version = server.get("/?Action=ListOTAFirmware&DestVersion=3.1.0").await.json();
    assert_eq!(names(&version), ["sm200-main-3_1_0-delta", "sm200-main-3_1_0"]);
    let keyword = server.get("/?Action=ListOTAFirmware&Keyword=MODEM").await.json();
    assert_eq!(names(&keyword), ["gw4-modem-fw-8_3", "gw4-modem-fw-8_2"]);
    let japanese = server.post_form("Action=ListOTAFirmware&Keyword=%E9%98%B2%E7%8A%AF").await.json();
    assert_eq!(names(&japanese), ["防犯カメラ_ファームウェア_520"]);
}

#[tokio::test]
async fn the_two_request_forms_of_alibabas_sdks_are_understood() {
    let server = Server::new().await;
    // v1: everything in a signed form body.
    let v1 = server.post_form("Action=ListOTAFirmware&Version=2018-01-20&Format=JSON&PageSize=5").await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    assert_eq!(v1.json()["PageSize"], 5);
    // v1 as the older SDK sends it: POST, with every parameter in the query string.
    let query = signed(&server.key, "POST", "Action=ListOTAFirmware&Version=2018-01-20&PageSize=3");
    let request = Request::post(format!("/?{query}")).header(header::HOST, "ota.test").body(Body::empty()).unwrap();
    let query_post = server.send(request).await;
    assert_eq!(query_post.status, StatusCode::OK, "{}", query_post.text);
    assert_eq!(query_post.json()["PageSize"], 3);
    // ACS3: action and version in headers, business parameters in the query string.
    let request = acs3_request(&server.key, "ListOTAFirmware", "PageSize=2&CurrentPage=2", b"");
    let v3 = server.send(request).await;
    assert_eq!(v3.status, StatusCode::OK, "{}", v3.text);
    assert_eq!(v3.json()["CurrentPage"], 2);
    assert_eq!(v3.headers["x-acs-request-id"].to_str().unwrap(), v3.json()["RequestId"].as_str().unwrap());
}

#[tokio::test]
async fn bad_requests_get_a_code_and_a_clear_message() {
    let server = Server::new().await;
    assert_refused(server.get("/?Action=Nope").await, StatusCode::BAD_REQUEST, "InvalidAction.NotFound", "Nope").await;
    assert_refused(
        server.post_form("PageSize=10").await,
        StatusCode::BAD_REQUEST,
        "MissingAction",
        "Action is mandatory",
    )
    .await;
    assert_refused(
        server.get("/?Action=ListOTAFirmware&PageSize=101").await,
        StatusCode::BAD_REQUEST,
        "iot.common.InvalidPageParams",
        "from 1 to 100",
    )
    .await;
    assert_refused(
        server.get("/?Action=ListOTAFirmware&CurrentPage=abc").await,
        StatusCode::BAD_REQUEST,
        "iot.common.InvalidPageParams",
        "'abc'",
    )
    .await;
    assert_refused(
        server.get("/?Action=ListOTAFirmware&Version=2017-01-01").await,
        StatusCode::BAD_REQUEST,
        "InvalidVersion",
        "2018-01-20",
    )
    .await;
    assert_refused(
        server.get("/?Action=QueryOTAFirmware").await,
        StatusCode::BAD_REQUEST,
        "MissingFirmwareId",
        "FirmwareId",
    )
    .await;
    // The ErrorParam extension names the parameter at fault, so a form can show it beside the field.
    let named = server.get("/?Action=ListOTAFirmware&DestVersion=4.0%200").await.json();
    assert_eq!(named["ErrorParam"], "DestVersion");
    let unnamed = server.get("/?Action=QueryOTAFirmware&FirmwareId=nope").await.json();
    assert!(unnamed.get("ErrorParam").is_none(), "{unnamed}");
    // Bytes that are not UTF-8 are read leniently rather than refused.
    let lenient = server.get("/?Action=ListOTAFirmware&Keyword=%FF%FE").await;
    assert_eq!(lenient.status, StatusCode::OK, "{}", lenient.text);
}

#[tokio::test]
async fn query_firmware_returns_one_package_in_full() {
    let server = Server::new().await;
    let list = server.get("/?Action=ListOTAFirmware&Keyword=sm200-main-3_2_1").await.json();
    let id = list["FirmwareInfo"]["SimpleFirmwareInfo"][0]["FirmwareId"].as_str().unwrap().to_owned();
    let reply = server.get(&format!("/?Action=QueryOTAFirmware&FirmwareId={id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let info = &reply.json()["FirmwareInfo"];
    assert_eq!(info["FirmwareId"], id.as_str());
    assert_eq!(info["DestVersion"], "3.2.1");
    assert_eq!(info["Status"], 2);
    assert_eq!(info["VerifyProgress"], 50);
    assert_refused(
        server.get("/?Action=QueryOTAFirmware&FirmwareId=doesNotExist").await,
        StatusCode::NOT_FOUND,
        "iot.ota.FirmwareNotFound",
        "doesNotExist",
    )
    .await;
}

#[tokio::test]
async fn the_console_is_served_with_a_single_page_app_fallback() {
    let server = Server::with(crate::support::Options { console_path: Some("/"), ..Default::default() }).await;
    let index = server.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text.contains("<title>console</title>"));
    assert_eq!(index.headers[header::CACHE_CONTROL], "no-cache");
    let deep_link = server.get("/packages/abc?page=2").await;
    assert!(deep_link.text.contains("<title>console</title>"), "deep links get the app");
    let asset = server.get("/ota-console-0123456789abcdef.js").await;
    assert_eq!(asset.text, "export {}");
    assert!(asset.headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    assert_eq!(server.get("/missing.js").await.status, StatusCode::NOT_FOUND, "missing files are not the app");
    let api = server.get("/?Action=ListOTAFirmware").await;
    assert_eq!(api.json()["Success"], true, "GET / with an Action is still the API");
}

#[tokio::test]
async fn the_consoles_precompressed_files_are_sent_to_browsers_that_take_them_as_a_cdn_would() {
    let server = Server::with(crate::support::Options { console_path: Some("/"), ..Default::default() }).await;
    let wasm = "/ota-console-0123456789abcdef_bg.wasm";
    let fetch = |accepted: Option<&'static str>| {
        let mut request = Request::get(wasm).header(header::HOST, "ota.test");
        if let Some(accepted) = accepted {
            request = request.header(header::ACCEPT_ENCODING, accepted);
        }
        server.send(request.body(Body::empty()).unwrap())
    };
    for (accepted, body, encoding) in [
        (Some("gzip, deflate, br, zstd"), "brotli wasm", Some("br")),
        (Some("gzip"), "gzip wasm", Some("gzip")),
        (None, "plain wasm", None),
    ] {
        let reply = fetch(accepted).await;
        assert_eq!(reply.status, StatusCode::OK, "{accepted:?}");
        assert_eq!(reply.text, body, "{accepted:?}");
        assert_eq!(reply.headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), encoding);
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "application/wasm",
            "the type is the file's, not the sibling's"
        );
        assert_eq!(reply.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(reply.headers[header::VARY], "accept-encoding", "a cache keeps the encodings apart");
    }
    let index = server.get("/").await;
    assert_eq!(index.headers[header::CACHE_CONTROL], "no-cache", "the page is revalidated on every load");
}

#[tokio::test]
async fn the_console_can_live_under_a_sub_path() {
    let server = Server::with(crate::support::Options { console_path: Some("ota"), ..Default::default() }).await;
    let redirect = server.get("/ota?lang=ja").await;
    assert_eq!(redirect.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(redirect.headers[header::LOCATION], "/ota/?lang=ja");
    assert_eq!(server.get("/").await.headers[header::LOCATION], "/ota/");
    let deep_link = server.get("/ota/packages/abc").await.text;
    assert!(deep_link.contains("<title>console</title>"));
    assert!(deep_link.contains(r#"<base href="/ota/" data-fixed />"#), "the page learns where it is: {deep_link}");
    assert_eq!(server.get("/ota/ota-console-0123456789abcdef.js").await.text, "export {}");
    assert_eq!(server.get("/elsewhere").await.status, StatusCode::NOT_FOUND);
    assert_eq!(server.get("/otapackages").await.status, StatusCode::NOT_FOUND, "the mount point is a whole segment");
    assert_eq!(server.get("/ota-console-0123456789abcdef.js").await.status, StatusCode::NOT_FOUND);
}

#[test]
fn a_console_path_that_cannot_be_a_plain_url_path_is_refused() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<head></head>").unwrap();
    for bad in ["/a b/", "/ota/../etc/", "/\"x\"/", "/q?/"] {
        let err = Console::new(dist.path(), bad).unwrap_err();
        assert!(err.contains("--console-path"), "{bad}: {err}");
    }
    assert_eq!(Console::new(dist.path(), "fleet/ota").unwrap().base_path(), "/fleet/ota/");
}

#[tokio::test]
async fn health_reports_ok_while_the_database_answers() {
    let server = Server::new().await;
    let reply = server.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}
