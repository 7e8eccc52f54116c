//! Running dynamic batches taking on devices after their creation: which batches might, a
//! device's history with one, and appending its new task.

use ota_model::UtcTime;
use ota_model::enums::{DynamicMode, FirmwareType, OverwriteMode, TaskStatus};
use ota_model::rollout::{PackageVersions, Plan, Request};
use ota_model::task::TaskReason;
use sqlx::FromRow;

use super::jobs::cancel_tasks;
use super::{Store, UNFINISHED, corrupt};
use crate::ids;
use crate::store::db::on;

/// A running dynamic batch, with what matching a device needs of it.
#[derive(Debug, Clone)]
pub struct DynamicJob {
    pub job_id: String,
    pub firmware_id: String,
    pub product_key: String,
    pub module_name: String,
    pub dest_version: String,
    pub firmware_type: FirmwareType,
    pub package_src: Option<String>,
    pub mode: DynamicMode,
    pub src_versions: Vec<String>,
    pub overwrite: OverwriteMode,
    pub multi_module_mode: bool,
    pub need_confirm: bool,
    pub timeout_in_minutes: Option<i64>,
}

impl DynamicJob {
    /// What the batch asks of a device, for `ota_model::dynamic`.
    pub fn request(&self) -> Request<'_> {
        Request {
            package: PackageVersions {
                dest: &self.dest_version,
                firmware_type: self.firmware_type,
                src: self.package_src.as_deref(),
            },
            module: &self.module_name,
            sources: &self.src_versions,
            overwrite: self.overwrite,
            multi_module_mode: self.multi_module_mode,
            need_confirm: self.need_confirm,
            gray: None,
            seed: &self.job_id,
        }
    }
}

#[derive(FromRow)]
struct DynamicRow {
    job_id: String,
    firmware_id: String,
    product_key: String,
    module_name: String,
    dest_version: String,
    firmware_type: i64,
    package_src: Option<String>,
    dynamic_mode: Option<i64>,
    src_versions: String,
    overwrite_mode: i64,
    multi_module_mode: bool,
    need_confirm: bool,
    timeout_in_minutes: Option<i64>,
}

impl DynamicRow {
    fn into_job(self) -> Result<DynamicJob, sqlx::Error> {
        let src_versions: Vec<String> =
            serde_json::from_str(&self.src_versions).map_err(|_| corrupt("job_src_versions", &self.src_versions))?;
        Ok(DynamicJob {
            firmware_type: if self.firmware_type == 1 { FirmwareType::Differential } else { FirmwareType::Full },
            mode: self.dynamic_mode.and_then(DynamicMode::from_code).unwrap_or(DynamicMode::Continuous),
            overwrite: OverwriteMode::from_code(self.overwrite_mode)
                .ok_or_else(|| corrupt("jobs.overwrite_mode", self.overwrite_mode))?,
            job_id: self.job_id,
            firmware_id: self.firmware_id,
            product_key: self.product_key,
            module_name: self.module_name,
            dest_version: self.dest_version,
            package_src: self.package_src,
            src_versions,
            multi_module_mode: self.multi_module_mode,
            need_confirm: self.need_confirm,
            timeout_in_minutes: self.timeout_in_minutes,
        })
    }
}

/// An unfinished task of a device, as the rollout rules see it.
#[derive(Debug, Clone, FromRow)]
pub struct UnfinishedRow {
    pub task_id: String,
    pub module_name: String,
    pub status: String,
}

impl Store {
    /// The running dynamic batches of a product's module, newest first: a device under
    /// several follows the newest that takes it.
    pub async fn dynamic_jobs(&self, product_key: &str, module: &str) -> Result<Vec<DynamicJob>, sqlx::Error> {
        let versions = self.backend().json_array_of("version");
        let rows: Vec<DynamicRow> = on!(self.pool, |db| {
            sqlx::query_as(&format!(
            "SELECT j.job_id, j.firmware_id, j.product_key, f.module_name, f.dest_version, f.firmware_type,
                    f.src_version AS package_src, j.dynamic_mode, j.overwrite_mode, j.multi_module_mode,
                    j.need_confirm, j.timeout_in_minutes,
                    (SELECT coalesce({versions}, '[]') FROM
                        (SELECT version FROM job_src_versions v WHERE v.job_id = j.job_id ORDER BY position) AS versions)
                        AS src_versions
             FROM jobs j JOIN firmware f ON f.firmware_id = j.firmware_id
             WHERE j.product_key = $1 AND f.module_name = $2 AND j.selection_type = 'DYNAMIC'
                   AND j.job_status = 'IN_PROGRESS'
             ORDER BY j.utc_create DESC, j.rowid DESC"
        ))
        .bind(product_key)
        .bind(module)
        .fetch_all(db)
        .await
        })?;
        rows.into_iter().map(DynamicRow::into_job).collect()
    }

    /// How many tasks a batch gave a device, and whether one is unfinished.
    pub async fn dynamic_history(&self, job_id: &str, iot_id: &str) -> Result<(u32, bool), sqlx::Error> {
        let (matches, unfinished): (i64, bool) = on!(self.pool, |db| {
            sqlx::query_as(&format!(
            "SELECT count(*), count(*) FILTER (WHERE status IN {UNFINISHED}) > 0 FROM tasks WHERE job_id = $1 AND iot_id = $2"
        ))
        .bind(job_id)
        .bind(iot_id)
        .fetch_one(db)
        .await
        })?;
        Ok((u32::try_from(matches).unwrap_or(u32::MAX), unfinished))
    }

    /// A device's unfinished tasks, in every batch.
    pub async fn unfinished_tasks_of(&self, iot_id: &str) -> Result<Vec<UnfinishedRow>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT task_id, module_name, status FROM tasks WHERE iot_id = $1 AND status IN {UNFINISHED}"
        ))
        .bind(iot_id)
        .fetch_all(db)
        .await)
    }

    /// Appends the device's task of `plan` to the batch, after its last one, and cancels the
    /// tasks it overwrites: one transaction. Nothing, if the batch stopped meanwhile.
    pub async fn add_dynamic_task(
        &self,
        job: &DynamicJob,
        plan: &Plan,
        device_name: &str,
        now: UtcTime,
    ) -> Result<Option<String>, sqlx::Error> {
        let Some(task) = plan.tasks.first() else { return Ok(None) };
        let mut tx = self.begin().await?;
        let running: Option<(String,)> =
            on!(tx, |db| sqlx::query_as("SELECT job_id FROM jobs WHERE job_id = $1 AND job_status = 'IN_PROGRESS'")
                .bind(&job.job_id)
                .fetch_optional(db)
                .await)?;
        if running.is_none() {
            return Ok(None);
        }
        cancel_tasks(&mut tx, &plan.overwritten, TaskReason::Overwritten, now).await?;
        let task_id = ids::object_id();
        // Pages and block counts rely on each batch's tasks numbered 1, 2, 3, … in order.
        on!(tx, |db| {
            sqlx::query(
            "INSERT INTO tasks (task_id, job_id, seq, firmware_id, iot_id, product_key, device_name, module_name,
                 src_version, dest_version, status, timeout_in_minutes, utc_create, utc_modified)
             SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM tasks WHERE job_id = $14",
        )
        .bind(&task_id)
        .bind(&job.job_id)
        .bind(&job.firmware_id)
        .bind(&task.iot_id)
        .bind(&job.product_key)
        .bind(device_name)
        .bind(&job.module_name)
        .bind(&task.src_version)
        .bind(&job.dest_version)
        .bind(task.status.as_str())
        .bind(job.timeout_in_minutes)
        .bind(now.millis())
        .bind(now.millis())
        .bind(&job.job_id)
        .execute(db)
        .await.map(|done| done.rows_affected())
        })?;
        tx.commit().await?;
        debug_assert!(task.status != TaskStatus::Failed);
        Ok(Some(task_id))
    }
}
