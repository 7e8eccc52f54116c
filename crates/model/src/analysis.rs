//! What the data-analysis charts show, computed once so that a chart, its table and the device
//! lists agree: shares of a whole with the whole they are shares of; and a batch's progress
//! over time, from the changes a backend keeps of it.

use crate::enums::TaskStatus;
use crate::extensions::{JobProgress, ProgressPoint, ProgressPointList, TaskCounts, VersionDistribution};
use crate::time::UtcTime;

/// One part of a whole: its count and its share of the whole in per mille (rounded down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share<K> {
    pub key: K,
    pub count: u64,
    pub per_mille: u32,
}

/// A part of `whole`, in per mille; none of nothing.
pub fn per_mille(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| (u128::from(part) * 1000 / u128::from(whole)) as u32)
}

/// A version group of a distribution: a version, or every other version together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionGroup {
    Version(String),
    Others { versions: u64 },
}

/// The distribution's largest groups and the rest, each a share of the devices that reported
/// a version; the rest is left out when there is none.
pub fn version_shares(distribution: &VersionDistribution) -> Vec<Share<VersionGroup>> {
    let whole = distribution.total;
    let share = |key, count| Share { key, count, per_mille: per_mille(count, whole).unwrap_or(0) };
    let mut shares: Vec<_> = distribution
        .versions
        .items
        .iter()
        .map(|v| share(VersionGroup::Version(v.version.clone()), v.device_count))
        .collect();
    if distribution.others_count > 0 {
        shares.push(share(
            VersionGroup::Others { versions: distribution.others_version_count },
            distribution.others_count,
        ));
    }
    shares
}

/// How a package's (or a batch's) update tasks have ended so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
    Canceled,
    /// Not ended yet: waiting for confirmation, to be pushed, pushed, or upgrading.
    Unfinished,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Succeeded, Outcome::Failed, Outcome::Canceled, Outcome::Unfinished];

    /// The one task state that lists these tasks, where there is one.
    pub fn status(self) -> Option<TaskStatus> {
        match self {
            Outcome::Succeeded => Some(TaskStatus::Succeeded),
            Outcome::Failed => Some(TaskStatus::Failed),
            Outcome::Canceled => Some(TaskStatus::Canceled),
            Outcome::Unfinished => None,
        }
    }
}

/// Every task by outcome, each a share of all tasks.
pub fn outcome_shares(counts: &TaskCounts) -> Vec<Share<Outcome>> {
    let whole = counts.total;
    Outcome::ALL
        .into_iter()
        .map(|outcome| {
            let count = match outcome {
                Outcome::Succeeded => counts.of(TaskStatus::Succeeded),
                Outcome::Failed => counts.of(TaskStatus::Failed),
                Outcome::Canceled => counts.of(TaskStatus::Canceled),
                Outcome::Unfinished => counts.unfinished(),
            };
            Share { key: outcome, count, per_mille: per_mille(count, whole).unwrap_or(0) }
        })
        .collect()
}

// ---- a batch's progress over time ----------------------------------------------------------

/// The width of the time buckets a backend keeps a batch's changes in (ota-server: the
/// `job_progress` table). Points are this far apart or a whole multiple of it.
pub const PROGRESS_BUCKET_MILLIS: i64 = 10_000;

/// In the bucket that starts at `bucket` (epoch ms, a multiple of [`PROGRESS_BUCKET_MILLIS`]),
/// `delta` more tasks entered `status` than left it (negative: more left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressDelta {
    pub bucket: i64,
    pub status: TaskStatus,
    pub delta: i64,
}

/// A batch's counts over time from its changes: points from its first bucket to `now`, at most
/// `max_points` (at least one), oldest first. The interval is the narrowest whole number of
/// buckets that fits; each point holds the counts at the end of its interval (every change in
/// an earlier bucket), and the last one is at `now` with every change, the batch's counts now.
pub fn job_progress(job_id: &str, mut deltas: Vec<ProgressDelta>, now: UtcTime, max_points: u32) -> JobProgress {
    deltas.sort_by_key(|d| d.bucket);
    let now_ms = now.millis();
    let first = deltas.first().map_or(now_ms, |d| d.bucket);
    let interval = i128::from(progress_interval(first, now, max_points));

    let mut running = [0i64; TaskStatus::ALL.len()];
    let mut pending = deltas.iter().peekable();
    let mut points = Vec::new();
    let mut end = i128::from(first) + interval;
    while end < i128::from(now_ms) {
        while let Some(delta) = pending.next_if(|d| i128::from(d.bucket) < end) {
            running[status_index(delta.status)] += delta.delta;
        }
        // `end` lies between the first bucket and now, so it is a time chrono can show.
        let at = i64::try_from(end).ok().and_then(UtcTime::from_millis).unwrap_or(now);
        points.push(ProgressPoint { utc_time: at, counts: counts_of(&running) });
        end += interval;
    }
    for delta in pending {
        running[status_index(delta.status)] += delta.delta;
    }
    points.push(ProgressPoint { utc_time: now, counts: counts_of(&running) });
    JobProgress {
        job_id: job_id.to_owned(),
        interval: u32::try_from(interval / 1000).unwrap_or(u32::MAX),
        points: ProgressPointList { items: points },
    }
}

/// The interval of [`job_progress`]'s points, in ms, for changes from the bucket `first_ms` up
/// to `now`: the narrowest whole number of buckets that fits `max_points` (at least one).
/// A backend may sum its changes per interval with it and get the same points.
pub fn progress_interval(first_ms: i64, now: UtcTime, max_points: u32) -> i64 {
    let span = i128::from(now.millis()) - i128::from(first_ms);
    let per_interval = i128::from(PROGRESS_BUCKET_MILLIS) * i128::from(max_points.max(1));
    // The smallest whole number of buckets with ceil(span / interval) <= max_points.
    let buckets = ((span + per_interval - 1) / per_interval).max(1);
    i64::try_from(buckets * i128::from(PROGRESS_BUCKET_MILLIS)).unwrap_or(i64::MAX)
}

fn status_index(status: TaskStatus) -> usize {
    TaskStatus::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

/// The counts of running sums; a sum below zero (changes kept in a different order than they
/// happened) counts as none, so that `Total` stays the sum of the states.
fn counts_of(running: &[i64]) -> TaskCounts {
    let mut counts = TaskCounts::default();
    for (status, n) in TaskStatus::ALL.iter().zip(running) {
        counts.add(*status, (*n).max(0) as u64);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions::{VersionCount, VersionCountList};

    const T0: i64 = 1_800_000_000_000;

    fn at(millis: i64) -> UtcTime {
        UtcTime::from_millis(millis).unwrap()
    }

    fn delta(seconds: i64, status: TaskStatus, delta: i64) -> ProgressDelta {
        ProgressDelta { bucket: T0 + seconds * 1000, status, delta }
    }

    /// Three tasks queued at T0; one starts at 20 s and succeeds at 50 s.
    fn three_tasks() -> Vec<ProgressDelta> {
        vec![
            delta(50, TaskStatus::InProgress, -1),
            delta(0, TaskStatus::Queued, 3),
            delta(20, TaskStatus::Queued, -1),
            delta(20, TaskStatus::InProgress, 1),
            delta(50, TaskStatus::Succeeded, 1),
        ]
    }

    #[test]
    fn each_point_holds_the_counts_at_the_end_of_its_interval_and_the_last_is_now() {
        let progress = job_progress("j", three_tasks(), at(T0 + 64_000), 240);
        assert_eq!(progress.interval, 10);
        let points = &progress.points.items;
        let times: Vec<i64> = points.iter().map(|p| (p.utc_time.millis() - T0) / 1000).collect();
        assert_eq!(times, [10, 20, 30, 40, 50, 60, 64]);
        let states = |p: &ProgressPoint| (p.counts.queued, p.counts.in_progress, p.counts.succeeded, p.counts.total);
        assert_eq!(states(&points[0]), (3, 0, 0, 3));
        assert_eq!(states(&points[1]), (3, 0, 0, 3), "a change in the bucket from 20 s shows at its end");
        assert_eq!(states(&points[2]), (2, 1, 0, 3));
        assert_eq!(states(&points[6]), (2, 0, 1, 3));
    }

    #[test]
    fn the_interval_widens_by_whole_buckets_to_fit_the_points() {
        let progress = job_progress("j", three_tasks(), at(T0 + 60_000), 2);
        assert_eq!(progress.interval, 30);
        let points = &progress.points.items;
        assert_eq!(points.len(), 2);
        assert_eq!((points[0].utc_time, points[0].counts.in_progress), (at(T0 + 30_000), 1));
        assert_eq!((points[1].utc_time, points[1].counts.succeeded), (at(T0 + 60_000), 1));
    }

    #[test]
    fn never_more_points_than_asked_and_never_a_wider_interval_than_needed() {
        for max_points in [2, 3, 7, 240, 1000] {
            for span_seconds in [0, 1, 9, 10, 11, 59, 600, 2399, 2400, 2401, 86_400, 3 * 86_400 + 7] {
                let now = at(T0 + span_seconds * 1000);
                let progress = job_progress("j", three_tasks(), now, max_points);
                let count = progress.points.items.len();
                assert!((1..=max_points as usize).contains(&count), "{span_seconds} s in {max_points}: {count}");
                let interval = i64::from(progress.interval);
                assert_eq!(interval % 10, 0);
                let fits = |interval: i64| (span_seconds as u64).div_ceil(interval as u64).max(1) as usize;
                assert_eq!(fits(interval), count);
                assert!(interval == 10 || fits(interval - 10) > max_points as usize, "{span_seconds} s: {interval}");
                let times: Vec<UtcTime> = progress.points.items.iter().map(|p| p.utc_time).collect();
                assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first");
                assert_eq!(times.last(), Some(&now));
            }
        }
    }

    #[test]
    fn the_interval_is_whole_buckets_from_the_first_change_to_now() {
        let interval = |span_ms: i64, max_points| progress_interval(T0, at(T0 + span_ms), max_points);
        assert_eq!(interval(0, 240), 10_000, "never narrower than a bucket");
        assert_eq!(interval(-60_000, 240), 10_000, "nor when the first change is after now");
        assert_eq!(interval(2_400_000, 240), 10_000);
        assert_eq!(interval(2_400_001, 240), 20_000);
        assert_eq!(interval(60_000, 2), 30_000);
        assert_eq!(interval(60_000, 0), 60_000, "zero points asked for count as one");
        let progress = job_progress("j", three_tasks(), at(T0 + 3 * 86_400_000), 240);
        assert_eq!(i64::from(progress.interval) * 1000, interval(3 * 86_400_000, 240), "what job_progress uses");
    }

    #[test]
    fn the_last_point_counts_every_change_even_one_stamped_after_now() {
        let mut deltas = three_tasks();
        deltas.push(delta(600, TaskStatus::Queued, -2));
        deltas.push(delta(600, TaskStatus::Canceled, 2));
        let progress = job_progress("j", deltas, at(T0 + 60_000), 240);
        let last = progress.points.items.last().unwrap().counts;
        assert_eq!((last.queued, last.canceled, last.succeeded, last.total), (0, 2, 1, 3));
    }

    #[test]
    fn a_batch_without_tasks_has_one_empty_point_now() {
        let progress = job_progress("j", Vec::new(), at(T0), 240);
        assert_eq!(progress.points.items, [ProgressPoint { utc_time: at(T0), counts: TaskCounts::default() }]);
        assert_eq!(progress.interval, 10);
    }

    #[test]
    fn a_state_never_counts_below_zero_and_the_total_is_the_sum_of_the_states() {
        let deltas = vec![delta(0, TaskStatus::Queued, 1), delta(0, TaskStatus::Notified, -1)];
        let last = job_progress("j", deltas, at(T0 + 5_000), 240).points.items[0].counts;
        assert_eq!((last.queued, last.notified, last.total), (1, 0, 1));
    }

    #[test]
    fn version_shares_are_of_the_devices_that_reported_a_version_with_the_rest_together() {
        let distribution = VersionDistribution {
            product_key: "pk".into(),
            module_name: "default".into(),
            total: 120,
            versions: VersionCountList {
                items: vec![
                    VersionCount { version: "3.1.0".into(), device_count: 97 },
                    VersionCount { version: "3.0.0".into(), device_count: 20 },
                ],
            },
            others_count: 3,
            others_version_count: 1,
        };
        let shares = version_shares(&distribution);
        assert_eq!(shares.iter().map(|s| s.count).sum::<u64>(), 120);
        assert_eq!(shares[0].per_mille, 808);
        assert_eq!(shares[2].key, VersionGroup::Others { versions: 1 });
        assert_eq!(shares[2].per_mille, 25);
    }

    #[test]
    fn outcomes_cover_every_task_once() {
        let mut counts = TaskCounts::default();
        for (status, n) in
            [(TaskStatus::Queued, 5), (TaskStatus::InProgress, 1), (TaskStatus::Succeeded, 3), (TaskStatus::Failed, 1)]
        {
            counts.add(status, n);
        }
        let shares = outcome_shares(&counts);
        assert_eq!(shares.iter().map(|s| s.count).sum::<u64>(), counts.total);
        assert_eq!((shares[3].key, shares[3].count, shares[3].per_mille), (Outcome::Unfinished, 6, 600));
        assert_eq!(Outcome::Unfinished.status(), None);
    }

    #[test]
    fn nothing_has_no_share() {
        assert_eq!(per_mille(0, 0), None);
        assert_eq!(per_mille(1, 3), Some(333));
    }
}
