//! Update packages.

use ota_model::firmware::edit::ModifyOTAFirmware;
use ota_model::firmware::{FirmwareFile, FirmwareInfo, ListOTAFirmware, SimpleFirmwareInfo};
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sqlx::{FromRow, SqliteConnection};

use super::uploads::claim_upload;
use super::{Store, corrupt, time};

/// Packages an instance may hold.
pub const MAX_PACKAGES: i64 = 500;

/// A package to add. Its files are uploads already stored.
#[derive(Debug, Clone)]
pub struct NewFirmware {
    pub firmware_id: String,
    pub product_key: String,
    pub module_name: String,
    pub firmware_name: String,
    pub firmware_desc: Option<String>,
    pub dest_version: String,
    pub src_version: Option<String>,
    pub firmware_type: FirmwareType,
    pub sign_method: SignMethod,
    pub firmware_sign: String,
    pub firmware_size: u64,
    /// Single-file packages.
    pub file_key: Option<String>,
    pub files: Vec<NewFirmwareFile>,
    pub udi: Option<String>,
    pub need_to_verify: bool,
    pub created: UtcTime,
}

#[derive(Debug, Clone)]
pub struct NewFirmwareFile {
    pub name: String,
    pub file_key: String,
    pub size: u64,
    pub sign_value: String,
    pub file_md5: String,
}

/// What batches need to know of a package.
#[derive(Debug, Clone, FromRow)]
pub struct Firmware {
    pub firmware_id: String,
    pub product_key: String,
    pub module_name: String,
    pub firmware_name: String,
    pub dest_version: String,
    pub src_version: Option<String>,
    pub firmware_type: i64,
    pub status: i64,
    pub firmware_size: i64,
}

impl Firmware {
    pub fn firmware_type(&self) -> FirmwareType {
        FirmwareType::from_code(self.firmware_type).unwrap_or(FirmwareType::Full)
    }

    pub fn status(&self) -> FirmwareStatus {
        FirmwareStatus::from_code(self.status).unwrap_or(FirmwareStatus::Unverified)
    }
}

/// How a change to a package ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirmwareChange {
    Done,
    NotFound,
    /// The package belongs to another product than the one named.
    OtherProduct,
    NameTaken,
    /// An unfinished batch uses the package.
    InUse,
    /// The instance holds its 500 packages already.
    LimitReached,
    /// An uploaded file the package names was claimed by another package, or expired, meanwhile.
    FileGone,
}

#[derive(FromRow)]
struct FirmwareRow {
    firmware_id: String,
    product_key: String,
    product_name: String,
    module_name: String,
    firmware_name: String,
    firmware_desc: Option<String>,
    dest_version: String,
    src_version: Option<String>,
    firmware_type: i64,
    sign_method: String,
    firmware_sign: String,
    firmware_size: i64,
    file_key: Option<String>,
    udi: Option<String>,
    status: i64,
    verify_progress: i64,
    utc_create: i64,
    utc_modified: i64,
}

const SELECT_FIRMWARE: &str = "
    SELECT f.firmware_id, f.product_key, p.product_name, f.module_name, f.firmware_name,
           f.firmware_desc, f.dest_version, f.src_version, f.firmware_type, f.sign_method,
           f.firmware_sign, f.firmware_size, f.file_key, f.udi, f.status, f.verify_progress,
           f.utc_create, f.utc_modified
    FROM firmware f JOIN products p ON p.product_key = f.product_key";

/// The list filters, shared by the count and the page query. `?1` instance, `?2` product,
/// `?3` exact version, `?4` keyword (the extension): found in the name, ID or either version.
const LIST_FILTER: &str = "
    WHERE f.instance_id = ?1
      AND (?2 IS NULL OR f.product_key = ?2)
      AND (?3 IS NULL OR f.dest_version = ?3)
      AND (?4 IS NULL
           OR instr(lower(f.firmware_name), lower(?4)) > 0
           OR instr(lower(f.firmware_id), lower(?4)) > 0
           OR instr(lower(f.dest_version), lower(?4)) > 0
           OR instr(lower(coalesce(f.src_version, '')), lower(?4)) > 0)";

impl Store {
    /// One page of packages matching `request`, newest first, and how many match in all.
    pub async fn list_firmware(
        &self,
        instance: &str,
        request: &ListOTAFirmware,
    ) -> Result<(u64, Vec<SimpleFirmwareInfo>), sqlx::Error> {
        // One read transaction, so that the count and the page see the same data.
        let mut tx = self.read().await?;
        let (total,): (i64,) = sqlx::query_as(&format!("SELECT count(*) FROM firmware f {LIST_FILTER}"))
            .bind(instance)
            .bind(&request.product_key)
            .bind(&request.dest_version)
            .bind(&request.keyword)
            .fetch_one(&mut *tx)
            .await?;
        let rows: Vec<FirmwareRow> = sqlx::query_as(&format!(
            "{SELECT_FIRMWARE} {LIST_FILTER} ORDER BY f.utc_create DESC, f.firmware_id LIMIT ?5 OFFSET ?6"
        ))
        .bind(instance)
        .bind(&request.product_key)
        .bind(&request.dest_version)
        .bind(&request.keyword)
        .bind(i64::from(request.page.page_size))
        .bind(i64::try_from(request.page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let items = rows.into_iter().map(FirmwareRow::into_summary).collect::<Result<_, _>>()?;
        Ok((total.max(0) as u64, items))
    }

    /// One package in full, its files' download URLs made by `url` from their keys.
    pub async fn query_firmware(
        &self,
        instance: &str,
        firmware_id: &str,
        url: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<Option<FirmwareInfo>, sqlx::Error> {
        let row: Option<FirmwareRow> =
            sqlx::query_as(&format!("{SELECT_FIRMWARE} WHERE f.instance_id = ? AND f.firmware_id = ?"))
                .bind(instance)
                .bind(firmware_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let files: Vec<(String, String, i64, String, String)> = sqlx::query_as(
            "SELECT name, file_key, size, sign_value, file_md5 FROM firmware_files WHERE firmware_id = ? ORDER BY position",
        )
        .bind(firmware_id)
        .fetch_all(&self.pool)
        .await?;
        let firmware_url = row.file_key.as_deref().map(url);
        let udi = row.udi.clone();
        let verify_progress =
            u8::try_from(row.verify_progress).map_err(|_| corrupt("verify_progress", row.verify_progress))?;
        Ok(Some(FirmwareInfo {
            summary: row.into_summary()?,
            firmware_url,
            multi_files: files
                .into_iter()
                .map(|(name, key, size, sign_value, file_md5)| FirmwareFile {
                    name,
                    url: url(&key),
                    size: size.max(0) as u64,
                    sign_value,
                    file_md5,
                })
                .collect(),
            udi,
            verify_progress,
        }))
    }

    /// What batches need of a package.
    pub async fn firmware(&self, instance: &str, firmware_id: &str) -> Result<Option<Firmware>, sqlx::Error> {
        sqlx::query_as(
            "SELECT firmware_id, product_key, module_name, firmware_name, dest_version, src_version,
                    firmware_type, status, firmware_size
             FROM firmware WHERE instance_id = ? AND firmware_id = ?",
        )
        .bind(instance)
        .bind(firmware_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Adds a package and ties its uploads to it, within the instance's limit.
    pub async fn create_firmware(&self, instance: &str, firmware: &NewFirmware) -> Result<FirmwareChange, sqlx::Error> {
        let mut tx = self.begin().await?;
        let (count, taken): (i64, i64) =
            sqlx::query_as("SELECT count(*), coalesce(sum(firmware_name = ?), 0) FROM firmware WHERE instance_id = ?")
                .bind(&firmware.firmware_name)
                .bind(instance)
                .fetch_one(&mut *tx)
                .await?;
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
        let found: Option<(String,)> =
            sqlx::query_as("SELECT product_key FROM firmware WHERE instance_id = ? AND firmware_id = ?")
                .bind(instance)
                .bind(firmware_id)
                .fetch_optional(&mut *tx)
                .await?;
        match found {
            None => return Ok(FirmwareChange::NotFound),
            Some((owner,)) if &owner != product_key => return Ok(FirmwareChange::OtherProduct),
            Some(_) => {}
        }
        if let Some(name) = name {
            let (taken,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM firmware WHERE instance_id = ? AND firmware_name = ? AND firmware_id <> ?",
            )
            .bind(instance)
            .bind(name)
            .bind(firmware_id)
            .fetch_one(&mut *tx)
            .await?;
            if taken > 0 {
                return Ok(FirmwareChange::NameTaken);
            }
        }
        sqlx::query(
            "UPDATE firmware SET firmware_name = coalesce(?, firmware_name),
                                 firmware_desc = coalesce(?, firmware_desc),
                                 udi = coalesce(?, udi), utc_modified = ?
             WHERE firmware_id = ?",
        )
        .bind(name)
        .bind(desc)
        .bind(udi)
        .bind(now.millis())
        .bind(firmware_id)
        .execute(&mut *tx)
        .await?;
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
        let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM firmware WHERE instance_id = ? AND firmware_id = ?")
            .bind(instance)
            .bind(firmware_id)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Ok(FirmwareChange::NotFound);
        }
        let (running,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM jobs WHERE firmware_id = ? AND job_status IN ('PLANNED', 'IN_PROGRESS')",
        )
        .bind(firmware_id)
        .fetch_one(&mut *tx)
        .await?;
        let (unfinished,): (i64,) = sqlx::query_as(
            "SELECT coalesce(sum(count), 0) FROM firmware_task_counts
             WHERE firmware_id = ? AND status IN ('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS')",
        )
        .bind(firmware_id)
        .fetch_one(&mut *tx)
        .await?;
        if running > 0 || unfinished > 0 {
            return Ok(FirmwareChange::InUse);
        }
        for statement in [
            "DELETE FROM tasks WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM job_task_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM job_task_blocks WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM job_progress WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM job_source_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM job_failure_counts WHERE job_id IN (SELECT job_id FROM jobs WHERE firmware_id = ?1)",
            "DELETE FROM jobs WHERE firmware_id = ?1",
            "DELETE FROM firmware_task_counts WHERE firmware_id = ?1",
            "UPDATE uploads SET used_by = NULL, utc_expire = ?2 WHERE used_by = ?1",
            "DELETE FROM firmware WHERE firmware_id = ?1",
        ] {
            sqlx::query(statement).bind(firmware_id).bind(now.millis()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(FirmwareChange::Done)
    }
}

/// Adds a package and claims its uploads; false (and the caller rolls back) when one is gone.
pub async fn insert_firmware(
    db: &mut SqliteConnection,
    instance: &str,
    firmware: &NewFirmware,
) -> Result<bool, sqlx::Error> {
    let status = if firmware.need_to_verify { FirmwareStatus::Unverified } else { FirmwareStatus::NotRequired };
    sqlx::query(
        "INSERT INTO firmware (firmware_id, instance_id, product_key, module_name, firmware_name, firmware_desc,
             dest_version, src_version, firmware_type, sign_method, firmware_sign, firmware_size,
             file_key, udi, need_to_verify, status, verify_progress, utc_create, utc_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
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
    .execute(&mut *db)
    .await?;
    if let Some(key) = &firmware.file_key
        && !claim_upload(db, key, &firmware.firmware_id).await?
    {
        return Ok(false);
    }
    for (position, file) in firmware.files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO firmware_files (firmware_id, position, name, file_key, size, sign_value, file_md5)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&firmware.firmware_id)
        .bind(position as i64)
        .bind(&file.name)
        .bind(&file.file_key)
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(&file.sign_value)
        .bind(&file.file_md5)
        .execute(&mut *db)
        .await?;
        if !claim_upload(db, &file.file_key, &firmware.firmware_id).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Sets a package's verification state (CreateOTAVerifyJob, and the end of verification).
pub async fn set_firmware_status(
    db: &mut SqliteConnection,
    firmware_id: &str,
    status: FirmwareStatus,
    progress: u8,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE firmware SET status = ?, verify_progress = ?, utc_modified = ? WHERE firmware_id = ?")
        .bind(status.code())
        .bind(i64::from(progress))
        .bind(now.millis())
        .bind(firmware_id)
        .execute(db)
        .await
        .map(drop)
}

impl FirmwareRow {
    fn into_summary(self) -> Result<SimpleFirmwareInfo, sqlx::Error> {
        Ok(SimpleFirmwareInfo {
            status: FirmwareStatus::from_code(self.status).ok_or_else(|| corrupt("status", self.status))?,
            firmware_type: FirmwareType::from_code(self.firmware_type)
                .ok_or_else(|| corrupt("firmware_type", self.firmware_type))?,
            sign_method: self.sign_method.parse().map_err(|_| corrupt("sign_method", &self.sign_method))?,
            firmware_size: u64::try_from(self.firmware_size)
                .map_err(|_| corrupt("firmware_size", self.firmware_size))?,
            utc_create: time("utc_create", self.utc_create)?,
            utc_modified: time("utc_modified", self.utc_modified)?,
            firmware_id: self.firmware_id,
            firmware_name: self.firmware_name,
            firmware_desc: self.firmware_desc,
            dest_version: self.dest_version,
            src_version: self.src_version,
            firmware_sign: self.firmware_sign,
            module_name: self.module_name,
            product_key: self.product_key,
            product_name: self.product_name,
        })
    }
}
