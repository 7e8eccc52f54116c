//! Packages created, edited, deleted and verified: the writes, each in one transaction.

use ota_model::firmware::edit::ModifyOTAFirmware;
use ota_model::{FirmwareStatus, UtcTime};

use super::{FirmwareChange, MAX_PACKAGES, NewFirmware};
use crate::store::Store;
use crate::store::Tx;
use crate::store::db::on;
use crate::store::uploads::claim_upload;

impl Store {
    /// Adds a package and ties its uploads to it, within the instance's limit.
    pub async fn create_firmware(&self, instance: &str, firmware: &NewFirmware) -> Result<FirmwareChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        let (count, taken): (i64, i64) = on!(tx, |db| sqlx::query_as(
            "SELECT count(*), count(*) FILTER (WHERE firmware_name = $1) FROM firmware WHERE instance_id = $2"
        )
        .bind(&firmware.firmware_name)
        .bind(instance)
        .fetch_one(db)
        .await)?;
        if taken > 0 {
            return Ok(FirmwareChange::NameTaken);
        }
        if count >= MAX_PACKAGES {
            return Ok(FirmwareChange::LimitReached);
        }
        if !insert_firmware(&mut tx, instance, firmware).await? {
            return Ok(FirmwareChange::FileGone);
        }
        tx.commit().await?;
        Ok(FirmwareChange::Done)
    }

    pub async fn modify_firmware(
        &self,
        instance: &str,
        edit: &ModifyOTAFirmware,
        now: UtcTime,
    ) -> Result<FirmwareChange, sqlx::Error> {
        let (firmware_id, product_key) = (&edit.firmware_id, &edit.product_key);
        let (name, desc, udi) =
            (edit.firmware_name.as_deref(), edit.firmware_desc.as_deref(), edit.firmware_udi.as_deref());
        let mut tx = self.begin().await?;
        let found: Option<(String,)> = on!(tx, |db| sqlx::query_as(
            "SELECT product_key FROM firmware WHERE instance_id = $1 AND firmware_id = $2"
        )
        .bind(instance)
        .bind(firmware_id)
        .fetch_optional(db)
        .await)?;
        match found {
            None => return Ok(FirmwareChange::NotFound),
            Some((owner,)) if &owner != product_key => return Ok(FirmwareChange::OtherProduct),
            Some(_) => {}
        }
        if let Some(name) = name {
            let (taken,): (i64,) = on!(tx, |db| sqlx::query_as(
                "SELECT count(*) FROM firmware WHERE instance_id = $1 AND firmware_name = $2 AND firmware_id <> $3",
            )
            .bind(instance)
            .bind(name)
            .bind(firmware_id)
            .fetch_one(db)
            .await)?;
            if taken > 0 {
                return Ok(FirmwareChange::NameTaken);
            }
        }
        on!(tx, |db| sqlx::query(
            "UPDATE firmware SET firmware_name = coalesce($1, firmware_name),
                                 firmware_desc = coalesce($2, firmware_desc),
                                 udi = coalesce($3, udi), utc_modified = $4
             WHERE firmware_id = $5",
        )
        .bind(name)
        .bind(desc)
        .bind(udi)
        .bind(now.millis())
        .bind(firmware_id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(FirmwareChange::Done)
    }

    /// Deletes a package with its finished batches and their tasks; its files are released
    /// to the purge. Refused while a batch of it is unfinished.
    pub async fn delete_firmware(
        &self,
        instance: &str,
        firmware_id: &str,
        now: UtcTime,
    ) -> Result<FirmwareChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        let found: Option<(i64,)> = on!(tx, |db| sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM firmware WHERE instance_id = $1 AND firmware_id = $2"
        )
        .bind(instance)
        .bind(firmware_id)
        .fetch_optional(db)
        .await)?;
        if found.is_none() {
            return Ok(FirmwareChange::NotFound);
        }
        let (running,): (i64,) = on!(tx, |db| sqlx::query_as(
            "SELECT count(*) FROM jobs WHERE firmware_id = $1 AND job_status IN ('PLANNED', 'IN_PROGRESS')",
        )
        .bind(firmware_id)
        .fetch_one(db)
        .await)?;
        let (unfinished,): (i64,) = on!(tx, |db| sqlx::query_as(
            "SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM firmware_task_counts
             WHERE firmware_id = $1 AND status IN ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS')",
        )
        .bind(firmware_id)
        .fetch_one(db)
        .await)?;
        if running > 0 || unfinished > 0 {
            return Ok(FirmwareChange::InUse);
        }
        for statement in [
            "DELETE FROM tasks WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_task_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_task_blocks WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_progress WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_source_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_failure_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM job_wave_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = $1)",
            "DELETE FROM jobs WHERE firmware_id = $1",
            "DELETE FROM firmware_task_counts WHERE firmware_id = $1",
            "UPDATE uploads SET used_by = NULL, utc_expire = $2 WHERE used_by = $1",
            "DELETE FROM firmware WHERE firmware_id = $1",
        ] {
            on!(tx, |db| sqlx::query(statement)
                .bind(firmware_id)
                .bind(now.millis())
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(FirmwareChange::Done)
    }
}

/// Adds a package and claims its uploads; false (and the caller rolls back) when one is gone.
pub async fn insert_firmware(db: &mut Tx, instance: &str, firmware: &NewFirmware) -> Result<bool, sqlx::Error> {
    let status = if firmware.need_to_verify { FirmwareStatus::Unverified } else { FirmwareStatus::NotRequired };
    on!(db, |db| sqlx::query(
        "INSERT INTO firmware (firmware_id, instance_id, product_key, module_name, firmware_name, firmware_desc,
             dest_version, src_version, firmware_type, sign_method, firmware_sign, firmware_size,
             file_key, udi, need_to_verify, status, verify_progress, utc_create, utc_modified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, $17, $18)",
    )
    .bind(&firmware.firmware_id)
    .bind(instance)
    .bind(&firmware.product_key)
    .bind(&firmware.module_name)
    .bind(&firmware.firmware_name)
    .bind(&firmware.firmware_desc)
    .bind(&firmware.dest_version)
    .bind(&firmware.src_version)
    .bind(firmware.firmware_type.code())
    .bind(firmware.sign_method.as_str())
    .bind(&firmware.firmware_sign)
    .bind(i64::try_from(firmware.firmware_size).unwrap_or(i64::MAX))
    .bind(&firmware.file_key)
    .bind(&firmware.udi)
    .bind(firmware.need_to_verify)
    .bind(status.code())
    .bind(firmware.created.millis())
    .bind(firmware.created.millis())
    .execute(db)
    .await
    .map(|done| done.rows_affected()))?;
    if let Some(key) = &firmware.file_key
        && !claim_upload(db, key, &firmware.firmware_id).await?
    {
        return Ok(false);
    }
    for (position, file) in firmware.files.iter().enumerate() {
        on!(db, |db| sqlx::query(
            "INSERT INTO firmware_files (firmware_id, position, name, file_key, size, sign_value, file_md5)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&firmware.firmware_id)
        .bind(position as i64)
        .bind(&file.name)
        .bind(&file.file_key)
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(&file.sign_value)
        .bind(&file.file_md5)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        if !claim_upload(db, &file.file_key, &firmware.firmware_id).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Sets a package's verification state (CreateOTAVerifyJob, and the end of verification).
pub async fn set_firmware_status(
    db: &mut Tx,
    firmware_id: &str,
    status: FirmwareStatus,
    progress: u8,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "UPDATE firmware SET status = $1, verify_progress = $2, utc_modified = $3 WHERE firmware_id = $4"
    )
    .bind(status.code())
    .bind(i64::from(progress))
    .bind(now.millis())
    .bind(firmware_id)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .map(drop)
}
