//! When windows are open: the zone's rules (jiff's bundled time zone database) applied to
//! instants. Server side only (feature `zones`): the console shows what the server answers.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::{MaintenanceWindows, Window};
use crate::time::UtcTime;

/// Days before today a window that is still open may have started on (one crossing midnight).
const DAYS_BEHIND: i64 = 1;
/// Days ahead within which every weekly window opens again.
const DAYS_AHEAD: i64 = 8;

impl MaintenanceWindows {
    /// Whether one of the windows is open at `now` (from its start, until before its end).
    pub fn open_at(&self, now: UtcTime) -> bool {
        let now = now.millis();
        self.spans_around(now).iter().any(|&(start, end)| start <= now && now < end)
    }

    /// When a window next opens: `now` itself while one is open.
    pub fn next_open(&self, now: UtcTime) -> UtcTime {
        let at = now.millis();
        let next = self.spans_around(at).into_iter().filter(|&(_, end)| end > at).map(|(start, _)| start.max(at)).min();
        next.and_then(UtcTime::from_millis).unwrap_or(now)
    }

    /// Every window's spans (epoch milliseconds, end excluded) starting from yesterday to a
    /// week and a day from `now`, in the zone's local days.
    fn spans_around(&self, now: i64) -> Vec<(i64, i64)> {
        let zone = TimeZone::get(&self.zone).unwrap_or(TimeZone::UTC);
        let Ok(now) = Timestamp::from_millisecond(now) else { return Vec::new() };
        let today = zone.to_datetime(now).date();
        let mut spans = Vec::new();
        for offset in -DAYS_BEHIND..=DAYS_AHEAD {
            let Ok(day) = today.checked_add(jiff::Span::new().days(offset)) else { continue };
            let weekday = day.weekday().to_monday_zero_offset() as u32;
            for window in self.windows.iter().filter(|w| w.days.has(weekday)) {
                if let Some(span) = span_of(&zone, day, window) {
                    spans.push(span);
                }
            }
        }
        spans
    }
}

/// The window's span starting on local `day`: a skipped local time is taken as the same time
/// after the change, a repeated one at its first occurrence (`compatible`).
fn span_of(zone: &TimeZone, day: Date, window: &Window) -> Option<(i64, i64)> {
    let end_day = if window.crosses_midnight() { day.tomorrow().ok()? } else { day };
    let start = instant(zone, day, window.start.minutes())?;
    let end = instant(zone, end_day, window.end.minutes())?;
    Some((start, end))
}

fn instant(zone: &TimeZone, day: Date, minutes: u16) -> Option<i64> {
    // 24:00 is the next day's midnight.
    let (day, minutes) = if minutes == 24 * 60 { (day.tomorrow().ok()?, 0) } else { (day, minutes) };
    let local: DateTime = day.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
    Some(zone.to_ambiguous_timestamp(local).compatible().ok()?.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    fn windows(zone: &str, list: &[(&str, &str, &str)]) -> MaintenanceWindows {
        let mut params = Params::new().with("MaintenanceTimeZone", zone);
        for (i, (days, start, end)) in list.iter().enumerate() {
            params = params
                .with(&format!("MaintenanceWindow.{}.Days", i + 1), days)
                .with(&format!("MaintenanceWindow.{}.Start", i + 1), start)
                .with(&format!("MaintenanceWindow.{}.End", i + 1), end);
        }
        MaintenanceWindows::from_params(&params).unwrap().unwrap()
    }

    fn at(text: &str) -> UtcTime {
        UtcTime(text.parse().unwrap())
    }

    #[test]
    fn a_window_opens_at_its_start_and_is_closed_at_its_end() {
        // 2026-12-08 is a Tuesday; Tokyo is UTC+9, so 01:00–05:00 there is 16:00–20:00 UTC the day before.
        let tokyo = windows("Asia/Tokyo", &[("TUE-THU", "01:00", "05:00")]);
        assert!(!tokyo.open_at(at("2026-12-07T15:59:59.999Z")));
        assert!(tokyo.open_at(at("2026-12-07T16:00:00Z")));
        assert!(tokyo.open_at(at("2026-12-07T19:59:59.999Z")));
        assert!(!tokyo.open_at(at("2026-12-07T20:00:00Z")));
        assert_eq!(tokyo.next_open(at("2026-12-07T20:00:00Z")), at("2026-12-08T16:00:00Z"), "Wednesday's");
        assert_eq!(tokyo.next_open(at("2026-12-07T17:00:00Z")), at("2026-12-07T17:00:00Z"), "open now");
        // After Thursday's window the next is the Tuesday after.
        assert_eq!(tokyo.next_open(at("2026-12-09T20:00:00Z")), at("2026-12-14T16:00:00Z"));
    }

    #[test]
    fn a_window_across_midnight_belongs_to_the_day_it_starts() {
        // Saturday 22:00 to Sunday 02:00 UTC; 2026-12-12 is a Saturday.
        let night = windows("UTC", &[("SAT", "22:00", "02:00")]);
        assert!(night.open_at(at("2026-12-12T22:00:00Z")));
        assert!(night.open_at(at("2026-12-13T01:59:00Z")), "Sunday early morning, Saturday's window");
        assert!(!night.open_at(at("2026-12-13T02:00:00Z")));
        assert!(!night.open_at(at("2026-12-13T22:30:00Z")), "Sunday evening has none");
        assert!(!night.open_at(at("2026-12-12T01:00:00Z")), "nor does early Saturday (Friday started none)");
    }

    #[test]
    fn a_whole_day_runs_to_24_00_and_windows_add_up() {
        let days = windows("UTC", &[("MON", "00:00", "24:00"), ("TUE", "12:00", "13:00")]);
        assert!(days.open_at(at("2026-12-07T00:00:00Z")));
        assert!(days.open_at(at("2026-12-07T23:59:59Z")));
        assert!(!days.open_at(at("2026-12-08T00:00:00Z")));
        assert_eq!(days.next_open(at("2026-12-08T00:00:00Z")), at("2026-12-08T12:00:00Z"));
    }

    #[test]
    fn a_time_skipped_by_spring_forward_opens_after_the_change() {
        // New York springs forward on Sunday 2027-03-14: 02:00 EST becomes 03:00 EDT (07:00 UTC).
        let skipped = windows("America/New_York", &[("SUN", "02:30", "04:00")]);
        // 02:30 does not exist that night: it counts as 03:30 EDT, 07:30 UTC.
        assert_eq!(skipped.next_open(at("2027-03-14T00:00:00Z")), at("2027-03-14T07:30:00Z"));
        assert!(!skipped.open_at(at("2027-03-14T07:29:00Z")));
        assert!(skipped.open_at(at("2027-03-14T07:59:00Z")));
        assert!(!skipped.open_at(at("2027-03-14T08:00:00Z")), "04:00 EDT");
        // A week later the window is 02:30–04:00 EDT as written.
        assert_eq!(skipped.next_open(at("2027-03-15T00:00:00Z")), at("2027-03-21T06:30:00Z"));
    }

    #[test]
    fn a_time_repeated_by_fall_back_counts_at_its_first_occurrence() {
        // New York falls back on Sunday 2026-11-01: 01:00–02:00 EDT is followed by 01:00–02:00 EST.
        let repeated = windows("America/New_York", &[("SUN", "01:30", "03:00")]);
        // 01:30 EDT is 05:30 UTC; 03:00 EST is 08:00 UTC: the window is half an hour longer.
        assert_eq!(repeated.next_open(at("2026-11-01T00:00:00Z")), at("2026-11-01T05:30:00Z"));
        assert!(repeated.open_at(at("2026-11-01T07:59:00Z")));
        assert!(!repeated.open_at(at("2026-11-01T08:00:00Z")));
    }
}
