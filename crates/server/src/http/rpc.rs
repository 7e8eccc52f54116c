//! The RPC endpoint at `/`: reads the parameters Alibaba's clients send, finds the action and
//! runs it.
//!
//! Two request forms reach it, the two that Alibaba's SDKs and CLI send:
//! - v1 ("RPC signature"): `Action`, `Version` and business parameters in the query string or
//!   a form-encoded body, GET or POST, with `Signature…` parameters;
//! - v3 (`ACS3-HMAC-SHA256`): the action and version in `x-acs-action` / `x-acs-version`
//!   headers, business parameters in the query string.
//!
//! Every call but AssumeOTASession must be signed in one of the two forms (`crate::auth`), and
//! its Action allowed by the signer's policy on the instance it names.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ota_model::access::{AssumeOTASession, EndOTASession, QueryOTACallerIdentity, RenewOTASession};
use ota_model::audit::{ListOTAAuditEvents, ListOTAJobHistory};
use ota_model::extensions::SubscribeOTAEvents;
use ota_model::job::safety::{self, PauseOTAJob, ResumeOTAJob, StartOTAJobNextWave};
use ota_model::{API_VERSION, Operation, ParamError, Params, SuccessBody, UtcTime, codes};

use super::serve::Secure;
use super::{ApiError, AppState, Ctx, audit, console, events, request_origin};
use crate::auth::{Refusal, signed};
use crate::metrics::Refusal as Refused;

/// The operations that are extensions, absent from a `--plain` server.
const EXTENSION_ACTIONS: &[&str] = &[
    "QueryOTACapabilities",
    "QueryOTATaskStatistics",
    "ListOTAVersionDistribution",
    "ListIotInstances",
    "ListOTATaskByFirmware",
    "QueryOTAOverview",
    "ListOTAJobProgress",
    "ListOTARunningJobs",
    "ListOTAFailureReasons",
    "ListOTASourceVersions",
    SubscribeOTAEvents::ACTION,
    AssumeOTASession::ACTION,
    RenewOTASession::ACTION,
    EndOTASession::ACTION,
    QueryOTACallerIdentity::ACTION,
    ListOTAAuditEvents::ACTION,
    ListOTAJobHistory::ACTION,
    PauseOTAJob::ACTION,
    ResumeOTAJob::ACTION,
    StartOTAJobNextWave::ACTION,
];

/// Extension parameters a `--plain` server does not know, like Alibaba's, as (action, name);
/// `*` is any action. It creates the batch a `DryRun` asked only to preview and lists every
/// device whatever `ModuleVersion` says, so a console tested against it must ask first.
const PLAIN_UNKNOWN_PARAMS: &[(&str, &str)] =
    &[("*", "DryRun"), ("QueryDevice", "ModuleName"), ("QueryDevice", "ModuleVersion")];

/// A `--plain` server refuses what would change a batch's behaviour if it were ignored:
/// safe-rollout rules (an operator counting on a pause rule must not get a batch without one)
/// and a task list's `ReasonCode` (the list would silently hold every task).
fn refuse_extension_params(params: &Params) -> Result<(), ParamError> {
    let Some((name, _)) =
        params.pairs().iter().find(|(name, _)| safety::names_a_parameter(name) || name == "ReasonCode")
    else {
        return Ok(());
    };
    Err(ParamError::new(
        codes::NOT_SUPPORTED,
        format!("This server speaks Alibaba's OTA API without extensions; {name} is an extension it does not offer."),
    ))
}

/// More parameters than any operation needs (200 device names, 20 files, 10 tags, …).
const MAX_PARAMS: usize = 2000;

type ActionFuture = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + Send>>;
type Handler = Box<dyn Fn(Ctx, Params, String) -> ActionFuture + Send + Sync>;

/// The table of implemented actions.
#[derive(Default)]
pub struct Actions {
    handlers: HashMap<&'static str, Handler>,
}

impl Actions {
    /// Registers `handler` under its request type's `Action`. The request is parsed and
    /// validated before the handler runs, and its answer wrapped in the success envelope.
    pub fn add<O, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        O: Operation + Send + 'static,
        F: Fn(Ctx, O) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<O::Response, ApiError>> + Send + 'static,
    {
        let handler = move |ctx: Ctx, params: Params, request_id: String| -> ActionFuture {
            let running = O::from_params(&params).map(|request| handler(ctx, request));
            Box::pin(async move {
                let data = running?.await?;
                Ok(success(request_id, data))
            })
        };
        let previous = self.handlers.insert(O::ACTION, Box::new(handler));
        assert!(previous.is_none(), "{} is registered twice", O::ACTION);
        self
    }

    fn get(&self, action: &str) -> Option<&Handler> {
        self.handlers.get(action)
    }

    /// The implemented actions, for capability discovery.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.keys().copied()
    }
}

/// A fresh request ID in Alibaba's format (an upper-case UUID).
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase()
}

fn success(request_id: String, data: impl serde::Serialize) -> Response {
    let header = request_id.clone();
    answer(StatusCode::OK, &header, SuccessBody::new(request_id, data))
}

/// A JSON answer, with its request ID also in the `x-acs-request-id` header as Alibaba sends it.
pub(super) fn answer(status: StatusCode, request_id: &str, body: impl serde::Serialize) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-acs-request-id", value);
    }
    response
}

/// `GET /`: an API call when it names an action, otherwise the console (if it lives at `/`).
pub async fn get_root(state: State<AppState>, query: RawQuery, request: Request) -> Response {
    let names_action = request.headers().contains_key("x-acs-action")
        || query.0.as_deref().is_some_and(|q| parse_pairs(q.as_bytes()).is_ok_and(|p| p.get("Action").is_some()));
    if names_action || state.console.is_none() {
        let source = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        let secure = request.extensions().get::<Secure>().copied().unwrap_or(Secure(false));
        let headers = request.headers().clone();
        return call(state, Method::GET, headers, query, Bytes::new(), Transport { source, secure }).await;
    }
    console::serve(state, request).await
}

/// `POST /`: always an API call.
pub async fn post_root(
    state: State<AppState>,
    source: Option<Extension<ConnectInfo<SocketAddr>>>,
    secure: Option<Extension<Secure>>,
    headers: HeaderMap,
    query: RawQuery,
    body: Bytes,
) -> Response {
    let transport = Transport { source: source.map(|c| c.0.0), secure: secure.map_or(Secure(false), |s| s.0) };
    call(state, Method::POST, headers, query, body, transport).await
}

/// Where a call came from and how.
#[derive(Debug, Clone, Copy)]
struct Transport {
    source: Option<SocketAddr>,
    secure: Secure,
}

async fn call(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    query: RawQuery,
    body: Bytes,
    transport: Transport,
) -> Response {
    let started = Instant::now();
    let request_id = new_request_id();
    let arrived = Arrived {
        method: &method,
        headers: &headers,
        query: query.0.as_deref(),
        body: &body,
        secure: transport.secure,
    };
    let mut call = audit::Call::new(&request_id, transport.source);
    let result = match state.request_slots.try_acquire() {
        Ok(_slot) => dispatch(&state, arrived, &request_id, &mut call).await,
        Err(_) => {
            state.settings.metrics.refused(Refused::ConcurrentRequests);
            Err(ApiError::Unavailable("The server is handling as many calls as it takes; try again shortly.".into()))
        }
    };
    // Only Actions this server knows become labels: a caller cannot grow the metrics.
    let known = state.actions.get(call.action()).is_some() || call.action() == SubscribeOTAEvents::ACTION;
    let action = if known { call.action() } else { "unknown" };
    match result {
        Ok(response) => {
            state.settings.metrics.call(action, "OK", started.elapsed());
            call.settle(&state.store, None).await;
            response
        }
        Err(error) => {
            let (code, _) = error.code_and_message();
            state.settings.metrics.call(action, &code, started.elapsed());
            if matches!(error, ApiError::Denied { .. }) {
                state.settings.metrics.refused(Refused::Signature);
            }
            call.settle(&state.store, Some(&error)).await;
            error.into_response_for(request_id)
        }
    }
}

/// A request to `/` as it arrived.
struct Arrived<'a> {
    method: &'a Method,
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    body: &'a [u8],
    secure: Secure,
}

async fn dispatch(
    state: &AppState,
    arrived: Arrived<'_>,
    request_id: &str,
    call: &mut audit::Call,
) -> Result<Response, ApiError> {
    let headers = arrived.headers;
    let query = arrived.query.map(|q| parse_pairs(q.as_bytes())).transpose()?.unwrap_or_default();
    let mut params = collect_params(headers, query.clone(), arrived.body)?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    let now = UtcTime(chrono::Utc::now());
    let named = params.get("Action").or_else(|| header("x-acs-action")).map(str::to_owned);
    call.learn_request(named.as_deref(), &params, state.instances.default_id(), now);
    let principal = if named.as_deref() == Some(AssumeOTASession::ACTION) && !state.settings.plain {
        None
    } else {
        let arrived = signed::Arrived {
            method: arrived.method.as_str(),
            headers,
            query: &query,
            params: &params,
            body: arrived.body,
        };
        let signed = signed::read(&arrived)?;
        call.learn_key(&signed.access_key_id);
        let principal = state.access.authenticate(&state.store, &signed, now).await?;
        call.learn_principal(&principal);
        Some(std::sync::Arc::new(principal))
    };
    if state.settings.plain {
        let action = params.get("Action").or_else(|| header("x-acs-action")).unwrap_or_default().to_owned();
        let unknown = |name: &str| PLAIN_UNKNOWN_PARAMS.iter().any(|(a, n)| *n == name && (*a == "*" || *a == action));
        params = params.pairs().iter().filter(|(name, _)| !unknown(name)).cloned().collect();
        refuse_extension_params(&params)?;
    }

    let version = params.get("Version").or_else(|| header("x-acs-version"));
    if let Some(version) = version.filter(|v| *v != API_VERSION) {
        return Err(ParamError::new(
            codes::UNSUPPORTED_VERSION,
            format!("This server speaks OTA API version {API_VERSION}, not {version}."),
        )
        .into());
    }
    let action =
        params.get("Action").or_else(|| header("x-acs-action")).ok_or_else(|| ParamError::missing("Action"))?;
    let unknown =
        || ParamError::new(codes::UNKNOWN_ACTION, format!("The action {action} is not implemented by this server."));
    if state.settings.plain && EXTENSION_ACTIONS.contains(&action) {
        return Err(unknown().into());
    }
    let instance = state.instances.resolve(params.get("IotInstanceId"))?;
    call.learn_instance(&instance);
    let handler = state.actions.get(action);
    if handler.is_none() && action != SubscribeOTAEvents::ACTION {
        return Err(unknown().into());
    }
    if let Some(principal) = principal.as_ref().filter(|p| !p.may(action, &instance)) {
        tracing::info!(principal = principal.name, action, instance, "refused by policy");
        return Err(Refusal::forbidden(action, &instance).into());
    }
    let store = match call.entry_for_change() {
        Some(entry) => state.store.audited(entry),
        None => state.store.clone(),
    };
    let ctx = Ctx {
        instance,
        origin: request_origin(&state.settings, headers, arrived.secure),
        store,
        files: state.files.clone(),
        instances: state.instances.clone(),
        actions: state.actions.clone(),
        now,
        access: state.access.clone(),
        principal,
        limits: state.settings.limits,
        metrics: state.settings.metrics.clone(),
    };
    if action == SubscribeOTAEvents::ACTION {
        let request = SubscribeOTAEvents::from_params(&params)?;
        let Ok(slot) = state.event_slots.clone().try_acquire_owned() else {
            state.settings.metrics.refused(Refused::EventSubscribers);
            return Err(ApiError::Unavailable("The server has as many event streams open as it takes.".into()));
        };
        let stopping = state.settings.stopping.clone();
        let held = events::Held { _slot: slot, _counted: state.settings.metrics.event_subscriber() };
        let hub = state.event_hub.get_or_init(|| events::EventHub::start(state.store.clone()));
        return events::subscribe(ctx, hub, request, header("last-event-id"), stopping, held).await;
    }
    let handler = handler.ok_or_else(unknown)?;
    handler(ctx, params, request_id.to_owned()).await
}

/// The query string's parameters followed by a form body's.
fn collect_params(headers: &HeaderMap, query: Params, body: &[u8]) -> Result<Params, ApiError> {
    let mut params = query;
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !body.is_empty() && content_type.starts_with("application/x-www-form-urlencoded") {
        for (name, value) in parse_pairs(body)?.pairs() {
            params.push(name.clone(), value.clone());
        }
    }
    if params.len() > MAX_PARAMS {
        return Err(ApiError::TooLarge(format!(
            "The request has {} parameters; this server takes at most {MAX_PARAMS}.",
            params.len()
        )));
    }
    Ok(params)
}

fn parse_pairs(encoded: &[u8]) -> Result<Params, ParamError> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded)
        .map(|pairs| pairs.into_iter().collect())
        .map_err(|e| ParamError::new(codes::INVALID_PARAMETER, format!("The parameters are not URL-encoded: {e}.")))
}
