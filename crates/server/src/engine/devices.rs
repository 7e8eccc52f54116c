//! What devices do: connect, listen, report versions and progress, ask for their update.

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use ota_model::device::payload::{FirmwareGet, FirmwareGetReply, Inform, PayloadError, ProgressReport};
use ota_model::device::{DeviceId, Downstream, Upstream};
use ota_model::dynamic::{self, History, Report};
use ota_model::enums::TaskStatus;
use ota_model::lifecycle::{Event, Outcome, Step, Task, apply};
use ota_model::rollout::Existing;

use super::Engine;
use crate::metrics::Refusal;
use crate::mqtt::{DeviceEvent, Receipt};
use crate::store::connections::Presence;
use crate::store::engine::{LiveTask, save_tasks_in, unfinished_tasks_in};
use crate::store::is_disk_full;

/// The longest pause between tries to record reports while the disk is full.
const MAX_DISK_WAIT: Duration = Duration::from_secs(5);

impl Engine {
    /// Events in the order they came; each run of progress reports, and each run of
    /// connections and disconnections, is one transaction.
    pub async fn on_devices(&mut self, events: Vec<DeviceEvent>) {
        let (mut progress, mut presence) = (Vec::new(), Vec::new());
        for event in events {
            match event {
                DeviceEvent::Message { device, kind: Upstream::Progress, payload, receipt } => {
                    self.on_presence_run(std::mem::take(&mut presence)).await;
                    progress.push((device, payload, receipt));
                }
                DeviceEvent::Connected { device, ip } => {
                    self.on_progress_run(std::mem::take(&mut progress)).await;
                    presence.push((device, Presence::Connected { ip, since: None }));
                }
                DeviceEvent::Disconnected { device } => {
                    self.on_progress_run(std::mem::take(&mut progress)).await;
                    presence.push((device, Presence::Disconnected { of: None }));
                }
                other => {
                    self.on_progress_run(std::mem::take(&mut progress)).await;
                    self.on_presence_run(std::mem::take(&mut presence)).await;
                    if let Err(error) = self.on_device(other).await {
                        tracing::error!("engine: {error}");
                    }
                }
            }
        }
        self.on_progress_run(progress).await;
        self.on_presence_run(presence).await;
    }

    async fn on_presence_run(&mut self, run: Vec<(DeviceId, Presence)>) {
        if run.is_empty() {
            return;
        }
        let mut changes = Vec::with_capacity(run.len());
        for (device, presence) in run {
            match self.iot_id(&device).await {
                Ok(Some(iot_id)) => changes.push((iot_id, presence)),
                Ok(None) => {}
                Err(error) => tracing::error!("engine: {error}"),
            }
        }
        if let Err(error) = self.store.record_presence(&changes, self.clock.now()).await {
            tracing::error!("engine: connections not recorded: {error}");
        }
    }

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
            // The receipt goes (and the message is acknowledged) once it is recorded.
            DeviceEvent::Message { device, kind, payload, receipt: _receipt } => {
                self.on_message(&device, kind, &payload).await?
            }
        }
        Ok(())
    }

    async fn on_message(&mut self, device: &DeviceId, kind: Upstream, payload: &Bytes) -> Result<(), sqlx::Error> {
        // Only through an external broker, which knows nothing of the registry.
        let Some(iot_id) = self.iot_id(device).await? else {
            self.dropped(device, kind, "an unknown device");
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
            Upstream::Progress => {
                self.on_progress_run(vec![(device.clone(), payload.clone(), Receipt::default())]).await;
                Ok(())
            }
            Upstream::FirmwareGet => match FirmwareGet::parse(payload) {
                Ok(pull) => {
                    self.on_pull(device, &iot_id, pull).await;
                    Ok(())
                }
                Err(why) => Err(why),
            },
        };
        if let Err(PayloadError(why)) = result {
            self.dropped(device, kind, &why);
        }
        Ok(())
    }

    /// Progress reports that came together: read, those a later one supersedes left out,
    /// and applied in one transaction; their receipts go once it is written. A full disk makes
    /// the run wait for space; another failure loses the run, not the engine.
    async fn on_progress_run(&mut self, run: Vec<(DeviceId, Bytes, Receipt)>) {
        if run.is_empty() {
            return;
        }
        let mut reports = Vec::with_capacity(run.len());
        let mut _receipts = Vec::with_capacity(run.len());
        for (device, payload, receipt) in run {
            _receipts.push(receipt);
            let iot_id = match self.iot_id(&device).await {
                Ok(Some(iot_id)) => iot_id,
                Ok(None) => {
                    self.dropped(&device, Upstream::Progress, "an unknown device");
                    continue;
                }
                Err(error) => {
                    tracing::error!("engine: {error}");
                    continue;
                }
            };
            match ProgressReport::parse(&payload) {
                Ok(report) => reports.push((iot_id, report)),
                Err(PayloadError(why)) => self.dropped(&device, Upstream::Progress, &why),
            }
        }
        let reports = latest_only(reports);
        let mut wait = Duration::from_millis(100);
        loop {
            match self.apply_progress(reports.clone()).await {
                Ok(()) => return,
                // Nothing was written; the reports (and the devices behind them) wait for space.
                Err(error) if is_disk_full(&error) => {
                    tracing::error!("engine: progress reports wait for disk space: {error}");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(MAX_DISK_WAIT);
                }
                Err(error) => return tracing::error!("engine: progress reports not recorded: {error}"),
            }
        }
    }

    async fn apply_progress(&mut self, reports: Vec<(String, ProgressReport)>) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        let mut keys: Vec<(String, String)> = reports.iter().map(|(id, r)| (id.clone(), r.module.clone())).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut tx = self.store.begin().await?;
        let mut live = unfinished_tasks_in(&mut tx, &keys).await?;
        // Each task's state as read, and as the reports leave it: one write per task.
        let mut changed: HashMap<String, (LiveTask, Task)> = HashMap::new();
        let mut pushes = Vec::new();
        for (iot_id, report) in &reports {
            let Some(current) = live.get_mut(&(iot_id.clone(), report.module.clone())) else { continue };
            if let Outcome::Changed { task, push } =
                apply(&current.task, &current.policy, Event::Progress(report.step), now)
            {
                changed.entry(current.task_id.clone()).or_insert_with(|| (current.clone(), task.clone())).1 =
                    task.clone();
                current.task = task;
                if push {
                    pushes.push(current.task_id.clone());
                }
            }
        }
        let changes: Vec<(LiveTask, Task)> = changed.into_values().collect();
        let written = save_tasks_in(&mut tx, &changes, now).await?;
        tx.commit().await?;
        for task_id in pushes.into_iter().filter(|id| written.contains(id)) {
            self.push(&task_id).await?;
        }
        Ok(())
    }

    fn dropped(&self, device: &DeviceId, kind: Upstream, why: &str) {
        self.metrics.refused(Refusal::MqttPayload);
        tracing::info!(product_key = %device.product_key, device = %device.device_name, ?kind, "engine: message dropped: {why}");
    }

    /// A device asks for its update (§6.4): the pending task's package, or `{}`.
    async fn on_pull(&mut self, device: &DeviceId, iot_id: &str, pull: FirmwareGet) {
        let answer = async {
            let Some(live) = self.store.unfinished_task_of(iot_id, &pull.module).await? else { return Ok(None) };
            // An unconfirmed task waits for its confirmation, and a held one (its batch paused or
            // outside its windows, its wave not started) for that to pass, pulled or not.
            if live.task.status == TaskStatus::Confirm || self.store.is_held(&live.task_id).await? {
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

/// The reports without those a later report of the same task supersedes, in order.
fn latest_only(reports: Vec<(String, ProgressReport)>) -> Vec<(String, ProgressReport)> {
    let mut next_step: HashMap<(String, String), Step> = HashMap::new();
    let mut kept = Vec::with_capacity(reports.len());
    for (iot_id, report) in reports.into_iter().rev() {
        let key = (iot_id, report.module.clone());
        let superseded = next_step.get(&key).is_some_and(|next| report.step.superseded_by(*next));
        next_step.insert(key.clone(), report.step);
        if !superseded {
            kept.push((key.0, report));
        }
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use ota_model::task::TaskReason;

    use super::*;

    fn report(step: Step, module: &str) -> ProgressReport {
        ProgressReport { id: None, step, desc: None, module: module.into() }
    }

    #[test]
    fn of_reports_that_came_together_a_percentage_gives_way_to_the_next() {
        let failed = Step::Failed(TaskReason::FlashFailed);
        let reports = vec![
            ("a".to_owned(), report(Step::Percent(10), "default")),
            ("b".to_owned(), report(Step::Percent(10), "default")),
            ("a".to_owned(), report(Step::Percent(20), "default")),
            ("a".to_owned(), report(Step::Percent(30), "mcu")),
            ("a".to_owned(), report(failed, "default")),
        ];
        let kept = latest_only(reports);
        let kept: Vec<(&str, Step)> = kept.iter().map(|(id, r)| (id.as_str(), r.step)).collect();
        assert_eq!(kept, [("b", Step::Percent(10)), ("a", Step::Percent(20)), ("a", Step::Percent(30)), ("a", failed)]);
    }
}
