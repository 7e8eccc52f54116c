//! The rollout engine: moves tasks through their states. It pushes queued tasks to connected
//! devices at each batch's rate, hands devices' reports to the state machine
//! (`ota_model::lifecycle`), starts and ends scheduled batches, and fires retries and
//! timeouts. Everything it knows lives in the database, so a restart picks up where it was;
//! the only state in memory is each batch's pacing.

mod devices;
mod guard;
pub mod lease;
mod push;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ota_model::UtcTime;
use ota_model::lifecycle::{Event, Outcome, apply};
use ota_model::pace::Pacer;
use tokio::sync::mpsc;

use ota_model::device::DeviceId;

use crate::auth::downloads::Downloads;
use crate::metrics::Metrics;
use crate::mqtt::{DeviceEvent, Outbox};
use crate::store::Store;
use crate::store::engine::LiveTask;

/// How often the engine looks at the clock.
pub const TICK: Duration = Duration::from_millis(50);
/// Tasks handled per tick for each kind of deadline, so that one tick stays short.
const DUE_PER_TICK: u32 = 500;
/// How far back a new leader looks for pushes that may not have left the last one: well
/// beyond the time a lease takes to pass on ([`lease::LEASE`] and a renewal).
const PUSHED_LATELY: chrono::TimeDelta = chrono::TimeDelta::seconds(30);
/// Device events handled together at most.
const EVENTS_PER_BATCH: usize = 512;

/// Where the time comes from: the system's, or a test's.
pub trait Clock: Send + Sync {
    fn now(&self) -> UtcTime;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcTime {
        UtcTime(chrono::Utc::now())
    }
}

pub struct Engine {
    store: Store,
    outbox: Outbox,
    clock: Arc<dyn Clock>,
    /// Where devices download packages: this server's public origin.
    download_base: String,
    /// Signs the download URLs devices are told.
    downloads: Downloads,
    metrics: Arc<Metrics>,
    pacers: HashMap<String, Pacer>,
    iot_ids: HashMap<DeviceId, String>,
    /// Each guarded batch's finished tasks when its rules were last judged.
    finished_seen: HashMap<String, u64>,
}

impl Engine {
    pub fn new(
        store: Store,
        outbox: Outbox,
        clock: Arc<dyn Clock>,
        download_base: String,
        downloads: Downloads,
        metrics: Arc<Metrics>,
    ) -> Self {
        let (pacers, iot_ids, finished_seen) = (HashMap::new(), HashMap::new(), HashMap::new());
        Self { store, outbox, clock, download_base, downloads, metrics, pacers, iot_ids, finished_seen }
    }

    /// Runs until the events stop: each device event as it comes, and, while this server leads
    /// the engine, a tick every [`TICK`].
    pub async fn run(mut self, mut events: mpsc::Receiver<DeviceEvent>, leadership: lease::Leadership) {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut leading = false;
        loop {
            let result = tokio::select! {
                _ = ticks.tick() => {
                    if !leadership.leads() {
                        leading = false;
                        continue;
                    }
                    if !leading {
                        let taken = self.take_lead().await;
                        leading = taken.is_ok();
                        if let Err(error) = taken {
                            tracing::error!("engine: {error}");
                        }
                        continue;
                    }
                    let started = std::time::Instant::now();
                    let ticked = self.tick().await;
                    self.metrics.engine_tick(started.elapsed());
                    ticked
                }
                event = events.recv() => match event {
                    Some(event) => {
                        // Whatever else has arrived goes along: reports in bulk share a transaction.
                        let mut batch = vec![event];
                        while let Ok(more) = events.try_recv() {
                            batch.push(more);
                            if batch.len() == EVENTS_PER_BATCH {
                                break;
                            }
                        }
                        self.on_devices(batch).await;
                        Ok(())
                    }
                    None => return,
                },
            };
            if let Err(error) = result {
                tracing::error!("engine: {error}");
            }
        }
    }

    /// Starts leading the engine (at start too): pacing afresh, and the pushes of the last
    /// [`PUSHED_LATELY`] that no device has taken up sent again, since the server that made
    /// them may have died before they left it. Devices ignore a push of what they are doing.
    pub async fn take_lead(&mut self) -> Result<(), sqlx::Error> {
        self.pacers.clear();
        self.finished_seen.clear();
        let since = UtcTime(self.clock.now().0 - PUSHED_LATELY);
        for task_id in self.store.notified_since(since).await? {
            self.push(&task_id).await?;
        }
        Ok(())
    }

    /// Everything time alone brings about, then the pushes that are due.
    pub async fn tick(&mut self) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        for job_id in self.store.start_due_jobs(now).await? {
            tracing::info!(job_id, "engine: scheduled batch started");
        }
        for live in self.store.tasks_past_schedule(now, DUE_PER_TICK).await? {
            self.step(&live, Event::ScheduleEnded).await?;
        }
        for live in self.store.due_tasks(now, DUE_PER_TICK).await? {
            if self.step(&live, Event::Tick).await? == Stepped::Push {
                self.push(&live.task_id).await?;
            }
        }
        if let Err(error) = self.guard(now).await {
            // The batches' rules are looked at again next tick; pushes go on meanwhile.
            tracing::error!("engine: cannot read the batches' rules: {error}");
        }
        self.push_due(now).await
    }

    /// Applies `event` to a task and stores the outcome.
    async fn step(&self, live: &LiveTask, event: Event<'_>) -> Result<Stepped, sqlx::Error> {
        let now = self.clock.now();
        match apply(&live.task, &live.policy, event, now) {
            Outcome::Unchanged => Ok(Stepped::Unchanged),
            Outcome::Changed { task, push } => {
                if !self.store.save_task(live, &task, now).await? {
                    return Ok(Stepped::Unchanged);
                }
                Ok(if push { Stepped::Push } else { Stepped::Changed })
            }
        }
    }
}

/// What applying an event came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stepped {
    Unchanged,
    Changed,
    /// Changed, and the package must go to the device again.
    Push,
}
