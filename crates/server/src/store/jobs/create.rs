//! Creating batches: the devices a batch may target, and writing a batch with its tasks.

use std::collections::{HashMap, HashSet};

use ota_model::enums::{DynamicMode, JobStatus, JobType, SelectionType, TaskStatus};
use ota_model::job::OtaTag;
use ota_model::job::create::{Schedule, StaticTarget};
use ota_model::job::policy::JobPolicy;
use ota_model::rollout::Plan;
use ota_model::task::TaskReason;
use ota_model::{FirmwareStatus, UtcTime};
use sqlx::{FromRow, QueryBuilder};

use super::{RateColumns, cancel_tasks};
use crate::ids;
use crate::store::Store;
use crate::store::Tx;
use crate::store::UNFINISHED;
use crate::store::db::on;
use crate::store::firmware::set_firmware_status;
use crate::store::uploads::claim_upload;

/// Rows per INSERT when writing many tasks (17 values each, well under SQLite's limit).
const TASK_BATCH: usize = 500;

/// A batch to create, decided and checked by the caller.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub job_id: String,
    pub firmware_id: &'a str,
    pub product_key: &'a str,
    pub module_name: &'a str,
    pub dest_version: &'a str,
    pub job_type: JobType,
    pub selection_type: SelectionType,
    /// Static batches; dynamic ones record `ALL`.
    pub target: Option<&'a StaticTarget>,
    pub src_versions: &'a [String],
    pub dynamic_mode: Option<DynamicMode>,
    pub schedule: Schedule,
    pub policy: &'a JobPolicy,
    /// A verification batch puts its package into `Verifying`.
    pub verifies: bool,
    /// The uploaded device list the batch was made from, kept with it.
    pub list_file: Option<&'a str>,
    /// The unfinished tasks of the product the plan was made from. Another batch created
    /// meanwhile may have given its devices new ones; then the plan is stale and nothing is
    /// stored. `None` only for the load test's synthetic batches, which stack tasks on purpose.
    pub planned_from: Option<&'a HashSet<String>>,
}

/// How creating a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobCreation {
    Created,
    /// Another batch gave the plan's devices unfinished tasks meanwhile: plan again.
    Stale,
    /// The device list was claimed by another batch, or expired, meanwhile.
    ListFileGone,
}

/// A candidate device with the version it reports for the package's module.
#[derive(Debug, Clone, FromRow)]
pub struct CandidateRow {
    pub iot_id: String,
    pub device_name: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ExistingRow {
    pub task_id: String,
    pub iot_id: String,
    pub module_name: String,
    pub status: String,
}

impl Store {
    // ---- candidates ------------------------------------------------------------------------

    /// Every device of a product, with its version of `module`.
    pub async fn product_candidates(&self, product_key: &str, module: &str) -> Result<Vec<CandidateRow>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT d.iot_id, d.device_name, m.version FROM devices d
             LEFT JOIN device_modules m ON m.iot_id = d.iot_id AND m.module_name = $1
             WHERE d.product_key = $2 ORDER BY d.device_name",
        )
        .bind(module)
        .bind(product_key)
        .fetch_all(db)
        .await)
    }

    /// The named devices of a product that exist, with their versions of `module`.
    pub async fn named_candidates(
        &self,
        product_key: &str,
        module: &str,
        names: &[String],
    ) -> Result<Vec<CandidateRow>, sqlx::Error> {
        let names = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
        let names_table = self.backend().json_values("$1");
        on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT d.iot_id, d.device_name, m.version FROM {names_table} AS n
             JOIN devices d ON d.product_key = $2 AND d.device_name = n.value
             LEFT JOIN device_modules m ON m.iot_id = d.iot_id AND m.module_name = $3
             ORDER BY d.device_name"
        ))
        .bind(names)
        .bind(product_key)
        .bind(module)
        .fetch_all(db)
        .await)
    }

    /// The members of a group that are devices of the product.
    pub async fn group_candidates(
        &self,
        product_key: &str,
        module: &str,
        group_id: &str,
    ) -> Result<Vec<CandidateRow>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT d.iot_id, d.device_name, m.version FROM device_group_members g
             JOIN devices d ON d.iot_id = g.iot_id AND d.product_key = $1
             LEFT JOIN device_modules m ON m.iot_id = d.iot_id AND m.module_name = $2
             WHERE g.group_id = $3 ORDER BY d.device_name",
        )
        .bind(product_key)
        .bind(module)
        .bind(group_id)
        .fetch_all(db)
        .await)
    }

    /// The unfinished tasks of a product's devices.
    pub async fn unfinished_tasks_of_product(&self, product_key: &str) -> Result<Vec<ExistingRow>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT task_id, iot_id, module_name, status FROM tasks
             WHERE product_key = $1 AND status IN {UNFINISHED}"
        ))
        .bind(product_key)
        .fetch_all(db)
        .await)
    }

    // ---- creating --------------------------------------------------------------------------

    /// Creates a batch with the tasks of `plan` (`device_names` names their devices) and
    /// cancels the tasks it overwrites. One transaction: all of it or none.
    pub async fn create_job(
        &self,
        instance: &str,
        job: &NewJob<'_>,
        plan: &Plan,
        device_names: &HashMap<String, String>,
        now: UtcTime,
    ) -> Result<JobCreation, sqlx::Error> {
        let mut tx = self.begin().await?;
        if let Some(seen) = job.planned_from
            && !plan_still_holds(&mut tx, job.product_key, plan, seen).await?
        {
            return Ok(JobCreation::Stale);
        }
        let status = plan.job_status(job.selection_type, job.schedule.start, now);
        insert_job(&mut tx, instance, job, status, now).await?;
        cancel_tasks(&mut tx, &plan.overwritten, TaskReason::Overwritten, now).await?;
        if job.verifies {
            set_firmware_status(&mut tx, job.firmware_id, FirmwareStatus::Verifying, 0, now).await?;
        }
        if let Some(key) = job.list_file
            && !claim_upload(&mut tx, key, &job.job_id).await?
        {
            return Ok(JobCreation::ListFileGone);
        }
        let timeout = job.policy.timeout_in_minutes.map(i64::from);
        let waves = waves_of(job, plan);
        for (chunk_index, chunk) in plan.tasks.chunks(TASK_BATCH).enumerate() {
            on!(tx, |db| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO tasks (task_id, job_id, seq, firmware_id, iot_id, product_key, device_name,
                         module_name, src_version, dest_version, status, reason_code, task_desc,
                         timeout_in_minutes, utc_create, utc_modified, wave) ",
                );
                insert.push_values(chunk.iter().enumerate(), |mut row, (i, task)| {
                    let index = chunk_index * TASK_BATCH + i;
                    let seq = (index + 1) as i64;
                    row.push_bind(ids::object_id())
                        .push_bind(&job.job_id)
                        .push_bind(seq)
                        .push_bind(job.firmware_id)
                        .push_bind(&task.iot_id)
                        .push_bind(job.product_key)
                        .push_bind(device_names.get(&task.iot_id).cloned().unwrap_or_default())
                        .push_bind(job.module_name)
                        .push_bind(&task.src_version)
                        .push_bind(job.dest_version)
                        .push_bind(task.status.as_str())
                        .push_bind(task.reason.map(|r| r.as_str()))
                        .push_bind(task.reason.map(|r| r.description()))
                        .push_bind(timeout)
                        .push_bind(now.millis())
                        .push_bind(now.millis())
                        .push_bind(waves.get(index).copied().flatten().map(i64::from));
                });
                insert.build().execute(db).await.map(drop)
            })?;
        }
        tx.commit().await?;
        Ok(JobCreation::Created)
    }
}

/// Each planned task's wave, in a batch with waves: the tasks that fail at creation have none.
fn waves_of(job: &NewJob<'_>, plan: &Plan) -> Vec<Option<u32>> {
    let Some(waves) = &job.policy.safety.waves else { return Vec::new() };
    let drawn: Vec<usize> = (0..plan.tasks.len()).filter(|&i| plan.tasks[i].status != TaskStatus::Failed).collect();
    let devices: Vec<&str> = drawn.iter().map(|&i| plan.tasks[i].iot_id.as_str()).collect();
    let mut of_task = vec![None; plan.tasks.len()];
    for (&i, wave) in drawn.iter().zip(waves.assign(&job.job_id, &devices)) {
        of_task[i] = Some(wave);
    }
    of_task
}

/// Whether the devices `plan` gives unfinished tasks have no unfinished task beyond those in
/// `seen` (checked inside the creating transaction, which holds the write lock).
async fn plan_still_holds(
    db: &mut Tx,
    product_key: &str,
    plan: &Plan,
    seen: &HashSet<String>,
) -> Result<bool, sqlx::Error> {
    let taking: HashSet<&str> =
        plan.tasks.iter().filter(|t| t.status != TaskStatus::Failed).map(|t| t.iot_id.as_str()).collect();
    let now_unfinished: Vec<(String, String)> = on!(db, |db| sqlx::query_as(&format!(
        "SELECT task_id, iot_id FROM tasks WHERE product_key = $1 AND status IN {UNFINISHED}"
    ))
    .bind(product_key)
    .fetch_all(db)
    .await)?;
    Ok(now_unfinished.iter().all(|(task_id, iot_id)| seen.contains(task_id) || !taking.contains(iot_id.as_str())))
}

async fn insert_job(
    db: &mut Tx,
    instance: &str,
    job: &NewJob<'_>,
    status: JobStatus,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let policy = job.policy;
    let target = job.target;
    let selection = target.map_or("ALL", |t| t.selection().as_str());
    let (gray, group) = match target {
        Some(StaticTarget::Gray(percent)) => (Some(percent.to_string()), None),
        Some(StaticTarget::Group(id)) => (None, Some(id.as_str())),
        _ => (None, None),
    };
    let rate = RateColumns::of(policy.push_rate);
    let safety = &policy.safety;
    let window = safety.windows.as_ref().map(|w| (w.open_at(now), w.next_open(now)));
    let started = (status != JobStatus::Planned).then_some(now.millis());
    let ended = (status == JobStatus::Completed).then_some(now.millis());
    on!(db, |db| {
        sqlx::query(
        "INSERT INTO jobs (job_id, instance_id, firmware_id, product_key, job_type, selection_type,
             target_selection, job_status, gray_percent, group_id, group_type, dynamic_mode, schedule_time,
             schedule_finish_time, retry_interval, retry_count, timeout_in_minutes, maximum_per_minute,
             overwrite_mode, need_push, need_confirm, download_protocol, multi_module_mode,
             utc_create, utc_modified, utc_start, utc_end,
             rate_start_per_minute, rate_growth_factor, rate_growth_every, rate_growth_on,
             safety, current_wave, in_window, next_window)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)",
    )
    .bind(&job.job_id)
    .bind(instance)
    .bind(job.firmware_id)
    .bind(job.product_key)
    .bind(job.job_type.as_str())
    .bind(job.selection_type.as_str())
    .bind(selection)
    .bind(status.as_str())
    .bind(gray)
    .bind(group)
    .bind(group.map(|_| "LINK_PLATFORM"))
    .bind(job.dynamic_mode.map(|m| m.code()))
    .bind(job.schedule.start.map(UtcTime::millis))
    .bind(job.schedule.finish.map(UtcTime::millis))
    .bind(policy.retry.map(|r| r.interval.code()))
    .bind(policy.retry.map(|r| r.count.code()))
    .bind(policy.timeout_in_minutes.map(i64::from))
    .bind(i64::from(policy.maximum_per_minute))
    .bind(policy.overwrite_mode.code())
    .bind(policy.need_push)
    .bind(policy.need_confirm)
    .bind(policy.download_protocol.as_str())
    .bind(policy.multi_module_mode)
    .bind(now.millis())
    .bind(now.millis())
    .bind(started)
    .bind(ended)
    .bind(rate.rate_start_per_minute)
    .bind(rate.rate_growth_factor)
    .bind(rate.rate_growth_every)
    .bind(rate.rate_growth_on)
    .bind(safety.to_stored())
    .bind(safety.waves.as_ref().map(|_| 1_i64))
    .bind(window.map(|(open, _)| open))
    .bind(window.map(|(_, next)| next.millis()))
    .execute(db)
    .await.map(|done| done.rows_affected())
    })?;
    insert_tags(db, &job.job_id, &policy.tags).await?;
    insert_versions(db, &job.job_id, job.src_versions).await
}

pub(super) async fn insert_tags(db: &mut Tx, job_id: &str, tags: &[OtaTag]) -> Result<(), sqlx::Error> {
    for (position, tag) in tags.iter().enumerate() {
        on!(db, |db| sqlx::query("INSERT INTO job_tags (job_id, position, tag_key, value) VALUES ($1, $2, $3, $4)")
            .bind(job_id)
            .bind(position as i64)
            .bind(&tag.key)
            .bind(&tag.value)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
    }
    Ok(())
}

pub(super) async fn insert_versions(db: &mut Tx, job_id: &str, versions: &[String]) -> Result<(), sqlx::Error> {
    for (position, version) in versions.iter().enumerate() {
        on!(db, |db| sqlx::query("INSERT INTO job_src_versions (job_id, position, version) VALUES ($1, $2, $3)")
            .bind(job_id)
            .bind(position as i64)
            .bind(version)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
    }
    Ok(())
}
