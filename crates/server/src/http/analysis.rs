//! The data-analysis extensions: a batch's progress over time, the running batches, failures
//! by reason, tasks by source version. (QueryDevice's version filter is in `registry`.)

use ota_model::analysis::job_progress;
use ota_model::extensions::{
    FailureCountList, FailureReasons, ListOTAFailureReasons, ListOTAFailureReasonsResponse, ListOTAJobProgress,
    ListOTAJobProgressResponse, ListOTARunningJobs, ListOTARunningJobsResponse, ListOTASourceVersions,
    ListOTASourceVersionsResponse, RunningJobList, RunningJobs, SourceVersionList, SourceVersions, StatisticsScope,
};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::store::analysis::Scope;

pub fn register(actions: &mut Actions) {
    actions.add(progress).add(running_jobs).add(failure_reasons).add(source_versions);
}

async fn progress(ctx: Ctx, request: ListOTAJobProgress) -> Result<ListOTAJobProgressResponse, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    let deltas = ctx.store.progress_deltas(&job.job_id, ctx.now, request.max_points).await?;
    Ok(ListOTAJobProgressResponse { data: job_progress(&job.job_id, deltas, ctx.now, request.max_points) })
}

async fn running_jobs(ctx: Ctx, _: ListOTARunningJobs) -> Result<ListOTARunningJobsResponse, ApiError> {
    let (total, items) = ctx.store.running_jobs(&ctx.instance, ListOTARunningJobs::LIMIT).await?;
    Ok(ListOTARunningJobsResponse { data: RunningJobs { total, jobs: RunningJobList { items } } })
}

async fn failure_reasons(ctx: Ctx, request: ListOTAFailureReasons) -> Result<ListOTAFailureReasonsResponse, ApiError> {
    let items = match &request.scope {
        Some(scope) => {
            let id = found(&ctx, scope).await?;
            ctx.store.failure_reasons(scoped(scope, &id)).await?
        }
        None => ctx.store.failure_reasons(Scope::Instance(&ctx.instance)).await?,
    };
    let total = items.iter().map(|failure| failure.count).sum();
    Ok(ListOTAFailureReasonsResponse { data: FailureReasons { total, failures: FailureCountList { items } } })
}

async fn source_versions(ctx: Ctx, request: ListOTASourceVersions) -> Result<ListOTASourceVersionsResponse, ApiError> {
    let id = found(&ctx, &request.scope).await?;
    let items = ctx.store.source_versions(scoped(&request.scope, &id)).await?;
    let total = items.iter().map(|version| version.counts.total).sum();
    Ok(ListOTASourceVersionsResponse { data: SourceVersions { total, source_versions: SourceVersionList { items } } })
}

/// The ID of the batch or package `scope` names, if the instance has it (404 otherwise).
async fn found(ctx: &Ctx, scope: &StatisticsScope) -> Result<String, ApiError> {
    Ok(match scope {
        StatisticsScope::Job(id) => ctx.job(id).await?.job_id,
        StatisticsScope::Firmware(id) => ctx.firmware(id).await?.firmware_id,
    })
}

fn scoped<'a>(scope: &StatisticsScope, id: &'a str) -> Scope<'a> {
    match scope {
        StatisticsScope::Job(_) => Scope::Job(id),
        StatisticsScope::Firmware(_) => Scope::Firmware(id),
    }
}
