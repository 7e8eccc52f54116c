//! Update packages.

use ota_model::firmware::{FirmwareInfo, ListOTAFirmware, SimpleFirmwareInfo};
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sqlx::{FromRow, SqliteConnection};

use super::{Store, corrupt};

/// A package to add.
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
    pub firmware_url: Option<String>,
    pub udi: Option<String>,
    pub status: FirmwareStatus,
    pub verify_progress: u8,
    pub created: UtcTime,
}

/// A package as stored, with its product's name.
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
    firmware_url: Option<String>,
    udi: Option<String>,
    status: i64,
    verify_progress: i64,
    utc_create: i64,
    utc_modified: i64,
}

const SELECT_FIRMWARE: &str = "
    SELECT f.firmware_id, f.product_key, p.product_name, f.module_name, f.firmware_name,
           f.firmware_desc, f.dest_version, f.src_version, f.firmware_type, f.sign_method,
           f.firmware_sign, f.firmware_size, f.firmware_url, f.udi, f.status, f.verify_progress,
           f.utc_create, f.utc_modified
    FROM firmware f JOIN products p ON p.product_key = f.product_key";

/// The list filters, shared by the count and the page query. `?1` product, `?2` exact
/// version, `?3` keyword (the extension): found in the name, ID or either version.
const LIST_FILTER: &str = "
    WHERE (?1 IS NULL OR f.product_key = ?1)
      AND (?2 IS NULL OR f.dest_version = ?2)
      AND (?3 IS NULL
           OR instr(lower(f.firmware_name), lower(?3)) > 0
           OR instr(lower(f.firmware_id), lower(?3)) > 0
           OR instr(lower(f.dest_version), lower(?3)) > 0
           OR instr(lower(coalesce(f.src_version, '')), lower(?3)) > 0)";

impl Store {
    /// One page of packages matching `request`, newest first, and how many match in all.
    pub async fn list_firmware(
        &self,
        request: &ListOTAFirmware,
    ) -> Result<(u64, Vec<SimpleFirmwareInfo>), sqlx::Error> {
        // One read transaction, so that the count and the page see the same data.
        let mut tx = self.pool.begin().await?;
        let (total,): (i64,) =
            sqlx::query_as(&format!("SELECT count(*) FROM firmware f {LIST_FILTER}"))
                .bind(&request.product_key)
                .bind(&request.dest_version)
                .bind(&request.keyword)
                .fetch_one(&mut *tx)
                .await?;
        let rows: Vec<FirmwareRow> = sqlx::query_as(&format!(
            "{SELECT_FIRMWARE} {LIST_FILTER} ORDER BY f.utc_create DESC, f.firmware_id LIMIT ?4 OFFSET ?5"
        ))
        .bind(&request.product_key)
        .bind(&request.dest_version)
        .bind(&request.keyword)
        .bind(i64::from(request.page.page_size))
        .bind(i64::try_from(request.page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let items = rows
            .into_iter()
            .map(|row| row.into_info().map(|info| info.summary))
            .collect::<Result<_, _>>()?;
        Ok((u64::try_from(total).unwrap_or_default(), items))
    }

    /// One package in full, if it exists.
    pub async fn query_firmware(
        &self,
        firmware_id: &str,
    ) -> Result<Option<FirmwareInfo>, sqlx::Error> {
        let row: Option<FirmwareRow> =
            sqlx::query_as(&format!("{SELECT_FIRMWARE} WHERE f.firmware_id = ?"))
                .bind(firmware_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(FirmwareRow::into_info).transpose()
    }
}

/// Adds a package.
pub async fn insert_firmware(
    db: &mut SqliteConnection,
    firmware: &NewFirmware,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO firmware (firmware_id, product_key, module_name, firmware_name, firmware_desc,
             dest_version, src_version, firmware_type, sign_method, firmware_sign, firmware_size,
             firmware_url, udi, status, verify_progress, utc_create, utc_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&firmware.firmware_id)
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
    .bind(&firmware.firmware_url)
    .bind(&firmware.udi)
    .bind(firmware.status.code())
    .bind(i64::from(firmware.verify_progress))
    .bind(firmware.created.millis())
    .bind(firmware.created.millis())
    .execute(db)
    .await
    .map(drop)
}

impl FirmwareRow {
    fn into_info(self) -> Result<FirmwareInfo, sqlx::Error> {
        let time = |column: &str, millis: i64| {
            UtcTime::from_millis(millis).ok_or_else(|| corrupt(column, millis))
        };
        let summary = SimpleFirmwareInfo {
            status: FirmwareStatus::from_code(self.status)
                .ok_or_else(|| corrupt("status", self.status))?,
            firmware_type: FirmwareType::from_code(self.firmware_type)
                .ok_or_else(|| corrupt("firmware_type", self.firmware_type))?,
            sign_method: self
                .sign_method
                .parse()
                .map_err(|_| corrupt("sign_method", &self.sign_method))?,
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
        };
        Ok(FirmwareInfo {
            summary,
            firmware_url: self.firmware_url,
            multi_files: Vec::new(),
            udi: self.udi,
            verify_progress: u8::try_from(self.verify_progress)
                .map_err(|_| corrupt("verify_progress", self.verify_progress))?,
        })
    }
}
