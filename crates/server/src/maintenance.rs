//! What the server does in the background besides the engine: writing the signature nonces it
//! has seen, and clearing away what no longer matters.

use std::sync::Arc;
use std::time::Duration;

use ota_model::UtcTime;

use crate::auth::nonces::{FLUSH_EVERY, Nonces};
use crate::files::FileStore;
use crate::store::Store;

/// How often expired uploads and old events are cleared away.
const EVERY: Duration = Duration::from_secs(60);

fn now() -> UtcTime {
    UtcTime(chrono::Utc::now())
}

/// Writes the signature nonces seen to the database a few times a second.
pub async fn keep_nonces(store: Store, nonces: Arc<Nonces>) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    loop {
        every.tick().await;
        if let Err(error) = nonces.flush(&store).await {
            tracing::warn!("cannot write signature nonces (kept for the next try): {error}");
        }
    }
}

/// Deletes uploads nothing used in time, events beyond those kept, nonces and sessions that can
/// no longer matter, and audit events older than `retention_days`.
pub async fn run(store: Store, files: FileStore, nonces: Arc<Nonces>, retention_days: u32) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        if let Err(error) = delete_expired_uploads(&store, &files).await {
            tracing::warn!("cannot delete expired uploads: {error}");
        }
        if let Err(error) = store.prune_events().await {
            tracing::warn!("cannot prune events: {error}");
        }
        nonces.prune(now());
        if let Err(error) = store.prune_access(now()).await {
            tracing::warn!("cannot prune signature nonces and sessions: {error}");
        }
        let cutoff = UtcTime(chrono::Utc::now() - chrono::Duration::days(i64::from(retention_days)));
        match store.forget_audit_events_before(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("deleted {n} audit events older than {retention_days} days"),
            Err(error) => tracing::warn!("cannot delete old audit events: {error}"),
        }
    }
}

/// Deletes uploads nothing claimed in time: the row first, so that a package claiming the file
/// at the same moment either wins (and the file stays) or finds it gone (and is refused).
pub async fn delete_expired_uploads(store: &Store, files: &FileStore) -> Result<(), sqlx::Error> {
    for key in store.expired_uploads(now()).await? {
        if store.forget_upload(&key, now()).await?
            && let Err(error) = files.remove(&key).await
        {
            tracing::warn!("cannot delete the file of expired upload {key}: {error}");
        }
    }
    Ok(())
}
