//! How fast a batch pushes (§7.4). Alibaba's API has one number, `MaximumPerMinute`, a
//! constant rate. Its console also offers a variable rate whose parameters it never published;
//! ours is an extension: start at `StartPerMinute`, multiply by `GrowthFactor` each time
//! another `GrowthEvery` devices were notified (or succeeded, by `GrowthOn`), never above
//! `MaximumPerMinute`. While a batch runs its values can change, its type cannot.

use std::fmt;
use std::str::FromStr;

use crate::decimal;
use crate::params::{ParamError, Params};

wire_str_enum! {
    /// `RateType` (extension): constant or variable.
    pub enum RateType {
        Constant = "CONSTANT",
        Variable = "VARIABLE",
    }
}

wire_str_enum! {
    /// `GrowthOn` (extension): what a variable rate counts to grow.
    pub enum GrowthOn {
        Notified = "NOTIFIED",
        Succeeded = "SUCCEEDED",
    }
}

/// `GrowthFactor`: 1.1 to 5, at most two decimals; kept in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrowthFactor(u16);

impl FromStr for GrowthFactor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match decimal::parse_scaled(text, 2) {
            Some(value @ 110..=500) => Ok(Self(value as u16)),
            Some(_) => Err(format!("{text} is not from 1.1 to 5")),
            None => Err(format!("'{text}' is not a number with at most two decimals")),
        }
    }
}

impl fmt::Display for GrowthFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&decimal::format_scaled(u64::from(self.0), 2))
    }
}

impl GrowthFactor {
    /// The factor in hundredths, as stored: 150 is 1.5.
    pub fn hundredths(self) -> u16 {
        self.0
    }

    pub fn from_hundredths(value: u16) -> Option<Self> {
        (110..=500).contains(&value).then_some(Self(value))
    }
}

/// A variable rate's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Growth {
    pub start_per_minute: u32,
    pub factor: GrowthFactor,
    /// Grow each time this many more devices were notified (or succeeded).
    pub every: u32,
    pub on: GrowthOn,
}

/// The push rate besides its maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PushRate {
    /// Always `MaximumPerMinute`.
    #[default]
    Constant,
    Variable(Growth),
}

/// The rate parameters a request gives, each optional: a new batch's, or an edit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateParams {
    pub rate_type: Option<RateType>,
    pub start_per_minute: Option<u32>,
    pub factor: Option<GrowthFactor>,
    pub every: Option<u32>,
    pub on: Option<GrowthOn>,
}

impl RateParams {
    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        let count = |name: &str| params.integer_in(name, 1..=1_000_000).map(|n| n.map(|n| n as u32));
        Ok(Self {
            rate_type: params.parse("RateType")?,
            start_per_minute: count("StartPerMinute")?,
            factor: params.parse("GrowthFactor")?,
            every: count("GrowthEvery")?,
            on: params.parse("GrowthOn")?,
        })
    }

    pub fn to_params(&self, params: Params) -> Params {
        params
            .with_opt("RateType", self.rate_type)
            .with_opt("StartPerMinute", self.start_per_minute)
            .with_opt("GrowthFactor", self.factor)
            .with_opt("GrowthEvery", self.every)
            .with_opt("GrowthOn", self.on)
    }

    fn names_growth(&self) -> bool {
        self.start_per_minute.is_some() || self.factor.is_some() || self.every.is_some() || self.on.is_some()
    }
}

impl PushRate {
    pub fn rate_type(self) -> RateType {
        match self {
            Self::Constant => RateType::Constant,
            Self::Variable(_) => RateType::Variable,
        }
    }

    /// Devices per minute, now that `notified` devices were notified and `succeeded` succeeded.
    pub fn per_minute(self, maximum: u32, notified: u64, succeeded: u64) -> u32 {
        let Self::Variable(growth) = self else { return maximum };
        let counted = match growth.on {
            GrowthOn::Notified => notified,
            GrowthOn::Succeeded => succeeded,
        };
        let steps = counted / u64::from(growth.every.max(1));
        let mut rate = u64::from(growth.start_per_minute);
        for _ in 0..steps {
            if rate >= u64::from(maximum) {
                break;
            }
            // Rounded up, so that even a rate of 1 grows.
            rate = (rate * u64::from(growth.factor.0)).div_ceil(100);
        }
        rate.min(u64::from(maximum)) as u32
    }

    /// A new batch's rate; `maximum` is its `MaximumPerMinute`, above which it cannot start.
    pub fn new(given: &RateParams, maximum: u32) -> Result<Self, ParamError> {
        match given.rate_type.unwrap_or(RateType::Constant) {
            RateType::Constant if given.names_growth() => {
                Err(ParamError::invalid("RateType", "growth parameters need a variable rate (RateType=VARIABLE)"))
            }
            RateType::Constant => Ok(Self::Constant),
            RateType::Variable => Ok(Self::Variable(growth(given, None, maximum)?)),
        }
    }

    /// Every rule a new batch's rate parameters break, not only the first that [`Self::new`]
    /// stops at: for a form, to show each beside its field.
    pub fn problems(params: &Params, maximum: u32) -> Vec<ParamError> {
        const NAMES: [&str; 5] = ["RateType", "StartPerMinute", "GrowthFactor", "GrowthEvery", "GrowthOn"];
        // Each value read on its own, so that one malformed value hides no other.
        let alone = |name: &str| params.get(name).map_or_else(Params::new, |value| Params::new().with(name, value));
        let malformed: Vec<ParamError> =
            NAMES.iter().filter_map(|name| RateParams::from_params(&alone(name)).err()).collect();
        let Ok(given) = RateParams::from_params(params) else { return malformed };
        if given.rate_type == Some(RateType::Variable) {
            let missing: Vec<ParamError> = [
                ("StartPerMinute", given.start_per_minute.is_none()),
                ("GrowthFactor", given.factor.is_none()),
                ("GrowthEvery", given.every.is_none()),
            ]
            .into_iter()
            .filter(|(_, missing)| *missing)
            .map(|(name, _)| ParamError::missing(name))
            .collect();
            if !missing.is_empty() {
                return missing;
            }
        }
        Self::new(&given, maximum).err().into_iter().collect()
    }

    /// The rate after an edit of a running batch (UpdateOTAJob): values given replace the
    /// current ones; another rate type is refused.
    pub fn edited(self, given: &RateParams, maximum: u32) -> Result<Self, ParamError> {
        if given.rate_type.is_some_and(|asked| asked != self.rate_type()) {
            return Err(ParamError::invalid("RateType", "a running batch keeps its rate type"));
        }
        match self {
            Self::Constant => Self::new(given, maximum),
            Self::Variable(current) => Ok(Self::Variable(growth(given, Some(current), maximum)?)),
        }
    }

    /// What the rate writes into a request or an answer. A constant rate writes nothing, so
    /// that requests to a plain Alibaba backend carry no extension parameters.
    pub fn to_params(self) -> RateParams {
        match self {
            Self::Constant => RateParams::default(),
            Self::Variable(growth) => RateParams {
                rate_type: Some(RateType::Variable),
                start_per_minute: Some(growth.start_per_minute),
                factor: Some(growth.factor),
                every: Some(growth.every),
                on: Some(growth.on),
            },
        }
    }
}

/// A variable rate from the values given, the others taken from `current` or missing.
fn growth(given: &RateParams, current: Option<Growth>, maximum: u32) -> Result<Growth, ParamError> {
    fn given_or_current<T>(name: &str, given: Option<T>, current: Option<T>) -> Result<T, ParamError> {
        given.or(current).ok_or_else(|| ParamError::missing(name))
    }
    let growth = Growth {
        start_per_minute: given_or_current(
            "StartPerMinute",
            given.start_per_minute,
            current.map(|c| c.start_per_minute),
        )?,
        factor: given_or_current("GrowthFactor", given.factor, current.map(|c| c.factor))?,
        every: given_or_current("GrowthEvery", given.every, current.map(|c| c.every))?,
        on: given.on.or(current.map(|c| c.on)).unwrap_or(GrowthOn::Notified),
    };
    if growth.start_per_minute > maximum {
        return Err(ParamError::invalid(
            "StartPerMinute",
            format!("{} is above MaximumPerMinute ({maximum})", growth.start_per_minute),
        ));
    }
    Ok(growth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(start: u32, factor: &str, every: u32, on: GrowthOn) -> PushRate {
        PushRate::Variable(Growth { start_per_minute: start, factor: factor.parse().unwrap(), every, on })
    }

    #[test]
    fn a_constant_rate_is_the_maximum() {
        assert_eq!(PushRate::Constant.per_minute(500, 10_000, 9_000), 500);
    }

    #[test]
    fn a_variable_rate_grows_by_its_factor_per_step_up_to_the_maximum() {
        let rate = variable(50, "2", 100, GrowthOn::Notified);
        assert_eq!(rate.per_minute(1000, 0, 0), 50);
        assert_eq!(rate.per_minute(1000, 99, 0), 50);
        assert_eq!(rate.per_minute(1000, 100, 0), 100);
        assert_eq!(rate.per_minute(1000, 350, 0), 400);
        assert_eq!(rate.per_minute(1000, 400, 0), 800);
        assert_eq!(rate.per_minute(1000, 500, 0), 1000, "1,600 is capped");
        assert_eq!(rate.per_minute(1000, u64::MAX, 0), 1000, "no overflow however far it went");
        let on_success = variable(10, "1.5", 20, GrowthOn::Succeeded);
        assert_eq!(on_success.per_minute(1000, 5000, 19), 10, "notifications do not count");
        assert_eq!(on_success.per_minute(1000, 5000, 40), 23, "10 → 15 → 22.5, rounded up");
        assert_eq!(variable(1, "1.1", 1, GrowthOn::Notified).per_minute(100, 0, 3), 1);
        assert_eq!(variable(1, "1.1", 1, GrowthOn::Notified).per_minute(100, 3, 0), 4, "a rate of 1 grows too");
    }

    fn params(pairs: &[(&str, &str)]) -> RateParams {
        RateParams::from_params(&pairs.iter().copied().collect()).unwrap()
    }

    fn new_rate(pairs: &[(&str, &str)], maximum: u32) -> Result<PushRate, ParamError> {
        PushRate::new(&params(pairs), maximum)
    }

    #[test]
    fn a_variable_rate_needs_its_start_factor_and_step_within_their_ranges() {
        let full = [("RateType", "VARIABLE"), ("StartPerMinute", "20"), ("GrowthFactor", "1.5"), ("GrowthEvery", "50")];
        assert_eq!(new_rate(&full, 1000), Ok(variable(20, "1.5", 50, GrowthOn::Notified)));
        assert_eq!(new_rate(&full[..3], 1000).unwrap_err().code, "MissingGrowthEvery");
        let too_fast =
            [("RateType", "VARIABLE"), ("StartPerMinute", "2000"), ("GrowthFactor", "2"), ("GrowthEvery", "5")];
        assert!(new_rate(&too_fast, 1000).is_err(), "it cannot start above its maximum");
        for factor in ["1", "5.01", "1.111", "x"] {
            let bad: Params = [("GrowthFactor", factor)].into_iter().collect();
            assert!(RateParams::from_params(&bad).is_err(), "{factor}");
        }
        assert!(new_rate(&[("GrowthFactor", "2")], 1000).is_err(), "constant takes no growth");
        assert_eq!(new_rate(&[], 1000), Ok(PushRate::Constant));
    }

    #[test]
    fn a_form_hears_of_every_rate_value_wrong_at_once() {
        let names = |pairs: &[(&str, &str)], maximum: u32| -> Vec<String> {
            let params: Params = pairs.iter().copied().collect();
            PushRate::problems(&params, maximum).into_iter().filter_map(|p| p.param).collect()
        };
        assert_eq!(names(&[("RateType", "VARIABLE")], 1000), ["StartPerMinute", "GrowthFactor", "GrowthEvery"]);
        let malformed =
            [("RateType", "VARIABLE"), ("StartPerMinute", "0"), ("GrowthFactor", "9"), ("GrowthEvery", "1")];
        assert_eq!(names(&malformed, 1000), ["StartPerMinute", "GrowthFactor"]);
        let too_fast =
            [("RateType", "VARIABLE"), ("StartPerMinute", "500"), ("GrowthFactor", "2"), ("GrowthEvery", "1")];
        assert_eq!(names(&too_fast, 100), ["StartPerMinute"]);
        assert!(names(&too_fast, 1000).is_empty());
        assert_eq!(names(&[("GrowthEvery", "5")], 1000), ["RateType"], "growth needs a variable rate");
        assert!(names(&[], 1000).is_empty());
    }

    #[test]
    fn a_running_batch_changes_its_rate_values_but_not_its_type() {
        let rate = variable(20, "1.5", 50, GrowthOn::Notified);
        assert_eq!(rate.edited(&params(&[("GrowthFactor", "3")]), 1000), Ok(variable(20, "3", 50, GrowthOn::Notified)));
        assert_eq!(rate.edited(&RateParams::default(), 1000), Ok(rate));
        assert!(rate.edited(&RateParams::default(), 10).is_err(), "a lower maximum than its start");
        assert!(rate.edited(&params(&[("RateType", "CONSTANT")]), 1000).is_err());
        assert!(PushRate::Constant.edited(&params(&[("RateType", "VARIABLE")]), 1000).is_err());
        assert!(PushRate::Constant.edited(&params(&[("StartPerMinute", "5")]), 1000).is_err());
    }

    #[test]
    fn a_rate_writes_itself_back_as_it_was_read() {
        for rate in [PushRate::Constant, variable(15, "1.25", 7, GrowthOn::Succeeded)] {
            let written = rate.to_params().to_params(Params::new());
            assert_eq!(PushRate::new(&RateParams::from_params(&written).unwrap(), 1000), Ok(rate));
        }
        assert!(PushRate::Constant.to_params().to_params(Params::new()).pairs().is_empty());
    }
}
