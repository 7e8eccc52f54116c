//! Writing what the engine decided: many tasks' changes in one statement, each only if its
//! task is still as it was read, and the batches (and verified packages) those changes end.

use std::collections::HashMap;

use ota_model::enums::{JobStatus, JobType};
use ota_model::lifecycle::Task;
use ota_model::{FirmwareStatus, UtcTime};

use super::{LiveRow, LiveTask, SELECT_LIVE};
use crate::store::db::on;
use crate::store::firmware::set_firmware_status;
use crate::store::jobs::end_job;
use crate::store::{Tx, UNFINISHED};

/// The unfinished task of each (device, module) pair, in one query.
pub async fn unfinished_tasks_in(
    db: &mut Tx,
    keys: &[(String, String)],
) -> Result<HashMap<(String, String), LiveTask>, sqlx::Error> {
    let keys_table = db.backend().json_rows("$1");
    let rows: Vec<LiveRow> = on!(db, |db| sqlx::query_as(&format!(
        "{SELECT_LIVE} JOIN {keys_table} k ON t.iot_id = k.value ->> 0 AND t.module_name = k.value ->> 1
         WHERE t.status IN {UNFINISHED} ORDER BY t.utc_create"
    ))
    .bind(serde_json::to_string(keys).unwrap_or_else(|_| "[]".into()))
    .fetch_all(db)
    .await)?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in rows {
        let live = row.into_live()?;
        // There is at most one; were there more, the oldest is the one.
        found.entry((live.iot_id.clone(), live.module_name.clone())).or_insert(live);
    }
    Ok(found)
}

/// Saves many tasks' changes in one statement, each only if its task is still in the state
/// it was read in; answers the tasks written. Settles the batches whose last task finished.
pub async fn save_tasks_in(
    db: &mut Tx,
    changes: &[(LiveTask, Task)],
    now: UtcTime,
) -> Result<Vec<String>, sqlx::Error> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = changes
        .iter()
        .map(|(before, after)| {
            serde_json::json!({
                "task_id": before.task_id,
                "before": before.task.status.as_str(),
                "status": after.status.as_str(),
                "progress": after.progress,
                "reason_code": after.reason.map(|r| r.as_str()),
                "task_desc": after.reason.map(|r| r.description()),
                "first_progress": after.first_progress.map(UtcTime::millis),
                "retries_used": after.retries_used,
                "next_attempt": after.retry_at.map(UtcTime::millis),
            })
        })
        .collect();
    let changes_table = db.backend().json_rows("$2");
    let written: Vec<(String,)> = on!(db, |db| sqlx::query_as(&format!(
        "UPDATE tasks SET status = c.value ->> 'status', progress = CAST(c.value ->> 'progress' AS BIGINT),
                reason_code = c.value ->> 'reason_code', task_desc = c.value ->> 'task_desc',
                utc_first_progress = CAST(c.value ->> 'first_progress' AS BIGINT),
                retries_used = CAST(c.value ->> 'retries_used' AS BIGINT),
                utc_next_attempt = CAST(c.value ->> 'next_attempt' AS BIGINT), utc_modified = $1,
                utc_finished = CASE WHEN c.value ->> 'status' IN ('SUCCEEDED', 'FAILED')
                                     AND c.value ->> 'before' NOT IN ('SUCCEEDED', 'FAILED')
                                    THEN $1 ELSE tasks.utc_finished END
         FROM {changes_table} c
         WHERE tasks.task_id = c.value ->> 'task_id' AND tasks.status = c.value ->> 'before'
         RETURNING tasks.task_id"
    ))
    .bind(now.millis())
    .bind(serde_json::Value::Array(rows).to_string())
    .fetch_all(db)
    .await)?;
    let written: Vec<String> = written.into_iter().map(|(id,)| id).collect();
    let mut finished_jobs: Vec<&str> = changes
        .iter()
        .filter(|(before, after)| after.status.is_finished() && !before.task.status.is_finished())
        .filter(|(before, _)| written.contains(&before.task_id))
        .map(|(before, _)| before.job_id.as_str())
        .collect();
    finished_jobs.sort_unstable();
    finished_jobs.dedup();
    for job_id in finished_jobs {
        finish_job_if_done(db, job_id, now).await?;
    }
    Ok(written)
}

/// A static batch with no unfinished task left is over; a verification batch also settles
/// its package: verified when every device succeeded, failed otherwise.
async fn finish_job_if_done(db: &mut Tx, job_id: &str, now: UtcTime) -> Result<(), sqlx::Error> {
    let (firmware_id, job_type, unfinished, succeeded, total): (String, String, i64, i64, i64) =
        on!(db, |db| sqlx::query_as(&format!(
            "SELECT j.firmware_id, j.job_type,
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts WHERE job_id = $1 AND status IN {UNFINISHED}),
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts WHERE job_id = $1 AND status = 'SUCCEEDED'),
                    (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts WHERE job_id = $1)
             FROM jobs j WHERE j.job_id = $1 AND j.selection_type = 'STATIC' AND j.job_status = 'IN_PROGRESS'"
        ))
        .bind(job_id)
        .fetch_optional(db)
        .await)?
        .unwrap_or_default();
    if job_type == JobType::VerifyFirmware.as_str() {
        let progress = if total > 0 { (succeeded * 100 / total) as u8 } else { 0 };
        let status = match unfinished {
            0 if succeeded == total => FirmwareStatus::Verified,
            0 => FirmwareStatus::VerificationFailed,
            _ => FirmwareStatus::Verifying,
        };
        set_firmware_status(db, &firmware_id, status, progress, now).await?;
    }
    if unfinished == 0 && total > 0 {
        end_job(db, job_id, JobStatus::Completed, now).await?;
    }
    Ok(())
}
