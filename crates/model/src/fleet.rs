//! What the environment dashboard shows, computed once so that a chart and its table agree:
//! failures across batches by reason, and the batches behind one reason.

use std::collections::BTreeSet;

use crate::extensions::{FailureCount, FailureReasons};
use crate::task::TaskReason;

/// Failed tasks with one reason (none: failures recorded without a reason), across batches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonTotal {
    pub reason: Option<TaskReason>,
    pub count: u64,
    /// How many batches have such failures.
    pub jobs: usize,
}

/// Every reason with its failures summed over batches: most failures first, ties in the
/// order of [`TaskReason`], unexplained failures last among equals. A batch listed twice under
/// one reason (a backend that shows codes it does not know as none) is one batch.
pub fn reason_totals(failures: &FailureReasons) -> Vec<ReasonTotal> {
    let mut totals: Vec<(ReasonTotal, BTreeSet<&str>)> = Vec::new();
    for failure in &failures.failures.items {
        let index = totals.iter().position(|(t, _)| t.reason == failure.reason_code).unwrap_or_else(|| {
            totals.push((ReasonTotal { reason: failure.reason_code, count: 0, jobs: 0 }, BTreeSet::new()));
            totals.len() - 1
        });
        let (total, jobs) = &mut totals[index];
        total.count += failure.count;
        jobs.insert(failure.job_id.as_str());
        total.jobs = jobs.len();
    }
    let mut totals: Vec<ReasonTotal> = totals.into_iter().map(|(total, _)| total).collect();
    let rank = |reason: Option<TaskReason>| {
        reason.map_or(usize::MAX, |r| TaskReason::ALL.iter().position(|x| *x == r).unwrap_or(0))
    };
    totals.sort_by(|a, b| b.count.cmp(&a.count).then(rank(a.reason).cmp(&rank(b.reason))));
    totals
}

/// The batches with failures for `reason`, most first.
pub fn jobs_with_reason(failures: &FailureReasons, reason: Option<TaskReason>) -> Vec<FailureCount> {
    let mut jobs: Vec<FailureCount> =
        failures.failures.items.iter().filter(|f| f.reason_code == reason).cloned().collect();
    jobs.sort_by(|a, b| b.count.cmp(&a.count).then(a.job_id.cmp(&b.job_id)));
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions::FailureCountList;

    fn failure(job: &str, reason: Option<TaskReason>, count: u64) -> FailureCount {
        FailureCount { job_id: job.into(), firmware_id: "f".into(), reason_code: reason, count }
    }

    fn sample() -> FailureReasons {
        let items = vec![
            failure("j1", Some(TaskReason::Timeout), 3),
            failure("j2", Some(TaskReason::DownloadFailed), 4),
            failure("j2", Some(TaskReason::Timeout), 2),
            failure("j3", None, 1),
            failure("j3", Some(TaskReason::Conflict), 1),
        ];
        FailureReasons { total: 11, failures: FailureCountList { items } }
    }

    #[test]
    fn reasons_are_summed_over_batches_most_failures_first() {
        let totals = reason_totals(&sample());
        let summary: Vec<_> = totals.iter().map(|t| (t.reason, t.count, t.jobs)).collect();
        assert_eq!(
            summary,
            [
                (Some(TaskReason::Timeout), 5, 2),
                (Some(TaskReason::DownloadFailed), 4, 1),
                (Some(TaskReason::Conflict), 1, 1),
                (None, 1, 1),
            ]
        );
        assert_eq!(totals.iter().map(|t| t.count).sum::<u64>(), sample().total);
    }

    #[test]
    fn a_batch_listed_twice_under_one_reason_counts_once() {
        let items = vec![failure("j1", None, 2), failure("j1", None, 3), failure("j2", None, 1)];
        let totals = reason_totals(&FailureReasons { total: 6, failures: FailureCountList { items } });
        assert_eq!(totals, [ReasonTotal { reason: None, count: 6, jobs: 2 }]);
    }

    #[test]
    fn the_batches_behind_a_reason_are_listed_most_first() {
        let jobs = jobs_with_reason(&sample(), Some(TaskReason::Timeout));
        assert_eq!(jobs.iter().map(|j| (j.job_id.as_str(), j.count)).collect::<Vec<_>>(), [("j1", 3), ("j2", 2)]);
        assert!(jobs_with_reason(&sample(), Some(TaskReason::Overwritten)).is_empty());
    }
}
