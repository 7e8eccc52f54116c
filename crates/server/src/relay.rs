//! `ota-server relay`: lets a console in a browser reach a backend that does not answer
//! browsers from another origin (Alibaba Cloud's regional endpoints). It forwards the console's
//! calls, already signed, to the upstream unchanged and adds CORS. It holds no keys, stores
//! nothing, and logs neither query strings nor headers (they carry signatures and tokens).
//!
//! ACS3 signs the `host` header: the console signs for the upstream's host (`signedHost` in
//! its `config.json`), and the relay sends the call with that host. v1 signatures (the event
//! stream's) do not cover the host.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Args;
use ota_model::{ErrorBody, codes};
use tokio::net::TcpListener;

use crate::StartError;
use crate::http::rpc_request_id;
use crate::http::serve::ConnectionLimits;

#[derive(Debug, Clone, Args)]
pub struct RelayArgs {
    /// Address to listen on for the console's calls.
    #[arg(long, env = "OTA_RELAY_LISTEN", default_value = "127.0.0.1:8090")]
    pub listen: SocketAddr,

    /// The backend's RPC endpoint, e.g. https://iot.cn-shanghai.aliyuncs.com/.
    #[arg(long, env = "OTA_RELAY_UPSTREAM")]
    pub upstream: url::Url,

    /// An origin whose pages may call through the relay (the console's), e.g.
    /// https://console.example.com; repeat for several.
    #[arg(long = "cors-origin", env = "OTA_CORS_ORIGINS", value_delimiter = ',', required = true)]
    pub cors_origins: Vec<String>,

    #[command(flatten)]
    pub tls: crate::cli::CertificateArgs,

    /// Allow listening on a non-loopback address over plain HTTP.
    #[arg(long, env = "OTA_INSECURE_PUBLIC")]
    pub insecure_public: bool,
}

/// Request headers that make a call, and so are forwarded: besides these, every `x-acs-…`.
const FORWARDED_REQUEST: &[&str] = &["authorization", "content-type", "accept", "last-event-id"];

/// Answer headers the console reads.
const FORWARDED_ANSWER: &[&str] = &["content-type", "cache-control", "x-acs-request-id"];

/// How long connecting to the upstream may take. Answers are not timed: the event stream
/// never ends, and the console times its own calls out.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs the relay until Ctrl-C or SIGTERM.
pub async fn run(args: RelayArgs) -> Result<(), StartError> {
    let certificates = args.tls.load()?;
    crate::check_exposure(args.listen, certificates.is_some(), args.insecure_public)?;
    let app = router(args.upstream.clone(), &args.cors_origins)?;
    let listener =
        TcpListener::bind(args.listen).await.map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let scheme = if certificates.is_some() { "https" } else { "http" };
    println!("ota-server relay: {scheme}://{}/ → {}", listener.local_addr()?, args.upstream);
    let tls = certificates.as_ref().map(crate::http::serve::acceptor);
    // The server's own connection loop: deadlines for handshakes and heads, a connection cap.
    let limits = ConnectionLimits { max_connections: 4096, header_timeout: Duration::from_secs(10) };
    let metrics = crate::metrics::Metrics::new();
    crate::http::serve::serve(listener, tls, app, limits, metrics, crate::shutdown_requested()).await;
    Ok(())
}

#[derive(Clone)]
struct Relay {
    upstream: url::Url,
    client: reqwest::Client,
}

/// The relay's routes: `/` forwarded, `/healthz` its own.
pub fn router(upstream: url::Url, cors_origins: &[String]) -> Result<Router, StartError> {
    if !matches!(upstream.scheme(), "http" | "https") || upstream.host_str().is_none() {
        return Err(format!("the upstream {upstream} is not an http(s) URL with a host").into());
    }
    let cors = crate::http::cors(cors_origins).ok_or("the relay needs at least one --cors-origin")?;
    let client = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot make the relay's HTTP client: {e}"))?;
    let relay = Relay { upstream, client };
    Ok(Router::new()
        .route("/", get(forward).post(forward))
        .route("/healthz", get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }))
        .layer(cors)
        .with_state(relay))
}

async fn forward(
    State(relay): State<Relay>,
    method: Method,
    query: RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let mut url = relay.upstream.clone();
    url.set_query(query.0.as_deref());
    let mut request = relay.client.request(method.clone(), url);
    for (name, value) in headers.iter().filter(|(name, _)| forwarded(name)) {
        request = request.header(name, value);
    }
    let answer = match request.body(body).send().await {
        Ok(answer) => answer,
        Err(error) => {
            // Without the URL: its query string may hold a signature.
            let error = error.without_url();
            tracing::warn!(%method, "relay: the upstream did not answer: {error}");
            return unreachable(&relay.upstream, &error);
        }
    };
    let status = answer.status();
    tracing::info!(%method, status = status.as_u16(), elapsed_ms = started.elapsed().as_millis(), "relayed");
    let mut response = Response::builder().status(status.as_u16());
    for (name, value) in answer.headers().iter().filter(|(name, _)| FORWARDED_ANSWER.contains(&name.as_str())) {
        response = response.header(name.as_str(), value.as_bytes());
    }
    response.body(Body::from_stream(answer.bytes_stream())).unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}

fn forwarded(name: &HeaderName) -> bool {
    name.as_str().starts_with("x-acs-") || FORWARDED_REQUEST.contains(&name.as_str())
}

/// A failure envelope, so that the console says what went wrong as it does for any refusal.
fn unreachable(upstream: &url::Url, error: &reqwest::Error) -> Response {
    let request_id = rpc_request_id();
    let message = format!("The relay cannot reach {upstream}: {error}.");
    let body = ErrorBody::new(request_id, codes::RELAY_UPSTREAM_UNREACHABLE, message);
    (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
}
