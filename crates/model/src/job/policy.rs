//! What every batch is created with besides its targets: retries, timeout, push rate,
//! overwriting, confirmation, protocol, tags (§3.11, second half of the table).

use crate::enums::{DownloadProtocol, OverwriteMode, RetryCount, RetryInterval};
use crate::job::OtaTag;
use crate::job::rate::{PushRate, RateParams};
use crate::job::safety::Safety;
use crate::params::{ParamError, Params, Rule};
use crate::rules;

/// The push rate, devices per minute: 10–10,000, 10,000 by default (current docs; older docs
/// said 0–1,000).
pub const MIN_PER_MINUTE: u32 = 10;
pub const MAX_PER_MINUTE: u32 = 10_000;
pub const MAX_TIMEOUT_MINUTES: u32 = 1440;
pub const MAX_TAGS: usize = 10;
/// Longest total of all tag keys and values.
pub const MAX_TAG_CHARS: usize = 4096;

/// The retry policy: both halves or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub interval: RetryInterval,
    pub count: RetryCount,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPolicy {
    pub retry: Option<Retry>,
    /// Starts at the device's first progress report; never restarted by re-pushes.
    pub timeout_in_minutes: Option<u32>,
    pub maximum_per_minute: u32,
    /// Constant at `maximum_per_minute`, or growing up to it (extension).
    pub push_rate: PushRate,
    pub overwrite_mode: OverwriteMode,
    pub need_push: bool,
    pub need_confirm: bool,
    pub download_protocol: DownloadProtocol,
    pub multi_module_mode: bool,
    pub tags: Vec<OtaTag>,
    /// Waves, automatic pause, maintenance windows (extension `SafeRollout`).
    pub safety: Safety,
}

impl Default for JobPolicy {
    fn default() -> Self {
        Self {
            retry: None,
            timeout_in_minutes: None,
            maximum_per_minute: MAX_PER_MINUTE,
            push_rate: PushRate::Constant,
            overwrite_mode: OverwriteMode::Keep,
            need_push: true,
            need_confirm: false,
            download_protocol: DownloadProtocol::Https,
            multi_module_mode: false,
            tags: Vec::new(),
            safety: Safety::default(),
        }
    }
}

impl JobPolicy {
    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        let timeout_in_minutes = timeout(params)?;
        let retry = retry(params, timeout_in_minutes)?;
        let (overwrite_mode, multi_module_mode) = modes(params)?;
        let maximum_per_minute = maximum_per_minute(params)?.unwrap_or(MAX_PER_MINUTE);
        Ok(Self {
            retry,
            timeout_in_minutes,
            maximum_per_minute,
            push_rate: PushRate::new(&RateParams::from_params(params)?, maximum_per_minute)?,
            overwrite_mode,
            need_push: params.flag("NeedPush")?.unwrap_or(true),
            need_confirm: params.flag("NeedConfirm")?.unwrap_or(false),
            download_protocol: params.parse("DownloadProtocol")?.unwrap_or(DownloadProtocol::Https),
            multi_module_mode,
            tags: tags(params, "Tag")?,
            safety: Safety::from_params(params)?,
        })
    }

    /// Every rule the parameters break, not only the first that [`Self::from_params`] stops
    /// at: for a form, to show each beside its field.
    pub fn problems(params: &Params) -> Vec<ParamError> {
        let maximum = maximum_per_minute(params);
        let timeout = timeout(params);
        // A start is compared with a maximum only once that maximum is sound.
        let ceiling = match &maximum {
            Ok(maximum) => maximum.unwrap_or(MAX_PER_MINUTE),
            Err(_) => u32::MAX,
        };
        let sound_timeout = timeout.as_ref().ok().copied().flatten();
        let mut found: Vec<ParamError> = maximum.err().into_iter().collect();
        found.extend(PushRate::problems(params, ceiling));
        let others = [
            retry(params, sound_timeout).err(),
            timeout.err(),
            modes(params).err(),
            params.flag("NeedPush").err(),
            params.flag("NeedConfirm").err(),
            params.parse::<DownloadProtocol>("DownloadProtocol").err(),
            tags(params, "Tag").err(),
        ];
        found.extend(others.into_iter().flatten());
        found.extend(Safety::problems(params));
        found
    }

    pub fn to_params(&self, mut params: Params) -> Params {
        if let Some(retry) = self.retry {
            params = params.with("RetryInterval", retry.interval).with("RetryCount", retry.count);
        }
        let params = self.safety.to_params(self.push_rate.to_params().to_params(params));
        with_tags(
            params
                .with_opt("TimeoutInMinutes", self.timeout_in_minutes)
                .with("MaximumPerMinute", self.maximum_per_minute)
                .with("OverwriteMode", self.overwrite_mode)
                .with("NeedPush", self.need_push)
                .with("NeedConfirm", self.need_confirm)
                .with("DownloadProtocol", self.download_protocol)
                .with("MultiModuleMode", self.multi_module_mode),
            "Tag",
            &self.tags,
        )
    }
}

/// `RetryInterval` and `RetryCount`: both or neither, the interval shorter than the timeout.
fn retry(params: &Params, timeout_in_minutes: Option<u32>) -> Result<Option<Retry>, ParamError> {
    let interval = params.parse::<RetryInterval>("RetryInterval")?;
    let count = params.parse::<RetryCount>("RetryCount")?;
    let retry = match (interval, count) {
        (Some(interval), Some(count)) => Retry { interval, count },
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(ParamError::missing("RetryCount")),
        (None, Some(_)) => return Err(ParamError::missing("RetryInterval")),
    };
    if let Some(timeout) = timeout_in_minutes
        && retry.interval.code() >= i64::from(timeout)
    {
        return Err(ParamError::broke(
            "RetryInterval",
            Rule::LessThan { other: "TimeoutInMinutes".to_owned() },
            format!("{} minutes is not shorter than TimeoutInMinutes ({timeout})", retry.interval.code()),
        ));
    }
    Ok(Some(retry))
}

/// `OverwriteMode` and `MultiModuleMode`: overwriting (2) cannot be combined with the latter.
fn modes(params: &Params) -> Result<(OverwriteMode, bool), ParamError> {
    let overwrite_mode = params.parse::<OverwriteMode>("OverwriteMode")?.unwrap_or(OverwriteMode::Keep);
    let multi_module_mode = params.flag("MultiModuleMode")?.unwrap_or(false);
    if multi_module_mode && overwrite_mode == OverwriteMode::Overwrite {
        let rule = Rule::NotWith { other: "MultiModuleMode".to_owned() };
        return Err(ParamError::broke(
            "OverwriteMode",
            rule,
            "overwriting (2) cannot be combined with MultiModuleMode",
        ));
    }
    Ok((overwrite_mode, multi_module_mode))
}

/// `TimeoutInMinutes`: 1–1,440.
pub fn timeout(params: &Params) -> Result<Option<u32>, ParamError> {
    Ok(params.integer_in("TimeoutInMinutes", 1..=i64::from(MAX_TIMEOUT_MINUTES))?.map(|n| n as u32))
}

/// `MaximumPerMinute`: 10–10,000.
pub fn maximum_per_minute(params: &Params) -> Result<Option<u32>, ParamError> {
    let range = i64::from(MIN_PER_MINUTE)..=i64::from(MAX_PER_MINUTE);
    Ok(params.integer_in("MaximumPerMinute", range)?.map(|n| n as u32))
}

/// Tags as `{name}.N.Key` / `{name}.N.Value` (`Tag` on create, `Tags` on UpdateOTAJob).
pub fn tags(params: &Params, name: &str) -> Result<Vec<OtaTag>, ParamError> {
    let mut tags: Vec<OtaTag> = Vec::new();
    for record in params.records(name, MAX_TAGS)? {
        let key_param = format!("{name}.{}.Key", record.index);
        let value_param = format!("{name}.{}.Value", record.index);
        let key = record.get("Key").ok_or_else(|| ParamError::missing(&key_param))?;
        let value = record.get("Value").ok_or_else(|| ParamError::missing(&value_param))?;
        rules::TAG_KEY.check(&key_param, key)?;
        rules::TAG_VALUE.check(&value_param, value)?;
        if tags.iter().any(|tag| tag.key == key) {
            let rule = Rule::Duplicate { value: key.to_owned() };
            return Err(ParamError::broke(&key_param, rule, format!("the key '{key}' appears twice")));
        }
        tags.push(OtaTag { key: key.to_owned(), value: value.to_owned() });
    }
    let total: usize = tags.iter().map(|t| t.key.chars().count() + t.value.chars().count()).sum();
    if total > MAX_TAG_CHARS {
        return Err(ParamError::broke(
            &format!("{name}.N"),
            Rule::TotalLength { max: MAX_TAG_CHARS },
            format!("keys and values hold {total} characters together, more than {MAX_TAG_CHARS}"),
        ));
    }
    Ok(tags)
}

pub fn with_tags(params: Params, name: &str, tags: &[OtaTag]) -> Params {
    let records: Vec<[(&str, &str); 2]> =
        tags.iter().map(|t| [("Key", t.key.as_str()), ("Value", t.value.as_str())]).collect();
    params.with_records(name, records.iter().map(|r| &r[..]))
}

/// `SrcVersion.N`-style lists of versions: at most ten, each a version, no duplicates.
pub fn versions(params: &Params, name: &str) -> Result<Vec<String>, ParamError> {
    let mut versions: Vec<String> = Vec::new();
    for (i, version) in params.list(name, 10)?.into_iter().enumerate() {
        let param = format!("{name}.{}", i + 1);
        rules::VERSION.check(&param, version)?;
        if versions.iter().any(|v| v == version) {
            let rule = Rule::Duplicate { value: version.to_owned() };
            return Err(ParamError::broke(&param, rule, format!("the version '{version}' appears twice")));
        }
        versions.push(version.to_owned());
    }
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::rate::{Growth, GrowthOn};

    fn policy(pairs: &[(&str, &str)]) -> Result<JobPolicy, ParamError> {
        JobPolicy::from_params(&pairs.iter().copied().collect())
    }

    #[test]
    fn defaults_push_at_full_rate_without_confirmation_or_retries() {
        assert_eq!(policy(&[]), Ok(JobPolicy::default()));
    }

    #[test]
    fn retries_need_both_halves_and_a_shorter_interval_than_the_timeout() {
        assert_eq!(policy(&[("RetryInterval", "10")]).unwrap_err().code, "MissingRetryCount");
        assert_eq!(policy(&[("RetryCount", "2")]).unwrap_err().code, "MissingRetryInterval");
        assert!(policy(&[("RetryInterval", "20"), ("RetryCount", "2")]).is_err(), "20 is not an allowed interval");
        let too_long = policy(&[("RetryInterval", "60"), ("RetryCount", "1"), ("TimeoutInMinutes", "60")]);
        assert!(too_long.unwrap_err().message.contains("not shorter than TimeoutInMinutes"));
        assert!(policy(&[("RetryInterval", "30"), ("RetryCount", "5"), ("TimeoutInMinutes", "60")]).is_ok());
        assert!(policy(&[("RetryInterval", "1440"), ("RetryCount", "1")]).is_ok(), "a day's interval without timeout");
    }

    #[test]
    fn push_rate_and_timeout_have_ranges() {
        assert!(policy(&[("MaximumPerMinute", "9")]).is_err());
        assert!(policy(&[("MaximumPerMinute", "10001")]).is_err());
        assert_eq!(policy(&[("MaximumPerMinute", "500")]).unwrap().maximum_per_minute, 500);
        assert!(policy(&[("TimeoutInMinutes", "0")]).is_err());
        assert!(policy(&[("TimeoutInMinutes", "1441")]).is_err());
    }

    #[test]
    fn overwriting_excludes_multi_module_mode() {
        let err = policy(&[("OverwriteMode", "2"), ("MultiModuleMode", "True")]).unwrap_err();
        assert!(err.message.contains("MultiModuleMode"), "{err}");
    }

    #[test]
    fn tags_are_checked_one_by_one_and_together() {
        let ok =
            policy(&[("Tag.1.Key", "site"), ("Tag.1.Value", "osaka"), ("Tag.2.Key", "wave"), ("Tag.2.Value", "1")]);
        assert_eq!(ok.unwrap().tags.len(), 2);
        assert_eq!(policy(&[("Tag.1.Key", "site")]).unwrap_err().code, "MissingTag.1.Value");
        assert!(policy(&[("Tag.1.Key", "a"), ("Tag.1.Value", "1"), ("Tag.2.Key", "a"), ("Tag.2.Value", "2")]).is_err());
        let eleven: Vec<(String, String)> = (1..=11)
            .flat_map(|i| [(format!("Tag.{i}.Key"), format!("k{i}")), (format!("Tag.{i}.Value"), "v".into())])
            .collect();
        assert!(JobPolicy::from_params(&eleven.into_iter().collect()).is_err());
        let big = "v".repeat(1024);
        let five: Vec<(String, String)> = (1..=5)
            .flat_map(|i| [(format!("Tag.{i}.Key"), format!("k{i}")), (format!("Tag.{i}.Value"), big.clone())])
            .collect();
        let err = JobPolicy::from_params(&five.into_iter().collect()).unwrap_err();
        assert!(err.message.contains("more than 4096"), "{err}");
    }

    #[test]
    fn every_broken_policy_rule_is_found_not_only_the_first() {
        let broken: Params = [
            ("MaximumPerMinute", "5"),
            ("RateType", "VARIABLE"),
            ("StartPerMinute", "20"),
            ("RetryInterval", "10"),
            ("TimeoutInMinutes", "2000"),
            ("OverwriteMode", "2"),
            ("MultiModuleMode", "true"),
            ("Tag.1.Key", "site"),
        ]
        .into_iter()
        .collect();
        let params: Vec<Option<String>> = JobPolicy::problems(&broken).into_iter().map(|p| p.param).collect();
        let expected = [
            "MaximumPerMinute",
            "GrowthFactor",
            "GrowthEvery",
            "RetryCount",
            "TimeoutInMinutes",
            "OverwriteMode",
            "Tag.1.Value",
        ];
        assert_eq!(params, expected.map(|p| Some(p.to_owned())));
        assert_eq!(JobPolicy::problems(&Params::new()), [], "the defaults break nothing");
        let first = JobPolicy::from_params(&broken).unwrap_err();
        assert!(JobPolicy::problems(&broken).contains(&first), "the server's refusal is among them");
    }

    #[test]
    fn a_start_is_held_against_a_sound_maximum_only() {
        let start = |maximum: &str| -> Vec<Option<String>> {
            let params: Params = [
                ("MaximumPerMinute", maximum),
                ("RateType", "VARIABLE"),
                ("StartPerMinute", "50"),
                ("GrowthFactor", "2"),
                ("GrowthEvery", "10"),
            ]
            .into_iter()
            .collect();
            JobPolicy::problems(&params).into_iter().map(|p| p.param).collect()
        };
        assert_eq!(start("20"), [Some("StartPerMinute".to_owned())]);
        assert_eq!(start("x"), [Some("MaximumPerMinute".to_owned())], "one mistake, one complaint");
        assert_eq!(start("100"), []);
    }

    #[test]
    fn a_policy_survives_the_trip_through_parameters() {
        let policy = JobPolicy {
            retry: Some(Retry { interval: RetryInterval::TenMinutes, count: RetryCount::Twice }),
            timeout_in_minutes: Some(60),
            maximum_per_minute: 100,
            push_rate: PushRate::Variable(Growth {
                start_per_minute: 10,
                factor: "2".parse().unwrap(),
                every: 25,
                on: GrowthOn::Succeeded,
            }),
            overwrite_mode: OverwriteMode::Overwrite,
            need_push: false,
            need_confirm: true,
            download_protocol: DownloadProtocol::Mqtt,
            multi_module_mode: false,
            tags: vec![OtaTag { key: "wave".into(), value: "2".into() }],
            safety: Safety::from_params(
                &[("PauseFailureRate", "5"), ("Wave.1.Count", "3"), ("WaveSuccessRate", "90")].into_iter().collect(),
            )
            .unwrap(),
        };
        assert_eq!(JobPolicy::from_params(&policy.to_params(Params::new())), Ok(policy));
    }
}
