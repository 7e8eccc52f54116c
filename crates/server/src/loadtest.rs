//! A large fleet for benchmarks: one product with many devices on a realistic spread of
//! versions, and one package whose first batch holds a million tasks in a realistic spread of
//! states, plus a few small batches.
//! Written straight into the database (a real batch could not give a device ten tasks); only
//! for measuring, never for a fleet someone uses.

use chrono::Duration;
use ota_model::enums::{JobType, SelectionType, TaskStatus};
use ota_model::job::create::Schedule;
use ota_model::job::policy::JobPolicy;
use ota_model::rollout::{Plan, PlannedTask};
use ota_model::task::TaskReason;
use ota_model::{FirmwareType, SignMethod, UtcTime};

use crate::demo::SeedError;
use crate::ids;
use crate::store::registry::{NewDevice, insert_device, insert_product, set_module_version};
use crate::store::{NewFirmware, NewJob, Store, firmware::insert_firmware};

const PRODUCT: &str = "a1LoadTest00";
/// Small batches besides the large one, for the batch list.
const SMALL_BATCHES: usize = 30;

/// What was created, for the benchmark to address.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadFleet {
    pub product_key: String,
    pub firmware_id: String,
    pub job_id: String,
    pub devices: u32,
    pub tasks: u32,
}

/// The share of tasks in each state, in per mille, in the order they are handed out.
const SPREAD: &[(TaskStatus, Option<TaskReason>, u32)] = &[
    (TaskStatus::Succeeded, None, 600),
    (TaskStatus::Failed, Some(TaskReason::DownloadFailed), 80),
    (TaskStatus::Failed, Some(TaskReason::Timeout), 40),
    (TaskStatus::Failed, Some(TaskReason::VersionMismatch), 30),
    (TaskStatus::Canceled, Some(TaskReason::CanceledByJob), 100),
    (TaskStatus::Queued, None, 80),
    (TaskStatus::Notified, None, 30),
    (TaskStatus::InProgress, None, 20),
    (TaskStatus::Confirm, None, 20),
];

/// The versions the devices report for the default module, in per mille: a few large groups
/// (the releases most devices took) and a long tail of twenty old, patch and pre-release
/// versions, so that the version chart has its "others" and a version filter both a large and
/// a small group to find.
const VERSIONS: &[(&str, u32)] = &[
    ("1.2.0", 380),
    ("1.1.0", 220),
    ("1.0.0", 140),
    ("1.2.1", 90),
    ("1.1.2", 40),
    ("1.0.1", 12),
    ("0.9.0", 12),
    ("1.0.2", 10),
    ("0.9.1", 10),
    ("0.9.2", 9),
    ("1.1.1", 9),
    ("0.9.4", 8),
    ("1.0.3", 8),
    ("1.1.3", 7),
    ("1.0.4", 6),
    ("1.0.5", 5),
    ("1.1.4", 5),
    ("0.8.0", 5),
    ("1.1.5", 4),
    ("1.2.0-rc2", 4),
    ("0.8.5", 4),
    ("1.2.0-rc1", 3),
    ("1.2.2-beta", 3),
    ("1.0.0-hotfix", 3),
    ("0.7.3", 3),
];

/// The version device `n` reports. Devices are scattered over the spread (617 is prime to
/// 1,000, so every run of 1,000 devices holds each share exactly) rather than in blocks: the
/// tasks' states come in blocks by index, and the source versions should not follow them.
fn device_version(n: u32) -> &'static str {
    let slot = (u64::from(n) * 617 % 1000) as u32;
    let mut upto = 0;
    VERSIONS
        .iter()
        .find(|(_, share)| {
            upto += share;
            slot < upto
        })
        .map_or(VERSIONS[0].0, |(version, _)| version)
}

pub async fn seed(store: &Store, instance: &str, devices: u32, tasks: u32) -> Result<LoadFleet, SeedError> {
    let now = UtcTime(chrono::Utc::now());
    let devices = devices.max(1);
    let mut tx = store.begin().await?;
    insert_product(&mut tx, instance, PRODUCT, "Load test fleet", 0, Some("benchmark data"), now).await?;
    let mut iot_ids = Vec::with_capacity(devices as usize);
    for n in 0..devices {
        let iot_id = ids::object_id();
        let name = format!("load-{n:06}");
        let device = NewDevice {
            iot_id: iot_id.clone(),
            product_key: PRODUCT,
            device_name: &name,
            device_secret: ids::device_secret(),
            nickname: None,
            status: ota_model::registry::DeviceStatus::Online,
        };
        insert_device(&mut tx, &device, now).await?;
        set_module_version(&mut tx, &iot_id, PRODUCT, "default", device_version(n), now).await?;
        iot_ids.push((iot_id, name));
    }
    let firmware = NewFirmware {
        firmware_id: ids::object_id(),
        product_key: PRODUCT.to_owned(),
        module_name: "default".to_owned(),
        firmware_name: "load-test-2_0_0".to_owned(),
        firmware_desc: None,
        dest_version: "2.0.0".to_owned(),
        src_version: None,
        firmware_type: FirmwareType::Full,
        sign_method: SignMethod::Md5,
        firmware_sign: "0".repeat(32),
        firmware_size: 1 << 20,
        file_key: None,
        files: Vec::new(),
        udi: None,
        need_to_verify: false,
        created: now,
    };
    insert_firmware(&mut tx, instance, &firmware).await?; // no file to claim
    tx.commit().await?;

    let names: std::collections::HashMap<String, String> = iot_ids.iter().cloned().collect();
    let policy = JobPolicy { maximum_per_minute: 1000, ..JobPolicy::default() };
    let mut job_ids = Vec::new();
    for (index, count) in std::iter::once(tasks).chain(std::iter::repeat_n(100, SMALL_BATCHES)).enumerate() {
        let plan = Plan {
            tasks: (0..count as usize)
                .map(|i| {
                    let device = (i + index) % iot_ids.len();
                    planned(&iot_ids[device].0, device_version(device as u32), i, count as usize)
                })
                .collect(),
            ..Plan::default()
        };
        let job = NewJob {
            job_id: ids::object_id(),
            firmware_id: &firmware.firmware_id,
            product_key: PRODUCT,
            module_name: "default",
            dest_version: "2.0.0",
            job_type: JobType::UpgradeFirmware,
            selection_type: SelectionType::Static,
            target: None,
            src_versions: &[],
            dynamic_mode: None,
            schedule: Schedule::default(),
            policy: &policy,
            verifies: false,
            list_file: None,
            planned_from: None,
        };
        // The large batch is the oldest, so that the batch list shows the small ones first.
        let created = UtcTime(now.0 - Duration::minutes((SMALL_BATCHES - index.min(SMALL_BATCHES)) as i64));
        store.create_job(instance, &job, &plan, &names, created).await?; // unchecked: planned_from is None
        job_ids.push(job.job_id);
    }
    Ok(LoadFleet {
        product_key: PRODUCT.to_owned(),
        firmware_id: firmware.firmware_id,
        job_id: job_ids[0].clone(),
        devices,
        tasks,
    })
}

/// The `i`th of `total` tasks, its state by its place in the spread, from the version its
/// device reports.
fn planned(iot_id: &str, version: &str, i: usize, total: usize) -> PlannedTask {
    let position = (i * 1000 / total.max(1)) as u32;
    let mut upto = 0;
    let (status, reason) = SPREAD
        .iter()
        .find(|(_, _, share)| {
            upto += share;
            position < upto
        })
        .map_or((TaskStatus::Queued, None), |(status, reason, _)| (*status, *reason));
    PlannedTask { iot_id: iot_id.to_owned(), src_version: version.to_owned(), status, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_covers_every_task() {
        assert_eq!(SPREAD.iter().map(|(_, _, share)| share).sum::<u32>(), 1000);
        assert_eq!(planned("d", "1.0.0", 0, 1000).status, TaskStatus::Succeeded);
        assert_eq!(planned("d", "1.0.0", 999, 1000).status, TaskStatus::Confirm);
        assert_eq!(planned("d", "1.0.0", 650, 1000).reason, Some(TaskReason::DownloadFailed));
        assert_eq!(planned("d", "0.9.1", 0, 1000).src_version, "0.9.1");
    }

    #[test]
    fn every_thousand_devices_hold_the_version_spread_exactly() {
        assert_eq!(VERSIONS.iter().map(|(_, share)| share).sum::<u32>(), 1000);
        let large = VERSIONS.iter().filter(|(_, share)| *share >= 40).count();
        assert_eq!((large, VERSIONS.len() - large), (5, 20));
        for start in [0, 1000, 123_456] {
            let mut counts = std::collections::HashMap::new();
            for n in start..start + 1000 {
                *counts.entry(device_version(n)).or_insert(0) += 1;
            }
            for (version, share) in VERSIONS {
                assert_eq!(counts.get(version), Some(share), "{version} from device {start}");
            }
        }
        // Deterministic, and not in blocks: neighbours differ.
        assert_eq!(device_version(7), device_version(7));
        assert!((0..10).map(device_version).collect::<std::collections::HashSet<_>>().len() > 2);
    }

    #[test]
    fn each_state_starts_from_the_whole_version_spread() {
        // With as many devices as tasks, task i is device i: the per-mille block of each state
        // holds every version in its share.
        let total = 1_000_000;
        let succeeded = (0..600_000).filter(|&i| device_version(i) == "1.2.0").count();
        let confirm = (980_000..total).filter(|&i| device_version(i) == "1.2.0").count();
        assert_eq!((succeeded, confirm), (600 * 380, 20 * 380));
    }
}
