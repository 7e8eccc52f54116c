//! Safe rollouts' state (`migrations/…_safe_rollouts.sql`): a batch's waves, pause and
//! maintenance windows as the engine and the API change and read them. The rules themselves
//! are `ota_model::job::safety`; each change here is one transaction with its event.

use ota_model::UtcTime;
use ota_model::enums::TaskStatus;
use ota_model::extensions::TaskCounts;
use ota_model::job::safety::pause::{Finished, Tripped};
use ota_model::job::safety::{PauseCause, PausedBy, Safety, SafetyState, WaveInfo};
use ota_model::task::TaskReason;
use sqlx::FromRow;

use super::{Store, Tx, corrupt, time};
use crate::store::db::on;

/// The job event each safety change adds to the change feed (`SubscribeOTAEvents`).
pub const PAUSED: &str = "PAUSED";
pub const RESUMED: &str = "RESUMED";
pub const WAVE_STARTED: &str = "WAVE_STARTED";

const SAFETY_COLUMNS: &str = "j.safety, j.current_wave, j.wave_rule_met, j.paused_at, j.paused_by, j.pause_failed,
                              j.pause_sample, j.judged_since, j.in_window, j.next_window";

#[derive(Debug, Clone, FromRow)]
struct SafetyRow {
    safety: Option<String>,
    current_wave: Option<i64>,
    wave_rule_met: Option<i64>,
    paused_at: Option<i64>,
    paused_by: Option<String>,
    pause_failed: Option<i64>,
    pause_sample: Option<i64>,
    judged_since: Option<i64>,
    in_window: Option<bool>,
    next_window: Option<i64>,
}

impl SafetyRow {
    /// The rules and the state; `None` for a batch without rules.
    fn parts(&self) -> Result<Option<(Safety, SafetyState)>, sqlx::Error> {
        let Some(text) = &self.safety else { return Ok(None) };
        let safety = Safety::stored(text).map_err(|why| corrupt("jobs.safety", why))?;
        let opt_time = |column: &str, value: Option<i64>| value.map(|t| time(column, t)).transpose();
        let paused = match self.paused_at {
            None => None,
            Some(at) => Some(PauseCause {
                by: match self.paused_by.as_deref() {
                    Some("RULE") => PausedBy::Rule,
                    _ => PausedBy::Operator,
                },
                at: time("paused_at", at)?,
                tripped: self
                    .pause_failed
                    .zip(self.pause_sample)
                    .map(|(failed, sample)| Tripped { failed: failed.max(0) as u32, sample: sample.max(0) as u32 }),
            }),
        };
        let state = SafetyState {
            current_wave: self.current_wave.map(|w| w.max(0) as u32),
            wave_rule_met: opt_time("wave_rule_met", self.wave_rule_met)?,
            paused,
            in_window: self.in_window,
            next_window: opt_time("next_window", self.next_window)?,
        };
        Ok(Some((safety, state)))
    }
}

/// A running batch with safety rules, as the engine guards it.
#[derive(Debug, Clone)]
pub struct GuardedJob {
    pub job_id: String,
    pub instance_id: String,
    pub safety: Safety,
    pub state: SafetyState,
    /// A pause rule judges only tasks finished from then on (the batch's last resume).
    pub judged_since: Option<UtcTime>,
    /// Its tasks that succeeded or failed: when this moves, rules are judged again.
    pub finished: u64,
}

#[derive(FromRow)]
struct GuardedRow {
    job_id: String,
    instance_id: String,
    finished: i64,
    #[sqlx(flatten)]
    safety: SafetyRow,
}

impl Store {
    /// A batch's rules and where it stands with them, with each wave's counts.
    pub async fn job_safety(&self, job_id: &str) -> Result<Option<(Safety, SafetyState, Vec<WaveInfo>)>, sqlx::Error> {
        let row: Option<SafetyRow> =
            on!(self.pool, |db| sqlx::query_as(&format!("SELECT {SAFETY_COLUMNS} FROM jobs j WHERE j.job_id = $1"))
                .bind(job_id)
                .fetch_optional(db)
                .await)?;
        let Some((safety, state)) = row.as_ref().map(SafetyRow::parts).transpose()?.flatten() else {
            return Ok(None);
        };
        let waves = if safety.waves.is_some() { self.wave_counts(job_id).await? } else { Vec::new() };
        Ok(Some((safety, state, waves)))
    }

    /// Each wave's tasks by state, in wave order.
    pub async fn wave_counts(&self, job_id: &str) -> Result<Vec<WaveInfo>, sqlx::Error> {
        let rows: Vec<(i64, String, i64)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT wave, status, count FROM job_wave_counts WHERE job_id = $1 ORDER BY wave",
        )
        .bind(job_id)
        .fetch_all(db)
        .await)?;
        let mut waves: Vec<WaveInfo> = Vec::new();
        for (wave, status, count) in rows {
            let status: TaskStatus = status.parse().map_err(|_| corrupt("job_wave_counts.status", &status))?;
            let number = wave.max(0) as u32;
            if waves.last().is_none_or(|w| w.number != number) {
                waves.push(WaveInfo { number, counts: TaskCounts::default() });
            }
            if let Some(last) = waves.last_mut() {
                last.counts.add(status, count.max(0) as u64);
            }
        }
        Ok(waves)
    }

    /// The running batches with rules.
    pub async fn guarded_jobs(&self) -> Result<Vec<GuardedJob>, sqlx::Error> {
        let rows: Vec<GuardedRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT j.job_id, j.instance_id, {SAFETY_COLUMNS},
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts c
                     WHERE c.job_id = j.job_id AND c.status IN ('SUCCEEDED', 'FAILED')) AS finished
             FROM jobs j WHERE j.job_status = 'IN_PROGRESS' AND j.safety IS NOT NULL"
        ))
        .fetch_all(db)
        .await)?;
        let mut jobs = Vec::with_capacity(rows.len());
        for row in rows {
            // A batch whose rules cannot be read is left alone, said in the log; the others go on.
            let (safety, state) = match row.safety.parts() {
                Ok(Some(parts)) => parts,
                Ok(None) => continue,
                Err(error) => {
                    tracing::error!(job_id = row.job_id, "engine: a batch's safety rules cannot be read: {error}");
                    continue;
                }
            };
            jobs.push(GuardedJob {
                judged_since: row.safety.judged_since.map(|t| time("judged_since", t)).transpose()?,
                job_id: row.job_id,
                instance_id: row.instance_id,
                safety,
                state,
                finished: row.finished.max(0) as u64,
            });
        }
        Ok(jobs)
    }

    /// A batch's latest tasks finished on their devices, newest first: a pause rule's sample.
    pub async fn latest_finishes(
        &self,
        job_id: &str,
        since: Option<UtcTime>,
        limit: u32,
    ) -> Result<Vec<Finished>, sqlx::Error> {
        let rows: Vec<(String, Option<String>)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT status, reason_code FROM tasks
             WHERE job_id = $1 AND utc_finished IS NOT NULL AND utc_finished >= $2
               AND status IN ('SUCCEEDED', 'FAILED')
             ORDER BY utc_finished DESC LIMIT $3",
        )
        .bind(job_id)
        .bind(since.map_or(0, UtcTime::millis))
        .bind(i64::from(limit))
        .fetch_all(db)
        .await)?;
        rows.into_iter()
            .map(|(status, reason)| {
                Ok(Finished {
                    status: status.parse().map_err(|_| corrupt("tasks.status", &status))?,
                    reason: reason.and_then(|r| r.parse::<TaskReason>().ok()),
                })
            })
            .collect()
    }

    /// Records whether a window is open and when the next opens.
    pub async fn set_window(&self, job_id: &str, open: bool, next: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        on!(tx, |db| sqlx::query("UPDATE jobs SET in_window = $1, next_window = $2 WHERE job_id = $3")
            .bind(open)
            .bind(next.millis())
            .bind(job_id)
            .execute(db)
            .await
            .map(drop))?;
        tx.commit().await
    }

    /// Records since when wave `wave`'s rule holds (`None`: it does not), while it runs.
    pub async fn set_wave_rule_met(&self, job_id: &str, wave: u32, since: Option<UtcTime>) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        on!(tx, |db| sqlx::query("UPDATE jobs SET wave_rule_met = $1 WHERE job_id = $2 AND current_wave = $3")
            .bind(since.map(UtcTime::millis))
            .bind(job_id)
            .bind(i64::from(wave))
            .execute(db)
            .await
            .map(drop))?;
        tx.commit().await
    }

    /// Pauses a running batch; whether it was not paused already. A rule's pause also needs
    /// the batch not resumed since `judged_since`, which its sample was taken from.
    pub async fn pause_job(
        &self,
        job_id: &str,
        cause: PauseCause,
        judged_since: Option<UtcTime>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let changed = on!(tx, |db| {
            sqlx::query(
            "UPDATE jobs SET paused_at = $1, paused_by = $2, pause_failed = $3, pause_sample = $4, utc_modified = $1
             WHERE job_id = $5 AND job_status = 'IN_PROGRESS' AND paused_at IS NULL
               AND ($6 OR coalesce(judged_since, 0) = $7)",
        )
        .bind(cause.at.millis())
        .bind(cause.by.as_str())
        .bind(cause.tripped.map(|t| i64::from(t.failed)))
        .bind(cause.tripped.map(|t| i64::from(t.sample)))
        .bind(job_id)
        .bind(cause.by == PausedBy::Operator)
        .bind(judged_since.map_or(0, UtcTime::millis))
        .execute(db)
        .await
        .map(|done| done.rows_affected())
        })?;
        finish(tx, changed, job_id, PAUSED, cause.at).await
    }

    /// Lets a paused batch push again; its pause rule judges only what finishes from now.
    pub async fn resume_job(&self, job_id: &str, now: UtcTime) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let changed = on!(tx, |db| sqlx::query(
            // From now, or just past the batch's last finish if the engine's clock is ahead of
            // this server's: no finish from before the resume is judged again.
            "UPDATE jobs SET paused_at = NULL, paused_by = NULL, pause_failed = NULL, pause_sample = NULL,
                             judged_since = (SELECT CASE WHEN coalesce(max(t.utc_finished), 0) >= $1
                                                         THEN max(t.utc_finished) + 1 ELSE $1 END
                                             FROM tasks t WHERE t.job_id = $2),
                             utc_modified = $1
             WHERE job_id = $2 AND paused_at IS NOT NULL",
        )
        .bind(now.millis())
        .bind(job_id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        finish(tx, changed, job_id, RESUMED, now).await
    }

    /// Starts wave `after + 1` if wave `after` is still the running one (and, for a rule,
    /// `unless_paused`, the batch is not paused); whether it started.
    pub async fn start_next_wave(
        &self,
        job_id: &str,
        after: u32,
        unless_paused: bool,
        now: UtcTime,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let changed = on!(tx, |db| sqlx::query(
            "UPDATE jobs SET current_wave = current_wave + 1, wave_rule_met = NULL, utc_modified = $1
             WHERE job_id = $2 AND current_wave = $3 AND NOT ($4 AND paused_at IS NOT NULL)",
        )
        .bind(now.millis())
        .bind(job_id)
        .bind(i64::from(after))
        .bind(unless_paused)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        finish(tx, changed, job_id, WAVE_STARTED, now).await
    }
}

/// Commits a change to one batch with its event, if there was a change.
async fn finish(mut tx: Tx, changed: u64, job_id: &str, event: &str, now: UtcTime) -> Result<bool, sqlx::Error> {
    if changed == 0 {
        return Ok(false);
    }
    on!(tx, |db| sqlx::query(
        "INSERT INTO events (instance_id, kind, job_id, status, utc)
         SELECT instance_id, 'job', job_id, $1, $2 FROM jobs WHERE job_id = $3",
    )
    .bind(event)
    .bind(now.millis())
    .bind(job_id)
    .execute(db)
    .await
    .map(drop))?;
    tx.commit().await?;
    Ok(true)
}
