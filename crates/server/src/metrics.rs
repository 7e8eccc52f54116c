//! What the server counts, for Prometheus (`GET /metrics`, text format): calls by Action and
//! code with their latency, every refusal by the bound or check that made it, devices
//! connected and their messages, pushes by batch, and the engine's tick.

use std::sync::Arc;
use std::time::Duration;

use std::fmt::Write;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Why something was turned away; each is one series of `ota_refusals_total`.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum Refusal {
    /// HTTP connections beyond `--max-connections`.
    HttpConnections,
    /// A TLS handshake not finished within the header timeout.
    HandshakeTimeout,
    /// Request heads not complete within the header timeout.
    HeadTimeout,
    /// Request bodies silent for longer than the body timeout.
    BodyTimeout,
    /// Calls beyond `--max-concurrent-requests`.
    ConcurrentRequests,
    /// Event-stream subscribers beyond `--max-event-subscribers`.
    EventSubscribers,
    /// A signed call whose signature, key or policy did not allow it.
    Signature,
    /// An upload form's field other than the file above its cap.
    UploadField,
    /// An upload grant beyond the instance's open grants.
    UploadGrants,
    /// A package file beyond the instance's storage quota.
    StorageQuota,
    /// A package file refused for want of free disk space.
    DiskSpace,
    /// MQTT connections that have not logged in yet, beyond their cap.
    MqttPendingConnections,
    /// Logins from one address beyond its rate.
    MqttLoginRate,
    /// Logins of one device beyond its rate.
    MqttDeviceLoginRate,
    /// Logins with unknown devices, wrong secrets, stale timestamps or bad credentials.
    MqttLogin,
    /// Publishes on a topic that is not the device's own.
    MqttTopic,
    /// Publishes above the payload limit.
    MqttPayloadSize,
    /// Publishes above a device's message rate.
    MqttMessageRate,
    /// SUBSCRIBE packets above a connection's rate.
    MqttSubscribeRate,
    /// Subscriptions to topics that are not the device's own.
    MqttSubscription,
    /// Device messages the engine could not read.
    MqttPayload,
}

impl Refusal {
    /// The label value, in Prometheus's snake_case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HttpConnections => "http_connections",
            Self::HandshakeTimeout => "handshake_timeout",
            Self::HeadTimeout => "head_timeout",
            Self::BodyTimeout => "body_timeout",
            Self::ConcurrentRequests => "concurrent_requests",
            Self::EventSubscribers => "event_subscribers",
            Self::Signature => "signature",
            Self::UploadField => "upload_field",
            Self::UploadGrants => "upload_grants",
            Self::StorageQuota => "storage_quota",
            Self::DiskSpace => "disk_space",
            Self::MqttPendingConnections => "mqtt_pending_connections",
            Self::MqttLoginRate => "mqtt_login_rate",
            Self::MqttDeviceLoginRate => "mqtt_device_login_rate",
            Self::MqttLogin => "mqtt_login",
            Self::MqttTopic => "mqtt_topic",
            Self::MqttPayloadSize => "mqtt_payload_size",
            Self::MqttMessageRate => "mqtt_message_rate",
            Self::MqttSubscribeRate => "mqtt_subscribe_rate",
            Self::MqttSubscription => "mqtt_subscription",
            Self::MqttPayload => "mqtt_payload",
        }
    }
}

impl EncodeLabelValue for Refusal {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        encoder.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: Refusal,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    action: String,
    code: String,
}

/// What a database transaction waited for before it began.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum DbWait {
    /// A pooled connection and the write lock (`BEGIN IMMEDIATE`).
    Write,
    /// A pooled connection only.
    Read,
}

impl EncodeLabelValue for DbWait {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        encoder.write_str(match self {
            Self::Write => "write",
            Self::Read => "read",
        })
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DbWaitLabel {
    transaction: DbWait,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabel {
    action: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabel {
    job: String,
}

/// Latencies from 1 ms to about 16 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The server's counters, shared by every part that counts.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    call_seconds: Family<ActionLabel, Histogram, fn() -> Histogram>,
    refusals: Family<ReasonLabel, Counter>,
    mqtt_connections: Gauge,
    mqtt_messages: Family<KindLabel, Counter>,
    pushes: Family<JobLabel, Counter>,
    engine_tick_seconds: Histogram,
    engine_leading: Gauge,
    event_subscribers: Gauge,
    db_wait_seconds: Family<DbWaitLabel, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("ota");
        let calls = Family::default();
        registry.register("api_calls", "API calls answered, by Action and code (OK for success)", calls.clone());
        let call_seconds = Family::new_with_constructor(latency as fn() -> Histogram);
        registry.register("api_call_seconds", "Time to answer an API call, by Action", call_seconds.clone());
        let refusals = Family::default();
        registry.register("refusals", "Requests, connections and messages turned away, by reason", refusals.clone());
        let mqtt_connections = Gauge::default();
        registry.register("mqtt_connections", "Devices logged in to the embedded broker", mqtt_connections.clone());
        let mqtt_messages = Family::default();
        registry.register("mqtt_messages", "Device messages accepted, by kind", mqtt_messages.clone());
        let pushes = Family::default();
        registry.register("pushes", "Update pushes sent to devices, by batch", pushes.clone());
        let engine_tick_seconds = latency();
        registry.register("engine_tick_seconds", "Time of one rollout engine tick", engine_tick_seconds.clone());
        let engine_leading = Gauge::default();
        registry.register(
            "engine_leading",
            "1 while this server leads the rollout engine (holds the engine lease), else 0",
            engine_leading.clone(),
        );
        let event_subscribers = Gauge::default();
        registry.register("event_subscribers", "Open event streams", event_subscribers.clone());
        let db_wait_seconds = Family::new_with_constructor(latency as fn() -> Histogram);
        registry.register(
            "db_wait_seconds",
            "Time a database transaction waited for a pooled connection (and, to write, the write lock)",
            db_wait_seconds.clone(),
        );
        Self {
            registry,
            calls,
            call_seconds,
            refusals,
            mqtt_connections,
            mqtt_messages,
            pushes,
            engine_tick_seconds,
            engine_leading,
            event_subscribers,
            db_wait_seconds,
        }
    }
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The text format Prometheus scrapes.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }

    pub fn refused(&self, reason: Refusal) {
        self.refusals.get_or_create(&ReasonLabel { reason }).inc();
    }

    /// How many times `reason` turned something away (for tests).
    pub fn refusals(&self, reason: Refusal) -> u64 {
        self.refusals.get(&ReasonLabel { reason }).map_or(0, |c| c.get())
    }

    pub fn call(&self, action: &str, code: &str, took: Duration) {
        let action = action.to_owned();
        self.calls.get_or_create(&CallLabels { action: action.clone(), code: code.to_owned() }).inc();
        self.call_seconds.get_or_create(&ActionLabel { action }).observe(took.as_secs_f64());
    }

    pub fn device_connected(&self) {
        self.mqtt_connections.inc();
    }

    pub fn device_disconnected(&self) {
        self.mqtt_connections.dec();
    }

    pub fn device_message(&self, kind: &str) {
        self.mqtt_messages.get_or_create(&KindLabel { kind: kind.to_owned() }).inc();
    }

    pub fn pushed(&self, job: &str) {
        self.pushes.get_or_create(&JobLabel { job: job.to_owned() }).inc();
    }

    pub fn engine_tick(&self, took: Duration) {
        self.engine_tick_seconds.observe(took.as_secs_f64());
    }

    pub fn engine_leading(&self, leading: bool) {
        self.engine_leading.set(i64::from(leading));
    }

    pub fn db_wait(&self, transaction: DbWait, took: Duration) {
        self.db_wait_seconds.get_or_create(&DbWaitLabel { transaction }).observe(took.as_secs_f64());
    }

    /// Counts an open event stream until the guard is dropped.
    pub fn event_subscriber(self: &Arc<Self>) -> SubscriberGuard {
        self.event_subscribers.inc();
        SubscriberGuard(self.clone())
    }
}

/// An open event stream, counted while it lives.
pub struct SubscriberGuard(Arc<Metrics>);

impl Drop for SubscriberGuard {
    fn drop(&mut self) {
        self.0.event_subscribers.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_and_calls_appear_in_the_text_format() {
        let metrics = Metrics::new();
        metrics.refused(Refusal::MqttLogin);
        metrics.refused(Refusal::MqttLogin);
        metrics.call("QueryOTAJob", "OK", Duration::from_millis(3));
        let text = metrics.render();
        assert!(text.contains("ota_refusals_total{reason=\"mqtt_login\"} 2"), "{text}");
        assert!(text.contains("ota_api_calls_total{action=\"QueryOTAJob\",code=\"OK\"} 1"), "{text}");
        assert!(text.contains("ota_api_call_seconds_bucket{le=\"0.004\",action=\"QueryOTAJob\"} 1"), "{text}");
        assert_eq!(metrics.refusals(Refusal::MqttLogin), 2);
        assert_eq!(metrics.refusals(Refusal::Signature), 0);
    }

    #[test]
    fn an_event_subscriber_is_counted_while_its_stream_is_open() {
        let metrics = Metrics::new();
        let guard = metrics.event_subscriber();
        assert!(metrics.render().contains("ota_event_subscribers 1"));
        drop(guard);
        assert!(metrics.render().contains("ota_event_subscribers 0"));
    }
}
