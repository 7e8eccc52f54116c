//! `ota-server relay`: a console's signed calls reach an upstream that answers no browsers,
//! unchanged, with CORS added; nothing else is forwarded, and an unreachable upstream says so.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::{Server, acs3_request_for};

const CONSOLE: &str = "https://console.test";

/// The server's router on a real port, as the relay's upstream; answers its `host:port`.
async fn listening(server: &Server) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, server.app.clone()).into_future());
    address.to_string()
}

async fn through(relay: &axum::Router, request: Request<Body>) -> (StatusCode, header::HeaderMap, serde_json::Value) {
    let response = relay.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn a_call_signed_for_the_upstream_goes_through_with_cors() {
    let server = Server::new().await;
    let upstream = listening(&server).await;
    let relay = ota_server::relay::router(format!("http://{upstream}/").parse().unwrap(), &[CONSOLE.into()]).unwrap();

    let mut request = acs3_request_for(&upstream, &server.key, "ListOTAFirmware", "", b"PageSize=2");
    request.headers_mut().insert(header::ORIGIN, CONSOLE.parse().unwrap());
    request.headers_mut().insert(header::COOKIE, "session=not-forwarded".parse().unwrap());
    let (status, headers, body) = through(&relay, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["PageSize"], 2);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], CONSOLE);
    assert!(headers.contains_key("x-acs-request-id"));

    // Signed for the relay's own host instead, the upstream refuses it: the host is signed.
    let wrong = acs3_request_for("relay.test", &server.key, "ListOTAFirmware", "", b"");
    let (status, _, body) = through(&relay, wrong).await;
    assert_eq!((status, body["Code"].as_str()), (StatusCode::BAD_REQUEST, Some("SignatureDoesNotMatch")));
}

#[tokio::test]
async fn a_preflight_is_answered_for_the_console_only() {
    let server = Server::new().await;
    let upstream = listening(&server).await;
    let relay = ota_server::relay::router(format!("http://{upstream}/").parse().unwrap(), &[CONSOLE.into()]).unwrap();
    let preflight = |origin: &str| {
        Request::options("/")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization,x-acs-action")
            .body(Body::empty())
            .unwrap()
    };
    let (_, headers, _) = through(&relay, preflight(CONSOLE)).await;
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], CONSOLE);
    let (_, headers, _) = through(&relay, preflight("https://evil.test")).await;
    assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // Only the API is relayed: the upstream's other paths are not reachable through it.
    let other = Request::get("/ota-files/anything").body(Body::empty()).unwrap();
    assert_eq!(relay.clone().oneshot(other).await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unreachable_upstream_is_named_without_the_calls_query() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let relay =
        ota_server::relay::router(format!("http://127.0.0.1:{port}/").parse().unwrap(), &[CONSOLE.into()]).unwrap();
    let request = Request::get("/?Action=ListOTAFirmware&Signature=secret-signature").body(Body::empty()).unwrap();
    let (status, _, body) = through(&relay, request).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["Code"], "Relay.UpstreamUnreachable");
    assert!(!body.to_string().contains("secret-signature"), "{body}");
}

#[test]
fn a_relay_without_an_origin_to_serve_or_with_a_bad_upstream_does_not_start() {
    let upstream: url::Url = "https://iot.cn-shanghai.aliyuncs.com/".parse().unwrap();
    assert!(ota_server::relay::router(upstream, &[]).is_err());
    assert!(ota_server::relay::router("ftp://x/".parse().unwrap(), &[CONSOLE.into()]).is_err());
}

#[tokio::test]
async fn the_relay_serves_https_with_its_certificate() {
    let server = Server::new().await;
    let upstream = listening(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = crate::transport::certificates_in(dir.path()).0;
    let mut relay = std::process::Command::new(env!("CARGO_BIN_EXE_ota-server"))
        .args(["relay", "--listen", "127.0.0.1:0", "--cors-origin", CONSOLE])
        .args(["--upstream", &format!("http://{upstream}/")])
        .arg("--tls-cert")
        .arg(dir.path().join("server.pem"))
        .arg("--tls-key")
        .arg(dir.path().join("server.key"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(relay.stdout.take().unwrap()), &mut line).unwrap();
    let port = line.split("https://127.0.0.1:").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or_default();
    let trusting =
        reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap()).build().unwrap();
    let health = trusting.get(format!("https://localhost:{port}/healthz")).send().await;
    let _ = relay.kill();
    let _ = relay.wait();
    assert_eq!(health.map(|r| r.status()).ok(), Some(StatusCode::OK), "relay said: {line}");
}
