//! Batches: reading, changing and stopping them. Creating them is `create`.

mod create;
mod row;
mod tags;

use ota_model::enums::{JobStatus, SelectionType};
use ota_model::job::rate::{Growth, GrowthFactor, PushRate};
use ota_model::job::safety::SafetyInfo;
use ota_model::job::{OTAJobInfo, SimpleOTAJobInfo, UpdateOTAJob};
use ota_model::task::TaskReason;
use ota_model::{PageRequest, UtcTime};
use sqlx::FromRow;

pub use self::create::{CandidateRow, ExistingRow, JobCreation, NewJob};
use self::create::{insert_tags, insert_versions};
use self::row::{JobRow, SELECT_JOB_COLUMNS};
use self::tags::tags_of_jobs;
use super::{Store, UNFINISHED, corrupt};
use crate::store::Tx;
use crate::store::db::on;

/// A batch as the other operations need it.
#[derive(Debug, Clone, FromRow)]
pub struct Job {
    pub job_id: String,
    pub firmware_id: String,
    pub product_key: String,
    pub job_type: String,
    pub selection_type: String,
    pub job_status: String,
    pub schedule_time: Option<i64>,
    pub need_confirm: bool,
    pub multi_module_mode: bool,
    pub overwrite_mode: i64,
    pub maximum_per_minute: i64,
    #[sqlx(flatten)]
    pub rate: RateColumns,
}

/// The variable-rate columns of `jobs` (migration 5): all NULL for a constant rate.
#[derive(Debug, Clone, Default, FromRow)]
pub struct RateColumns {
    rate_start_per_minute: Option<i64>,
    rate_growth_factor: Option<i64>,
    rate_growth_every: Option<i64>,
    rate_growth_on: Option<String>,
}

impl RateColumns {
    pub fn of(rate: PushRate) -> Self {
        match rate {
            PushRate::Constant => Self::default(),
            PushRate::Variable(growth) => Self {
                rate_start_per_minute: Some(i64::from(growth.start_per_minute)),
                rate_growth_factor: Some(i64::from(growth.factor.hundredths())),
                rate_growth_every: Some(i64::from(growth.every)),
                rate_growth_on: Some(growth.on.as_str().to_owned()),
            },
        }
    }

    pub fn push_rate(&self) -> Result<PushRate, sqlx::Error> {
        let Some(start) = self.rate_start_per_minute else { return Ok(PushRate::Constant) };
        let factor = self.rate_growth_factor.unwrap_or_default();
        let on = self.rate_growth_on.as_deref().unwrap_or_default();
        Ok(PushRate::Variable(Growth {
            start_per_minute: u32::try_from(start).map_err(|_| corrupt("rate_start_per_minute", start))?,
            factor: u16::try_from(factor)
                .ok()
                .and_then(GrowthFactor::from_hundredths)
                .ok_or_else(|| corrupt("rate_growth_factor", factor))?,
            every: self.rate_growth_every.and_then(|n| u32::try_from(n).ok()).unwrap_or(1),
            on: on.parse().map_err(|_| corrupt("rate_growth_on", on))?,
        }))
    }
}

impl Job {
    pub fn status(&self) -> JobStatus {
        self.job_status.parse().unwrap_or(JobStatus::Completed)
    }

    pub fn is_dynamic(&self) -> bool {
        self.selection_type == SelectionType::Dynamic.as_str()
    }

    /// A scheduled batch whose start has not come.
    pub fn waits_for_schedule(&self, now: UtcTime) -> bool {
        self.schedule_time.is_some_and(|start| start > now.millis())
    }
}

impl Store {
    // ---- reading ---------------------------------------------------------------------------

    pub async fn job(&self, instance: &str, job_id: &str) -> Result<Option<Job>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT job_id, firmware_id, product_key, job_type, selection_type, job_status, schedule_time,
                    need_confirm, multi_module_mode, overwrite_mode, maximum_per_minute, rate_start_per_minute,
                    rate_growth_factor, rate_growth_every, rate_growth_on
             FROM jobs WHERE instance_id = $1 AND job_id = $2",
        )
        .bind(instance)
        .bind(job_id)
        .fetch_optional(db)
        .await)
    }

    /// The running dynamic batch of a package, if any.
    pub async fn running_dynamic_job(&self, firmware_id: &str) -> Result<Option<String>, sqlx::Error> {
        let found: Option<(String,)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT job_id FROM jobs WHERE firmware_id = $1 AND selection_type = 'DYNAMIC'
             AND job_status IN ('PLANNED', 'IN_PROGRESS')",
        )
        .bind(firmware_id)
        .fetch_optional(db)
        .await)?;
        Ok(found.map(|(id,)| id))
    }

    pub async fn query_job(&self, instance: &str, job_id: &str) -> Result<Option<OTAJobInfo>, sqlx::Error> {
        let row: Option<JobRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_JOB_COLUMNS} FROM jobs j WHERE j.instance_id = $1 AND j.job_id = $2"
        ))
        .bind(instance)
        .bind(job_id)
        .fetch_optional(db)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let mut db = self.read().await?;
        let tags = tags_of_jobs(&mut db, &[job_id]).await?.remove(job_id).unwrap_or_default();
        let versions: Vec<(String,)> =
            on!(db, |db| sqlx::query_as("SELECT version FROM job_src_versions WHERE job_id = $1 ORDER BY position")
                .bind(job_id)
                .fetch_all(db)
                .await)?;
        let versions = versions.into_iter().map(|(v,)| v).collect();
        drop(db);
        let mut info = row.into_info(tags, versions)?;
        if let Some((safety, mut state, waves)) = self.job_safety(job_id).await? {
            // A batch that ended is no longer paused, whatever it was when it ended.
            if info.summary.job_status != JobStatus::InProgress {
                state.paused = None;
            }
            info.safety = SafetyInfo::new(&safety, state, waves);
        }
        Ok(Some(info))
    }

    /// A package's batches, newest first.
    pub async fn jobs_of_firmware(
        &self,
        instance: &str,
        firmware_id: &str,
        page: PageRequest,
    ) -> Result<(u64, Vec<SimpleOTAJobInfo>), sqlx::Error> {
        self.job_page("FROM jobs j WHERE j.instance_id = $1 AND j.firmware_id = $2", instance, firmware_id, None, page)
            .await
    }

    /// The batches of a package that include a device, newest first.
    pub async fn jobs_of_device(
        &self,
        instance: &str,
        firmware_id: &str,
        iot_id: &str,
        page: PageRequest,
    ) -> Result<(u64, Vec<SimpleOTAJobInfo>), sqlx::Error> {
        self.job_page(
            "FROM jobs j WHERE j.instance_id = $1 AND j.firmware_id = $2
             AND EXISTS (SELECT 1 FROM tasks t WHERE t.iot_id = $3 AND t.job_id = j.job_id)",
            instance,
            firmware_id,
            Some(iot_id),
            page,
        )
        .await
    }

    async fn job_page(
        &self,
        from: &str,
        instance: &str,
        firmware_id: &str,
        iot_id: Option<&str>,
        page: PageRequest,
    ) -> Result<(u64, Vec<SimpleOTAJobInfo>), sqlx::Error> {
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as(&format!("SELECT count(*) {from}"))
            .bind(instance)
            .bind(firmware_id)
            .bind(iot_id)
            .fetch_one(db)
            .await)?;
        let rows: Vec<JobRow> = on!(tx, |db| sqlx::query_as(&format!(
            "{SELECT_JOB_COLUMNS} {from} ORDER BY j.utc_create DESC, j.job_id LIMIT $4 OFFSET $5"
        ))
        .bind(instance)
        .bind(firmware_id)
        .bind(iot_id)
        .bind(i64::from(page.page_size))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(db)
        .await)?;
        let ids: Vec<&str> = rows.iter().map(|row| row.job_id.as_str()).collect();
        let mut tags = tags_of_jobs(&mut tx, &ids).await?;
        tx.commit().await?;
        let mut jobs = Vec::with_capacity(rows.len());
        for row in rows {
            let tags = tags.remove(&row.job_id).unwrap_or_default();
            jobs.push(row.into_info(tags, Vec::new())?.summary);
        }
        Ok((total.max(0) as u64, jobs))
    }

    // ---- changing --------------------------------------------------------------------------

    /// UpdateOTAJob: the push rate (`rate`, as checked against the batch's) and tags always,
    /// the timeout when given, the source versions when some are given.
    pub async fn update_job(
        &self,
        change: &UpdateOTAJob,
        rate: PushRate,
        src_versions: &[String],
        now: UtcTime,
    ) -> Result<(), sqlx::Error> {
        let job_id = change.job_id.as_str();
        let rate = RateColumns::of(rate);
        let mut tx = self.begin().await?;
        on!(tx, |db| sqlx::query(
            "UPDATE jobs SET maximum_per_minute = $1, rate_start_per_minute = $2, rate_growth_factor = $3,
                             rate_growth_every = $4, rate_growth_on = $5,
                             timeout_in_minutes = coalesce($6, timeout_in_minutes), utc_modified = $7
             WHERE job_id = $8",
        )
        .bind(i64::from(change.maximum_per_minute))
        .bind(rate.rate_start_per_minute)
        .bind(rate.rate_growth_factor)
        .bind(rate.rate_growth_every)
        .bind(rate.rate_growth_on)
        .bind(change.timeout_in_minutes.map(i64::from))
        .bind(now.millis())
        .bind(job_id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        on!(tx, |db| sqlx::query("DELETE FROM job_tags WHERE job_id = $1")
            .bind(job_id)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        insert_tags(&mut tx, job_id, &change.tags).await?;
        if !src_versions.is_empty() {
            on!(tx, |db| sqlx::query("DELETE FROM job_src_versions WHERE job_id = $1")
                .bind(job_id)
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
            insert_versions(&mut tx, job_id, src_versions).await?;
        }
        tx.commit().await
    }

    /// Ends a batch (`CANCELED` or `COMPLETED`).
    pub async fn end_job(&self, job_id: &str, status: JobStatus, now: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        end_job(&mut tx, job_id, status, now).await?;
        tx.commit().await
    }
}

pub async fn end_job(db: &mut Tx, job_id: &str, status: JobStatus, now: UtcTime) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query("UPDATE jobs SET job_status = $1, utc_end = $2, utc_modified = $3 WHERE job_id = $4")
        .bind(status.as_str())
        .bind(now.millis())
        .bind(now.millis())
        .bind(job_id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
    .map(drop)
}

/// Cancels the listed tasks (unfinished ones only) with `reason`.
pub async fn cancel_tasks(
    db: &mut Tx,
    task_ids: &[String],
    reason: TaskReason,
    now: UtcTime,
) -> Result<u64, sqlx::Error> {
    if task_ids.is_empty() {
        return Ok(0);
    }
    let ids = serde_json::to_string(task_ids).unwrap_or_else(|_| "[]".into());
    let ids_table = db.backend().json_values("$4");
    let cancelled = on!(db, |db| sqlx::query(&format!(
        "UPDATE tasks SET status = 'CANCELED', reason_code = $1, task_desc = $2, utc_modified = $3
         WHERE task_id IN (SELECT value FROM {ids_table}) AND status IN {UNFINISHED}"
    ))
    .bind(reason.as_str())
    .bind(reason.description())
    .bind(now.millis())
    .bind(ids)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(cancelled)
}
