//! Automatic pause: a batch stops pushing when too many of its latest finished tasks failed.
//! The sample is the last `PauseSampleSize` tasks that finished on their devices (succeeded, or
//! failed with a device's reason: conflicts at creation and cancellations are not in it); the
//! batch pauses when at least `PauseMinSample` are there and more than `PauseFailureRate` of
//! them failed for one of the reasons counted.

use crate::enums::TaskStatus;
use crate::params::{ParamError, Params};
use crate::task::TaskReason;

use super::Percentage;

/// Largest sample a rule may look at.
pub const MAX_SAMPLE: u32 = 10_000;
/// The sample when none is given.
pub const DEFAULT_SAMPLE: u32 = 50;

/// The failures a device causes, which a pause rule may count (all of them by default).
pub const DEVICE_FAILURES: [TaskReason; 6] = [
    TaskReason::DownloadFailed,
    TaskReason::VerifyFailed,
    TaskReason::FlashFailed,
    TaskReason::UpgradeFailed,
    TaskReason::Timeout,
    TaskReason::VersionMismatch,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseRule {
    /// Pause when more than this share of the sample failed.
    pub failure_rate: Percentage,
    /// How many of the latest finished tasks are looked at.
    pub sample: u32,
    /// Fewer finished tasks than this are not judged.
    pub min_sample: u32,
    /// The failures counted.
    pub reasons: Vec<TaskReason>,
    /// Cancel the batch's waiting tasks (`CONFIRM`, `QUEUED`) when it pauses.
    pub cancel_pending: bool,
}

/// A finished task, as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub status: TaskStatus,
    pub reason: Option<TaskReason>,
}

/// Why a rule paused its batch: `failed` of the last `sample` finished tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tripped {
    pub failed: u32,
    pub sample: u32,
}

impl PauseRule {
    /// `PauseFailureRate` and the rest; `None` without a failure rate.
    pub fn from_params(params: &Params) -> Result<Option<Self>, ParamError> {
        let others = ["PauseSampleSize", "PauseMinSample", "PauseCancelPending", "PauseReason.1"];
        let Some(rate) = params.get("PauseFailureRate") else {
            return match others.iter().find(|name| params.get(name).is_some()) {
                Some(_) => Err(ParamError::missing("PauseFailureRate")),
                None => Ok(None),
            };
        };
        let failure_rate = rate.parse::<Percentage>().map_err(|why| ParamError::invalid("PauseFailureRate", why))?;
        let sample =
            params.integer_in("PauseSampleSize", 1..=i64::from(MAX_SAMPLE))?.map_or(DEFAULT_SAMPLE, |n| n as u32);
        let min_sample = params.integer_in("PauseMinSample", 1..=i64::from(sample))?.map_or(sample, |n| n as u32);
        let mut reasons = Vec::new();
        for (i, code) in params.list("PauseReason", DEVICE_FAILURES.len())?.into_iter().enumerate() {
            let name = format!("PauseReason.{}", i + 1);
            let reason = code.parse::<TaskReason>().ok().filter(|r| DEVICE_FAILURES.contains(r)).ok_or_else(|| {
                ParamError::invalid(&name, format!("'{code}' is not a failure a device causes ({})", names()))
            })?;
            if reasons.contains(&reason) {
                return Err(ParamError::invalid(&name, format!("{code} appears twice")));
            }
            reasons.push(reason);
        }
        if reasons.is_empty() {
            reasons = DEVICE_FAILURES.to_vec();
        }
        let cancel_pending = params.flag("PauseCancelPending")?.unwrap_or(false);
        Ok(Some(Self { failure_rate, sample, min_sample, reasons, cancel_pending }))
    }

    pub fn to_params(&self, params: Params) -> Params {
        params
            .with("PauseFailureRate", self.failure_rate)
            .with("PauseSampleSize", self.sample)
            .with("PauseMinSample", self.min_sample)
            .with_list("PauseReason", &self.reasons)
            .with("PauseCancelPending", self.cancel_pending)
    }

    /// Judges the latest finished tasks, newest first (only the first `sample` count): the
    /// numbers when the batch must pause.
    pub fn judge(&self, latest: &[Finished]) -> Option<Tripped> {
        let sample: Vec<&Finished> = latest.iter().filter(|f| counts(f)).take(self.sample as usize).collect();
        let failed =
            sample.iter().filter(|f| f.status == TaskStatus::Failed && self.reasons.contains(&reason_of(f))).count();
        let (failed, sample) = (failed as u32, sample.len() as u32);
        let over = u64::from(failed) * 10_000 > u64::from(self.failure_rate.hundredths()) * u64::from(sample);
        (sample >= self.min_sample && over).then_some(Tripped { failed, sample })
    }
}

/// Whether a finished task belongs in a sample: it succeeded, or its device failed it.
fn counts(finished: &Finished) -> bool {
    match finished.status {
        TaskStatus::Succeeded => true,
        TaskStatus::Failed => DEVICE_FAILURES.contains(&reason_of(finished)),
        _ => false,
    }
}

/// A device's failure without a code is the generic one (progress −1).
fn reason_of(finished: &Finished) -> TaskReason {
    finished.reason.unwrap_or(TaskReason::UpgradeFailed)
}

fn names() -> String {
    DEVICE_FAILURES.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: Finished = Finished { status: TaskStatus::Succeeded, reason: None };
    const FLASH: Finished = Finished { status: TaskStatus::Failed, reason: Some(TaskReason::FlashFailed) };
    const TIMEOUT: Finished = Finished { status: TaskStatus::Failed, reason: Some(TaskReason::Timeout) };
    const CONFLICT: Finished = Finished { status: TaskStatus::Failed, reason: Some(TaskReason::Conflict) };

    fn rule(pairs: &[(&str, &str)]) -> PauseRule {
        let params: Params = pairs.iter().copied().collect();
        PauseRule::from_params(&params).unwrap().unwrap()
    }

    fn of(failed: usize, succeeded: usize) -> Vec<Finished> {
        let mut latest = vec![FLASH; failed];
        latest.extend(vec![OK; succeeded]);
        latest
    }

    #[test]
    fn exactly_at_the_rate_goes_on_and_one_more_failure_pauses() {
        let five = rule(&[("PauseFailureRate", "5"), ("PauseSampleSize", "40")]);
        assert_eq!(five.judge(&of(2, 38)), None, "2 of 40 is 5 %: not more than 5 %");
        assert_eq!(five.judge(&of(3, 37)), Some(Tripped { failed: 3, sample: 40 }));
    }

    #[test]
    fn a_sample_smaller_than_the_minimum_is_not_judged() {
        let strict = rule(&[("PauseFailureRate", "0"), ("PauseSampleSize", "50"), ("PauseMinSample", "20")]);
        assert_eq!(strict.judge(&of(19, 0)), None, "19 finished: not yet judged");
        assert_eq!(strict.judge(&of(20, 0)), Some(Tripped { failed: 20, sample: 20 }));
        assert_eq!(strict.judge(&of(0, 20)), None, "0 % is not more than 0 %");
    }

    #[test]
    fn only_the_latest_sample_counts() {
        let ten = rule(&[("PauseFailureRate", "10"), ("PauseSampleSize", "10")]);
        let mut latest = of(0, 10);
        latest.extend(of(50, 0));
        assert_eq!(ten.judge(&latest), None, "the old failures are beyond the last 10");
    }

    #[test]
    fn only_the_chosen_reasons_fail_and_conflicts_are_no_sample() {
        let flashing = rule(&[("PauseFailureRate", "10"), ("PauseSampleSize", "4"), ("PauseReason.1", "FLASH_FAILED")]);
        assert_eq!(flashing.judge(&[TIMEOUT, TIMEOUT, OK, OK]), None, "timeouts are not counted");
        assert_eq!(
            flashing.judge(&[CONFLICT, CONFLICT, CONFLICT, FLASH, OK, OK, OK]),
            Some(Tripped { failed: 1, sample: 4 })
        );
        let all = rule(&[("PauseFailureRate", "10"), ("PauseSampleSize", "4")]);
        assert_eq!(all.reasons, DEVICE_FAILURES);
        let uncoded = Finished { status: TaskStatus::Failed, reason: None };
        assert_eq!(all.judge(&[uncoded, OK, OK, OK]), Some(Tripped { failed: 1, sample: 4 }));
    }

    #[test]
    fn a_rule_needs_its_rate_and_sound_values() {
        let refused = |pairs: &[(&str, &str)]| {
            let params: Params = pairs.iter().copied().collect();
            PauseRule::from_params(&params).unwrap_err().param.unwrap()
        };
        assert_eq!(refused(&[("PauseSampleSize", "10")]), "PauseFailureRate");
        assert_eq!(refused(&[("PauseFailureRate", "100.5")]), "PauseFailureRate");
        assert_eq!(refused(&[("PauseFailureRate", "5"), ("PauseSampleSize", "10001")]), "PauseSampleSize");
        assert_eq!(
            refused(&[("PauseFailureRate", "5"), ("PauseSampleSize", "10"), ("PauseMinSample", "11")]),
            "PauseMinSample"
        );
        assert_eq!(refused(&[("PauseFailureRate", "5"), ("PauseReason.1", "CONFLICT")]), "PauseReason.1");
        assert_eq!(
            refused(&[("PauseFailureRate", "5"), ("PauseReason.1", "TIMEOUT"), ("PauseReason.2", "TIMEOUT")]),
            "PauseReason.2"
        );
        let params: Params = [("PauseFailureRate", "2.5")].into_iter().collect();
        let rule = PauseRule::from_params(&params).unwrap().unwrap();
        assert_eq!((rule.sample, rule.min_sample, rule.cancel_pending), (DEFAULT_SAMPLE, DEFAULT_SAMPLE, false));
        assert_eq!(PauseRule::from_params(&rule.to_params(Params::new())).unwrap().unwrap(), rule);
    }
}
