//! Which server runs the rollout engine, and which servers run: a lease and heartbeats in the
//! database, by the database's clock (the servers' clocks may disagree), so that of several
//! servers sharing a PostgreSQL database exactly one pushes, starts scheduled batches and
//! times tasks out, and it knows which of the others went silent.

use std::time::Duration;

use super::Store;
use crate::store::db::on;

impl Store {
    /// Takes the engine lease for `holder` (`<replica>/<process>`) for `lease` from now if it
    /// is free, has run out or was the same replica's (a server restarted after a crash), or
    /// renews it if `holder` has it; whether `holder` has it now.
    pub async fn claim_engine(&self, holder: &str, lease: Duration) -> Result<bool, sqlx::Error> {
        let now = self.backend().now_millis();
        let sql = format!(
            "INSERT INTO engine_lease (holder, expires_at) VALUES ($1, {now} + $2)
             ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE engine_lease.holder = excluded.holder OR engine_lease.expires_at < {now}
                OR substr(engine_lease.holder, 1, length($3)) = $3
             RETURNING holder"
        );
        let millis = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let replica = format!("{}/", crate::engine::lease::replica_of(holder));
        let claimed: Option<(String,)> = on!(self.pool, |db| sqlx::query_as(&sql)
            .bind(holder)
            .bind(millis)
            .bind(&replica)
            .fetch_optional(db)
            .await)?;
        Ok(claimed.is_some())
    }

    /// Gives the lease up (a server that stops), so that another takes over at once.
    pub async fn release_engine(&self, holder: &str) -> Result<(), sqlx::Error> {
        const RELEASE: &str = "DELETE FROM engine_lease WHERE holder = $1";
        on!(self.pool, |db| sqlx::query(RELEASE).bind(holder).execute(db).await.map(drop))
    }
}

impl Store {
    /// Says that server `replica` runs, now.
    pub async fn heartbeat(&self, replica: &str) -> Result<(), sqlx::Error> {
        let now = self.backend().now_millis();
        let sql = format!(
            "INSERT INTO servers (replica, seen_at) VALUES ($1, {now})
             ON CONFLICT (replica) DO UPDATE SET seen_at = excluded.seen_at"
        );
        on!(self.pool, |db| sqlx::query(&sql).bind(replica).execute(db).await.map(drop))
    }

    /// The other servers that have not said they run for `silent_for`.
    pub async fn silent_servers(&self, replica: &str, silent_for: Duration) -> Result<Vec<String>, sqlx::Error> {
        let now = self.backend().now_millis();
        let sql = format!("SELECT replica FROM servers WHERE replica <> $1 AND seen_at < {now} - $2 ORDER BY replica");
        let millis = i64::try_from(silent_for.as_millis()).unwrap_or(i64::MAX);
        on!(self.pool, |db| sqlx::query_scalar(&sql).bind(replica).bind(millis).fetch_all(db).await)
    }
}
