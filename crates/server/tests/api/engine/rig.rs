//! The engine's test rig: the demo fleet's server, an engine with a clock the test moves,
//! and devices attached to its outbox in-process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::Duration;
use ota_model::UtcTime;
use ota_model::device::{DeviceId, Downstream, Upstream};
use ota_server::engine::{Clock, Engine};
use ota_server::metrics::Metrics;
use ota_server::mqtt::{DeviceEvent, Outbox, Outgoing, Receipt};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::support::Server;

pub const HVAC: &str = "a1Hvac3CtlM";

pub struct TestClock(Mutex<UtcTime>);

impl Clock for TestClock {
    fn now(&self) -> UtcTime {
        *self.0.lock().unwrap()
    }
}

pub struct Rig {
    pub server: Server,
    pub engine: Engine,
    pub clock: Arc<TestClock>,
    pub outbox: Outbox,
    pub metrics: Arc<Metrics>,
    pub inboxes: HashMap<String, mpsc::Receiver<Outgoing>>,
}

pub fn hvac(name: &str) -> DeviceId {
    DeviceId { product_key: HVAC.into(), device_name: name.into() }
}

impl Rig {
    pub async fn new() -> Self {
        let server = Server::new().await;
        let outbox = Outbox::default();
        let clock = Arc::new(TestClock(Mutex::new(UtcTime(chrono::Utc::now()))));
        let metrics = Metrics::new();
        let engine = Engine::new(
            server.store.clone(),
            outbox.clone(),
            clock.clone(),
            "http://ota.test".into(),
            server.access.downloads.clone(),
            metrics.clone(),
        );
        Rig { server, engine, clock, outbox, metrics, inboxes: HashMap::new() }
    }

    pub async fn device(&mut self, event: DeviceEvent) {
        self.engine.on_device(event).await.unwrap();
    }

    /// The device connects and subscribes.
    pub async fn connect(&mut self, name: &str) {
        self.inboxes.insert(name.into(), self.outbox.attach(&hvac(name)));
        self.device(DeviceEvent::Connected { device: hvac(name), ip: Some("10.0.0.7".into()) }).await;
        self.device(DeviceEvent::Listening { device: hvac(name) }).await;
    }

    pub async fn publish(&mut self, name: &str, kind: Upstream, json: Value) {
        let payload = Bytes::from(json.to_string());
        self.device(DeviceEvent::Message { device: hvac(name), kind, payload, receipt: Receipt::default() }).await;
    }

    /// Moves the clock on by `millis`, ticking every 100 ms of it (every 10 s beyond the
    /// first minute: nothing there depends on finer steps).
    pub async fn advance(&mut self, millis: i64) {
        let mut left = millis;
        while left > 0 {
            let step = if millis > 60_000 { 10_000 } else { 100 }.min(left);
            self.clock.0.lock().unwrap().0 += Duration::milliseconds(step);
            left -= step;
            self.engine.tick().await.unwrap();
        }
    }

    /// What a device was sent since last asked.
    pub fn received(&mut self, name: &str) -> Vec<(Downstream, Value)> {
        let inbox = self.inboxes.get_mut(name).unwrap();
        let mut got = Vec::new();
        while let Ok(message) = inbox.try_recv() {
            got.push((message.kind, serde_json::from_slice(&message.payload).unwrap()));
        }
        got
    }

    /// A static batch of the controllers on 1.8.0 with `extra` parameters; its ID and the
    /// names of its devices, in order.
    pub async fn batch(&self, extra: &[(&str, &str)]) -> (String, Vec<String>) {
        let id = self.server.firmware_id("hc3-ctrl-1_9_0").await;
        let mut params = vec![
            ("FirmwareId", id.as_str()),
            ("ProductKey", HVAC),
            ("TargetSelection", "ALL"),
            ("SrcVersion.1", "1.8.0"),
            ("OverwriteMode", "2"),
        ];
        params.extend_from_slice(extra);
        let created = self.server.ok("CreateOTAStaticUpgradeJob", &params).await;
        let job = created["Data"]["JobId"].as_str().unwrap().to_owned();
        let tasks = self.server.ok("ListOTATaskByJob", &[("JobId", &job), ("PageSize", "100")]).await;
        let names = tasks["Data"]["SimpleOTATaskInfo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["DeviceName"].as_str().unwrap().to_owned())
            .collect();
        (job, names)
    }

    /// Each task's state, by device name.
    pub async fn states(&self, job: &str) -> HashMap<String, (String, Option<String>)> {
        let tasks = self.server.ok("ListOTATaskByJob", &[("JobId", job), ("PageSize", "100")]).await;
        tasks["Data"]["SimpleOTATaskInfo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let reason = t.get("ReasonCode").and_then(Value::as_str).map(str::to_owned);
                (t["DeviceName"].as_str().unwrap().to_owned(), (t["TaskStatus"].as_str().unwrap().to_owned(), reason))
            })
            .collect()
    }

    pub async fn state(&self, job: &str, name: &str) -> String {
        self.states(job).await[name].0.clone()
    }
}

pub fn progress(step: &str) -> Value {
    serde_json::json!({"id": "1", "params": {"step": step, "desc": ""}})
}

pub fn version(v: &str) -> Value {
    serde_json::json!({"id": "2", "params": {"version": v}})
}
