//! Maintenance windows: recurring times of the week, in one time zone, outside which a batch
//! sends no push. A window starts on each of its days at `Start` and lasts until `End`, the
//! next day when `End` is not after `Start` (22:00–02:00). Times a clock change skips count as
//! the same time after the change (02:30 on a spring-forward night is 03:30); times it repeats
//! count at their first occurrence (RFC 5545's rule).

use std::fmt;
use std::str::FromStr;

use crate::params::{ParamError, Params};

/// Windows a batch may have.
pub const MAX_WINDOWS: usize = 10;
const DAY_NAMES: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
const MINUTES_A_DAY: u16 = 24 * 60;

/// Days of the week, Monday first: written `MON,TUE,THU` or with ranges, `MON-FRI,SUN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(u8);

impl Days {
    /// Whether the day `index` (0 Monday … 6 Sunday) is one of them.
    pub fn has(self, index: u32) -> bool {
        index < 7 && self.0 & (1 << index) != 0
    }

    /// The days' indexes, Monday first.
    pub fn indexes(self) -> impl Iterator<Item = u32> {
        (0..7).filter(move |i| self.has(*i))
    }
}

impl FromStr for Days {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let day = |name: &str| {
            let name = name.trim().to_ascii_uppercase();
            DAY_NAMES
                .iter()
                .position(|d| *d == name)
                .ok_or_else(|| format!("'{}' is not a day of the week ({})", name, DAY_NAMES.join(", ")))
        };
        let mut days = 0u8;
        for part in text.split(',') {
            let (first, last) = match part.split_once('-') {
                Some((first, last)) => (day(first)?, day(last)?),
                None => (day(part)?, day(part)?),
            };
            if last < first {
                return Err(format!("'{}' runs backwards: write the days Monday first", part.trim()));
            }
            for index in first..=last {
                days |= 1 << index;
            }
        }
        Ok(Self(days))
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.indexes().map(|i| DAY_NAMES[i as usize]).collect();
        f.write_str(&names.join(","))
    }
}

/// A time of day in minutes, `HH:MM`: 00:00–23:59, and 24:00 as an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub fn minutes(self) -> u16 {
        self.0
    }

    fn parse(text: &str, may_be_midnight_after: bool) -> Result<Self, String> {
        let bad = || format!("'{text}' is not a time of day, HH:MM");
        let (hours, minutes) = text.split_once(':').ok_or_else(bad)?;
        if hours.len() != 2 || minutes.len() != 2 {
            return Err(bad());
        }
        let (hours, minutes): (u16, u16) = (hours.parse().map_err(|_| bad())?, minutes.parse().map_err(|_| bad())?);
        match hours * 60 + minutes {
            _ if minutes >= 60 => Err(bad()),
            MINUTES_A_DAY if may_be_midnight_after => Ok(Self(MINUTES_A_DAY)),
            total if total < MINUTES_A_DAY => Ok(Self(total)),
            _ => Err(format!("'{text}' is beyond 23:59{}", if may_be_midnight_after { " (or 24:00)" } else { "" })),
        }
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One recurring window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The days it starts on.
    pub days: Days,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

impl Window {
    /// Whether it ends on the day after it starts.
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }
}

/// A batch's windows and the time zone they are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceWindows {
    /// An IANA time zone name, `Asia/Tokyo`; `UTC` when not given.
    pub zone: String,
    pub windows: Vec<Window>,
}

impl MaintenanceWindows {
    /// `MaintenanceWindow.N.{Days,Start,End}` and `MaintenanceTimeZone`; `None` without windows.
    pub fn from_params(params: &Params) -> Result<Option<Self>, ParamError> {
        let records = params.records("MaintenanceWindow", MAX_WINDOWS)?;
        let zone = params.get("MaintenanceTimeZone");
        if records.is_empty() {
            return match zone {
                Some(_) => Err(ParamError::missing("MaintenanceWindow.1.Days")),
                None => Ok(None),
            };
        }
        let mut windows = Vec::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            let field = |name: &str| format!("MaintenanceWindow.{}.{name}", i + 1);
            let value = |name: &str| record.get(name).ok_or_else(|| ParamError::missing(&field(name)));
            let days = value("Days")?.parse::<Days>().map_err(|why| ParamError::invalid(&field("Days"), why))?;
            let start =
                TimeOfDay::parse(value("Start")?, false).map_err(|why| ParamError::invalid(&field("Start"), why))?;
            let end = TimeOfDay::parse(value("End")?, true).map_err(|why| ParamError::invalid(&field("End"), why))?;
            if start == end {
                return Err(ParamError::invalid(
                    &field("End"),
                    "a window ends when it starts: for a whole day write 00:00–24:00",
                ));
            }
            windows.push(Window { days, start, end });
        }
        let zone = zone.unwrap_or("UTC");
        check_zone(zone).map_err(|why| ParamError::invalid("MaintenanceTimeZone", why))?;
        Ok(Some(Self { zone: zone.to_owned(), windows }))
    }

    pub fn to_params(&self, params: Params) -> Params {
        let mut params = params.with("MaintenanceTimeZone", &self.zone);
        for (i, window) in self.windows.iter().enumerate() {
            let n = i + 1;
            params = params
                .with(&format!("MaintenanceWindow.{n}.Days"), window.days)
                .with(&format!("MaintenanceWindow.{n}.Start"), window.start)
                .with(&format!("MaintenanceWindow.{n}.End"), window.end);
        }
        params
    }
}

/// A time zone name the server knows (with the `zones` feature), or one shaped like an IANA
/// name (without it: the console leaves the last word to the server).
fn check_zone(name: &str) -> Result<(), String> {
    #[cfg(feature = "zones")]
    {
        jiff::tz::TimeZone::get(name)
            .map(drop)
            .map_err(|_| format!("'{name}' is not a known time zone (an IANA name such as Asia/Tokyo)"))
    }
    #[cfg(not(feature = "zones"))]
    {
        let shaped = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
        if shaped { Ok(()) } else { Err(format!("'{name}' is not a time zone name (an IANA name such as Asia/Tokyo)")) }
    }
}

#[cfg(feature = "zones")]
mod clock;

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().copied().collect()
    }

    #[test]
    fn days_are_written_as_names_and_ranges_monday_first() {
        let days: Days = "tue-thu,SUN".parse().unwrap();
        assert_eq!(days.indexes().collect::<Vec<_>>(), [1, 2, 3, 6]);
        assert_eq!(days.to_string(), "TUE,WED,THU,SUN");
        assert!("FRI-MON".parse::<Days>().unwrap_err().contains("backwards"));
        assert!("MONDAY".parse::<Days>().is_err());
        assert!("".parse::<Days>().is_err());
    }

    #[test]
    fn times_of_day_run_from_midnight_and_only_an_end_may_be_24_00() {
        assert_eq!(TimeOfDay::parse("01:30", false).unwrap().minutes(), 90);
        assert_eq!(TimeOfDay::parse("24:00", true).unwrap().minutes(), 1440);
        assert!(TimeOfDay::parse("24:00", false).is_err());
        for bad in ["1:30", "01:60", "25:00", "0130", "ab:cd", "24:01"] {
            assert!(TimeOfDay::parse(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_come_as_records_with_one_zone() {
        let given = params(&[
            ("MaintenanceTimeZone", "Asia/Tokyo"),
            ("MaintenanceWindow.1.Days", "TUE-THU"),
            ("MaintenanceWindow.1.Start", "01:00"),
            ("MaintenanceWindow.1.End", "05:00"),
            ("MaintenanceWindow.2.Days", "SAT"),
            ("MaintenanceWindow.2.Start", "22:00"),
            ("MaintenanceWindow.2.End", "02:00"),
        ]);
        let windows = MaintenanceWindows::from_params(&given).unwrap().unwrap();
        assert_eq!(windows.zone, "Asia/Tokyo");
        assert!(!windows.windows[0].crosses_midnight());
        assert!(windows.windows[1].crosses_midnight());
        let again = MaintenanceWindows::from_params(&windows.to_params(Params::new())).unwrap().unwrap();
        assert_eq!(again, windows);
        assert_eq!(MaintenanceWindows::from_params(&Params::new()).unwrap(), None);
    }

    #[test]
    fn a_window_needs_its_three_fields_a_length_and_a_zone_only_with_windows() {
        let missing = params(&[("MaintenanceWindow.1.Days", "MON"), ("MaintenanceWindow.1.Start", "01:00")]);
        assert_eq!(MaintenanceWindows::from_params(&missing).unwrap_err().code, "MissingMaintenanceWindow.1.End");
        let empty = params(&[
            ("MaintenanceWindow.1.Days", "MON"),
            ("MaintenanceWindow.1.Start", "01:00"),
            ("MaintenanceWindow.1.End", "01:00"),
        ]);
        assert!(MaintenanceWindows::from_params(&empty).unwrap_err().message.contains("24:00"));
        let zone_alone = params(&[("MaintenanceTimeZone", "UTC")]);
        assert!(MaintenanceWindows::from_params(&zone_alone).is_err());
        let bad_zone = params(&[
            ("MaintenanceTimeZone", "Mars/Olympus Mons"),
            ("MaintenanceWindow.1.Days", "MON"),
            ("MaintenanceWindow.1.Start", "01:00"),
            ("MaintenanceWindow.1.End", "02:00"),
        ]);
        assert_eq!(
            MaintenanceWindows::from_params(&bad_zone).unwrap_err().param.as_deref(),
            Some("MaintenanceTimeZone")
        );
    }
}
