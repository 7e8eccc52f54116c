//! PostgreSQL: one database that any number of servers share (`--database postgres://…`).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::db::Pool;

/// Whether `location` names a PostgreSQL database.
pub(super) fn names(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Connects to and migrates the database at the `postgres://` URL `location`.
pub(super) async fn open(location: &str) -> Result<Pool, String> {
    // The URL may carry a password: errors name the database only by its host and name.
    let options = PgConnectOptions::from_str(location)
        .map_err(|e| format!("cannot read the database URL: {}", redact(&e.to_string(), location)))?;
    let place = format!("{}/{}", options.get_host(), options.get_database().unwrap_or(""));
    let fail = |e: &dyn std::fmt::Display| format!("cannot open the database {place}: {e}");
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| fail(&e))?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await.map_err(|e| fail(&e))?;
    Ok(Pool::Postgres(pool))
}

/// `text` without `url` in it (which may hold a password).
fn redact(text: &str, url: &str) -> String {
    text.replace(url, "postgres://…")
}
