//! How values are written for people.

use chrono::Local;
use ota_model::UtcTime;

pub use ota_model::display::bytes;

/// An instant in the browser's time zone, to the minute: `2026-11-26 13:23`.
pub fn local_time(time: UtcTime) -> String {
    time.0.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// The same, to the second, for detail views.
pub fn local_time_precise(time: UtcTime) -> String {
    time.0.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string()
}
