//! What QueryOTAJob tells of a batch's safety: its rules as given, and where it stands (the
//! running wave, a pause and why, the windows). Every field is absent on a batch without them.

use serde::{Deserialize, Serialize};

use crate::extensions::TaskCounts;
use crate::params::Params;
use crate::task::TaskReason;
use crate::time::UtcTime;

use super::pause::Tripped;
use super::waves::{Promotion, PromotionMode};
use super::{Safety, windows};

wire_str_enum! {
    /// Who paused a batch.
    pub enum PausedBy {
        /// Its pause rule, when too many devices failed.
        Rule = "RULE",
        /// An operator (PauseOTAJob).
        Operator = "OPERATOR",
    }
}

/// Why and since when a batch is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PauseCause {
    pub by: PausedBy,
    pub at: UtcTime,
    /// The numbers that tripped the rule.
    pub tripped: Option<Tripped>,
}

/// A batch's safety state beside its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SafetyState {
    pub current_wave: Option<u32>,
    /// Since when the running wave's rule holds (its soak started).
    pub wave_rule_met: Option<UtcTime>,
    pub paused: Option<PauseCause>,
    pub in_window: Option<bool>,
    pub next_window: Option<UtcTime>,
}

/// One wave and its tasks by state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WaveInfo {
    /// From 1.
    pub number: u32,
    #[serde(flatten)]
    pub counts: TaskCounts,
}

list_wrapper!(
    /// `Waves.Wave[]`.
    WaveList { "Wave": WaveInfo }
);

list_wrapper!(
    /// `WaveSizes.WaveSize[]`: the waves as given, `10%` or `20`; the rest is one more.
    WaveSizeList { "WaveSize": String }
);

list_wrapper!(
    /// `PauseReasons.PauseReason[]`.
    PauseReasonList { "PauseReason": TaskReason }
);

/// One window as the API writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WindowInfo {
    pub days: String,
    pub start: String,
    pub end: String,
}

list_wrapper!(
    /// `MaintenanceWindows.MaintenanceWindow[]`.
    WindowList { "MaintenanceWindow": WindowInfo }
);

/// QueryOTAJob's safety fields (flattened into `Data`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SafetyInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waves: Option<WaveList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_sizes: Option<WaveSizeList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_wave: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_promotion: Option<PromotionMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_min_finished: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_success_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_soak_minutes: Option<u32>,
    /// Since when the running wave's rule holds: the next wave starts a soak time later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_wave_rule_met: Option<UtcTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_failure_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_sample_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_min_sample: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_reasons: Option<PauseReasonList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_cancel_pending: Option<bool>,
    /// Present, `true`, only while the batch is paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_paused: Option<UtcTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_by: Option<PausedBy>,
    /// The failures and sample that tripped the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_failed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_sample: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_windows: Option<WindowList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_maintenance_window: Option<bool>,
    /// When the next window opens, while none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_next_window: Option<UtcTime>,
}

impl SafetyInfo {
    pub fn new(safety: &Safety, state: SafetyState, waves: Vec<WaveInfo>) -> Self {
        let mut info = Self::default();
        if let Some(plan) = &safety.waves {
            info.waves = Some(WaveList { items: waves });
            info.wave_sizes = Some(WaveSizeList { items: plan.sizes.iter().map(ToString::to_string).collect() });
            info.current_wave = state.current_wave;
            info.utc_wave_rule_met = state.wave_rule_met;
            match plan.promotion {
                Promotion::Manual => info.wave_promotion = Some(PromotionMode::Manual),
                Promotion::Auto { min_finished, success_rate, soak_minutes } => {
                    info.wave_promotion = Some(PromotionMode::Auto);
                    info.wave_min_finished = min_finished;
                    info.wave_success_rate = Some(success_rate.to_string());
                    info.wave_soak_minutes = Some(soak_minutes);
                }
            }
        }
        if let Some(rule) = &safety.pause {
            info.pause_failure_rate = Some(rule.failure_rate.to_string());
            info.pause_sample_size = Some(rule.sample);
            info.pause_min_sample = Some(rule.min_sample);
            info.pause_reasons = Some(PauseReasonList { items: rule.reasons.clone() });
            info.pause_cancel_pending = Some(rule.cancel_pending);
        }
        if let Some(cause) = state.paused {
            info.paused = Some(true);
            info.utc_paused = Some(cause.at);
            info.paused_by = Some(cause.by);
            info.pause_failed = cause.tripped.map(|t| t.failed);
            info.pause_sample = cause.tripped.map(|t| t.sample);
        }
        if let Some(windows) = &safety.windows {
            info.maintenance_time_zone = Some(windows.zone.clone());
            let list = windows.windows.iter().map(|w| WindowInfo {
                days: w.days.to_string(),
                start: w.start.to_string(),
                end: w.end.to_string(),
            });
            info.maintenance_windows = Some(WindowList { items: list.collect() });
            info.in_maintenance_window = state.in_window;
            info.utc_next_window = state.next_window.filter(|_| state.in_window == Some(false));
        }
        info
    }

    /// The rules back, as the batch was created with them (for the console to put in words).
    pub fn safety(&self) -> Safety {
        let mut params = Params::new();
        for (i, size) in self.wave_sizes.iter().flat_map(|w| &w.items).enumerate() {
            match size.strip_suffix('%') {
                Some(percent) => params.push(format!("Wave.{}.Percent", i + 1), percent),
                None => params.push(format!("Wave.{}.Count", i + 1), size.clone()),
            }
        }
        let rule = [
            ("WavePromotion", self.wave_promotion.map(|m| m.as_str().to_owned())),
            ("WaveMinFinished", self.wave_min_finished.map(|n| n.to_string())),
            ("WaveSuccessRate", self.wave_success_rate.clone()),
            ("WaveSoakMinutes", self.wave_soak_minutes.map(|n| n.to_string())),
            ("PauseFailureRate", self.pause_failure_rate.clone()),
            ("PauseSampleSize", self.pause_sample_size.map(|n| n.to_string())),
            ("PauseMinSample", self.pause_min_sample.map(|n| n.to_string())),
            ("PauseCancelPending", self.pause_cancel_pending.map(|b| b.to_string())),
            ("MaintenanceTimeZone", self.maintenance_time_zone.clone()),
        ];
        for (name, value) in rule {
            if let Some(value) = value {
                params.push(name, value);
            }
        }
        for (i, reason) in self.pause_reasons.iter().flat_map(|r| &r.items).enumerate() {
            params.push(format!("PauseReason.{}", i + 1), reason.as_str());
        }
        for (i, window) in self.maintenance_windows.iter().flat_map(|w| &w.items).enumerate() {
            params.push(format!("MaintenanceWindow.{}.Days", i + 1), window.days.clone());
            params.push(format!("MaintenanceWindow.{}.Start", i + 1), window.start.clone());
            params.push(format!("MaintenanceWindow.{}.End", i + 1), window.end.clone());
        }
        // A newer backend's rules this console cannot read are left out rather than shown wrong.
        Safety {
            waves: super::Waves::from_params(&params).ok().flatten(),
            pause: super::PauseRule::from_params(&params).ok().flatten(),
            windows: windows::MaintenanceWindows::from_params(&params).ok().flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_without_safety_shows_none_of_it() {
        let info = SafetyInfo::new(&Safety::default(), SafetyState::default(), Vec::new());
        assert_eq!(serde_json::to_value(&info).unwrap(), serde_json::json!({}));
    }

    #[test]
    fn a_paused_staged_batch_shows_its_waves_rules_and_why_it_stopped() {
        let params: Params = [
            ("Wave.1.Count", "5"),
            ("WaveSuccessRate", "95"),
            ("PauseFailureRate", "5"),
            ("PauseSampleSize", "50"),
            ("MaintenanceTimeZone", "Asia/Tokyo"),
            ("MaintenanceWindow.1.Days", "TUE-THU"),
            ("MaintenanceWindow.1.Start", "01:00"),
            ("MaintenanceWindow.1.End", "05:00"),
        ]
        .into_iter()
        .collect();
        let safety = Safety::from_params(&params).unwrap();
        let at = UtcTime::from_millis(1_800_000_000_000).unwrap();
        let state = SafetyState {
            current_wave: Some(1),
            paused: Some(PauseCause { by: PausedBy::Rule, at, tripped: Some(Tripped { failed: 3, sample: 40 }) }),
            in_window: Some(false),
            next_window: Some(at),
            ..SafetyState::default()
        };
        let waves = vec![
            WaveInfo { number: 1, counts: TaskCounts { total: 5, failed: 3, succeeded: 2, ..TaskCounts::default() } },
            WaveInfo { number: 2, counts: TaskCounts { total: 95, queued: 95, ..TaskCounts::default() } },
        ];
        let info = SafetyInfo::new(&safety, state, waves);
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["Waves"]["Wave"][1]["Queued"], 95);
        assert_eq!(json["Paused"], true);
        assert_eq!(json["PausedBy"], "RULE");
        assert_eq!((json["PauseFailed"].as_u64(), json["PauseSample"].as_u64()), (Some(3), Some(40)));
        assert_eq!(json["MaintenanceWindows"]["MaintenanceWindow"][0]["Days"], "TUE,WED,THU");
        assert_eq!(json["UtcNextWindow"], at.to_string());
        assert_eq!(json["WaveSizes"]["WaveSize"], serde_json::json!(["5"]));
        let back: SafetyInfo = serde_json::from_value(json).unwrap();
        assert_eq!(back.safety().pause, safety.pause);
        assert_eq!(back.safety().windows, safety.windows);
        assert_eq!(back.safety().waves.unwrap().sizes, [super::super::waves::WaveSize::Count(5)]);
    }
}
