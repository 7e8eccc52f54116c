//! Device tasks: the changes the API makes (cancel, confirm, re-run). Listing is `list`.

mod filter;
mod list;

use ota_model::UtcTime;
use ota_model::enums::{JobStatus, TaskStatus};
use ota_model::rollout::initial_status;
use ota_model::task::TaskReason;

use crate::store::Tx;
use crate::store::db::on;
use crate::store::jobs::{Job, cancel_tasks, end_job};
use crate::store::{Store, UNFINISHED};

/// Why a change to some tasks was refused, naming the first task or device in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    Done(u64),
    NotFound(String),
    WrongState {
        task_id: String,
        status: String,
    },
    /// The device has an unfinished task elsewhere already.
    Busy {
        task_id: String,
        device_name: String,
    },
}

impl Store {
    /// Cancels a batch's tasks in `states`; a static batch left with nothing to do ends
    /// `CANCELED`.
    pub async fn cancel_job_tasks(&self, job: &Job, states: &[TaskStatus], now: UtcTime) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin().await?;
        let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        let states_table = tx.backend().json_values("$5");
        let cancelled = on!(tx, |db| sqlx::query(&format!(
            "UPDATE tasks SET status = 'CANCELED', reason_code = $1, task_desc = $2, utc_modified = $3
             WHERE job_id = $4 AND status IN (SELECT value FROM {states_table})"
        ))
        .bind(TaskReason::CanceledByJob.as_str())
        .bind(TaskReason::CanceledByJob.description())
        .bind(now.millis())
        .bind(&job.job_id)
        .bind(serde_json::to_string(&states).unwrap_or_default())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        if !job.is_dynamic() && cancelled > 0 {
            end_if_done(&mut tx, &job.job_id, JobStatus::Canceled, now).await?;
        }
        tx.commit().await?;
        Ok(cancelled)
    }

    /// Cancels the unfinished tasks of some devices for a package (optionally one batch).
    pub async fn cancel_device_tasks(
        &self,
        firmware_id: &str,
        iot_ids: &[String],
        job_id: Option<&str>,
        now: UtcTime,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin().await?;
        let devices_table = tx.backend().json_values("$4");
        let found: Vec<(String, String)> = on!(tx, |db| sqlx::query_as(&format!(
            "SELECT task_id, job_id FROM tasks
             WHERE firmware_id = $1 AND ($2 IS NULL OR job_id = $3) AND status IN {UNFINISHED}
             AND iot_id IN (SELECT value FROM {devices_table})"
        ))
        .bind(firmware_id)
        .bind(job_id)
        .bind(job_id)
        .bind(serde_json::to_string(iot_ids).unwrap_or_default())
        .fetch_all(db)
        .await)?;
        let task_ids: Vec<String> = found.iter().map(|(task, _)| task.clone()).collect();
        let cancelled = cancel_tasks(&mut tx, &task_ids, TaskReason::CanceledByDevice, now).await?;
        let mut jobs: Vec<&String> = found.iter().map(|(_, job)| job).collect();
        jobs.sort();
        jobs.dedup();
        for job in jobs {
            end_if_done(&mut tx, job, JobStatus::Completed, now).await?;
        }
        tx.commit().await?;
        Ok(cancelled)
    }

    /// Moves tasks from `CONFIRM` on, all of them or none.
    pub async fn confirm_tasks(
        &self,
        instance: &str,
        task_ids: &[String],
        now: UtcTime,
    ) -> Result<TaskChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        for task_id in task_ids {
            let found: Option<(String,)> = on!(tx, |db| sqlx::query_as(
                "SELECT t.status FROM tasks t JOIN jobs j ON j.job_id = t.job_id
                 WHERE t.task_id = $1 AND j.instance_id = $2",
            )
            .bind(task_id)
            .bind(instance)
            .fetch_optional(db)
            .await)?;
            match found {
                None => return Ok(TaskChange::NotFound(task_id.clone())),
                Some((status,)) if status != TaskStatus::Confirm.as_str() => {
                    return Ok(TaskChange::WrongState { task_id: task_id.clone(), status });
                }
                Some(_) => {}
            }
            on!(tx, |db| sqlx::query("UPDATE tasks SET status = 'QUEUED', utc_modified = $1 WHERE task_id = $2")
                .bind(now.millis())
                .bind(task_id)
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(TaskChange::Done(task_ids.len() as u64))
    }

    /// Runs failed or cancelled tasks of a batch again, all of them or none.
    pub async fn reupgrade_tasks(
        &self,
        job: &Job,
        task_ids: &[String],
        now: UtcTime,
    ) -> Result<TaskChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        let restart = initial_status(job.need_confirm);
        for task_id in task_ids {
            let found: Option<(String, String, String, String)> = on!(tx, |db| sqlx::query_as(
                "SELECT status, iot_id, module_name, device_name FROM tasks WHERE task_id = $1 AND job_id = $2",
            )
            .bind(task_id)
            .bind(&job.job_id)
            .fetch_optional(db)
            .await)?;
            let Some((status, iot_id, module, device_name)) = found else {
                return Ok(TaskChange::NotFound(task_id.clone()));
            };
            if status != TaskStatus::Failed.as_str() && status != TaskStatus::Canceled.as_str() {
                return Ok(TaskChange::WrongState { task_id: task_id.clone(), status });
            }
            let (busy,): (i64,) = on!(tx, |db| sqlx::query_as(&format!(
                "SELECT count(*) FROM tasks WHERE iot_id = $1 AND status IN {UNFINISHED}
                 AND (NOT $2 OR module_name = $3)"
            ))
            .bind(&iot_id)
            .bind(job.multi_module_mode)
            .bind(&module)
            .fetch_one(db)
            .await)?;
            if busy > 0 {
                return Ok(TaskChange::Busy { task_id: task_id.clone(), device_name });
            }
            // In a batch with waves, a task that failed at creation (and so has none) joins
            // the running wave.
            on!(tx, |db| {
                sqlx::query(
                "UPDATE tasks SET status = $1, progress = 0, reason_code = NULL, task_desc = NULL, retries_used = 0,
                                  utc_first_progress = NULL, utc_next_attempt = NULL, utc_modified = $2,
                                  wave = coalesce(wave, (SELECT current_wave FROM jobs WHERE jobs.job_id = tasks.job_id))
                 WHERE task_id = $3",
            )
            .bind(restart.as_str())
            .bind(now.millis())
            .bind(task_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected())
            })?;
        }
        if !job.is_dynamic() {
            on!(tx, |db| sqlx::query(
                "UPDATE jobs SET job_status = 'IN_PROGRESS', utc_end = NULL, utc_modified = $1 WHERE job_id = $2",
            )
            .bind(now.millis())
            .bind(&job.job_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(TaskChange::Done(task_ids.len() as u64))
    }
}

/// Ends a running static batch as `ending` once none of its tasks is unfinished.
async fn end_if_done(db: &mut Tx, job_id: &str, ending: JobStatus, now: UtcTime) -> Result<(), sqlx::Error> {
    let (unfinished, running): (i64, i64) = on!(db, |db| {
        sqlx::query_as(&format!(
        "SELECT (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts WHERE job_id = $1 AND status IN {UNFINISHED}),
                (SELECT count(*) FROM jobs WHERE job_id = $1 AND selection_type = 'STATIC'
                    AND job_status IN ('PLANNED', 'IN_PROGRESS'))"
    ))
    .bind(job_id)
    .fetch_one(db)
    .await
    })?;
    if unfinished == 0 && running == 1 {
        end_job(db, job_id, ending, now).await?;
    }
    Ok(())
}

/// Moves a task to `status` as a device's report would: progress, the reason when it ended,
/// and the time of its first progress report.
pub async fn set_task_state(
    db: &mut Tx,
    task_id: &str,
    status: TaskStatus,
    progress: u8,
    reason: Option<TaskReason>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "UPDATE tasks SET status = $1, progress = $2, reason_code = $3, task_desc = $4, utc_modified = $5,
                          utc_first_progress = CASE WHEN $6 THEN coalesce(utc_first_progress, $7) ELSE utc_first_progress END,
                          utc_finished = CASE WHEN $9 THEN $7 ELSE utc_finished END
         WHERE task_id = $8",
    )
    .bind(status.as_str())
    .bind(i64::from(progress))
    .bind(reason.map(|r| r.as_str()))
    .bind(reason.map(|r| r.description()))
    .bind(now.millis())
    .bind(matches!(status, TaskStatus::InProgress | TaskStatus::Succeeded | TaskStatus::Failed))
    .bind(now.millis())
    .bind(task_id)
    .bind(matches!(status, TaskStatus::Succeeded | TaskStatus::Failed))
    .execute(db)
    .await.map(|done| done.rows_affected()))
    .map(drop)
}

impl Store {
    /// The IDs and devices of a batch's tasks, in order, wave by wave in a batch with waves
    /// (for the demo dataset).
    pub async fn task_ids(&self, job_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT task_id, iot_id FROM tasks WHERE job_id = $1 ORDER BY coalesce(wave, 0), seq"
        )
        .bind(job_id)
        .fetch_all(db)
        .await)
    }
}
