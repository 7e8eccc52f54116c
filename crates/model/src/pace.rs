//! Spacing a batch's pushes evenly (§7.4): one every 60 s ÷ rate. Time the engine could not
//! use (nothing waiting, or it was busy) is not saved up, so a rate never turns into a burst.

use crate::time::UtcTime;

/// How far behind its schedule a batch may fall and still catch up: a few engine ticks, and
/// at most a fifth of a second's pushes at once.
const CATCH_UP_NANOS: i64 = 200_000_000;

/// When a batch may push next. The engine keeps one per running batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pacer {
    next: Option<i64>,
}

impl Pacer {
    /// How many of `waiting` tasks a batch pushing `per_minute` may push at `now`; those
    /// pushes are spent. A new rate applies from the next push on.
    pub fn take(&mut self, now: UtcTime, per_minute: u32, waiting: u64) -> u64 {
        let now = nanos(now);
        let interval = 60_000_000_000 / i64::from(per_minute.max(1));
        let next = self.next.unwrap_or(now).max(now - CATCH_UP_NANOS);
        let due = if next > now { 0 } else { ((now - next) / interval + 1) as u64 };
        let taken = due.min(waiting);
        // Unused turns are dropped: the next push is due now at the earliest.
        self.next = Some((next + taken as i64 * interval).max(if taken < due { now } else { next }));
        taken
    }
}

fn nanos(time: UtcTime) -> i64 {
    time.0.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn start() -> UtcTime {
        UtcTime::from_millis(1_800_000_000_000).unwrap()
    }

    /// Runs a pacer with ticks `step_millis(i)` apart for `seconds`, always with tasks
    /// waiting, and counts the pushes in each second.
    fn pushes_per_second(per_minute: u32, seconds: i64, step_millis: impl Fn(u64) -> i64) -> Vec<u64> {
        let mut pacer = Pacer::default();
        let mut seconds_seen = vec![0; seconds as usize];
        let (mut elapsed, mut i) = (0_i64, 0_u64);
        while elapsed < seconds * 1000 {
            let now = UtcTime(start().0 + Duration::milliseconds(elapsed));
            seconds_seen[(elapsed / 1000) as usize] += pacer.take(now, per_minute, u64::MAX);
            elapsed += step_millis(i);
            i += 1;
        }
        seconds_seen
    }

    #[test]
    fn the_maximum_rate_is_held_every_minute() {
        let seconds = pushes_per_second(10_000, 180, |_| 100);
        for minute in seconds.chunks(60) {
            let total: u64 = minute.iter().sum();
            assert!((9_900..=10_100).contains(&total), "{total} in a minute");
        }
        // The last tick of the run is 100 ms before its end.
        assert_eq!(seconds.iter().sum::<u64>(), 29_984);
        assert!(seconds.iter().all(|&n| n <= 200), "no second above 2 % of a minute: {:?}", seconds.iter().max());
    }

    #[test]
    fn irregular_ticks_and_a_stall_do_not_make_a_burst() {
        // Ticks 37–163 ms apart, and one stall of three seconds in the second minute.
        let seconds = pushes_per_second(10_000, 180, |i| if i == 900 { 3000 } else { 37 + (i * 53 % 127) as i64 });
        assert!(seconds.iter().all(|&n| n <= 200), "{:?}", seconds.iter().max());
        let first_minute: u64 = seconds[..60].iter().sum();
        assert!((9_900..=10_100).contains(&first_minute), "{first_minute}");
    }

    #[test]
    fn slow_rates_space_pushes_evenly() {
        let seconds = pushes_per_second(10, 120, |_| 250);
        let pushed_at: Vec<usize> = seconds.iter().enumerate().filter(|(_, n)| **n > 0).map(|(s, _)| s).collect();
        assert_eq!(pushed_at, (0..120).step_by(6).collect::<Vec<_>>());
    }

    #[test]
    fn turns_nobody_needed_are_not_saved_up() {
        let mut pacer = Pacer::default();
        let at = |millis| UtcTime(start().0 + Duration::milliseconds(millis));
        assert_eq!(pacer.take(at(0), 60, 0), 0);
        assert_eq!(pacer.take(at(5_000), 60, 1000), 1, "five idle seconds buy one push, not five");
        assert_eq!(pacer.take(at(5_500), 60, 1000), 0);
        assert_eq!(pacer.take(at(5_800), 60, 1000), 1);
        assert_eq!(pacer.take(at(6_800), 60, 0), 0);
        assert_eq!(pacer.take(at(7_900), 60, 1000), 1, "nor are turns with nothing waiting");
    }

    #[test]
    fn a_new_rate_applies_from_the_next_push() {
        let mut pacer = Pacer::default();
        let at = |millis| UtcTime(start().0 + Duration::milliseconds(millis));
        assert_eq!(pacer.take(at(0), 60, 100), 1);
        assert_eq!(pacer.take(at(500), 6000, 100), 0, "the push after this one was due in a second");
        assert_eq!(pacer.take(at(1000), 6000, 100), 1);
        assert_eq!(pacer.take(at(1100), 6000, 100), 10);
    }
}
