//! What simulated devices do with an update and how long it takes them, drawn from each
//! device's own seeded generator so that a seed always plays out the same way.

use std::time::Duration;

use clap::Args;
use rand::Rng;

/// The share of updates that go each wrong way (each 0–1, together at most 1).
#[derive(Debug, Clone, Args)]
pub struct Mix {
    /// Share of updates whose download fails (progress -2).
    #[arg(long = "fail-download", default_value_t = 0.03)]
    pub download: f64,
    /// Share of updates whose package fails its digest check (progress -3).
    #[arg(long = "fail-verify", default_value_t = 0.02)]
    pub verify: f64,
    /// Share of updates whose flash write fails (progress -4).
    #[arg(long = "fail-write", default_value_t = 0.02)]
    pub write: f64,
    /// Share of updates that fail for another reason (progress -1).
    #[arg(long = "fail-other", default_value_t = 0.01)]
    pub other: f64,
    /// Share of updates after which the device boots a version that is neither the old nor the new.
    #[arg(long = "wrong-version", default_value_t = 0.02)]
    pub wrong_version: f64,
    /// Share of updates during which the device falls silent (the batch's timeout ends them).
    #[arg(long = "silent", default_value_t = 0.02)]
    pub silent: f64,
    /// A bad firmware: updates to VERSION fail to flash at SHARE, `--bad-version 2.0.0=0.8`
    /// (the other shares apply to the rest). May be given for several versions.
    #[arg(long = "bad-version", value_name = "VERSION=SHARE")]
    pub bad_versions: Vec<BadVersion>,
}

/// A version whose updates mostly fail: a batch of it trips its pause rule.
#[derive(Debug, Clone, PartialEq)]
pub struct BadVersion {
    pub version: String,
    pub share: f64,
}

impl std::str::FromStr for BadVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (version, share) = text.split_once('=').ok_or_else(|| format!("'{text}' is not VERSION=SHARE"))?;
        let share: f64 = share.trim().parse().map_err(|_| format!("'{share}' is not a share from 0 to 1"))?;
        if version.trim().is_empty() || !(0.0..=1.0).contains(&share) {
            return Err(format!("'{text}' needs a version and a share from 0 to 1"));
        }
        Ok(Self { version: version.trim().to_owned(), share })
    }
}

/// How one update turns out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Succeed,
    FailDownload,
    FailVerify,
    FailWrite,
    Fail,
    WrongVersion,
    FallSilent,
}

impl Mix {
    /// None at all: every update succeeds.
    pub const FLAWLESS: Self = Self {
        download: 0.0,
        verify: 0.0,
        write: 0.0,
        other: 0.0,
        wrong_version: 0.0,
        silent: 0.0,
        bad_versions: Vec::new(),
    };

    fn shares(&self) -> [(f64, Fate); 6] {
        [
            (self.download, Fate::FailDownload),
            (self.verify, Fate::FailVerify),
            (self.write, Fate::FailWrite),
            (self.other, Fate::Fail),
            (self.wrong_version, Fate::WrongVersion),
            (self.silent, Fate::FallSilent),
        ]
    }

    pub fn check(&self) -> Result<(), String> {
        if let Some((share, fate)) = self.shares().into_iter().find(|(share, _)| !(0.0..=1.0).contains(share)) {
            return Err(format!("the share {share} for {fate:?} is not between 0 and 1"));
        }
        let total: f64 = self.shares().iter().map(|(share, _)| share).sum();
        if total > 1.0 + 1e-9 {
            return Err(format!("the failure shares add up to {total}, more than 1"));
        }
        Ok(())
    }

    /// How an update to `version` turns out.
    pub fn draw_for(&self, version: &str, rng: &mut impl Rng) -> Fate {
        // Another version draws exactly as without any bad one, so that a seed plays the same.
        match self.bad_versions.iter().find(|bad| bad.version == version) {
            Some(bad) if rng.r#gen::<f64>() < bad.share => Fate::FailWrite,
            _ => self.draw(rng),
        }
    }

    pub fn draw(&self, rng: &mut impl Rng) -> Fate {
        let mut left: f64 = rng.r#gen();
        for (share, fate) in self.shares() {
            if left < share {
                return fate;
            }
            left -= share;
        }
        Fate::Succeed
    }
}

/// How a device's life is spread over time.
#[derive(Debug, Clone, Args)]
pub struct Timing {
    /// Multiplies every delay a device takes (0.01 makes updates a hundred times quicker).
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
    /// Share of online devices that drop off each minute (they come back 10 s to 2 min later).
    #[arg(long, default_value_t = 0.02)]
    pub churn: f64,
    /// Seconds over which the devices first connect, so they do not all arrive at once.
    #[arg(long, default_value_t = 10.0)]
    pub ramp_up: f64,
}

impl Timing {
    pub fn check(&self) -> Result<(), String> {
        let finite_and_positive = |x: f64| x.is_finite() && x >= 0.0;
        match () {
            _ if !finite_and_positive(self.time_scale) => Err("--time-scale must be 0 or more".into()),
            _ if !(0.0..=60.0).contains(&self.churn) => Err("--churn must be between 0 and 60 per minute".into()),
            _ if !finite_and_positive(self.ramp_up) => Err("--ramp-up must be 0 or more seconds".into()),
            _ => Ok(()),
        }
    }

    fn scaled(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64((seconds * self.time_scale).max(0.0))
    }

    /// When a device first connects, after the start.
    pub fn arrival(&self, rng: &mut impl Rng) -> Duration {
        Duration::from_secs_f64(rng.gen_range(0.0..=self.ramp_up))
    }

    /// Between receiving an update and each step of installing it.
    pub fn step(&self, rng: &mut impl Rng) -> Duration {
        self.scaled(rng.gen_range(0.5..3.0))
    }

    /// Off the network while restarting into a new version.
    pub fn reboot(&self, rng: &mut impl Rng) -> Duration {
        self.scaled(rng.gen_range(2.0..6.0))
    }

    /// How long a device stays online before it drops off; `None` when it never does.
    pub fn stay(&self, rng: &mut impl Rng) -> Option<Duration> {
        if self.churn <= 0.0 {
            return None;
        }
        // Exponential: a constant share of the online devices leaves each minute.
        let minutes = -(1.0 - rng.r#gen::<f64>()).ln() / self.churn;
        Some(Duration::from_secs_f64((minutes * 60.0).min(7.0 * 24.0 * 3600.0)))
    }

    /// Off the network after dropping off.
    pub fn away(&self, rng: &mut impl Rng) -> Duration {
        Duration::from_secs_f64(rng.gen_range(10.0..120.0))
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn default_mix() -> Mix {
        Mix {
            download: 0.03,
            verify: 0.02,
            write: 0.02,
            other: 0.01,
            wrong_version: 0.02,
            silent: 0.02,
            ..Mix::FLAWLESS
        }
    }

    #[test]
    fn a_bad_version_fails_to_flash_at_its_share_and_others_keep_the_mix() {
        let bad = Mix { bad_versions: vec!["2.0.0=0.8".parse().unwrap()], ..Mix::FLAWLESS };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let n = 10_000;
        let failed = (0..n).filter(|_| bad.draw_for("2.0.0", &mut rng) == Fate::FailWrite).count() as f64 / n as f64;
        assert!((failed - 0.8).abs() < 0.02, "{failed}");
        assert!((0..1000).all(|_| bad.draw_for("2.0.1", &mut rng) == Fate::Succeed));
        assert!("2.0.0".parse::<BadVersion>().is_err());
        assert!("2.0.0=1.5".parse::<BadVersion>().is_err());
    }

    #[test]
    fn the_same_seed_draws_the_same_fates() {
        let draws = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..50).map(|_| default_mix().draw(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
    }

    #[test]
    fn fates_come_in_their_shares() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 100_000;
        let fates: Vec<Fate> = (0..n).map(|_| default_mix().draw(&mut rng)).collect();
        let share = |fate| fates.iter().filter(|f| **f == fate).count() as f64 / n as f64;
        assert!((share(Fate::Succeed) - 0.88).abs() < 0.01, "{}", share(Fate::Succeed));
        assert!((share(Fate::FailDownload) - 0.03).abs() < 0.003);
        assert!((share(Fate::FallSilent) - 0.02).abs() < 0.003);
    }

    #[test]
    fn a_flawless_mix_always_succeeds_and_an_impossible_one_is_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!((0..1000).all(|_| Mix::FLAWLESS.draw(&mut rng) == Fate::Succeed));
        assert!(Mix { download: 0.6, verify: 0.6, ..Mix::FLAWLESS }.check().unwrap_err().contains("more than 1"));
        assert!(Mix { silent: -0.1, ..Mix::FLAWLESS }.check().is_err());
        assert!(default_mix().check().is_ok());
    }

    #[test]
    fn churn_keeps_devices_online_for_about_its_inverse() {
        let timing = Timing { time_scale: 1.0, churn: 0.5, ramp_up: 0.0 };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 20_000;
        let mean = (0..n).map(|_| timing.stay(&mut rng).unwrap().as_secs_f64()).sum::<f64>() / n as f64;
        assert!((mean - 120.0).abs() < 5.0, "mean stay {mean} s, expected about 2 minutes");
        assert_eq!(Timing { churn: 0.0, ..timing }.stay(&mut rng), None);
    }
}
