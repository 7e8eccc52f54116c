//! How values are written for people.

use chrono::Local;
use leptos::prelude::*;
use ota_model::UtcTime;

pub use ota_model::display::bytes;

use crate::i18n::{I18n, Lang};

/// The page's language (tracked where read in a view), English outside the app.
fn lang() -> Lang {
    use_context::<I18n>().map_or(Lang::En, |i18n| i18n.lang.get())
}

/// An instant in the browser's time zone, to the minute: `2026-11-26 13:23` (`2026/11/26 13:23`
/// in Japanese and Chinese).
pub fn local_time(time: UtcTime) -> String {
    time.0.with_timezone(&Local).format(lang().minute_format()).to_string()
}

/// The same, to the second, for detail views.
pub fn local_time_precise(time: UtcTime) -> String {
    time.0.with_timezone(&Local).format(lang().second_format()).to_string()
}

/// A count as the language groups it: `1,234,567`.
pub fn count(n: u64) -> String {
    lang().count(n)
}

/// A span of whole minutes in the largest unit that divides it: `5 minutes`, `1 hour`, `7 days`.
pub fn minutes(i18n: crate::i18n::I18n, minutes: i64) -> String {
    use crate::i18n::FormMsg;
    let (n, one, many) = match minutes {
        m if m != 0 && m % (24 * 60) == 0 => (m / (24 * 60), FormMsg::OneDay, FormMsg::Days),
        m if m != 0 && m % 60 == 0 => (m / 60, FormMsg::OneHour, FormMsg::Hours),
        m => (m, FormMsg::OneMinute, FormMsg::Minutes),
    };
    if n == 1 { i18n.t(one).to_owned() } else { i18n.fill(many, &[("n", &n.to_string())]) }
}

/// What went wrong, for an operator: a backend out of reach is said in their language.
pub fn failure(i18n: crate::i18n::I18n, error: &crate::api::ApiError) -> String {
    match error {
        crate::api::ApiError::Unreachable { endpoint, .. } => {
            i18n.fill(crate::i18n::Msg::Unreachable, &[("endpoint", endpoint)])
        }
        other => other.detail(),
    }
}

/// A share in per mille as a percentage to one decimal: `80.8 %` (`80.8%` in Japanese and Chinese).
pub fn percent(per_mille: u32) -> String {
    lang().percent(per_mille)
}

/// A whole percentage: `40 %` (`40%` in Japanese and Chinese).
pub fn whole_percent(percent: u32) -> String {
    lang().whole_percent(percent)
}

/// The start of a local day given as `YYYY-MM-DD`, or of the day after it (`after`: an
/// inclusive "to" day is the start of the next one).
pub fn local_day_start(day: &str, after: bool) -> Option<UtcTime> {
    use chrono::{NaiveDate, TimeZone};
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let date = if after { date.succ_opt()? } else { date };
    let start = Local.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest()?;
    Some(UtcTime(start.with_timezone(&chrono::Utc)))
}
