//! Devices over MQTT. The embedded broker ([`broker`]) lets devices in with Alibaba's device
//! credentials ([`auth`]) and keeps each to its own topics; what devices do arrives as
//! [`DeviceEvent`]s, and the engine answers through an [`Outbox`].

pub mod auth;
pub mod broker;
pub mod external;
pub mod limits;
mod outbox;

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

/// A message to a device, as the outbox queues it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: Downstream,
    pub payload: Bytes,
}
