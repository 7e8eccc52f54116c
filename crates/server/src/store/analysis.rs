//! Reads for the data-analysis extensions: a batch's progress changes, the running batches,
//! failures by reason, tasks by source version. The counts come from the tables the triggers
//! of migrations `20261127000001_analysis` and `20261127000002_failure_counts` keep.

use std::collections::BTreeMap;

use ota_model::UtcTime;
use ota_model::analysis::{ProgressDelta, progress_interval};
use ota_model::enums::TaskStatus;
use ota_model::extensions::{FailureCount, RunningJob, SourceVersionCount, TaskCounts};
use ota_model::task::TaskReason;
use sqlx::FromRow;

use super::{Store, corrupt, time};
use crate::store::db::on;

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
            Scope::Job(_) => "j.job_id = $1",
            Scope::Firmware(_) => "j.firmware_id = $1",
            Scope::Instance(_) => "j.instance_id = $1",
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
    paused_at: Option<i64>,
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
            paused: self.paused_at.map(|_| true),
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
    /// A batch's changes summed per interval of [`progress_interval`] and state, for
    /// [`job_progress`](ota_model::analysis::job_progress) with the same `now` and `max_points`:
    /// at most `max_points` × 7 rows however many buckets the batch has. Each sum is stamped
    /// with its interval's start, which is before a point's end exactly when its buckets are.
    pub async fn progress_deltas(
        &self,
        job_id: &str,
        now: UtcTime,
        max_points: u32,
    ) -> Result<Vec<ProgressDelta>, sqlx::Error> {
        // A read transaction: the first bucket and the sums of one moment.
        let mut tx = self.read().await?;
        let first: Option<(i64,)> = on!(tx, |db| sqlx::query_as(
            "SELECT bucket FROM job_progress WHERE job_id = $1 AND delta <> 0 ORDER BY bucket LIMIT 1"
        )
        .bind(job_id)
        .fetch_optional(db)
        .await)?;
        let Some((first,)) = first else { return Ok(Vec::new()) };
        let rows: Vec<(i64, String, i64)> = on!(tx, |db| sqlx::query_as(
            "SELECT $2 + ((bucket - $2) / $3) * $3 AS slot, status, CAST(sum(delta) AS BIGINT)
             FROM job_progress WHERE job_id = $1 AND delta <> 0
             GROUP BY slot, status",
        )
        .bind(job_id)
        .bind(first)
        .bind(progress_interval(first, now, max_points))
        .fetch_all(db)
        .await)?;
        tx.commit().await?;
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
        let rows: Vec<RunningRow> = on!(self.pool, |db| sqlx::query_as(
            "SELECT j.total, j.job_id, j.firmware_id, f.firmware_name, f.dest_version, j.product_key, j.job_status,
                    j.job_type, j.utc_create, j.utc_start, j.paused_at, c.status, c.count
             FROM (SELECT *, count(*) OVER () AS total FROM jobs
                   WHERE instance_id = $1 AND job_status IN ('PLANNED', 'IN_PROGRESS')
                   ORDER BY utc_create DESC, job_id LIMIT $2) j
             JOIN firmware f ON f.firmware_id = j.firmware_id
             LEFT JOIN job_task_counts c ON c.job_id = j.job_id
             ORDER BY j.utc_create DESC, j.job_id",
        )
        .bind(instance)
        .bind(i64::from(limit))
        .fetch_all(db)
        .await)?;
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

    /// FAILED tasks per batch and reason in `scope`, largest first (ties by batch, then reason),
    /// from the counters.
    pub async fn failure_reasons(&self, scope: Scope<'_>) -> Result<Vec<FailureCount>, sqlx::Error> {
        let rows: Vec<(String, String, String, i64)> = on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT c.job_id, j.firmware_id, c.reason_code, c.count
             FROM jobs j JOIN job_failure_counts c ON c.job_id = j.job_id
             WHERE {} AND c.count > 0",
            scope.condition()
        ))
        .bind(scope.id())
        .fetch_all(db)
        .await)?;
        Ok(merged_failures(rows))
    }

    /// Tasks in `scope` by the version their device started from, most tasks first (ties by
    /// version), from the counters.
    pub async fn source_versions(&self, scope: Scope<'_>) -> Result<Vec<SourceVersionCount>, sqlx::Error> {
        let rows: Vec<(String, String, i64)> = on!(self.pool, |db| sqlx::query_as(&format!(
            "SELECT c.src_version, c.status, CAST(sum(c.count) AS BIGINT)
             FROM jobs j JOIN job_source_counts c ON c.job_id = j.job_id
             WHERE {}
             GROUP BY c.src_version, c.status
             ORDER BY c.src_version",
            scope.condition()
        ))
        .bind(scope.id())
        .fetch_all(db)
        .await)?;
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

/// Counted (batch, package, reason code, count) rows as the answer's failures: as in task
/// lists, a code this server does not know is shown as none, so its failures join the batch's
/// failures without a reason (one row per batch and reason shown).
fn merged_failures(rows: Vec<(String, String, String, i64)>) -> Vec<FailureCount> {
    let mut merged: BTreeMap<(String, Option<TaskReason>), (String, u64)> = BTreeMap::new();
    for (job_id, firmware_id, code, count) in rows {
        let entry = merged.entry((job_id, code.parse().ok())).or_insert((firmware_id, 0));
        entry.1 += count.max(0) as u64;
    }
    let mut failures: Vec<FailureCount> = merged
        .into_iter()
        .map(|((job_id, reason_code), (firmware_id, count))| FailureCount { job_id, firmware_id, reason_code, count })
        .collect();
    // None before any code, as NULL sorted before the codes when the tasks were counted.
    failures.sort_by(|a, b| {
        let reason = |f: &FailureCount| f.reason_code.map(TaskReason::as_str);
        b.count.cmp(&a.count).then_with(|| a.job_id.cmp(&b.job_id)).then_with(|| reason(a).cmp(&reason(b)))
    });
    failures
}

fn parse_status(column: &str, status: &str) -> Result<TaskStatus, sqlx::Error> {
    status.parse().map_err(|_| corrupt(column, status))
}

#[cfg(test)]
mod tests {
    use ota_model::analysis::{PROGRESS_BUCKET_MILLIS, job_progress};

    use super::*;
    use crate::loadtest;

    async fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("ota.db").to_str().unwrap()).await.unwrap();
        store.upsert_instances(&[("i".to_owned(), "I".to_owned())], UtcTime(chrono::Utc::now())).await.unwrap();
        (dir, store)
    }

    const FIRST: i64 = 1_800_000_000_000;
    const BUCKETS: i64 = 3000;

    /// A batch's changes over 3,000 buckets at a pace that varies: tasks arriving, starting,
    /// ending; before them a bucket whose changes cancelled out.
    async fn spread_changes(store: &Store) {
        let mut rows = vec![serde_json::json!([FIRST - 5 * PROGRESS_BUCKET_MILLIS, "QUEUED", 0])];
        for i in 0..BUCKETS {
            let bucket = FIRST + i * PROGRESS_BUCKET_MILLIS;
            let (arrived, started, ended) = (i % 5, i % 3, (i * 7) % 4);
            let ended_as = if i % 2 == 0 { "SUCCEEDED" } else { "FAILED" };
            for (status, delta) in [("QUEUED", arrived - started), ("IN_PROGRESS", started - ended), (ended_as, ended)]
            {
                rows.push(serde_json::json!([bucket, status, delta]));
            }
        }
        on!(store.pool, |db| sqlx::query(
            "INSERT INTO job_progress (job_id, bucket, status, delta)
             SELECT 'spread', value ->> 0, value ->> 1, value ->> 2 FROM json_each($1)",
        )
        .bind(serde_json::Value::Array(rows).to_string())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
    }

    /// Every bucket's changes, as they were read before the sums moved into SQL.
    async fn every_bucket(store: &Store) -> Vec<ProgressDelta> {
        let rows: Vec<(i64, String, i64)> = on!(store.pool, |db| sqlx::query_as(
            "SELECT bucket, status, delta FROM job_progress WHERE job_id = 'spread' AND delta <> 0"
        )
        .fetch_all(db)
        .await)
        .unwrap();
        rows.into_iter()
            .map(|(bucket, status, delta)| ProgressDelta { bucket, status: status.parse().unwrap(), delta })
            .collect()
    }

    #[tokio::test]
    async fn progress_summed_per_interval_in_sql_gives_the_points_of_every_bucket() {
        let (_dir, store) = open().await;
        spread_changes(&store).await;
        let raw = every_bucket(&store).await;
        let bucket = |n: i64| UtcTime::from_millis(FIRST + n * PROGRESS_BUCKET_MILLIS).unwrap();
        // Mid-way (later changes stamped after now), just after the last change, and long after.
        for now in [bucket(1000), bucket(BUCKETS), bucket(40 * BUCKETS + 3)] {
            for max_points in [1, 2, 7, 240, 1000] {
                let summed = store.progress_deltas("spread", now, max_points).await.unwrap();
                if now >= bucket(BUCKETS) {
                    assert!(summed.len() <= 7 * max_points as usize, "{} rows for {max_points} points", summed.len());
                }
                let expected = job_progress("spread", raw.clone(), now, max_points);
                assert_eq!(job_progress("spread", summed, now, max_points), expected, "{now:?}, {max_points} points");
            }
        }
        assert_eq!(store.progress_deltas("nothing", bucket(0), 240).await.unwrap(), []);
    }

    /// The counters as (batch, reason code, count), and the FAILED tasks counted one by one.
    async fn counters_and_tasks(store: &Store) -> (Vec<(String, String, i64)>, Vec<(String, String, i64)>) {
        let counters = on!(store.pool, |db| sqlx::query_as(
            "SELECT job_id, reason_code, count FROM job_failure_counts ORDER BY 1, 2"
        )
        .fetch_all(db)
        .await)
        .unwrap();
        let tasks = on!(store.pool, |db| sqlx::query_as(
            "SELECT job_id, coalesce(reason_code, ''), count(*) FROM tasks WHERE status = 'FAILED'
             GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .fetch_all(db)
        .await)
        .unwrap();
        (counters, tasks)
    }

    async fn tasks_failed(store: &Store) -> i64 {
        let (n,): (i64,) = on!(store.pool, |db| sqlx::query_as("SELECT count(*) FROM tasks WHERE status = 'FAILED'")
            .fetch_one(db)
            .await)
        .unwrap();
        n
    }

    #[tokio::test]
    async fn failures_are_counted_through_every_change_of_a_task() {
        let (_dir, store) = open().await;
        let fleet = loadtest::seed(&store, "i", 40, 600).await.unwrap();
        let (counters, tasks) = counters_and_tasks(&store).await;
        assert!(counters.len() > 90, "three reasons in each of 31 batches: {}", counters.len());
        assert_eq!(counters, tasks);
        for change in [
            "UPDATE tasks SET status = 'QUEUED', reason_code = NULL WHERE status = 'FAILED' AND seq % 3 = 0",
            "UPDATE tasks SET status = 'FAILED', reason_code = NULL WHERE status = 'NOTIFIED'",
            "UPDATE tasks SET reason_code = 'FROM_A_NEWER_SERVER' WHERE reason_code = 'TIMEOUT' AND seq % 2 = 0",
            "UPDATE tasks SET reason_code = 'TIMEOUT' WHERE status = 'FAILED' AND reason_code = 'VERSION_MISMATCH'",
            "UPDATE tasks SET progress = 50 WHERE status = 'FAILED'",
            // The engine's shape: many tasks in one UPDATE … FROM json_each.
            "UPDATE tasks SET status = c.value ->> 'status', reason_code = c.value ->> 'reason_code'
             FROM json_each('[{\"status\": \"FAILED\", \"reason_code\": \"FLASH_FAILED\"}]') c
             WHERE tasks.status = 'IN_PROGRESS'",
        ] {
            on!(store.pool, |db| sqlx::query(change).execute(db).await.map(|done| done.rows_affected())).unwrap();
            let (counters, tasks) = counters_and_tasks(&store).await;
            assert_eq!(counters, tasks, "{change}");
        }

        // The unknown code and none are one row per batch, largest first.
        let answer = store.failure_reasons(Scope::Instance("i")).await.unwrap();
        assert_eq!(answer.iter().map(|f| f.count).sum::<u64>(), tasks_failed(&store).await as u64);
        let mut keys: Vec<_> = answer.iter().map(|f| (f.job_id.as_str(), f.reason_code)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), answer.len(), "one row per batch and reason: {answer:?}");
        assert!(answer.windows(2).all(|w| w[0].count >= w[1].count));
        let of_job = store.failure_reasons(Scope::Job(&fleet.job_id)).await.unwrap();
        assert_eq!(of_job.iter().filter(|f| f.reason_code.is_none()).count(), 1, "{of_job:?}");
    }

    #[test]
    fn codes_shown_as_none_join_none_and_ties_go_by_batch_then_reason() {
        let row = |job: &str, code: &str, n| (job.to_owned(), "f".to_owned(), code.to_owned(), n);
        let rows = vec![row("j2", "TIMEOUT", 5), row("j1", "", 2), row("j1", "TIMEOUT", 5), row("j1", "NEWER", 3)];
        let shown: Vec<_> = merged_failures(rows).into_iter().map(|f| (f.job_id, f.reason_code, f.count)).collect();
        let timeout = Some(TaskReason::Timeout);
        assert_eq!(shown, [("j1".into(), None, 5), ("j1".into(), timeout, 5), ("j2".into(), timeout, 5)]);
    }
}
