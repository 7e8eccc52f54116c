//! What a device is sent for a task: the package's files, where to fetch them, the batch's
//! tags.

use sqlx::FromRow;

use super::Store;
use crate::store::db::on;

/// What a device is sent for a task: the package, where to fetch it, the batch's tags.
#[derive(Debug, Clone, FromRow)]
pub struct Delivery {
    pub job_id: String,
    pub product_key: String,
    pub device_name: String,
    pub module_name: String,
    pub dest_version: String,
    pub firmware_type: i64,
    pub sign_method: String,
    pub firmware_sign: String,
    pub firmware_size: i64,
    /// The package's file; a multi-file package's first file.
    pub file_key: Option<String>,
    pub udi: Option<String>,
    #[sqlx(skip)]
    pub tags: Vec<(String, String)>,
    /// A multi-file package's files: name, file key, size, signature.
    #[sqlx(skip)]
    pub files: Vec<(String, String, i64, String)>,
}

impl Store {
    pub async fn delivery(&self, task_id: &str) -> Result<Option<Delivery>, sqlx::Error> {
        let mut conn = self.read().await?;
        let found: Option<Delivery> = on!(conn, |db| {
            sqlx::query_as(
            "SELECT t.job_id, t.product_key, t.device_name, t.module_name, f.dest_version, f.firmware_type, f.sign_method,
                    coalesce((SELECT sign_value FROM firmware_files x WHERE x.firmware_id = f.firmware_id
                              AND f.file_key IS NULL ORDER BY position LIMIT 1), f.firmware_sign) AS firmware_sign,
                    coalesce((SELECT size FROM firmware_files x WHERE x.firmware_id = f.firmware_id
                              AND f.file_key IS NULL ORDER BY position LIMIT 1), f.firmware_size) AS firmware_size,
                    coalesce(f.file_key, (SELECT file_key FROM firmware_files x WHERE x.firmware_id = f.firmware_id
                              ORDER BY position LIMIT 1)) AS file_key,
                    f.udi
             FROM tasks t JOIN firmware f ON f.firmware_id = t.firmware_id WHERE t.task_id = $1",
        )
        .bind(task_id)
        .fetch_optional(db)
        .await
        })?;
        let Some(mut delivery) = found else { return Ok(None) };
        delivery.tags = on!(conn, |db| sqlx::query_as(
            "SELECT g.tag_key, g.value FROM job_tags g JOIN tasks t ON t.job_id = g.job_id
             WHERE t.task_id = $1 ORDER BY g.position",
        )
        .bind(task_id)
        .fetch_all(db)
        .await)?;
        delivery.files = on!(conn, |db| sqlx::query_as(
            "SELECT x.name, x.file_key, x.size, x.sign_value FROM firmware_files x
             JOIN tasks t ON t.firmware_id = x.firmware_id WHERE t.task_id = $1 ORDER BY x.position",
        )
        .bind(task_id)
        .fetch_all(db)
        .await)?;
        Ok(Some(delivery))
    }
}
