//! Creating a batch: from its candidate devices to the tasks stored, or for a dry run to what
//! it would do. Shared by the API and the demo dataset, so that demo batches follow every rule
//! real ones do.

use std::collections::HashMap;

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
use crate::store::{Firmware, NewJob, Store};

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
    let existing = store.unfinished_tasks_of_product(&firmware.product_key).await?;
    let job_id = ids::object_id();
    let package = PackageVersions {
        dest: &firmware.dest_version,
        firmware_type: firmware.firmware_type(),
        src: firmware.src_version.as_deref(),
    };
    let gray = match spec.target {
        Some(StaticTarget::Gray(percent)) => Some(*percent),
        _ => None,
    };
    let plan = rollout::plan(
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
            seed: &job_id,
        },
    );
    if plan.tasks.is_empty() && spec.selection_type == SelectionType::Static {
        return Err(no_target(candidates.len(), &plan.skipped));
    }
    if spec.dry_run {
        let job_status = plan.job_status(spec.selection_type, spec.schedule.start, now);
        let preview = JobPreview::of(candidates.len(), &plan, job_status);
        return Ok(JobCreated { job_id: String::new(), utc_create: now, dry_run: Some(preview) });
    }
    store.audit_target(Target::new(TargetType::Job, &job_id));
    let names: HashMap<String, String> = candidates.into_iter().map(|c| (c.iot_id, c.device_name)).collect();
    let job = NewJob {
        job_id,
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
    };
    store.create_job(instance, &job, &plan, &names, now).await?;
    tracing::info!(
        "batch {} of {}: {} tasks, {} overwritten",
        job.job_id,
        job.firmware_id,
        plan.tasks.len(),
        plan.overwritten.len()
    );
    Ok(JobCreated { job_id: job.job_id, utc_create: now, dry_run: None })
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
