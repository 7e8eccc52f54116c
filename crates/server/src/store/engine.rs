//! What the rollout engine reads and writes: tasks as the state machine sees them, what falls
//! due, the batches that push and the tasks they may push.

use ota_model::enums::TaskStatus;
use ota_model::job::policy::Retry;
use ota_model::job::rate::PushRate;
use ota_model::lifecycle::{Task, TaskPolicy};
use ota_model::{RetryCount, RetryInterval, UtcTime};

use sqlx::FromRow;

use super::jobs::RateColumns;
use super::{Store, UNFINISHED, corrupt, time};
use crate::store::db::on;

mod saves;

pub use saves::{save_tasks_in, unfinished_tasks_in};

/// A task with its batch's rules, ready for the state machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveTask {
    pub task_id: String,
    pub job_id: String,
    pub iot_id: String,
    pub module_name: String,
    pub task: Task,
    pub policy: TaskPolicy,
}

#[derive(FromRow)]
struct LiveRow {
    task_id: String,
    job_id: String,
    iot_id: String,
    module_name: String,
    status: String,
    progress: i64,
    reason_code: Option<String>,
    src_version: String,
    dest_version: String,
    utc_first_progress: Option<i64>,
    retries_used: i64,
    utc_next_attempt: Option<i64>,
    timeout_in_minutes: Option<i64>,
    need_confirm: bool,
    retry_interval: Option<i64>,
    retry_count: Option<i64>,
    names_sources: bool,
}

/// A task of `tasks t` in batch `jobs j` that nothing may send now: its batch is paused or
/// outside its maintenance windows, or its wave has not started (safe rollouts).
pub const HELD: &str = "(j.paused_at IS NOT NULL OR NOT coalesce(j.in_window, TRUE)
                         OR coalesce(t.wave, 0) > coalesce(j.current_wave, 0))";

const SELECT_LIVE: &str = "
    SELECT t.task_id, t.job_id, t.iot_id, t.module_name, t.status, t.progress, t.reason_code,
           t.src_version, t.dest_version, t.utc_first_progress, t.retries_used, t.utc_next_attempt,
           t.timeout_in_minutes, j.need_confirm, j.retry_interval, j.retry_count,
           EXISTS (SELECT 1 FROM job_src_versions v WHERE v.job_id = t.job_id) AS names_sources
    FROM tasks t JOIN jobs j ON j.job_id = t.job_id";

impl LiveRow {
    fn into_live(self) -> Result<LiveTask, sqlx::Error> {
        let status: TaskStatus = self.status.parse().map_err(|_| corrupt("tasks.status", &self.status))?;
        let retry = match (self.retry_interval, self.retry_count) {
            (Some(interval), Some(count)) => RetryInterval::from_code(interval)
                .zip(RetryCount::from_code(count))
                .map(|(interval, count)| Retry { interval, count }),
            _ => None,
        };
        let opt_time = |column: &str, value: Option<i64>| value.map(|t| time(column, t)).transpose();
        Ok(LiveTask {
            task: Task {
                status,
                progress: u8::try_from(self.progress.clamp(0, 100)).unwrap_or(0),
                reason: self.reason_code.as_deref().and_then(|r| r.parse().ok()),
                src_version: self.src_version,
                dest_version: self.dest_version,
                first_progress: opt_time("utc_first_progress", self.utc_first_progress)?,
                retries_used: u8::try_from(self.retries_used).unwrap_or(u8::MAX),
                retry_at: opt_time("utc_next_attempt", self.utc_next_attempt)?,
            },
            policy: TaskPolicy {
                need_confirm: self.need_confirm,
                timeout_in_minutes: self.timeout_in_minutes.and_then(|t| u32::try_from(t).ok()),
                retry: retry.filter(|_| self.names_sources),
            },
            task_id: self.task_id,
            job_id: self.job_id,
            iot_id: self.iot_id,
            module_name: self.module_name,
        })
    }
}

/// A running batch that pushes, with what its rate depends on.
#[derive(Debug, Clone)]
pub struct PushingJob {
    pub job_id: String,
    pub maximum_per_minute: u32,
    pub rate: PushRate,
    pub notified: u64,
    pub succeeded: u64,
    /// With waves, the running one: later waves wait.
    pub current_wave: Option<u32>,
}

/// A task the engine may push now: queued, its device connected.
#[derive(Debug, Clone, FromRow)]
pub struct Pushable {
    pub task_id: String,
    pub product_key: String,
    pub device_name: String,
}

impl Store {
    pub async fn live_task(&self, task_id: &str) -> Result<Option<LiveTask>, sqlx::Error> {
        let row: Option<LiveRow> = on!(self.pool, |db| sqlx::query_as(&format!("{SELECT_LIVE} WHERE t.task_id = $1"))
            .bind(task_id)
            .fetch_optional(db)
            .await)?;
        row.map(LiveRow::into_live).transpose()
    }

    /// Whether a task's batch holds it now (see [`HELD`]): a device that asks for it waits.
    pub async fn is_held(&self, task_id: &str) -> Result<bool, sqlx::Error> {
        let (held,): (bool,) = on!(self.pool, |db| {
            sqlx::query_as(&format!(
            "SELECT EXISTS (SELECT 1 FROM tasks t JOIN jobs j ON j.job_id = t.job_id WHERE t.task_id = $1 AND {HELD})"
        ))
        .bind(task_id)
        .fetch_one(db)
        .await
        })?;
        Ok(held)
    }

    /// A device's unfinished task for a module: there is at most one.
    pub async fn unfinished_task_of(&self, iot_id: &str, module: &str) -> Result<Option<LiveTask>, sqlx::Error> {
        let row: Option<LiveRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_LIVE} WHERE t.iot_id = $1 AND t.module_name = $2 AND t.status IN {UNFINISHED}
             ORDER BY t.utc_create LIMIT 1"
        ))
        .bind(iot_id)
        .bind(module)
        .fetch_optional(db)
        .await)?;
        row.map(LiveRow::into_live).transpose()
    }

    /// A device's tasks that were pushed and not yet taken up (to push again on reconnect),
    /// but not those a batch holds now.
    pub async fn notified_tasks_of(&self, iot_id: &str) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT t.task_id FROM tasks t JOIN jobs j ON j.job_id = t.job_id
             WHERE t.iot_id = $1 AND t.status = 'NOTIFIED' AND t.utc_next_attempt IS NULL AND NOT {HELD}"
        ))
        .bind(iot_id)
        .fetch_all(db)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Tasks of running batches pushed at `since` or later and not yet taken up: a server that
    /// led the engine may have died before its pushes left it.
    pub async fn notified_since(&self, since: UtcTime) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT t.task_id FROM jobs j JOIN tasks t ON t.job_id = j.job_id AND t.status = 'NOTIFIED'
                 WHERE j.job_status = 'IN_PROGRESS' AND t.utc_modified >= $1 AND t.utc_next_attempt IS NULL
                   AND NOT {HELD}"
        ),)
        .bind(since.millis())
        .fetch_all(db)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Tasks whose retry or timeout is due at `now`.
    pub async fn due_tasks(&self, now: UtcTime, limit: u32) -> Result<Vec<LiveTask>, sqlx::Error> {
        let rows: Vec<LiveRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_LIVE} WHERE t.rowid IN (
                 SELECT rowid FROM tasks WHERE utc_next_attempt IS NOT NULL AND utc_next_attempt <= $1
                     AND job_id NOT IN (SELECT job_id FROM jobs WHERE job_status = 'IN_PROGRESS'
                                            AND (paused_at IS NOT NULL OR NOT in_window))
                 UNION
                 SELECT rowid FROM tasks WHERE status = 'IN_PROGRESS' AND timeout_in_minutes IS NOT NULL
                     AND utc_first_progress IS NOT NULL AND utc_first_progress + timeout_in_minutes * 60000 <= $1)
             LIMIT $2"
        ))
        .bind(now.millis())
        .bind(i64::from(limit))
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(LiveRow::into_live).collect()
    }

    /// Tasks of batches whose scheduled end has passed and that have not started updating.
    pub async fn tasks_past_schedule(&self, now: UtcTime, limit: u32) -> Result<Vec<LiveTask>, sqlx::Error> {
        let rows: Vec<LiveRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_LIVE} WHERE t.job_id IN (
                 SELECT job_id FROM jobs WHERE job_status = 'IN_PROGRESS' AND schedule_finish_time IS NOT NULL
                     AND schedule_finish_time <= $1)
               AND (t.status IN ('CONFIRM', 'QUEUED', 'NOTIFIED') OR t.utc_next_attempt IS NOT NULL)
               AND t.status IN {UNFINISHED}
             LIMIT $2"
        ))
        .bind(now.millis())
        .bind(i64::from(limit))
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(LiveRow::into_live).collect()
    }

    /// Starts scheduled batches whose time has come; their IDs.
    pub async fn start_due_jobs(&self, now: UtcTime) -> Result<Vec<String>, sqlx::Error> {
        let started: Vec<(String,)> = on!(self.pool, |db| sqlx::query_as(
            "UPDATE jobs SET job_status = 'IN_PROGRESS', utc_start = $1, utc_modified = $1
             WHERE job_status = 'PLANNED' AND schedule_time <= $1 RETURNING job_id",
        )
        .bind(now.millis())
        .fetch_all(db)
        .await)?;
        Ok(started.into_iter().map(|(id,)| id).collect())
    }

    /// Running batches that push, with their counts of notified and succeeded tasks.
    pub async fn pushing_jobs(&self) -> Result<Vec<PushingJob>, sqlx::Error> {
        #[derive(FromRow)]
        struct Row {
            job_id: String,
            maximum_per_minute: i64,
            #[sqlx(flatten)]
            rate: RateColumns,
            notified: i64,
            succeeded: i64,
            current_wave: Option<i64>,
        }
        let rows: Vec<Row> = on!(self.pool, |db| sqlx::query_as(
            "SELECT j.job_id, j.maximum_per_minute, j.rate_start_per_minute, j.rate_growth_factor,
                    j.rate_growth_every, j.rate_growth_on,
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts c WHERE c.job_id = j.job_id
                         AND c.status IN ('NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED')) AS notified,
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts c WHERE c.job_id = j.job_id
                         AND c.status = 'SUCCEEDED') AS succeeded,
                    j.current_wave
             FROM jobs j
             WHERE j.job_status = 'IN_PROGRESS' AND j.need_push
               AND j.paused_at IS NULL AND (j.in_window IS NULL OR j.in_window)
               AND EXISTS (SELECT 1 FROM job_task_counts c WHERE c.job_id = j.job_id AND c.status = 'QUEUED'
                               AND c.count > 0)
               AND (j.current_wave IS NULL
                    OR EXISTS (SELECT 1 FROM job_wave_counts w WHERE w.job_id = j.job_id AND w.status = 'QUEUED'
                                   AND w.count > 0 AND w.wave <= j.current_wave))",
        )
        .fetch_all(db)
        .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(PushingJob {
                    rate: row.rate.push_rate()?,
                    maximum_per_minute: u32::try_from(row.maximum_per_minute).unwrap_or(1),
                    notified: row.notified.max(0) as u64,
                    succeeded: row.succeeded.max(0) as u64,
                    current_wave: row.current_wave.map(|w| w.max(0) as u32),
                    job_id: row.job_id,
                })
            })
            .collect()
    }

    /// Up to `limit` queued tasks of a batch whose devices are connected, in batch order;
    /// with waves, of the waves up to `current_wave` (read by the wave index), earliest first.
    pub async fn pushable_tasks(
        &self,
        job_id: &str,
        current_wave: Option<u32>,
        limit: u32,
    ) -> Result<Vec<Pushable>, sqlx::Error> {
        let Some(current_wave) = current_wave else {
            return on!(self.pool, |db| sqlx::query_as(
                "SELECT t.task_id, t.product_key, t.device_name FROM tasks t JOIN devices d ON d.iot_id = t.iot_id
                 WHERE t.job_id = $1 AND t.status = 'QUEUED' AND d.status = 'ONLINE'
                 ORDER BY t.seq LIMIT $2",
            )
            .bind(job_id)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await);
        };
        on!(self.pool, |db| sqlx::query_as(
            "SELECT t.task_id, t.product_key, t.device_name FROM tasks t JOIN devices d ON d.iot_id = t.iot_id
             WHERE t.job_id = $1 AND t.wave <= $2 AND t.status = 'QUEUED' AND d.status = 'ONLINE'
             ORDER BY t.wave, t.seq LIMIT $3",
        )
        .bind(job_id)
        .bind(i64::from(current_wave))
        .bind(i64::from(limit))
        .fetch_all(db)
        .await)
    }

    /// Writes what the state machine made of `before`, unless its status changed meanwhile
    /// (the API cancelled it, say); whether it was written. A task that ends may end its batch.
    pub async fn save_task(&self, before: &LiveTask, after: &Task, now: UtcTime) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let written = save_tasks_in(&mut tx, &[(before.clone(), after.clone())], now).await?;
        tx.commit().await?;
        Ok(!written.is_empty())
    }
}
