//! What the data-analysis charts show, computed once so that a chart, its table and the device
//! lists agree: shares of a whole with the whole they are shares of.

use crate::enums::TaskStatus;
use crate::extensions::{TaskCounts, VersionDistribution};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions::{VersionCount, VersionCountList};

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
