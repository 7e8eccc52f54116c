//! The embedded MQTT broker (3.1.1): just what OTA devices need. Each device logs in with its
//! credentials, subscribes to its own downstream topics (wildcards stand for its own topics
//! only), and publishes on its own upstream topics; nothing is relayed between devices, so a
//! device only ever talks to the server. QoS 0 and 1; no retained messages, no persistent
//! sessions. A device that connects again replaces its older connection. Devices connect over
//! plain TCP or TLS; the bounds each connection is held to are in [`BrokerLimits`].

mod session;

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ota_model::UtcTime;
use ota_model::device::DeviceId;
use ota_model::device::credentials::Login;
use rumqttc::mqttbytes::Protocol;
use rumqttc::mqttbytes::v4::{Codec, ConnAck, ConnectReturnCode, Packet, PubAck};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio_rustls::TlsAcceptor;
use tokio_util::codec::Framed;

use self::session::{Reply, Session, oldest};
use super::limits::{BrokerLimits, KeyedRate, RateWindow, for_log};
use super::outbox::{register, unregister};
use super::{DeviceEvent, Outbox};
use crate::metrics::{Metrics, Refusal};
use crate::mqtt::auth::password_matches;
use crate::store::Store;

/// Larger packets close the connection; payloads above `MAX_PAYLOAD_BYTES` are only dropped.
const MAX_PACKET_BYTES: usize = 64 * 1024;
/// Messages of one connection waiting to be recorded (and acknowledged) at most; past it the
/// connection is not read until some are, so that a device cannot pile them up in memory.
const MAX_UNRECORDED: usize = 100;
/// For the TLS handshake and then the CONNECT packet.
const CONNECT_WITHIN: Duration = Duration::from_secs(10);

/// A socket the broker accepts devices on: plain MQTT (1883) or MQTT over TLS (8883).
pub struct BrokerListener {
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
}

impl BrokerListener {
    pub fn plain(listener: TcpListener) -> Self {
        Self { listener, tls: None }
    }

    pub fn tls(listener: TcpListener, certificates: &Arc<crate::tls::Certificates>) -> Self {
        // Alibaba's device SDKs offer no ALPN; "mqtt" is what brokers answer those that do.
        Self { listener, tls: Some(TlsAcceptor::from(certificates.server_config(&[b"mqtt"]))) }
    }
}

struct Shared {
    store: Store,
    outbox: Outbox,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
    limits: BrokerLimits,
    /// Connections accepted and not yet logged in.
    pending: Arc<Semaphore>,
    address_logins: KeyedRate<IpAddr>,
    device_logins: KeyedRate<DeviceId>,
}

/// Starts the broker on `listeners`; devices' doings go to `events`.
pub fn start(
    listeners: Vec<BrokerListener>,
    store: Store,
    events: mpsc::Sender<DeviceEvent>,
    metrics: Arc<Metrics>,
    limits: BrokerLimits,
) -> Outbox {
    let outbox = Outbox::default();
    let shared = Arc::new(Shared {
        store,
        outbox: outbox.clone(),
        events,
        metrics,
        limits,
        pending: Arc::new(Semaphore::new(limits.pending_logins)),
        address_logins: KeyedRate::new(limits.logins_per_address, Duration::from_secs(1)),
        device_logins: KeyedRate::new(limits.logins_per_device, Duration::from_secs(60)),
    });
    for listener in listeners {
        tokio::spawn(accept(listener, shared.clone()));
    }
    outbox
}

async fn accept(BrokerListener { listener, tls }: BrokerListener, shared: Arc<Shared>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait instead of spinning.
            Err(error) => {
                tracing::warn!("MQTT: cannot accept a connection: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Checked before any work on the connection (a TLS handshake costs the most).
        if !shared.address_logins.allows_one_more(&peer.ip(), Instant::now()) {
            shared.metrics.refused(Refusal::MqttLoginRate);
            continue;
        }
        let Ok(pending) = shared.pending.clone().try_acquire_owned() else {
            shared.metrics.refused(Refusal::MqttPendingConnections);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (shared, tls) = (shared.clone(), tls.clone());
        tokio::spawn(async move {
            match tls {
                None => serve(stream, peer, shared, pending).await,
                Some(acceptor) => match tokio::time::timeout(CONNECT_WITHIN, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => serve(stream, peer, shared, pending).await,
                    Ok(Err(error)) => tracing::debug!(%peer, "MQTT: TLS handshake failed: {error}"),
                    Err(_) => shared.metrics.refused(Refusal::HandshakeTimeout),
                },
            }
        });
    }
}

async fn serve<S>(stream: S, peer: SocketAddr, shared: Arc<Shared>, pending: OwnedSemaphorePermit)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
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
        Err((code, reason, why)) => {
            shared.metrics.refused(reason);
            let user = connect.login.as_ref().map_or(String::new(), |l| for_log(&l.username));
            tracing::info!(%peer, client_id = %for_log(&connect.client_id), %user, "MQTT: login refused: {why}");
            let _ = framed.send(Packet::ConnAck(ConnAck::new(code, false))).await;
            return;
        }
    };
    drop(pending);
    let (sender, mut outgoing) = mpsc::channel(super::outbox::QUEUE_PER_DEVICE);
    let id = register(&shared.outbox, &device, sender);
    shared.metrics.device_connected();
    if framed.send(Packet::ConnAck(ConnAck::new(ConnectReturnCode::Success, false))).await.is_ok() {
        let _ = shared
            .events
            .send(DeviceEvent::Connected { device: device.clone(), ip: Some(peer.ip().to_string()) })
            .await;
        let mut session = Session {
            device: &device,
            id,
            shared: &shared,
            next_pkid: 0,
            messages: RateWindow::per_second(shared.limits.messages_per_second),
            subscribes: RateWindow::per_second(shared.limits.subscribes_per_second),
        };
        // PUBACKs waiting for the engine to record their messages, in the order they came.
        let mut unrecorded: VecDeque<(u16, Option<oneshot::Receiver<()>>)> = VecDeque::new();
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
                // With too many messages unrecorded, the connection is not read: the device waits.
                packet = incoming, if unrecorded.len() < MAX_UNRECORDED => match packet {
                    Some(Ok(packet)) => match session.handle(packet).await {
                        Reply::None => {}
                        // Behind acknowledgements still waiting, so that PUBACKs keep their order.
                        Reply::Send(Packet::PubAck(ack)) if !unrecorded.is_empty() => unrecorded.push_back((ack.pkid, None)),
                        Reply::Send(packet) => if framed.send(packet).await.is_err() { break },
                        Reply::AckWhenRecorded(pkid, released) => unrecorded.push_back((pkid, Some(released))),
                        Reply::Close => break,
                    },
                    // Silence, a broken packet, or the connection closed.
                    _ => break,
                },
                _ = oldest(&mut unrecorded), if !unrecorded.is_empty() => {
                    if let Some((pkid, _)) = unrecorded.pop_front()
                        && framed.send(Packet::PubAck(PubAck::new(pkid))).await.is_err()
                    {
                        break;
                    }
                }
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
    shared.metrics.device_disconnected();
    if unregister(&shared.outbox, &device, id) {
        let _ = shared.events.send(DeviceEvent::Disconnected { device }).await;
    }
}

/// A refused login: the code the client gets, the metric it counts in, and why (for the log
/// only: the client hears the same code whether the device is unknown, disabled or the secret
/// is wrong, so that logins cannot probe for devices).
type LoginRefusal = (ConnectReturnCode, Refusal, String);

/// Who the login is, if its credentials are right and fresh.
async fn authenticate(
    shared: &Shared,
    client_id: &str,
    login: Option<&rumqttc::mqttbytes::v4::Login>,
) -> Result<DeviceId, LoginRefusal> {
    let bad = |why: String| Err((ConnectReturnCode::BadUserNamePassword, Refusal::MqttLogin, why));
    let Some(credentials) = login else { return bad("no username and password".into()) };
    let claims = match Login::parse(client_id, &credentials.username) {
        Ok(claims) => claims,
        Err(why) => return bad(for_log(&why.0)),
    };
    // Counted whether or not the device exists, so the limit tells nothing either.
    if !shared.device_logins.allows_one_more(&claims.device, Instant::now()) {
        let why = format!("more than {} logins a minute", shared.limits.logins_per_device);
        return Err((ConnectReturnCode::ServiceUnavailable, Refusal::MqttDeviceLoginRate, why));
    }
    if let Err(why) = claims.is_fresh(UtcTime(chrono::Utc::now())) {
        return bad(for_log(&why.0));
    }
    let known = match shared.store.device_login(&claims.device).await {
        Ok(known) => known,
        Err(error) => {
            tracing::error!("MQTT: cannot look up a device: {error}");
            let why = "the database did not answer".to_owned();
            return Err((ConnectReturnCode::ServiceUnavailable, Refusal::MqttLogin, why));
        }
    };
    match known {
        None => bad("no such device".into()),
        Some(device) if device.is_disabled() => bad("the device is disabled".into()),
        Some(device) if !password_matches(&claims, &credentials.password, &device.device_secret) => {
            bad("wrong password".into())
        }
        Some(_) => Ok(claims.device),
    }
}

#[cfg(test)]
#[path = "broker_tests.rs"]
mod tests;
