//! What devices do: connect, listen, report versions and progress, ask for their update.

use bytes::Bytes;
use ota_model::device::payload::{FirmwareGet, FirmwareGetReply, Inform, PayloadError, ProgressReport};
use ota_model::device::{DeviceId, Downstream, Upstream};
use ota_model::dynamic::{self, History, Report};
use ota_model::enums::TaskStatus;
use ota_model::lifecycle::Event;
use ota_model::rollout::Existing;

use super::Engine;
use crate::mqtt::{DeviceEvent, Refusals};

impl Engine {
    pub async fn on_device(&mut self, event: DeviceEvent) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        match event {
            DeviceEvent::Connected { device, ip } => {
                if let Some(iot_id) = self.iot_id(&device).await? {
                    self.store.device_connected(&iot_id, ip.as_deref(), now).await?;
                }
            }
            // Pushed but not taken up: the device may have missed it while away (§5.2).
            DeviceEvent::Listening { device } => {
                if let Some(iot_id) = self.iot_id(&device).await? {
                    for task_id in self.store.notified_tasks_of(&iot_id).await? {
                        self.push(&task_id).await?;
                    }
                }
            }
            DeviceEvent::Disconnected { device } => {
                if let Some(iot_id) = self.iot_id(&device).await? {
                    self.store.device_disconnected(&iot_id, now).await?;
                }
            }
            DeviceEvent::Message { device, kind, payload } => self.on_message(&device, kind, &payload).await?,
        }
        Ok(())
    }

    async fn on_message(&mut self, device: &DeviceId, kind: Upstream, payload: &Bytes) -> Result<(), sqlx::Error> {
        // Only through an external broker, which knows nothing of the registry.
        let Some(iot_id) = self.iot_id(device).await? else {
            Refusals::count(&self.refusals.messages);
            tracing::info!(product_key = %device.product_key, device = %device.device_name, "engine: message from an unknown device dropped");
            return Ok(());
        };
        let result = match kind {
            Upstream::Inform => match Inform::parse(payload) {
                Ok(inform) => {
                    let now = self.clock.now();
                    let changed = self
                        .store
                        .report_version(&iot_id, &device.product_key, &inform.module, &inform.version, now)
                        .await?;
                    if let Some(live) = self.store.unfinished_task_of(&iot_id, &inform.module).await? {
                        self.step(&live, Event::VersionReported(&inform.version)).await?;
                    }
                    let report = Report { iot_id: &iot_id, version: &inform.version, changed };
                    self.match_dynamic(device, &inform.module, report).await?;
                    Ok(())
                }
                Err(why) => Err(why),
            },
            Upstream::Progress => match ProgressReport::parse(payload) {
                Ok(report) => {
                    if let Some(live) = self.store.unfinished_task_of(&iot_id, &report.module).await? {
                        self.step(&live, Event::Progress(report.step)).await?;
                    }
                    Ok(())
                }
                Err(why) => Err(why),
            },
            Upstream::FirmwareGet => match FirmwareGet::parse(payload) {
                Ok(pull) => {
                    self.on_pull(device, &iot_id, pull).await;
                    Ok(())
                }
                Err(why) => Err(why),
            },
        };
        if let Err(PayloadError(why)) = result {
            Refusals::count(&self.refusals.messages);
            tracing::info!(product_key = %device.product_key, device = %device.device_name, ?kind, "engine: message dropped: {why}");
        }
        Ok(())
    }

    /// A device asks for its update (§6.4): the pending task's package, or `{}`.
    async fn on_pull(&mut self, device: &DeviceId, iot_id: &str, pull: FirmwareGet) {
        let answer = async {
            let Some(live) = self.store.unfinished_task_of(iot_id, &pull.module).await? else { return Ok(None) };
            // An unconfirmed task waits for its confirmation, pulled or not.
            if live.task.status == TaskStatus::Confirm {
                return Ok(None);
            }
            self.step(&live, Event::Notified).await?;
            Ok::<_, sqlx::Error>(self.store.delivery(&live.task_id).await?.and_then(|d| self.update_info(d)))
        };
        let update = match answer.await {
            Ok(update) => update,
            Err(error) => {
                tracing::error!("engine: cannot answer a pull: {error}");
                None
            }
        };
        let reply = FirmwareGetReply::new(pull.id, update);
        let payload = serde_json::to_vec(&reply).unwrap_or_default();
        self.outbox.send(device, Downstream::FirmwareGetReply, Bytes::from(payload));
    }

    /// A version report may bring the device into a running dynamic batch of its module: the
    /// newest that takes it.
    async fn match_dynamic(&mut self, device: &DeviceId, module: &str, report: Report<'_>) -> Result<(), sqlx::Error> {
        let jobs = self.store.dynamic_jobs(&device.product_key, module).await?;
        if jobs.is_empty() {
            return Ok(());
        }
        let unfinished = self.store.unfinished_tasks_of(report.iot_id).await?;
        let existing: Vec<Existing<'_>> = unfinished
            .iter()
            .filter_map(|t| {
                let status = t.status.parse().ok()?;
                Some(Existing { task_id: &t.task_id, iot_id: report.iot_id, module: &t.module_name, status })
            })
            .collect();
        for job in &jobs {
            let (matches, unfinished) = self.store.dynamic_history(&job.job_id, report.iot_id).await?;
            let history = History { matches, unfinished };
            let Some(plan) = dynamic::on_report(job.mode, report, history, &existing, job.request()) else { continue };
            let now = self.clock.now();
            if let Some(task_id) = self.store.add_dynamic_task(job, &plan, &device.device_name, now).await? {
                tracing::info!(job_id = job.job_id, task_id, device = %device.device_name, "engine: a dynamic batch took on a device");
                return Ok(());
            }
        }
        Ok(())
    }

    /// The device's `IotId`, remembered once looked up.
    async fn iot_id(&mut self, device: &DeviceId) -> Result<Option<String>, sqlx::Error> {
        if let Some(known) = self.iot_ids.get(device) {
            return Ok(Some(known.clone()));
        }
        let found = self.store.device_login(device).await?.map(|login| login.iot_id);
        if let Some(iot_id) = &found {
            self.iot_ids.insert(device.clone(), iot_id.clone());
        }
        Ok(found)
    }
}
