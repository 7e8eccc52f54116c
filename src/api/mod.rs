//! The only module that speaks HTTP: one typed call per operation, against the selected
//! environment's endpoint.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_net::http::Request;
use ota_model::actions::BatchCancel;
use ota_model::console_config::{ConsoleConfigFile, Environment};
use ota_model::enums::TaskStatus;
use ota_model::extensions::{
    Capabilities, Extension, QueryOTACapabilities, QueryOTATaskStatistics, StatisticsScope, TaskCounts,
};
use ota_model::firmware::{ListOTAFirmware, ListOTAFirmwareResponse, QueryOTAFirmware, QueryOTAFirmwareResponse};
use ota_model::job::safety::{PauseOTAJob, ResumeOTAJob, StartOTAJobNextWave};
use ota_model::job::{
    CancelOTAStrategyByJob, ListOTAJobByDevice, ListOTAJobByFirmware, ListOTAJobResponse, QueryOTAJob,
    QueryOTAJobResponse, SimpleOTAJobInfo, UpdateOTAJob,
};
use ota_model::module::{ListOTAModuleVersionsByDevice, SimpleOTAModuleInfo};
use ota_model::registry::{DeviceDetail, DeviceRef, QueryDeviceDetail};
use ota_model::task::{
    CancelOTATaskByDevice, CancelOTATaskByJob, ConfirmOTATask, ListOTATaskByFirmware, ListOTATaskByJob,
    ListOTATaskByJobResponse, ListOTAUnfinishedTaskByDevice, ReasonFilter, ReupgradeOTATask, SimpleOTATaskInfo,
};
use ota_model::{API_VERSION, PageRequest, codes};

mod access;
mod analysis;
mod audit;
mod create;
pub mod credentials;
mod environments;
mod transport;
mod upload;

pub use access::*;
pub use analysis::*;
pub use audit::*;
pub use create::*;
pub use environments::*;
pub(crate) use transport::call;
pub use transport::event_stream_url;
pub use upload::{Stop, UploadProgress, digest_file, upload_file};

/// Why a call brought no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No HTTP answer: the backend is down, unreachable, too slow, or refuses cross-origin calls.
    Unreachable { endpoint: String, detail: String },
    /// The backend answered with a failure envelope.
    /// `param` names the parameter at fault, from backends with the `ErrorParam` extension.
    Refused { status: u16, code: String, message: String, request_id: String, param: Option<String> },
    /// The backend answered something that is not the API's JSON.
    Unreadable { status: u16, detail: String },
}

impl ApiError {
    /// One line for an operator: the backend's message and code, or what went wrong.
    pub fn detail(&self) -> String {
        match self {
            ApiError::Refused { code, message, .. } => format!("{message} ({code})"),
            ApiError::Unreachable { detail, .. } | ApiError::Unreadable { detail, .. } => detail.clone(),
        }
    }

    /// The parameter the backend refused, when it says.
    pub fn param(&self) -> Option<&str> {
        match self {
            ApiError::Refused { param, .. } => param.as_deref(),
            _ => None,
        }
    }
}

thread_local! {
    /// What each backend offers, asked once per endpoint and instance.
    static CAPABILITIES: RefCell<HashMap<(String, Option<String>), Capabilities>> = RefCell::new(HashMap::new());
}

/// What a backend offers. A backend that does not know QueryOTACapabilities is plain Alibaba:
/// no extensions.
pub async fn capabilities(env: &Environment) -> Result<Capabilities, ApiError> {
    let key = (env.endpoint.clone(), env.iot_instance_id.clone());
    if let Some(known) = CAPABILITIES.with_borrow(|cache| cache.get(&key).cloned()) {
        return Ok(known);
    }
    let capabilities = match call(env, &QueryOTACapabilities).await {
        Ok(answer) => answer.data,
        Err(ApiError::Refused { code, .. }) if code == codes::UNKNOWN_ACTION => Capabilities {
            api_version: API_VERSION.to_owned(),
            server: String::new(),
            extensions: Default::default(),
            actions: Default::default(),
        },
        Err(error) => return Err(error),
    };
    CAPABILITIES.with_borrow_mut(|cache| cache.insert(key, capabilities.clone()));
    Ok(capabilities)
}

/// Forgets what a backend offers, so that the next call asks again (it answered unlike what it
/// had announced, e.g. after a restart without extensions).
pub fn forget_capabilities(env: &Environment) {
    let key = (env.endpoint.clone(), env.iot_instance_id.clone());
    CAPABILITIES.with_borrow_mut(|cache| cache.remove(&key));
}

pub async fn list_firmware(env: &Environment, request: &ListOTAFirmware) -> Result<ListOTAFirmwareResponse, ApiError> {
    call(env, request).await
}

pub async fn query_firmware(env: &Environment, firmware_id: &str) -> Result<QueryOTAFirmwareResponse, ApiError> {
    call(env, &QueryOTAFirmware { firmware_id: firmware_id.to_owned() }).await
}

/// A package's batches, newest first.
pub async fn list_jobs(env: &Environment, request: &ListOTAJobByFirmware) -> Result<ListOTAJobResponse, ApiError> {
    call(env, request).await
}

pub async fn query_job(env: &Environment, job_id: &str) -> Result<QueryOTAJobResponse, ApiError> {
    call(env, &QueryOTAJob { job_id: job_id.to_owned() }).await
}

/// Pauses, resumes or starts the next wave of a batch (extension `SafeRollout`).
pub async fn steer_batch(env: &Environment, job_id: &str, steer: Steer) -> Result<(), ApiError> {
    let job_id = job_id.to_owned();
    match steer {
        Steer::Pause => call(env, &PauseOTAJob { job_id }).await.map(drop),
        Steer::Resume => call(env, &ResumeOTAJob { job_id }).await.map(drop),
        Steer::NextWave => call(env, &StartOTAJobNextWave { job_id }).await.map(drop),
    }
}

/// What an operator does to a batch's safe rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steer {
    Pause,
    Resume,
    NextWave,
}

/// Whose tasks a list shows: one batch's, or a package's across its batches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskScope {
    Job(String),
    Package(String),
}

/// What a task list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskQuery {
    pub status: Option<TaskStatus>,
    /// An exact device name; empty for all.
    pub device: String,
    /// One failure reason's tasks (extension `ReasonCodeFilter`).
    pub reason: Option<ReasonFilter>,
    pub page: PageRequest,
}

/// A page of a scope's tasks; `None` when the backend cannot list a package's tasks across
/// its batches (no `PackageTasks` extension).
pub async fn list_tasks(
    env: &Environment,
    scope: &TaskScope,
    query: &TaskQuery,
) -> Result<Option<ListOTATaskByJobResponse>, ApiError> {
    let device = (!query.device.is_empty()).then(|| query.device.clone());
    // A backend without the filter refuses or ignores it: the state alone is asked of it.
    let filters = query.reason.is_some() && capabilities(env).await?.offers(Extension::ReasonCodeFilter);
    let query = &TaskQuery { reason: query.reason.filter(|_| filters), ..query.clone() };
    match scope {
        TaskScope::Job(job_id) => {
            let request = ListOTATaskByJob {
                job_id: job_id.clone(),
                task_status: query.status,
                device_names: device.into_iter().collect(),
                reason_code: query.reason,
                page: query.page,
            };
            call(env, &request).await.map(Some)
        }
        TaskScope::Package(firmware_id) => {
            if !capabilities(env).await?.offers(Extension::PackageTasks) {
                return Ok(None);
            }
            let request = ListOTATaskByFirmware {
                firmware_id: firmware_id.clone(),
                task_status: query.status,
                device_name: device,
                reason_code: query.reason,
                page: query.page,
            };
            call(env, &request).await.map(Some)
        }
    }
}

/// How many of a scope's tasks are in each state, and who counted them; `None` when the
/// backend can count neither way.
pub async fn task_counts(env: &Environment, scope: &TaskScope) -> Result<Option<(TaskCounts, Counted)>, ApiError> {
    match scope {
        TaskScope::Job(job_id) => job_counts(env, job_id).await.map(Some),
        TaskScope::Package(firmware_id) => {
            let offers = capabilities(env).await?;
            if offers.offers(Extension::TaskStatistics) {
                let scope = StatisticsScope::Firmware(firmware_id.clone());
                let answer = call(env, &QueryOTATaskStatistics { scope }).await?;
                return Ok(Some((answer.data.counts, Counted::ByBackend)));
            }
            if !offers.offers(Extension::PackageTasks) {
                return Ok(None);
            }
            Ok(Some((count_by_listing(env, scope).await?, Counted::ByListing)))
        }
    }
}

/// A device by product and name.
pub fn device_ref(product_key: &str, device_name: &str) -> DeviceRef {
    DeviceRef::Name { product_key: product_key.to_owned(), device_name: device_name.to_owned() }
}

pub async fn query_device(env: &Environment, device: &DeviceRef) -> Result<DeviceDetail, ApiError> {
    call(env, &QueryDeviceDetail { device: device.clone() }).await.map(|answer| answer.data)
}

/// The version each of a device's modules reports.
pub async fn module_versions(env: &Environment, device: &DeviceRef) -> Result<Vec<SimpleOTAModuleInfo>, ApiError> {
    let request = ListOTAModuleVersionsByDevice {
        device: device.clone(),
        page: PageRequest::new(1, ListOTAModuleVersionsByDevice::MAX_PAGE_SIZE),
    };
    call(env, &request).await.map(|answer| answer.data.items)
}

/// A device's tasks that have not ended, in any batch.
pub async fn unfinished_tasks(env: &Environment, device: &DeviceRef) -> Result<Vec<SimpleOTATaskInfo>, ApiError> {
    let request = ListOTAUnfinishedTaskByDevice { device: device.clone(), module_name: None, statuses: Vec::new() };
    call(env, &request).await.map(|answer| answer.data.items)
}

/// How many of a product's newest packages [`device_batches`] looks through.
pub const DEVICE_BATCH_PACKAGES: u32 = 100;

/// The batches that included a device, newest first, each with its package's name. The API
/// lists them per package, so this asks for each of the product's newest packages.
pub async fn device_batches(
    env: &Environment,
    product_key: &str,
    device_name: &str,
) -> Result<Vec<(String, SimpleOTAJobInfo)>, ApiError> {
    let packages = ListOTAFirmware {
        page: PageRequest::new(1, DEVICE_BATCH_PACKAGES),
        product_key: Some(product_key.to_owned()),
        ..Default::default()
    };
    let mut batches = Vec::new();
    for package in call(env, &packages).await?.firmware_info.items {
        let request = ListOTAJobByDevice {
            firmware_id: package.firmware_id.clone(),
            product_key: product_key.to_owned(),
            device_name: device_name.to_owned(),
            page: PageRequest::new(1, ListOTAJobByDevice::MAX_PAGE_SIZE),
        };
        let jobs = call(env, &request).await?.data.items;
        batches.extend(jobs.into_iter().map(|job| (package.firmware_name.clone(), job)));
    }
    batches.sort_by_key(|(_, job)| std::cmp::Reverse(job.utc_create));
    Ok(batches)
}

/// Changes a running batch's push rate, tags, and (dynamic batches) timeout and versions.
pub async fn update_job(env: &Environment, request: &UpdateOTAJob) -> Result<(), ApiError> {
    call(env, request).await.map(drop)
}

/// Confirms or re-runs many tasks (`(job, task)` pairs), as few calls as the API allows.
pub async fn act_on_tasks(env: &Environment, confirm: bool, tasks: &[(String, String)]) -> Result<(), ApiError> {
    for (job_id, task_ids) in ota_model::actions::per_call(tasks) {
        if confirm {
            call(env, &ConfirmOTATask { task_ids }).await?;
        } else {
            call(env, &ReupgradeOTATask { job_id, task_ids }).await?;
        }
    }
    Ok(())
}

pub async fn confirm_task(env: &Environment, task_id: &str) -> Result<(), ApiError> {
    call(env, &ConfirmOTATask { task_ids: vec![task_id.to_owned()] }).await.map(drop)
}

pub async fn reupgrade_task(env: &Environment, job_id: &str, task_id: &str) -> Result<(), ApiError> {
    call(env, &ReupgradeOTATask { job_id: job_id.to_owned(), task_ids: vec![task_id.to_owned()] }).await.map(drop)
}

/// Cancels one device's task in one batch.
pub async fn cancel_device_task(env: &Environment, task: &SimpleOTATaskInfo) -> Result<(), ApiError> {
    let request = CancelOTATaskByDevice {
        product_key: task.product_key.clone(),
        firmware_id: task.firmware_id.clone(),
        device_names: vec![task.device_name.clone()],
        job_id: Some(task.job_id.clone()),
    };
    call(env, &request).await.map(drop)
}

/// Cancels a batch as `plan` says: its policy, its tasks in some states, or both.
pub async fn cancel_batch(env: &Environment, job_id: &str, plan: &BatchCancel) -> Result<(), ApiError> {
    if plan.stop_policy {
        call(env, &CancelOTAStrategyByJob { job_id: job_id.to_owned() }).await?;
    }
    if let Some(cancel) = plan.request_states() {
        call(env, &CancelOTATaskByJob { job_id: job_id.to_owned(), cancel }).await?;
    }
    Ok(())
}

/// How many of a batch's tasks are in each state, and whether a backend counted them itself
/// (the `TaskStatistics` extension) or they were added up from one task list per state.
pub async fn job_counts(env: &Environment, job_id: &str) -> Result<(TaskCounts, Counted), ApiError> {
    if capabilities(env).await?.offers(Extension::TaskStatistics) {
        let scope = StatisticsScope::Job(job_id.to_owned());
        let answer = call(env, &QueryOTATaskStatistics { scope }).await?;
        return Ok((answer.data.counts, Counted::ByBackend));
    }
    Ok((count_by_listing(env, &TaskScope::Job(job_id.to_owned())).await?, Counted::ByListing))
}

/// Counts by state without the counts extension: one list per state, one row each, its `Total`.
async fn count_by_listing(env: &Environment, scope: &TaskScope) -> Result<TaskCounts, ApiError> {
    let mut counts = TaskCounts::default();
    for &status in TaskStatus::ALL {
        let query =
            TaskQuery { status: Some(status), device: String::new(), reason: None, page: PageRequest::new(1, 1) };
        counts.add(status, list_tasks(env, scope, &query).await?.map_or(0, |answer| answer.page.total));
    }
    Ok(counts)
}

/// Where per-state counts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    ByBackend,
    ByListing,
}

/// Loads `config.json` from beside the console (relative to the page's `<base>`).
pub async fn load_config() -> Result<ConsoleConfigFile, String> {
    let response = Request::get("config.json").send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} for config.json", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("config.json: {e}"))
}
