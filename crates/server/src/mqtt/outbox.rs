//! Sending to devices: through the embedded broker's connections, or, with an external broker,
//! through the server's own client of it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ota_model::device::{DeviceId, Downstream};
use rumqttc::mqttbytes::QoS;
use tokio::sync::mpsc;

use super::Outgoing;

/// Messages queued for one device before the outbox says it cannot take more.
pub(super) const QUEUE_PER_DEVICE: usize = 64;

/// The connected devices and their subscriptions, shared by the connections and the outbox.
#[derive(Default)]
pub(super) struct Connections {
    pub(super) by_device: Mutex<HashMap<DeviceId, Connection>>,
    next_id: std::sync::atomic::AtomicU64,
}

pub(super) struct Connection {
    pub(super) id: u64,
    sender: mpsc::Sender<Outgoing>,
    /// The downstream topics it subscribed to, at the QoS granted.
    pub(super) topics: HashMap<Downstream, QoS>,
}

/// Sends messages to connected devices.
#[derive(Clone, Default)]
pub struct Outbox {
    pub(super) connections: Arc<Connections>,
    external: Option<Arc<External>>,
}

/// The server's client of an external broker, and the devices heard from through it.
pub(super) struct External {
    pub client: rumqttc::AsyncClient,
    pub heard: Mutex<HashSet<DeviceId>>,
}

impl Outbox {
    /// Queues a message for a device that is connected and subscribed to `kind`; whether it
    /// could.
    pub fn send(&self, device: &DeviceId, kind: Downstream, payload: Bytes) -> bool {
        if let Some(external) = &self.external {
            return external.client.try_publish(kind.topic(device), rumqttc::QoS::AtLeastOnce, false, payload).is_ok();
        }
        let connections = self.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
        connections
            .get(device)
            .filter(|c| c.topics.contains_key(&kind))
            .is_some_and(|c| c.sender.try_send(Outgoing { kind, payload }).is_ok())
    }

    /// Connects a device in-process, subscribed to all its downstream topics, for devices
    /// simulated inside the server's process and for tests: what is sent to it arrives on the
    /// receiver. A later connection of the same device replaces it.
    pub fn attach(&self, device: &DeviceId) -> mpsc::Receiver<Outgoing> {
        let (sender, receiver) = mpsc::channel(QUEUE_PER_DEVICE);
        register(self, device, sender);
        let mut by_device = self.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(connection) = by_device.get_mut(device) {
            connection.topics = Downstream::ALL.into_iter().map(|kind| (kind, QoS::AtLeastOnce)).collect();
        }
        receiver
    }

    /// Whether a device is connected and subscribed to its update topic. An external broker
    /// does not say: there, a device the database counts as online (heard from, before a
    /// restart of the server too) is taken to listen.
    pub fn is_listening(&self, device: &DeviceId) -> bool {
        if self.external.is_some() {
            return true;
        }
        let connections = self.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
        connections.get(device).is_some_and(|c| c.topics.contains_key(&Downstream::Upgrade))
    }

    /// An outbox that publishes through `client`, a connection to an external broker.
    pub(super) fn external(client: rumqttc::AsyncClient) -> (Self, Arc<External>) {
        let external = Arc::new(External { client, heard: Mutex::default() });
        (Self { connections: Arc::default(), external: Some(external.clone()) }, external)
    }
}

/// Records a new connection of `device`, replacing (and so closing) an older one.
pub(super) fn register(outbox: &Outbox, device: &DeviceId, sender: mpsc::Sender<Outgoing>) -> u64 {
    let connections = &outbox.connections;
    let id = connections.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut by_device = connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
    by_device.insert(device.clone(), Connection { id, sender, topics: HashMap::new() });
    id
}

/// Forgets connection `id` unless a newer one replaced it; whether it was the device's last.
pub(super) fn unregister(outbox: &Outbox, device: &DeviceId, id: u64) -> bool {
    let mut by_device = outbox.connections.by_device.lock().unwrap_or_else(|e| e.into_inner());
    if by_device.get(device).is_some_and(|c| c.id == id) {
        by_device.remove(device);
        true
    } else {
        false
    }
}
