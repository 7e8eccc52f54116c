//! What a static batch takes (§3.11): all devices, named ones, a list file, a share or a group,
//! and when it runs.

use std::fmt;
use std::str::FromStr;

use super::{MAX_NAMED_DEVICES, device_names};
use crate::decimal;
use crate::enums::{GroupType, TargetSelection};
use crate::params::{ParamError, Params, Rule};
use crate::rules;
use crate::time::UtcTime;

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

    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
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

    pub fn to_params(&self, params: Params) -> Params {
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

    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { start: params.instant("ScheduleTime")?, finish: params.instant("ScheduleFinishTime")? })
    }

    pub fn to_params(&self, params: Params) -> Params {
        params
            .with_opt("ScheduleTime", self.start.map(UtcTime::millis))
            .with_opt("ScheduleFinishTime", self.finish.map(UtcTime::millis))
    }

    /// The documented windows: the start 5 minutes to 7 days from `now`, the end 1 hour to
    /// 30 days after the start (or after `now` without a start).
    pub fn check(&self, now: UtcTime) -> Result<(), ParamError> {
        if let Some(start) = self.start {
            let ahead = start.millis() - now.millis();
            if !(5 * Self::MINUTE..=7 * Self::DAY).contains(&ahead) {
                let rule = Rule::TimeRange { min_minutes: 5, max_minutes: 7 * 24 * 60, from_start: false };
                return Err(ParamError::broke("ScheduleTime", rule, "the start must be 5 minutes to 7 days from now"));
            }
        }
        if let Some(finish) = self.finish {
            let after = finish.millis() - self.start.unwrap_or(now).millis();
            if !(Self::HOUR..=30 * Self::DAY).contains(&after) {
                let rule = Rule::TimeRange { min_minutes: 60, max_minutes: 30 * 24 * 60, from_start: true };
                return Err(ParamError::broke(
                    "ScheduleFinishTime",
                    rule,
                    "the end must be 1 hour to 30 days after the start",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().copied().collect()
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
        let all = StaticTarget::from_params(&params(&[("TargetSelection", "ALL")])).unwrap();
        assert_eq!(all, StaticTarget::All);
        let err = StaticTarget::from_params(&params(&[("TargetSelection", "SPECIFIC")])).unwrap_err();
        assert_eq!(err.code, "MissingTargetDeviceName.1");
        let both = params(&[
            ("TargetSelection", "SPECIFIC"),
            ("TargetDeviceName.1", "meter-0001"),
            ("DnListFileUrl", "http://h/l.csv"),
        ]);
        assert!(StaticTarget::from_params(&both).unwrap_err().message.contains("not both"));
        let gray = params(&[("TargetSelection", "GRAY")]);
        assert_eq!(StaticTarget::from_params(&gray).unwrap_err().code, "MissingGrayPercent");
        let group = params(&[("TargetSelection", "GROUP"), ("GroupId", "g1"), ("GroupType", "LINK_PLATFORM_DYNAMIC")]);
        assert!(StaticTarget::from_params(&group).is_err());
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
}
