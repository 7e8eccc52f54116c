//! Batches: create (verification, static, dynamic), change, read, stop.

use ota_model::enums::{DynamicMode, FirmwareType, JobStatus, JobType, SelectionType};
use ota_model::job::create::{
    CreateOTADynamicUpgradeJob, CreateOTAStaticUpgradeJob, CreateOTAVerifyJob, DynamicTarget, Schedule, StaticTarget,
};
use ota_model::job::{
    CancelOTAStrategyByJob, CreateOTAJobResponse, ListOTAJobByDevice, ListOTAJobByFirmware, ListOTAJobResponse,
    QueryOTAJob, QueryOTAJobResponse, SimpleOTAJobInfoList, UpdateOTAJob,
};
use ota_model::registry::DeviceRef;
use ota_model::upload::MAX_DEVICE_LIST_BYTES;
use ota_model::{Empty, Page, ParamError, codes, rules};

use super::firmware::stored_upload;
use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::batches::{self, Spec};
use crate::files::FileStore;
use crate::store::jobs::CandidateRow;
use crate::store::{Firmware, Purpose};

pub fn register(actions: &mut Actions) {
    actions
        .add(create_verify_job)
        .add(create_static_job)
        .add(create_dynamic_job)
        .add(update_job)
        .add(query_job)
        .add(list_jobs_by_firmware)
        .add(list_jobs_by_device)
        .add(cancel_strategy);
}

async fn create_verify_job(ctx: Ctx, request: CreateOTAVerifyJob) -> Result<CreateOTAJobResponse, ApiError> {
    let firmware = package_of(&ctx, &request.firmware_id, &request.product_key).await?;
    if matches!(firmware.status(), ota_model::FirmwareStatus::Verifying | ota_model::FirmwareStatus::Verified) {
        return Err(ApiError::conflict(
            codes::FIRMWARE_ALREADY_VERIFIED,
            format!("The package {} is being verified or has been verified.", firmware.firmware_id),
        ));
    }
    let candidates = named(&ctx, &firmware, &request.device_names).await?;
    let spec = Spec {
        job_type: JobType::VerifyFirmware,
        selection_type: SelectionType::Static,
        target: None,
        src_versions: &[],
        dynamic_mode: None,
        schedule: Schedule::default(),
        policy: &request.policy,
        dry_run: request.dry_run,
    };
    create(&ctx, &firmware, spec, candidates, None).await
}

async fn create_static_job(ctx: Ctx, request: CreateOTAStaticUpgradeJob) -> Result<CreateOTAJobResponse, ApiError> {
    let firmware = package_of(&ctx, &request.firmware_id, &request.product_key).await?;
    must_be_verified(&firmware)?;
    check_sources(&firmware, "SrcVersion", &request.src_versions)?;
    request.schedule.check(ctx.now)?;
    let mut list_file = None;
    let candidates = match &request.target {
        StaticTarget::All | StaticTarget::Gray(_) => {
            ctx.store.product_candidates(&firmware.product_key, &firmware.module_name).await?
        }
        StaticTarget::Devices(names) => named(&ctx, &firmware, names).await?,
        StaticTarget::ListFile(url) => {
            let (key, stored) = stored_upload(&ctx, "DnListFileUrl", url, Purpose::DeviceList).await?;
            let names = device_list(&ctx.files, &stored.object).await?;
            list_file = Some(key);
            ctx.store.named_candidates(&firmware.product_key, &firmware.module_name, &names).await?
        }
        StaticTarget::Group(group_id) => {
            if !ctx.store.group_exists(&ctx.instance, group_id).await? {
                return Err(ApiError::not_found(
                    codes::GROUP_NOT_FOUND,
                    format!("The group {group_id} does not exist."),
                ));
            }
            ctx.store.group_candidates(&firmware.product_key, &firmware.module_name, group_id).await?
        }
    };
    let spec = Spec {
        job_type: JobType::UpgradeFirmware,
        selection_type: SelectionType::Static,
        target: Some(&request.target),
        src_versions: &request.src_versions,
        dynamic_mode: None,
        schedule: request.schedule,
        policy: &request.policy,
        dry_run: request.dry_run,
    };
    create(&ctx, &firmware, spec, candidates, list_file.as_deref()).await
}

async fn create_dynamic_job(ctx: Ctx, request: CreateOTADynamicUpgradeJob) -> Result<CreateOTAJobResponse, ApiError> {
    let firmware = package_of(&ctx, &request.firmware_id, &request.product_key).await?;
    must_be_verified(&firmware)?;
    let DynamicTarget::Versions(versions) = &request.target else {
        return Err(ApiError::BadRequest(ParamError::new(
            codes::NOT_SUPPORTED,
            "This server has no dynamic device groups; match devices by SrcVersion.N instead.",
        )));
    };
    check_sources(&firmware, "SrcVersion", versions)?;
    if let Some(running) = ctx.store.running_dynamic_job(&firmware.firmware_id).await? {
        return Err(ApiError::conflict(
            codes::DYNAMIC_JOB_EXISTS,
            format!("The package has a running dynamic batch, {running}; cancel it first."),
        ));
    }
    // Mode 2 waits for devices to report a matching version later; mode 1 starts with today's.
    let candidates = match request.dynamic_mode {
        DynamicMode::Continuous => ctx.store.product_candidates(&firmware.product_key, &firmware.module_name).await?,
        DynamicMode::NewReportsOnly => Vec::new(),
    };
    let spec = Spec {
        job_type: JobType::UpgradeFirmware,
        selection_type: SelectionType::Dynamic,
        target: None,
        src_versions: versions,
        dynamic_mode: Some(request.dynamic_mode),
        schedule: Schedule::default(),
        policy: &request.policy,
        dry_run: request.dry_run,
    };
    create(&ctx, &firmware, spec, candidates, None).await
}

/// The package a batch is for, which must belong to the named product.
async fn package_of(ctx: &Ctx, firmware_id: &str, product_key: &str) -> Result<Firmware, ApiError> {
    let firmware = ctx.firmware(firmware_id).await?;
    if firmware.product_key != product_key {
        return Err(ApiError::conflict(
            codes::FIRMWARE_PRODUCT_MISMATCH,
            format!("The package {firmware_id} belongs to product {}, not {product_key}.", firmware.product_key),
        ));
    }
    Ok(firmware)
}

fn must_be_verified(firmware: &Firmware) -> Result<(), ApiError> {
    if firmware.status().allows_batch_update() {
        return Ok(());
    }
    Err(ApiError::conflict(
        codes::FIRMWARE_NOT_VERIFIED,
        format!("The package {} must pass a verification batch first.", firmware.firmware_id),
    ))
}

/// A differential package applies to its one source version only.
fn check_sources(firmware: &Firmware, param: &str, versions: &[String]) -> Result<(), ApiError> {
    match (&firmware.src_version, firmware.firmware_type()) {
        (Some(src), FirmwareType::Differential) if versions.iter().any(|v| v != src) => {
            Err(ParamError::invalid(param, format!("a differential package applies to version {src} only")).into())
        }
        _ => Ok(()),
    }
}

/// The named devices of the package's product; every name must exist.
async fn named(ctx: &Ctx, firmware: &Firmware, names: &[String]) -> Result<Vec<CandidateRow>, ApiError> {
    let found = ctx.store.named_candidates(&firmware.product_key, &firmware.module_name, names).await?;
    if found.len() < names.len() {
        let missing: Vec<&str> =
            names.iter().filter(|n| !found.iter().any(|f| &f.device_name == *n)).map(String::as_str).take(5).collect();
        return Err(ApiError::not_found(
            codes::DEVICE_NOT_FOUND,
            format!("The product {} has no device named {}.", firmware.product_key, missing.join(", ")),
        ));
    }
    Ok(found)
}

/// The device names in an uploaded list: one per line (the first column of a CSV), a header
/// line and names that cannot be device names skipped.
async fn device_list(files: &FileStore, object: &str) -> Result<Vec<String>, ApiError> {
    let read = files.read(object, MAX_DEVICE_LIST_BYTES).await;
    let text = read.map_err(|e| ApiError::Internal(format!("reading a device list: {e}")))?;
    let text = String::from_utf8_lossy(&text);
    let mut names: Vec<String> = text
        .lines()
        .filter_map(|line| line.split(',').next())
        .map(|name| name.trim().trim_matches('"').trim_start_matches('\u{feff}'))
        .filter(|name| rules::DEVICE_NAME.check("DeviceName", name).is_ok() && !name.eq_ignore_ascii_case("devicename"))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Creates the batch, answering its ID, or with a dry run what it would do.
async fn create(
    ctx: &Ctx,
    firmware: &Firmware,
    spec: Spec<'_>,
    candidates: Vec<CandidateRow>,
    list_file: Option<&str>,
) -> Result<CreateOTAJobResponse, ApiError> {
    let data = batches::create(&ctx.store, &ctx.instance, firmware, spec, candidates, list_file, ctx.now).await?;
    Ok(CreateOTAJobResponse { data })
}

async fn update_job(ctx: Ctx, request: UpdateOTAJob) -> Result<Empty, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    if !job.status().is_running() {
        return Err(ApiError::conflict(
            codes::JOB_STATE_CONFLICT,
            format!("The batch {} is {}; only running batches can change.", job.job_id, job.status()),
        ));
    }
    let kind = if job.is_dynamic() { SelectionType::Dynamic } else { SelectionType::Static };
    if let Some(given) = request.upgrade_type.filter(|t| *t != kind) {
        return Err(ParamError::invalid("UpgradeType", format!("the batch is {kind}, not {given}")).into());
    }
    if kind == SelectionType::Static && request.timeout_in_minutes.is_some() {
        return Err(ParamError::invalid("TimeoutInMinutes", "only a dynamic batch's timeout can change").into());
    }
    // Source versions only change for dynamic batches; static batches ignore them, as documented.
    let versions: &[String] = if kind == SelectionType::Dynamic { &request.src_versions } else { &[] };
    if !versions.is_empty() {
        let firmware = ctx.firmware(&job.firmware_id).await?;
        check_sources(&firmware, "SrcVersionList", versions)?;
    }
    let rate = job.rate.push_rate()?.edited(&request.rate, request.maximum_per_minute)?;
    ctx.store.update_job(&request, rate, versions, ctx.now).await?;
    Ok(Empty {})
}

async fn query_job(ctx: Ctx, request: QueryOTAJob) -> Result<QueryOTAJobResponse, ApiError> {
    match ctx.store.query_job(&ctx.instance, &request.job_id).await? {
        Some(data) => Ok(QueryOTAJobResponse { data }),
        None => Err(ApiError::not_found(codes::JOB_NOT_FOUND, format!("The batch {} does not exist.", request.job_id))),
    }
}

async fn list_jobs_by_firmware(ctx: Ctx, request: ListOTAJobByFirmware) -> Result<ListOTAJobResponse, ApiError> {
    let firmware = ctx.firmware(&request.firmware_id).await?;
    let (total, items) = ctx.store.jobs_of_firmware(&ctx.instance, &firmware.firmware_id, request.page).await?;
    Ok(ListOTAJobResponse { page: Page::new(request.page, total), data: SimpleOTAJobInfoList { items } })
}

async fn list_jobs_by_device(ctx: Ctx, request: ListOTAJobByDevice) -> Result<ListOTAJobResponse, ApiError> {
    let firmware = ctx.firmware(&request.firmware_id).await?;
    let device = ctx
        .device(&DeviceRef::Name { product_key: request.product_key.clone(), device_name: request.device_name.clone() })
        .await?;
    let (total, items) =
        ctx.store.jobs_of_device(&ctx.instance, &firmware.firmware_id, &device.iot_id, request.page).await?;
    Ok(ListOTAJobResponse { page: Page::new(request.page, total), data: SimpleOTAJobInfoList { items } })
}

async fn cancel_strategy(ctx: Ctx, request: CancelOTAStrategyByJob) -> Result<Empty, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    if !job.is_dynamic() {
        return Err(ApiError::conflict(
            codes::JOB_STATE_CONFLICT,
            format!("The batch {} is static; cancel its tasks with CancelOTATaskByJob.", job.job_id),
        ));
    }
    if !job.status().is_running() {
        return Err(ApiError::conflict(
            codes::JOB_STATE_CONFLICT,
            format!("The batch {} is {} already.", job.job_id, job.status()),
        ));
    }
    ctx.store.end_job(&job.job_id, JobStatus::Canceled, ctx.now).await?;
    Ok(Empty {})
}
