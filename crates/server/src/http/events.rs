//! SubscribeOTAEvents: the change feed as Server-Sent Events.
//!
//! The stream first says `ready` with the cursor it starts from, then sends each change as an
//! event named `task` or `job` whose `id` is its cursor. A client that reconnects with
//! `Last-Event-ID` continues after it; if changes it missed were pruned meanwhile, it gets a
//! `gap` event first and should reload what it shows.
//!
//! One [`EventHub`] reads new changes for every subscriber at once; a subscriber reads the
//! database itself only to catch up (when it starts from an older cursor, or fell behind).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use ota_model::extensions::{OtaEvent, SubscribeOTAEvents};
use tokio::sync::broadcast;

use super::{ApiError, Ctx};
use crate::store::Store;

/// How often the hub asks the database for new changes while there are none.
const POLL: Duration = Duration::from_millis(400);
/// Changes read at once, by the hub or by a subscriber catching up.
const PAGE: i64 = 500;
/// Batches the hub keeps for a slow subscriber before it must catch up from the database.
const BACKLOG: usize = 256;
/// A subscriber whose filter skipped this many changes is told its cursor moved (an `id`
/// without data, which a browser keeps as its Last-Event-ID and dispatches nothing for).
const SKIPPED_BEFORE_MOVING: i64 = 1000;

/// Changes the hub read in one go, of every instance.
#[derive(Debug)]
pub struct Changes {
    pub events: Vec<(String, OtaEvent)>,
    /// The cursor of the last change read.
    pub through: i64,
}

/// Reads new changes once for all subscribers and hands them out.
#[derive(Debug, Clone)]
pub struct EventHub {
    sender: broadcast::Sender<Arc<Changes>>,
}

impl EventHub {
    /// Starts reading `store`'s changes; it reads only while someone listens.
    pub fn start(store: Store) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        tokio::spawn(read_changes(store, sender.clone()));
        Self { sender }
    }

    fn listen(&self) -> broadcast::Receiver<Arc<Changes>> {
        self.sender.subscribe()
    }
}

async fn read_changes(store: Store, sender: broadcast::Sender<Arc<Changes>>) {
    let mut cursor = None;
    loop {
        if sender.receiver_count() == 0 {
            // Nobody listens: whoever comes next catches up by itself.
            cursor = None;
            tokio::time::sleep(POLL).await;
            continue;
        }
        let from = match cursor {
            Some(cursor) => cursor,
            None => match store.latest_event().await {
                Ok(latest) => *cursor.insert(latest),
                Err(error) => {
                    tracing::warn!("event feed: {error}");
                    tokio::time::sleep(POLL * 5).await;
                    continue;
                }
            },
        };
        match store.events_of_every_instance_after(from, PAGE).await {
            Ok(events) if !events.is_empty() => {
                let full = events.len() as i64 == PAGE;
                let through = events.last().map_or(from, |(_, e)| e.cursor);
                cursor = Some(through);
                // Nobody may be listening by now; the next turn notices.
                let _ = sender.send(Arc::new(Changes { events, through }));
                if !full {
                    tokio::time::sleep(POLL).await;
                }
            }
            Ok(_) => tokio::time::sleep(POLL).await,
            Err(error) => {
                tracing::warn!("event feed: {error}");
                tokio::time::sleep(POLL * 5).await;
            }
        }
    }
}

/// What an open stream holds until it ends: its place among the subscribers, and its count.
pub struct Held {
    pub _slot: tokio::sync::OwnedSemaphorePermit,
    pub _counted: crate::metrics::SubscriberGuard,
}

struct Feed {
    _held: Held,
    store: Store,
    instance: String,
    job_id: Option<String>,
    /// The last change this subscriber has dealt with, sent or skipped.
    cursor: i64,
    /// The cursor the client last heard of.
    told: i64,
    /// Whether every change up to the hub's is dealt with.
    caught_up: bool,
    live: broadcast::Receiver<Arc<Changes>>,
    pending: VecDeque<Event>,
}

impl Feed {
    fn wants(&self, instance: &str, event: &OtaEvent) -> bool {
        instance == self.instance && self.job_id.as_ref().is_none_or(|job| *job == event.job_id)
    }

    fn send(&mut self, change: &OtaEvent) {
        self.cursor = change.cursor;
        self.told = change.cursor;
        self.pending.push_back(event(change));
    }

    /// Reads the database from the cursor on, up to now.
    async fn catch_up(&mut self) -> Result<(), sqlx::Error> {
        let changes = self.store.events_after(&self.instance, self.cursor, self.job_id.as_deref(), PAGE).await?;
        self.caught_up = (changes.len() as i64) < PAGE;
        for change in &changes {
            self.send(change);
        }
        Ok(())
    }

    /// Takes in what the hub read.
    fn receive(&mut self, changes: &Changes) {
        for (instance, change) in &changes.events {
            if change.cursor > self.cursor && self.wants(instance, change) {
                self.send(change);
            }
        }
        self.cursor = self.cursor.max(changes.through);
        if self.cursor - self.told >= SKIPPED_BEFORE_MOVING {
            self.told = self.cursor;
            self.pending.push_back(Event::default().id(self.cursor.to_string()).comment("cursor"));
        }
    }
}

pub async fn subscribe(
    ctx: Ctx,
    hub: &EventHub,
    request: SubscribeOTAEvents,
    last_event_id: Option<&str>,
    mut stopping: Option<tokio::sync::watch::Receiver<bool>>,
    held: Held,
) -> Result<Response, ApiError> {
    // Listening before catching up: whatever arrives meanwhile is seen once or twice, never not.
    let live = hub.listen();
    let resume = last_event_id.and_then(|id| id.trim().parse::<i64>().ok()).or(request.cursor);
    let cursor = match resume {
        Some(cursor) => cursor,
        None => ctx.store.latest_event().await?,
    };
    let mut pending = VecDeque::new();
    pending.push_back(Event::default().event("ready").data(format!("{{\"Cursor\":{cursor}}}")));
    if resume.is_some() && ctx.store.oldest_event().await?.is_some_and(|oldest| oldest > cursor.saturating_add(1)) {
        pending.push_back(Event::default().event("gap").data(format!("{{\"Cursor\":{cursor}}}")));
    }
    let feed = Feed {
        _held: held,
        store: ctx.store.clone(),
        instance: ctx.instance.clone(),
        job_id: request.job_id,
        cursor,
        told: cursor,
        caught_up: false,
        live,
        pending,
    };
    let events = stream::unfold(feed, |mut feed| async move {
        loop {
            if let Some(event) = feed.pending.pop_front() {
                return Some((Ok::<_, Infallible>(event), feed));
            }
            if !feed.caught_up {
                if let Err(error) = feed.catch_up().await {
                    tracing::warn!("event feed: {error}");
                    tokio::time::sleep(POLL * 5).await;
                }
                continue;
            }
            match feed.live.recv().await {
                Ok(changes) => feed.receive(&changes),
                // Too slow for the hub's backlog: the database has what it missed.
                Err(broadcast::error::RecvError::Lagged(_)) => feed.caught_up = false,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let stopped = async move {
        match stopping.as_mut() {
            Some(stopping) => drop(stopping.wait_for(|stop| *stop).await),
            None => std::future::pending().await,
        }
    };
    Ok(Sse::new(events.take_until(stopped)).keep_alive(KeepAlive::default()).into_response())
}

fn event(change: &OtaEvent) -> Event {
    let data = serde_json::to_string(change).unwrap_or_default();
    Event::default().id(change.cursor.to_string()).event(change.kind.as_str()).data(data)
}
