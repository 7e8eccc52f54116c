//! Safe rollouts in the engine: each tick it looks at the running batches with rules. A
//! maintenance window opening or closing is recorded (pushes and task lists read it); a pause
//! rule is judged when more tasks have finished; the running wave's promotion rule is judged
//! when tasks finished or while it soaks. The rules are `ota_model::job::safety`.

use std::sync::{Arc, Mutex};

use ota_model::UtcTime;
use ota_model::audit::{Target, TargetType};
use ota_model::enums::TaskStatus;
use ota_model::job::safety::pause::Tripped;
use ota_model::job::safety::waves::{Promotion, WaveDecision};
use ota_model::job::safety::{PauseCause, PausedBy};

use super::Engine;
use crate::ids;
use crate::store::audit::AuditEntry;
use crate::store::safety::GuardedJob;

/// Who the audit log names for what the engine decides by a batch's rules.
pub const ENGINE_PRINCIPAL: &str = "ota-server (rules of the batch)";

impl Engine {
    /// Applies every running batch's rules as of `now`; one batch's failure holds no other.
    pub(super) async fn guard(&mut self, now: UtcTime) -> Result<(), sqlx::Error> {
        let jobs = self.store.guarded_jobs().await?;
        self.finished_seen.retain(|id, _| jobs.iter().any(|job| &job.job_id == id));
        for job in jobs {
            if let Err(error) = self.guard_one(&job, now).await {
                tracing::error!(job_id = job.job_id, "engine: cannot apply the batch's rules: {error}");
            }
        }
        Ok(())
    }

    async fn guard_one(&mut self, job: &GuardedJob, now: UtcTime) -> Result<(), sqlx::Error> {
        self.keep_window(job, now).await?;
        if job.state.paused.is_some() {
            return Ok(());
        }
        // The failure rule looks again when tasks have finished (and was judged if it did).
        if self.finished_seen.get(&job.job_id) != Some(&job.finished) {
            if self.judge_failures(job, now).await? {
                return Ok(());
            }
            self.finished_seen.insert(job.job_id.clone(), job.finished);
        }
        self.judge_wave(job, now).await
    }

    /// Records a window that opened or closed, and when the next opens.
    async fn keep_window(&self, job: &GuardedJob, now: UtcTime) -> Result<(), sqlx::Error> {
        let Some(windows) = &job.safety.windows else { return Ok(()) };
        let open = windows.open_at(now);
        let next = windows.next_open(now);
        let changed = job.state.in_window != Some(open) || (!open && job.state.next_window != Some(next));
        if changed {
            tracing::info!(
                job_id = job.job_id,
                open,
                "engine: maintenance window {}",
                if open { "opened" } else { "closed" }
            );
            self.store.set_window(&job.job_id, open, next).await?;
        }
        Ok(())
    }

    /// Pauses the batch if its latest finished tasks trip its rule; whether it paused.
    async fn judge_failures(&self, job: &GuardedJob, now: UtcTime) -> Result<bool, sqlx::Error> {
        let Some(rule) = &job.safety.pause else { return Ok(false) };
        let latest = self.store.latest_finishes(&job.job_id, job.judged_since, rule.sample).await?;
        let Some(tripped) = rule.judge(&latest) else { return Ok(false) };
        let cause = PauseCause { by: PausedBy::Rule, at: now, tripped: Some(tripped) };
        let store = self.store.audited(rule_entry(job, "PauseOTAJob", now, &pause_params(tripped)));
        // Not if an operator resumed the batch meanwhile: the sample would be from before.
        if !store.pause_job(&job.job_id, cause, job.judged_since).await? {
            return Ok(false);
        }
        tracing::warn!(job_id = job.job_id, tripped.failed, tripped.sample, "engine: batch paused by its failure rule");
        if rule.cancel_pending
            && let Some(batch) = self.store.job(&job.instance_id, &job.job_id).await?
        {
            let entry = rule_entry(job, "CancelOTATaskByJob", now, &[("CancelQueuedTask", "true".to_owned())]);
            self.store.audited(entry).cancel_job_tasks(&batch, &[TaskStatus::Confirm, TaskStatus::Queued], now).await?;
        }
        Ok(true)
    }

    /// Starts the next wave when the running one's rule says so, keeping its soak's start.
    /// Judged every tick: a wave's counts move by cancellations and by time (its soak) too.
    async fn judge_wave(&self, job: &GuardedJob, now: UtcTime) -> Result<(), sqlx::Error> {
        let (Some(waves), Some(current)) = (&job.safety.waves, job.state.current_wave) else { return Ok(()) };
        if waves.promotion == Promotion::Manual {
            return Ok(());
        }
        let counts = self.store.wave_counts(&job.job_id).await?;
        let last = counts.iter().map(|wave| wave.number).max().unwrap_or(1);
        let Some(running) = counts.iter().find(|wave| wave.number == current).filter(|_| current < last) else {
            return Ok(());
        };
        match waves.decide(&running.counts, job.state.wave_rule_met, now) {
            WaveDecision::Promote => {
                let params = [("Wave", (current + 1).to_string())];
                let store = self.store.audited(rule_entry(job, "StartOTAJobNextWave", now, &params));
                if store.start_next_wave(&job.job_id, current, true, now).await? {
                    tracing::info!(job_id = job.job_id, wave = current + 1, "engine: next wave started by its rule");
                }
            }
            WaveDecision::Soaking { since, .. } if job.state.wave_rule_met != Some(since) => {
                self.store.set_wave_rule_met(&job.job_id, current, Some(since)).await?;
            }
            WaveDecision::Wait if job.state.wave_rule_met.is_some() => {
                self.store.set_wave_rule_met(&job.job_id, current, None).await?;
            }
            WaveDecision::Soaking { .. } | WaveDecision::Wait => {}
        }
        Ok(())
    }
}

fn pause_params(tripped: Tripped) -> [(&'static str, String); 3] {
    [
        ("PausedBy", "RULE".to_owned()),
        ("PauseFailed", tripped.failed.to_string()),
        ("PauseSample", tripped.sample.to_string()),
    ]
}

/// The audit log's record of a change the batch's own rules made.
fn rule_entry(job: &GuardedJob, action: &str, now: UtcTime, params: &[(&str, String)]) -> Arc<AuditEntry> {
    let mut parameters = vec![("JobId".to_owned(), job.job_id.clone())];
    parameters.extend(params.iter().map(|(name, value)| ((*name).to_owned(), value.clone())));
    Arc::new(AuditEntry {
        request_id: ids::object_id(),
        at: now,
        principal_type: None,
        principal_name: ENGINE_PRINCIPAL.to_owned(),
        access_key_id: String::new(),
        source_ip: String::new(),
        action: action.to_owned(),
        instance: job.instance_id.clone(),
        parameters,
        target: Mutex::new(Some(Target::new(TargetType::Job, &job.job_id))),
    })
}
