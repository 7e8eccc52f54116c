//! The rules that decide a task's fate when a batch is created or changed: which devices a
//! package can update, what state a new task starts in, and what happens when a device
//! already has an unfinished task (§3.11 usage notes, §5.2, §7.2).

use crate::enums::{FirmwareType, OverwriteMode, TaskStatus};

/// The state a new (or re-run) task starts in.
pub fn initial_status(need_confirm: bool) -> TaskStatus {
    if need_confirm {
        TaskStatus::Confirm
    } else {
        TaskStatus::Queued
    }
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
pub fn eligibility(
    current: Option<&str>,
    package: PackageVersions<'_>,
    sources: &[String],
) -> Result<(), Skip> {
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
    if !overwrites || existing_status == TaskStatus::InProgress {
        Conflict::FailNew
    } else {
        Conflict::CancelOld
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OverwriteMode::{Keep, Overwrite};
    use TaskStatus::*;

    const FULL: PackageVersions<'static> = PackageVersions {
        dest: "2.0",
        firmware_type: FirmwareType::Full,
        src: None,
    };
    const DELTA: PackageVersions<'static> = PackageVersions {
        dest: "2.0",
        firmware_type: FirmwareType::Differential,
        src: Some("1.0"),
    };

    #[test]
    fn tasks_wait_for_confirmation_only_when_the_batch_asks_for_it() {
        assert_eq!(initial_status(true), Confirm);
        assert_eq!(initial_status(false), Queued);
    }

    #[test]
    fn devices_on_the_destination_version_are_skipped() {
        assert_eq!(
            eligibility(Some("2.0"), FULL, &[]),
            Err(Skip::AlreadyUpdated)
        );
        assert_eq!(eligibility(Some("1.5"), FULL, &[]), Ok(()));
        assert_eq!(
            eligibility(None, FULL, &[]),
            Ok(()),
            "a full package needs no known version"
        );
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
        assert_eq!(
            eligibility(Some("0.9"), FULL, &sources),
            Err(Skip::NotASourceVersion)
        );
        assert_eq!(
            eligibility(None, FULL, &sources),
            Err(Skip::NotASourceVersion)
        );
    }

    #[test]
    fn without_overwrite_the_old_task_wins() {
        assert_eq!(
            conflict(Queued, "default", "default", Keep, false),
            Conflict::FailNew
        );
        assert_eq!(
            conflict(Confirm, "mcu", "default", Keep, false),
            Conflict::FailNew,
            "any module counts"
        );
    }

    #[test]
    fn overwrite_cancels_the_old_task_unless_it_is_updating() {
        assert_eq!(
            conflict(Notified, "default", "default", Overwrite, false),
            Conflict::CancelOld
        );
        assert_eq!(
            conflict(InProgress, "default", "default", Overwrite, false),
            Conflict::FailNew
        );
    }

    #[test]
    fn multi_module_mode_keeps_modules_apart_and_overwrites_within_one() {
        assert_eq!(
            conflict(Queued, "mcu", "default", Keep, true),
            Conflict::None
        );
        assert_eq!(
            conflict(Queued, "mcu", "mcu", Keep, true),
            Conflict::CancelOld
        );
        assert_eq!(
            conflict(InProgress, "mcu", "mcu", Keep, true),
            Conflict::FailNew
        );
    }
}
