//! How a running dynamic batch takes on devices after its creation (§3.12): a device that
//! reports a matching version gets a task, as if the batch were created for it alone, at
//! most [`MAX_MATCHES`] times per batch.

use crate::enums::{DynamicMode, TaskStatus};
use crate::rollout::{Candidate, Existing, Plan, Request, plan};

/// How many times one dynamic batch takes on the same device; never again after that.
pub const MAX_MATCHES: u32 = 10;

/// A device's version report, as a running dynamic batch sees it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub iot_id: &'a str,
    pub version: &'a str,
    /// Whether the version differs from what the device reported before.
    pub changed: bool,
}

/// The device's history with the batch.
#[derive(Debug, Clone, Copy, Default)]
pub struct History {
    /// Tasks the batch gave the device so far.
    pub matches: u32,
    /// Whether one of them is unfinished.
    pub unfinished: bool,
}

/// What the report makes the batch do: a plan with the device's one new task (and the older
/// tasks it overwrites), or nothing.
pub fn on_report(
    mode: DynamicMode,
    report: Report<'_>,
    history: History,
    existing: &[Existing<'_>],
    request: Request<'_>,
) -> Option<Plan> {
    if history.unfinished || history.matches >= MAX_MATCHES {
        return None;
    }
    // Mode 2 takes on devices that report a new version, not ones repeating theirs.
    if mode == DynamicMode::NewReportsOnly && !report.changed {
        return None;
    }
    let plan = plan(&[Candidate { iot_id: report.iot_id, version: Some(report.version) }], existing, request);
    // A device busy with another batch is left alone (it is matched on a later report),
    // rather than given a failed task on every report.
    match plan.tasks.first() {
        Some(task) if task.status != TaskStatus::Failed => Some(plan),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{FirmwareType, OverwriteMode};
    use crate::rollout::PackageVersions;

    const PACKAGE: PackageVersions<'static> =
        PackageVersions { dest: "2.0", firmware_type: FirmwareType::Full, src: None };

    fn request(sources: &[String]) -> Request<'_> {
        Request {
            package: PACKAGE,
            module: "default",
            sources,
            overwrite: OverwriteMode::Keep,
            multi_module_mode: false,
            need_confirm: false,
            gray: None,
            seed: "job",
        }
    }

    fn report(version: &str, changed: bool) -> Report<'_> {
        Report { iot_id: "dev", version, changed }
    }

    #[test]
    fn a_matching_report_gets_the_device_a_queued_task() {
        let sources = vec!["1.0".to_owned()];
        let planned =
            on_report(DynamicMode::Continuous, report("1.0", false), History::default(), &[], request(&sources));
        let task = &planned.unwrap().tasks[0];
        assert_eq!((task.iot_id.as_str(), task.src_version.as_str(), task.status), ("dev", "1.0", TaskStatus::Queued));
    }

    #[test]
    fn other_versions_and_the_destination_are_not_matched() {
        let sources = vec!["1.0".to_owned()];
        for version in ["0.9", "2.0"] {
            let none =
                on_report(DynamicMode::Continuous, report(version, true), History::default(), &[], request(&sources));
            assert!(none.is_none(), "{version}");
        }
    }

    #[test]
    fn mode_2_takes_only_new_reports() {
        let sources = vec!["1.0".to_owned()];
        let again =
            on_report(DynamicMode::NewReportsOnly, report("1.0", false), History::default(), &[], request(&sources));
        assert!(again.is_none(), "the same version again is not a new report");
        let new =
            on_report(DynamicMode::NewReportsOnly, report("1.0", true), History::default(), &[], request(&sources));
        assert!(new.is_some());
    }

    #[test]
    fn a_device_is_matched_at_most_ten_times_and_never_twice_at_once() {
        let sources = vec!["1.0".to_owned()];
        let at = |matches, unfinished| {
            on_report(
                DynamicMode::Continuous,
                report("1.0", true),
                History { matches, unfinished },
                &[],
                request(&sources),
            )
        };
        assert!(at(9, false).is_some());
        assert!(at(10, false).is_none(), "the tenth match was the last");
        assert!(at(3, true).is_none(), "its task in this batch is still running");
    }

    #[test]
    fn a_device_busy_elsewhere_waits_instead_of_failing() {
        let sources = vec!["1.0".to_owned()];
        let busy = [Existing { task_id: "t1", iot_id: "dev", module: "default", status: TaskStatus::InProgress }];
        let none =
            on_report(DynamicMode::Continuous, report("1.0", true), History::default(), &busy, request(&sources));
        assert!(none.is_none());
        let queued = [Existing { task_id: "t1", iot_id: "dev", module: "default", status: TaskStatus::Queued }];
        let overwriting = Request { overwrite: OverwriteMode::Overwrite, ..request(&sources) };
        let plan = on_report(DynamicMode::Continuous, report("1.0", true), History::default(), &queued, overwriting);
        assert_eq!(plan.unwrap().overwritten, ["t1"], "with overwrite, the older queued task gives way");
    }
}
