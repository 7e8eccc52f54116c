//! Counts and distributions, for the extensions.

use ota_model::enums::TaskStatus;
use ota_model::extensions::{Overview, TaskCounts, VersionCount, VersionCountList, VersionDistribution};

use super::{Store, corrupt};
use crate::store::db::on;

impl Store {
    /// An instance's headline numbers. Batches are few, so they are counted as they are;
    /// unfinished tasks come from the running batches' counters.
    pub async fn overview(&self, instance_id: &str) -> Result<Overview, sqlx::Error> {
        let (firmware_count, jobs_planned, jobs_in_progress, unfinished_tasks): (i64, i64, i64, i64) = on!(
            self.pool,
            |db| {
                sqlx::query_as(
                "SELECT (SELECT count(*) FROM firmware WHERE instance_id = $1),
                    (SELECT count(*) FROM jobs WHERE instance_id = $1 AND job_status = 'PLANNED'),
                    (SELECT count(*) FROM jobs WHERE instance_id = $1 AND job_status = 'IN_PROGRESS'),
                    (SELECT CAST(coalesce(sum(c.count), 0) AS BIGINT) FROM jobs j JOIN job_task_counts c ON c.job_id = j.job_id
                     WHERE j.instance_id = $1 AND j.job_status IN ('PLANNED', 'IN_PROGRESS')
                       AND c.status IN ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'))",
            )
            .bind(instance_id)
            .fetch_one(db)
            .await
            }
        )?;
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
        let rows: Vec<(String, i64)> = on!(self.pool, |db| match (job_id, firmware_id) {
            (Some(job), _) => sqlx::query_as("SELECT status, count FROM job_task_counts WHERE job_id = $1").bind(job),
            (None, firmware) => {
                sqlx::query_as("SELECT status, count FROM firmware_task_counts WHERE firmware_id = $1").bind(firmware)
            }
        }
        .fetch_all(db)
        .await)?;
        let mut counts = TaskCounts::default();
        for (status, count) in rows {
            let status: TaskStatus = status.parse().map_err(|_| corrupt("task counts status", &status))?;
            counts.add(status, count.max(0) as u64);
        }
        Ok(counts)
    }

    /// How a product's devices spread over the versions of a module (from the counters kept
    /// with every report: no scan of the devices).
    pub async fn version_distribution(
        &self,
        product_key: &str,
        module: &str,
        top: u32,
    ) -> Result<VersionDistribution, sqlx::Error> {
        let rows: Vec<(String, i64)> = on!(self.pool, |db| {
            sqlx::query_as(
            "SELECT version, count FROM module_version_counts WHERE product_key = $1 AND module_name = $2 AND count > 0
             ORDER BY count DESC, version",
        )
        .bind(product_key)
        .bind(module)
        .fetch_all(db)
        .await
        })?;
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

#[cfg(test)]
mod tests {
    use ota_model::UtcTime;
    use ota_model::registry::DeviceStatus;

    use super::*;
    use crate::store::registry::{NewDevice, insert_device, insert_product, set_module_version};

    /// The distribution counted from the devices themselves, largest first.
    async fn counted(store: &Store) -> Vec<(String, u64)> {
        let rows: Vec<(String, i64)> = on!(store.pool, |db| sqlx::query_as(
            "SELECT version, count(*) AS n FROM device_modules WHERE product_key = 'pk' AND module_name = 'default'
             GROUP BY version ORDER BY n DESC, version",
        )
        .fetch_all(db)
        .await)
        .unwrap();
        rows.into_iter().map(|(version, n)| (version, n as u64)).collect()
    }

    async fn shown(store: &Store) -> Vec<(String, u64)> {
        let distribution = store.version_distribution("pk", "default", 50).await.unwrap();
        distribution.versions.items.into_iter().map(|v| (v.version, v.device_count)).collect()
    }

    // The API cannot delete devices; the counters must still follow if anything does.
    #[tokio::test]
    async fn the_version_counters_follow_devices_that_report_and_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("ota.db").to_str().unwrap()).await.unwrap();
        let now = UtcTime(chrono::Utc::now());
        store.upsert_instances(&[("i".to_owned(), "I".to_owned())], now).await.unwrap();
        let mut db = store.begin().await.unwrap();
        insert_product(&mut db, "i", "pk", "Product", 0, None, now).await.unwrap();
        for n in 0..6 {
            let (iot_id, name) = (format!("d{n}"), format!("device-{n}"));
            let device = NewDevice {
                iot_id: iot_id.clone(),
                product_key: "pk",
                device_name: &name,
                device_secret: "secret".into(),
                nickname: None,
                status: DeviceStatus::Online,
            };
            insert_device(&mut db, &device, now).await.unwrap();
            let version = if n < 4 { "1.0" } else { "2.0" };
            set_module_version(&mut db, &iot_id, "pk", "default", version, now).await.unwrap();
        }
        db.commit().await.unwrap();
        assert_eq!(shown(&store).await, [("1.0".to_owned(), 4), ("2.0".to_owned(), 2)]);

        let mut db = store.begin().await.unwrap();
        set_module_version(&mut db, "d0", "pk", "default", "2.0", now).await.unwrap();
        set_module_version(&mut db, "d1", "pk", "default", "1.0", now).await.unwrap();
        for gone in
            ["DELETE FROM devices WHERE iot_id IN ('d2', 'd4')", "DELETE FROM device_modules WHERE iot_id = 'd5'"]
        {
            on!(db, |db| sqlx::query(gone).execute(db).await.map(|done| done.rows_affected())).unwrap();
        }
        db.commit().await.unwrap();
        assert_eq!(shown(&store).await, counted(&store).await);
        assert_eq!(shown(&store).await, [("1.0".to_owned(), 2), ("2.0".to_owned(), 1)]);

        on!(store.pool, |db| sqlx::query("DELETE FROM devices WHERE iot_id = 'd0'")
            .execute(db)
            .await
            .map(|done| done.rows_affected()))
        .unwrap();
        assert_eq!(shown(&store).await, [("1.0".to_owned(), 2)], "a version nobody runs is gone");
    }
}
