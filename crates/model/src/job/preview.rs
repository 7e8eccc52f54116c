//! What creating a batch would do (extension `DryRun`): the review step of the console's batch
//! wizard says it, counted, before anything is created.

use serde::{Deserialize, Serialize};

use crate::enums::{JobStatus, TaskStatus};
use crate::rollout::{Plan, Skip};

/// A dry run's answer, `Data.DryRun`: the devices the batch would consider, the tasks it would
/// create by the state they would start in, the older tasks it would cancel, and why the other
/// candidates would be left out. With a `GRAY` target the eligible candidates outside the
/// share make up the rest of `Candidates`, and the share is drawn again when the batch is
/// created: `Tasks` holds, but its split by state and `Overwritten` are those of one draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobPreview {
    /// Devices considered: the named, listed or grouped ones, or every device of the product
    /// (`ALL`, `GRAY`, a dynamic batch in mode 1; mode 2 considers none until they report).
    pub candidates: u64,
    /// Tasks the batch would create, whatever state they start in.
    pub tasks: u64,
    /// Tasks that would start in `CONFIRM` (`NeedConfirm`).
    pub awaiting_confirmation: u64,
    /// Tasks that would start `QUEUED`.
    pub queued: u64,
    /// Tasks that would be created `FAILED` (`ReasonCode` `CONFLICT`): their device has an
    /// unfinished task in another batch that this one does not overwrite.
    pub conflicting: u64,
    /// Older unfinished tasks the batch would cancel (`OVERWRITTEN`).
    pub overwritten: u64,
    /// Candidates left out because they run the destination version already.
    pub already_updated: u64,
    /// Candidates left out because a differential package does not apply to their version.
    pub wrong_source: u64,
    /// Candidates left out because they are not on one of the batch's source versions.
    pub not_a_source_version: u64,
    /// The state the batch would start in: `PLANNED` (scheduled), `COMPLETED` (a static batch
    /// whose every task would fail) or `IN_PROGRESS`.
    pub job_status: JobStatus,
}

/// Nothing to do, starting at once.
impl Default for JobPreview {
    fn default() -> Self {
        Self {
            candidates: 0,
            tasks: 0,
            awaiting_confirmation: 0,
            queued: 0,
            conflicting: 0,
            overwritten: 0,
            already_updated: 0,
            wrong_source: 0,
            not_a_source_version: 0,
            job_status: JobStatus::InProgress,
        }
    }
}

impl JobPreview {
    /// The preview of `plan`, made from `candidates` devices, for a batch that would start in
    /// `job_status` (see [`Plan::job_status`]).
    pub fn of(candidates: usize, plan: &Plan, job_status: JobStatus) -> Self {
        let tasks_in = |status: TaskStatus| plan.tasks.iter().filter(|task| task.status == status).count() as u64;
        let skipped = |why: Skip| plan.skipped.iter().filter(|(_, skip)| *skip == why).count() as u64;
        Self {
            candidates: candidates as u64,
            tasks: plan.tasks.len() as u64,
            awaiting_confirmation: tasks_in(TaskStatus::Confirm),
            queued: tasks_in(TaskStatus::Queued),
            conflicting: tasks_in(TaskStatus::Failed),
            overwritten: plan.overwritten.len() as u64,
            already_updated: skipped(Skip::AlreadyUpdated),
            wrong_source: skipped(Skip::WrongSource),
            not_a_source_version: skipped(Skip::NotASourceVersion),
            job_status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{FirmwareType, OverwriteMode};
    use crate::rollout::{self, Candidate, Existing, PackageVersions, Request};

    fn request(sources: &[String], overwrite: OverwriteMode, need_confirm: bool) -> Request<'_> {
        Request {
            package: PackageVersions { dest: "2.0", firmware_type: FirmwareType::Full, src: None },
            module: "default",
            sources,
            overwrite,
            multi_module_mode: false,
            need_confirm,
            gray: None,
            seed: "preview",
        }
    }

    #[test]
    fn a_preview_counts_the_tasks_by_their_first_state_and_the_skipped_by_reason() {
        let candidates = [
            Candidate { iot_id: "on-1.0", version: Some("1.0") },
            Candidate { iot_id: "updated", version: Some("2.0") },
            Candidate { iot_id: "on-0.9", version: Some("0.9") },
            Candidate { iot_id: "busy", version: Some("1.0") },
            Candidate { iot_id: "waiting", version: Some("1.0") },
        ];
        let existing = [
            Existing { task_id: "t-busy", iot_id: "busy", module: "default", status: TaskStatus::InProgress },
            Existing { task_id: "t-waiting", iot_id: "waiting", module: "default", status: TaskStatus::Queued },
        ];
        let sources = ["1.0".to_owned()];
        let plan = rollout::plan(&candidates, &existing, request(&sources, OverwriteMode::Overwrite, false));
        let preview = JobPreview::of(candidates.len(), &plan, JobStatus::InProgress);
        assert_eq!(
            preview,
            JobPreview {
                candidates: 5,
                tasks: 3,
                queued: 2,
                conflicting: 1,
                overwritten: 1,
                already_updated: 1,
                not_a_source_version: 1,
                ..JobPreview::default()
            },
            "an updating device is never overwritten: its new task would fail"
        );
    }

    #[test]
    fn confirmation_shows_as_tasks_awaiting_it() {
        let candidates = [Candidate { iot_id: "a", version: None }, Candidate { iot_id: "b", version: None }];
        let plan = rollout::plan(&candidates, &[], request(&[], OverwriteMode::Keep, true));
        let preview = JobPreview::of(candidates.len(), &plan, JobStatus::Planned);
        assert_eq!((preview.tasks, preview.awaiting_confirmation, preview.queued), (2, 2, 0));
        assert_eq!(preview.job_status, JobStatus::Planned);
    }

    #[test]
    fn a_preview_reads_as_the_api_writes_it() {
        let preview =
            JobPreview { candidates: 30, tasks: 12, queued: 12, already_updated: 18, ..JobPreview::default() };
        let json = serde_json::to_value(preview).unwrap();
        assert_eq!(json["AwaitingConfirmation"], 0);
        assert_eq!(json["NotASourceVersion"], 0);
        assert_eq!(json["JobStatus"], "IN_PROGRESS");
        assert_eq!(serde_json::from_value::<JobPreview>(json).unwrap(), preview);
    }
}
