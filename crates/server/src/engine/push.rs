//! Pushing packages to devices: each batch's share of queued tasks per tick, at its rate.

use std::collections::BTreeMap;

use bytes::Bytes;
use ota_model::UtcTime;
use ota_model::device::payload::{DEFAULT_MODULE, PushedFile, UpdateInfo, UpgradePush};
use ota_model::device::{DeviceId, Downstream};
use ota_model::lifecycle::Event;

use super::{Engine, Stepped};
use crate::store::delivery::Delivery;

impl Engine {
    /// Pushes each running batch's due share of queued tasks to devices that listen.
    pub(super) async fn push_due(&mut self, now: UtcTime) -> Result<(), sqlx::Error> {
        let jobs = self.store.pushing_jobs().await?;
        self.pacers.retain(|id, _| jobs.iter().any(|job| &job.job_id == id));
        for job in jobs {
            let rate = job.rate.per_minute(job.maximum_per_minute, job.notified, job.succeeded);
            // Never more than the pacer could grant at once: a quarter second's worth.
            let most = rate / 240 + 2;
            let ready: Vec<_> = self
                .store
                .pushable_tasks(&job.job_id, job.current_wave, most)
                .await?
                .into_iter()
                .filter(|task| self.outbox.is_listening(&device(&task.product_key, &task.device_name)))
                .collect();
            let granted = self.pacers.entry(job.job_id).or_default().take(now, rate, ready.len() as u64);
            for task in ready.into_iter().take(granted as usize) {
                self.notify(&task.task_id).await?;
            }
        }
        Ok(())
    }

    /// A queued task goes to its device: NOTIFIED first, so that a crash between the two
    /// leaves a task that is pushed again when the device next connects, never one lost.
    pub(super) async fn notify(&self, task_id: &str) -> Result<(), sqlx::Error> {
        let Some(live) = self.store.live_task(task_id).await? else { return Ok(()) };
        if self.step(&live, Event::Notified).await? != Stepped::Unchanged {
            self.push(task_id).await?;
        }
        Ok(())
    }

    /// Sends a task's package to its device on the update topic; whether it went out.
    pub(super) async fn push(&self, task_id: &str) -> Result<bool, sqlx::Error> {
        let Some(delivery) = self.store.delivery(task_id).await? else { return Ok(false) };
        let to = device(&delivery.product_key, &delivery.device_name);
        let job_id = delivery.job_id.clone();
        let Some(update) = self.update_info(delivery) else { return Ok(false) };
        let push = UpgradePush::new(self.clock.now().millis().max(0) as u64, update);
        let payload = serde_json::to_vec(&push).unwrap_or_default();
        let sent = self.outbox.send(&to, Downstream::Upgrade, Bytes::from(payload));
        if sent {
            self.metrics.pushed(&job_id);
        }
        Ok(sent)
    }

    /// What a device is told of its update (§6.2), or `None` for a package without a file.
    pub(super) fn update_info(&self, delivery: Delivery) -> Option<UpdateInfo> {
        let Some(file_key) = delivery.file_key else {
            tracing::warn!(module = delivery.module_name, "engine: a package without a file cannot be pushed");
            return None;
        };
        let md5 = delivery.sign_method != "SHA256";
        let (base, now) = (self.download_base.as_str(), self.clock.now());
        let files = delivery
            .files
            .into_iter()
            .map(|(name, key, size, sign)| PushedFile {
                file_name: name,
                file_size: size.max(0) as u64,
                file_url: self.downloads.url(base, &key, now),
                file_sign: sign,
            })
            .collect();
        let mut ext_data: BTreeMap<String, String> = delivery.tags.into_iter().collect();
        if let Some(udi) = delivery.udi {
            ext_data.insert("_package_udi".into(), udi);
        }
        Some(UpdateInfo {
            size: delivery.firmware_size.max(0) as u64,
            version: delivery.dest_version,
            url: self.downloads.url(base, &file_key, now),
            is_diff: (delivery.firmware_type == 1).then_some(1),
            sign: delivery.firmware_sign.clone(),
            sign_method: if md5 { "Md5" } else { "SHA256" }.into(),
            md5: md5.then_some(delivery.firmware_sign),
            module: (delivery.module_name != DEFAULT_MODULE).then_some(delivery.module_name),
            ext_data,
            files,
        })
    }
}

pub(super) fn device(product_key: &str, device_name: &str) -> DeviceId {
    DeviceId { product_key: product_key.to_owned(), device_name: device_name.to_owned() }
}
