//! Creating batches: verification (§3.10), static (§3.11) and dynamic (§3.12). What a static
//! batch takes and when is in [`target`].

mod target;

pub use target::{GrayPercent, Schedule, StaticTarget};

use crate::enums::{DownloadProtocol, DynamicMode, GroupType};
use crate::job::CreateOTAJobResponse;
use crate::job::policy::{self, JobPolicy};
use crate::job::safety;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

/// Devices a verification batch may name.
pub const MAX_VERIFY_DEVICES: usize = 10;
/// Devices a static batch may name in `TargetDeviceName.N` (a list file holds more).
pub const MAX_NAMED_DEVICES: usize = 200;

/// `DryRun` (extension): check and plan the batch, answer what it would do, store nothing.
/// Written only when set, so that a request to a plain Alibaba backend carries no extension
/// parameter (such a backend would ignore it and create the batch: ask first).
fn with_dry_run(params: Params, dry_run: bool) -> Params {
    if dry_run { params.with("DryRun", true) } else { params }
}

fn dry_run(params: &Params) -> Result<bool, ParamError> {
    Ok(params.flag("DryRun")?.unwrap_or(false))
}

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
    /// Only say what the batch would do (extension `DryRun`).
    pub dry_run: bool,
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
        with_dry_run(policy::with_tags(params, "Tag", &self.policy.tags), self.dry_run)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        if let Some((name, _)) = params.pairs().iter().find(|(name, _)| safety::names_a_parameter(name)) {
            return Err(ParamError::invalid(name, "a verification batch has no waves, pause rule or windows"));
        }
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
            dry_run: dry_run(params)?,
        })
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
    /// Only say what the batch would do (extension `DryRun`).
    pub dry_run: bool,
}

impl Operation for CreateOTAStaticUpgradeJob {
    const ACTION: &'static str = "CreateOTAStaticUpgradeJob";
    type Response = CreateOTAJobResponse;

    fn to_params(&self) -> Params {
        let params = Params::new().with("FirmwareId", &self.firmware_id).with("ProductKey", &self.product_key);
        let params = self.schedule.to_params(self.target.to_params(params).with_list("SrcVersion", &self.src_versions));
        with_dry_run(self.policy.to_params(params), self.dry_run)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            target: StaticTarget::from_params(params)?,
            src_versions: policy::versions(params, "SrcVersion")?,
            schedule: Schedule::from_params(params)?,
            policy: JobPolicy::from_params(params)?,
            dry_run: dry_run(params)?,
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
    /// Only say what the batch would do (extension `DryRun`).
    pub dry_run: bool,
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
        with_dry_run(self.policy.to_params(params.with("DynamicMode", self.dynamic_mode)), self.dry_run)
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
        let policy = JobPolicy::from_params(params)?;
        if policy.safety.waves.is_some() {
            return Err(ParamError::invalid(
                "Wave.1.Percent",
                "waves split a static batch's devices; a dynamic batch takes devices as they come",
            ));
        }
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            target,
            dynamic_mode: params.parse("DynamicMode")?.unwrap_or(DynamicMode::Continuous),
            policy,
            dry_run: dry_run(params)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::UtcTime;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut all: Params = [("FirmwareId", "fw1"), ("ProductKey", "pk1")].into_iter().collect();
        for (name, value) in pairs {
            all.push(*name, *value);
        }
        all
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
    fn a_static_batch_filters_its_targets_by_source_version() {
        let all =
            CreateOTAStaticUpgradeJob::from_params(&params(&[("TargetSelection", "ALL"), ("SrcVersion.1", "3.1.0")]))
                .unwrap();
        assert_eq!(all.target, StaticTarget::All);
        assert_eq!(all.src_versions, ["3.1.0"]);
        let twice = params(&[("TargetSelection", "ALL"), ("SrcVersion.1", "3.1.0"), ("SrcVersion.2", "3.1.0")]);
        assert!(CreateOTAStaticUpgradeJob::from_params(&twice).is_err());
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
            dry_run: true,
        };
        assert_eq!(CreateOTAStaticUpgradeJob::from_params(&job.to_params()), Ok(job));
        let dynamic = CreateOTADynamicUpgradeJob {
            firmware_id: "fw1".into(),
            product_key: "pk1".into(),
            target: DynamicTarget::Group("dg1".into()),
            dynamic_mode: DynamicMode::NewReportsOnly,
            policy: JobPolicy::default(),
            dry_run: false,
        };
        assert_eq!(CreateOTADynamicUpgradeJob::from_params(&dynamic.to_params()), Ok(dynamic));
    }

    #[test]
    fn a_dry_run_is_asked_for_only_when_wanted() {
        let names = |params: &Params| params.pairs().iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
        let verify = CreateOTAVerifyJob::from_params(&params(&[("TargetDeviceName.1", "meter-0001")])).unwrap();
        assert!(!verify.dry_run, "a create creates unless told otherwise");
        assert!(!names(&verify.to_params()).contains(&"DryRun".to_owned()), "nothing a plain backend would not know");
        let preview = CreateOTAVerifyJob { dry_run: true, ..verify };
        assert!(preview.to_params().pairs().contains(&("DryRun".to_owned(), "true".to_owned())));
        assert_eq!(CreateOTAVerifyJob::from_params(&preview.to_params()), Ok(preview));
        let dynamic = params(&[("SrcVersion.1", "2.4.11"), ("DryRun", "True")]);
        assert!(CreateOTADynamicUpgradeJob::from_params(&dynamic).unwrap().dry_run, "Alibaba's SDKs write True");
        let unclear = params(&[("TargetSelection", "ALL"), ("DryRun", "yes")]);
        assert_eq!(CreateOTAStaticUpgradeJob::from_params(&unclear).unwrap_err().param.as_deref(), Some("DryRun"));
    }
}
