//! The change feed: task and batch state changes, numbered, kept for a while.

use ota_model::extensions::OtaEvent;

use sqlx::FromRow;

use super::{Store, time};
use crate::store::db::on;

#[derive(FromRow)]
struct EventRow {
    seq: i64,
    instance_id: String,
    kind: String,
    job_id: String,
    task_id: Option<String>,
    iot_id: Option<String>,
    status: String,
    utc: i64,
}

impl EventRow {
    fn into_event(self) -> Result<(String, OtaEvent), sqlx::Error> {
        let event = OtaEvent {
            utc_time: time("utc", self.utc)?,
            cursor: self.seq,
            kind: self.kind,
            job_id: self.job_id,
            task_id: self.task_id,
            iot_id: self.iot_id,
            status: self.status,
        };
        Ok((self.instance_id, event))
    }
}

/// Events kept per instance, at least; older ones are pruned.
pub const RETAINED_EVENTS: i64 = 100_000;

impl Store {
    /// Events of an instance after `cursor`, oldest first, at most `limit`.
    pub async fn events_after(
        &self,
        instance: &str,
        cursor: i64,
        job_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OtaEvent>, sqlx::Error> {
        // Two statements, so that each uses its index: a batch's events, or all in order.
        let rows: Vec<EventRow> = on!(self.pool, |db| match job_id {
            Some(job_id) => sqlx::query_as(
                "SELECT seq, instance_id, kind, job_id, task_id, iot_id, status, utc FROM events
                 WHERE job_id = $1 AND seq > $2 AND instance_id = $3 ORDER BY seq LIMIT $4",
            )
            .bind(job_id),
            None => sqlx::query_as(
                "SELECT seq, instance_id, kind, job_id, task_id, iot_id, status, utc FROM events
                 WHERE seq > $1 AND instance_id = $2 ORDER BY seq LIMIT $3",
            ),
        }
        .bind(cursor)
        .bind(instance)
        .bind(limit)
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(|row| row.into_event().map(|(_, event)| event)).collect()
    }

    /// Events of every instance after `cursor`, oldest first, at most `limit`, with their
    /// instance: what the event hub hands out.
    pub async fn events_of_every_instance_after(
        &self,
        cursor: i64,
        limit: i64,
    ) -> Result<Vec<(String, OtaEvent)>, sqlx::Error> {
        let rows: Vec<EventRow> = on!(self.pool, |db| sqlx::query_as(
            "SELECT seq, instance_id, kind, job_id, task_id, iot_id, status, utc FROM events
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(EventRow::into_event).collect()
    }

    /// The newest event's cursor (0 when there is none): where a new subscriber starts.
    pub async fn latest_event(&self) -> Result<i64, sqlx::Error> {
        let (latest,): (i64,) =
            on!(self.pool, |db| sqlx::query_as("SELECT coalesce(max(seq), 0) FROM events").fetch_one(db).await)?;
        Ok(latest)
    }

    /// Drops events beyond the newest [`RETAINED_EVENTS`].
    pub async fn prune_events(&self) -> Result<u64, sqlx::Error> {
        let pruned =
            on!(self.pool, |db| sqlx::query("DELETE FROM events WHERE seq <= (SELECT max(seq) FROM events) - $1")
                .bind(RETAINED_EVENTS)
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
        Ok(pruned)
    }

    /// The oldest event still kept, to tell a subscriber that it missed some.
    pub async fn oldest_event(&self) -> Result<Option<i64>, sqlx::Error> {
        let (oldest,): (Option<i64>,) =
            on!(self.pool, |db| sqlx::query_as("SELECT min(seq) FROM events").fetch_one(db).await)?;
        Ok(oldest)
    }
}
