//! Creating batches: verification (§3.10), static (§3.11) and dynamic (§3.12).

use std::fmt;
use std::str::FromStr;

use crate::decimal;
use crate::enums::{DownloadProtocol, DynamicMode, GroupType, TargetSelection};
use crate::job::CreateOTAJobResponse;
use crate::job::policy::{self, JobPolicy};
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;
use crate::time::UtcTime;

/// Devices a verification batch may name.
pub const MAX_VERIFY_DEVICES: usize = 10;
/// Devices a static batch may name in `TargetDeviceName.N` (a list file holds more).
pub const MAX_NAMED_DEVICES: usize = 200;

/// Device names from `{name}.N`: each a device name, no duplicates, at most `max`.
pub fn device_names(params: &Params, name: &str, max: usize) -> Result<Vec<String>, ParamError> {
    let mut names: Vec<String> = Vec::new();
    for (i, device) in params.list(name, max)?.into_iter().enumerate() {
        let param = format!("{name}.{}", i + 1);
        rules::DEVICE_NAME.check(&param, device)?;
        if names.iter().any(|n| n == device) {
            return Err(ParamError::invalid(&param, format!("the device '{device}' appears twice")));
        }
        names.push(device.to_owned());
    }
    Ok(names)
}

/// A verification batch: up to ten test devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOTAVerifyJob {
    pub firmware_id: String,
    pub product_key: String,
    pub device_names: Vec<String>,
    /// Only the timeout, push, confirmation, protocol and tags apply.
    pub policy: JobPolicy,
}

impl Operation for CreateOTAVerifyJob {
    const ACTION: &'static str = "CreateOTAVerifyJob";
    type Response = CreateOTAJobResponse;

    fn to_params(&self) -> Params {
        let params = Params::new()
            .with("FirmwareId", &self.firmware_id)
            .with("ProductKey", &self.product_key)
            .with_list("TargetDeviceName", &self.device_names)
            .with_opt("TimeoutInMinutes", self.policy.timeout_in_minutes)
            .with("NeedPush", self.policy.need_push)
            .with("NeedConfirm", self.policy.need_confirm)
            .with("DownloadProtocol", self.policy.download_protocol);
        policy::with_tags(params, "Tag", &self.policy.tags)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let device_names = device_names(params, "TargetDeviceName", MAX_VERIFY_DEVICES)?;
        if device_names.is_empty() {
            return Err(ParamError::missing("TargetDeviceName.1"));
        }
        let policy = JobPolicy {
            timeout_in_minutes: policy::timeout(params)?,
            need_push: params.flag("NeedPush")?.unwrap_or(true),
            need_confirm: params.flag("NeedConfirm")?.unwrap_or(false),
            download_protocol: params.parse("DownloadProtocol")?.unwrap_or(DownloadProtocol::Https),
            tags: policy::tags(params, "Tag")?,
            ..JobPolicy::default()
        };
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            device_names,
            policy,
        })
    }
}

/// A share of devices, `GrayPercent`: up to three decimals, more than 0 and at most 100.
/// Kept in thousandths of a percent so that the arithmetic is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrayPercent(u32);

impl GrayPercent {
    /// How many of `count` devices: rounded down, but at least one.
    pub fn of(self, count: u64) -> u64 {
        if count == 0 { 0 } else { (count * u64::from(self.0) / 100_000).max(1) }
    }
}

impl FromStr for GrayPercent {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value = decimal::parse_scaled(text, 3)
            .ok_or_else(|| format!("'{text}' is not a percentage with at most three decimals"))?;
        if value == 0 || value > 100_000 {
            return Err(format!("{text} is not more than 0 and at most 100"));
        }
        Ok(Self(value as u32))
    }
}

impl fmt::Display for GrayPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&decimal::format_scaled(u64::from(self.0), 3))
    }
}

/// Which devices a static batch takes, on top of the optional source-version filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticTarget {
    /// Every device of the product.
    All,
    /// Devices named in the request.
    Devices(Vec<String>),
    /// Devices named in an uploaded list file (`DnListFileUrl`).
    ListFile(String),
    /// A share of the product's devices.
    Gray(GrayPercent),
    /// The members of a static device group.
    Group(String),
}

impl StaticTarget {
    pub fn selection(&self) -> TargetSelection {
        match self {
            Self::All => TargetSelection::All,
            Self::Devices(_) | Self::ListFile(_) => TargetSelection::Specific,
            Self::Gray(_) => TargetSelection::Gray,
            Self::Group(_) => TargetSelection::Group,
        }
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let selection = params
            .parse::<TargetSelection>("TargetSelection")?
            .ok_or_else(|| ParamError::missing("TargetSelection"))?;
        Ok(match selection {
            TargetSelection::All => Self::All,
            TargetSelection::Specific => {
                let names = device_names(params, "TargetDeviceName", MAX_NAMED_DEVICES)?;
                match (names.is_empty(), params.get("DnListFileUrl")) {
                    (false, Some(_)) => {
                        return Err(ParamError::invalid(
                            "DnListFileUrl",
                            "give TargetDeviceName.N or DnListFileUrl, not both",
                        ));
                    }
                    (false, None) => Self::Devices(names),
                    (true, Some(url)) => Self::ListFile(url.to_owned()),
                    (true, None) => return Err(ParamError::missing("TargetDeviceName.1")),
                }
            }
            TargetSelection::Gray => {
                Self::Gray(params.parse("GrayPercent")?.ok_or_else(|| ParamError::missing("GrayPercent"))?)
            }
            TargetSelection::Group => {
                let group_type = params.parse::<GroupType>("GroupType")?.unwrap_or(GroupType::LinkPlatform);
                if group_type != GroupType::LinkPlatform {
                    return Err(ParamError::invalid("GroupType", "a static batch targets LINK_PLATFORM groups"));
                }
                Self::Group(rules::ID.required(params, "GroupId")?.to_owned())
            }
        })
    }

    fn to_params(&self, params: Params) -> Params {
        let params = params.with("TargetSelection", self.selection());
        match self {
            Self::All => params,
            Self::Devices(names) => params.with_list("TargetDeviceName", names),
            Self::ListFile(url) => params.with("DnListFileUrl", url),
            Self::Gray(percent) => params.with("GrayPercent", percent),
            Self::Group(id) => params.with("GroupId", id).with("GroupType", GroupType::LinkPlatform),
        }
    }
}

/// When a static batch starts, and when it is forced to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub start: Option<UtcTime>,
    pub finish: Option<UtcTime>,
}

impl Schedule {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * Self::MINUTE;
    const DAY: i64 = 24 * Self::HOUR;

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let time = |name: &str| {
            params
                .parse::<i64>(name)?
                .map(|ms| {
                    UtcTime::from_millis(ms).ok_or_else(|| ParamError::invalid(name, "not a time in milliseconds"))
                })
                .transpose()
        };
        Ok(Self { start: time("ScheduleTime")?, finish: time("ScheduleFinishTime")? })
    }

    /// The documented windows: the start 5 minutes to 7 days from `now`, the end 1 hour to
    /// 30 days after the start (or after `now` without a start).
    pub fn check(&self, now: UtcTime) -> Result<(), ParamError> {
        if let Some(start) = self.start {
            let ahead = start.millis() - now.millis();
            if !(5 * Self::MINUTE..=7 * Self::DAY).contains(&ahead) {
                return Err(ParamError::invalid("ScheduleTime", "the start must be 5 minutes to 7 days from now"));
            }
        }
        if let Some(finish) = self.finish {
            let after = finish.millis() - self.start.unwrap_or(now).millis();
            if !(Self::HOUR..=30 * Self::DAY).contains(&after) {
                return Err(ParamError::invalid(
                    "ScheduleFinishTime",
                    "the end must be 1 hour to 30 days after the start",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOTAStaticUpgradeJob {
    pub firmware_id: String,
    pub product_key: String,
    pub target: StaticTarget,
    /// Only devices on one of these versions (of the package's module). Empty: any version.
    pub src_versions: Vec<String>,
    pub schedule: Schedule,
    pub policy: JobPolicy,
}

impl Operation for CreateOTAStaticUpgradeJob {
    const ACTION: &'static str = "CreateOTAStaticUpgradeJob";
    type Response = CreateOTAJobResponse;

    fn to_params(&self) -> Params {
        let params = Params::new().with("FirmwareId", &self.firmware_id).with("ProductKey", &self.product_key);
        let params = self
            .target
            .to_params(params)
            .with_list("SrcVersion", &self.src_versions)
            .with_opt("ScheduleTime", self.schedule.start.map(UtcTime::millis))
            .with_opt("ScheduleFinishTime", self.schedule.finish.map(UtcTime::millis));
        self.policy.to_params(params)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            target: StaticTarget::from_params(params)?,
            src_versions: policy::versions(params, "SrcVersion")?,
            schedule: Schedule::from_params(params)?,
            policy: JobPolicy::from_params(params)?,
        })
    }
}

/// What a dynamic batch keeps matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DynamicTarget {
    /// Devices on one of these versions (never empty).
    Versions(Vec<String>),
    /// Members of a dynamic device group.
    Group(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOTADynamicUpgradeJob {
    pub firmware_id: String,
    pub product_key: String,
    pub target: DynamicTarget,
    pub dynamic_mode: DynamicMode,
    pub policy: JobPolicy,
}

impl Operation for CreateOTADynamicUpgradeJob {
    const ACTION: &'static str = "CreateOTADynamicUpgradeJob";
    type Response = CreateOTAJobResponse;

    fn to_params(&self) -> Params {
        let params = Params::new().with("FirmwareId", &self.firmware_id).with("ProductKey", &self.product_key);
        let params = match &self.target {
            DynamicTarget::Versions(versions) => params.with_list("SrcVersion", versions),
            DynamicTarget::Group(id) => params.with("GroupId", id).with("GroupType", GroupType::LinkPlatformDynamic),
        };
        self.policy.to_params(params.with("DynamicMode", self.dynamic_mode))
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let versions = policy::versions(params, "SrcVersion")?;
        let group = (params.get("GroupId"), params.parse::<GroupType>("GroupType")?);
        let target = match (versions.is_empty(), group) {
            (true, (None, None)) => return Err(ParamError::missing("SrcVersion.1")),
            (false, (None, None)) => DynamicTarget::Versions(versions),
            (true, (Some(id), Some(GroupType::LinkPlatformDynamic))) => {
                rules::ID.check("GroupId", id)?;
                DynamicTarget::Group(id.to_owned())
            }
            (true, (Some(_), Some(_))) => {
                return Err(ParamError::invalid("GroupType", "a dynamic batch targets LINK_PLATFORM_DYNAMIC groups"));
            }
            (true, (Some(_), None)) => return Err(ParamError::missing("GroupType")),
            (true, (None, Some(_))) => return Err(ParamError::missing("GroupId")),
            (false, _) => {
                return Err(ParamError::invalid("GroupId", "give SrcVersion.N or a group, not both"));
            }
        };
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            target,
            dynamic_mode: params.parse("DynamicMode")?.unwrap_or(DynamicMode::Continuous),
            policy: JobPolicy::from_params(params)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut all: Params = [("FirmwareId", "fw1"), ("ProductKey", "pk1")].into_iter().collect();
        for (name, value) in pairs {
            all.push(*name, *value);
        }
        all
    }

    #[test]
    fn gray_percentages_round_down_to_at_least_one_device() {
        let third: GrayPercent = "33.33".parse().unwrap();
        assert_eq!(third.of(100), 33);
        assert_eq!(third.of(2), 1);
        assert_eq!(third.of(0), 0);
        assert_eq!("100".parse::<GrayPercent>().unwrap().of(7), 7);
        assert_eq!("0.5".parse::<GrayPercent>().unwrap().to_string(), "0.5");
        for bad in ["0", "100.001", "12.3456", "-3", "1e2", "", "abc", ".5"] {
            assert!(bad.parse::<GrayPercent>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_static_batch_names_its_targets_one_way() {
        let all =
            CreateOTAStaticUpgradeJob::from_params(&params(&[("TargetSelection", "ALL"), ("SrcVersion.1", "3.1.0")]))
                .unwrap();
        assert_eq!(all.target, StaticTarget::All);
        assert_eq!(all.src_versions, ["3.1.0"]);
        let err = CreateOTAStaticUpgradeJob::from_params(&params(&[("TargetSelection", "SPECIFIC")])).unwrap_err();
        assert_eq!(err.code, "MissingTargetDeviceName.1");
        let both = params(&[
            ("TargetSelection", "SPECIFIC"),
            ("TargetDeviceName.1", "meter-0001"),
            ("DnListFileUrl", "http://h/l.csv"),
        ]);
        assert!(CreateOTAStaticUpgradeJob::from_params(&both).unwrap_err().message.contains("not both"));
        let gray = params(&[("TargetSelection", "GRAY")]);
        assert_eq!(CreateOTAStaticUpgradeJob::from_params(&gray).unwrap_err().code, "MissingGrayPercent");
        let group = params(&[("TargetSelection", "GROUP"), ("GroupId", "g1"), ("GroupType", "LINK_PLATFORM_DYNAMIC")]);
        assert!(CreateOTAStaticUpgradeJob::from_params(&group).is_err());
    }

    #[test]
    fn schedules_fall_inside_the_documented_windows() {
        let now = UtcTime::from_millis(1_800_000_000_000).unwrap();
        let at = |minutes: i64| UtcTime::from_millis(now.millis() + minutes * 60_000);
        let schedule = |start: Option<i64>, finish: Option<i64>| Schedule {
            start: start.and_then(at),
            finish: finish.and_then(at),
        };
        assert_eq!(schedule(Some(5), None).check(now), Ok(()));
        assert!(schedule(Some(4), None).check(now).is_err());
        assert!(schedule(Some(7 * 1440 + 1), None).check(now).is_err());
        assert_eq!(schedule(Some(10), Some(70)).check(now), Ok(()));
        assert!(schedule(Some(10), Some(69)).check(now).is_err());
        assert!(schedule(Some(10), Some(10 + 30 * 1440 + 1)).check(now).is_err());
        assert_eq!(schedule(None, Some(60)).check(now), Ok(()));
    }

    #[test]
    fn a_dynamic_batch_matches_versions_or_a_dynamic_group() {
        assert_eq!(CreateOTADynamicUpgradeJob::from_params(&params(&[])).unwrap_err().code, "MissingSrcVersion.1");
        let versions = CreateOTADynamicUpgradeJob::from_params(&params(&[("SrcVersion.1", "2.4.11")])).unwrap();
        assert_eq!(versions.target, DynamicTarget::Versions(vec!["2.4.11".into()]));
        assert_eq!(versions.dynamic_mode, DynamicMode::Continuous);
        let mixed = params(&[("SrcVersion.1", "2.4.11"), ("GroupId", "g"), ("GroupType", "LINK_PLATFORM_DYNAMIC")]);
        assert!(CreateOTADynamicUpgradeJob::from_params(&mixed).is_err());
        let half = params(&[("GroupId", "g")]);
        assert_eq!(CreateOTADynamicUpgradeJob::from_params(&half).unwrap_err().code, "MissingGroupType");
    }

    #[test]
    fn a_verification_batch_names_one_to_ten_distinct_devices() {
        assert!(CreateOTAVerifyJob::from_params(&params(&[])).is_err());
        let twice = params(&[("TargetDeviceName.1", "meter-0001"), ("TargetDeviceName.2", "meter-0001")]);
        assert!(CreateOTAVerifyJob::from_params(&twice).unwrap_err().message.contains("appears twice"));
        let job =
            CreateOTAVerifyJob::from_params(&params(&[("TargetDeviceName.1", "meter-0001"), ("NeedConfirm", "True")]))
                .unwrap();
        assert!(job.policy.need_confirm);
        assert_eq!(CreateOTAVerifyJob::from_params(&job.to_params()), Ok(job));
    }

    #[test]
    fn create_requests_survive_the_trip_through_parameters() {
        let job = CreateOTAStaticUpgradeJob {
            firmware_id: "fw1".into(),
            product_key: "pk1".into(),
            target: StaticTarget::Gray("12.5".parse().unwrap()),
            src_versions: vec!["1.0".into(), "1.1".into()],
            schedule: Schedule { start: UtcTime::from_millis(1_800_000_000_000), finish: None },
            policy: JobPolicy { maximum_per_minute: 50, ..JobPolicy::default() },
        };
        assert_eq!(CreateOTAStaticUpgradeJob::from_params(&job.to_params()), Ok(job));
        let dynamic = CreateOTADynamicUpgradeJob {
            firmware_id: "fw1".into(),
            product_key: "pk1".into(),
            target: DynamicTarget::Group("dg1".into()),
            dynamic_mode: DynamicMode::NewReportsOnly,
            policy: JobPolicy::default(),
        };
        assert_eq!(CreateOTADynamicUpgradeJob::from_params(&dynamic.to_params()), Ok(dynamic));
    }
}
