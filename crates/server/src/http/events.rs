//! SubscribeOTAEvents: the change feed as Server-Sent Events.
//!
//! The stream first says `ready` with the cursor it starts from, then sends each change as an
//! event named `task` or `job` whose `id` is its cursor. A client that reconnects with
//! `Last-Event-ID` continues after it; if changes it missed were pruned meanwhile, it gets a
//! `gap` event first and should reload what it shows.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use ota_model::extensions::{OtaEvent, SubscribeOTAEvents};

use super::{ApiError, Ctx};
use crate::store::Store;

/// How often the database is asked for new changes while there are none.
const POLL: Duration = Duration::from_millis(400);

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
    cursor: i64,
    pending: VecDeque<Event>,
}

pub async fn subscribe(
    ctx: Ctx,
    request: SubscribeOTAEvents,
    last_event_id: Option<&str>,
    mut stopping: Option<tokio::sync::watch::Receiver<bool>>,
    held: Held,
) -> Result<Response, ApiError> {
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
        pending,
    };
    let events = stream::unfold(feed, |mut feed| async move {
        loop {
            if let Some(event) = feed.pending.pop_front() {
                return Some((Ok::<_, Infallible>(event), feed));
            }
            match feed.store.events_after(&feed.instance, feed.cursor, feed.job_id.as_deref(), 500).await {
                Ok(changes) if !changes.is_empty() => {
                    for change in changes {
                        feed.cursor = change.cursor;
                        feed.pending.push_back(event(&change));
                    }
                }
                Ok(_) => tokio::time::sleep(POLL).await,
                Err(error) => {
                    tracing::warn!("event feed: {error}");
                    tokio::time::sleep(POLL * 5).await;
                }
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
