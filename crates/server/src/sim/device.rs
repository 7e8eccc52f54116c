//! One simulated device: a real MQTT client that logs in with its credentials, reports its
//! versions, takes pushed (or pulled) updates through the steps its fate gives them, reboots
//! into the new version, and now and then drops off the network.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use ota_model::device::credentials::Login;
use ota_model::device::payload::{DEFAULT_MODULE, FirmwareGetReply, Pending, UpdateInfo, UpgradePush};
use ota_model::device::{DeviceId, Downstream, Upstream};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde_json::json;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until};

use super::World;
use super::api::DownloadError;
use super::update::{Action, plan};
use crate::mqtt::auth::password_for;

pub struct Device {
    pub id: DeviceId,
    pub secret: String,
    /// What it runs, per module.
    pub versions: BTreeMap<String, String>,
    /// Asks for its update on every connect instead of waiting for a push.
    pub pulls: bool,
    /// How each update turns out: the n-th update of a device meets the same fate for a seed.
    pub fates: ChaCha8Rng,
    /// Delays and churn.
    pub rng: ChaCha8Rng,
    pub messages: u64,
    /// Carries on across connections: a device that loses the network mid-update goes on
    /// with it when it is back.
    pub updating: Option<Updating>,
}

/// An update under way: the package, and the steps left with when the next is due.
pub struct Updating {
    info: UpdateInfo,
    module: String,
    steps: VecDeque<Action>,
    next_at: Instant,
    download: Option<JoinHandle<Result<u64, DownloadError>>>,
}

/// Why a connection ended.
enum Ended {
    Reboot,
    DroppedOff,
    /// The network or the server went away; `connected` if the login had succeeded.
    Lost {
        connected: bool,
    },
}

impl Device {
    /// Lives until the process ends.
    pub async fn live(mut self, world: Arc<World>) {
        sleep(world.timing.arrival(&mut self.rng)).await;
        let mut failures = 0u32;
        loop {
            let pause = match self.connection(&world).await {
                Ended::Reboot => world.timing.reboot(&mut self.rng),
                Ended::DroppedOff => world.timing.away(&mut self.rng),
                Ended::Lost { connected } => {
                    failures = if connected { 0 } else { (failures + 1).min(6) };
                    Duration::from_millis(self.rng.gen_range(500..1000) << failures)
                }
            };
            sleep(pause).await;
        }
    }

    fn options(&self, world: &World) -> MqttOptions {
        let DeviceId { product_key: pk, device_name: dn } = &self.id;
        let timestamp = chrono::Utc::now().timestamp_millis();
        let client_id = format!("{pk}&{dn}|securemode=2,signmethod=hmacsha256,timestamp={timestamp}|");
        let username = format!("{dn}&{pk}");
        let password = Login::parse(&client_id, &username)
            .ok()
            .and_then(|login| password_for(&login, &self.secret))
            .unwrap_or_default();
        let mut options = MqttOptions::new(client_id, world.mqtt_host.clone(), world.mqtt_port);
        options.set_credentials(username, password).set_keep_alive(Duration::from_secs(60));
        options.set_max_packet_size(64 * 1024, 64 * 1024);
        options
    }

    /// One MQTT connection, from login to whatever ends it.
    async fn connection(&mut self, world: &World) -> Ended {
        let (client, mut events) = AsyncClient::new(self.options(world), 32);
        let leave_at = world.timing.stay(&mut self.rng).map(|stay| Instant::now() + stay);
        let mut online = false;
        let ended = loop {
            let next_at = self.updating.as_ref().filter(|u| u.download.is_none()).map(|u| u.next_at);
            // Devices do not drop off in the middle of an update.
            let leave = leave_at.filter(|_| self.updating.is_none());
            tokio::select! {
                event = events.poll() => match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        online = true;
                        world.stats.online(1);
                        self.greet(&client);
                    }
                    Ok(Event::Incoming(Packet::Publish(publish))) => {
                        if let Some(info) = self.update_offered(&publish.topic, &publish.payload) {
                            self.begin(&client, info, world);
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::debug!(device = %self.id.device_name, "simulate: connection lost: {error}");
                        break Ended::Lost { connected: online };
                    }
                },
                done = finished(&mut self.updating) => self.downloaded(&client, done, world),
                _ = sleep_until(next_at.unwrap_or_else(far_future)), if next_at.is_some() => {
                    if let Some(ended) = self.advance(&client, world) {
                        break ended;
                    }
                }
                _ = sleep_until(leave.unwrap_or_else(far_future)), if leave.is_some() => break Ended::DroppedOff,
            }
        };
        if online {
            world.stats.online(-1);
        }
        if !matches!(ended, Ended::Lost { .. }) {
            let _ = client.try_disconnect();
            // Lets the DISCONNECT go out before the connection is dropped.
            let _ =
                tokio::time::timeout(Duration::from_millis(200), async { while events.poll().await.is_ok() {} }).await;
        }
        ended
    }

    /// Just connected: listens for updates and says what it runs; a puller asks for its update.
    fn greet(&mut self, client: &AsyncClient) {
        for topic in [Downstream::Upgrade.topic(&self.id), Downstream::FirmwareGetReply.topic(&self.id)] {
            let _ = client.try_subscribe(topic, QoS::AtLeastOnce);
        }
        let versions: Vec<_> = self.versions.clone().into_iter().collect();
        for (module, version) in &versions {
            self.publish(client, Upstream::Inform, json!({ "version": version, "module": module }));
        }
        if self.pulls {
            for (module, _) in &versions {
                self.publish(client, Upstream::FirmwareGet, json!({ "module": module, "version": "1.0" }));
            }
        }
    }

    /// The update a push or a pull reply offers, if any.
    fn update_offered(&self, topic: &str, payload: &[u8]) -> Option<UpdateInfo> {
        if topic == Downstream::Upgrade.topic(&self.id) {
            serde_json::from_slice::<UpgradePush>(payload).ok().map(|push| push.data)
        } else if topic == Downstream::FirmwareGetReply.topic(&self.id) {
            match serde_json::from_slice::<FirmwareGetReply>(payload).ok()?.data {
                Pending::Update(info) => Some(*info),
                Pending::Nothing {} => None,
            }
        } else {
            None
        }
    }

    /// Starts an update, unless it is one it runs already or is busy with (a repeated push).
    fn begin(&mut self, client: &AsyncClient, info: UpdateInfo, world: &World) {
        let module = info.module.clone().unwrap_or_else(|| DEFAULT_MODULE.to_owned());
        tracing::debug!(device = %self.id.device_name, version = info.version, busy = self.updating.is_some(), "simulate: update offered");
        if self.updating.is_some() {
            return;
        }
        if self.versions.get(&module) == Some(&info.version) {
            self.publish(client, Upstream::Inform, json!({ "version": info.version, "module": module }));
            return;
        }
        world.stats.started();
        let fate = world.mix.draw_for(&info.version, &mut self.fates);
        let steps = plan(fate, &info.version);
        let next_at = Instant::now() + world.timing.step(&mut self.rng);
        self.updating = Some(Updating { info, module, steps, next_at, download: None });
    }

    /// The download finished: on to the next step, or the update fails.
    fn downloaded(&mut self, client: &AsyncClient, done: Result<u64, DownloadError>, world: &World) {
        let Some(update) = self.updating.as_mut() else { return };
        update.download = None;
        if let Err(why) = done {
            world.stats.failed();
            let (step, desc) = match why {
                DownloadError::Failed(_) => (-2, "download failed"),
                DownloadError::Corrupt(_) => (-3, "package digest does not match"),
            };
            let module = update.module.clone();
            self.updating = None;
            self.report(client, step, Some(desc), &module);
        }
    }

    /// Takes the next step of the update; how the connection ends, if this step ends it.
    fn advance(&mut self, client: &AsyncClient, world: &World) -> Option<Ended> {
        let update = self.updating.as_mut()?;
        let Some(action) = update.steps.pop_front() else {
            self.updating = None;
            return None;
        };
        update.next_at = Instant::now() + world.timing.step(&mut self.rng);
        tracing::debug!(device = %self.id.device_name, ?action, "simulate: update step");
        match action {
            Action::Progress(percent) => {
                let module = update.module.clone();
                self.report(client, i64::from(percent), None, &module);
            }
            Action::Download => {
                let (api, info) = (world.api.clone(), update.info.clone());
                update.download = Some(tokio::spawn(async move {
                    // A broken connection is tried again, as device SDKs do, before the update fails.
                    for wait in [1, 2, 4] {
                        match api.download(&info.url, &info.sign_method, &info.sign).await {
                            Err(DownloadError::Failed(_)) => sleep(Duration::from_secs(wait)).await,
                            done => return done,
                        }
                    }
                    api.download(&info.url, &info.sign_method, &info.sign).await
                }));
            }
            Action::Fail { step, desc } => {
                world.stats.failed();
                let module = update.module.clone();
                self.updating = None;
                self.report(client, i64::from(step), Some(desc), &module);
            }
            Action::FallSilent => {
                world.stats.silent();
                self.updating = None;
            }
            Action::Reboot { version } => {
                world.stats.rebooted(version == update.info.version);
                self.versions.insert(update.module.clone(), version);
                self.updating = None;
                return Some(Ended::Reboot);
            }
        }
        None
    }

    fn report(&mut self, client: &AsyncClient, step: i64, desc: Option<&str>, module: &str) {
        let params = json!({ "step": step.to_string(), "desc": desc.unwrap_or(""), "module": module });
        self.publish(client, Upstream::Progress, params);
    }

    /// Sends `params` in Alibaba's envelope, numbered.
    fn publish(&mut self, client: &AsyncClient, topic: Upstream, params: serde_json::Value) {
        self.messages += 1;
        let body = json!({ "id": self.messages.to_string(), "params": params });
        let _ = client.try_publish(topic.topic(&self.id), QoS::AtLeastOnce, false, body.to_string());
    }
}

/// The download under way finishing; never, when there is none.
async fn finished(updating: &mut Option<Updating>) -> Result<u64, DownloadError> {
    match updating.as_mut().and_then(|u| u.download.as_mut()) {
        Some(download) => download.await.unwrap_or_else(|e| Err(DownloadError::Failed(e.to_string()))),
        None => std::future::pending().await,
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}
