//! Device tasks: lists, cancellation by state or by device, confirmation, re-runs.

use ota_model::enums::JobStatus;
use ota_model::registry::DeviceRef;
use ota_model::task::{
    CancelOTATaskByDevice, CancelOTATaskByJob, ConfirmOTATask, ListOTATaskByFirmware, ListOTATaskByJob,
    ListOTATaskByJobResponse, ListOTAUnfinishedTaskByDevice, ListOTAUnfinishedTaskByDeviceResponse, ReupgradeOTATask,
    SimpleOTATaskInfoList,
};
use ota_model::{Empty, Page, codes};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::store::TaskChange;

pub fn register(actions: &mut Actions) {
    actions
        .add(list_tasks)
        .add(list_package_tasks)
        .add(list_unfinished_tasks)
        .add(cancel_by_job)
        .add(cancel_by_device)
        .add(confirm_tasks)
        .add(reupgrade_tasks);
}

async fn list_tasks(ctx: Ctx, request: ListOTATaskByJob) -> Result<ListOTATaskByJobResponse, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    let (total, items) = ctx
        .store
        .list_tasks(&job.job_id, request.task_status, &request.device_names, request.reason_code, request.page, ctx.now)
        .await?;
    Ok(ListOTATaskByJobResponse { page: Page::new(request.page, total), data: SimpleOTATaskInfoList { items } })
}

/// Extension `PackageTasks`.
async fn list_package_tasks(ctx: Ctx, request: ListOTATaskByFirmware) -> Result<ListOTATaskByJobResponse, ApiError> {
    let firmware = ctx.firmware(&request.firmware_id).await?;
    let (total, items) = ctx
        .store
        .list_package_tasks(
            &firmware.firmware_id,
            request.task_status,
            request.device_name.as_deref(),
            request.reason_code,
            request.page,
            ctx.now,
        )
        .await?;
    Ok(ListOTATaskByJobResponse { page: Page::new(request.page, total), data: SimpleOTATaskInfoList { items } })
}

async fn list_unfinished_tasks(
    ctx: Ctx,
    request: ListOTAUnfinishedTaskByDevice,
) -> Result<ListOTAUnfinishedTaskByDeviceResponse, ApiError> {
    let device = ctx.device(&request.device).await?;
    let items = ctx
        .store
        .unfinished_tasks_of_device(&device.iot_id, request.module_name.as_deref(), &request.statuses, ctx.now)
        .await?;
    Ok(ListOTAUnfinishedTaskByDeviceResponse { data: SimpleOTATaskInfoList { items } })
}

async fn cancel_by_job(ctx: Ctx, request: CancelOTATaskByJob) -> Result<Empty, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    let states = request.cancel.states(job.waits_for_schedule(ctx.now) || job.status() == JobStatus::Planned);
    let cancelled = ctx.store.cancel_job_tasks(&job, &states, ctx.now).await?;
    tracing::info!("batch {}: cancelled {cancelled} tasks", job.job_id);
    Ok(Empty {})
}

async fn cancel_by_device(ctx: Ctx, request: CancelOTATaskByDevice) -> Result<Empty, ApiError> {
    let firmware = ctx.firmware(&request.firmware_id).await?;
    if firmware.product_key != request.product_key {
        return Err(ApiError::conflict(
            codes::FIRMWARE_PRODUCT_MISMATCH,
            format!("The package {} belongs to another product.", firmware.firmware_id),
        ));
    }
    if let Some(job_id) = &request.job_id {
        let job = ctx.job(job_id).await?;
        if job.firmware_id != firmware.firmware_id {
            return Err(ApiError::conflict(
                codes::JOB_STATE_CONFLICT,
                format!("The batch {job_id} is not a batch of the package {}.", firmware.firmware_id),
            ));
        }
    }
    let mut iot_ids = Vec::with_capacity(request.device_names.len());
    for device_name in &request.device_names {
        let named = DeviceRef::Name { product_key: request.product_key.clone(), device_name: device_name.clone() };
        iot_ids.push(ctx.device(&named).await?.iot_id);
    }
    ctx.store.cancel_device_tasks(&firmware.firmware_id, &iot_ids, request.job_id.as_deref(), ctx.now).await?;
    Ok(Empty {})
}

async fn confirm_tasks(ctx: Ctx, request: ConfirmOTATask) -> Result<Empty, ApiError> {
    let change = ctx.store.confirm_tasks(&ctx.instance, &request.task_ids, ctx.now).await?;
    outcome(change, "waits for confirmation (CONFIRM)")
}

async fn reupgrade_tasks(ctx: Ctx, request: ReupgradeOTATask) -> Result<Empty, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    let change = ctx.store.reupgrade_tasks(&job, &request.task_ids, ctx.now).await?;
    outcome(change, "failed or was cancelled")
}

/// `needed` says which state the operation needs, for the message.
fn outcome(change: TaskChange, needed: &str) -> Result<Empty, ApiError> {
    match change {
        TaskChange::Done(_) => Ok(Empty {}),
        TaskChange::NotFound(task_id) => {
            Err(ApiError::not_found(codes::TASK_NOT_FOUND, format!("The task {task_id} does not exist.")))
        }
        TaskChange::WrongState { task_id, status } => Err(ApiError::conflict(
            codes::TASK_STATE_CONFLICT,
            format!("The task {task_id} is {status}; only a task that {needed} can take this. Nothing was changed."),
        )),
        TaskChange::Busy { task_id, device_name } => Err(ApiError::conflict(
            codes::TASK_STATE_CONFLICT,
            format!("The device {device_name} of task {task_id} has an unfinished task already. Nothing was changed."),
        )),
    }
}
