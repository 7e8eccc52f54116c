//! The signature nonces seen in the last 31 minutes, in a SQLite file of their own beside the
//! database (`<database>-nonces`). They are written several times a second; in the main file
//! every such write would make each connection drop its page cache of the fleet's tables.
//!
//! Each is kept as its 128-bit fingerprint (`auth::nonces`), appended: the server's memory
//! already refuses a repeat, so the file needs no unique key, and rows arrive in expiry order,
//! so both the table and its index grow at their right edge. (A random primary key over the
//! nonces themselves made every batch touch pages all over a table of millions of rows.)

use std::time::Duration;

use ota_model::UtcTime;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::Store;
use crate::store::db::on;

/// The one table, made here rather than by the migrations, which are the main file's. The
/// first layout (whole nonces under a primary key) is dropped: it held 31 minutes at most.
const SCHEMA: &str = "
    DROP TABLE IF EXISTS signature_nonces;
    CREATE TABLE IF NOT EXISTS nonce_fingerprints (
        fingerprint BLOB NOT NULL,     -- 16 bytes
        expires_at  INTEGER NOT NULL   -- epoch milliseconds
    );
    CREATE INDEX IF NOT EXISTS nonce_fingerprints_by_expiry ON nonce_fingerprints (expires_at);";

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
    /// Remembers nonce fingerprints until when each may be forgotten, in one transaction.
    pub async fn remember_nonces(&self, nonces: &[(u128, UtcTime)]) -> Result<(), sqlx::Error> {
        let mut tx = self.nonces.begin().await?;
        // 400 rows a statement: 800 parameters, under SQLite's limit of 999.
        for chunk in nonces.chunks(400) {
            on!(tx, |db| {
                let mut insert = sqlx::QueryBuilder::new("INSERT INTO nonce_fingerprints (fingerprint, expires_at) ");
                insert.push_values(chunk, |mut row, (fingerprint, expires_at)| {
                    row.push_bind(fingerprint.to_be_bytes().to_vec()).push_bind(expires_at.millis());
                });
                // Another server that shares the database may have seen it too (PostgreSQL).
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(db).await.map(drop)
            })?;
        }
        tx.commit().await
    }

    /// Remembers one nonce fingerprint at once, unless it is remembered already (by another
    /// server sharing the database); whether this call remembered it.
    pub async fn claim_nonce(&self, fingerprint: u128, expires_at: UtcTime) -> Result<bool, sqlx::Error> {
        let bytes = fingerprint.to_be_bytes().to_vec();
        let claimed = on!(self.nonces, |db| sqlx::query(
            "INSERT INTO nonce_fingerprints (fingerprint, expires_at)
             SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM nonce_fingerprints WHERE fingerprint = $1)
             ON CONFLICT DO NOTHING",
        )
        .bind(bytes)
        .bind(expires_at.millis())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(claimed == 1)
    }

    /// The nonce fingerprints still remembered at `now`.
    pub async fn remembered_nonces(&self, now: UtcTime) -> Result<Vec<(u128, UtcTime)>, sqlx::Error> {
        let rows: Vec<(Vec<u8>, i64)> = on!(self.nonces, |db| sqlx::query_as(
            "SELECT fingerprint, expires_at FROM nonce_fingerprints WHERE expires_at > $1"
        )
        .bind(now.millis())
        .fetch_all(db)
        .await)?;
        rows.into_iter()
            .map(|(bytes, at)| {
                let fingerprint: [u8; 16] =
                    bytes.try_into().map_err(|_| super::corrupt("fingerprint", "not 16 bytes"))?;
                Ok((u128::from_be_bytes(fingerprint), super::time("expires_at", at)?))
            })
            .collect()
    }

    /// Forgets the nonces that can no longer be replayed.
    pub async fn forget_old_nonces(&self, now: UtcTime) -> Result<(), sqlx::Error> {
        on!(self.nonces, |db| sqlx::query("DELETE FROM nonce_fingerprints WHERE expires_at < $1")
            .bind(now.millis())
            .execute(db)
            .await
            .map(|done| done.rows_affected()))
        .map(drop)
    }
}
