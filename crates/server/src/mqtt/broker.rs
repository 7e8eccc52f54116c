//! The embedded MQTT broker (3.1.1): just what OTA devices need. Each device logs in with its
//! credentials, subscribes to its own downstream topics (wildcards stand for its own topics
//! only), and publishes on its own upstream topics; nothing is relayed between devices, so a
//! device only ever talks to the server. QoS 0 and 1; no retained messages, no persistent
//! sessions. A device that connects again replaces its older connection.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ota_model::device::credentials::Login;
use ota_model::device::payload::MAX_PAYLOAD_BYTES;
use ota_model::device::{DeviceId, Downstream, Upstream, own_subscriptions};
use rumqttc::mqttbytes::v4::{
    Codec, ConnAck, ConnectReturnCode, Packet, PubAck, Publish, SubAck, SubscribeReasonCode, UnsubAck,
};
use rumqttc::mqttbytes::{Protocol, QoS};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_util::codec::Framed;

use super::outbox::{register, unregister};
use super::{DeviceEvent, Outbox, Outgoing, Refusals};
use crate::mqtt::auth::password_matches;
use crate::store::Store;

/// Larger packets close the connection; payloads above `MAX_PAYLOAD_BYTES` are only dropped.
const MAX_PACKET_BYTES: usize = 64 * 1024;
const CONNECT_WITHIN: Duration = Duration::from_secs(10);
/// A device may publish this many messages a second; more are dropped, so that one device
/// cannot crowd out the others.
const MESSAGES_PER_SECOND: u32 = 50;

struct Shared {
    store: Store,
    outbox: Outbox,
    events: mpsc::Sender<DeviceEvent>,
    refusals: Arc<Refusals>,
}

/// Starts the broker on `listener`; devices' doings go to `events`.
pub fn start(
    listener: TcpListener,
    store: Store,
    events: mpsc::Sender<DeviceEvent>,
    refusals: Arc<Refusals>,
) -> Outbox {
    let outbox = Outbox::default();
    let shared = Arc::new(Shared { store, outbox: outbox.clone(), events, refusals });
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve(stream, peer, shared.clone()));
                }
                // Out of file descriptors and the like: wait instead of spinning.
                Err(error) => {
                    tracing::warn!("MQTT: cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    });
    outbox
}

async fn serve(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let codec = Codec { max_incoming_size: MAX_PACKET_BYTES, max_outgoing_size: MAX_PACKET_BYTES };
    let mut framed = Framed::new(stream, codec);
    let connect = match tokio::time::timeout(CONNECT_WITHIN, framed.next()).await {
        Ok(Some(Ok(Packet::Connect(connect)))) => connect,
        _ => return,
    };
    if connect.protocol != Protocol::V4 {
        let _ = framed.send(Packet::ConnAck(ConnAck::new(ConnectReturnCode::RefusedProtocolVersion, false))).await;
        return;
    }
    let device = match authenticate(&shared, &connect.client_id, connect.login.as_ref()).await {
        Ok(device) => device,
        Err((code, why)) => {
            Refusals::count(&shared.refusals.logins);
            tracing::info!(%peer, client_id = %connect.client_id, "MQTT: login refused: {why}");
            let _ = framed.send(Packet::ConnAck(ConnAck::new(code, false))).await;
            return;
        }
    };
    let (sender, mut outgoing) = mpsc::channel(super::outbox::QUEUE_PER_DEVICE);
    let id = register(&shared.outbox, &device, sender);
    if framed.send(Packet::ConnAck(ConnAck::new(ConnectReturnCode::Success, false))).await.is_ok() {
        let _ = shared
            .events
            .send(DeviceEvent::Connected { device: device.clone(), ip: Some(peer.ip().to_string()) })
            .await;
        let mut session = Session { device: &device, id, shared: &shared, next_pkid: 0, window: RateWindow::default() };
        // No packet for one and a half keep-alive periods: the device is gone (§3.1.2.10).
        let silence = (connect.keep_alive > 0).then(|| Duration::from_millis(u64::from(connect.keep_alive) * 1500));
        loop {
            let incoming = async {
                match silence {
                    Some(limit) => tokio::time::timeout(limit, framed.next()).await.ok().flatten(),
                    None => framed.next().await,
                }
            };
            tokio::select! {
                packet = incoming => match packet {
                    Some(Ok(packet)) => match session.handle(packet).await {
                        Reply::None => {}
                        Reply::Send(packet) => if framed.send(packet).await.is_err() { break },
                        Reply::Close => break,
                    },
                    // Silence, a broken packet, or the connection closed.
                    _ => break,
                },
                message = outgoing.recv() => match message {
                    Some(message) => {
                        let publish = session.publish(message);
                        if framed.send(Packet::Publish(publish)).await.is_err() { break }
                    }
                    // Replaced by a newer connection of the same device.
                    None => break,
                },
            }
        }
    }
    if unregister(&shared.outbox, &device, id) {
        let _ = shared.events.send(DeviceEvent::Disconnected { device }).await;
    }
}

/// Who the login is, if its credentials are right.
async fn authenticate(
    shared: &Shared,
    client_id: &str,
    login: Option<&rumqttc::mqttbytes::v4::Login>,
) -> Result<DeviceId, (ConnectReturnCode, String)> {
    let bad = |why: String| Err((ConnectReturnCode::BadUserNamePassword, why));
    let Some(credentials) = login else { return bad("no username and password".into()) };
    let claims = match Login::parse(client_id, &credentials.username) {
        Ok(claims) => claims,
        Err(why) => return bad(why.0),
    };
    let known = match shared.store.device_login(&claims.device).await {
        Ok(known) => known,
        Err(error) => {
            tracing::error!("MQTT: cannot look up a device: {error}");
            return Err((ConnectReturnCode::ServiceUnavailable, "the database did not answer".into()));
        }
    };
    match known {
        None => bad(format!("no device {}", credentials.username)),
        Some(device) if device.is_disabled() => {
            Err((ConnectReturnCode::NotAuthorized, format!("{} is disabled", credentials.username)))
        }
        Some(device) if !password_matches(&claims, &credentials.password, &device.device_secret) => {
            bad(format!("wrong password for {}", credentials.username))
        }
        Some(_) => Ok(claims.device),
    }
}

enum Reply {
    None,
    Send(Packet),
    Close,
}

/// Counts a device's messages per second.
#[derive(Default)]
struct RateWindow {
    started: Option<Instant>,
    count: u32,
}

impl RateWindow {
    fn allows_one_more(&mut self) -> bool {
        let now = Instant::now();
        match self.started {
            Some(started) if now.duration_since(started) < Duration::from_secs(1) => {}
            _ => (self.started, self.count) = (Some(now), 0),
        }
        self.count += 1;
        self.count <= MESSAGES_PER_SECOND
    }
}

/// One logged-in connection.
struct Session<'a> {
    device: &'a DeviceId,
    id: u64,
    shared: &'a Shared,
    next_pkid: u16,
    window: RateWindow,
}

impl Session<'_> {
    async fn handle(&mut self, packet: Packet) -> Reply {
        match packet {
            Packet::Publish(publish) => self.received(publish).await,
            Packet::Subscribe(subscribe) => {
                let codes = subscribe.filters.iter().map(|f| self.subscribe(&f.path, f.qos)).collect();
                if self.granted(Downstream::Upgrade) {
                    let _ = self.shared.events.send(DeviceEvent::Listening { device: self.device.clone() }).await;
                }
                Reply::Send(Packet::SubAck(SubAck::new(subscribe.pkid, codes)))
            }
            Packet::Unsubscribe(unsubscribe) => {
                for filter in &unsubscribe.topics {
                    self.unsubscribe(filter);
                }
                Reply::Send(Packet::UnsubAck(UnsubAck::new(unsubscribe.pkid)))
            }
            Packet::PingReq => Reply::Send(Packet::PingResp),
            // Acknowledgements of our pushes: nothing to do, a push is not retried.
            Packet::PubAck(_) => Reply::None,
            // DISCONNECT, and anything a client must not send.
            _ => Reply::Close,
        }
    }

    async fn received(&mut self, publish: Publish) -> Reply {
        let ack = match publish.qos {
            QoS::AtMostOnce => Reply::None,
            QoS::AtLeastOnce => Reply::Send(Packet::PubAck(PubAck::new(publish.pkid))),
            QoS::ExactlyOnce => {
                tracing::info!(device = %self.device.device_name, "MQTT: QoS 2 is not supported; disconnecting");
                return Reply::Close;
            }
        };
        let refuse = |why: String| {
            Refusals::count(&self.shared.refusals.messages);
            tracing::info!(
                product_key = %self.device.product_key,
                device = %self.device.device_name,
                topic = %publish.topic,
                "MQTT: message dropped: {why}"
            );
        };
        match Upstream::parse(&publish.topic) {
            Some((kind, owner)) if owner == *self.device => {
                if publish.payload.len() > MAX_PAYLOAD_BYTES {
                    refuse(format!("{} bytes is more than {MAX_PAYLOAD_BYTES}", publish.payload.len()));
                } else if !self.window.allows_one_more() {
                    refuse(format!("more than {MESSAGES_PER_SECOND} messages a second"));
                } else {
                    let event = DeviceEvent::Message { device: self.device.clone(), kind, payload: publish.payload };
                    let _ = self.shared.events.send(event).await;
                }
            }
            _ => refuse("not one of the device's own upstream topics".into()),
        }
        ack
    }

    fn subscribe(&mut self, filter: &str, qos: QoS) -> SubscribeReasonCode {
        let topics = own_subscriptions(self.device, filter);
        if topics.is_empty() {
            Refusals::count(&self.shared.refusals.subscriptions);
            tracing::info!(device = %self.device.device_name, %filter, "MQTT: subscription refused");
            return SubscribeReasonCode::Failure;
        }
        let granted = if qos == QoS::AtMostOnce { QoS::AtMostOnce } else { QoS::AtLeastOnce };
        self.update_topics(|topics_held| {
            for kind in Downstream::ALL {
                if topics.contains(&kind.topic(self.device)) {
                    topics_held.insert(kind, granted);
                }
            }
        });
        SubscribeReasonCode::Success(granted)
    }

    fn unsubscribe(&mut self, filter: &str) {
        let topics = own_subscriptions(self.device, filter);
        self.update_topics(|held| held.retain(|kind, _| !topics.contains(&kind.topic(self.device))));
    }

    fn granted(&self, kind: Downstream) -> bool {
        let by_device = self.shared.outbox.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
        by_device.get(self.device).is_some_and(|c| c.id == self.id && c.topics.contains_key(&kind))
    }

    fn update_topics(&self, change: impl FnOnce(&mut HashMap<Downstream, QoS>)) {
        let mut by_device = self.shared.outbox.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(connection) = by_device.get_mut(self.device).filter(|c| c.id == self.id) {
            change(&mut connection.topics);
        }
    }

    /// The packet for a queued message, at the QoS its topic was granted.
    fn publish(&mut self, message: Outgoing) -> Publish {
        let qos = {
            let by_device = self.shared.outbox.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
            by_device.get(self.device).and_then(|c| c.topics.get(&message.kind).copied()).unwrap_or(QoS::AtMostOnce)
        };
        let mut publish = Publish::new(message.kind.topic(self.device), qos, message.payload.to_vec());
        if qos == QoS::AtLeastOnce {
            self.next_pkid = self.next_pkid.checked_add(1).unwrap_or(1);
            publish.pkid = self.next_pkid;
        }
        publish
    }
}

#[cfg(test)]
#[path = "broker_tests.rs"]
mod tests;
