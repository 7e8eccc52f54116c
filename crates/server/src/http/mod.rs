//! The HTTP face of the server: the RPC endpoint at `/`, package files under `/ota-files/`,
//! `/healthz`, and the console.
//!
//! Alibaba's API is RPC style: every operation is `POST /` (or `GET /`) with an `Action`, so
//! instead of a router per path there is one endpoint and a table of actions; each API area
//! (one module here) registers its actions in that table.

mod access;
mod analysis;
mod audit;
mod broker_hooks;
pub mod console;
mod error;
mod events;
mod extensions;
mod files;
mod firmware;
mod host;
mod jobs;
mod modules;
mod registry;
mod rollouts;
mod rpc;
pub mod serve;
mod tasks;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ota_model::{UtcTime, codes};
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

pub use broker_hooks::BrokerHooks;
pub use error::ApiError;
pub use host::AllowedHosts;
pub use rpc::new_request_id as rpc_request_id;

use crate::auth::{Access, Principal};
use crate::files::FileStore;
use crate::metrics::{Metrics, Refusal};
use crate::store::Store;
use console::Console;
use rpc::Actions;
use serve::Secure;

/// The instances this server hosts; the first is the default.
#[derive(Debug, Clone)]
pub struct Instances {
    list: Vec<(String, String)>,
}

impl Instances {
    /// `list` holds (ID, name) pairs and must not be empty.
    pub fn new(list: Vec<(String, String)>) -> Option<Self> {
        (!list.is_empty()).then_some(Self { list })
    }

    pub fn all(&self) -> &[(String, String)] {
        &self.list
    }

    pub fn default_id(&self) -> &str {
        &self.list[0].0
    }

    /// The instance a request names, or the default one when it names none.
    fn resolve(&self, requested: Option<&str>) -> Result<String, ApiError> {
        match requested {
            None => Ok(self.default_id().to_owned()),
            Some(id) => match self.list.iter().find(|(known, _)| known == id) {
                Some((id, _)) => Ok(id.clone()),
                None => Err(ApiError::not_found(
                    codes::INSTANCE_NOT_FOUND,
                    format!("The instance {id} does not exist on this server."),
                )),
            },
        }
    }
}

/// How the server is set up, beyond its data.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The server's public origin (`https://ota.example.com`), for the URLs it hands out.
    /// Without it, URLs use the origin each request came to.
    pub public_url: Option<String>,
    /// Origins allowed to call the API from a browser; empty: only the same origin.
    pub cors_origins: Vec<String>,
    /// Without the extension operations, like a plain Alibaba backend.
    pub plain: bool,
    /// Host names requests may name besides IP addresses (DNS rebinding).
    pub allowed_hosts: AllowedHosts,
    /// Turns true when the server begins to stop, so that event streams end and let it.
    pub stopping: Option<tokio::sync::watch::Receiver<bool>>,
    pub limits: RequestLimits,
    pub metrics: Arc<Metrics>,
    /// Whether /metrics answers clients beyond loopback.
    pub metrics_public: bool,
    /// An external broker's hooks (`broker_hooks`): the secret they must send and each
    /// device's login rate; none: no hooks.
    pub broker_hooks: Option<broker_hooks::BrokerHooks>,
}

/// Bounds on requests; see `LimitArgs` for the defaults.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    /// API calls handled at once.
    pub concurrent_requests: usize,
    /// Open event streams at once.
    pub event_subscribers: usize,
    /// How long a request body may stay silent.
    pub body_timeout: std::time::Duration,
    /// Upload grants not yet used or expired, per instance.
    pub upload_grants: u64,
    /// Bytes of uploaded files an instance may keep.
    pub storage_quota: u64,
    /// Disk space left free after any upload.
    pub min_free_disk: u64,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            concurrent_requests: 256,
            event_subscribers: 500,
            body_timeout: std::time::Duration::from_secs(30),
            upload_grants: 100,
            storage_quota: 200 << 30,
            min_free_disk: 1 << 30,
        }
    }
}

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub files: FileStore,
    pub instances: Arc<Instances>,
    settings: Arc<Settings>,
    actions: Arc<Actions>,
    console: Option<Arc<Console>>,
    access: Access,
    /// Permits for API calls and event streams in progress.
    request_slots: Arc<Semaphore>,
    event_slots: Arc<Semaphore>,
    /// Started by the first subscriber.
    event_hub: Arc<std::sync::OnceLock<events::EventHub>>,
}

/// One API call's context: the state, the instance it is for, and where the server is.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub files: FileStore,
    pub instances: Arc<Instances>,
    /// The actions this server implements (capability discovery lists them).
    pub actions: Arc<Actions>,
    pub instance: String,
    /// Scheme and host the client reached (or the configured public URL).
    pub origin: String,
    pub now: UtcTime,
    pub access: Access,
    /// Who signed the call; none only for AssumeOTASession, which is not signed.
    pub principal: Option<Arc<Principal>>,
    pub limits: RequestLimits,
    pub metrics: Arc<Metrics>,
}

impl Ctx {
    /// Who signed the call.
    pub fn caller(&self) -> Result<&Principal, ApiError> {
        self.principal.as_deref().ok_or_else(|| ApiError::Internal("an unsigned call reached a signed action".into()))
    }

    /// Whether answers may carry device secrets (`iot:QueryDeviceSecret`).
    pub fn may_see_secrets(&self) -> bool {
        self.principal.as_ref().is_some_and(|p| p.may(ota_model::access::QUERY_DEVICE_SECRET, &self.instance))
    }

    /// Where files are uploaded to (and, through signed URLs, downloaded from).
    pub fn files_url(&self) -> String {
        format!("{}/ota-files", self.origin)
    }
}

/// The origin a request came to, as the client sees it (proxies say so in X-Forwarded-*).
fn request_origin(settings: &Settings, headers: &HeaderMap, secure: Secure) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    let scheme = header("x-forwarded-proto").unwrap_or(if secure.0 { "https" } else { "http" });
    let host = header("x-forwarded-host").or_else(|| header("host")).unwrap_or("127.0.0.1");
    format!("{scheme}://{host}")
}

/// Every action this server implements, by API area.
fn actions() -> Actions {
    let mut actions = Actions::default();
    access::register(&mut actions);
    registry::register(&mut actions);
    modules::register(&mut actions);
    firmware::register(&mut actions);
    jobs::register(&mut actions);
    rollouts::register(&mut actions);
    tasks::register(&mut actions);
    extensions::register(&mut actions);
    analysis::register(&mut actions);
    audit::register(&mut actions);
    actions
}

/// The whole application; `console` is served when given.
pub fn router(
    store: Store,
    files: FileStore,
    instances: Instances,
    settings: Settings,
    access: Access,
    console: Option<Console>,
) -> Router {
    let cors = cors(&settings.cors_origins);
    let body_timeout = settings.limits.body_timeout;
    let state = AppState {
        request_slots: Arc::new(Semaphore::new(settings.limits.concurrent_requests)),
        event_slots: Arc::new(Semaphore::new(settings.limits.event_subscribers)),
        event_hub: Arc::default(),
        store,
        files,
        instances: Arc::new(instances),
        settings: Arc::new(settings),
        actions: Arc::new(actions()),
        console: console.map(Arc::new),
        access,
    };
    let upload_routes = Router::new()
        .route("/ota-files", post(files::post_form))
        .route("/ota-files/{key}", get(files::download).head(files::download).put(files::put))
        // Uploads stream to disk with their own limits (1,000 MB packages, 5 MB lists).
        .layer(DefaultBodyLimit::disable());
    let router = Router::new()
        .route("/", get(rpc::get_root).post(rpc::post_root))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/mqtt/auth", post(broker_hooks::auth))
        .route("/mqtt/acl", post(broker_hooks::acl))
        .route("/mqtt/presence", post(broker_hooks::presence))
        .route("/mqtt/vernemq", post(broker_hooks::vernemq))
        .fallback(console::serve)
        .layer(CompressionLayer::new())
        // Package files are never compressed: devices need their length, and ranges of them.
        .merge(upload_routes)
        .layer(axum::middleware::from_fn_with_state(state.clone(), host::check))
        .layer(axum::middleware::from_fn_with_state(state.clone(), count_body_timeouts))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        // The query string is never logged: it carries signatures and SecurityTokens.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::debug_span!("request", method = %request.method(), path = request.uri().path())
        }));
    match cors {
        Some(cors) => router.layer(cors).with_state(state),
        None => router.with_state(state),
    }
}

/// Cross-origin access for a console served elsewhere (a CDN). `*` allows any origin.
pub(crate) fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()))
    };
    let headers = [
        "content-type",
        "authorization",
        "last-event-id",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-security-token",
    ];
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::HEAD])
            .allow_headers(headers.map(HeaderName::from_static))
            .expose_headers([HeaderName::from_static("x-acs-request-id")]),
    )
}

/// Liveness and readiness in one: answers 200 only while the database answers.
/// Counts request bodies the body timeout cut off (the layer outside this one) in /metrics.
async fn count_body_timeouts(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let metrics = state.settings.metrics.clone();
    let request = request.map(|body| {
        axum::body::Body::new(http_body_util::BodyExt::map_err(body, move |error: axum::Error| {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
            while let Some(now) = cause {
                if now.is::<tower_http::timeout::TimeoutError>() {
                    metrics.refused(Refusal::BodyTimeout);
                    break;
                }
                cause = now.source();
            }
            error
        }))
    });
    next.run(request).await
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => axum::Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(error) => {
            tracing::error!("health check: database unavailable: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "database unavailable"})))
                .into_response()
        }
    }
}

/// Prometheus's scrape: from loopback, or from anywhere with `--metrics-public`.
async fn metrics(State(state): State<AppState>, peer: Option<Extension<ConnectInfo<SocketAddr>>>) -> Response {
    let local = peer.is_some_and(|p| p.0.0.ip().is_loopback());
    if !local && !state.settings.metrics_public {
        return (StatusCode::FORBIDDEN, "metrics are served to loopback only (see --metrics-public)\n").into_response();
    }
    let content_type = [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")];
    (content_type, state.settings.metrics.render()).into_response()
}

/// Look-ups every area needs, answering 404 with the API's code when nothing is found.
impl Ctx {
    pub async fn product(&self, product_key: &str) -> Result<crate::store::Product, ApiError> {
        self.store.product(&self.instance, product_key).await?.ok_or_else(|| {
            ApiError::not_found(codes::PRODUCT_NOT_FOUND, format!("The product {product_key} does not exist."))
        })
    }

    pub async fn device(&self, device: &ota_model::registry::DeviceRef) -> Result<crate::store::Device, ApiError> {
        self.store.device(&self.instance, device).await?.ok_or_else(|| {
            let named = match device {
                ota_model::registry::DeviceRef::IotId(id) => id.clone(),
                ota_model::registry::DeviceRef::Name { product_key, device_name } => {
                    format!("{device_name} of product {product_key}")
                }
            };
            ApiError::not_found(codes::DEVICE_NOT_FOUND, format!("The device {named} does not exist."))
        })
    }

    pub async fn firmware(&self, firmware_id: &str) -> Result<crate::store::Firmware, ApiError> {
        self.store.firmware(&self.instance, firmware_id).await?.ok_or_else(|| firmware_not_found(firmware_id))
    }

    pub async fn job(&self, job_id: &str) -> Result<crate::store::Job, ApiError> {
        self.store
            .job(&self.instance, job_id)
            .await?
            .ok_or_else(|| ApiError::not_found(codes::JOB_NOT_FOUND, format!("The batch {job_id} does not exist.")))
    }
}

pub fn firmware_not_found(firmware_id: &str) -> ApiError {
    ApiError::not_found(codes::FIRMWARE_NOT_FOUND, format!("The specified firmware {firmware_id} does not exist."))
}
