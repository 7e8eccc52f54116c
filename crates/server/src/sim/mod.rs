//! `ota-server simulate`: a fleet of virtual devices for a running server. Each is a real MQTT
//! client with its own credentials (loaded through the API, or registered when the fleet is
//! short); it reports its version, installs what it is pushed or pulls, and fails, falls silent
//! or drops off the network in the shares asked for. Every choice comes from a generator
//! seeded by `--seed` and the device's name, so a seed always makes the same fleet.

pub mod api;
mod device;
pub mod mix;
pub mod update;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use clap::Args;
use ota_model::device::DeviceId;
use ota_model::device::payload::DEFAULT_MODULE;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

use self::api::{Api, Credentials};
use self::device::Device;
use self::mix::{Mix, Timing};
use crate::StartError;

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// How many devices to simulate; when the server has fewer, the rest are registered.
    #[arg(long, default_value_t = 100)]
    pub devices: usize,

    /// Seeds every choice the devices make.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// The server's OTA API.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    pub api: String,

    /// The MQTT broker devices connect to, as host:port.
    #[arg(long, default_value = "127.0.0.1:1883")]
    pub mqtt: String,

    /// The access key the simulator signs its API calls with. It reads and registers devices
    /// with their secrets: a policy allowing QueryDevice, RegisterDevice, QueryProductList and
    /// QueryDeviceSecret (see docs/api.md).
    #[arg(long, env = "ALIBABA_CLOUD_ACCESS_KEY_ID")]
    pub access_key_id: String,

    /// The access key's secret.
    #[arg(long, env = "ALIBABA_CLOUD_ACCESS_KEY_SECRET", hide_env_values = true)]
    pub access_key_secret: String,

    /// The instance whose devices to simulate (default: the server's default instance).
    #[arg(long)]
    pub instance: Option<String>,

    /// Only devices of this product; repeat for several. Default: every product.
    #[arg(long = "product")]
    pub products: Vec<String>,

    /// Share of devices that never come online (their tasks wait, "offline").
    #[arg(long, default_value_t = 0.05)]
    pub absent: f64,

    /// Share of devices that ask for their update whenever they connect, instead of waiting
    /// for a push (batches with NeedPush=false need them).
    #[arg(long, default_value_t = 0.1)]
    pub pullers: f64,

    #[command(flatten)]
    pub mix: Mix,

    #[command(flatten)]
    pub timing: Timing,
}

/// What every device shares.
pub struct World {
    pub api: Arc<Api>,
    pub mqtt_host: String,
    pub mqtt_port: u16,
    pub mix: Mix,
    pub timing: Timing,
    pub stats: Stats,
}

/// Runs the fleet until Ctrl-C or SIGTERM.
pub async fn run(args: SimulateArgs) -> Result<(), StartError> {
    args.mix.check()?;
    args.timing.check()?;
    for (name, share) in [("--absent", args.absent), ("--pullers", args.pullers)] {
        if !(0.0..=1.0).contains(&share) {
            return Err(format!("{name} must be between 0 and 1, not {share}").into());
        }
    }
    let (mqtt_host, mqtt_port) = host_and_port(&args.mqtt)?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;
    let key = ota_model::signature::AccessKey {
        access_key_id: args.access_key_id.clone(),
        access_key_secret: args.access_key_secret.clone(),
        security_token: None,
    };
    let api = Arc::new(Api::new(http, &args.api, args.instance.clone(), key));
    let fleet = api.fleet(&args.products, args.devices).await?;
    let world =
        Arc::new(World { api, mqtt_host, mqtt_port, mix: args.mix, timing: args.timing, stats: Stats::default() });
    let fallback = known_versions(&fleet);
    let mut absent = 0;
    for credentials in &fleet {
        let device = device(credentials, args.seed, args.pullers, &fallback);
        if seeded(args.seed, "absent", &credentials.device).gen_bool(args.absent) {
            absent += 1;
            continue;
        }
        tokio::spawn(device.live(world.clone()));
    }
    println!(
        "ota-server simulate: {} devices ({absent} of them stay offline), seed {}, API {}, MQTT {}",
        fleet.len(),
        args.seed,
        args.api,
        args.mqtt
    );
    let mut every = tokio::time::interval(Duration::from_secs(10));
    every.tick().await;
    loop {
        tokio::select! {
            _ = every.tick() => println!("ota-server simulate: {}", world.stats),
            _ = crate::shutdown_requested() => break,
        }
    }
    println!("ota-server simulate: stopped ({})", world.stats);
    Ok(())
}

fn device(credentials: &Credentials, seed: u64, pullers: f64, fallback: &BTreeMap<String, Vec<String>>) -> Device {
    let id = credentials.device.clone();
    let mut rng = seeded(seed, "timing", &id);
    // A device the server knows no version of runs one its product's devices run.
    let version = credentials.version.clone().unwrap_or_else(|| {
        let known = fallback.get(&id.product_key).map(Vec::as_slice).unwrap_or_default();
        if known.is_empty() { "1.0.0".to_owned() } else { known[rng.gen_range(0..known.len())].clone() }
    });
    Device {
        secret: credentials.secret.clone(),
        versions: BTreeMap::from([(DEFAULT_MODULE.to_owned(), version)]),
        pulls: seeded(seed, "pulls", &id).gen_bool(pullers),
        fates: seeded(seed, "fates", &id),
        rng,
        messages: 0,
        updating: None,
        id,
    }
}

/// Per product, the default-module versions its devices report, each once, in order.
fn known_versions(fleet: &[Credentials]) -> BTreeMap<String, Vec<String>> {
    let mut known: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for device in fleet {
        if let Some(version) = &device.version {
            let versions = known.entry(device.device.product_key.clone()).or_default();
            if !versions.contains(version) {
                versions.push(version.clone());
            }
        }
    }
    known.values_mut().for_each(|versions| versions.sort());
    known
}

/// A generator for one purpose of one device: the same for the same seed and device name on
/// every machine, whatever key its product was given.
fn seeded(seed: u64, purpose: &str, device: &DeviceId) -> ChaCha8Rng {
    let digest = Sha256::digest(format!("{seed}/{purpose}/{}", device.device_name));
    ChaCha8Rng::from_seed(digest.into())
}

fn host_and_port(address: &str) -> Result<(String, u16), String> {
    let refuse = || format!("--mqtt '{address}' is not host:port");
    let (host, port) = address.rsplit_once(':').ok_or_else(refuse)?;
    let port = port.parse().map_err(|_| refuse())?;
    if host.is_empty() {
        return Err(refuse());
    }
    Ok((host.trim_start_matches('[').trim_end_matches(']').to_owned(), port))
}

/// What the fleet has done so far, for the progress line.
#[derive(Debug, Default)]
pub struct Stats {
    online: AtomicI64,
    started: AtomicU64,
    updated: AtomicU64,
    wrong: AtomicU64,
    failed: AtomicU64,
    silent: AtomicU64,
}

impl Stats {
    fn online(&self, change: i64) {
        self.online.fetch_add(change, Ordering::Relaxed);
    }
    fn started(&self) {
        self.started.fetch_add(1, Ordering::Relaxed);
    }
    fn rebooted(&self, into_the_new_version: bool) {
        let counter = if into_the_new_version { &self.updated } else { &self.wrong };
        counter.fetch_add(1, Ordering::Relaxed);
    }
    fn failed(&self) {
        self.failed.fetch_add(1, Ordering::Relaxed);
    }
    fn silent(&self) {
        self.silent.fetch_add(1, Ordering::Relaxed);
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        write!(
            f,
            "{} online, {} updates begun: {} installed, {} booted a wrong version, {} failed, {} fell silent",
            self.online.load(Ordering::Relaxed),
            get(&self.started),
            get(&self.updated),
            get(&self.wrong),
            get(&self.failed),
            get(&self.silent)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> DeviceId {
        DeviceId { product_key: "a1Pk".into(), device_name: name.into() }
    }

    #[test]
    fn each_device_has_its_own_generator_that_a_seed_repeats() {
        let draw = |seed, name| seeded(seed, "fates", &id(name)).r#gen::<u64>();
        assert_eq!(draw(1, "d1"), draw(1, "d1"));
        assert_ne!(draw(1, "d1"), draw(1, "d2"));
        assert_ne!(draw(1, "d1"), draw(2, "d1"));
    }

    #[test]
    fn mqtt_addresses_are_host_and_port() {
        assert_eq!(host_and_port("127.0.0.1:1883"), Ok(("127.0.0.1".into(), 1883)));
        assert_eq!(host_and_port("[::1]:1883"), Ok(("::1".into(), 1883)));
        assert!(host_and_port("localhost").is_err());
        assert!(host_and_port(":1883").is_err());
    }
}
