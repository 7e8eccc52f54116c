//! One logged-in device's packets: what it publishes goes to the engine (acknowledged once
//! recorded), what it subscribes to is kept to its own topics, and pushes go out at the QoS
//! its topic was granted.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use ota_model::device::payload::MAX_PAYLOAD_BYTES;
use ota_model::device::{DeviceId, Downstream, Upstream, own_subscriptions};
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{Packet, PubAck, Publish, SubAck, SubscribeReasonCode, UnsubAck};
use tokio::sync::oneshot;

use super::Shared;
use crate::metrics::Refusal;
use crate::mqtt::limits::{RateWindow, for_log};
use crate::mqtt::{DeviceEvent, Outgoing, Receipt};

pub(super) enum Reply {
    None,
    Send(Packet),
    /// A PUBACK for this packet, once the engine has recorded the message.
    AckWhenRecorded(u16, oneshot::Receiver<()>),
    Close,
}

/// Resolves when the oldest unacknowledged message is recorded (or the engine let it go).
pub(super) async fn oldest(unrecorded: &mut VecDeque<(u16, Option<oneshot::Receiver<()>>)>) {
    if let Some((_, Some(released))) = unrecorded.front_mut() {
        let _ = released.await;
    }
}

/// One logged-in connection.
pub(super) struct Session<'a> {
    pub(super) device: &'a DeviceId,
    pub(super) id: u64,
    pub(super) shared: &'a Shared,
    pub(super) next_pkid: u16,
    pub(super) messages: RateWindow,
    pub(super) subscribes: RateWindow,
}

impl Session<'_> {
    pub(super) async fn handle(&mut self, packet: Packet) -> Reply {
        match packet {
            Packet::Publish(publish) => self.received(publish).await,
            Packet::Subscribe(subscribe) => {
                if !self.subscribes.allows_one_more(Instant::now()) {
                    self.shared.metrics.refused(Refusal::MqttSubscribeRate);
                    tracing::info!(device = %self.device.device_name, "MQTT: subscribing too fast; disconnecting");
                    return Reply::Close;
                }
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
        let refuse = |reason: Refusal, why: String| {
            self.shared.metrics.refused(reason);
            tracing::info!(
                product_key = %self.device.product_key,
                device = %self.device.device_name,
                topic = %for_log(&publish.topic),
                "MQTT: message dropped: {why}"
            );
        };
        match Upstream::parse(&publish.topic) {
            Some((kind, owner)) if owner == *self.device => {
                if publish.payload.len() > MAX_PAYLOAD_BYTES {
                    let why = format!("{} bytes is more than {MAX_PAYLOAD_BYTES}", publish.payload.len());
                    refuse(Refusal::MqttPayloadSize, why);
                } else if !self.messages.allows_one_more(Instant::now()) {
                    let why = format!("more than {} messages a second", self.shared.limits.messages_per_second);
                    refuse(Refusal::MqttMessageRate, why);
                } else {
                    self.shared.metrics.device_message(kind.name());
                    let (receipt, released) = Receipt::new();
                    let (device, payload) = (self.device.clone(), publish.payload);
                    let _ = self.shared.events.send(DeviceEvent::Message { device, kind, payload, receipt }).await;
                    if matches!(ack, Reply::Send(_)) {
                        return Reply::AckWhenRecorded(publish.pkid, released);
                    }
                }
            }
            _ => refuse(Refusal::MqttTopic, "not one of the device's own upstream topics".into()),
        }
        ack
    }

    fn subscribe(&mut self, filter: &str, qos: QoS) -> SubscribeReasonCode {
        let topics = own_subscriptions(self.device, filter);
        if topics.is_empty() {
            self.shared.metrics.refused(Refusal::MqttSubscription);
            tracing::info!(device = %self.device.device_name, filter = %for_log(filter), "MQTT: subscription refused");
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
    pub(super) fn publish(&mut self, message: Outgoing) -> Publish {
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
