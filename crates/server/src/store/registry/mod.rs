//! The device registry: products (`products`), devices, the versions devices report. Groups:
//! `groups`.

use ota_model::module::SimpleOTAModuleInfo;
use ota_model::registry::{DeviceDetail, DeviceInfo, DeviceRef, DeviceRegistered, DeviceStatus, ModuleVersionFilter};
use ota_model::{PageRequest, UtcTime};
use sqlx::FromRow;

mod products;

pub use products::{Product, insert_product};

use super::{Store, corrupt, time};
use crate::ids;
use crate::store::Tx;
use crate::store::db::on;

/// A device as the other areas need it.
#[derive(Debug, Clone, FromRow)]
pub struct Device {
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
}

#[derive(FromRow)]
struct DeviceRow {
    iot_id: String,
    product_key: String,
    product_name: String,
    node_type: i64,
    device_name: String,
    device_secret: String,
    nickname: Option<String>,
    status: String,
    ip_address: Option<String>,
    firmware_version: Option<String>,
    utc_create: i64,
    utc_active: Option<i64>,
    utc_online: Option<i64>,
    utc_modified: i64,
}

const SELECT_DEVICE: &str = "
    SELECT d.iot_id, d.product_key, p.product_name, p.node_type, d.device_name, d.device_secret,
           d.nickname, d.status, d.ip_address, m.version AS firmware_version, d.utc_create,
           d.utc_active, d.utc_online, d.utc_modified
    FROM devices d
    JOIN products p ON p.product_key = d.product_key
    LEFT JOIN device_modules m ON m.iot_id = d.iot_id AND m.module_name = 'default'";

/// The rows of the devices a `page` of rowids names, in list order. The page is found first on
/// the list-order index alone, so that a deep OFFSET skips index entries rather than joined
/// rows (page 2,000 of 100,000 devices: 4 ms instead of 110).
const DEVICES_OF_PAGE: &str = "
    SELECT d.iot_id, d.product_key, p.product_name, p.node_type, d.device_name, d.device_secret,
           d.nickname, d.status, d.ip_address, m.version AS firmware_version, d.utc_create,
           d.utc_active, d.utc_online, d.utc_modified
    FROM page JOIN devices d ON d.rowid = page.r
    JOIN products p ON p.product_key = d.product_key
    LEFT JOIN device_modules m ON m.iot_id = d.iot_id AND m.module_name = 'default'
    ORDER BY d.utc_create, d.device_name";

impl DeviceRow {
    fn status(&self) -> Result<DeviceStatus, sqlx::Error> {
        self.status.parse().map_err(|_| corrupt("devices.status", &self.status))
    }

    fn into_detail(self) -> Result<DeviceDetail, sqlx::Error> {
        Ok(DeviceDetail {
            status: self.status()?,
            node_type: self.node_type as u8,
            utc_create: time("utc_create", self.utc_create)?,
            utc_active: self.utc_active.map(|t| time("utc_active", t)).transpose()?,
            utc_online: self.utc_online.map(|t| time("utc_online", t)).transpose()?,
            iot_id: self.iot_id,
            product_key: self.product_key,
            product_name: self.product_name,
            device_name: self.device_name,
            device_secret: self.device_secret,
            firmware_version: self.firmware_version,
            nickname: self.nickname,
            ip_address: self.ip_address,
        })
    }

    fn into_info(self) -> Result<DeviceInfo, sqlx::Error> {
        Ok(DeviceInfo {
            device_status: self.status()?,
            utc_create: time("utc_create", self.utc_create)?,
            utc_modified: time("utc_modified", self.utc_modified)?,
            device_id: self.iot_id.clone(),
            iot_id: self.iot_id,
            device_name: self.device_name,
            product_key: self.product_key,
            device_secret: self.device_secret,
            nickname: self.nickname,
            firmware_version: self.firmware_version,
        })
    }
}

impl Store {
    // ---- devices ---------------------------------------------------------------------------

    pub async fn register_device(
        &self,
        product_key: &str,
        device_name: &str,
        nickname: Option<&str>,
        now: UtcTime,
    ) -> Result<DeviceRegistered, sqlx::Error> {
        let mut tx = self.begin().await?;
        let device = NewDevice {
            iot_id: ids::object_id(),
            product_key,
            device_name,
            device_secret: ids::device_secret(),
            nickname,
            status: DeviceStatus::Unactive,
        };
        insert_device(&mut tx, &device, now).await?;
        tx.commit().await?;
        Ok(DeviceRegistered {
            iot_id: device.iot_id,
            product_key: product_key.to_owned(),
            device_name: device_name.to_owned(),
            device_secret: device.device_secret,
            nickname: nickname.map(str::to_owned),
        })
    }

    /// The device `device` names in `instance`, if any.
    pub async fn device(&self, instance: &str, device: &DeviceRef) -> Result<Option<Device>, sqlx::Error> {
        let (condition, first, second) = match device {
            DeviceRef::IotId(id) => ("d.iot_id = $2", id.as_str(), None),
            DeviceRef::Name { product_key, device_name } => {
                ("d.product_key = $2 AND d.device_name = $3", product_key.as_str(), Some(device_name.as_str()))
            }
        };
        let sql = format!(
            "SELECT d.iot_id, d.product_key, d.device_name FROM devices d
             JOIN products p ON p.product_key = d.product_key
             WHERE p.instance_id = $1 AND {condition}"
        );
        on!(self.pool, |db| {
            let mut query = sqlx::query_as(&sql).bind(instance).bind(first);
            if let Some(second) = second {
                query = query.bind(second);
            }
            query.fetch_optional(db).await
        })
    }

    pub async fn device_detail(&self, instance: &str, iot_id: &str) -> Result<Option<DeviceDetail>, sqlx::Error> {
        let row: Option<DeviceRow> = on!(self.pool, |db| sqlx::query_as(&format!(
            "{SELECT_DEVICE} WHERE p.instance_id = $1 AND d.iot_id = $2"
        ))
        .bind(instance)
        .bind(iot_id)
        .fetch_optional(db)
        .await)?;
        row.map(DeviceRow::into_detail).transpose()
    }

    /// A product's devices, oldest first; with `version`, only those whose last report for
    /// the module was that version.
    pub async fn list_devices(
        &self,
        product_key: &str,
        version: Option<&ModuleVersionFilter>,
        page: PageRequest,
    ) -> Result<(u64, Vec<DeviceInfo>), sqlx::Error> {
        let (module, version) = version.map(|f| (f.module_name.as_str(), f.version.as_str())).unzip();
        let mut tx = self.read().await?;
        // Filtered, also how many of the product's devices reported the module at all.
        let (total, reported): (i64, i64) = on!(tx, |db| sqlx::query_as(match version {
            None => "SELECT count(*), CAST(0 AS BIGINT) FROM devices d WHERE d.product_key = $1",
            Some(_) => {
                "SELECT count(*), (SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM module_version_counts
                                   WHERE product_key = $1 AND module_name = $2)
                 FROM device_modules f WHERE f.product_key = $1 AND f.module_name = $2 AND f.version = $3"
            }
        })
        .bind(product_key)
        .bind(module)
        .bind(version)
        .fetch_one(db)
        .await)?;
        let rows_of = match version {
            None => "WHERE d.product_key = $1",
            // Walked in list order (`devices_in_list_order`), a common version fills a page soon.
            Some(_) if walk_in_order(total, reported, page) => {
                "JOIN device_modules f ON f.iot_id = d.iot_id
                 WHERE d.product_key = $1 AND f.module_name = $2 AND f.version = $3"
            }
            // A rare one: the version index finds its few devices, sorted for the page.
            Some(_) => {
                "JOIN device_modules f ON f.iot_id = d.iot_id
                 WHERE f.product_key = $1 AND f.module_name = $2 AND f.version = $3"
            }
        };
        let rows: Vec<DeviceRow> = on!(tx, |db| sqlx::query_as(&format!(
            "WITH page AS (SELECT d.rowid AS r FROM devices d {rows_of}
                           ORDER BY d.utc_create, d.device_name LIMIT $4 OFFSET $5)
             {DEVICES_OF_PAGE}"
        ))
        .bind(product_key)
        .bind(module)
        .bind(version)
        .bind(i64::from(page.page_size))
        .bind(offset(page))
        .fetch_all(db)
        .await)?;
        tx.commit().await?;
        let devices = rows.into_iter().map(DeviceRow::into_info).collect::<Result<_, _>>()?;
        Ok((total.max(0) as u64, devices))
    }

    /// The versions a device has reported, by module.
    pub async fn module_versions(
        &self,
        device: &Device,
        page: PageRequest,
    ) -> Result<(u64, Vec<SimpleOTAModuleInfo>), sqlx::Error> {
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as("SELECT count(*) FROM device_modules WHERE iot_id = $1")
            .bind(&device.iot_id)
            .fetch_one(db)
            .await)?;
        let rows: Vec<(String, String)> = on!(tx, |db| {
            sqlx::query_as(
            "SELECT module_name, version FROM device_modules WHERE iot_id = $1 ORDER BY module_name LIMIT $2 OFFSET $3",
        )
        .bind(&device.iot_id)
        .bind(i64::from(page.page_size))
        .bind(offset(page))
        .fetch_all(db)
        .await
        })?;
        tx.commit().await?;
        let modules = rows
            .into_iter()
            .map(|(module_name, module_version)| SimpleOTAModuleInfo {
                iot_id: device.iot_id.clone(),
                product_key: device.product_key.clone(),
                device_name: device.device_name.clone(),
                module_name,
                module_version,
            })
            .collect();
        Ok((total.max(0) as u64, modules))
    }
}

/// Whether a page of `total` devices on a version, of `reported` that reported the module, is
/// found sooner by walking the product's devices in list order (about `end × reported / total`
/// of them) than by sorting all `total`. The answer is the same either way.
fn walk_in_order(total: i64, reported: i64, page: PageRequest) -> bool {
    let end = i128::from(offset(page)) + i128::from(page.page_size);
    end * i128::from(reported) <= i128::from(total) * i128::from(total)
}

pub(super) fn offset(page: PageRequest) -> i64 {
    i64::try_from(page.offset()).unwrap_or(i64::MAX)
}

/// A device to add.
pub struct NewDevice<'a> {
    pub iot_id: String,
    pub product_key: &'a str,
    pub device_name: &'a str,
    pub device_secret: String,
    pub nickname: Option<&'a str>,
    pub status: DeviceStatus,
}

pub async fn insert_device(db: &mut Tx, device: &NewDevice<'_>, now: UtcTime) -> Result<(), sqlx::Error> {
    let active = (device.status != DeviceStatus::Unactive).then_some(now.millis());
    on!(db, |db| sqlx::query(
        "INSERT INTO devices (iot_id, product_key, device_name, device_secret, nickname, status,
                              utc_create, utc_active, utc_online, utc_modified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&device.iot_id)
    .bind(device.product_key)
    .bind(device.device_name)
    .bind(&device.device_secret)
    .bind(device.nickname)
    .bind(device.status.as_str())
    .bind(now.millis())
    .bind(active)
    .bind(if device.status == DeviceStatus::Online { active } else { None })
    .bind(now.millis())
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .map(drop)
}

/// Records the version a device reports for a module (`/ota/device/inform`).
pub async fn set_module_version(
    db: &mut Tx,
    iot_id: &str,
    product_key: &str,
    module: &str,
    version: &str,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    on!(db, |db| sqlx::query(
        "INSERT INTO device_modules (iot_id, module_name, product_key, version, utc_modified) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (iot_id, module_name) DO UPDATE SET version = excluded.version, utc_modified = excluded.utc_modified",
    )
    .bind(iot_id)
    .bind(module)
    .bind(product_key)
    .bind(version)
    .bind(now.millis())
    .execute(db)
    .await.map(|done| done.rows_affected()))
    .map(drop)
}
