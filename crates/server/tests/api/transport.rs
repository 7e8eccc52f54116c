//! The server as the network meets it: HTTPS with a certificate a test CA signed, and the
//! bounds on connections, request heads, concurrent calls and event streams, each counted in
//! /metrics when it turns something away.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use ota_server::http::RequestLimits;
use ota_server::http::serve::{ConnectionLimits, acceptor, serve};
use ota_server::metrics::Refusal;
use ota_server::tls::Certificates;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use crate::support::{Options, Server, signed};

/// A CA, and a certificate it signed for `localhost`, in `dir`; answers the CA's PEM.
pub fn certificates_in(dir: &std::path::Path) -> (Vec<u8>, Arc<Certificates>) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&key, &issuer).unwrap();
    std::fs::write(dir.join("server.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("server.key"), key.serialize_pem()).unwrap();
    (ca.pem().into_bytes(), Certificates::load(&dir.join("server.pem"), &dir.join("server.key")).unwrap())
}

/// The server's router on a real port, over TLS with `certificates`.
async fn listening(server: &Server, certificates: Option<&Arc<Certificates>>, limits: ConnectionLimits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let tls = certificates.map(acceptor);
    tokio::spawn(serve(listener, tls, server.app.clone(), limits, server.metrics.clone(), std::future::pending()));
    address
}

const LIMITS: ConnectionLimits = ConnectionLimits { max_connections: 64, header_timeout: Duration::from_secs(5) };

#[tokio::test]
async fn the_api_answers_over_https_and_hands_out_https_urls() {
    let server = Server::new().await;
    let dir = tempfile::tempdir().unwrap();
    let (ca, certificates) = certificates_in(dir.path());
    let port = listening(&server, Some(&certificates), LIMITS).await.port();
    let url = format!("https://localhost:{port}/?{}", signed(&server.key, "GET", "Action=GenerateOTAUploadURL"));

    let trusting =
        reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap()).build().unwrap();
    let text = trusting.get(&url).send().await.unwrap().text().await.unwrap();
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let host = answer["Data"]["Host"].as_str().unwrap();
    assert_eq!(host, format!("https://localhost:{port}/ota-files"), "{answer}");

    let untrusting = reqwest::Client::builder().build().unwrap();
    assert!(untrusting.get(&url).send().await.is_err(), "a client that does not trust the CA stops at the handshake");
}

#[tokio::test]
async fn a_client_that_trickles_its_request_head_is_cut_off_while_others_are_served() {
    let server = Server::new().await;
    let limits = ConnectionLimits { header_timeout: Duration::from_secs(1), ..LIMITS };
    let address = listening(&server, None, limits).await;
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();

    let healthy = reqwest::get(format!("http://{address}/healthz")).await.unwrap();
    assert_eq!(healthy.status(), 200);

    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(4), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the slow client was not cut off");
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "{}", String::from_utf8_lossy(&answer));
    assert_eq!(server.metrics.refusals(Refusal::HeadTimeout), 1);
}

#[tokio::test]
async fn a_tls_handshake_that_never_comes_is_cut_off_and_counted() {
    let server = Server::new().await;
    let dir = tempfile::tempdir().unwrap();
    let (_, certificates) = certificates_in(dir.path());
    let limits = ConnectionLimits { header_timeout: Duration::from_secs(1), ..LIMITS };
    let address = listening(&server, Some(&certificates), limits).await;
    let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(4), silent.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the silent client was not cut off");
    assert_eq!(server.metrics.refusals(Refusal::HandshakeTimeout), 1);
}

#[tokio::test]
async fn a_request_body_that_stops_coming_is_cut_off_and_counted() {
    let limits = RequestLimits { body_timeout: Duration::from_secs(1), ..RequestLimits::default() };
    let server = Server::with(Options { limits, ..Default::default() }).await;
    let address = listening(&server, None, LIMITS).await;
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = "POST / HTTP/1.1\r\nHost: ota.test\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 100\r\n\r\nAction=ListOTAFirmware";
    slow.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(4), slow.read(&mut answer)).await;
    let answered = String::from_utf8_lossy(&answer[..read.as_ref().map_or(0, |n| *n.as_ref().unwrap_or(&0))]);
    assert!(read.is_ok(), "the silent body was not cut off");
    assert!(!answered.contains("200 OK"), "{answered}");
    assert_eq!(server.metrics.refusals(Refusal::BodyTimeout), 1);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_and_counted() {
    let server = Server::new().await;
    let limits = ConnectionLimits { max_connections: 2, ..LIMITS };
    let address = listening(&server, None, limits).await;
    let _held = [
        tokio::net::TcpStream::connect(address).await.unwrap(),
        tokio::net::TcpStream::connect(address).await.unwrap(),
    ];
    let mut third = tokio::net::TcpStream::connect(address).await.unwrap();
    let _ = third.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(2), third.read_to_end(&mut answer)).await;
    assert!(read.is_ok() && answer.is_empty(), "the third connection was served");
    assert_eq!(server.metrics.refusals(Refusal::HttpConnections), 1);
}

#[tokio::test]
async fn calls_beyond_the_concurrency_cap_are_answered_503_and_counted() {
    let limits = RequestLimits { concurrent_requests: 0, ..RequestLimits::default() };
    let server = Server::with(Options { limits, ..Default::default() }).await;
    let reply = server.call("ListOTAFirmware", &[]).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.json()["Code"], "ServiceUnavailable");
    assert_eq!(server.metrics.refusals(Refusal::ConcurrentRequests), 1);
}

#[tokio::test]
async fn event_streams_beyond_the_cap_are_answered_503_until_one_closes() {
    let limits = RequestLimits { event_subscribers: 1, ..RequestLimits::default() };
    let server = Server::with(Options { limits, ..Default::default() }).await;
    let subscribe = || {
        let query = signed(&server.key, "GET", "Action=SubscribeOTAEvents");
        let request = Request::get(format!("/?{query}")).header(header::HOST, "ota.test").body(Body::empty()).unwrap();
        server.app.clone().oneshot(request)
    };
    let first = subscribe().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(subscribe().await.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(server.metrics.refusals(Refusal::EventSubscribers), 1);
    drop(first);
    assert_eq!(subscribe().await.unwrap().status(), StatusCode::OK, "room again once the first stream closed");
}

#[tokio::test]
async fn metrics_are_served_to_loopback_only_and_count_calls_by_action_and_code() {
    let server = Server::new().await;
    server.ok("ListOTAFirmware", &[]).await;
    server.ok("GenerateOTAUploadURL", &[]).await;
    server.call("QueryOTAJob", &[("JobId", "nope")]).await;
    server.call("NoSuchAction", &[]).await;
    let scrape = |peer: &str| {
        let mut request = Request::get("/metrics").header(header::HOST, "ota.test").body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        server.app.clone().oneshot(request)
    };
    let local = scrape("127.0.0.1:50000").await.unwrap();
    assert_eq!(local.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(local.into_body()).await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(r#"ota_api_calls_total{action="ListOTAFirmware",code="OK"} 1"#), "{text}");
    assert!(text.contains(r#"ota_api_calls_total{action="QueryOTAJob",code="iot.ota.JobNotFound"} 1"#), "{text}");
    assert!(text.contains(r#"action="unknown""#), "an unknown Action is not a label of its own: {text}");
    assert!(!text.contains("NoSuchAction"), "{text}");
    assert!(text.contains(r#"ota_db_wait_seconds_count{transaction="read"}"#), "{text}");
    assert!(text.contains(r#"ota_db_wait_seconds_count{transaction="write"}"#), "{text}");
    assert_eq!(scrape("192.0.2.7:50000").await.unwrap().status(), StatusCode::FORBIDDEN);
}
