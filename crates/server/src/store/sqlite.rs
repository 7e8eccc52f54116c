//! SQLite: one file (and its nonce file, `nonces`), opened with what makes a change durable.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::db::Pool;
use super::nonces;

/// Opens (creating if needed) and migrates the database at `location`, a file path or a
/// `sqlite:` URL; and its nonce file.
pub(super) async fn open(location: &str) -> Result<(Pool, Pool), String> {
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
    sqlx::migrate!("./migrations/sqlite").run(&pool).await.map_err(|e| fail(&e))?;
    Ok((Pool::Sqlite(pool), Pool::Sqlite(nonces)))
}

/// Writes everything into the database file itself. The connections finish closing on their
/// own threads, so the file alone (without `-wal`) must be complete before they do.
pub(super) async fn checkpoint(pool: &SqlitePool) {
    if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await {
        tracing::warn!("cannot checkpoint the database before closing: {error}");
    }
}
