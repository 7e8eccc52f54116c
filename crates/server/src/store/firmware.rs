//! Update packages.

use ota_model::firmware::{FirmwareFile, FirmwareInfo, ListOTAFirmware, SimpleFirmwareInfo};
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sqlx::FromRow;

use super::{Store, corrupt, time};

mod change;

use crate::store::db::on;
pub use change::{insert_firmware, set_firmware_status};

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
    WHERE f.instance_id = $1
      AND ($2 IS NULL OR f.product_key = $2)
      AND ($3 IS NULL OR f.dest_version = $3)
      AND ($4 IS NULL
           OR instr(lower(f.firmware_name), lower($4)) > 0
           OR instr(lower(f.firmware_id), lower($4)) > 0
           OR instr(lower(f.dest_version), lower($4)) > 0
           OR instr(lower(coalesce(f.src_version, '')), lower($4)) > 0)";

impl Store {
    /// One page of packages matching `request`, newest first, and how many match in all.
    pub async fn list_firmware(
        &self,
        instance: &str,
        request: &ListOTAFirmware,
    ) -> Result<(u64, Vec<SimpleFirmwareInfo>), sqlx::Error> {
        // One read transaction, so that the count and the page see the same data.
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as(&format!("SELECT count(*) FROM firmware f {LIST_FILTER}"))
            .bind(instance)
            .bind(&request.product_key)
            .bind(&request.dest_version)
            .bind(&request.keyword)
            .fetch_one(db)
            .await)?;
        let rows: Vec<FirmwareRow> = on!(tx, |db| sqlx::query_as(&format!(
            "{SELECT_FIRMWARE} {LIST_FILTER} ORDER BY f.utc_create DESC, f.firmware_id LIMIT $5 OFFSET $6"
        ))
        .bind(instance)
        .bind(&request.product_key)
        .bind(&request.dest_version)
        .bind(&request.keyword)
        .bind(i64::from(request.page.page_size))
        .bind(i64::try_from(request.page.offset()).unwrap_or(i64::MAX))
        .fetch_all(db)
        .await)?;
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
        let row: Option<FirmwareRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_FIRMWARE} WHERE f.instance_id = $1 AND f.firmware_id = $2"
        ))
        .bind(instance)
        .bind(firmware_id)
        .fetch_optional(db)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let files: Vec<(String, String, i64, String, String)> = on!(self.pool, |db| {
            sqlx::query_as(
            "SELECT name, file_key, size, sign_value, file_md5 FROM firmware_files WHERE firmware_id = $1 ORDER BY position",
        )
        .bind(firmware_id)
        .fetch_all(db)
        .await
        })?;
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
        on!(self.pool, |db| sqlx::query_as(
            "SELECT firmware_id, product_key, module_name, firmware_name, dest_version, src_version,
                    firmware_type, status, firmware_size
             FROM firmware WHERE instance_id = $1 AND firmware_id = $2",
        )
        .bind(instance)
        .bind(firmware_id)
        .fetch_optional(db)
        .await)
    }
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
