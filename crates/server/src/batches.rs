//! Creating a batch: from its candidate devices to the tasks stored, or for a dry run to what
//! it would do. Shared by the API and the demo dataset, so that demo batches follow every rule
//! real ones do.

use std::collections::{HashMap, HashSet};

use ota_model::audit::{Target, TargetType};
use ota_model::enums::{DownloadProtocol, DynamicMode, JobType, SelectionType};
use ota_model::job::create::{Schedule, StaticTarget};
use ota_model::job::policy::JobPolicy;
use ota_model::job::{JobCreated, JobPreview};
use ota_model::rollout::{self, Candidate, Existing, PackageVersions, Skip};
use ota_model::{UtcTime, codes};

use crate::http::ApiError;
use crate::ids;
use crate::store::jobs::CandidateRow;
use crate::store::jobs::JobCreation;
use crate::store::{Firmware, NewJob, Store};

/// How many times a batch is planned again when other batches change its devices meanwhile.
const PLAN_ATTEMPTS: usize = 3;

/// Largest package that can be downloaded over MQTT.
const MAX_MQTT_PACKAGE_BYTES: i64 = 16 * 1024 * 1024;

/// What differs between the three kinds of batch; the rest of creating one is shared.
pub struct Spec<'a> {
    pub job_type: JobType,
    pub selection_type: SelectionType,
    /// Static batches.
    pub target: Option<&'a StaticTarget>,
    pub src_versions: &'a [String],
    pub dynamic_mode: Option<DynamicMode>,
    pub schedule: Schedule,
    pub policy: &'a JobPolicy,
    /// Check and plan the batch, then answer what it would do instead of storing it.
    pub dry_run: bool,
}

/// Plans the batch's tasks from `candidates` and stores it all, answering the batch's ID; a
/// dry run stops short of storing (no batch, no tasks, nothing overwritten, the package and
/// the list file untouched) and answers what the batch would do, with an empty ID.
pub async fn create(
    store: &Store,
    instance: &str,
    firmware: &Firmware,
    spec: Spec<'_>,
    candidates: Vec<CandidateRow>,
    list_file: Option<&str>,
    now: UtcTime,
) -> Result<JobCreated, ApiError> {
    if spec.policy.download_protocol == DownloadProtocol::Mqtt && firmware.firmware_size > MAX_MQTT_PACKAGE_BYTES {
        return Err(ota_model::ParamError::invalid(
            "DownloadProtocol",
            "MQTT downloads take packages of at most 16 MB",
        )
        .into());
    }
    let job_id = ids::object_id();
    let names: HashMap<String, String> = candidates.iter().map(|c| (c.iot_id.clone(), c.device_name.clone())).collect();
    for _ in 0..PLAN_ATTEMPTS {
        let existing = store.unfinished_tasks_of_product(&firmware.product_key).await?;
        let plan = plan_tasks(firmware, &spec, &candidates, &existing, &job_id);
        if plan.tasks.is_empty() && spec.selection_type == SelectionType::Static {
            return Err(no_target(candidates.len(), &plan.skipped));
        }
        if spec.dry_run {
            let job_status = plan.job_status(spec.selection_type, spec.schedule.start, now);
            let preview = JobPreview::of(candidates.len(), &plan, job_status);
            return Ok(JobCreated { job_id: String::new(), utc_create: now, dry_run: Some(preview) });
        }
        store.audit_target(Target::new(TargetType::Job, &job_id));
        let seen: HashSet<String> = existing.into_iter().map(|e| e.task_id).collect();
        let job = NewJob {
            job_id: job_id.clone(),
            firmware_id: &firmware.firmware_id,
            product_key: &firmware.product_key,
            module_name: &firmware.module_name,
            dest_version: &firmware.dest_version,
            job_type: spec.job_type,
            selection_type: spec.selection_type,
            target: spec.target,
            src_versions: spec.src_versions,
            dynamic_mode: spec.dynamic_mode,
            schedule: spec.schedule,
            policy: spec.policy,
            verifies: spec.job_type == JobType::VerifyFirmware,
            list_file,
            planned_from: Some(&seen),
        };
        match store.create_job(instance, &job, &plan, &names, now).await? {
            JobCreation::Created => {
                let (tasks, overwritten) = (plan.tasks.len(), plan.overwritten.len());
                tracing::info!("batch {job_id} of {}: {tasks} tasks, {overwritten} overwritten", job.firmware_id);
                return Ok(JobCreated { job_id, utc_create: now, dry_run: None });
            }
            JobCreation::Stale => tracing::info!("batch {job_id}: another batch changed its devices; planning again"),
            JobCreation::ListFileGone => {
                return Err(ApiError::conflict(
                    codes::FILE_NOT_FOUND,
                    "The device list was taken by another batch, or expired, while this one was created.",
                ));
            }
        }
    }
    Err(ApiError::conflict(
        codes::JOB_STATE_CONFLICT,
        "Other batches kept changing these devices' tasks while this one was created; try again.",
    ))
}

/// The batch's tasks, from its candidates and their unfinished tasks in other batches.
fn plan_tasks(
    firmware: &Firmware,
    spec: &Spec<'_>,
    candidates: &[CandidateRow],
    existing: &[crate::store::jobs::ExistingRow],
    job_id: &str,
) -> rollout::Plan {
    let package = PackageVersions {
        dest: &firmware.dest_version,
        firmware_type: firmware.firmware_type(),
        src: firmware.src_version.as_deref(),
    };
    let gray = match spec.target {
        Some(StaticTarget::Gray(percent)) => Some(*percent),
        _ => None,
    };
    rollout::plan(
        &candidates.iter().map(|c| Candidate { iot_id: &c.iot_id, version: c.version.as_deref() }).collect::<Vec<_>>(),
        &existing
            .iter()
            .filter_map(|e| {
                let status = e.status.parse().ok()?;
                Some(Existing { task_id: &e.task_id, iot_id: &e.iot_id, module: &e.module_name, status })
            })
            .collect::<Vec<_>>(),
        rollout::Request {
            package,
            module: &firmware.module_name,
            sources: spec.src_versions,
            overwrite: spec.policy.overwrite_mode,
            multi_module_mode: spec.policy.multi_module_mode,
            need_confirm: spec.policy.need_confirm,
            gray,
            seed: job_id,
        },
    )
}

/// Why a static batch would take on no device.
fn no_target(candidates: usize, skipped: &[(String, Skip)]) -> ApiError {
    let count = |kind: Skip| skipped.iter().filter(|(_, s)| *s == kind).count();
    let message = if candidates == 0 {
        "No device matches the batch's targets.".to_owned()
    } else {
        format!(
            "None of the {candidates} devices can take the package: {} run it already, {} are not on its source \
             version, {} are not on a requested source version.",
            count(Skip::AlreadyUpdated),
            count(Skip::WrongSource),
            count(Skip::NotASourceVersion)
        )
    };
    ApiError::conflict(codes::NO_TARGET_DEVICE, message)
}
