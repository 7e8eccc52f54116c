//! The database: embedded SQLite through sqlx, schema in `migrations/`, applied at start.

mod firmware;
mod products;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

pub use firmware::{NewFirmware, insert_firmware};
pub use products::{NewProduct, insert_product};

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
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
            if let Some(parent) = Path::new(location)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
            }
            SqliteConnectOptions::new().filename(location)
        };
        let options = options
            .create_if_missing(true)
            // WAL lets reads proceed while a write is under way.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // Every connection to `:memory:` would be a separate, empty database.
        let connections = if in_memory { 1 } else { 8 };
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .map_err(|e| fail(&e))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| fail(&e))?;
        Ok(Self { pool })
    }

    /// A transaction, for changes that must land together or not at all.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin().await
    }

    /// Whether the database can answer a query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }

    /// Whether nothing has been stored yet (a new database).
    pub async fn is_empty(&self) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM firmware)",
        )
        .fetch_one(&self.pool)
        .await?;
        row.try_get::<bool, _>(0)
    }
}

/// A stored value that does not fit its type: the database was changed behind our back.
fn corrupt(column: &str, value: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(
        format!("column {column} holds '{value}', which is not a valid value").into(),
    )
}
