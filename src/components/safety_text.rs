//! A batch's safety rules in the operator's words, for the wizard's review and the batch page:
//! "In waves: 1%, 10%, 50%, then the rest; continue when 95 % of at least 20 have updated;
//! pause if more than 5 % of the last 50 fail; only Tue–Thu 01:00–05:00 (Asia/Tokyo)".

use ota_model::job::safety::Safety;
use ota_model::job::safety::waves::Promotion;
use ota_model::job::safety::windows::{Days, MaintenanceWindows};

use crate::i18n::{I18n, SafetyMsg};

/// One sentence part per rule, in the order the batch meets them.
pub fn safety_text(i18n: I18n, safety: &Safety) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(waves) = &safety.waves {
        let sizes: Vec<String> = waves.sizes.iter().map(ToString::to_string).collect();
        parts.push(i18n.fill(SafetyMsg::SaysWaves, &[("sizes", &sizes.join(", "))]));
        parts.push(match waves.promotion {
            Promotion::Manual => i18n.t(SafetyMsg::SaysManual).to_owned(),
            Promotion::Auto { min_finished, success_rate, soak_minutes } => {
                let rate = success_rate.to_string();
                let mut promote = match min_finished {
                    Some(min) => i18n.fill(SafetyMsg::SaysPromote, &[("rate", &rate), ("min", &min.to_string())]),
                    None => i18n.fill(SafetyMsg::SaysPromoteAll, &[("rate", &rate)]),
                };
                if soak_minutes > 0 {
                    promote.push(' ');
                    promote.push_str(&i18n.fill(SafetyMsg::SaysSoak, &[("minutes", &soak_minutes.to_string())]));
                }
                promote
            }
        });
    }
    if let Some(rule) = &safety.pause {
        let (rate, sample, min) = (rule.failure_rate.to_string(), rule.sample.to_string(), rule.min_sample.to_string());
        let mut pause = i18n.fill(SafetyMsg::SaysPause, &[("rate", &rate), ("sample", &sample), ("min", &min)]);
        if rule.cancel_pending {
            pause.push(' ');
            pause.push_str(i18n.t(SafetyMsg::SaysCancel));
        }
        parts.push(pause);
    }
    if let Some(windows) = &safety.windows {
        parts.push(
            i18n.fill(SafetyMsg::SaysWindows, &[("windows", &windows_text(i18n, windows)), ("zone", &windows.zone)]),
        );
    }
    parts
}

/// `Tue–Thu 01:00–05:00, Sat 22:00–02:00`.
pub fn windows_text(i18n: I18n, windows: &MaintenanceWindows) -> String {
    let each = windows.windows.iter().map(|w| format!("{} {}–{}", days_text(i18n, w.days), w.start, w.end));
    each.collect::<Vec<_>>().join(", ")
}

/// Days as runs: `Mon–Fri, Sun`.
pub fn days_text(i18n: I18n, days: Days) -> String {
    let indexes: Vec<u32> = days.indexes().collect();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for index in indexes {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == index => *last = index,
            _ => runs.push((index, index)),
        }
    }
    let name = |index: u32| i18n.t(day_name(index));
    let text = runs.iter().map(|&(first, last)| match last - first {
        0 => name(first).to_owned(),
        1 => format!("{}, {}", name(first), name(last)),
        _ => format!("{}–{}", name(first), name(last)),
    });
    text.collect::<Vec<_>>().join(", ")
}

/// The short name of day `index`, Monday 0.
pub fn day_name(index: u32) -> SafetyMsg {
    [SafetyMsg::Mon, SafetyMsg::Tue, SafetyMsg::Wed, SafetyMsg::Thu, SafetyMsg::Fri, SafetyMsg::Sat, SafetyMsg::Sun]
        [index.min(6) as usize]
}
