//! `ota-server check`: whether every counter the triggers keep equals a count of what it
//! counts, and whether the one-unfinished-task-per-device-and-module rule holds. After a crash
//! this says the database came back whole; the fault campaign (`cargo xtask bench robustness`)
//! runs it after every kill.

use sqlx::Row;

use super::{Store, UNFINISHED};
use crate::store::db::on;

/// A counter table, the columns that name a row of it, and a recount of the same rows.
struct Counter {
    table: &'static str,
    kept: &'static str,
    recount: &'static str,
}

const COUNTERS: &[Counter] = &[
    Counter {
        table: "job_task_counts",
        kept: "SELECT job_id, status, count FROM job_task_counts WHERE count <> 0",
        recount: "SELECT job_id, status, count(*) FROM tasks GROUP BY job_id, status",
    },
    Counter {
        table: "firmware_task_counts",
        kept: "SELECT firmware_id, status, count FROM firmware_task_counts WHERE count <> 0",
        recount: "SELECT firmware_id, status, count(*) FROM tasks GROUP BY firmware_id, status",
    },
    Counter {
        table: "job_task_blocks",
        kept: "SELECT job_id, status, block, count FROM job_task_blocks WHERE count <> 0",
        recount: "SELECT job_id, status, (seq - 1) / 1024, count(*) FROM tasks GROUP BY job_id, status, (seq - 1) / 1024",
    },
    Counter {
        table: "job_source_counts",
        kept: "SELECT job_id, src_version, status, count FROM job_source_counts WHERE count <> 0",
        recount: "SELECT job_id, src_version, status, count(*) FROM tasks GROUP BY job_id, src_version, status",
    },
    Counter {
        table: "job_failure_counts",
        kept: "SELECT job_id, reason_code, count FROM job_failure_counts WHERE count <> 0",
        recount: "SELECT job_id, coalesce(reason_code, ''), count(*) FROM tasks WHERE status = 'FAILED'
                  GROUP BY job_id, coalesce(reason_code, '')",
    },
    Counter {
        table: "job_wave_counts",
        kept: "SELECT job_id, wave, status, count FROM job_wave_counts WHERE count <> 0",
        recount: "SELECT job_id, wave, status, count(*) FROM tasks WHERE wave IS NOT NULL GROUP BY job_id, wave, status",
    },
    Counter {
        // Summed over its time buckets, a batch's progress is its counts by state now.
        table: "job_progress",
        kept: "SELECT job_id, status, CAST(sum(delta) AS BIGINT) FROM job_progress GROUP BY job_id, status
               HAVING sum(delta) <> 0",
        recount: "SELECT job_id, status, count(*) FROM tasks GROUP BY job_id, status",
    },
    Counter {
        table: "module_version_counts",
        kept: "SELECT product_key, module_name, version, count FROM module_version_counts WHERE count <> 0",
        recount: "SELECT product_key, module_name, version, count(*) FROM device_modules
                  GROUP BY product_key, module_name, version",
    },
];

impl Store {
    /// What is wrong, a line each; empty when every counter is right and no device has two
    /// unfinished tasks for one module. Reads one consistent view, so it may run beside a
    /// server.
    pub async fn check(&self) -> Result<Vec<String>, sqlx::Error> {
        let mut tx = self.read().await?;
        let mut findings = Vec::new();
        for counter in COUNTERS {
            let (kept, recount) = (counter.kept, counter.recount);
            let sql = format!(
                "SELECT 'counts', * FROM ({kept} EXCEPT {recount}) AS k
                 UNION ALL SELECT 'finds', * FROM ({recount} EXCEPT {kept}) AS r"
            );
            for (label, values) in on!(tx, |db| sqlx::query(&sql).fetch_all(db).await.map(|rows| labelled(&rows)))? {
                findings.push(format!("{} {label}: {values}", counter.table));
            }
        }
        let doubled = format!(
            "SELECT 'doubled', product_key, device_name, module_name, count(*) FROM tasks WHERE status IN {UNFINISHED}
             GROUP BY iot_id, module_name, product_key, device_name HAVING count(*) > 1"
        );
        for (_, values) in on!(tx, |db| sqlx::query(&doubled).fetch_all(db).await.map(|rows| labelled(&rows)))? {
            findings.push(format!("unfinished tasks for one device and module: {values}"));
        }
        Ok(findings)
    }
}

/// Each row's label (its first value) and the rest of its values, as text.
fn labelled<R: Row>(rows: &[R]) -> Vec<(String, String)>
where
    usize: sqlx::ColumnIndex<R>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let text = |row: &R, i: usize| {
        row.try_get::<String, _>(i).or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string())).unwrap_or_default()
    };
    rows.iter().map(|row| (text(row, 0), (1..row.len()).map(|i| text(row, i)).collect::<Vec<_>>().join(" "))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_counter_that_strays_from_its_rows_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("ota.db").to_str().unwrap()).await.unwrap();
        let files = crate::files::FilesLocation::Directory(dir.path().join("files"));
        let files = crate::files::FileStore::open(&files).await.unwrap();
        let now = ota_model::UtcTime(chrono::Utc::now());
        store.upsert_instances(&[("iot-demo".to_owned(), "Demo".to_owned())], now).await.unwrap();
        crate::demo::seed(&store, &files, "iot-demo").await.unwrap();
        assert_eq!(store.check().await.unwrap(), Vec::<String>::new(), "the demo data is whole");

        on!(store.pool, |db| sqlx::query("UPDATE job_task_counts SET count = count + 1 WHERE (job_id, status) IN (SELECT job_id, status FROM job_task_counts WHERE count > 0 LIMIT 1)")
            .execute(db)
            .await.map(|done| done.rows_affected()))
            .unwrap();
        let findings = store.check().await.unwrap();
        assert!(findings.iter().any(|f| f.starts_with("job_task_counts counts")), "{findings:?}");
        assert!(findings.iter().any(|f| f.starts_with("job_task_counts finds")), "{findings:?}");
    }
}
