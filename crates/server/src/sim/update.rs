//! One update on a simulated device, as the steps it will take: what it reports, when it
//! downloads and checks the package, and how it ends.

use std::collections::VecDeque;

use super::mix::Fate;

/// A version no package has: what a device "boots" when its update goes wrong that way.
pub const RECOVERY_VERSION: &str = "0.0.0-recovery";

/// One thing a device does while updating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Reports this percentage.
    Progress(u8),
    /// Downloads the package and checks its digest; a real failure of either ends the update.
    Download,
    /// Reports a failure (-1 to -4) and gives up.
    Fail { step: i8, desc: &'static str },
    /// Restarts, coming back with this version.
    Reboot { version: String },
    /// Stops reporting, for good.
    FallSilent,
}

/// The steps of an update to `version` that will meet `fate`.
pub fn plan(fate: Fate, version: &str) -> VecDeque<Action> {
    use Action::*;
    let fail = |step, desc| Fail { step, desc };
    let installed = |version: &str| [Progress(40), Progress(70), Progress(100), Reboot { version: version.into() }];
    let steps: Vec<Action> = match fate {
        Fate::Succeed => [Progress(5), Download].into_iter().chain(installed(version)).collect(),
        Fate::WrongVersion => [Progress(5), Download].into_iter().chain(installed(RECOVERY_VERSION)).collect(),
        Fate::FailDownload => vec![Progress(5), Progress(20), fail(-2, "download interrupted: connection reset")],
        Fate::FailVerify => vec![Progress(5), Download, fail(-3, "package digest does not match")],
        Fate::FailWrite => vec![Progress(5), Download, Progress(40), fail(-4, "flash write failed at block 112")],
        Fate::Fail => vec![Progress(5), Download, Progress(40), fail(-1, "battery too low to install")],
        Fate::FallSilent => vec![Progress(5), Download, Progress(40), FallSilent],
    };
    steps.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_successful_update_downloads_reports_up_to_100_and_reboots_into_the_new_version() {
        let steps: Vec<_> = plan(Fate::Succeed, "2.0.0").into();
        assert_eq!(steps[1], Action::Download);
        assert!(steps.contains(&Action::Progress(100)));
        assert_eq!(steps.last(), Some(&Action::Reboot { version: "2.0.0".into() }));
    }

    #[test]
    fn each_failure_ends_with_its_step_and_never_reboots() {
        for (fate, step) in [(Fate::FailDownload, -2), (Fate::FailVerify, -3), (Fate::FailWrite, -4), (Fate::Fail, -1)]
        {
            let steps: Vec<_> = plan(fate, "2.0.0").into();
            assert!(matches!(steps.last(), Some(Action::Fail { step: s, .. }) if *s == step), "{fate:?}");
            assert!(!steps.iter().any(|a| matches!(a, Action::Reboot { .. })), "{fate:?}");
        }
        assert!(!plan(Fate::FailDownload, "2.0.0").contains(&Action::Download), "the download itself fails");
    }

    #[test]
    fn a_wrong_version_and_silence_end_as_their_names_say() {
        assert_eq!(
            plan(Fate::WrongVersion, "2.0.0").back(),
            Some(&Action::Reboot { version: RECOVERY_VERSION.into() })
        );
        assert_eq!(plan(Fate::FallSilent, "2.0.0").back(), Some(&Action::FallSilent));
    }
}
