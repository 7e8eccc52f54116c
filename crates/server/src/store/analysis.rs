//! Reads for the data-analysis extensions: a batch's progress changes, the running batches,
//! failures by reason, tasks by source version. The counts come from the tables the triggers
//! of migration `20261127000001_analysis` keep; failures are counted from the FAILED tasks
//! themselves (through `tasks_by_job_status`: only the failed ones are read).

use ota_model::analysis::ProgressDelta;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{FailureCount, RunningJob, SourceVersionCount, TaskCounts};
use sqlx::FromRow;

use super::{Store, corrupt, time};

/// Which batches to count over: one, a package's, or all of the instance's.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Job(&'a str),
    Firmware(&'a str),
    Instance(&'a str),
}

impl<'a> Scope<'a> {
    /// The scope's batches, as an SQL condition on `jobs j` binding `?1`.
    fn condition(self) -> &'static str {
        match self {
            Scope::Job(_) => "j.job_id = ?1",
            Scope::Firmware(_) => "j.firmware_id = ?1",
            Scope::Instance(_) => "j.instance_id = ?1",
        }
    }

    fn id(self) -> &'a str {
        match self {
            Scope::Job(id) | Scope::Firmware(id) | Scope::Instance(id) => id,
        }
    }
}

#[derive(FromRow)]
struct RunningRow {
    total: i64,
    job_id: String,
    firmware_id: String,
    firmware_name: String,
    dest_version: String,
    product_key: String,
    job_status: String,
    job_type: String,
    utc_create: i64,
    utc_start: Option<i64>,
    status: Option<String>,
    count: Option<i64>,
}

impl RunningRow {
    fn into_job(self) -> Result<RunningJob, sqlx::Error> {
        Ok(RunningJob {
            job_status: self.job_status.parse().map_err(|_| corrupt("jobs.job_status", &self.job_status))?,
            job_type: self.job_type.parse().map_err(|_| corrupt("jobs.job_type", &self.job_type))?,
            utc_create: time("utc_create", self.utc_create)?,
            utc_start_time: self.utc_start.map(|t| time("utc_start", t)).transpose()?,
            job_id: self.job_id,
            firmware_id: self.firmware_id,
            firmware_name: self.firmware_name,
            dest_version: self.dest_version,
            product_key: self.product_key,
            counts: TaskCounts::default(),
        })
    }
}

impl Store {
    /// A batch's changes per bucket and state (`job_progress`), oldest first.
    pub async fn progress_deltas(&self, job_id: &str) -> Result<Vec<ProgressDelta>, sqlx::Error> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT bucket, status, delta FROM job_progress WHERE job_id = ? AND delta <> 0 ORDER BY bucket",
        )
        .bind(job_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(bucket, status, delta)| {
                let status = parse_status("job_progress.status", &status)?;
                Ok(ProgressDelta { bucket, status, delta })
            })
            .collect()
    }

    /// The instance's `PLANNED` and `IN_PROGRESS` batches, newest first, at most `limit`, with
    /// their counts; and how many there are in all.
    pub async fn running_jobs(&self, instance: &str, limit: u32) -> Result<(u64, Vec<RunningJob>), sqlx::Error> {
        // One statement, so that the total and the batches are of the same moment.
        let rows: Vec<RunningRow> = sqlx::query_as(
            "SELECT j.total, j.job_id, j.firmware_id, f.firmware_name, f.dest_version, j.product_key, j.job_status,
                    j.job_type, j.utc_create, j.utc_start, c.status, c.count
             FROM (SELECT *, count(*) OVER () AS total FROM jobs
                   WHERE instance_id = ? AND job_status IN ('PLANNED', 'IN_PROGRESS')
                   ORDER BY utc_create DESC, job_id LIMIT ?) j
             JOIN firmware f ON f.firmware_id = j.firmware_id
             LEFT JOIN job_task_counts c ON c.job_id = j.job_id
             ORDER BY j.utc_create DESC, j.job_id",
        )
        .bind(instance)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let total = rows.first().map_or(0, |row| row.total.max(0) as u64);
        let mut jobs: Vec<RunningJob> = Vec::new();
        for row in rows {
            let counted = row.status.clone().zip(row.count);
            if jobs.last().is_none_or(|job| job.job_id != row.job_id) {
                jobs.push(row.into_job()?);
            }
            if let (Some((status, count)), Some(job)) = (counted, jobs.last_mut()) {
                job.counts.add(parse_status("job_task_counts.status", &status)?, count.max(0) as u64);
            }
        }
        Ok((total, jobs))
    }

    /// FAILED tasks per batch and reason in `scope`, largest first (ties by batch, then reason).
    pub async fn failure_reasons(&self, scope: Scope<'_>) -> Result<Vec<FailureCount>, sqlx::Error> {
        let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(&format!(
            "SELECT t.job_id, j.firmware_id, t.reason_code, count(*) AS failed
             FROM jobs j JOIN tasks t ON t.job_id = j.job_id AND t.status = 'FAILED'
             WHERE {}
             GROUP BY t.job_id, t.reason_code
             ORDER BY failed DESC, t.job_id, t.reason_code",
            scope.condition()
        ))
        .bind(scope.id())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(job_id, firmware_id, reason, count)| FailureCount {
                job_id,
                firmware_id,
                // As in task lists: a code this server does not know is shown as none.
                reason_code: reason.and_then(|code| code.parse().ok()),
                count: count.max(0) as u64,
            })
            .collect())
    }

    /// Tasks in `scope` by the version their device started from, most tasks first (ties by
    /// version), from the counters.
    pub async fn source_versions(&self, scope: Scope<'_>) -> Result<Vec<SourceVersionCount>, sqlx::Error> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
            "SELECT c.src_version, c.status, sum(c.count)
             FROM jobs j JOIN job_source_counts c ON c.job_id = j.job_id
             WHERE {}
             GROUP BY c.src_version, c.status
             ORDER BY c.src_version",
            scope.condition()
        ))
        .bind(scope.id())
        .fetch_all(&self.pool)
        .await?;
        let mut versions: Vec<SourceVersionCount> = Vec::new();
        for (src_version, status, count) in rows {
            let status = parse_status("job_source_counts.status", &status)?;
            if versions.last().is_none_or(|v| v.src_version != src_version) {
                versions.push(SourceVersionCount { src_version, counts: TaskCounts::default() });
            }
            if let Some(version) = versions.last_mut() {
                version.counts.add(status, count.max(0) as u64);
            }
        }
        versions.retain(|v| v.counts.total > 0);
        // Stable: versions of equal size stay in version order.
        versions.sort_by_key(|v| std::cmp::Reverse(v.counts.total));
        Ok(versions)
    }
}

fn parse_status(column: &str, status: &str) -> Result<TaskStatus, sqlx::Error> {
    status.parse().map_err(|_| corrupt(column, status))
}
