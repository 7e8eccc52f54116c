//! The batch wizard's safety fields: waves, the pause rule and windows as the operator fills
//! them in. They become the API's parameters, so that the rules that check them are the
//! server's own (`Safety::problems`), each naming its parameter.

use crate::params::Params;
use crate::task::TaskReason;

use super::pause::{DEFAULT_SAMPLE, DEVICE_FAILURES};
use super::waves::PromotionMode;

/// One maintenance window's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRow {
    /// Monday first.
    pub days: [bool; 7],
    /// `HH:MM`, as the time input gives it.
    pub start: String,
    pub end: String,
}

impl Default for WindowRow {
    /// Tuesday to Thursday, 01:00–05:00: a common quiet time, for the operator to change.
    fn default() -> Self {
        Self { days: [false, true, true, true, false, false, false], start: "01:00".into(), end: "05:00".into() }
    }
}

impl WindowRow {
    /// `MON,WED`, as `MaintenanceWindow.N.Days` takes them.
    pub fn days_param(&self) -> String {
        const NAMES: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
        let chosen: Vec<&str> = NAMES.iter().zip(self.days).filter(|(_, on)| *on).map(|(name, _)| *name).collect();
        chosen.join(",")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyForm {
    pub waves_on: bool,
    /// The waves before the rest, separated like other lists: `1%, 10%, 50%` or `20, 200`.
    pub waves: String,
    pub promotion: PromotionMode,
    /// Blank: the whole wave.
    pub min_finished: String,
    pub success_rate: String,
    /// Blank or 0: none.
    pub soak_minutes: String,
    pub pause_on: bool,
    pub failure_rate: String,
    pub sample: String,
    pub min_sample: String,
    /// The failures counted; all of them is the API's default.
    pub reasons: Vec<TaskReason>,
    pub cancel_pending: bool,
    pub windows_on: bool,
    pub zone: String,
    pub windows: Vec<WindowRow>,
}

impl Default for SafetyForm {
    /// Everything off; when switched on, values a cautious operator would start from.
    fn default() -> Self {
        Self {
            waves_on: false,
            waves: "1%, 10%, 50%".into(),
            promotion: PromotionMode::Auto,
            min_finished: "20".into(),
            success_rate: "95".into(),
            soak_minutes: String::new(),
            pause_on: false,
            failure_rate: "5".into(),
            sample: DEFAULT_SAMPLE.to_string(),
            min_sample: "20".into(),
            reasons: DEVICE_FAILURES.to_vec(),
            cancel_pending: false,
            windows_on: false,
            zone: "UTC".into(),
            windows: vec![WindowRow::default()],
        }
    }
}

impl SafetyForm {
    /// Adds the parts switched on; waves only where the batch can have them (`with_waves`).
    pub fn with_params(&self, mut params: Params, with_waves: bool) -> Params {
        if self.waves_on && with_waves {
            for (i, size) in super::super::form::entries(&self.waves).into_iter().enumerate() {
                let n = i + 1;
                match size.strip_suffix('%') {
                    Some(percent) => params.push(format!("Wave.{n}.Percent"), percent.trim()),
                    None => params.push(format!("Wave.{n}.Count"), size),
                }
            }
            if super::super::form::entries(&self.waves).is_empty() {
                params.push("Wave.1.Percent", "");
            }
            params = params.with("WavePromotion", self.promotion);
            if self.promotion == PromotionMode::Auto {
                params = params
                    .with("WaveSuccessRate", self.success_rate.trim())
                    .with("WaveMinFinished", self.min_finished.trim())
                    .with("WaveSoakMinutes", self.soak_minutes.trim());
            }
        }
        if self.pause_on {
            params = params
                .with("PauseFailureRate", self.failure_rate.trim())
                .with("PauseSampleSize", self.sample.trim())
                .with("PauseMinSample", self.min_sample.trim())
                .with("PauseCancelPending", self.cancel_pending);
            // All of them is the default; an empty choice is refused rather than read as all.
            let reasons: Vec<&TaskReason> = DEVICE_FAILURES.iter().filter(|r| self.reasons.contains(r)).collect();
            if reasons.is_empty() {
                params.push("PauseReason.1", "NONE");
            } else if reasons.len() < DEVICE_FAILURES.len() {
                params = params.with_list("PauseReason", reasons);
            }
        }
        if self.windows_on {
            params = params.with("MaintenanceTimeZone", self.zone.trim());
            for (i, row) in self.windows.iter().enumerate() {
                let n = i + 1;
                params.push(format!("MaintenanceWindow.{n}.Days"), row.days_param());
                params.push(format!("MaintenanceWindow.{n}.Start"), row.start.trim());
                params.push(format!("MaintenanceWindow.{n}.End"), row.end.trim());
            }
        }
        params
    }
}
