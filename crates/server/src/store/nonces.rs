//! The signature nonces seen in the last 31 minutes, in a SQLite file of their own beside the
//! database (`<database>-nonces`). They are written several times a second; in the main file
//! every such write would make each connection drop its page cache of the fleet's tables.

use std::time::Duration;

use ota_model::UtcTime;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::Store;

/// The one table, made here rather than by the migrations, which are the main file's.
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS signature_nonces (
        access_key_id TEXT NOT NULL,
        nonce         TEXT NOT NULL,
        expires_at    INTEGER NOT NULL,
        PRIMARY KEY (access_key_id, nonce)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS signature_nonces_by_expiry ON signature_nonces (expires_at);";

/// Opens the nonce file beside the database `main` opens; in memory for an in-memory database.
pub(super) async fn open(main: &SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    let file = main.get_filename().to_string_lossy().into_owned();
    let options = if file.is_empty() || file.contains(":memory:") || file.contains("mode=memory") {
        SqliteConnectOptions::new().in_memory(true)
    } else {
        SqliteConnectOptions::new().filename(format!("{file}-nonces"))
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5));
    // One writer at a time anyway; one connection keeps an in-memory file whole.
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    sqlx::raw_sql(SCHEMA).execute(&pool).await?;
    Ok(pool)
}

impl Store {
    /// Remembers signature nonces (AccessKeyId, nonce, until when), in one transaction.
    pub async fn remember_nonces(&self, nonces: &[(String, String, UtcTime)]) -> Result<(), sqlx::Error> {
        let mut tx = self.nonces.begin().await?;
        // 300 rows a statement: 900 parameters, under SQLite's limit of 999.
        for chunk in nonces.chunks(300) {
            let mut insert =
                sqlx::QueryBuilder::new("INSERT OR IGNORE INTO signature_nonces (access_key_id, nonce, expires_at) ");
            insert.push_values(chunk, |mut row, (access_key_id, nonce, expires_at)| {
                row.push_bind(access_key_id).push_bind(nonce).push_bind(expires_at.millis());
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// The nonces still remembered at `now`.
    pub async fn remembered_nonces(&self, now: UtcTime) -> Result<Vec<(String, String, UtcTime)>, sqlx::Error> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT access_key_id, nonce, expires_at FROM signature_nonces WHERE expires_at > ?")
                .bind(now.millis())
                .fetch_all(&self.nonces)
                .await?;
        rows.into_iter().map(|(key, nonce, at)| Ok((key, nonce, super::time("expires_at", at)?))).collect()
    }

    /// Forgets the nonces that can no longer be replayed.
    pub async fn forget_old_nonces(&self, now: UtcTime) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM signature_nonces WHERE expires_at < ?")
            .bind(now.millis())
            .execute(&self.nonces)
            .await
            .map(drop)
    }
}
