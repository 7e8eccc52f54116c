//! What an external broker asks the server (`--mqtt-url`): whether a device's login is right,
//! whether it may use a topic, and who connected or went. In the shapes EMQX 5's HTTP
//! authenticator, HTTP authorizer and rule-engine webhook send (`/mqtt/auth`, `/mqtt/acl`,
//! `/mqtt/presence`), and VerneMQ's webhooks (`/mqtt/vernemq`, the hook in `vernemq-hook`).
//! Only the broker may ask: every request carries `Authorization: Bearer <--broker-hooks-secret>`,
//! and without that setting these paths do not exist.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ota_model::UtcTime;
use ota_model::device::credentials::Login;
use ota_model::device::{DeviceId, Downstream, may_publish};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use crate::metrics::Refusal;
use crate::mqtt::limits::KeyedRate;

use super::AppState;
use crate::mqtt::auth::known_device;
use crate::store::connections::Presence;

/// EMQX's authentication request (the body its configuration names; see docs/api.md).
#[derive(Deserialize)]
pub struct AuthRequest {
    clientid: String,
    username: String,
    password: String,
}

/// EMQX's authorization request.
#[derive(Deserialize)]
pub struct AclRequest {
    username: String,
    topic: String,
    /// `publish` or `subscribe`.
    action: String,
}

/// An EMQX rule-engine event (`client.connected`, `client.disconnected`); other fields ignored.
#[derive(Deserialize)]
pub struct PresenceEvent {
    event: String,
    username: String,
    /// `ip:port`.
    #[serde(default)]
    peername: Option<String>,
    /// When the connection began (ms), in both events.
    #[serde(default)]
    connected_at: Option<i64>,
}

pub async fn auth(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let request: AuthRequest = match from_broker(&state, &headers, &body) {
        Ok(request) => request,
        Err(refused) => return refused.into_response(),
    };
    match login(&state, &request.clientid, &request.username, &request.password).await {
        Ok(Some(_)) => Json(json!({"result": "allow", "is_superuser": false})).into_response(),
        Ok(None) => Json(json!({"result": "deny"})).into_response(),
        Err(answer) => answer,
    }
}

pub async fn acl(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let request: AclRequest = match from_broker(&state, &headers, &body) {
        Ok(request) => request,
        Err(refused) => return refused.into_response(),
    };
    let allowed = device_of(&request.username).is_some_and(|device| match request.action.as_str() {
        "publish" => may_publish(&device, &request.topic),
        "subscribe" => may_subscribe(&device, &request.topic),
        _ => false,
    });
    Json(json!({"result": if allowed { "allow" } else { "deny" }})).into_response()
}

pub async fn presence(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let event: PresenceEvent = match from_broker(&state, &headers, &body) {
        Ok(event) => event,
        Err(refused) => return refused.into_response(),
    };
    let presence = match event.event.as_str() {
        "client.connected" => {
            Presence::Connected { ip: event.peername.as_deref().map(host_of), since: event.connected_at }
        }
        "client.disconnected" => Presence::Disconnected { of: event.connected_at },
        // Other events a rule may forward are not ours to act on.
        _ => return StatusCode::NO_CONTENT.into_response(),
    };
    record(&state, &event.username, presence).await
}

/// VerneMQ's webhooks, one path for all, the hook named in `vernemq-hook`.
pub async fn vernemq(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = match from_broker(&state, &headers, &body) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let text = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    let ok = || Json(json!({"result": "ok"})).into_response();
    let not_allowed = || Json(json!({"result": {"error": "not_allowed"}})).into_response();
    let hook = headers.get("vernemq-hook").and_then(|h| h.to_str().ok()).unwrap_or_default();
    match hook {
        "auth_on_register" | "auth_on_register_m5" => {
            match login(&state, &text("client_id"), &text("username"), &text("password")).await {
                Ok(Some(_)) => ok(),
                Ok(None) => not_allowed(),
                Err(answer) => answer,
            }
        }
        "auth_on_publish" | "auth_on_publish_m5" => {
            let allowed = device_of(&text("username")).is_some_and(|device| may_publish(&device, &text("topic")));
            if allowed { ok() } else { not_allowed() }
        }
        "auth_on_subscribe" | "auth_on_subscribe_m5" => {
            // Each topic granted as asked, or refused on its own (QoS 128).
            let device = device_of(&text("username"));
            let topics: Vec<Value> = body["topics"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|t| {
                    let topic = t["topic"].as_str().unwrap_or_default();
                    let allowed = device.as_ref().is_some_and(|device| may_subscribe(device, topic));
                    json!({"topic": topic, "qos": if allowed { t["qos"].clone() } else { json!(128) }})
                })
                .collect();
            Json(json!({"result": "ok", "topics": topics})).into_response()
        }
        "on_register" | "on_register_m5" => {
            let ip = body["peer_addr"].as_str().map(str::to_owned);
            record(&state, &text("username"), Presence::Connected { ip, since: None }).await;
            Json(json!({})).into_response()
        }
        // VerneMQ names only the client ID when a client goes, not the device: the device stays
        // ONLINE until the broker says so otherwise (docs/api.md).
        _ => Json(json!({})).into_response(),
    }
}

/// A login's device if its credentials are right and fresh, `None` if not; an answer that
/// tells the broker to try again later if the database did not answer.
async fn login(
    state: &AppState,
    client_id: &str,
    username: &str,
    password: &str,
) -> Result<Option<DeviceId>, Response> {
    let Ok(claims) = Login::parse(client_id, username) else { return Ok(None) };
    let hooks = state.settings.broker_hooks.as_ref();
    if hooks.is_some_and(|hooks| !hooks.logins.allows_one_more(&claims.device, Instant::now())) {
        state.settings.metrics.refused(Refusal::MqttDeviceLoginRate);
        return Ok(None);
    }
    if claims.is_fresh(UtcTime(chrono::Utc::now())).is_err() {
        return Ok(None);
    }
    match known_device(&state.store, &claims, password).await {
        Ok(device) => Ok(device.map(|_| claims.device)),
        Err(error) => {
            tracing::error!("broker hooks: cannot look up a device: {error}");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// Records that the device `username` names connected or went.
async fn record(state: &AppState, username: &str, presence: Presence) -> Response {
    let Some(device) = device_of(username) else { return StatusCode::NO_CONTENT.into_response() };
    let known = match state.store.device_login(&device).await {
        Ok(known) => known,
        Err(error) => {
            tracing::error!("broker hooks: cannot look up a device: {error}");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(known) = known else { return StatusCode::NO_CONTENT.into_response() };
    match state.store.record_presence(&[(known.iot_id, presence)], UtcTime(chrono::Utc::now())).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => {
            tracing::error!("broker hooks: cannot record a device's presence: {error}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The device a username (`deviceName&productKey`) names.
fn device_of(username: &str) -> Option<DeviceId> {
    let (device_name, product_key) = username.split_once('&')?;
    let fits = |s: &str| !s.is_empty() && !s.contains(['/', '+', '#']);
    (fits(device_name) && fits(product_key))
        .then(|| DeviceId { product_key: product_key.to_owned(), device_name: device_name.to_owned() })
}

/// Whether `device` may subscribe to `filter`: one of its own downstream topics, exactly. (The
/// embedded broker narrows a wildcard to the device's own topics; another broker cannot, and a
/// wildcard would hand the device every other device's updates.)
fn may_subscribe(device: &DeviceId, filter: &str) -> bool {
    Downstream::ALL.iter().any(|kind| kind.topic(device) == filter)
}

/// The host of `ip:port` (or `[v6]:port`).
fn host_of(peer: &str) -> String {
    match peer.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
            host.trim_start_matches('[').trim_end_matches(']').to_owned()
        }
        _ => peer.to_owned(),
    }
}

/// The hooks, when on: the broker's secret, and each device's logins in the last minute
/// (counted as the embedded broker counts them, whether or not the device exists).
#[derive(Debug, Clone)]
pub struct BrokerHooks {
    secret: String,
    logins: Arc<KeyedRate<DeviceId>>,
}

impl BrokerHooks {
    pub fn new(secret: String, logins_per_device: u32) -> Self {
        Self { secret, logins: Arc::new(KeyedRate::new(logins_per_device, Duration::from_secs(60))) }
    }
}

/// The broker's request: 404 when the hooks are off, 401 without the broker's secret (before
/// the body is read at all), 400 for a body that is not the JSON expected.
fn from_broker<T: DeserializeOwned>(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<T, Refused> {
    let Some(secret) = state.settings.broker_hooks.as_ref().map(|hooks| hooks.secret.as_str()) else {
        return Err((StatusCode::NOT_FOUND, String::new()));
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer "));
    if !given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(secret.as_bytes()))) {
        return Err((StatusCode::UNAUTHORIZED, "the broker's hook secret is missing or wrong\n".into()));
    }
    serde_json::from_slice(body).map_err(|e| (StatusCode::BAD_REQUEST, format!("not the JSON this hook takes: {e}\n")))
}

/// Why a request is not answered: the status and a line saying why.
type Refused = (StatusCode, String);

#[cfg(test)]
mod tests {
    use super::*;

    fn meter() -> DeviceId {
        DeviceId { product_key: "a1SMtr200Qx".into(), device_name: "sm200-0001".into() }
    }

    #[test]
    fn a_device_subscribes_to_its_own_downstream_topics_exactly() {
        assert!(may_subscribe(&meter(), "/ota/device/upgrade/a1SMtr200Qx/sm200-0001"));
        assert!(may_subscribe(&meter(), "/sys/a1SMtr200Qx/sm200-0001/thing/ota/firmware/get_reply"));
        assert!(!may_subscribe(&meter(), "/ota/device/upgrade/+/+"), "a wildcard would reach every device");
        assert!(!may_subscribe(&meter(), "/ota/device/upgrade/a1SMtr200Qx/sm200-0002"));
        assert!(!may_subscribe(&meter(), "#"));
    }

    #[test]
    fn usernames_name_devices_and_peers_their_hosts() {
        assert_eq!(device_of("sm200-0001&a1SMtr200Qx"), Some(meter()));
        assert_eq!(device_of("sm200-0001"), None);
        assert_eq!(device_of("+&a1SMtr200Qx"), None);
        assert_eq!(host_of("10.0.0.7:61003"), "10.0.0.7");
        assert_eq!(host_of("[2001:db8::1]:1883"), "2001:db8::1");
    }
}
