//! Every state × every event, as a table; then the retry rules, which need a policy with
//! retries.

use super::*;
use crate::enums::{RetryCount, RetryInterval};

fn at(minutes: i64) -> UtcTime {
    UtcTime(UtcTime::from_millis(1_800_000_000_000).unwrap().0 + Duration::minutes(minutes))
}

const NO_RETRY: TaskPolicy = TaskPolicy { need_confirm: false, timeout_in_minutes: Some(30), retry: None };
const RETRY_TWICE: TaskPolicy = TaskPolicy {
    need_confirm: false,
    timeout_in_minutes: Some(30),
    retry: Some(Retry { interval: RetryInterval::TenMinutes, count: RetryCount::Twice }),
};

/// A task in `status` that started updating at minute 0 (if it got that far).
fn task(status: TaskStatus) -> Task {
    let updating = matches!(status, TaskStatus::InProgress);
    Task {
        status,
        progress: if updating { 40 } else { 0 },
        reason: match status {
            TaskStatus::Failed => Some(TaskReason::DownloadFailed),
            TaskStatus::Canceled => Some(TaskReason::CanceledByJob),
            _ => None,
        },
        src_version: "1.0.0".into(),
        dest_version: "2.0.0".into(),
        first_progress: updating.then(|| at(0)),
        retries_used: 0,
        retry_at: None,
    }
}

/// An outcome in a few characters: `-` for none, else the state, `/REASON`, `+push`, `+retry`.
fn render(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Unchanged => "-".into(),
        Outcome::Changed { task, push } => {
            let mut text = task.status.as_str().to_owned();
            if let Some(reason) = task.reason {
                text += &format!("/{}", reason.as_str());
            }
            if task.retry_at.is_some() {
                text += "+retry";
            }
            if *push {
                text += "+push";
            }
            text
        }
    }
}

/// The events of the table, each applied at minute 10 except the late tick (minute 31, past
/// the 30-minute timeout).
const EVENTS: &[(&str, Event<'static>, i64)] = &[
    ("confirm", Event::Confirmed, 10),
    ("notify", Event::Notified, 10),
    ("progress 50", Event::Progress(Step::Percent(50)), 10),
    ("progress -2", Event::Progress(Step::Failed(TaskReason::DownloadFailed)), 10),
    ("reports dest", Event::VersionReported("2.0.0"), 10),
    ("reports src", Event::VersionReported("1.0.0"), 10),
    ("reports other", Event::VersionReported("1.5.0"), 10),
    ("tick", Event::Tick, 10),
    ("late tick", Event::Tick, 31),
    ("cancel", Event::Cancel(TaskReason::CanceledByJob), 10),
    ("schedule ends", Event::ScheduleEnded, 10),
    ("reupgrade", Event::Reupgrade, 10),
];

#[test]
fn every_state_answers_every_event() {
    use TaskStatus::*;
    #[rustfmt::skip]
    let table: &[(TaskStatus, [&str; 12])] = &[
        //            confirm   notify      progress 50    progress -2               reports dest  reports src  reports other               tick  late tick             cancel                      schedule ends                reupgrade
        (Confirm,    ["QUEUED", "-",        "-",           "-",                      "SUCCEEDED",  "-",         "-",                        "-",  "-",                  "CANCELED/CANCELED_BY_JOB", "CANCELED/SCHEDULE_ENDED",   "-"]),
        (Queued,     ["-",      "NOTIFIED", "IN_PROGRESS", "FAILED/DOWNLOAD_FAILED", "SUCCEEDED",  "-",         "-",                        "-",  "-",                  "CANCELED/CANCELED_BY_JOB", "CANCELED/SCHEDULE_ENDED",   "-"]),
        (Notified,   ["-",      "-",        "IN_PROGRESS", "FAILED/DOWNLOAD_FAILED", "SUCCEEDED",  "-",         "-",                        "-",  "-",                  "CANCELED/CANCELED_BY_JOB", "CANCELED/SCHEDULE_ENDED",   "-"]),
        (InProgress, ["-",      "-",        "IN_PROGRESS", "FAILED/DOWNLOAD_FAILED", "SUCCEEDED",  "-",         "FAILED/VERSION_MISMATCH",  "-",  "FAILED/TIMEOUT",     "CANCELED/CANCELED_BY_JOB", "-",                         "-"]),
        (Succeeded,  ["-",      "-",        "-",           "-",                      "-",          "-",         "-",                        "-",  "-",                  "-",                        "-",                         "-"]),
        (Failed,     ["-",      "-",        "-",           "-",                      "-",          "-",         "-",                        "-",  "-",                  "-",                        "-",                         "QUEUED"]),
        (Canceled,   ["-",      "-",        "-",           "-",                      "-",          "-",         "-",                        "-",  "-",                  "-",                        "-",                         "QUEUED"]),
    ];
    let mut wrong = Vec::new();
    for (status, expected) in table {
        for ((name, event, minute), want) in EVENTS.iter().zip(expected) {
            let got = render(&apply(&task(*status), &NO_RETRY, *event, at(*minute)));
            if got != *want {
                wrong.push(format!("{} + {name}: expected {want}, got {got}", status.as_str()));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn the_timeout_counts_from_the_first_progress_report_only() {
    let notified = task(TaskStatus::Notified);
    assert_eq!(notified.deadline(&NO_RETRY), None, "a pushed device that stays silent never times out");
    let Outcome::Changed { task: updating, .. } = apply(&notified, &NO_RETRY, Event::Progress(Step::Percent(0)), at(5))
    else {
        panic!("progress 0 starts the update")
    };
    assert_eq!(updating.deadline(&NO_RETRY), Some(at(35)));
    let Outcome::Changed { task: later, .. } = apply(&updating, &NO_RETRY, Event::Progress(Step::Percent(60)), at(20))
    else {
        panic!("progress moves")
    };
    assert_eq!(later.deadline(&NO_RETRY), Some(at(35)), "later reports do not restart the clock");
    assert_eq!(apply(&later, &NO_RETRY, Event::Tick, at(34)), Outcome::Unchanged);
    assert_eq!(render(&apply(&later, &NO_RETRY, Event::Tick, at(35))), "FAILED/TIMEOUT");
    let no_timeout = TaskPolicy { timeout_in_minutes: None, ..NO_RETRY };
    assert_eq!(later.deadline(&no_timeout), None);
}

#[test]
fn a_repeated_progress_report_changes_nothing() {
    let updating = task(TaskStatus::InProgress);
    assert_eq!(apply(&updating, &NO_RETRY, Event::Progress(Step::Percent(40)), at(3)), Outcome::Unchanged);
}

#[test]
fn steps_are_read_as_the_device_protocol_defines_them() {
    assert_eq!(Step::from_number(0), Some(Step::Percent(0)));
    assert_eq!(Step::from_number(100), Some(Step::Percent(100)));
    assert_eq!(Step::from_number(-3), Some(Step::Failed(TaskReason::VerifyFailed)));
    assert_eq!(Step::from_number(-4), Some(Step::Failed(TaskReason::FlashFailed)));
    assert_eq!(Step::from_number(101), None);
    assert_eq!(Step::from_number(-5), None);
}

#[test]
fn a_reupgraded_task_waits_for_confirmation_again_when_the_batch_needs_it() {
    let confirming = TaskPolicy { need_confirm: true, ..NO_RETRY };
    let Outcome::Changed { task: again, .. } = apply(&task(TaskStatus::Failed), &confirming, Event::Reupgrade, at(1))
    else {
        panic!("a failed task runs again")
    };
    assert_eq!((again.status, again.reason, again.progress), (TaskStatus::Confirm, None, 0));
}

// ---- automatic retries (§7.3) ---------------------------------------------------------------

/// Applies events in turn, each at its minute, and renders each outcome.
fn run(mut current: Task, policy: &TaskPolicy, events: &[(Event<'_>, i64)]) -> (Task, Vec<String>) {
    let mut seen = Vec::new();
    for (event, minute) in events {
        let outcome = apply(&current, policy, *event, at(*minute));
        seen.push(render(&outcome));
        if let Outcome::Changed { task, .. } = outcome {
            current = task;
        }
    }
    (current, seen)
}

#[test]
fn a_failed_attempt_waits_its_interval_showing_the_state_it_had_then_pushes_again() {
    let (retried, seen) = run(
        task(TaskStatus::InProgress),
        &RETRY_TWICE,
        &[(Event::Progress(Step::Failed(TaskReason::FlashFailed)), 5), (Event::Tick, 14), (Event::Tick, 15)],
    );
    assert_eq!(seen, ["IN_PROGRESS+retry", "-", "IN_PROGRESS+push"]);
    assert_eq!((retried.retries_used, retried.first_progress), (1, None));
    let (_, seen) = run(retried, &RETRY_TWICE, &[(Event::Progress(Step::Percent(10)), 20), (Event::Tick, 49)]);
    assert_eq!(seen, ["IN_PROGRESS", "-"], "the new attempt's clock starts at its own first report");
}

#[test]
fn retries_run_out_and_the_last_failure_is_final() {
    let (_, seen) = run(
        task(TaskStatus::Notified),
        &RETRY_TWICE,
        &[
            (Event::Progress(Step::Failed(TaskReason::DownloadFailed)), 0),
            (Event::Tick, 10),
            (Event::Progress(Step::Failed(TaskReason::DownloadFailed)), 11),
            (Event::Tick, 21),
            (Event::Progress(Step::Failed(TaskReason::DownloadFailed)), 22),
        ],
    );
    assert_eq!(seen, ["NOTIFIED+retry", "NOTIFIED+push", "NOTIFIED+retry", "NOTIFIED+push", "FAILED/DOWNLOAD_FAILED"]);
}

#[test]
fn a_foreign_version_is_retried_but_a_timeout_never_is() {
    let (_, seen) = run(task(TaskStatus::InProgress), &RETRY_TWICE, &[(Event::VersionReported("9.9.9"), 3)]);
    assert_eq!(seen, ["IN_PROGRESS+retry"]);
    let (_, seen) = run(task(TaskStatus::InProgress), &RETRY_TWICE, &[(Event::Tick, 30)]);
    assert_eq!(seen, ["FAILED/TIMEOUT"]);
}

#[test]
fn only_batches_naming_source_versions_retry() {
    let policy = JobPolicy {
        retry: Some(Retry { interval: RetryInterval::Immediately, count: RetryCount::Once }),
        ..JobPolicy::default()
    };
    assert_eq!(TaskPolicy::of(&policy, false).retry, None);
    assert_eq!(TaskPolicy::of(&policy, true).retry, policy.retry);
}

#[test]
fn while_a_retry_waits_the_device_can_pull_succeed_or_be_stopped() {
    let (waiting, _) =
        run(task(TaskStatus::Notified), &RETRY_TWICE, &[(Event::Progress(Step::Failed(TaskReason::UpgradeFailed)), 0)]);
    let (_, pulled) = run(waiting.clone(), &RETRY_TWICE, &[(Event::Notified, 2), (Event::Tick, 10)]);
    assert_eq!(pulled, ["NOTIFIED", "-"], "pulling starts the retry at once");
    let (_, resumed) = run(waiting.clone(), &RETRY_TWICE, &[(Event::Progress(Step::Percent(5)), 2), (Event::Tick, 10)]);
    assert_eq!(resumed, ["IN_PROGRESS", "-"], "so does updating again by itself");
    let (_, seen) = run(waiting.clone(), &RETRY_TWICE, &[(Event::VersionReported("2.0.0"), 2)]);
    assert_eq!(seen, ["SUCCEEDED"]);
    let (_, seen) = run(waiting.clone(), &RETRY_TWICE, &[(Event::ScheduleEnded, 2)]);
    assert_eq!(seen, ["CANCELED/SCHEDULE_ENDED"]);
    let (_, seen) = run(waiting, &RETRY_TWICE, &[(Event::Progress(Step::Failed(TaskReason::UpgradeFailed)), 3)]);
    assert_eq!(seen, ["-"], "a stale failure report does not use up another retry");
}

#[test]
fn a_percentage_is_superseded_by_the_next_but_a_failure_never_is() {
    let (ten, twenty, failed) = (Step::Percent(10), Step::Percent(20), Step::Failed(TaskReason::DownloadFailed));
    assert!(ten.superseded_by(twenty));
    assert!(!ten.superseded_by(failed), "the percentage before a failure is kept");
    assert!(!failed.superseded_by(twenty));
    // Skipping the first of two percentages ends in the same task as applying both.
    for status in [TaskStatus::Queued, TaskStatus::Notified, TaskStatus::InProgress] {
        let only_last = apply(&task(status), &NO_RETRY, Event::Progress(twenty), at(1));
        let both = match apply(&task(status), &NO_RETRY, Event::Progress(ten), at(1)) {
            Outcome::Changed { task, .. } => apply(&task, &NO_RETRY, Event::Progress(twenty), at(1)),
            Outcome::Unchanged => only_last.clone(),
        };
        let end = |outcome: Outcome| match outcome {
            Outcome::Changed { task, .. } => task,
            Outcome::Unchanged => task(status),
        };
        assert_eq!(end(both), end(only_last), "{status:?}");
    }
}
