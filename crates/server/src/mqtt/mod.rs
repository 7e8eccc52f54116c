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
        /// Let go once the engine has recorded the message (or dropped it as unreadable).
        receipt: Receipt,
    },
}

/// A message's claim to be acknowledged: the broker (or, through an external broker, the
/// server's client) sends a QoS 1 PUBACK only when every holder has let go of it, which the
/// engine does once the message is recorded. A crash before that leaves the message with
/// its sender, to be sent again; "acknowledged" means "stored".
#[derive(Debug, Clone, Default)]
pub struct Receipt {
    /// Dropped with the last clone, which resolves the receiver.
    _sender: Option<std::sync::Arc<tokio::sync::oneshot::Sender<()>>>,
}

impl Receipt {
    /// A receipt, and what resolves when it is let go.
    pub fn new() -> (Self, tokio::sync::oneshot::Receiver<()>) {
        let (sender, released) = tokio::sync::oneshot::channel();
        (Self { _sender: Some(std::sync::Arc::new(sender)) }, released)
    }
}

/// Receipts do not make two events different.
impl PartialEq for Receipt {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Receipt {}

/// A message to a device, as the outbox queues it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: Downstream,
    pub payload: Bytes,
}
