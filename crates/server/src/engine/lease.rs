//! Leading the engine. Of several servers sharing a database, the one that holds the engine
//! lease (`store::lease`) pushes, starts and ends scheduled batches, and fires retries and
//! timeouts; every server records the messages of the devices the broker hands it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::metrics::Metrics;
use crate::store::Store;

/// How long a claim holds: a server that dies is replaced this long after its last renewal,
/// plus one renewal interval at most.
pub const LEASE: Duration = Duration::from_secs(6);
/// How often the lease is renewed (and a free one looked for).
const RENEW_EVERY: Duration = Duration::from_secs(1);
/// The engine acts only this long after its last renewal, so that it has stopped before the
/// lease can run out and pass to another server, even if renewals fail (the database is away).
const TRUSTED_FOR: Duration = Duration::from_secs(4);

/// Whether this server leads the engine now; cheap to clone and to ask.
#[derive(Debug, Clone, Default)]
pub struct Leadership {
    renewed: Arc<Mutex<Option<Instant>>>,
}

impl Leadership {
    pub fn leads(&self) -> bool {
        self.renewed.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|at| at.elapsed() < TRUSTED_FOR)
    }

    fn set(&self, renewed: Option<Instant>) {
        *self.renewed.lock().unwrap_or_else(|e| e.into_inner()) = renewed;
    }
}

/// The lease's holder name: `replica` and what makes this process's claim its own (two
/// processes started with one replica name must not both renew one lease).
pub fn holder_name(replica: &str) -> String {
    format!("{replica}/{}", crate::ids::random(8))
}

/// The replica name in a lease holder's name.
pub fn replica_of(holder: &str) -> &str {
    holder.split('/').next().unwrap_or(holder)
}

/// Claims and renews the lease as `holder` for as long as the server runs, saying in
/// `leadership` whether this server leads; and says that server `replica` runs, when it is one
/// of several (`--replica-id`).
pub async fn hold(
    store: Store,
    holder: String,
    replica: Option<String>,
    leadership: Leadership,
    metrics: Arc<Metrics>,
) {
    let mut every = tokio::time::interval(RENEW_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut leading = false;
    loop {
        every.tick().await;
        let asked = Instant::now();
        if let Some(replica) = &replica
            && let Err(error) = store.heartbeat(replica).await
        {
            tracing::warn!("engine: cannot say this server runs: {error}");
        }
        let claimed = match store.claim_engine(&holder, LEASE).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!("engine: cannot renew the engine lease: {error}");
                continue;
            }
        };
        leadership.set(claimed.then_some(asked));
        metrics.engine_leading(claimed);
        if claimed != leading {
            match claimed {
                true => tracing::info!(holder, "engine: this server leads the rollout engine"),
                false => tracing::info!(holder, "engine: another server leads the rollout engine"),
            }
            leading = claimed;
        }
    }
}

/// Steps down at shutdown: the next server takes over at its next renewal, not a lease later.
pub async fn step_down(store: &Store, holder: &str, leadership: &Leadership) {
    leadership.set(None);
    if let Err(error) = store.release_engine(holder).await {
        tracing::warn!("engine: cannot give up the engine lease: {error}");
    }
}
