//! Waves: a static batch's devices split into ordered groups, each pushed only once the one
//! before it has shown the firmware works (or an operator starts it). Sizes are given as
//! shares of the batch or as counts; whatever they leave is one last wave. Devices are drawn
//! into waves by a stable shuffle of the batch's ID and theirs, so that a plan is reproducible.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::extensions::TaskCounts;
use crate::job::create::GrayPercent;
use crate::params::{ParamError, Params};
use crate::time::UtcTime;

use super::Percentage;

/// Waves given at most; the rest makes one more.
pub const MAX_WAVES: usize = 10;
/// Longest soak, a week.
pub const MAX_SOAK_MINUTES: u32 = 7 * 24 * 60;
const MAX_COUNT: i64 = 1_000_000;

/// How big a wave is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveSize {
    /// A share of the batch's devices: rounded down, at least one.
    Percent(GrayPercent),
    Count(u32),
}

/// When the next wave starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promotion {
    /// Only when an operator starts it.
    Manual,
    /// When at least `min_finished` of the wave's devices finished (all of them, when `None`)
    /// and at least `success_rate` of those succeeded, and that has held for `soak_minutes`.
    Auto { min_finished: Option<u32>, success_rate: Percentage, soak_minutes: u32 },
}

wire_str_enum! {
    /// `WavePromotion`: how waves start.
    pub enum PromotionMode {
        Auto = "AUTO",
        Manual = "MANUAL",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waves {
    /// The waves given, in order; the devices they leave make one more.
    pub sizes: Vec<WaveSize>,
    pub promotion: Promotion,
}

/// What a running wave's rule says now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveDecision {
    /// Start the next wave.
    Promote,
    /// The rule holds; the next wave starts at `until` if it still does.
    Soaking { since: UtcTime, until: UtcTime },
    /// The rule does not hold (yet), or waits for an operator.
    Wait,
}

impl Waves {
    /// `Wave.N.Percent` or `Wave.N.Count`, and the promotion rule; `None` without waves.
    pub fn from_params(params: &Params) -> Result<Option<Self>, ParamError> {
        let records = params.records("Wave", MAX_WAVES)?;
        let rule = ["WavePromotion", "WaveMinFinished", "WaveSuccessRate", "WaveSoakMinutes"];
        if records.is_empty() {
            return match rule.iter().find(|name| params.get(name).is_some()) {
                Some(_) => Err(ParamError::missing("Wave.1.Percent")),
                None => Ok(None),
            };
        }
        let mut sizes = Vec::with_capacity(records.len());
        let mut percent_total = 0u64;
        for (i, record) in records.iter().enumerate() {
            let name = |field: &str| format!("Wave.{}.{field}", i + 1);
            let size = match (record.get("Percent"), record.get("Count")) {
                (Some(percent), None) => {
                    let percent: GrayPercent =
                        percent.parse().map_err(|why| ParamError::invalid(&name("Percent"), why))?;
                    percent_total += percent.of(100_000);
                    WaveSize::Percent(percent)
                }
                (None, Some(count)) => match count.parse::<i64>() {
                    Ok(n @ 1..=MAX_COUNT) => WaveSize::Count(n as u32),
                    _ => {
                        return Err(ParamError::invalid(
                            &name("Count"),
                            format!("'{count}' is not a count from 1 to {MAX_COUNT}"),
                        ));
                    }
                },
                (Some(_), Some(_)) => {
                    return Err(ParamError::invalid(&name("Count"), "give a wave a Percent or a Count, not both"));
                }
                (None, None) => return Err(ParamError::missing(&name("Percent"))),
            };
            sizes.push(size);
        }
        if percent_total > 100_000 {
            return Err(ParamError::invalid("Wave.N.Percent", "the waves' shares add up to more than 100"));
        }
        Ok(Some(Self { sizes, promotion: promotion(params)? }))
    }

    pub fn to_params(&self, mut params: Params) -> Params {
        for (i, size) in self.sizes.iter().enumerate() {
            params = match size {
                WaveSize::Percent(percent) => params.with(&format!("Wave.{}.Percent", i + 1), percent),
                WaveSize::Count(count) => params.with(&format!("Wave.{}.Count", i + 1), count),
            };
        }
        match self.promotion {
            Promotion::Manual => params.with("WavePromotion", PromotionMode::Manual),
            Promotion::Auto { min_finished, success_rate, soak_minutes } => params
                .with("WavePromotion", PromotionMode::Auto)
                .with_opt("WaveMinFinished", min_finished)
                .with("WaveSuccessRate", success_rate)
                .with("WaveSoakMinutes", soak_minutes),
        }
    }

    /// Each wave's number of devices for a batch of `total`. Shares are summed before they
    /// are rounded down (50 % and 50 % of 9 are 4 and 5), counts added as they are, each wave
    /// at least one device and at most what is left; the rest is one more wave, and waves
    /// left empty are dropped.
    pub fn split(&self, total: usize) -> Vec<usize> {
        let total = total as u64;
        let (mut thousandths, mut counted, mut taken) = (0u64, 0u64, 0u64);
        let mut split = Vec::new();
        for size in &self.sizes {
            let boundary = match size {
                WaveSize::Percent(percent) => {
                    thousandths += percent.of(100_000);
                    (total * thousandths / 100_000 + counted).max(taken + 1)
                }
                WaveSize::Count(count) => {
                    counted += u64::from(*count);
                    taken + u64::from(*count)
                }
            };
            let boundary = boundary.min(total);
            if boundary > taken {
                split.push((boundary - taken) as usize);
                taken = boundary;
            }
        }
        if total > taken {
            split.push((total - taken) as usize);
        }
        split
    }

    /// The wave (from 1) of each device, in the order of `devices`: a stable shuffle of the
    /// batch `seed` with each device's ID decides who goes first.
    pub fn assign(&self, seed: &str, devices: &[&str]) -> Vec<u32> {
        let mut order: Vec<usize> = (0..devices.len()).collect();
        order.sort_by_cached_key(|&i| {
            Sha256::new().chain_update(seed).chain_update([0]).chain_update(devices[i]).finalize()
        });
        let mut waves = vec![0; devices.len()];
        let mut drawn = order.into_iter();
        for (wave, size) in self.split(devices.len()).into_iter().enumerate() {
            for device in drawn.by_ref().take(size) {
                waves[device] = wave as u32 + 1;
            }
        }
        waves
    }

    /// What the running wave's rule says, `met_since` being when it last started to hold.
    pub fn decide(&self, counts: &TaskCounts, met_since: Option<UtcTime>, now: UtcTime) -> WaveDecision {
        let Promotion::Auto { min_finished, success_rate, soak_minutes } = self.promotion else {
            return WaveDecision::Wait;
        };
        let can_finish = counts.total.saturating_sub(counts.canceled);
        let needed = min_finished.map_or(can_finish, |n| u64::from(n).min(can_finish));
        let finished = counts.succeeded + counts.failed;
        let rate_holds = counts.succeeded * 10_000 >= u64::from(success_rate.hundredths()) * finished;
        if finished < needed || !rate_holds {
            return WaveDecision::Wait;
        }
        let since = met_since.unwrap_or(now);
        let until = UtcTime(since.0 + chrono::TimeDelta::minutes(i64::from(soak_minutes)));
        if now >= until { WaveDecision::Promote } else { WaveDecision::Soaking { since, until } }
    }
}

fn promotion(params: &Params) -> Result<Promotion, ParamError> {
    let mode = params.parse::<PromotionMode>("WavePromotion")?.unwrap_or(PromotionMode::Auto);
    if mode == PromotionMode::Manual {
        if let Some(name) =
            ["WaveMinFinished", "WaveSuccessRate", "WaveSoakMinutes"].iter().find(|n| params.get(n).is_some())
        {
            return Err(ParamError::invalid(name, "manual waves start when an operator says so: they take no rule"));
        }
        return Ok(Promotion::Manual);
    }
    let success_rate = params
        .get("WaveSuccessRate")
        .ok_or_else(|| ParamError::missing("WaveSuccessRate"))?
        .parse::<Percentage>()
        .map_err(|why| ParamError::invalid("WaveSuccessRate", why))?;
    Ok(Promotion::Auto {
        min_finished: params.integer_in("WaveMinFinished", 1..=MAX_COUNT)?.map(|n| n as u32),
        success_rate,
        soak_minutes: params.integer_in("WaveSoakMinutes", 0..=i64::from(MAX_SOAK_MINUTES))?.unwrap_or(0) as u32,
    })
}

impl fmt::Display for WaveSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Percent(percent) => write!(f, "{percent}%"),
            Self::Count(count) => write!(f, "{count}"),
        }
    }
}

impl FromStr for WaveSize {
    type Err = String;

    /// `1%` or `20`, as the console's wave field takes them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text.strip_suffix('%') {
            Some(percent) => Ok(Self::Percent(percent.trim().parse()?)),
            None => match text.parse::<i64>() {
                Ok(n @ 1..=MAX_COUNT) => Ok(Self::Count(n as u32)),
                _ => Err(format!("'{text}' is neither a share such as 10% nor a count from 1 to {MAX_COUNT}")),
            },
        }
    }
}

#[cfg(test)]
#[path = "waves_tests.rs"]
mod tests;
