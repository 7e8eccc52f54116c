//! The task state machine (§5.2, §7.2, §7.3): what each event does to one device's task.
//!
//! Pure: the engine reads a task, applies an event at a time it supplies, and stores what comes
//! back. Rules the vendor leaves open are decided here, once:
//! - A device that reports the destination version has it, whatever the task's state: the task
//!   succeeds (an offline device may have been updated another way, or before a crash).
//! - Progress on a QUEUED task counts (a push the engine sent just before a crash); progress on
//!   a CONFIRM task does not (nobody confirmed it).
//! - An automatic retry is a new attempt: it pushes again and its timeout counts from its own
//!   first progress report. While it waits, the task shows the state it had (§7.3).
//! - At a batch's scheduled end, tasks not yet updating are cancelled; tasks updating run on to
//!   their outcome, as the device is in the middle of it.

use chrono::Duration;

use crate::enums::TaskStatus;
use crate::job::policy::{JobPolicy, Retry};
use crate::rollout::initial_status;
use crate::task::TaskReason;
use crate::time::UtcTime;

/// What the state machine needs of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskPolicy {
    pub need_confirm: bool,
    pub timeout_in_minutes: Option<u32>,
    /// Automatic retries; only batches that name source versions get them (§7.3).
    pub retry: Option<Retry>,
}

impl TaskPolicy {
    pub fn of(policy: &JobPolicy, names_source_versions: bool) -> Self {
        Self {
            need_confirm: policy.need_confirm,
            timeout_in_minutes: policy.timeout_in_minutes,
            retry: policy.retry.filter(|_| names_source_versions),
        }
    }
}

/// A task as the state machine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub status: TaskStatus,
    /// 0–100, as last reported.
    pub progress: u8,
    /// Why a FAILED or CANCELED task ended.
    pub reason: Option<TaskReason>,
    pub src_version: String,
    pub dest_version: String,
    /// The current attempt's first progress report: its timeout counts from here.
    pub first_progress: Option<UtcTime>,
    pub retries_used: u8,
    /// When a waiting automatic retry pushes again.
    pub retry_at: Option<UtcTime>,
}

impl Task {
    /// A new task in the state a batch creates it in.
    pub fn new(src_version: &str, dest_version: &str, policy: &TaskPolicy) -> Self {
        Self {
            status: initial_status(policy.need_confirm),
            progress: 0,
            reason: None,
            src_version: src_version.to_owned(),
            dest_version: dest_version.to_owned(),
            first_progress: None,
            retries_used: 0,
            retry_at: None,
        }
    }

    /// When time alone will change this task: a retry falling due, or a timeout.
    pub fn deadline(&self, policy: &TaskPolicy) -> Option<UtcTime> {
        if let Some(at) = self.retry_at {
            return Some(at);
        }
        let timeout = policy.timeout_in_minutes?;
        let started = self.first_progress.filter(|_| self.status == TaskStatus::InProgress)?;
        Some(UtcTime(started.0 + Duration::minutes(i64::from(timeout))))
    }

    fn waits_for_retry(&self) -> bool {
        self.retry_at.is_some()
    }
}

/// A progress report's `step` (§6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 0–100 percent.
    Percent(u8),
    /// −1 to −4: the device gave up, for this reason.
    Failed(TaskReason),
}

impl Step {
    /// Reads a step as devices send it: a string or number from −4 to 100.
    pub fn from_number(step: i64) -> Option<Self> {
        match step {
            0..=100 => Some(Self::Percent(step as u8)),
            -1 => Some(Self::Failed(TaskReason::UpgradeFailed)),
            -2 => Some(Self::Failed(TaskReason::DownloadFailed)),
            -3 => Some(Self::Failed(TaskReason::VerifyFailed)),
            -4 => Some(Self::Failed(TaskReason::FlashFailed)),
            _ => None,
        }
    }

    /// Whether this report says nothing that `next`, the same task's next report, does not:
    /// a percentage followed by another. Reports that arrive together may skip it.
    pub fn superseded_by(self, next: Step) -> bool {
        matches!((self, next), (Self::Percent(_), Self::Percent(_)))
    }
}

/// Something that happens to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The app confirmed the update (ConfirmOTATask).
    Confirmed,
    /// The package went to the device: pushed by the engine or pulled by the device.
    Notified,
    /// The device reported progress for the task's module.
    Progress(Step),
    /// The device reported its version of the task's module.
    VersionReported(&'a str),
    /// Time passed: a retry or a timeout may be due.
    Tick,
    /// Cancelled through the API or by a newer batch.
    Cancel(TaskReason),
    /// The batch's scheduled end came.
    ScheduleEnded,
    /// ReupgradeOTATask: a finished task runs again.
    Reupgrade,
}

/// What an event does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing: the event does not apply to a task in this state.
    Unchanged,
    /// The task becomes `task`; with `push`, the package goes to the device (again).
    Changed { task: Task, push: bool },
}

/// Applies `event` at `now` to `task` of a batch with `policy`.
pub fn apply(task: &Task, policy: &TaskPolicy, event: Event<'_>, now: UtcTime) -> Outcome {
    use TaskStatus::*;
    let status = task.status;
    if status.is_finished() && event != Event::Reupgrade {
        return Outcome::Unchanged;
    }
    match event {
        Event::Confirmed if status == Confirm => changed(Task { status: Queued, ..task.clone() }),
        Event::Notified if status == Queued => changed(Task { status: Notified, ..task.clone() }),
        // A device that pulls during a retry's wait starts the retry now.
        Event::Notified if task.waits_for_retry() => changed(new_attempt(task)),
        Event::Progress(Step::Percent(percent)) if status != Confirm => {
            if status == InProgress && !task.waits_for_retry() {
                // A retried attempt's clock starts at its first report, like the first one's.
                let first_progress = task.first_progress.or(Some(now));
                return if (task.progress, task.first_progress) == (percent, first_progress) {
                    Outcome::Unchanged
                } else {
                    changed(Task { progress: percent, first_progress, ..task.clone() })
                };
            }
            changed(Task {
                status: InProgress,
                progress: percent,
                first_progress: Some(now),
                retry_at: None,
                ..task.clone()
            })
        }
        Event::Progress(Step::Failed(reason)) if status != Confirm && !task.waits_for_retry() => {
            fail(task, policy, reason, now)
        }
        Event::VersionReported(version) if version == task.dest_version => {
            changed(Task { status: Succeeded, progress: 100, reason: None, retry_at: None, ..task.clone() })
        }
        Event::VersionReported(version)
            if status == InProgress && !task.waits_for_retry() && version != task.src_version =>
        {
            fail(task, policy, TaskReason::VersionMismatch, now)
        }
        Event::Tick => match task.deadline(policy) {
            Some(due) if due <= now && task.waits_for_retry() => {
                Outcome::Changed { task: new_attempt(task), push: true }
            }
            Some(due) if due <= now => end(task, Failed, TaskReason::Timeout),
            _ => Outcome::Unchanged,
        },
        Event::Cancel(reason) => end(task, Canceled, reason),
        Event::ScheduleEnded if status != InProgress || task.waits_for_retry() => {
            end(task, Canceled, TaskReason::ScheduleEnded)
        }
        Event::Reupgrade if matches!(status, Failed | Canceled) => {
            changed(Task::new(&task.src_version, &task.dest_version, policy))
        }
        _ => Outcome::Unchanged,
    }
}

fn changed(task: Task) -> Outcome {
    Outcome::Changed { task, push: false }
}

fn end(task: &Task, status: TaskStatus, reason: TaskReason) -> Outcome {
    changed(Task { status, reason: Some(reason), retry_at: None, ..task.clone() })
}

/// A failure the device reported: retried if the batch allows and retries are left (§7.3),
/// otherwise final.
fn fail(task: &Task, policy: &TaskPolicy, reason: TaskReason, now: UtcTime) -> Outcome {
    match policy.retry {
        Some(retry) if task.retries_used < retry.count.code() as u8 => {
            let wait = Duration::minutes(retry.interval.code());
            changed(Task {
                retries_used: task.retries_used + 1,
                retry_at: Some(UtcTime(now.0 + wait)),
                first_progress: None,
                ..task.clone()
            })
        }
        _ => end(task, TaskStatus::Failed, reason),
    }
}

/// The next attempt of a retried task: the clock restarts, the shown state stays.
fn new_attempt(task: &Task) -> Task {
    Task { retry_at: None, first_progress: None, ..task.clone() }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
