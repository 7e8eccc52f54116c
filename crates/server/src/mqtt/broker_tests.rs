//! The broker with real MQTT clients (rumqttc) over loopback TCP.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use ota_model::UtcTime;
use ota_model::device::credentials::Login as Claims;
use ota_model::registry::DeviceStatus;
use rumqttc::{AsyncClient, ConnectReturnCode, ConnectionError, Event, MqttOptions, Packet as ClientPacket, QoS};

use super::*;
use crate::mqtt::auth::password_for;
use crate::store::registry::{NewDevice, insert_device, insert_product};

const PK: &str = "a1BrokerTst";
const SECRET: &str = "0123456789abcdef0123456789abcdef";

struct Fixture {
    port: u16,
    outbox: Outbox,
    events: mpsc::Receiver<DeviceEvent>,
    refusals: Arc<Refusals>,
    _dir: tempfile::TempDir,
}

fn device(n: u32) -> DeviceId {
    DeviceId { product_key: PK.into(), device_name: format!("dev-{n}") }
}

async fn fixture() -> Fixture {
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
    let refusals = Arc::new(Refusals::default());
    let outbox = start(listener, store, sender, refusals.clone());
    Fixture { port, outbox, events, refusals, _dir: dir }
}

/// A client for `who`, signing with `secret`; its events arrive on the receiver.
fn client(port: u16, who: &DeviceId, secret: &str) -> (AsyncClient, mpsc::Receiver<Result<Event, ConnectionError>>) {
    let client_id =
        format!("{}&{}|securemode=2,signmethod=hmacsha256,timestamp=1700000000000|", who.product_key, who.device_name);
    let username = format!("{}&{}", who.device_name, who.product_key);
    let password = password_for(&Claims::parse(&client_id, &username).unwrap(), secret).unwrap();
    let mut options = MqttOptions::new(client_id, "127.0.0.1", port);
    options.set_credentials(username, password).set_keep_alive(Duration::from_secs(30));
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
async fn next(events: &mut mpsc::Receiver<Result<Event, ConnectionError>>) -> Result<ClientPacket, ConnectionError> {
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

#[tokio::test]
async fn wrong_secrets_unknown_and_disabled_devices_are_turned_away() {
    let fixture = fixture().await;
    for (who, secret, code) in [
        (device(1), "wrong", ConnectReturnCode::BadUserNamePassword),
        (device(9), SECRET, ConnectReturnCode::BadUserNamePassword),
        (device(3), SECRET, ConnectReturnCode::NotAuthorized),
    ] {
        let (_client, mut events) = client(fixture.port, &who, secret);
        match next(&mut events).await {
            Err(ConnectionError::ConnectionRefused(refused)) => assert_eq!(refused, code, "{}", who.device_name),
            other => panic!("{} got in: {other:?}", who.device_name),
        }
    }
    assert_eq!(fixture.refusals.logins.load(Ordering::Relaxed), 3);
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
        DeviceEvent::Message { device: from, kind, payload } => {
            assert_eq!((from, kind, &payload[..]), (device(1), Upstream::Inform, &inform[..]));
        }
        other => panic!("expected the inform, got {other:?}"),
    }
    assert_eq!(fixture.refusals.messages.load(Ordering::Relaxed), 2, "another's topic, and too large");

    me.subscribe("/ota/device/upgrade/a1BrokerTst/dev-2", QoS::AtLeastOnce).await.unwrap();
    loop {
        if let Ok(ClientPacket::SubAck(ack)) = next(&mut mine).await {
            assert_eq!(ack.return_codes, [rumqttc::SubscribeReasonCode::Failure]);
            break;
        }
    }
    assert_eq!(fixture.refusals.subscriptions.load(Ordering::Relaxed), 1);
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
