//! The database: embedded SQLite by default, or PostgreSQL (`--database postgres://…`), both
//! through sqlx (`db`), their schemas in `migrations/sqlite` and `migrations/postgres`, applied
//! at start.

pub mod access;
pub mod analysis;
pub mod audit;
mod check;
pub mod connections;
mod copy;
pub(crate) mod db;
pub mod delivery;
pub mod dynamic;
pub mod engine;
mod events;
pub mod firmware;
pub mod groups;
mod instances;
pub mod jobs;
mod lease;
pub mod modules;
mod nonces;
mod postgres;
pub mod registry;
pub mod safety;
mod sqlite;
mod stats;
pub mod tasks;
pub mod uploads;

use std::sync::Arc;
use std::time::Instant;

use ota_model::UtcTime;

use crate::metrics::{DbWait, Metrics};
pub use audit::AuditEntry;
pub use copy::Copied;
pub use db::{Backend, Tx};
use db::{Pool, on};
pub use firmware::{Firmware, FirmwareChange, NewFirmware, NewFirmwareFile};
pub use jobs::{Job, NewJob};
pub use modules::ModuleChange;
pub use registry::{Device, Product};
pub use tasks::TaskChange;
pub use uploads::{Purpose, Upload};

/// The task states that are not final, as an SQL list.
const UNFINISHED: &str = "('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS')";

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// The signature nonces: in a SQLite file of their own (`nonces`), in the one PostgreSQL
    /// database that every replica shares.
    nonces: Pool,
    /// The API call whose changes this handle records (`audit`); none for the engine's own.
    audit: Option<Arc<AuditEntry>>,
    /// Where the time each transaction waited to begin is counted, once the server runs.
    metrics: Option<Arc<Metrics>>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `location`: a `postgres://`
    /// URL, or SQLite's: a file path or a `sqlite:` URL.
    pub async fn open(location: &str) -> Result<Self, String> {
        let (pool, nonces) = if postgres::names(location) {
            let pool = postgres::open(location).await?;
            (pool.clone(), pool)
        } else {
            sqlite::open(location).await?
        };
        Ok(Self { pool, nonces, audit: None, metrics: None })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Whether other servers may share this database (PostgreSQL): then what a server keeps in
    /// memory (the nonces it saw) does not speak for the others, and the database must decide.
    pub fn is_shared(&self) -> bool {
        self.backend() == Backend::Postgres
    }

    /// A transaction, for changes that must land together or not at all. Writers take turns
    /// (`Pool::begin_write`), so what a transaction read stays true until it commits. On a
    /// store handed to an API call it first writes the call's audit record, which so commits
    /// with the change or not at all.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let asked = Instant::now();
        let mut tx = self.pool.begin_write().await?;
        self.waited(DbWait::Write, asked);
        if let Some(entry) = &self.audit {
            audit::record_change(&mut tx, entry).await?;
        }
        Ok(tx)
    }

    /// A read-only transaction: one consistent view for several queries (a count and its
    /// page), without taking a writer's turn.
    pub async fn read(&self) -> Result<Tx, sqlx::Error> {
        let asked = Instant::now();
        let tx = self.pool.begin_read().await?;
        self.waited(DbWait::Read, asked);
        Ok(tx)
    }

    /// This handle, counting in `metrics` how long transactions wait for a connection and,
    /// for writes, their turn.
    pub fn observed_by(self, metrics: Arc<Metrics>) -> Self {
        Self { metrics: Some(metrics), ..self }
    }

    fn waited(&self, wait: DbWait, since: Instant) {
        if let Some(metrics) = &self.metrics {
            metrics.db_wait(wait, since.elapsed());
        }
    }

    /// Closes every connection; a SQLite file is made whole first (`sqlite::checkpoint`).
    pub async fn close(self) {
        if let Pool::Sqlite(pool) = &self.pool {
            sqlite::checkpoint(pool).await;
        }
        self.pool.close().await;
        self.nonces.close().await;
    }

    /// Whether the database can answer a query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on!(self.pool, |db| sqlx::query("SELECT 1").execute(db).await.map(|done| done.rows_affected())).map(drop)
    }

    /// Whether nothing has been stored yet (a new database).
    pub async fn is_empty(&self) -> Result<bool, sqlx::Error> {
        on!(self.pool, |db| sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM firmware)"
        )
        .fetch_one(db)
        .await)
    }
}

/// Whether the statement broke a UNIQUE constraint (someone else took the name first).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Whether the statement failed because the disk (or the database's page limit) is full
/// (SQLITE_FULL, PostgreSQL's disk_full): nothing was written, and the same call may succeed
/// once space is freed.
pub fn is_disk_full(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("13" | "53100")))
}

/// A stored time, as an instant.
fn time(column: &str, millis: i64) -> Result<UtcTime, sqlx::Error> {
    UtcTime::from_millis(millis).ok_or_else(|| corrupt(column, millis))
}

/// A stored value that does not fit its type: the database was changed behind our back.
fn corrupt(column: &str, value: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("column {column} holds '{value}', which is not a valid value").into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    #[tokio::test]
    async fn a_full_database_is_told_from_other_failures() {
        let pool = SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (b BLOB)").execute(&pool).await.unwrap();
        sqlx::query("PRAGMA max_page_count = 4").execute(&pool).await.unwrap();
        let full = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))").execute(&pool).await.unwrap_err();
        assert!(is_disk_full(&full), "{full}");
        let other = sqlx::query("INSERT INTO nowhere VALUES (1)").execute(&pool).await.unwrap_err();
        assert!(!is_disk_full(&other), "{other}");
    }
}
