//! Instances: configured at start, one row each so that everything else can refer to them.

use ota_model::UtcTime;

use super::Store;
use crate::store::db::on;

impl Store {
    /// Makes sure each configured instance exists, with its current name.
    pub async fn upsert_instances(&self, instances: &[(String, String)], now: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        for (id, name) in instances {
            on!(tx, |db| sqlx::query(
                "INSERT INTO instances (instance_id, name, utc_create) VALUES ($1, $2, $3)
                 ON CONFLICT (instance_id) DO UPDATE SET name = excluded.name",
            )
            .bind(id)
            .bind(name)
            .bind(now.millis())
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        }
        tx.commit().await
    }
}
