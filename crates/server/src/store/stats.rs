//! Counts and distributions, for the extensions.

use ota_model::enums::TaskStatus;
use ota_model::extensions::{Overview, TaskCounts, VersionCount, VersionCountList, VersionDistribution};

use super::{Store, corrupt};

impl Store {
    /// An instance's headline numbers. Batches are few, so they are counted as they are;
    /// unfinished tasks come from the running batches' counters.
    pub async fn overview(&self, instance_id: &str) -> Result<Overview, sqlx::Error> {
        let (firmware_count, jobs_planned, jobs_in_progress, unfinished_tasks): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM firmware WHERE instance_id = ?1),
                    (SELECT count(*) FROM jobs WHERE instance_id = ?1 AND job_status = 'PLANNED'),
                    (SELECT count(*) FROM jobs WHERE instance_id = ?1 AND job_status = 'IN_PROGRESS'),
                    (SELECT coalesce(sum(c.count), 0) FROM jobs j JOIN job_task_counts c ON c.job_id = j.job_id
                     WHERE j.instance_id = ?1 AND j.job_status IN ('PLANNED', 'IN_PROGRESS')
                       AND c.status IN ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'))",
        )
        .bind(instance_id)
        .fetch_one(&self.pool)
        .await?;
        let count = |n: i64| n.max(0) as u64;
        Ok(Overview {
            firmware_count: count(firmware_count),
            jobs_planned: count(jobs_planned),
            jobs_in_progress: count(jobs_in_progress),
            unfinished_tasks: count(unfinished_tasks),
        })
    }

    /// Task counts of a batch or of a package (from the counters: no scan).
    pub async fn task_counts(
        &self,
        job_id: Option<&str>,
        firmware_id: Option<&str>,
    ) -> Result<TaskCounts, sqlx::Error> {
        let rows: Vec<(String, i64)> = match (job_id, firmware_id) {
            (Some(job), _) => sqlx::query_as("SELECT status, count FROM job_task_counts WHERE job_id = ?").bind(job),
            (None, firmware) => {
                sqlx::query_as("SELECT status, count FROM firmware_task_counts WHERE firmware_id = ?").bind(firmware)
            }
        }
        .fetch_all(&self.pool)
        .await?;
        let mut counts = TaskCounts::default();
        for (status, count) in rows {
            let status: TaskStatus = status.parse().map_err(|_| corrupt("task counts status", &status))?;
            counts.add(status, count.max(0) as u64);
        }
        Ok(counts)
    }

    /// How a product's devices spread over the versions of a module.
    pub async fn version_distribution(
        &self,
        product_key: &str,
        module: &str,
        top: u32,
    ) -> Result<VersionDistribution, sqlx::Error> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT version, count(*) AS devices FROM device_modules WHERE product_key = ? AND module_name = ?
             GROUP BY version ORDER BY devices DESC, version",
        )
        .bind(product_key)
        .bind(module)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = rows.iter().map(|(_, n)| n).sum();
        let (shown, others) = rows.split_at(rows.len().min(top as usize));
        Ok(VersionDistribution {
            product_key: product_key.to_owned(),
            module_name: module.to_owned(),
            total: total.max(0) as u64,
            versions: VersionCountList {
                items: shown
                    .iter()
                    .map(|(version, n)| VersionCount { version: version.clone(), device_count: (*n).max(0) as u64 })
                    .collect(),
            },
            others_count: others.iter().map(|(_, n)| (*n).max(0) as u64).sum(),
            others_version_count: others.len() as u64,
        })
    }
}
