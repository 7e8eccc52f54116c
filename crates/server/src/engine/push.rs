//! Pushing packages to devices: each batch's share of queued tasks per tick, at its rate.

use std::collections::BTreeMap;

use bytes::Bytes;
use ota_model::UtcTime;
use ota_model::device::payload::{DEFAULT_MODULE, PushedFile, UpdateInfo, UpgradePush};
use ota_model::device::{DeviceId, Downstream};
use ota_model::lifecycle::{Event, Outcome, apply};

use super::Engine;
use crate::store::delivery::Delivery;
use crate::store::engine::Pushable;

impl Engine {
    /// Pushes each running batch's due share of queued tasks to devices that listen.
    pub(super) async fn push_due(&mut self, now: UtcTime) -> Result<(), sqlx::Error> {
        let jobs = self.store.pushing_jobs().await?;
        self.pacers.retain(|id, _| jobs.iter().any(|job| &job.job_id == id));
        for job in jobs {
            let rate = job.rate.per_minute(job.maximum_per_minute, job.notified, job.succeeded);
            // Never more than the pacer could grant at once: a quarter second's worth.
            let most = rate / 240 + 2;
            let mut ready: Vec<_> = self
                .store
                .pushable_tasks(&job.job_id, most)
                .await?
                .into_iter()
                .filter(|task| self.outbox.is_listening(&device(&task.product_key, &task.device_name)))
                .collect();
            let granted = self.pacers.entry(job.job_id).or_default().take(now, rate, ready.len() as u64);
            ready.truncate(granted as usize);
            self.notify_all(&ready).await?;
        }
        Ok(())
    }

    /// A batch's queued tasks go to their devices: NOTIFIED first (all in one transaction), so
    /// that a crash between the two leaves tasks pushed again when their devices next connect,
    /// never lost; then each is pushed, with the package read once (a batch's tasks share it).
    /// On PostgreSQL every statement is a trip to another process: one task at a time, they
    /// capped the push rate.
    async fn notify_all(&self, tasks: &[Pushable]) -> Result<(), sqlx::Error> {
        let ids: Vec<&str> = tasks.iter().map(|task| task.task_id.as_str()).collect();
        let now = self.clock.now();
        let changes: Vec<_> = self
            .store
            .live_tasks(&ids)
            .await?
            .into_iter()
            .filter_map(|live| match apply(&live.task, &live.policy, Event::Notified, now) {
                Outcome::Changed { task, .. } => Some((live, task)),
                Outcome::Unchanged => None,
            })
            .collect();
        let written = self.store.save_tasks(&changes, now).await?;
        let Some(first) = written.first() else { return Ok(()) };
        let Some(package) = self.store.delivery(first).await? else { return Ok(()) };
        for task in tasks.iter().filter(|task| written.contains(&task.task_id)) {
            let delivery = Delivery {
                product_key: task.product_key.clone(),
                device_name: task.device_name.clone(),
                ..package.clone()
            };
            self.send(delivery);
        }
        Ok(())
    }

    /// Sends a task's package to its device on the update topic; whether it went out.
    pub(super) async fn push(&self, task_id: &str) -> Result<bool, sqlx::Error> {
        let Some(delivery) = self.store.delivery(task_id).await? else { return Ok(false) };
        Ok(self.send(delivery))
    }

    /// Sends a package to its device; whether it went out.
    fn send(&self, delivery: Delivery) -> bool {
        let to = device(&delivery.product_key, &delivery.device_name);
        let job_id = delivery.job_id.clone();
        let Some(update) = self.update_info(delivery) else { return false };
        let push = UpgradePush::new(self.clock.now().millis().max(0) as u64, update);
        let payload = serde_json::to_vec(&push).unwrap_or_default();
        let sent = self.outbox.send(&to, Downstream::Upgrade, Bytes::from(payload));
        if sent {
            self.metrics.pushed(&job_id);
        }
        sent
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
