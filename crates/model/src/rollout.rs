//! The rules that decide a task's fate when a batch is created or changed: which devices a
//! package can update, what state a new task starts in, and what happens when a device
//! already has an unfinished task (§3.11 usage notes, §5.2, §7.2).

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::enums::{FirmwareType, JobStatus, OverwriteMode, SelectionType, TaskStatus};
use crate::job::create::GrayPercent;
use crate::task::TaskReason;
use crate::time::UtcTime;

/// The state a new (or re-run) task starts in.
pub fn initial_status(need_confirm: bool) -> TaskStatus {
    if need_confirm { TaskStatus::Confirm } else { TaskStatus::Queued }
}

/// What a package needs of a device's current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageVersions<'a> {
    pub dest: &'a str,
    pub firmware_type: FirmwareType,
    /// Differential packages: the one version they apply to.
    pub src: Option<&'a str>,
}

/// Why a device is not taken into a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// It already runs the destination version.
    AlreadyUpdated,
    /// A differential package does not apply to its version (or to an unknown one).
    WrongSource,
    /// Its version is not among the batch's source versions (or is unknown).
    NotASourceVersion,
}

/// Whether a device on `current` (as last reported; `None` if never) is a target of a
/// package, given the batch's source versions (empty: any).
pub fn eligibility(current: Option<&str>, package: PackageVersions<'_>, sources: &[String]) -> Result<(), Skip> {
    if current == Some(package.dest) {
        return Err(Skip::AlreadyUpdated);
    }
    if package.firmware_type == FirmwareType::Differential && current != package.src {
        return Err(Skip::WrongSource);
    }
    if !sources.is_empty() && !current.is_some_and(|c| sources.iter().any(|s| s == c)) {
        return Err(Skip::NotASourceVersion);
    }
    Ok(())
}

/// What a new batch does about a device's unfinished task in another batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// They do not touch each other: different modules in multi-module mode.
    None,
    /// The old task carries on; the new one is created `FAILED`.
    FailNew,
    /// The old task is cancelled (overwritten); the new one proceeds.
    CancelOld,
}

/// The rule for one existing unfinished task of the device.
pub fn conflict(
    existing_status: TaskStatus,
    existing_module: &str,
    new_module: &str,
    overwrite: OverwriteMode,
    multi_module_mode: bool,
) -> Conflict {
    let same_module = existing_module == new_module;
    if multi_module_mode && !same_module {
        return Conflict::None;
    }
    // In multi-module mode, tasks of the same module overwrite each other.
    let overwrites = multi_module_mode || overwrite == OverwriteMode::Overwrite;
    if !overwrites || existing_status == TaskStatus::InProgress { Conflict::FailNew } else { Conflict::CancelOld }
}

/// A device a batch might take: its ID and the version it last reported for the package's
/// module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub iot_id: &'a str,
    pub version: Option<&'a str>,
}

/// An unfinished task a candidate already has, in another batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Existing<'a> {
    pub task_id: &'a str,
    pub iot_id: &'a str,
    pub module: &'a str,
    pub status: TaskStatus,
}

/// What the new batch asks for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub package: PackageVersions<'a>,
    pub module: &'a str,
    /// Only devices on these versions; empty: any.
    pub sources: &'a [String],
    pub overwrite: OverwriteMode,
    pub multi_module_mode: bool,
    pub need_confirm: bool,
    /// A share of the eligible devices, chosen by a stable shuffle seeded with `seed`.
    pub gray: Option<GrayPercent>,
    pub seed: &'a str,
}

/// A task to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTask {
    pub iot_id: String,
    /// The device's version now (empty if it never reported one).
    pub src_version: String,
    pub status: TaskStatus,
    pub reason: Option<TaskReason>,
}

/// What creating the batch does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub tasks: Vec<PlannedTask>,
    /// Older tasks the new batch overwrites: they become `CANCELED` (`OVERWRITTEN`).
    pub overwritten: Vec<String>,
    /// Candidates left out, and why.
    pub skipped: Vec<(String, Skip)>,
}

impl Plan {
    /// Whether the batch starts with nothing left to do.
    pub fn all_finished(&self) -> bool {
        self.tasks.iter().all(|task| task.status.is_finished())
    }

    /// The state the batch starts in: `PLANNED` while its scheduled `start` lies ahead,
    /// `COMPLETED` for a static batch left with nothing to do (every task failed), else
    /// `IN_PROGRESS` (a dynamic batch waits for devices to come).
    pub fn job_status(&self, selection: SelectionType, start: Option<UtcTime>, now: UtcTime) -> JobStatus {
        if start.is_some_and(|start| start > now) {
            JobStatus::Planned
        } else if selection == SelectionType::Static && self.all_finished() {
            JobStatus::Completed
        } else {
            JobStatus::InProgress
        }
    }
}

/// Decides the tasks of a new batch from its candidates and their unfinished tasks.
pub fn plan(candidates: &[Candidate<'_>], existing: &[Existing<'_>], request: Request<'_>) -> Plan {
    let mut plan = Plan::default();
    let mut eligible: Vec<&Candidate<'_>> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        match eligibility(candidate.version, request.package, request.sources) {
            Ok(()) => eligible.push(candidate),
            Err(skip) => plan.skipped.push((candidate.iot_id.to_owned(), skip)),
        }
    }
    if let Some(gray) = request.gray {
        let share = gray.of(eligible.len() as u64) as usize;
        let rank = |c: &Candidate<'_>| {
            let mut hasher = DefaultHasher::new();
            (request.seed, c.iot_id).hash(&mut hasher);
            hasher.finish()
        };
        eligible.sort_by_key(|c| rank(c));
        eligible.truncate(share);
        eligible.sort_by_key(|c| c.iot_id);
    }
    for candidate in eligible {
        let mut status = initial_status(request.need_confirm);
        let mut reason = None;
        let mut to_cancel = Vec::new();
        for old in existing.iter().filter(|old| old.iot_id == candidate.iot_id) {
            match conflict(old.status, old.module, request.module, request.overwrite, request.multi_module_mode) {
                Conflict::None => {}
                Conflict::CancelOld => to_cancel.push(old.task_id.to_owned()),
                Conflict::FailNew => {
                    status = TaskStatus::Failed;
                    reason = Some(TaskReason::Conflict);
                }
            }
        }
        // A new task that fails overwrites nothing.
        if status != TaskStatus::Failed {
            plan.overwritten.extend(to_cancel);
        }
        plan.tasks.push(PlannedTask {
            iot_id: candidate.iot_id.to_owned(),
            src_version: candidate.version.unwrap_or_default().to_owned(),
            status,
            reason,
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use OverwriteMode::{Keep, Overwrite};
    use TaskStatus::*;

    const FULL: PackageVersions<'static> =
        PackageVersions { dest: "2.0", firmware_type: FirmwareType::Full, src: None };
    const DELTA: PackageVersions<'static> =
        PackageVersions { dest: "2.0", firmware_type: FirmwareType::Differential, src: Some("1.0") };

    #[test]
    fn tasks_wait_for_confirmation_only_when_the_batch_asks_for_it() {
        assert_eq!(initial_status(true), Confirm);
        assert_eq!(initial_status(false), Queued);
    }

    #[test]
    fn devices_on_the_destination_version_are_skipped() {
        assert_eq!(eligibility(Some("2.0"), FULL, &[]), Err(Skip::AlreadyUpdated));
        assert_eq!(eligibility(Some("1.5"), FULL, &[]), Ok(()));
        assert_eq!(eligibility(None, FULL, &[]), Ok(()), "a full package needs no known version");
    }

    #[test]
    fn differential_packages_need_their_exact_source_version() {
        assert_eq!(eligibility(Some("1.0"), DELTA, &[]), Ok(()));
        assert_eq!(eligibility(Some("1.5"), DELTA, &[]), Err(Skip::WrongSource));
        assert_eq!(eligibility(None, DELTA, &[]), Err(Skip::WrongSource));
    }

    #[test]
    fn source_versions_filter_by_the_reported_version() {
        let sources = vec!["1.0".to_owned(), "1.1".to_owned()];
        assert_eq!(eligibility(Some("1.1"), FULL, &sources), Ok(()));
        assert_eq!(eligibility(Some("0.9"), FULL, &sources), Err(Skip::NotASourceVersion));
        assert_eq!(eligibility(None, FULL, &sources), Err(Skip::NotASourceVersion));
    }

    #[test]
    fn without_overwrite_the_old_task_wins() {
        assert_eq!(conflict(Queued, "default", "default", Keep, false), Conflict::FailNew);
        assert_eq!(conflict(Confirm, "mcu", "default", Keep, false), Conflict::FailNew, "any module counts");
    }

    #[test]
    fn overwrite_cancels_the_old_task_unless_it_is_updating() {
        assert_eq!(conflict(Notified, "default", "default", Overwrite, false), Conflict::CancelOld);
        assert_eq!(conflict(InProgress, "default", "default", Overwrite, false), Conflict::FailNew);
    }

    fn request<'a>(sources: &'a [String], overwrite: OverwriteMode) -> Request<'a> {
        Request {
            package: FULL,
            module: "default",
            sources,
            overwrite,
            multi_module_mode: false,
            need_confirm: false,
            gray: None,
            seed: "job-1",
        }
    }

    #[test]
    fn a_plan_skips_ineligible_devices_and_fails_conflicting_ones() {
        let candidates = [
            Candidate { iot_id: "a", version: Some("1.0") },
            Candidate { iot_id: "b", version: Some("2.0") },
            Candidate { iot_id: "c", version: Some("1.0") },
        ];
        let existing = [Existing { task_id: "old", iot_id: "c", module: "default", status: Queued }];
        let plan = plan(&candidates, &existing, request(&[], Keep));
        assert_eq!(plan.skipped, [("b".to_owned(), Skip::AlreadyUpdated)]);
        let states: Vec<_> = plan.tasks.iter().map(|t| (t.iot_id.as_str(), t.status, t.reason)).collect();
        assert_eq!(states, [("a", Queued, None), ("c", Failed, Some(TaskReason::Conflict))]);
        assert!(plan.overwritten.is_empty());
        assert_eq!(plan.tasks[0].src_version, "1.0");
    }

    #[test]
    fn an_overwriting_plan_cancels_the_old_tasks_it_replaces() {
        let candidates = [Candidate { iot_id: "a", version: None }, Candidate { iot_id: "b", version: None }];
        let existing = [
            Existing { task_id: "t-a", iot_id: "a", module: "default", status: Notified },
            Existing { task_id: "t-b", iot_id: "b", module: "default", status: InProgress },
        ];
        let plan = plan(&candidates, &existing, request(&[], Overwrite));
        assert_eq!(plan.overwritten, ["t-a"]);
        assert_eq!(plan.tasks[1].status, Failed, "an updating device is never overwritten");
    }

    #[test]
    fn a_gray_plan_takes_a_stable_share_of_the_eligible_devices() {
        let names: Vec<String> = (0..100).map(|i| format!("d{i:03}")).collect();
        let candidates: Vec<Candidate<'_>> = names.iter().map(|n| Candidate { iot_id: n, version: None }).collect();
        let gray = Request { gray: Some("33.33".parse().unwrap()), ..request(&[], Keep) };
        let first = plan(&candidates, &[], gray);
        assert_eq!(first.tasks.len(), 33);
        assert_eq!(first, plan(&candidates, &[], gray), "the same batch picks the same devices");
        let other = plan(&candidates, &[], Request { seed: "job-2", ..gray });
        assert_ne!(first.tasks, other.tasks, "another batch picks others");
    }

    #[test]
    fn confirmation_makes_new_tasks_wait() {
        let candidates = [Candidate { iot_id: "a", version: None }];
        let plan = plan(&candidates, &[], Request { need_confirm: true, ..request(&[], Keep) });
        assert_eq!(plan.tasks[0].status, Confirm);
        assert!(!plan.all_finished());
    }

    #[test]
    fn a_batch_starts_planned_completed_or_in_progress() {
        let now = UtcTime::from_millis(1_800_000_000_000).unwrap();
        let later = UtcTime::from_millis(now.millis() + 600_000);
        let queued = plan(&[Candidate { iot_id: "a", version: None }], &[], request(&[], Keep));
        let existing = [Existing { task_id: "old", iot_id: "a", module: "default", status: Queued }];
        let conflicting = plan(&[Candidate { iot_id: "a", version: None }], &existing, request(&[], Keep));
        assert_eq!(queued.job_status(SelectionType::Static, None, now), JobStatus::InProgress);
        assert_eq!(queued.job_status(SelectionType::Static, later, now), JobStatus::Planned);
        assert_eq!(conflicting.job_status(SelectionType::Static, None, now), JobStatus::Completed, "all failed");
        assert_eq!(conflicting.job_status(SelectionType::Static, later, now), JobStatus::Planned, "it waits anyway");
        assert_eq!(Plan::default().job_status(SelectionType::Dynamic, None, now), JobStatus::InProgress);
    }

    #[test]
    fn multi_module_mode_keeps_modules_apart_and_overwrites_within_one() {
        assert_eq!(conflict(Queued, "mcu", "default", Keep, true), Conflict::None);
        assert_eq!(conflict(Queued, "mcu", "mcu", Keep, true), Conflict::CancelOld);
        assert_eq!(conflict(InProgress, "mcu", "mcu", Keep, true), Conflict::FailNew);
    }
}
