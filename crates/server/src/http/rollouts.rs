//! Safe rollouts (extension `SafeRollout`): an operator pauses and resumes a batch, and starts
//! its next wave. The rules that do the same on their own run in the engine (`engine::guard`).

use ota_model::Empty;
use ota_model::codes;
use ota_model::enums::JobStatus;
use ota_model::job::safety::{PauseCause, PauseOTAJob, PausedBy, ResumeOTAJob, SafetyState, StartOTAJobNextWave};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::store::jobs::Job;

pub fn register(actions: &mut Actions) {
    actions.add(pause_job).add(resume_job).add(start_next_wave);
}

async fn pause_job(ctx: Ctx, request: PauseOTAJob) -> Result<Empty, ApiError> {
    let job = running(&ctx, &request.job_id).await?;
    let cause = PauseCause { by: PausedBy::Operator, at: ctx.now, tripped: None };
    if !ctx.store.pause_job(&job.job_id, cause, None).await? {
        return Err(conflict(&job, "is paused already"));
    }
    Ok(Empty {})
}

async fn resume_job(ctx: Ctx, request: ResumeOTAJob) -> Result<Empty, ApiError> {
    let job = running(&ctx, &request.job_id).await?;
    if !ctx.store.resume_job(&job.job_id, ctx.now).await? {
        return Err(conflict(&job, "is not paused"));
    }
    Ok(Empty {})
}

async fn start_next_wave(ctx: Ctx, request: StartOTAJobNextWave) -> Result<Empty, ApiError> {
    let job = running(&ctx, &request.job_id).await?;
    let (state, last) = match ctx.store.job_safety(&job.job_id).await? {
        Some((safety, state, waves)) if safety.waves.is_some() => {
            (state, waves.iter().map(|wave| wave.number).max().unwrap_or(1))
        }
        _ => return Err(conflict(&job, "has no waves")),
    };
    let SafetyState { current_wave: Some(current), .. } = state else { return Err(conflict(&job, "has no waves")) };
    if current >= last {
        return Err(conflict(&job, &format!("runs its last wave ({current}) already")));
    }
    // An operator may start a wave of a paused batch: it is pushed once the batch resumes.
    if !ctx.store.start_next_wave(&job.job_id, current, false, ctx.now).await? {
        return Err(conflict(&job, "started its next wave meanwhile"));
    }
    Ok(Empty {})
}

/// The batch, which must be running (`IN_PROGRESS`).
async fn running(ctx: &Ctx, job_id: &str) -> Result<Job, ApiError> {
    let job = ctx.job(job_id).await?;
    if job.status() != JobStatus::InProgress {
        let status = job.status();
        return Err(conflict(&job, &format!("is {status}; only a running batch can")));
    }
    Ok(job)
}

fn conflict(job: &Job, why: &str) -> ApiError {
    ApiError::conflict(codes::JOB_STATE_CONFLICT, format!("The batch {} {why}.", job.job_id))
}
