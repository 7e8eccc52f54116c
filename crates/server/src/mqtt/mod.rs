//! Devices over MQTT. The embedded broker ([`broker`]) lets devices in with Alibaba's device
//! credentials ([`auth`]) and keeps each to its own topics; what devices do arrives as
//! [`DeviceEvent`]s, and the engine answers through an [`Outbox`].

pub mod auth;
pub mod broker;
pub mod external;
mod outbox;

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use ota_model::device::{DeviceId, Downstream, Upstream};

pub use self::outbox::Outbox;

/// What devices do, as the engine hears of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    /// Logged in; `ip` is where from.
    Connected {
        device: DeviceId,
        ip: Option<String>,
    },
    /// Subscribed to its update topic: pushes reach it from now on.
    Listening {
        device: DeviceId,
    },
    Disconnected {
        device: DeviceId,
    },
    /// Published on one of its upstream topics (not yet read: the engine parses it).
    Message {
        device: DeviceId,
        kind: Upstream,
        payload: Bytes,
    },
}

/// What the broker turned away, for logs and metrics.
#[derive(Debug, Default)]
pub struct Refusals {
    /// Logins with unknown devices, wrong passwords or malformed credentials.
    pub logins: AtomicU64,
    /// Publishes on topics that are not the device's own, or too large, or too many.
    pub messages: AtomicU64,
    /// Subscriptions to topics that are not the device's own.
    pub subscriptions: AtomicU64,
}

impl Refusals {
    pub fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A message to a device, as the outbox queues it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: Downstream,
    pub payload: Bytes,
}
