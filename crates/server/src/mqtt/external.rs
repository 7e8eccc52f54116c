//! `--mqtt-url`: devices use another MQTT broker (mosquitto, EMQX, VerneMQ, …), which
//! authenticates them and keeps them to their topics. A server joins it as a client (`ota-server`,
//! or `ota-server-<replica>` when several run, `--replica-id`): it subscribes to every device's
//! upstream topics (several servers through the shared subscription `$share/ota-server/…`, so
//! that one of them handles each message), and publishes to the devices' downstream topics. Such a broker does not tell its
//! clients who is connected, so a device counts as online and listening from its first
//! message (a device reports its version when it connects) after the server (re)joins the
//! broker. The server keeps a lasting session there, so messages sent while it was down still
//! reach it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ota_model::device::payload::MAX_PAYLOAD_BYTES;
use ota_model::device::{DeviceId, Upstream};
use rumqttc::{AsyncClient, Event, EventLoop, MqttOptions, Packet, Publish, QoS, TlsConfiguration, Transport};
use tokio::sync::{mpsc, oneshot};

use super::outbox::External;
use super::{DeviceEvent, Outbox, Receipt};
use crate::engine::lease::Leadership;
use crate::metrics::{Metrics, Refusal};
use crate::store::Store;

/// The servers' shared-subscription group, and the start of each server's client ID.
pub const GROUP: &str = "ota-server";

/// Where the broker is and how the server logs in to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    pub host: String,
    pub port: u16,
    /// `mqtts://`: the connection is TLS, and the broker's certificate is checked.
    pub tls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl std::str::FromStr for BrokerUrl {
    type Err = String;

    /// `mqtt://[user[:password]@]host[:port]` (port 1883) or `mqtts://…` (TLS, port 8883).
    fn from_str(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text).map_err(|e| format!("'{text}' is not a URL: {e}"))?;
        let tls = match url.scheme() {
            "mqtt" | "tcp" => false,
            "mqtts" | "ssl" => true,
            _ => return Err(format!("'{text}' is not an mqtt:// or mqtts:// URL")),
        };
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| format!("'{text}' names no host"))?;
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        Ok(Self {
            host: host.trim_start_matches('[').trim_end_matches(']').to_owned(),
            port: url.port().unwrap_or(if tls { 8883 } else { 1883 }),
            tls,
            username: Some(url.username()).filter(|u| !u.is_empty()).map(decode),
            password: url.password().map(decode),
        })
    }
}

impl BrokerUrl {
    /// `host:port`, for messages (never the credentials).
    pub fn address(&self) -> String {
        format!("{}://{}:{}", if self.tls { "mqtts" } else { "mqtt" }, self.host, self.port)
    }
}

/// Connects to the broker at `url` (over TLS with `tls`): alone, or as server `replica` of
/// several; devices' messages go to `events`.
pub fn connect(
    url: &BrokerUrl,
    replica: Option<&str>,
    tls: Option<Arc<rustls::ClientConfig>>,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
) -> Outbox {
    let (client, eventloop) = AsyncClient::new(options(url, replica, tls), 10_000);
    let (outbox, external) = Outbox::external(client);
    let session = Session { reconnect: Reconnect::Always, shared: replica.is_some() };
    tokio::spawn(follow(eventloop, external, events, metrics, url.address(), session));
    outbox
}

/// Takes over the broker session of server `replica`, gone silent: what the broker keeps
/// giving it (mosquitto goes on handing a lasting session its share of a shared subscription
/// while it is away) goes to `events` instead. Ends when the connection does: the server came
/// back and took its session over, or the broker went.
pub async fn adopt(
    url: BrokerUrl,
    replica: String,
    tls: Option<Arc<rustls::ClientConfig>>,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
) {
    let (client, eventloop) = AsyncClient::new(options(&url, Some(&replica), tls), 10_000);
    let (_, external) = Outbox::external(client);
    let session = Session { reconnect: Reconnect::Never, shared: true };
    follow(eventloop, external, events, metrics, url.address(), session).await;
}

/// How long a server goes unheard before the engine's leader takes its broker session over.
const SILENT_AFTER: Duration = crate::engine::lease::LEASE;

/// While this server (`replica`) leads the engine, takes over the broker sessions of the
/// servers gone silent, each until it is back.
pub async fn adopt_silent(
    store: Store,
    replica: String,
    leadership: Leadership,
    url: BrokerUrl,
    tls: Option<Arc<rustls::ClientConfig>>,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
) {
    let mut adopted: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    let mut every = tokio::time::interval(Duration::from_secs(2));
    loop {
        every.tick().await;
        adopted.retain(|_, session| !session.is_finished());
        let silent = match leadership.leads() {
            true => match store.silent_servers(&replica, SILENT_AFTER).await {
                Ok(silent) => silent,
                Err(error) => {
                    tracing::warn!("MQTT: cannot tell which servers went silent: {error}");
                    continue;
                }
            },
            false => Vec::new(),
        };
        adopted.retain(|other, session| {
            let still = silent.contains(other);
            if !still {
                session.abort();
            }
            still
        });
        for other in silent {
            if let std::collections::hash_map::Entry::Vacant(entry) = adopted.entry(other.clone()) {
                tracing::info!(server = other, "MQTT: taking over the broker session of a silent server");
                let session = adopt(url.clone(), other, tls.clone(), events.clone(), metrics.clone());
                entry.insert(tokio::spawn(session));
            }
        }
    }
}

/// A client of the broker at `url` for the lasting session of the server alone, or of server
/// `replica` of several.
fn options(url: &BrokerUrl, replica: Option<&str>, tls: Option<Arc<rustls::ClientConfig>>) -> MqttOptions {
    // A lasting session under the server's name: while it is down (or restarting after a
    // crash) the broker keeps the devices' messages for it (or the leader takes them).
    let client_id = match replica {
        Some(replica) => format!("{GROUP}-{replica}"),
        None => GROUP.to_owned(),
    };
    let mut options = MqttOptions::new(client_id, url.host.clone(), url.port);
    options.set_keep_alive(Duration::from_secs(30)).set_max_packet_size(64 * 1024, 64 * 1024).set_clean_session(false);
    // A message is acknowledged once recorded: the broker keeps it until then, across a crash.
    options.set_manual_acks(true);
    if let Some(username) = &url.username {
        options.set_credentials(username.clone(), url.password.clone().unwrap_or_default());
    }
    if let Some(config) = tls {
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(config)));
    }
    options
}

/// How a session behaves.
#[derive(Debug, Clone, Copy)]
struct Session {
    reconnect: Reconnect,
    /// Through the servers' shared subscription (several servers), or a plain one (one server:
    /// mosquitto before 2.0.12 loses a lasting session's shared subscriptions when the broker
    /// restarts, and with them what devices send until the server subscribes again).
    shared: bool,
}

/// Whether a session connects again when its connection fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reconnect {
    Always,
    /// An adopted session: its server may be back.
    Never,
}

/// Hands the messages of a session on to `events`, acknowledging each once recorded.
async fn follow(
    mut eventloop: EventLoop,
    external: Arc<External>,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
    address: String,
    session: Session,
) {
    let acks = acknowledge_in_order(external.client.clone());
    let mut connected = false;
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                tracing::info!("MQTT: connected to the broker at {address}");
                connected = true;
                // Pushes sent while the broker was away may be lost: every device counts as
                // newly heard again, so that its first word brings what it still waits for.
                external.heard.lock().unwrap_or_else(|e| e.into_inner()).clear();
                // Kept by a lasting session, but the broker may have lost it.
                for kind in Upstream::ALL {
                    let filter = if session.shared { shared(kind.filter()) } else { kind.filter().to_owned() };
                    let _ = external.client.try_subscribe(filter, QoS::AtLeastOnce);
                }
            }
            Ok(Event::Incoming(Packet::Publish(publish))) => {
                let released = heard(&external, &events, &metrics, &publish.topic, publish.payload.clone()).await;
                let _ = acks.send((publish, released));
            }
            Ok(_) => {}
            Err(error) if session.reconnect == Reconnect::Never => {
                tracing::info!("MQTT: an adopted session at {address} ended: {error}");
                return;
            }
            Err(error) => {
                if connected {
                    tracing::warn!("MQTT: lost the broker at {address}: {error}; reconnecting");
                } else {
                    tracing::warn!("MQTT: cannot reach the broker at {address}: {error}; trying again");
                }
                connected = false;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// A topic filter shared by the servers: the broker hands each message to one of them.
fn shared(filter: &str) -> String {
    format!("$share/{GROUP}/{filter}")
}

/// Acknowledges each message once the engine has let go of its receipt, in the order they came.
fn acknowledge_in_order(client: AsyncClient) -> mpsc::UnboundedSender<(Publish, Option<oneshot::Receiver<()>>)> {
    let (acks, mut waiting) = mpsc::unbounded_channel::<(Publish, Option<oneshot::Receiver<()>>)>();
    tokio::spawn(async move {
        while let Some((publish, released)) = waiting.recv().await {
            if let Some(released) = released {
                let _ = released.await;
            }
            let _ = client.ack(&publish).await;
        }
    });
    acks
}

/// A message on one of the devices' upstream topics; what resolves once the engine recorded it.
async fn heard(
    external: &External,
    events: &mpsc::Sender<DeviceEvent>,
    metrics: &Metrics,
    topic: &str,
    payload: bytes::Bytes,
) -> Option<oneshot::Receiver<()>> {
    let (kind, device) = Upstream::parse(topic)?;
    if payload.len() > MAX_PAYLOAD_BYTES {
        metrics.refused(Refusal::MqttPayloadSize);
        tracing::info!(product_key = %device.product_key, device = %device.device_name, "MQTT: a {} byte message dropped", payload.len());
        return None;
    }
    if first_word_from(external, &device) {
        let _ = events.send(DeviceEvent::Connected { device: device.clone(), ip: None }).await;
        let _ = events.send(DeviceEvent::Listening { device: device.clone() }).await;
    }
    metrics.device_message(kind.name());
    let (receipt, released) = Receipt::new();
    let _ = events.send(DeviceEvent::Message { device, kind, payload, receipt }).await;
    Some(released)
}

fn first_word_from(external: &External, device: &DeviceId) -> bool {
    external.heard.lock().unwrap_or_else(|e| e.into_inner()).insert(device.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_urls_name_host_port_and_credentials() {
        let url: BrokerUrl = "mqtt://ota:s%40cret@broker.example:1884".parse().unwrap();
        assert_eq!(
            url,
            BrokerUrl {
                host: "broker.example".into(),
                port: 1884,
                tls: false,
                username: Some("ota".into()),
                password: Some("s@cret".into())
            }
        );
        let plain: BrokerUrl = "mqtt://127.0.0.1".parse().unwrap();
        assert_eq!((plain.port, plain.username), (1883, None));
        let secure: BrokerUrl = "mqtts://broker.example".parse().unwrap();
        assert_eq!((secure.tls, secure.port, secure.address()), (true, 8883, "mqtts://broker.example:8883".into()));
        assert!("http://broker:8883".parse::<BrokerUrl>().unwrap_err().contains("mqtts://"));
        assert!("broker:1883".parse::<BrokerUrl>().is_err());
    }
}
