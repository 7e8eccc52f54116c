//! Calls behind the data-analysis views: all extensions, so each page asks first whether the
//! backend offers them.

use ota_model::PageRequest;
use ota_model::console_config::Environment;
use ota_model::extensions::{
    FailureReasons, JobProgress, ListOTAFailureReasons, ListOTAJobProgress, ListOTARunningJobs, ListOTASourceVersions,
    RunningJobs, SourceVersions, StatisticsScope,
};
use ota_model::registry::{ModuleVersionFilter, QueryDevice, QueryDeviceResponse};

use super::{ApiError, TaskScope, call};

fn statistics_scope(scope: &TaskScope) -> StatisticsScope {
    match scope {
        TaskScope::Job(id) => StatisticsScope::Job(id.clone()),
        TaskScope::Package(id) => StatisticsScope::Firmware(id.clone()),
    }
}

/// A page of the product's devices that last reported `version` of `module`.
pub async fn devices_on_version(
    env: &Environment,
    product_key: &str,
    filter: ModuleVersionFilter,
    page: PageRequest,
) -> Result<QueryDeviceResponse, ApiError> {
    call(env, &QueryDevice { product_key: product_key.to_owned(), page, version: Some(filter) }).await
}

/// A batch's task counts per state over time, at most `max_points` of them.
pub async fn job_progress(env: &Environment, job_id: &str, max_points: u32) -> Result<JobProgress, ApiError> {
    Ok(call(env, &ListOTAJobProgress { job_id: job_id.to_owned(), max_points }).await?.data)
}

/// The environment's scheduled and running batches with their counts.
pub async fn running_jobs(env: &Environment) -> Result<RunningJobs, ApiError> {
    Ok(call(env, &ListOTARunningJobs).await?.data)
}

/// Failed tasks by batch and reason: of a package or batch, or of the whole environment.
pub async fn failure_reasons(env: &Environment, scope: Option<&TaskScope>) -> Result<FailureReasons, ApiError> {
    Ok(call(env, &ListOTAFailureReasons { scope: scope.map(statistics_scope) }).await?.data)
}

/// A package's or batch's tasks by the version each device started from.
pub async fn source_versions(env: &Environment, scope: &TaskScope) -> Result<SourceVersions, ApiError> {
    Ok(call(env, &ListOTASourceVersions { scope: statistics_scope(scope) }).await?.data)
}
