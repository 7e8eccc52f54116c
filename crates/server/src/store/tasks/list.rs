//! Listing tasks: a batch's, page by page and by state, and a device's unfinished ones.

use ota_model::enums::TaskStatus;
use ota_model::task::{ReasonFilter, SimpleOTATaskInfo, TaskReason, WaitReason};
use ota_model::{PageRequest, UtcTime};
use sqlx::FromRow;

use super::filter::{Scope, TaskFilter};
use crate::store::Tx;
use crate::store::db::on;
use crate::store::{Store, UNFINISHED, corrupt, time};

#[derive(FromRow)]
pub(super) struct TaskRow {
    task_id: String,
    job_id: String,
    firmware_id: String,
    iot_id: String,
    device_name: String,
    product_key: String,
    #[sqlx(default)]
    product_name: String,
    module_name: String,
    src_version: String,
    dest_version: String,
    status: String,
    progress: i64,
    reason_code: Option<String>,
    task_desc: Option<String>,
    timeout_in_minutes: Option<i64>,
    device_status: String,
    #[sqlx(default)]
    schedule_time: Option<i64>,
    utc_create: i64,
    utc_modified: i64,
    wave: Option<i64>,
    #[sqlx(flatten)]
    hold: JobHold,
}

/// What holds a batch's queued tasks besides their schedule and devices (safe rollouts).
#[derive(Debug, Clone, Copy, Default, FromRow)]
struct JobHold {
    #[sqlx(default)]
    current_wave: Option<i64>,
    #[sqlx(default)]
    paused_at: Option<i64>,
    #[sqlx(default)]
    in_window: Option<bool>,
    #[sqlx(default)]
    next_window: Option<i64>,
}

/// Tasks of any batches, with their batch's schedule and their product's name.
pub(super) const SELECT_TASK: &str = "
    SELECT t.task_id, t.job_id, t.firmware_id, t.iot_id, t.device_name, t.product_key, p.product_name,
           t.module_name, t.src_version, t.dest_version, t.status, t.progress, t.reason_code, t.task_desc,
           t.timeout_in_minutes, d.status AS device_status, j.schedule_time, t.utc_create, t.utc_modified,
           t.wave, j.current_wave, j.paused_at, j.in_window, j.next_window
    FROM tasks t
    JOIN jobs j ON j.job_id = t.job_id
    JOIN devices d ON d.iot_id = t.iot_id
    JOIN products p ON p.product_key = t.product_key";

/// Tasks of one batch: its schedule and product name are read once, not joined per row.
pub(super) const SELECT_JOB_TASK: &str = "
    SELECT t.task_id, t.job_id, t.firmware_id, t.iot_id, t.device_name, t.product_key,
           t.module_name, t.src_version, t.dest_version, t.status, t.progress, t.reason_code, t.task_desc,
           t.timeout_in_minutes, d.status AS device_status, t.utc_create, t.utc_modified, t.wave
    FROM tasks t
    JOIN devices d ON d.iot_id = t.iot_id";

impl TaskRow {
    fn into_info(self, now: UtcTime, with_module: bool) -> Result<SimpleOTATaskInfo, sqlx::Error> {
        let status: TaskStatus = self.status.parse().map_err(|_| corrupt("tasks.status", &self.status))?;
        let scheduled = self.schedule_time.filter(|start| *start > now.millis());
        let hold = self.hold;
        let later_wave = self.wave.zip(hold.current_wave).is_some_and(|(wave, current)| wave > current);
        let wait_reason = (status == TaskStatus::Queued).then(|| {
            if scheduled.is_some() {
                WaitReason::Scheduled
            } else if later_wave {
                WaitReason::Wave
            } else if hold.paused_at.is_some() {
                WaitReason::Paused
            } else if hold.in_window == Some(false) {
                WaitReason::MaintenanceWindow
            } else if self.device_status != "ONLINE" {
                WaitReason::DeviceOffline
            } else {
                WaitReason::RateLimited
            }
        });
        let reason_code = self.reason_code.as_deref().and_then(|code| code.parse::<TaskReason>().ok());
        Ok(SimpleOTATaskInfo {
            utc_schedule_time: match wait_reason {
                Some(WaitReason::Scheduled) => scheduled.map(|t| time("schedule_time", t)).transpose()?,
                _ => None,
            },
            utc_next_window: match wait_reason {
                Some(WaitReason::MaintenanceWindow) => hold.next_window.map(|t| time("next_window", t)).transpose()?,
                _ => None,
            },
            wave: self.wave.and_then(|w| u32::try_from(w).ok()),
            task_status: status,
            progress: Some(format!("{}.00", self.progress.clamp(0, 100))),
            task_desc: Some(self.task_desc.unwrap_or_default()),
            timeout: self.timeout_in_minutes.map(|t| t.to_string()),
            wait_reason,
            reason_code: reason_code.filter(|_| status.is_finished()),
            module_name: with_module.then_some(self.module_name),
            utc_create: time("utc_create", self.utc_create)?,
            utc_modified: time("utc_modified", self.utc_modified)?,
            task_id: self.task_id,
            job_id: self.job_id,
            firmware_id: self.firmware_id,
            iot_id: self.iot_id,
            device_name: self.device_name,
            product_key: self.product_key,
            product_name: self.product_name,
            src_version: self.src_version,
            dest_version: self.dest_version,
        })
    }
}

impl Store {
    /// A page of a batch's tasks in creation order, and how many match.
    pub async fn list_tasks(
        &self,
        job_id: &str,
        status: Option<TaskStatus>,
        device_names: &[String],
        reason: Option<ReasonFilter>,
        page: PageRequest,
        now: UtcTime,
    ) -> Result<(u64, Vec<SimpleOTATaskInfo>), sqlx::Error> {
        // One read transaction: the total and the page see the same tasks.
        let mut conn = self.read().await?;
        let limit = i64::from(page.page_size);
        let offset = i64::try_from(page.offset()).unwrap_or(i64::MAX);
        let (total, rows) = if !device_names.is_empty() || reason.is_some() {
            let filter = TaskFilter { scope: Scope::Job(job_id), status, device_names, reason };
            let total = filter.count(&mut conn).await?;
            (total, filter.page(&mut conn, offset, limit).await?)
        } else {
            let total = count_of(&mut conn, job_id, status).await?;
            let rows = job_page(&mut conn, job_id, status, offset, limit).await?;
            (total, rows)
        };
        let tasks = with_job_fields(&mut conn, job_id, rows, now).await?;
        Ok((total.max(0) as u64, tasks))
    }

    /// A page of a package's tasks across its batches: the newest batch first, each batch's
    /// tasks in creation order. Each batch's counters say where the page starts.
    pub async fn list_package_tasks(
        &self,
        firmware_id: &str,
        status: Option<TaskStatus>,
        device_name: Option<&str>,
        reason: Option<ReasonFilter>,
        page: PageRequest,
        now: UtcTime,
    ) -> Result<(u64, Vec<SimpleOTATaskInfo>), sqlx::Error> {
        let mut conn = self.read().await?;
        let limit = i64::from(page.page_size);
        let offset = i64::try_from(page.offset()).unwrap_or(i64::MAX);
        if let Some(reason) = reason {
            let names: Vec<String> = device_name.map(str::to_owned).into_iter().collect();
            let filter =
                TaskFilter { scope: Scope::Package(firmware_id), status, device_names: &names, reason: Some(reason) };
            let total = filter.count(&mut conn).await?;
            let rows = filter.page(&mut conn, offset, limit).await?;
            let tasks = rows.into_iter().map(|row| row.into_info(now, false)).collect::<Result<_, _>>()?;
            return Ok((total.max(0) as u64, tasks));
        }
        if let Some(device_name) = device_name {
            // One device has few tasks per package: read them all, page in memory.
            let rows: Vec<TaskRow> = on!(conn, |db| sqlx::query_as(&format!(
                "{SELECT_TASK} WHERE t.firmware_id = $1 AND ($2 IS NULL OR t.status = $2)
                 AND t.iot_id IN (SELECT d.iot_id FROM devices d JOIN firmware f ON f.product_key = d.product_key
                                  WHERE f.firmware_id = $1 AND d.device_name = $3)
                 ORDER BY j.utc_create DESC, t.job_id, t.seq"
            ))
            .bind(firmware_id)
            .bind(status.map(|s| s.as_str()))
            .bind(device_name)
            .fetch_all(db)
            .await)?;
            let total = rows.len() as u64;
            let tasks = rows
                .into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(|row| row.into_info(now, false))
                .collect::<Result<_, _>>()?;
            return Ok((total, tasks));
        }
        let jobs: Vec<(String, i64)> = on!(conn, |db| sqlx::query_as(
            "SELECT j.job_id, CAST(coalesce((SELECT sum(c.count) FROM job_task_counts c
                                             WHERE c.job_id = j.job_id AND ($2 IS NULL OR c.status = $2)), 0)
                                  AS BIGINT)
             FROM jobs j WHERE j.firmware_id = $1 ORDER BY j.utc_create DESC, j.job_id",
        )
        .bind(firmware_id)
        .bind(status.map(|s| s.as_str()))
        .fetch_all(db)
        .await)?;
        let total: i64 = jobs.iter().map(|(_, count)| count).sum();
        let (mut skip, mut tasks) = (offset, Vec::new());
        for (job_id, count) in jobs {
            if skip >= count {
                skip -= count;
                continue;
            }
            let wanted = limit - tasks.len() as i64;
            let rows = job_page(&mut conn, &job_id, status, skip, wanted).await?;
            tasks.extend(with_job_fields(&mut conn, &job_id, rows, now).await?);
            skip = 0;
            if tasks.len() as i64 >= limit {
                break;
            }
        }
        Ok((total.max(0) as u64, tasks))
    }

    /// A device's unfinished tasks, optionally of one module and of some states.
    pub async fn unfinished_tasks_of_device(
        &self,
        iot_id: &str,
        module: Option<&str>,
        statuses: &[TaskStatus],
        now: UtcTime,
    ) -> Result<Vec<SimpleOTATaskInfo>, sqlx::Error> {
        let states: Vec<&str> = if statuses.is_empty() {
            vec!["CONFIRM", "QUEUED", "NOTIFIED", "IN_PROGRESS"]
        } else {
            statuses.iter().map(|s| s.as_str()).collect()
        };
        let states_table = self.backend().json_values("$4");
        let rows: Vec<TaskRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_TASK} WHERE t.iot_id = $1 AND ($2 IS NULL OR t.module_name = $3)
             AND t.status IN (SELECT value FROM {states_table}) AND t.status IN {UNFINISHED}
             ORDER BY t.utc_create"
        ))
        .bind(iot_id)
        .bind(module)
        .bind(module)
        .bind(serde_json::to_string(&states).unwrap_or_default())
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(|row| row.into_info(now, true)).collect()
    }
}

/// Rows `offset..offset + limit` of a batch's tasks (of one state or all), in creation order.
async fn job_page(
    db: &mut Tx,
    job_id: &str,
    status: Option<TaskStatus>,
    offset: i64,
    limit: i64,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    let Some(status) = status else {
        // Tasks are numbered 1…N in a batch and never removed one by one, so a page is a
        // range of numbers: no rows are skipped to reach it.
        return on!(db, |db| sqlx::query_as(&format!(
            "{SELECT_JOB_TASK} WHERE t.job_id = $1 AND t.seq > $2 ORDER BY t.seq LIMIT $3"
        ))
        .bind(job_id)
        .bind(offset)
        .bind(limit)
        .fetch_all(db)
        .await);
    };
    // The block counts say where the page starts.
    let Some((block, before)) = block_holding(&mut *db, job_id, status, offset).await? else {
        return Ok(Vec::new());
    };
    // Fewer than TASK_BLOCK index entries are skipped, in the (job, status, seq) index alone;
    // only the page's rows are read in full.
    on!(db, |db| sqlx::query_as(&format!(
        "{SELECT_JOB_TASK} WHERE t.rowid IN (
             SELECT rowid FROM tasks WHERE job_id = $1 AND status = $2 AND seq > $3
             ORDER BY seq LIMIT $4 OFFSET $5)
         ORDER BY t.seq"
    ))
    .bind(job_id)
    .bind(status.as_str())
    .bind(block * TASK_BLOCK)
    .bind(limit)
    .bind(offset - before)
    .fetch_all(db)
    .await)
}

/// Rows of one batch with its product name and schedule, read once rather than joined per row.
async fn with_job_fields(
    db: &mut Tx,
    job_id: &str,
    rows: Vec<TaskRow>,
    now: UtcTime,
) -> Result<Vec<SimpleOTATaskInfo>, sqlx::Error> {
    #[derive(FromRow)]
    struct JobFields {
        product_name: String,
        schedule_time: Option<i64>,
        #[sqlx(flatten)]
        hold: JobHold,
    }
    let job: JobFields = on!(db, |db| sqlx::query_as(
        "SELECT p.product_name, j.schedule_time, j.current_wave, j.paused_at, j.in_window, j.next_window
         FROM jobs j JOIN products p ON p.product_key = j.product_key WHERE j.job_id = $1",
    )
    .bind(job_id)
    .fetch_one(db)
    .await)?;
    rows.into_iter()
        .map(|row| {
            let row = TaskRow {
                product_name: job.product_name.clone(),
                schedule_time: job.schedule_time,
                hold: job.hold,
                ..row
            };
            row.into_info(now, false)
        })
        .collect()
}

/// Tasks per block in `job_task_blocks` (migration 4).
const TASK_BLOCK: i64 = 1024;

/// The block holding a batch's `offset`-th task (from 0) in `status`, and how many tasks in
/// that state come before the block; `None` past the last one.
async fn block_holding(
    db: &mut Tx,
    job_id: &str,
    status: TaskStatus,
    offset: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    // Blocks in order, in growing chunks, until the one holding the offset: page 1 reads a
    // few, a deep page of a million-task batch a few chunks. Each chunk comes back as one JSON
    // value, as rows one by one cost more to hand over than to read.
    let (mut after, mut before, mut chunk_size) = (-1, 0, 16_i64);
    loop {
        let pairs = db.backend().json_array_of(&db.backend().json_array("block, count"));
        let (chunk,): (String,) = on!(db, |db| sqlx::query_as(&format!(
            "SELECT coalesce({pairs}, '[]') FROM (
                 SELECT block, count FROM job_task_blocks WHERE job_id = $1 AND status = $2 AND block > $3
                 ORDER BY block LIMIT $4) AS b"
        ))
        .bind(job_id)
        .bind(status.as_str())
        .bind(after)
        .bind(chunk_size)
        .fetch_one(db)
        .await)?;
        let blocks: Vec<(i64, i64)> = serde_json::from_str(&chunk)
            .map_err(|_| corrupt("job_task_blocks", chunk.chars().take(40).collect::<String>()))?;
        for &(block, count) in &blocks {
            if before + count > offset {
                return Ok(Some((block, before)));
            }
            before += count;
            after = block;
        }
        if (blocks.len() as i64) < chunk_size {
            return Ok(None);
        }
        chunk_size = (chunk_size * 4).min(1024);
    }
}

/// How many tasks a batch has, in one state or in all (from the counters).
async fn count_of(db: &mut Tx, job_id: &str, status: Option<TaskStatus>) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = on!(db, |db| {
        sqlx::query_as(
        "SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM job_task_counts WHERE job_id = $1 AND ($2 IS NULL OR status = $3)",
    )
    .bind(job_id)
    .bind(status.map(|s| s.as_str()))
    .bind(status.map(|s| s.as_str()))
    .fetch_one(db)
    .await
    })?;
    Ok(count)
}
