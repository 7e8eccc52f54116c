//! The broker with real MQTT clients (rumqttc) over loopback TCP.

use bytes::Bytes;
use ota_model::UtcTime;
use ota_model::device::credentials::Login as Claims;
use ota_model::device::payload::MAX_PAYLOAD_BYTES;
use ota_model::device::{Downstream, Upstream};
use ota_model::registry::DeviceStatus;
use rumqttc::{AsyncClient, ConnectReturnCode, ConnectionError, Event, MqttOptions, Packet as ClientPacket, QoS};

use super::*;
use crate::mqtt::auth::password_for;
use crate::mqtt::limits::BrokerLimits;
use crate::store::registry::{NewDevice, insert_device, insert_product};

#[path = "broker_limits_tests.rs"]
mod limits;

const PK: &str = "a1BrokerTst";
const SECRET: &str = "0123456789abcdef0123456789abcdef";

struct Fixture {
    port: u16,
    outbox: Outbox,
    events: mpsc::Receiver<DeviceEvent>,
    metrics: Arc<Metrics>,
    _dir: tempfile::TempDir,
}

fn device(n: u32) -> DeviceId {
    DeviceId { product_key: PK.into(), device_name: format!("dev-{n}") }
}

async fn fixture() -> Fixture {
    fixture_with(BrokerLimits::default(), None).await
}

/// A broker with `limits`; over TLS with `certificates`.
async fn fixture_with(limits: BrokerLimits, certificates: Option<&Arc<crate::tls::Certificates>>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("ota.db").to_str().unwrap()).await.unwrap();
    let now = UtcTime(chrono::Utc::now());
    store.upsert_instances(&[("iot-default".into(), "Default".into())], now).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    insert_product(&mut tx, "iot-default", PK, "Broker test", 0, None, now).await.unwrap();
    for n in 1..=3 {
        let name = device(n).device_name;
        let status = if n == 3 { DeviceStatus::Disable } else { DeviceStatus::Unactive };
        let new = NewDevice {
            iot_id: format!("iot-{n}"),
            product_key: PK,
            device_name: &name,
            device_secret: SECRET.into(),
            nickname: None,
            status,
        };
        insert_device(&mut tx, &new, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, events) = mpsc::channel(100);
    let metrics = Metrics::new();
    let listener = match certificates {
        Some(certificates) => BrokerListener::tls(listener, certificates),
        None => BrokerListener::plain(listener),
    };
    let outbox = start(vec![listener], store, sender, metrics.clone(), limits);
    Fixture { port, outbox, events, metrics, _dir: dir }
}

type ClientEvents = mpsc::Receiver<Result<Event, ConnectionError>>;

/// A client for `who`, signing with `secret`; its events arrive on the receiver.
fn client(port: u16, who: &DeviceId, secret: &str) -> (AsyncClient, ClientEvents) {
    client_signed_at(port, who, secret, chrono::Utc::now().timestamp_millis(), None)
}

/// A client whose login carries `timestamp` (milliseconds), over TLS with `tls`.
fn client_signed_at(
    port: u16,
    who: &DeviceId,
    secret: &str,
    timestamp: i64,
    tls: Option<Arc<rustls::ClientConfig>>,
) -> (AsyncClient, ClientEvents) {
    let client_id =
        format!("{}&{}|securemode=2,signmethod=hmacsha256,timestamp={timestamp}|", who.product_key, who.device_name);
    let username = format!("{}&{}", who.device_name, who.product_key);
    let password = password_for(&Claims::parse(&client_id, &username).unwrap(), secret).unwrap();
    let host = if tls.is_some() { "localhost" } else { "127.0.0.1" };
    let mut options = MqttOptions::new(client_id, host, port);
    options.set_credentials(username, password).set_keep_alive(Duration::from_secs(30));
    if let Some(config) = tls {
        options.set_transport(rumqttc::Transport::tls_with_config(rumqttc::TlsConfiguration::Rustls(config)));
    }
    spawn_client(options)
}

/// Runs a client with `options`; its events arrive on the receiver.
fn spawn_client(options: MqttOptions) -> (AsyncClient, ClientEvents) {
    let (client, mut eventloop) = AsyncClient::new(options, 10);
    let (sender, receiver) = mpsc::channel(100);
    tokio::spawn(async move {
        loop {
            let event = eventloop.poll().await;
            let failed = event.is_err();
            if sender.send(event).await.is_err() || failed {
                break;
            }
        }
    });
    (client, receiver)
}

/// The next event that is not a ping or an outgoing packet.
async fn next(events: &mut ClientEvents) -> Result<ClientPacket, ConnectionError> {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.unwrap().unwrap();
        match event? {
            Event::Incoming(ClientPacket::PingResp) | Event::Outgoing(_) => {}
            Event::Incoming(packet) => return Ok(packet),
        }
    }
}

async fn broker_event(fixture: &mut Fixture) -> DeviceEvent {
    tokio::time::timeout(Duration::from_secs(5), fixture.events.recv()).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_device_with_its_secret_logs_in_and_hears_only_its_own_pushes() {
    let mut fixture = fixture().await;
    let (me, mut mine) = client(fixture.port, &device(1), SECRET);
    assert!(matches!(next(&mut mine).await, Ok(ClientPacket::ConnAck(ack)) if ack.code == ConnectReturnCode::Success));
    assert!(matches!(broker_event(&mut fixture).await, DeviceEvent::Connected { device: d, .. } if d == device(1)));

    // The Link SDK's wildcard stands for the device's own topic.
    me.subscribe("/ota/device/upgrade/+/+", QoS::AtLeastOnce).await.unwrap();
    assert!(
        matches!(next(&mut mine).await, Ok(ClientPacket::SubAck(ack)) if ack.return_codes == [rumqttc::SubscribeReasonCode::Success(QoS::AtLeastOnce)])
    );
    assert_eq!(broker_event(&mut fixture).await, DeviceEvent::Listening { device: device(1) });
    assert!(fixture.outbox.is_listening(&device(1)));

    assert!(!fixture.outbox.send(&device(2), Downstream::Upgrade, Bytes::from_static(b"{}")), "dev-2 is not connected");
    assert!(fixture.outbox.send(&device(1), Downstream::Upgrade, Bytes::from_static(b"{\"code\":\"1000\"}")));
    match next(&mut mine).await {
        Ok(ClientPacket::Publish(publish)) => {
            assert_eq!(publish.topic, "/ota/device/upgrade/a1BrokerTst/dev-1");
            assert_eq!(&publish.payload[..], b"{\"code\":\"1000\"}");
        }
        other => panic!("expected the push, got {other:?}"),
    }
    assert!(!fixture.outbox.send(&device(1), Downstream::FirmwareGetReply, Bytes::new()), "not subscribed to it");
}

async fn refused_with(events: &mut ClientEvents) -> ConnectReturnCode {
    match next(events).await {
        Err(ConnectionError::ConnectionRefused(refused)) => refused,
        other => panic!("got in: {other:?}"),
    }
}

#[tokio::test]
async fn wrong_secrets_unknown_disabled_devices_and_stale_logins_hear_the_same_refusal() {
    let fixture = fixture().await;
    let now = chrono::Utc::now().timestamp_millis();
    let sixteen_minutes = 16 * 60 * 1000;
    for (who, secret, timestamp) in [
        (device(1), "wrong", now),
        (device(9), SECRET, now),
        (device(3), SECRET, now),
        (device(1), SECRET, now - sixteen_minutes),
        (device(1), SECRET, now + sixteen_minutes),
    ] {
        let (_client, mut events) = client_signed_at(fixture.port, &who, secret, timestamp, None);
        assert_eq!(refused_with(&mut events).await, ConnectReturnCode::BadUserNamePassword, "{}", who.device_name);
    }
    assert_eq!(fixture.metrics.refusals(Refusal::MqttLogin), 5);
    // Seconds, as linkkit sends them, are fine.
    let (_client, mut events) = client_signed_at(fixture.port, &device(1), SECRET, now / 1000, None);
    assert!(matches!(next(&mut events).await, Ok(ClientPacket::ConnAck(_))));
}

#[tokio::test]
async fn devices_log_in_over_tls_with_a_certificate_their_ca_signed() {
    let dir = tempfile::tempdir().unwrap();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&key, &issuer).unwrap();
    std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.path().join("server.pem"), cert.pem()).unwrap();
    std::fs::write(dir.path().join("server.key"), key.serialize_pem()).unwrap();
    let certificates =
        crate::tls::Certificates::load(&dir.path().join("server.pem"), &dir.path().join("server.key")).unwrap();
    let mut fixture = fixture_with(BrokerLimits::default(), Some(&certificates)).await;

    let trusted = crate::tls::client_config(Some(&dir.path().join("ca.pem"))).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let (_me, mut mine) = client_signed_at(fixture.port, &device(1), SECRET, now, Some(trusted));
    assert!(matches!(next(&mut mine).await, Ok(ClientPacket::ConnAck(ack)) if ack.code == ConnectReturnCode::Success));
    assert!(matches!(broker_event(&mut fixture).await, DeviceEvent::Connected { .. }));

    // A client that does not trust the CA does not get through the handshake.
    let untrusted = crate::tls::client_config(None).unwrap();
    let (_other, mut theirs) = client_signed_at(fixture.port, &device(2), SECRET, now, Some(untrusted));
    assert!(next(&mut theirs).await.is_err());
}

#[tokio::test]
async fn a_device_publishes_on_its_own_topics_only_and_within_limits() {
    let mut fixture = fixture().await;
    let (me, mut mine) = client(fixture.port, &device(1), SECRET);
    next(&mut mine).await.unwrap();
    broker_event(&mut fixture).await;
    let inform = br#"{"id":"1","params":{"version":"1.0.0"}}"#.to_vec();
    me.publish("/ota/device/inform/a1BrokerTst/dev-2", QoS::AtLeastOnce, false, inform.clone()).await.unwrap();
    me.publish("/ota/device/inform/a1BrokerTst/dev-1", QoS::AtLeastOnce, false, vec![b' '; MAX_PAYLOAD_BYTES + 1])
        .await
        .unwrap();
    me.publish("/ota/device/inform/a1BrokerTst/dev-1", QoS::AtLeastOnce, false, inform.clone()).await.unwrap();
    match broker_event(&mut fixture).await {
        DeviceEvent::Message { device: from, kind, payload, .. } => {
            assert_eq!((from, kind, &payload[..]), (device(1), Upstream::Inform, &inform[..]));
        }
        other => panic!("expected the inform, got {other:?}"),
    }
    assert_eq!(fixture.metrics.refusals(Refusal::MqttTopic), 1, "another's topic");
    assert_eq!(fixture.metrics.refusals(Refusal::MqttPayloadSize), 1, "too large");

    me.subscribe("/ota/device/upgrade/a1BrokerTst/dev-2", QoS::AtLeastOnce).await.unwrap();
    loop {
        if let Ok(ClientPacket::SubAck(ack)) = next(&mut mine).await {
            assert_eq!(ack.return_codes, [rumqttc::SubscribeReasonCode::Failure]);
            break;
        }
    }
    assert_eq!(fixture.metrics.refusals(Refusal::MqttSubscription), 1);
}

#[tokio::test]
async fn a_device_that_connects_again_replaces_its_older_connection() {
    let mut fixture = fixture().await;
    let (_old, mut old_events) = client(fixture.port, &device(1), SECRET);
    next(&mut old_events).await.unwrap();
    broker_event(&mut fixture).await;
    let (new, mut new_events) = client(fixture.port, &device(1), SECRET);
    next(&mut new_events).await.unwrap();
    assert!(matches!(broker_event(&mut fixture).await, DeviceEvent::Connected { .. }));
    assert!(next(&mut old_events).await.is_err(), "the older connection is closed");
    new.disconnect().await.unwrap();
    assert_eq!(broker_event(&mut fixture).await, DeviceEvent::Disconnected { device: device(1) });
}

#[tokio::test]
async fn a_message_is_acknowledged_only_once_the_engine_lets_it_go_and_acks_keep_their_order() {
    let mut fixture = fixture().await;
    let (me, mut mine) = client(fixture.port, &device(1), SECRET);
    next(&mut mine).await.unwrap();
    broker_event(&mut fixture).await;
    let report = br#"{"id":"1","params":{"step":"50","desc":""}}"#.to_vec();
    me.publish("/ota/device/progress/a1BrokerTst/dev-1", QoS::AtLeastOnce, false, report.clone()).await.unwrap();
    // Another's topic: refused at once, but its PUBACK waits behind the first one's.
    me.publish("/ota/device/progress/a1BrokerTst/dev-2", QoS::AtLeastOnce, false, report).await.unwrap();
    let DeviceEvent::Message { receipt, .. } = broker_event(&mut fixture).await else { panic!("expected the report") };
    let puback = async {
        loop {
            if let Ok(ClientPacket::PubAck(ack)) = next(&mut mine).await {
                return ack.pkid;
            }
        }
    };
    let mut puback = Box::pin(puback);
    assert!(tokio::time::timeout(Duration::from_millis(300), &mut puback).await.is_err(), "acknowledged unrecorded");
    drop(receipt);
    let first = tokio::time::timeout(Duration::from_secs(5), &mut puback).await.expect("acknowledged once let go");
    drop(puback);
    let second = loop {
        if let Ok(ClientPacket::PubAck(ack)) = next(&mut mine).await {
            break ack.pkid;
        }
    };
    assert!(first < second, "in order: {first} then {second}");
}
