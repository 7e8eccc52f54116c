//! Devices as the MQTT broker sees them: their secrets, and whether they are connected.

use ota_model::UtcTime;
use ota_model::device::DeviceId;
use ota_model::registry::DeviceStatus;
use sqlx::FromRow;

use super::Store;
use crate::store::db::on;

/// What a login is checked against.
#[derive(Debug, Clone, FromRow)]
pub struct DeviceLogin {
    pub iot_id: String,
    pub device_secret: String,
    pub status: String,
}

impl DeviceLogin {
    /// A disabled device may not connect, whatever its credentials.
    pub fn is_disabled(&self) -> bool {
        self.status == DeviceStatus::Disable.as_str()
    }
}

/// A device's connection coming or going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// `since`: when the connection began by the broker's clock, where the broker says.
    Connected { ip: Option<String>, since: Option<i64> },
    /// `of`: when the connection that ended began, where the broker says: a device that has
    /// connected again since stays online (a broker's webhooks may arrive out of order).
    Disconnected { of: Option<i64> },
}

impl Store {
    pub async fn device_login(&self, device: &DeviceId) -> Result<Option<DeviceLogin>, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_as(
            "SELECT iot_id, device_secret, status FROM devices WHERE product_key = $1 AND device_name = $2"
        )
        .bind(&device.product_key)
        .bind(&device.device_name)
        .fetch_optional(db)
        .await)
    }

    /// A device connected: ONLINE, and active from its first connection on.
    pub async fn device_connected(&self, iot_id: &str, ip: Option<&str>, now: UtcTime) -> Result<(), sqlx::Error> {
        let change = (iot_id.to_owned(), Presence::Connected { ip: ip.map(str::to_owned), since: None });
        self.record_presence(&[change], now).await
    }

    pub async fn device_disconnected(&self, iot_id: &str, now: UtcTime) -> Result<(), sqlx::Error> {
        self.record_presence(&[(iot_id.to_owned(), Presence::Disconnected { of: None })], now).await
    }

    /// Connections and disconnections of devices (by `IotId`), in order, in one transaction:
    /// a broker that restarts brings thousands at once.
    pub async fn record_presence(&self, changes: &[(String, Presence)], now: UtcTime) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        for (iot_id, presence) in changes {
            on!(tx, |db| match presence {
                Presence::Connected { ip, since } => sqlx::query(
                    "UPDATE devices SET status = 'ONLINE', ip_address = coalesce($1, ip_address), utc_online = $2,
                                        utc_active = coalesce(utc_active, $3), utc_modified = $4
                     WHERE iot_id = $5 AND status <> 'DISABLE'",
                )
                .bind(ip.as_deref())
                .bind(since.unwrap_or(now.millis()))
                .bind(now.millis())
                .bind(now.millis()),
                Presence::Disconnected { of } => sqlx::query(
                    "UPDATE devices SET status = 'OFFLINE', utc_modified = $1
                     WHERE status = 'ONLINE' AND coalesce(utc_online, 0) <= $2 AND iot_id = $3",
                )
                .bind(now.millis())
                .bind(of.unwrap_or(i64::MAX)),
            }
            .bind(iot_id)
            .execute(db)
            .await
            .map(drop))?;
        }
        tx.commit().await
    }

    /// When the broker starts nobody is connected to it yet, whatever the last run left.
    pub async fn all_devices_disconnected(&self, now: UtcTime) -> Result<u64, sqlx::Error> {
        on!(self.pool, |db| sqlx::query(
            "UPDATE devices SET status = 'OFFLINE', utc_modified = $1 WHERE status = 'ONLINE'"
        )
        .bind(now.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
    }
}

impl Store {
    /// Records the version a device reports for a module (`/ota/device/inform`); whether it
    /// differs from the one it reported before.
    pub async fn report_version(
        &self,
        iot_id: &str,
        product_key: &str,
        module: &str,
        version: &str,
        now: UtcTime,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let before: Option<(String,)> =
            on!(tx, |db| sqlx::query_as("SELECT version FROM device_modules WHERE iot_id = $1 AND module_name = $2")
                .bind(iot_id)
                .bind(module)
                .fetch_optional(db)
                .await)?;
        super::registry::set_module_version(&mut tx, iot_id, product_key, module, version, now).await?;
        tx.commit().await?;
        Ok(before.is_none_or(|(old,)| old != version))
    }
}
