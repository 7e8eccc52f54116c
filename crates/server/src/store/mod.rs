//! The database: embedded SQLite through sqlx, schema in `migrations/`, applied at start.

pub mod access;
pub mod analysis;
pub mod audit;
mod check;
pub mod connections;
pub mod delivery;
pub mod dynamic;
pub mod engine;
mod events;
pub mod firmware;
pub mod groups;
mod instances;
pub mod jobs;
pub mod modules;
mod nonces;
pub mod registry;
mod stats;
pub mod tasks;
pub mod uploads;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ota_model::UtcTime;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::metrics::{DbWait, Metrics};
pub use audit::AuditEntry;
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
    pool: SqlitePool,
    /// The signature nonces, in a file of their own (`nonces`).
    nonces: SqlitePool,
    /// The API call whose changes this handle records (`audit`); none for the engine's own.
    audit: Option<Arc<AuditEntry>>,
    /// Where the time each transaction waited to begin is counted, once the server runs.
    metrics: Option<Arc<Metrics>>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `location`: a file path, or a
    /// `sqlite:` URL.
    pub async fn open(location: &str) -> Result<Self, String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot open the database {location}: {e}");
        let in_memory = location.contains(":memory:") || location.contains("mode=memory");
        let options = if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location).map_err(|e| fail(&e))?
        } else {
            if let Some(parent) = Path::new(location).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
            }
            SqliteConnectOptions::new().filename(location)
        };
        let nonces = nonces::open(&options).await.map_err(|e| fail(&e))?;
        let options = options
            .create_if_missing(true)
            // WAL lets reads proceed while a write is under way. FULL syncs the log at every
            // commit: an answered call or a recorded task change survives a power cut (NORMAL
            // could lose the last commits). The engine writes reports in batches, so this
            // costs one sync per batch (docs/benchmarks.md, progress-report ingestion).
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // Every connection to `:memory:` would be a separate, empty database.
        let connections = if in_memory { 1 } else { 8 };
        let pool =
            SqlitePoolOptions::new().max_connections(connections).connect_with(options).await.map_err(|e| fail(&e))?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| fail(&e))?;
        Ok(Self { pool, nonces, audit: None, metrics: None })
    }

    /// A transaction, for changes that must land together or not at all. It takes the write
    /// lock at once: a transaction that read first and wrote later would fail outright
    /// (SQLITE_BUSY_SNAPSHOT) whenever another connection wrote in between, instead of
    /// waiting its turn. On a store handed to an API call it first writes the call's audit
    /// record, which so commits with the change or not at all.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        let asked = Instant::now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        self.waited(DbWait::Write, asked);
        if let Some(entry) = &self.audit {
            audit::record_change(&mut tx, entry).await?;
        }
        Ok(tx)
    }

    /// A read-only transaction: one consistent view for several queries (a count and its
    /// page), without the write lock.
    pub async fn read(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        let asked = Instant::now();
        let tx = self.pool.begin().await?;
        self.waited(DbWait::Read, asked);
        Ok(tx)
    }

    /// This handle, counting in `metrics` how long transactions wait for a connection and,
    /// for writes, the write lock.
    pub fn observed_by(self, metrics: Arc<Metrics>) -> Self {
        Self { metrics: Some(metrics), ..self }
    }

    fn waited(&self, wait: DbWait, since: Instant) {
        if let Some(metrics) = &self.metrics {
            metrics.db_wait(wait, since.elapsed());
        }
    }

    /// Closes every connection (and so checkpoints the write-ahead log into the file).
    /// Writes everything into the database file itself, then closes. The connections finish
    /// closing on their own threads, so the file alone (without `-wal`) must be complete now.
    pub async fn close(self) {
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
            tracing::warn!("cannot checkpoint the database before closing: {error}");
        }
        self.pool.close().await;
        self.nonces.close().await;
    }

    /// Whether the database can answer a query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }

    /// Whether nothing has been stored yet (a new database).
    pub async fn is_empty(&self) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM firmware)")
            .fetch_one(&self.pool)
            .await?;
        row.try_get::<bool, _>(0)
    }
}

/// Whether the statement broke a UNIQUE constraint (someone else took the name first).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Whether the statement failed because the disk (or the database's page limit) is full
/// (SQLITE_FULL): nothing was written, and the same call may succeed once space is freed.
pub fn is_disk_full(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some("13"))
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
