//! The bounds `serve` holds under abuse: its command-line flags, and the limits each part of
//! the server takes from them.

use clap::Args;

/// Bounds that hold under abuse (docs/api.md, "Limits"): each refusal is counted in
/// `ota_refusals_total` at /metrics.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Open HTTP connections at once; more are closed when accepted.
    #[arg(long, env = "OTA_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,

    /// Seconds a client has for its TLS handshake and for each request's head.
    #[arg(long, env = "OTA_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,

    /// Seconds a request body may stay silent before the request is dropped.
    #[arg(long, env = "OTA_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout: u64,

    /// API calls handled at once; more are answered 503 `ServiceUnavailable` at once.
    #[arg(long, env = "OTA_MAX_CONCURRENT_REQUESTS", default_value_t = 256)]
    pub max_concurrent_requests: usize,

    /// Open event streams (SubscribeOTAEvents) at once; more are answered 503.
    #[arg(long, env = "OTA_MAX_EVENT_SUBSCRIBERS", default_value_t = 500)]
    pub max_event_subscribers: usize,

    /// Upload grants (GenerateOTAUploadURL, GenerateDeviceNameListURL) open at once per instance.
    #[arg(long, env = "OTA_MAX_UPLOAD_GRANTS", default_value_t = 100)]
    pub max_upload_grants: u64,

    /// Gigabytes of uploaded files one instance may keep.
    #[arg(long, env = "OTA_STORAGE_QUOTA_GB", default_value_t = 200)]
    pub storage_quota_gb: u64,

    /// Megabytes of disk an upload must leave free.
    #[arg(long, env = "OTA_MIN_FREE_DISK_MB", default_value_t = 1024)]
    pub min_free_disk_mb: u64,

    /// MQTT connections accepted but not yet logged in, at once.
    #[arg(long, env = "OTA_MQTT_PENDING_LOGINS", default_value_t = 1024)]
    pub mqtt_pending_logins: usize,

    /// MQTT connections one source address may open per second (devices behind one NAT share
    /// an address, so this is for floods, not for fleets).
    #[arg(long, env = "OTA_MQTT_LOGINS_PER_ADDRESS", default_value_t = 200)]
    pub mqtt_logins_per_address: u32,

    /// MQTT logins one device may attempt per minute.
    #[arg(long, env = "OTA_MQTT_LOGINS_PER_DEVICE", default_value_t = 10)]
    pub mqtt_logins_per_device: u32,

    /// SUBSCRIBE packets one MQTT connection may send per second; more close it.
    #[arg(long, env = "OTA_MQTT_SUBSCRIBES_PER_SECOND", default_value_t = 10)]
    pub mqtt_subscribes_per_second: u32,
}

impl LimitArgs {
    pub fn connections(&self) -> crate::http::serve::ConnectionLimits {
        crate::http::serve::ConnectionLimits {
            max_connections: self.max_connections.max(1),
            header_timeout: std::time::Duration::from_secs(self.header_timeout.max(1)),
        }
    }

    pub fn requests(&self) -> crate::http::RequestLimits {
        crate::http::RequestLimits {
            concurrent_requests: self.max_concurrent_requests.max(1),
            event_subscribers: self.max_event_subscribers,
            body_timeout: std::time::Duration::from_secs(self.body_timeout.max(1)),
            upload_grants: self.max_upload_grants,
            storage_quota: self.storage_quota_gb.saturating_mul(1 << 30),
            min_free_disk: self.min_free_disk_mb.saturating_mul(1 << 20),
        }
    }

    pub fn broker(&self) -> crate::mqtt::limits::BrokerLimits {
        crate::mqtt::limits::BrokerLimits {
            pending_logins: self.mqtt_pending_logins.max(1),
            logins_per_address: self.mqtt_logins_per_address,
            logins_per_device: self.mqtt_logins_per_device,
            subscribes_per_second: self.mqtt_subscribes_per_second,
            ..Default::default()
        }
    }
}
