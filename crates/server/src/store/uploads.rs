//! Upload grants and the files uploaded through them.

use ota_model::UtcTime;
use sqlx::FromRow;

use super::Store;
use crate::files::StoredFile;
use crate::store::Tx;
use crate::store::db::on;

/// What a file is for, which decides its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Firmware,
    DeviceList,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Firmware => "firmware",
            Self::DeviceList => "device-list",
        }
    }
}

/// An upload as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Upload {
    pub file_key: String,
    pub instance_id: String,
    pub purpose: String,
    pub state: String,
    pub size: Option<i64>,
    pub md5: Option<String>,
    pub sha256: Option<String>,
    pub used_by: Option<String>,
    pub utc_expire: i64,
    /// The object holding the file, when not named by the key.
    pub stored_as: Option<String>,
}

impl Upload {
    pub fn purpose(&self) -> Purpose {
        if self.purpose == "device-list" { Purpose::DeviceList } else { Purpose::Firmware }
    }

    /// The stored file, once the upload completed.
    pub fn stored(&self) -> Option<StoredFile> {
        match (self.state.as_str(), self.size, &self.md5, &self.sha256) {
            ("stored", Some(size), Some(md5), Some(sha256)) => Some(StoredFile {
                size: size.max(0) as u64,
                md5: md5.clone(),
                sha256: sha256.clone(),
                object: self.stored_as.clone().unwrap_or_else(|| self.file_key.clone()),
            }),
            _ => None,
        }
    }
}

/// How long a grant waits for its upload, and a stored file for the package or batch that
/// uses it, before both are purged.
pub const GRANT_LIFETIME_MS: i64 = 10 * 60_000;
pub const UNUSED_FILE_LIFETIME_MS: i64 = 60 * 60_000;

impl Store {
    /// Grants an upload, unless the instance has `most` grants open already (false).
    pub async fn grant_upload(
        &self,
        instance: &str,
        file_key: &str,
        purpose: Purpose,
        suffix: &str,
        most: u64,
        now: UtcTime,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let (open,): (i64,) = on!(tx, |db| sqlx::query_as(
            "SELECT count(*) FROM uploads WHERE instance_id = $1 AND state = 'granted' AND utc_expire >= $2",
        )
        .bind(instance)
        .bind(now.millis())
        .fetch_one(db)
        .await)?;
        if u64::try_from(open).unwrap_or(0) >= most {
            return Ok(false);
        }
        on!(tx, |db| sqlx::query(
            "INSERT INTO uploads (file_key, instance_id, purpose, suffix, state, utc_create, utc_expire)
             VALUES ($1, $2, $3, $4, 'granted', $5, $6)",
        )
        .bind(file_key)
        .bind(instance)
        .bind(purpose.as_str())
        .bind(suffix)
        .bind(now.millis())
        .bind(now.millis() + GRANT_LIFETIME_MS)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(true)
    }

    /// Bytes of the files an instance keeps (used or waiting to be).
    pub async fn stored_bytes(&self, instance: &str) -> Result<u64, sqlx::Error> {
        let (bytes,): (i64,) = on!(self.pool, |db| sqlx::query_as(
            "SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM uploads WHERE instance_id = $1 AND state = 'stored'"
        )
        .bind(instance)
        .fetch_one(db)
        .await)?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    pub async fn upload(&self, file_key: &str) -> Result<Option<Upload>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT file_key, instance_id, purpose, state, size, md5, sha256, used_by, utc_expire, stored_as
             FROM uploads WHERE file_key = $1",
        )
        .bind(file_key)
        .fetch_optional(db)
        .await)
    }

    /// Marks a granted upload complete; false if the grant is gone or was used already.
    pub async fn complete_upload(&self, file_key: &str, file: &StoredFile, now: UtcTime) -> Result<bool, sqlx::Error> {
        let updated = on!(self.pool, |db| sqlx::query(
            "UPDATE uploads SET state = 'stored', size = $1, md5 = $2, sha256 = $3, utc_expire = $4, stored_as = $5
             WHERE file_key = $6 AND state = 'granted'",
        )
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(&file.md5)
        .bind(&file.sha256)
        .bind(now.millis() + UNUSED_FILE_LIFETIME_MS)
        .bind(&file.object)
        .bind(file_key)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(updated == 1)
    }

    /// Uploads past their time and used by nothing: candidates for [`Store::forget_upload`].
    pub async fn expired_uploads(&self, now: UtcTime) -> Result<Vec<String>, sqlx::Error> {
        let keys: Vec<(String,)> = on!(self.pool, |db| sqlx::query_as(
            "SELECT file_key FROM uploads WHERE used_by IS NULL AND utc_expire < $1 LIMIT 1000"
        )
        .bind(now.millis())
        .fetch_all(db)
        .await)?;
        Ok(keys.into_iter().map(|(key,)| key).collect())
    }

    /// Forgets an expired upload that is still unclaimed; true when it did, and only then may
    /// its file be deleted (a package may have claimed it since it was listed).
    pub async fn forget_upload(&self, file_key: &str, now: UtcTime) -> Result<bool, sqlx::Error> {
        let forgotten = on!(self.pool, |db| sqlx::query(
            "DELETE FROM uploads WHERE file_key = $1 AND used_by IS NULL AND utc_expire < $2"
        )
        .bind(file_key)
        .bind(now.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(forgotten == 1)
    }
}

/// Ties a stored upload to what uses it, so that it never expires; false when it is not there
/// to claim (another package or batch claimed it first, or cleanup deleted it).
pub async fn claim_upload(db: &mut Tx, file_key: &str, user: &str) -> Result<bool, sqlx::Error> {
    let claimed = on!(db, |db| sqlx::query(
        "UPDATE uploads SET used_by = $1 WHERE file_key = $2 AND used_by IS NULL AND state = 'stored'"
    )
    .bind(user)
    .bind(file_key)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(claimed == 1)
}

/// Records a file that is stored already (the demo dataset's packages), for a package to claim.
pub async fn record_stored_upload(
    db: &mut Tx,
    instance: &str,
    file_key: &str,
    suffix: &str,
    file: &StoredFile,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "INSERT INTO uploads (file_key, instance_id, purpose, suffix, state, size, md5, sha256, utc_create, utc_expire, stored_as)
         VALUES ($1, $2, 'firmware', $3, 'stored', $4, $5, $6, $7, $8, $9)",
    )
    .bind(file_key)
    .bind(instance)
    .bind(suffix)
    .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
    .bind(&file.md5)
    .bind(&file.sha256)
    .bind(now.millis())
    .bind(now.millis() + UNUSED_FILE_LIFETIME_MS)
    .bind(&file.object)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .map(drop)
}
