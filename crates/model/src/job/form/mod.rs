//! The batch wizard's form (§4): a new batch as the operator fills it in, checked with the
//! rules the server applies to the three CreateOTA…Job operations, every broken one at once,
//! each naming its parameter.

mod batch;
#[cfg(test)]
mod tests;

pub use batch::NewBatch;

use super::create::{
    CreateOTADynamicUpgradeJob, CreateOTAStaticUpgradeJob, CreateOTAVerifyJob, MAX_NAMED_DEVICES, MAX_VERIFY_DEVICES,
    Schedule, StaticTarget,
};
use super::policy::{self, JobPolicy};
use super::rate::{GrowthOn, RateType};
use super::safety::SafetyForm;
use crate::enums::{
    DownloadProtocol, DynamicMode, GroupType, OverwriteMode, RetryCount, RetryInterval, TargetSelection,
};
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;
use crate::time::UtcTime;

/// The kind of batch, which decides the operation and the fields that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchKind {
    /// A verification batch: up to ten test devices, before any batch update.
    Verify,
    /// A static batch: the devices chosen now.
    #[default]
    Static,
    /// A dynamic batch: devices on the source versions, now and as they report them.
    Dynamic,
}

/// Which devices a static batch takes (the wizard's update scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every device of the product.
    #[default]
    All,
    /// The devices named in [`BatchForm::device_names`].
    Devices,
    /// The devices of an uploaded list, [`BatchForm::list_file_url`].
    ListFile,
    /// A share of the product's devices, [`BatchForm::gray_percent`].
    Gray,
    /// The members of a device group, [`BatchForm::group_id`].
    Group,
}

/// A new batch, as the form holds it: text as typed, choices as picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchForm {
    pub kind: BatchKind,
    /// Static batches only.
    pub scope: Scope,
    /// A verification batch's test devices (at most 10), or a static batch's named devices
    /// (at most 200): separated by commas, spaces or new lines; repeats count once.
    pub device_names: String,
    /// `DnListFileUrl`: where the console uploaded the list (GenerateDeviceNameListURL).
    pub list_file_url: String,
    pub gray_percent: String,
    pub group_id: String,
    /// Optional for a static batch, required for a dynamic one: separated by commas, spaces
    /// or new lines; repeats count once.
    pub src_versions: String,
    /// Dynamic batches only.
    pub dynamic_mode: DynamicMode,
    /// Static batches only: start later, at `schedule_start_ms`.
    pub scheduled: bool,
    /// UTC epoch milliseconds (the console converts the operator's local time).
    pub schedule_start_ms: Option<i64>,
    /// Optional forced end, UTC epoch milliseconds.
    pub schedule_finish_ms: Option<i64>,
    pub rate_type: RateType,
    /// Devices a minute; for a variable rate, the most it grows to.
    pub maximum_per_minute: String,
    /// Variable rates only.
    pub start_per_minute: String,
    pub growth_factor: String,
    pub growth_every: String,
    pub growth_on: GrowthOn,
    /// `None`: no automatic retry (the count is then not sent).
    pub retry_interval: Option<RetryInterval>,
    pub retry_count: Option<RetryCount>,
    /// Blank: no timeout.
    pub timeout_in_minutes: String,
    pub overwrite_mode: OverwriteMode,
    pub need_confirm: bool,
    pub need_push: bool,
    pub download_protocol: DownloadProtocol,
    pub multi_module_mode: bool,
    /// Rows of key and value; a row left wholly blank is no tag.
    pub tags: Vec<(String, String)>,
    /// Waves (static batches), the pause rule and windows (extension `SafeRollout`).
    pub safety: SafetyForm,
}

/// The push rate a new form offers: the API's own default, 10,000 a minute, is all at once
/// for most fleets; a wizard starts cautious and shows the number.
pub const DEFAULT_PER_MINUTE: u32 = 100;

impl Default for BatchForm {
    /// A static batch of all devices, at once, at [`DEFAULT_PER_MINUTE`], with the API's
    /// defaults otherwise: no overwrite, pushed, no confirmation, HTTPS, no retry or timeout.
    fn default() -> Self {
        Self {
            kind: BatchKind::default(),
            scope: Scope::default(),
            device_names: String::new(),
            list_file_url: String::new(),
            gray_percent: String::new(),
            group_id: String::new(),
            src_versions: String::new(),
            dynamic_mode: DynamicMode::Continuous,
            scheduled: false,
            schedule_start_ms: None,
            schedule_finish_ms: None,
            rate_type: RateType::Constant,
            maximum_per_minute: DEFAULT_PER_MINUTE.to_string(),
            start_per_minute: "10".into(),
            growth_factor: "2".into(),
            growth_every: "100".into(),
            growth_on: GrowthOn::Notified,
            retry_interval: None,
            retry_count: Some(RetryCount::Once),
            timeout_in_minutes: String::new(),
            overwrite_mode: OverwriteMode::Keep,
            need_confirm: false,
            need_push: true,
            download_protocol: DownloadProtocol::Https,
            multi_module_mode: false,
            tags: Vec::new(),
            safety: SafetyForm::default(),
        }
    }
}

impl BatchForm {
    /// The request for a batch of `firmware_id` (a package of `product_key`), or every rule
    /// the form breaks, each naming its parameter (`TargetDeviceName.3`, `GrowthFactor`,
    /// `Tag.2.Value`, …). `now` is when the schedule is checked against.
    pub fn request(&self, firmware_id: &str, product_key: &str, now: UtcTime) -> Result<NewBatch, Vec<ParamError>> {
        let params = self.params(firmware_id, product_key);
        let problems = match self.kind {
            BatchKind::Verify => self.verify_problems(&params),
            BatchKind::Static => self.static_problems(&params, now),
            BatchKind::Dynamic => self.dynamic_problems(&params),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let request = match self.kind {
            BatchKind::Verify => CreateOTAVerifyJob::from_params(&params).map(NewBatch::Verify),
            BatchKind::Static => CreateOTAStaticUpgradeJob::from_params(&params).map(NewBatch::Static),
            BatchKind::Dynamic => CreateOTADynamicUpgradeJob::from_params(&params).map(NewBatch::Dynamic),
        };
        request.map_err(|problem| vec![problem])
    }

    fn verify_problems(&self, params: &Params) -> Vec<ParamError> {
        let mut found = device_problems(params, MAX_VERIFY_DEVICES);
        found.extend(policy::timeout(params).err());
        found.extend(policy::tags(params, "Tag").err());
        found
    }

    fn static_problems(&self, params: &Params, now: UtcTime) -> Vec<ParamError> {
        let mut found = match self.scope {
            Scope::Devices => device_problems(params, MAX_NAMED_DEVICES),
            Scope::ListFile if params.get("DnListFileUrl").is_none() => vec![ParamError::missing("DnListFileUrl")],
            _ => StaticTarget::from_params(params).err().into_iter().collect(),
        };
        found.extend(policy::versions(params, "SrcVersion").err());
        if self.scheduled {
            // Unscheduled, the API starts at once; scheduled, a start must be picked.
            if self.schedule_start_ms.is_none() {
                found.push(ParamError::missing("ScheduleTime"));
            }
            found.extend(Schedule::from_params(params).and_then(|schedule| schedule.check(now)).err());
        }
        found.extend(self.policy_problems(params));
        found
    }

    fn dynamic_problems(&self, params: &Params) -> Vec<ParamError> {
        let mut found = Vec::new();
        match policy::versions(params, "SrcVersion") {
            Ok(versions) if versions.is_empty() => found.push(ParamError::missing("SrcVersion.1")),
            Ok(_) => {}
            Err(problem) => found.push(problem),
        }
        found.extend(self.policy_problems(params));
        found
    }

    fn policy_problems(&self, params: &Params) -> Vec<ParamError> {
        let mut found = Vec::new();
        // Left out, the API would push at its full 10,000 a minute: a cleared field must not mean that.
        if params.get("MaximumPerMinute").is_none() {
            found.push(ParamError::missing("MaximumPerMinute"));
        }
        found.extend(JobPolicy::problems(params));
        found
    }

    /// The form as the operation's parameters: only the fields its kind takes, blank ones
    /// left out.
    fn params(&self, firmware_id: &str, product_key: &str) -> Params {
        let mut params = Params::new().with("FirmwareId", firmware_id).with("ProductKey", product_key);
        match self.kind {
            BatchKind::Verify => {
                params = params
                    .with_list("TargetDeviceName", entries(&self.device_names))
                    .with("TimeoutInMinutes", self.timeout_in_minutes.trim())
                    .with("NeedPush", self.need_push)
                    .with("NeedConfirm", self.need_confirm)
                    .with("DownloadProtocol", self.download_protocol);
                return self.with_tags(params);
            }
            BatchKind::Static => {
                params = self.with_scope(params).with_list("SrcVersion", entries(&self.src_versions));
                if self.scheduled {
                    params = params
                        .with_opt("ScheduleTime", self.schedule_start_ms)
                        .with_opt("ScheduleFinishTime", self.schedule_finish_ms);
                }
            }
            BatchKind::Dynamic => {
                params =
                    params.with_list("SrcVersion", entries(&self.src_versions)).with("DynamicMode", self.dynamic_mode);
            }
        }
        self.with_policy(params)
    }

    fn with_scope(&self, params: Params) -> Params {
        let selection = match self.scope {
            Scope::All => TargetSelection::All,
            Scope::Devices | Scope::ListFile => TargetSelection::Specific,
            Scope::Gray => TargetSelection::Gray,
            Scope::Group => TargetSelection::Group,
        };
        let params = params.with("TargetSelection", selection);
        match self.scope {
            Scope::All => params,
            Scope::Devices => params.with_list("TargetDeviceName", entries(&self.device_names)),
            Scope::ListFile => params.with("DnListFileUrl", self.list_file_url.trim()),
            Scope::Gray => params.with("GrayPercent", self.gray_percent.trim()),
            Scope::Group => params.with("GroupId", self.group_id.trim()).with("GroupType", GroupType::LinkPlatform),
        }
    }

    fn with_policy(&self, mut params: Params) -> Params {
        params = params.with("MaximumPerMinute", self.maximum_per_minute.trim());
        if self.rate_type == RateType::Variable {
            params = params
                .with("RateType", RateType::Variable)
                .with("StartPerMinute", self.start_per_minute.trim())
                .with("GrowthFactor", self.growth_factor.trim())
                .with("GrowthEvery", self.growth_every.trim())
                .with("GrowthOn", self.growth_on);
        }
        if let Some(interval) = self.retry_interval {
            params = params.with("RetryInterval", interval).with_opt("RetryCount", self.retry_count);
        }
        params = params
            .with("TimeoutInMinutes", self.timeout_in_minutes.trim())
            .with("OverwriteMode", self.overwrite_mode)
            .with("NeedPush", self.need_push)
            .with("NeedConfirm", self.need_confirm)
            .with("DownloadProtocol", self.download_protocol)
            .with("MultiModuleMode", self.multi_module_mode);
        let params = self.safety.with_params(params, self.kind == BatchKind::Static);
        self.with_tags(params)
    }

    fn with_tags(&self, mut params: Params) -> Params {
        for (i, (key, value)) in self.tags.iter().enumerate() {
            // A row left wholly blank is no tag; a half-filled one is checked as given.
            if key.trim().is_empty() && value.trim().is_empty() {
                continue;
            }
            params.push(format!("Tag.{}.Key", i + 1), key.trim());
            params.push(format!("Tag.{}.Value", i + 1), value.trim());
        }
        params
    }
}

/// `TargetDeviceName.N`: at least one, at most `max`, each a device name. Every bad name is
/// named, not only the first.
fn device_problems(params: &Params, max: usize) -> Vec<ParamError> {
    let names = match params.list("TargetDeviceName", max) {
        Ok(names) if names.is_empty() => return vec![ParamError::missing("TargetDeviceName.1")],
        Ok(names) => names,
        Err(too_many) => return vec![too_many],
    };
    let each = names.iter().enumerate();
    each.filter_map(|(i, name)| rules::DEVICE_NAME.check(&format!("TargetDeviceName.{}", i + 1), name).err()).collect()
}

/// The entries of a box that takes several: separated by commas (also Japanese ones), spaces
/// or new lines, each once, in the order typed.
pub fn entries(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for entry in text.split(|c: char| matches!(c, ',' | '，' | '、') || c.is_whitespace()) {
        if !entry.is_empty() && !found.contains(&entry) {
            found.push(entry);
        }
    }
    found
}
