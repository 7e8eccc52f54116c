//! The demo dataset's batches: created the way the API creates them, then moved on as devices
//! would have moved them, so that every state, wait reason and failure shows up.

use chrono::Duration;
use ota_model::enums::{JobStatus, JobType, RetryCount, RetryInterval, SelectionType, TaskStatus};
use ota_model::job::OtaTag;
use ota_model::job::create::{Schedule, StaticTarget};
use ota_model::job::policy::{JobPolicy, Retry};
use ota_model::job::safety::Safety;
use ota_model::task::TaskReason;
use ota_model::{FirmwareStatus, UtcTime};

use super::{PRODUCTS, SeedError, firmware_id};
use crate::batches::{self, Spec};
use crate::store::firmware::set_firmware_status;
use crate::store::jobs::end_job;
use crate::store::registry::set_module_version;
use crate::store::tasks::set_task_state;
use crate::store::{Firmware, Store};

use TaskStatus::{Canceled, Failed, InProgress, Notified, Queued, Succeeded};

/// How the first tasks of a batch (in order) moved on: `count` tasks each.
struct Step {
    status: TaskStatus,
    progress: u8,
    reason: Option<TaskReason>,
    count: usize,
}

const fn step(status: TaskStatus, progress: u8, count: usize) -> Step {
    Step { status, progress, reason: None, count }
}

const fn failed(reason: TaskReason, progress: u8, count: usize) -> Step {
    Step { status: Failed, progress, reason: Some(reason), count }
}

pub async fn seed(store: &Store, instance: &str, now: UtcTime) -> Result<(), SeedError> {
    let meter = &PRODUCTS[0];
    let gateway = &PRODUCTS[1];
    let camera = &PRODUCTS[2];
    let hvac = &PRODUCTS[3];
    let demo = Demo { store, instance, now };

    // Smart meters: 3.2.0 verified on three meters, then rolled out to every meter on 3.1.0.
    let main_320 = demo.package(meter.key, "sm200-main-3_2_0", "3.2.0").await?;
    let testers = [meter.device_name(21), meter.device_name(22), meter.device_name(23)];
    let verify = demo.verify(&main_320, &testers).await?;
    demo.advance(&main_320, &verify, &[step(Succeeded, 100, 3)]).await?;
    let policy = JobPolicy {
        retry: Some(Retry { interval: RetryInterval::TenMinutes, count: RetryCount::Twice }),
        timeout_in_minutes: Some(60),
        maximum_per_minute: 100,
        tags: vec![tag("wave", "1"), tag("region", "kansai")],
        ..JobPolicy::default()
    };
    let rollout =
        demo.static_job(&main_320, &StaticTarget::All, &["3.1.0".into()], Schedule::default(), &policy).await?;
    demo.advance(
        &main_320,
        &rollout,
        &[
            step(Succeeded, 100, 40),
            step(InProgress, 35, 3),
            step(InProgress, 80, 3),
            step(Notified, 0, 4),
            failed(TaskReason::DownloadFailed, 12, 2),
            failed(TaskReason::Timeout, 60, 1),
            failed(TaskReason::VersionMismatch, 100, 1),
            failed(TaskReason::FlashFailed, 95, 1),
            Step { status: Canceled, progress: 0, reason: Some(TaskReason::CanceledByDevice), count: 2 },
        ],
    )
    .await?;

    // 3.2.1 is half way through its verification.
    let main_321 = demo.package(meter.key, "sm200-main-3_2_1", "3.2.1").await?;
    let verify = demo.verify(&main_321, &[meter.device_name(1), meter.device_name(2)]).await?;
    demo.advance(&main_321, &verify, &[step(Succeeded, 100, 1), step(InProgress, 60, 1)]).await?;

    // Gateways: 2.5.0 failed its verification; 2.5.1 rolls out dynamically from 2.4.11.
    let os_250 = demo.package(gateway.key, "gw4-os-2_5_0", "2.5.0").await?;
    let verify = demo.verify(&os_250, &[gateway.device_name(26)]).await?;
    demo.advance(&os_250, &verify, &[failed(TaskReason::FlashFailed, 90, 1)]).await?;
    let os_251 = demo.package(gateway.key, "gw4-os-2_5_1", "2.5.1").await?;
    let dynamic = demo.dynamic_job(&os_251, &["2.4.11".into()]).await?;
    demo.advance(&os_251, &dynamic, &[step(Succeeded, 100, 15), step(InProgress, 50, 3), step(Notified, 0, 2)]).await?;

    // Cameras: 5.1.0 went to every camera on 5.0.3 and is done; 5.2.0 waits for the app's
    // confirmation on a 30 % share of the cameras on 5.1.0.
    let fw_510 = demo.package(camera.key, "ipc7-fw-5_1_0", "5.1.0").await?;
    let done = demo
        .static_job(&fw_510, &StaticTarget::All, &["5.0.3".into()], Schedule::default(), &JobPolicy::default())
        .await?;
    demo.advance(&fw_510, &done, &[step(Succeeded, 100, 20)]).await?;
    let fw_520 = demo.package(camera.key, "防犯カメラ_ファームウェア_520", "5.2.0").await?;
    let confirm = JobPolicy { need_confirm: true, maximum_per_minute: 20, ..JobPolicy::default() };
    let gray = StaticTarget::Gray("30".parse().map_err(|e: String| e)?);
    let waiting = demo.static_job(&fw_520, &gray, &["5.1.0".into()], Schedule::default(), &confirm).await?;
    demo.advance(&fw_520, &waiting, &[step(Queued, 0, 4)]).await?;

    // Cameras' person detection: v13 goes out in waves; the first did well, so the next
    // starts by itself once the engine runs. Gateways' modem 8.3: its first wave failed to
    // flash, and the batch pauses on its failure rule (`cargo xtask demo`'s simulator keeps
    // failing 8.3.0 after a resume). Both in multi-module mode, beside the OS batches.
    let detect_13 = demo.package(camera.key, "ipc7-person-detect-v13", "13.0.0").await?;
    let staged = safe_policy(&[
        ("Wave.1.Count", "5"),
        ("Wave.2.Percent", "30"),
        ("WaveSuccessRate", "80"),
        ("WaveMinFinished", "5"),
    ])?;
    let waves =
        demo.static_job(&detect_13, &StaticTarget::All, &["12.0.0".into()], Schedule::default(), &staged).await?;
    demo.advance(&detect_13, &waves, &[step(Succeeded, 100, 5)]).await?;
    let modem_83 = demo.package(gateway.key, "gw4-modem-fw-8_3", "8.3.0").await?;
    let guarded = safe_policy(&[
        ("Wave.1.Count", "8"),
        ("WaveSuccessRate", "90"),
        ("PauseFailureRate", "25"),
        ("PauseSampleSize", "10"),
        ("PauseMinSample", "5"),
    ])?;
    let spike =
        demo.static_job(&modem_83, &StaticTarget::All, &["8.2.0".into()], Schedule::default(), &guarded).await?;
    demo.advance(&modem_83, &spike, &[step(Succeeded, 100, 3), failed(TaskReason::FlashFailed, 70, 5)]).await?;

    // HVAC: 1.9.0 is scheduled for six controllers on 1.8.0 the day after tomorrow.
    let ctrl_190 = demo.package(hvac.key, "hc3-ctrl-1_9_0", "1.9.0").await?;
    let names: Vec<String> = (1..=6).map(|n| hvac.device_name(n)).collect();
    let start = UtcTime(now.0 + Duration::days(2));
    let schedule = Schedule { start: Some(start), finish: Some(UtcTime(start.0 + Duration::hours(6))) };
    demo.static_job(
        &ctrl_190,
        &StaticTarget::Devices(names),
        &[],
        schedule,
        &JobPolicy { maximum_per_minute: 10, ..JobPolicy::default() },
    )
    .await?;
    Ok(())
}

/// A multi-module batch's policy with the safety rules `params` give, at 30 a minute.
fn safe_policy(params: &[(&str, &str)]) -> Result<JobPolicy, SeedError> {
    let safety = Safety::from_params(&params.iter().copied().collect()).map_err(|e| e.message)?;
    Ok(JobPolicy { maximum_per_minute: 30, multi_module_mode: true, safety, ..JobPolicy::default() })
}

fn tag(key: &str, value: &str) -> OtaTag {
    OtaTag { key: key.into(), value: value.into() }
}

struct Demo<'a> {
    store: &'a Store,
    instance: &'a str,
    now: UtcTime,
}

impl Demo<'_> {
    async fn package(&self, product_key: &str, name: &str, dest: &str) -> Result<Firmware, SeedError> {
        let id = firmware_id(&format!("{product_key}/{name}/{dest}"));
        Ok(self.store.firmware(self.instance, &id).await?.ok_or(format!("the demo package {name} is missing"))?)
    }

    async fn verify(&self, firmware: &Firmware, devices: &[String]) -> Result<String, SeedError> {
        let candidates = self.store.named_candidates(&firmware.product_key, &firmware.module_name, devices).await?;
        let policy = JobPolicy { timeout_in_minutes: Some(30), ..JobPolicy::default() };
        let spec = Spec {
            job_type: JobType::VerifyFirmware,
            selection_type: SelectionType::Static,
            target: None,
            src_versions: &[],
            dynamic_mode: None,
            schedule: Schedule::default(),
            policy: &policy,
            dry_run: false,
        };
        self.create(firmware, spec, candidates).await
    }

    async fn static_job(
        &self,
        firmware: &Firmware,
        target: &StaticTarget,
        sources: &[String],
        schedule: Schedule,
        policy: &JobPolicy,
    ) -> Result<String, SeedError> {
        let candidates = match target {
            StaticTarget::Devices(names) => {
                self.store.named_candidates(&firmware.product_key, &firmware.module_name, names).await?
            }
            _ => self.store.product_candidates(&firmware.product_key, &firmware.module_name).await?,
        };
        let spec = Spec {
            job_type: JobType::UpgradeFirmware,
            selection_type: SelectionType::Static,
            target: Some(target),
            src_versions: sources,
            dynamic_mode: None,
            schedule,
            policy,
            dry_run: false,
        };
        self.create(firmware, spec, candidates).await
    }

    async fn dynamic_job(&self, firmware: &Firmware, sources: &[String]) -> Result<String, SeedError> {
        let candidates = self.store.product_candidates(&firmware.product_key, &firmware.module_name).await?;
        let policy = JobPolicy { maximum_per_minute: 50, ..JobPolicy::default() };
        let spec = Spec {
            job_type: JobType::UpgradeFirmware,
            selection_type: SelectionType::Dynamic,
            target: None,
            src_versions: sources,
            dynamic_mode: Some(ota_model::DynamicMode::Continuous),
            schedule: Schedule::default(),
            policy: &policy,
            dry_run: false,
        };
        self.create(firmware, spec, candidates).await
    }

    async fn create(
        &self,
        firmware: &Firmware,
        spec: Spec<'_>,
        candidates: Vec<crate::store::jobs::CandidateRow>,
    ) -> Result<String, SeedError> {
        // Demo batches were created a while ago.
        let created = UtcTime(self.now.0 - Duration::days(3));
        batches::create(self.store, self.instance, firmware, spec, candidates, None, created)
            .await
            .map(|created| created.job_id)
            .map_err(|e| format!("a demo batch of {} was refused: {e:?}", firmware.firmware_name).into())
    }

    /// Moves the batch's tasks on as `steps` say; devices that succeeded now report the
    /// package's version; a batch with nothing left to do completes, and a verification ends.
    async fn advance(&self, firmware: &Firmware, job_id: &str, steps: &[Step]) -> Result<(), SeedError> {
        let tasks = self.store.task_ids(job_id).await?;
        let job = self.store.job(self.instance, job_id).await?.ok_or("a demo batch vanished")?;
        let mut tx = self.store.begin().await?;
        let mut tasks_left = tasks.iter();
        let (mut succeeded, mut failed) = (0, 0);
        for step in steps {
            for (task_id, iot_id) in tasks_left.by_ref().take(step.count) {
                set_task_state(&mut tx, task_id, step.status, step.progress, step.reason, self.now).await?;
                if step.status == Succeeded {
                    set_module_version(
                        &mut tx,
                        iot_id,
                        &firmware.product_key,
                        &firmware.module_name,
                        &firmware.dest_version,
                        self.now,
                    )
                    .await?;
                    succeeded += 1;
                }
                failed += usize::from(step.status == Failed);
            }
        }
        let unfinished =
            tasks_left.count() + steps.iter().filter(|s| !s.status.is_finished()).map(|s| s.count).sum::<usize>();
        if unfinished == 0 {
            end_job(&mut tx, job_id, JobStatus::Completed, self.now).await?;
        }
        if firmware.status() == FirmwareStatus::Unverified || firmware.status() == FirmwareStatus::Verifying {
            let total = tasks.len().max(1);
            let progress = (succeeded * 100 / total) as u8;
            let status = match (unfinished, failed) {
                (0, 0) => FirmwareStatus::Verified,
                (0, _) => FirmwareStatus::VerificationFailed,
                _ => FirmwareStatus::Verifying,
            };
            if job.job_type == JobType::VerifyFirmware.as_str() {
                set_firmware_status(&mut tx, &firmware.firmware_id, status, progress, self.now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
