//! Safe rollouts (extension `SafeRollout`): waves that start one after another as each shows
//! the firmware works, an automatic pause when too many devices fail, and maintenance windows
//! outside which nothing is pushed. A batch without them behaves exactly as Alibaba's.

mod form;
mod info;
pub mod pause;
pub mod waves;
pub mod windows;

pub use form::{SafetyForm, WindowRow};
pub use info::{PauseCause, PausedBy, SafetyInfo, SafetyState, WaveInfo, WaveList};

use std::fmt;
use std::str::FromStr;

use crate::decimal;
use crate::envelope::Empty;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

use pause::PauseRule;
use waves::Waves;
use windows::MaintenanceWindows;

/// The parameters of this extension, by prefix: a `--plain` server refuses them.
pub const PARAMETER_PREFIXES: [&str; 4] = ["Wave", "Pause", "MaintenanceWindow", "MaintenanceTimeZone"];

/// A percentage from 0 to 100 with at most two decimals, kept in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percentage(u16);

impl Percentage {
    pub fn hundredths(self) -> u16 {
        self.0
    }
}

impl FromStr for Percentage {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match decimal::parse_scaled(text, 2) {
            Some(value @ 0..=10_000) => Ok(Self(value as u16)),
            Some(_) => Err(format!("{text} is more than 100")),
            None => Err(format!("'{text}' is not a percentage with at most two decimals")),
        }
    }
}

impl fmt::Display for Percentage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&decimal::format_scaled(u64::from(self.0), 2))
    }
}

/// What keeps a batch safe, each part optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Safety {
    /// Static batches only.
    pub waves: Option<Waves>,
    pub pause: Option<PauseRule>,
    pub windows: Option<MaintenanceWindows>,
}

impl Safety {
    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            waves: Waves::from_params(params)?,
            pause: PauseRule::from_params(params)?,
            windows: MaintenanceWindows::from_params(params)?,
        })
    }

    /// Every part's first problem, for a form.
    pub fn problems(params: &Params) -> Vec<ParamError> {
        [
            Waves::from_params(params).err(),
            PauseRule::from_params(params).err(),
            MaintenanceWindows::from_params(params).err(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    pub fn to_params(&self, mut params: Params) -> Params {
        if let Some(waves) = &self.waves {
            params = waves.to_params(params);
        }
        if let Some(pause) = &self.pause {
            params = pause.to_params(params);
        }
        match &self.windows {
            Some(windows) => windows.to_params(params),
            None => params,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.waves.is_none() && self.pause.is_none() && self.windows.is_none()
    }

    /// As stored with a batch: its parameters as JSON pairs, read back by [`Self::stored`].
    pub fn to_stored(&self) -> Option<String> {
        let params = self.to_params(Params::new());
        (!self.is_empty()).then(|| serde_json::to_string(params.pairs()).unwrap_or_default())
    }

    pub fn stored(text: &str) -> Result<Self, String> {
        let pairs: Vec<(String, String)> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Self::from_params(&pairs.into_iter().collect()).map_err(|e| e.message)
    }
}

/// Whether any parameter of this extension was given (a `--plain` server refuses them).
pub fn names_a_parameter(name: &str) -> bool {
    PARAMETER_PREFIXES.iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with(char::is_uppercase))
    })
}

macro_rules! job_action {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub job_id: String,
        }

        impl Operation for $name {
            const ACTION: &'static str = stringify!($name);
            type Response = Empty;

            fn to_params(&self) -> Params {
                Params::new().with("JobId", &self.job_id)
            }

            fn from_params(params: &Params) -> Result<Self, ParamError> {
                Ok(Self { job_id: rules::ID.required(params, "JobId")?.to_owned() })
            }
        }
    };
}

job_action!(
    /// Stops a running batch's pushes (retries too); devices already updating finish.
    PauseOTAJob
);
job_action!(
    /// Lets a paused batch push again, at its rate; a pause rule judges only what finishes after.
    ResumeOTAJob
);
job_action!(
    /// Starts a batch's next wave now, whatever its rule says.
    StartOTAJobNextWave
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_take_two_decimals_up_to_100() {
        assert_eq!("95".parse::<Percentage>().unwrap().hundredths(), 9_500);
        assert_eq!("0.05".parse::<Percentage>().unwrap().to_string(), "0.05");
        assert!("100.01".parse::<Percentage>().is_err());
        assert!("-1".parse::<Percentage>().is_err());
        assert!("1.234".parse::<Percentage>().is_err());
    }

    #[test]
    fn a_batch_keeps_its_safety_as_it_was_given() {
        let params: Params = [
            ("Wave.1.Percent", "1"),
            ("WaveSuccessRate", "95"),
            ("PauseFailureRate", "5"),
            ("MaintenanceWindow.1.Days", "TUE-THU"),
            ("MaintenanceWindow.1.Start", "01:00"),
            ("MaintenanceWindow.1.End", "05:00"),
        ]
        .into_iter()
        .collect();
        let safety = Safety::from_params(&params).unwrap();
        assert!(safety.waves.is_some() && safety.pause.is_some() && safety.windows.is_some());
        assert_eq!(Safety::stored(&safety.to_stored().unwrap()).unwrap(), safety);
        assert_eq!(Safety::default().to_stored(), None);
        assert!(Safety::stored("not json").is_err());
    }

    #[test]
    fn every_part_says_its_problem_at_once() {
        let params: Params =
            [("Wave.1.Percent", "0"), ("PauseSampleSize", "5"), ("MaintenanceTimeZone", "UTC")].into_iter().collect();
        assert_eq!(Safety::problems(&params).len(), 3);
    }

    #[test]
    fn the_extension_s_parameters_are_known_by_name() {
        for name in
            ["Wave.1.Percent", "WaveSuccessRate", "PauseFailureRate", "MaintenanceWindow.2.End", "MaintenanceTimeZone"]
        {
            assert!(names_a_parameter(name), "{name}");
        }
        for name in ["MaximumPerMinute", "Waves", "Paused"] {
            assert!(!names_a_parameter(name), "{name}");
        }
    }
}
