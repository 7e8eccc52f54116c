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

    /// Reads `RateType` and the variable rate's parameters; `maximum` is the batch's
    /// `MaximumPerMinute`, above which it cannot start.
    pub fn from_params(params: &Params, maximum: u32) -> Result<Self, ParamError> {
        let rate_type = params.parse::<RateType>("RateType")?.unwrap_or(RateType::Constant);
        match rate_type {
            RateType::Constant => {
                for name in ["StartPerMinute", "GrowthFactor", "GrowthEvery", "GrowthOn"] {
                    if params.get(name).is_some() {
                        return Err(ParamError::invalid(name, "only a variable rate (RateType=VARIABLE) takes it"));
                    }
                }
                Ok(Self::Constant)
            }
            RateType::Variable => Ok(Self::Variable(growth(params, maximum, None)?)),
        }
    }

    /// A constant rate writes nothing, so that requests to a plain Alibaba backend carry no
    /// extension parameters.
    pub fn to_params(self, params: Params) -> Params {
        match self {
            Self::Constant => params,
            Self::Variable(growth) => with_growth(params.with("RateType", RateType::Variable), growth),
        }
    }

    /// An edit of a running batch's rate (UpdateOTAJob): values given replace the current
    /// ones; a different `RateType` is refused.
    pub fn edited(self, params: &Params, maximum: u32) -> Result<Self, ParamError> {
        if let Some(asked) = params.parse::<RateType>("RateType")?
            && asked != self.rate_type()
        {
            return Err(ParamError::invalid("RateType", "a running batch keeps its rate type"));
        }
        match self {
            Self::Constant => Self::from_params(params, maximum),
            Self::Variable(current) => Ok(Self::Variable(growth(params, maximum, Some(current))?)),
        }
    }
}

/// A variable rate's parameters; those not given come from `current`, or are missing.
fn growth(params: &Params, maximum: u32, current: Option<Growth>) -> Result<Growth, ParamError> {
    let start = params.integer_in("StartPerMinute", 1..=i64::from(maximum))?.map(|n| n as u32);
    let factor = params.parse::<GrowthFactor>("GrowthFactor")?;
    let every = params.integer_in("GrowthEvery", 1..=1_000_000)?.map(|n| n as u32);
    let on = params.parse::<GrowthOn>("GrowthOn")?;
    Ok(Growth {
        start_per_minute: given_or_current("StartPerMinute", start, current.map(|c| c.start_per_minute))?,
        factor: given_or_current("GrowthFactor", factor, current.map(|c| c.factor))?,
        every: given_or_current("GrowthEvery", every, current.map(|c| c.every))?,
        on: on.or(current.map(|c| c.on)).unwrap_or(GrowthOn::Notified),
    })
}

fn given_or_current<T>(name: &str, given: Option<T>, current: Option<T>) -> Result<T, ParamError> {
    given.or(current).ok_or_else(|| ParamError::missing(name))
}

fn with_growth(params: Params, growth: Growth) -> Params {
    params
        .with("StartPerMinute", growth.start_per_minute)
        .with("GrowthFactor", growth.factor)
        .with("GrowthEvery", growth.every)
        .with("GrowthOn", growth.on)
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

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().copied().collect()
    }

    #[test]
    fn a_variable_rate_needs_its_start_factor_and_step_within_their_ranges() {
        let full = [("RateType", "VARIABLE"), ("StartPerMinute", "20"), ("GrowthFactor", "1.5"), ("GrowthEvery", "50")];
        assert_eq!(PushRate::from_params(&params(&full), 1000), Ok(variable(20, "1.5", 50, GrowthOn::Notified)));
        assert_eq!(PushRate::from_params(&params(&full[..3]), 1000).unwrap_err().code, "MissingGrowthEvery");
        let too_fast =
            [("RateType", "VARIABLE"), ("StartPerMinute", "2000"), ("GrowthFactor", "2"), ("GrowthEvery", "5")];
        assert!(PushRate::from_params(&params(&too_fast), 1000).is_err(), "it cannot start above its maximum");
        for factor in ["1", "5.01", "1.111", "x"] {
            let bad =
                [("RateType", "VARIABLE"), ("StartPerMinute", "20"), ("GrowthFactor", factor), ("GrowthEvery", "5")];
            assert!(PushRate::from_params(&params(&bad), 1000).is_err(), "{factor}");
        }
        assert!(PushRate::from_params(&params(&[("GrowthFactor", "2")]), 1000).is_err(), "constant takes no growth");
        assert_eq!(PushRate::from_params(&Params::new(), 1000), Ok(PushRate::Constant));
    }

    #[test]
    fn a_running_batch_changes_its_rate_values_but_not_its_type() {
        let rate = variable(20, "1.5", 50, GrowthOn::Notified);
        assert_eq!(rate.edited(&params(&[("GrowthFactor", "3")]), 1000), Ok(variable(20, "3", 50, GrowthOn::Notified)));
        assert_eq!(rate.edited(&Params::new(), 1000), Ok(rate));
        assert!(rate.edited(&params(&[("RateType", "CONSTANT")]), 1000).is_err());
        assert!(PushRate::Constant.edited(&params(&[("RateType", "VARIABLE")]), 1000).is_err());
        assert!(PushRate::Constant.edited(&params(&[("StartPerMinute", "5")]), 1000).is_err());
    }

    #[test]
    fn a_rate_writes_itself_back_as_it_was_read() {
        for rate in [PushRate::Constant, variable(15, "1.25", 7, GrowthOn::Succeeded)] {
            assert_eq!(PushRate::from_params(&rate.to_params(Params::new()), 1000), Ok(rate));
        }
    }
}
