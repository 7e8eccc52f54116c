//! The device side of OTA (§6): the MQTT topics a device uses, who may use which, the
//! payloads on them, and how a device proves who it is.

pub mod credentials;
pub mod payload;

/// A device: the product it belongs to and its name there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeviceId {
    pub product_key: String,
    pub device_name: String,
}

/// What a device publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Upstream {
    /// `/ota/device/inform/{pk}/{dn}`: a module's version.
    Inform,
    /// `/ota/device/progress/{pk}/{dn}`: how an update goes.
    Progress,
    /// `/sys/{pk}/{dn}/thing/ota/firmware/get`: the device asks for its pending update.
    FirmwareGet,
}

/// What the server publishes to a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Downstream {
    /// `/ota/device/upgrade/{pk}/{dn}`: an update to install.
    Upgrade,
    /// `/sys/{pk}/{dn}/thing/ota/firmware/get_reply`: the answer to `FirmwareGet`.
    FirmwareGetReply,
}

impl Upstream {
    pub const ALL: [Self; 3] = [Self::Inform, Self::Progress, Self::FirmwareGet];

    /// A short name, for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Self::Inform => "inform",
            Self::Progress => "progress",
            Self::FirmwareGet => "firmware_get",
        }
    }

    /// The topic `device` publishes this on.
    pub fn topic(self, device: &DeviceId) -> String {
        let DeviceId { product_key: pk, device_name: dn } = device;
        match self {
            Self::Inform => format!("/ota/device/inform/{pk}/{dn}"),
            Self::Progress => format!("/ota/device/progress/{pk}/{dn}"),
            Self::FirmwareGet => format!("/sys/{pk}/{dn}/thing/ota/firmware/get"),
        }
    }

    /// The subscription filter that receives this from every device.
    pub fn filter(self) -> &'static str {
        match self {
            Self::Inform => "/ota/device/inform/+/+",
            Self::Progress => "/ota/device/progress/+/+",
            Self::FirmwareGet => "/sys/+/+/thing/ota/firmware/get",
        }
    }

    /// Which upstream topic `topic` is, and whose.
    pub fn parse(topic: &str) -> Option<(Self, DeviceId)> {
        let parts: Vec<&str> = topic.split('/').collect();
        let device = |pk: &str, dn: &str| {
            (!pk.is_empty() && !dn.is_empty())
                .then(|| DeviceId { product_key: pk.to_owned(), device_name: dn.to_owned() })
        };
        match parts.as_slice() {
            ["", "ota", "device", "inform", pk, dn] => Some((Self::Inform, device(pk, dn)?)),
            ["", "ota", "device", "progress", pk, dn] => Some((Self::Progress, device(pk, dn)?)),
            ["", "sys", pk, dn, "thing", "ota", "firmware", "get"] => Some((Self::FirmwareGet, device(pk, dn)?)),
            _ => None,
        }
    }
}

impl Downstream {
    pub const ALL: [Self; 2] = [Self::Upgrade, Self::FirmwareGetReply];

    pub fn topic(self, device: &DeviceId) -> String {
        let DeviceId { product_key: pk, device_name: dn } = device;
        match self {
            Self::Upgrade => format!("/ota/device/upgrade/{pk}/{dn}"),
            Self::FirmwareGetReply => format!("/sys/{pk}/{dn}/thing/ota/firmware/get_reply"),
        }
    }
}

/// Whether `device` may publish on `topic`: only its own upstream topics.
pub fn may_publish(device: &DeviceId, topic: &str) -> bool {
    Upstream::parse(topic).is_some_and(|(_, owner)| owner == *device)
}

/// The topics a subscription filter of `device` stands for: those of its own downstream
/// topics the filter matches. Devices' SDKs subscribe with wildcards (the Link SDK uses
/// `/ota/device/upgrade/+/+`); a device still only ever receives its own messages.
pub fn own_subscriptions(device: &DeviceId, filter: &str) -> Vec<String> {
    Downstream::ALL.iter().map(|d| d.topic(device)).filter(|topic| filter_matches(filter, topic)).collect()
}

/// MQTT topic matching: `+` is one level, a final `#` any number of levels.
pub fn filter_matches(filter: &str, topic: &str) -> bool {
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        match (level, topic_levels.next()) {
            ("#", _) => return true,
            ("+", Some(_)) => {}
            (exact, Some(actual)) if exact == actual => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(n: u32) -> DeviceId {
        DeviceId { product_key: "a1SMtr200Qx".into(), device_name: format!("sm200-{n:04}") }
    }

    #[test]
    fn upstream_topics_name_their_kind_and_device() {
        for kind in Upstream::ALL {
            assert_eq!(Upstream::parse(&kind.topic(&meter(7))), Some((kind, meter(7))));
            assert!(filter_matches(kind.filter(), &kind.topic(&meter(7))));
        }
        for topic in ["/ota/device/inform/pk", "/ota/device/inform/pk/dn/x", "/ota/device/inform//dn", "ota/x"] {
            assert_eq!(Upstream::parse(topic), None, "{topic}");
        }
    }

    #[test]
    fn a_device_publishes_only_on_its_own_upstream_topics() {
        assert!(may_publish(&meter(1), "/ota/device/progress/a1SMtr200Qx/sm200-0001"));
        assert!(!may_publish(&meter(1), "/ota/device/progress/a1SMtr200Qx/sm200-0002"));
        assert!(!may_publish(&meter(1), "/ota/device/upgrade/a1SMtr200Qx/sm200-0001"), "downstream is ours");
        assert!(!may_publish(&meter(1), "/ota/device/progress/+/+"));
    }

    #[test]
    fn a_wildcard_subscription_stands_for_the_devices_own_topics_only() {
        let me = meter(3);
        assert_eq!(own_subscriptions(&me, "/ota/device/upgrade/+/+"), ["/ota/device/upgrade/a1SMtr200Qx/sm200-0003"]);
        assert_eq!(own_subscriptions(&me, "#").len(), 2);
        assert_eq!(
            own_subscriptions(&me, "/sys/a1SMtr200Qx/sm200-0003/thing/ota/firmware/get_reply"),
            ["/sys/a1SMtr200Qx/sm200-0003/thing/ota/firmware/get_reply"]
        );
        assert!(own_subscriptions(&me, "/ota/device/upgrade/a1SMtr200Qx/sm200-0004").is_empty());
        assert!(own_subscriptions(&me, "/ota/device/progress/+/+").is_empty());
    }

    #[test]
    fn filters_match_as_mqtt_defines() {
        assert!(filter_matches("a/+/c", "a/b/c"));
        assert!(!filter_matches("a/+/c", "a/b/d"));
        assert!(!filter_matches("a/+", "a/b/c"));
        assert!(filter_matches("a/#", "a/b/c"));
        assert!(!filter_matches("a/b/c/d", "a/b/c"));
    }
}
