//! Every closed set of values in the OTA API, with the exact spellings of
//! `alibaba-ota-api.md` §5. Where the vendor docs disagree we emit one spelling and accept the
//! others (see `docs/api.md`, "Spelling drift").

use std::fmt;

/// A wire value that is not a member of the enum it was parsed as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub type_name: &'static str,
    pub value: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not one of {}", self.value, self.expected.join(", "))
    }
}

impl std::error::Error for UnknownValue {}

wire_str_enum! {
    /// The state of one device's update task (§5.1).
    pub enum TaskStatus {
        /// Waits for the app to confirm (`NeedConfirm=true`).
        Confirm = "CONFIRM",
        /// Not pushed yet: device offline, schedule not reached, or held back by the push rate.
        Queued = "QUEUED",
        /// Pushed; the device has not reported progress yet.
        Notified = "NOTIFIED",
        /// The device has reported progress.
        InProgress = "IN_PROGRESS",
        /// The device reported the destination version.
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
        Canceled = "CANCELED" | "CANCELLED",
    }
}

impl TaskStatus {
    /// A task in this state is over: only a manual re-upgrade brings it back.
    pub const fn is_finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Canceled)
    }
}

wire_str_enum! {
    /// The state of a batch (§5.3). The list operations' docs spell the completed state
    /// `COMPLETE`; we emit `COMPLETED` everywhere and accept both.
    pub enum JobStatus {
        /// A scheduled static batch whose start time has not come yet.
        Planned = "PLANNED",
        InProgress = "IN_PROGRESS",
        Completed = "COMPLETED" | "COMPLETE",
        Canceled = "CANCELED" | "CANCELLED",
    }
}

impl JobStatus {
    /// A batch waiting for its start or under way: it can still be edited (UpdateOTAJob) and
    /// cancelled (CancelOTAStrategyByJob).
    pub const fn is_running(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress)
    }
}

wire_str_enum! {
    /// What a batch is for. `VERFIY_FIRMWARE` is Alibaba's own (mis)spelling; Tuya's clone writes
    /// `VERIFY_FIRMWARE`, which we accept.
    pub enum JobType {
        VerifyFirmware = "VERFIY_FIRMWARE" | "VERIFY_FIRMWARE",
        UpgradeFirmware = "UPGRADE_FIRMWARE",
    }
}

wire_str_enum! {
    /// Static batches match devices once; dynamic ones keep matching. Also the `UpgradeType`
    /// of UpdateOTAJob.
    pub enum SelectionType {
        Static = "STATIC",
        Dynamic = "DYNAMIC",
    }
}

wire_str_enum! {
    /// Which devices a static batch targets.
    pub enum TargetSelection {
        All = "ALL",
        Specific = "SPECIFIC",
        /// A percentage of the product's devices (canary).
        Gray = "GRAY",
        Group = "GROUP",
    }
}

wire_str_enum! {
    pub enum GroupType {
        /// A static device group.
        LinkPlatform = "LINK_PLATFORM",
        /// A dynamic device group (dynamic batches only).
        LinkPlatformDynamic = "LINK_PLATFORM_DYNAMIC",
    }
}

wire_str_enum! {
    pub enum DownloadProtocol {
        Https = "HTTPS",
        Mqtt = "MQTT",
    }
}

wire_str_enum! {
    /// How a package file is signed. Device payloads also write `Md5` and `Sha256`.
    pub enum SignMethod {
        Md5 = "MD5" | "Md5" | "md5",
        Sha256 = "SHA256" | "Sha256" | "sha256",
    }
}

wire_str_enum! {
    /// File extensions a package file may have.
    pub enum FileSuffix {
        Bin = "bin",
        Dav = "dav",
        Apk = "apk",
        Tar = "tar",
        Gz = "gz",
        TarGz = "tar.gz",
        TarXz = "tar.xz",
        Zip = "zip",
        Gzip = "gzip",
        Pack = "pack",
    }
}

wire_int_enum! {
    /// Whether a package holds the whole firmware or a delta from one source version.
    pub enum FirmwareType {
        Full = 0,
        Differential = 1,
    }
}

wire_int_enum! {
    /// Verification state of a package. `-1` (no verification required) is what
    /// QueryOTAFirmware documents for packages created with `NeedToVerify=false`; we report it
    /// from the list too.
    pub enum FirmwareStatus {
        NotRequired = -1,
        Unverified = 0,
        Verified = 1,
        Verifying = 2,
        VerificationFailed = 3,
    }
}

impl FirmwareStatus {
    /// Batch updates may use the package (verified, or verification not required).
    pub const fn allows_batch_update(self) -> bool {
        matches!(self, Self::Verified | Self::NotRequired)
    }
}

wire_int_enum! {
    /// Which devices a dynamic batch keeps upgrading.
    pub enum DynamicMode {
        /// Every device that meets the conditions, now and later.
        Continuous = 1,
        /// Only devices that later report a matching version.
        NewReportsOnly = 2,
    }
}

wire_int_enum! {
    /// What a new batch does to a device's unfinished task from an older batch.
    pub enum OverwriteMode {
        /// The older task proceeds and the new one fails.
        Keep = 1,
        /// The new task supersedes the older one, unless that one is `IN_PROGRESS`.
        Overwrite = 2,
    }
}

wire_int_enum! {
    /// Minutes between a failure and the automatic retry.
    pub enum RetryInterval {
        Immediately = 0,
        TenMinutes = 10,
        HalfHour = 30,
        OneHour = 60,
        OneDay = 1440,
    }
}

wire_int_enum! {
    /// How many automatic retries a failed task gets.
    pub enum RetryCount {
        Once = 1,
        Twice = 2,
        FiveTimes = 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_value_round_trips_through_its_wire_spelling() {
        for status in TaskStatus::ALL {
            assert_eq!(status.as_str().parse::<TaskStatus>(), Ok(*status));
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(serde_json::from_str::<TaskStatus>(&json).unwrap(), *status);
        }
        assert_eq!(TaskStatus::InProgress.as_str(), "IN_PROGRESS");
    }

    #[test]
    fn completed_is_emitted_and_the_list_docs_spelling_is_accepted() {
        assert_eq!(JobStatus::Completed.as_str(), "COMPLETED");
        assert!(JobStatus::Planned.is_running() && JobStatus::InProgress.is_running());
        assert!(!JobStatus::Completed.is_running() && !JobStatus::Canceled.is_running());
        assert_eq!("COMPLETE".parse(), Ok(JobStatus::Completed));
        assert_eq!(serde_json::from_str::<JobStatus>("\"COMPLETE\"").unwrap(), JobStatus::Completed);
    }

    #[test]
    fn verification_jobs_keep_alibabas_misspelling_on_the_wire() {
        assert_eq!(serde_json::to_string(&JobType::VerifyFirmware).unwrap(), "\"VERFIY_FIRMWARE\"");
        assert_eq!("VERIFY_FIRMWARE".parse(), Ok(JobType::VerifyFirmware));
    }

    #[test]
    fn device_spellings_of_sign_methods_are_accepted() {
        assert_eq!("Md5".parse(), Ok(SignMethod::Md5));
        assert_eq!("Sha256".parse(), Ok(SignMethod::Sha256));
        assert_eq!(SignMethod::Sha256.as_str(), "SHA256");
    }

    #[test]
    fn integer_enums_use_numbers_on_the_wire() {
        assert_eq!(serde_json::to_string(&FirmwareStatus::NotRequired).unwrap(), "-1");
        assert_eq!(serde_json::from_str::<FirmwareType>("1").unwrap(), FirmwareType::Differential);
        assert_eq!("1440".parse(), Ok(RetryInterval::OneDay));
        assert!(serde_json::from_str::<RetryCount>("3").is_err());
    }

    #[test]
    fn unknown_values_name_what_was_expected() {
        let err = "DONE".parse::<TaskStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'DONE' is not one of CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS, SUCCEEDED, FAILED, CANCELED"
        );
        let err = "7".parse::<OverwriteMode>().unwrap_err();
        assert_eq!(err.to_string(), "'7' is not one of 1, 2");
    }

    #[test]
    fn only_terminal_task_states_are_finished() {
        let finished: Vec<_> = TaskStatus::ALL.iter().filter(|s| s.is_finished()).collect();
        assert_eq!(finished, [&TaskStatus::Succeeded, &TaskStatus::Failed, &TaskStatus::Canceled]);
    }
}
