//! What the audit log keeps of one call: whether it is recorded at all, what it acted on, its
//! parameters without secrets, and how it ended.

use crate::codes;
use crate::params::Params;

/// The result code recorded for a call that succeeded.
pub const SUCCESS: &str = "Success";

/// Parameters that say how a call was signed, not what it asked for; never recorded.
const SIGNING: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "RegionId",
    "IotInstanceId",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
];

/// What a secret's value is recorded as.
pub const REMOVED: &str = "(removed)";

/// Whether a call of `action` may change something, and so is recorded however it ends.
/// Reads are recorded only when refused.
pub fn changes_state(action: &str) -> bool {
    !(action.starts_with("List") || action.starts_with("Query") || action == "SubscribeOTAEvents")
}

/// A call's parameters as the log keeps them: without the signature's, and with the value of
/// anything that could be a secret (a password, a device secret, a token) removed.
pub fn recorded_params(params: &Params) -> Vec<(String, String)> {
    params
        .pairs()
        .iter()
        .filter(|(name, _)| !SIGNING.iter().any(|s| s.eq_ignore_ascii_case(name)))
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            let secret = ["secret", "password", "token"].iter().any(|word| lower.contains(word));
            (name.clone(), if secret { REMOVED.to_owned() } else { value.clone() })
        })
        .collect()
}

wire_str_enum! {
    /// How a recorded call ended.
    pub enum Outcome {
        Success = "Success",
        /// The call was understood and allowed, but failed (a wrong parameter, a conflict).
        Failed = "Failed",
        /// The caller was not who it claimed, or its policy does not allow the call.
        Refused = "Refused",
    }
}

impl Outcome {
    /// The outcome a result code stands for.
    pub fn of_code(code: &str) -> Self {
        use codes::auth::*;
        const REFUSALS: &[&str] = &[
            MISSING_ACCESS_KEY_ID,
            ACCESS_KEY_NOT_FOUND,
            ACCESS_KEY_INACTIVE,
            SIGNATURE_MISMATCH,
            TIMESTAMP_EXPIRED,
            TIMESTAMP_FORMAT,
            NONCE_USED,
            SIGNATURE_METHOD,
            TOKEN_EXPIRED,
            TOKEN_MISMATCH,
            FORBIDDEN,
            WRONG_PASSWORD,
            THROTTLED,
            HOST_NOT_ALLOWED,
        ];
        if code == SUCCESS {
            Outcome::Success
        } else if REFUSALS.contains(&code) {
            Outcome::Refused
        } else {
            Outcome::Failed
        }
    }
}

wire_str_enum! {
    /// The kind of thing a call acted on.
    pub enum TargetType {
        Job = "Job",
        Firmware = "Firmware",
        Task = "Task",
        Device = "Device",
        Group = "Group",
        Module = "Module",
        Product = "Product",
        User = "User",
    }
}

/// What a call acted on: a batch, a package, a device, ….
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetType,
    /// The thing's ID; a device without an IotId is `ProductKey/DeviceName`, a module
    /// `ProductKey/ModuleName`.
    pub id: String,
}

impl Target {
    pub fn new(kind: TargetType, id: impl Into<String>) -> Self {
        Self { kind, id: id.into() }
    }

    /// What a call acts on, judged by the most specific ID among its parameters. A call that
    /// creates something names its new ID later (the server knows it once it is made).
    pub fn of_call(params: &Params) -> Option<Self> {
        let get = |name: &str| params.get(name).filter(|v| !v.is_empty());
        let pair = |name: &str| Some(format!("{}/{}", get("ProductKey")?, get(name)?));
        let (kind, id) = if let Some(job) = get("JobId") {
            (TargetType::Job, job.to_owned())
        } else if let Some(firmware) = get("FirmwareId") {
            (TargetType::Firmware, firmware.to_owned())
        } else if let Some(task) = get("TaskId.1").or_else(|| get("TaskId")) {
            (TargetType::Task, task.to_owned())
        } else if let Some(device) = get("IotId") {
            (TargetType::Device, device.to_owned())
        } else if let Some(device) = pair("DeviceName") {
            (TargetType::Device, device)
        } else if let Some(group) = get("GroupId") {
            (TargetType::Group, group.to_owned())
        } else if let Some(module) = pair("ModuleName") {
            (TargetType::Module, module)
        } else if let Some(product) = get("ProductKey") {
            (TargetType::Product, product.to_owned())
        } else {
            (TargetType::User, get("UserName")?.to_owned())
        };
        Some(Self { kind, id })
    }
}

/// What a recorded change did to a batch, as its history tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobChange {
    Created,
    Edited,
    /// CancelOTATaskByJob: the batch's unfinished tasks ended.
    Cancelled,
    /// CancelOTAStrategyByJob: a dynamic batch stopped taking on devices.
    Stopped,
    Confirmed,
    Retried,
    /// CancelOTATaskByDevice: some devices' tasks ended.
    CancelledDevices,
}

impl JobChange {
    /// The change a call of `action` made to the batch it targets.
    pub fn of_action(action: &str) -> Option<Self> {
        Some(match action {
            "CreateOTAVerifyJob" | "CreateOTAStaticUpgradeJob" | "CreateOTADynamicUpgradeJob" => JobChange::Created,
            "UpdateOTAJob" => JobChange::Edited,
            "CancelOTATaskByJob" => JobChange::Cancelled,
            "CancelOTAStrategyByJob" => JobChange::Stopped,
            "ConfirmOTATask" => JobChange::Confirmed,
            "ReupgradeOTATask" => JobChange::Retried,
            "CancelOTATaskByDevice" => JobChange::CancelledDevices,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn reads_are_not_changes_and_everything_else_is() {
        for read in ["ListOTAFirmware", "QueryOTAJob", "QueryDeviceDetail", "SubscribeOTAEvents"] {
            assert!(!changes_state(read), "{read}");
        }
        for change in ["CreateOTAFirmware", "CancelOTATaskByJob", "RegisterDevice", "AssumeOTASession"] {
            assert!(changes_state(change), "{change}");
        }
    }

    #[test]
    fn the_signature_is_dropped_and_secrets_are_removed() {
        let recorded = recorded_params(&params(&[
            ("Action", "UpdateOTAJob"),
            ("Signature", "abc"),
            ("SignatureNonce", "n"),
            ("SecurityToken", "t"),
            ("AccessKeyId", "k"),
            ("JobId", "j1"),
            ("Tag.1.Key", "area"),
            ("Password", "hunter2"),
            ("DeviceSecret", "s3cret"),
        ]));
        let pairs: Vec<(&str, &str)> = recorded.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("JobId", "j1"), ("Tag.1.Key", "area"), ("Password", REMOVED), ("DeviceSecret", REMOVED)]);
    }

    #[test]
    fn the_most_specific_id_names_the_target() {
        let target = |pairs: &[(&str, &str)]| Target::of_call(&params(pairs));
        assert_eq!(target(&[("FirmwareId", "f"), ("JobId", "j")]), Some(Target::new(TargetType::Job, "j")));
        assert_eq!(target(&[("TaskId.1", "t1"), ("TaskId.2", "t2")]), Some(Target::new(TargetType::Task, "t1")));
        assert_eq!(target(&[("ProductKey", "pk"), ("DeviceName", "d")]), Some(Target::new(TargetType::Device, "pk/d")));
        assert_eq!(target(&[("ProductKey", "pk"), ("ModuleName", "m")]), Some(Target::new(TargetType::Module, "pk/m")));
        assert_eq!(target(&[("ProductKey", "pk")]), Some(Target::new(TargetType::Product, "pk")));
        assert_eq!(target(&[("UserName", "ops")]), Some(Target::new(TargetType::User, "ops")));
        assert_eq!(target(&[("FirmwareName", "x")]), None);
    }

    #[test]
    fn a_batch_history_names_each_change_in_words() {
        assert_eq!(JobChange::of_action("CreateOTADynamicUpgradeJob"), Some(JobChange::Created));
        assert_eq!(JobChange::of_action("CancelOTAStrategyByJob"), Some(JobChange::Stopped));
        assert_eq!(JobChange::of_action("ListOTATaskByJob"), None);
    }

    #[test]
    fn refusals_failures_and_successes_are_told_apart_by_code() {
        assert_eq!(Outcome::of_code(SUCCESS), Outcome::Success);
        assert_eq!(Outcome::of_code(codes::auth::FORBIDDEN), Outcome::Refused);
        assert_eq!(Outcome::of_code(codes::auth::SIGNATURE_MISMATCH), Outcome::Refused);
        assert_eq!(Outcome::of_code(codes::JOB_NOT_FOUND), Outcome::Failed);
    }
}
