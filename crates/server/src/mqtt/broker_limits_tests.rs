//! The broker's limits with real MQTT clients: logins, connections, subscriptions and
//! messages beyond what one device or address may have are refused, dropped or held off.

use super::*;

#[tokio::test]
async fn one_device_logging_in_too_often_is_held_off_whoever_tries() {
    let limits = BrokerLimits { logins_per_device: 2, ..BrokerLimits::default() };
    let fixture = fixture_with(limits, None).await;
    for secret in [SECRET, "wrong"] {
        let (_client, mut events) = client(fixture.port, &device(1), secret);
        let _ = next(&mut events).await;
    }
    let (_client, mut events) = client(fixture.port, &device(1), SECRET);
    assert_eq!(refused_with(&mut events).await, ConnectReturnCode::ServiceUnavailable);
    assert_eq!(fixture.metrics.refusals(Refusal::MqttDeviceLoginRate), 1);
    // Another device is not held off.
    let (_client, mut events) = client(fixture.port, &device(2), SECRET);
    assert!(matches!(next(&mut events).await, Ok(ClientPacket::ConnAck(_))));
}

#[tokio::test]
async fn connections_that_never_log_in_are_capped_and_so_are_connections_per_address() {
    let limits = BrokerLimits { pending_logins: 2, ..BrokerLimits::default() };
    let fixture = fixture_with(limits, None).await;
    let silent: Vec<_> =
        futures_util::future::join_all((0..2).map(|_| tokio::net::TcpStream::connect(("127.0.0.1", fixture.port))))
            .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_client, mut events) = client(fixture.port, &device(1), SECRET);
    assert!(next(&mut events).await.is_err(), "a third connection waiting to log in is closed");
    assert_eq!(fixture.metrics.refusals(Refusal::MqttPendingConnections), 1);
    drop(silent);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_client, mut events) = client(fixture.port, &device(1), SECRET);
    assert!(matches!(next(&mut events).await, Ok(ClientPacket::ConnAck(_))), "room again once they left");

    let limits = BrokerLimits { logins_per_address: 3, ..BrokerLimits::default() };
    let fixture = fixture_with(limits, None).await;
    let mut refused = 0;
    for _ in 0..6 {
        let (_client, mut events) = client(fixture.port, &device(2), SECRET);
        refused += u32::from(next(&mut events).await.is_err());
    }
    assert!(refused >= 2, "{refused} of 6 connections within a second were refused");
    assert_eq!(u64::from(refused), fixture.metrics.refusals(Refusal::MqttLoginRate));
}

#[tokio::test]
async fn a_connection_subscribing_too_fast_is_closed() {
    let limits = BrokerLimits { subscribes_per_second: 3, ..BrokerLimits::default() };
    let fixture = fixture_with(limits, None).await;
    let (me, mut mine) = client(fixture.port, &device(1), SECRET);
    next(&mut mine).await.unwrap();
    for _ in 0..5 {
        me.subscribe("/ota/device/upgrade/a1BrokerTst/dev-1", QoS::AtLeastOnce).await.unwrap();
    }
    let mut closed = false;
    for _ in 0..10 {
        if next(&mut mine).await.is_err() {
            closed = true;
            break;
        }
    }
    assert!(closed, "the connection was not closed");
    assert_eq!(fixture.metrics.refusals(Refusal::MqttSubscribeRate), 1);
}

#[tokio::test]
async fn messages_beyond_a_devices_rate_are_dropped_and_counted_and_it_stays_connected() {
    let limits = BrokerLimits { messages_per_second: 3, ..BrokerLimits::default() };
    let mut fixture = fixture_with(limits, None).await;
    let (me, mut mine) = client(fixture.port, &device(1), SECRET);
    next(&mut mine).await.unwrap();
    broker_event(&mut fixture).await;
    let inform = br#"{"id":"1","params":{"version":"1.0.0"}}"#.to_vec();
    for _ in 0..8 {
        me.publish("/ota/device/inform/a1BrokerTst/dev-1", QoS::AtMostOnce, false, inform.clone()).await.unwrap();
    }
    me.subscribe("/ota/device/upgrade/a1BrokerTst/dev-1", QoS::AtLeastOnce).await.unwrap();
    // The SUBACK comes after the eight messages were read: the connection is still up.
    loop {
        if let Ok(ClientPacket::SubAck(_)) = next(&mut mine).await {
            break;
        }
    }
    let mut heard = 0;
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(300), fixture.events.recv()).await {
        heard += usize::from(matches!(event, DeviceEvent::Message { .. }));
    }
    let dropped = fixture.metrics.refusals(Refusal::MqttMessageRate);
    assert!(heard <= 6 && dropped >= 2, "heard {heard}, dropped {dropped}");
    assert_eq!(heard as u64 + dropped, 8);
}

#[tokio::test]
async fn a_device_cannot_pile_up_more_unrecorded_messages_than_the_cap() {
    let limits = BrokerLimits { messages_per_second: 1000, ..BrokerLimits::default() };
    let mut fixture = fixture_with(limits, None).await;
    let timestamp = chrono::Utc::now().timestamp_millis();
    let client_id = format!("{PK}&dev-1|securemode=2,signmethod=hmacsha256,timestamp={timestamp}|");
    let username = format!("dev-1&{PK}");
    let password = password_for(&Claims::parse(&client_id, &username).unwrap(), SECRET).unwrap();
    let mut options = MqttOptions::new(client_id, "127.0.0.1", fixture.port);
    // More in flight than the broker will read before it acknowledges.
    options.set_credentials(username, password).set_inflight(MAX_UNRECORDED as u16 + 50);
    let (me, mut mine) = spawn_client(options);
    while !matches!(next(&mut mine).await, Ok(ClientPacket::ConnAck(_))) {}
    // Read on, or the client's event loop stalls once its event queue is full.
    tokio::spawn(async move { while mine.recv().await.is_some() {} });
    let report = br#"{"id":"1","params":{"step":"50","desc":""}}"#.to_vec();
    for _ in 0..MAX_UNRECORDED + 20 {
        me.publish("/ota/device/progress/a1BrokerTst/dev-1", QoS::AtLeastOnce, false, report.clone()).await.unwrap();
    }
    let mut held = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(500), fixture.events.recv()).await {
        if let DeviceEvent::Message { receipt, .. } = event {
            held.push(receipt);
        }
    }
    assert_eq!(held.len(), MAX_UNRECORDED, "read while {MAX_UNRECORDED} were unrecorded");
    held.clear();
    let mut rest = 0;
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(500), fixture.events.recv()).await {
        rest += usize::from(matches!(event, DeviceEvent::Message { .. }));
    }
    assert_eq!(rest, 20, "the rest, once those were recorded");
}
