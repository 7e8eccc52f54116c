//! The two databases the store runs on, SQLite and PostgreSQL, and how one statement reaches
//! either: `on!(handle, |db| …)` compiles the statement once per backend, with `db` the
//! backend's own executor, so that sqlx checks types and binds natively on both. The SQL is
//! written once, in what both speak (`$1` parameters, `CAST(… AS BIGINT)`, `FILTER`); where
//! they differ, `Backend` says how (`json_values`).

use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// A table of the strings of a JSON array bound as text (a list of names, say), as text
    /// column `value`; arrays of arrays or objects go through `json_rows`.
    pub fn json_values(self, parameter: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_each({parameter})"),
            Backend::Postgres => format!("json_array_elements_text(CAST({parameter} AS json))"),
        }
    }

    /// Like `json_values`, for an array of arrays or objects whose elements `->>` reads.
    pub fn json_rows(self, parameter: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_each({parameter})"),
            Backend::Postgres => format!("json_array_elements(CAST({parameter} AS json))"),
        }
    }

    /// An aggregate of `expression` (one JSON value per row) into one JSON array, as text.
    pub fn json_array_of(self, expression: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_group_array({expression})"),
            Backend::Postgres => format!("CAST(json_agg({expression}) AS text)"),
        }
    }

    /// The database's clock, in epoch milliseconds: what servers whose clocks disagree share.
    pub fn now_millis(self) -> &'static str {
        match self {
            Backend::Sqlite => "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
            Backend::Postgres => "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)",
        }
    }

    /// A JSON array of the given SQL values.
    pub fn json_array(self, values: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_array({values})"),
            Backend::Postgres => format!("json_build_array({values})"),
        }
    }
}

/// The PostgreSQL advisory lock a writing transaction holds until it ends (an arbitrary
/// number, "OTA writers" in ASCII).
const WRITERS_LOCK: i64 = 0x4f54_4120_7772_6974;

/// A pool of connections to either database.
#[derive(Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either database. Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// One of two things, one per backend: what `on!` matches on.
pub enum Either<S, P> {
    Sqlite(S),
    Postgres(P),
}

impl Pool {
    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn executor(&self) -> Either<&SqlitePool, &PgPool> {
        match self {
            Pool::Sqlite(pool) => Either::Sqlite(pool),
            Pool::Postgres(pool) => Either::Postgres(pool),
        }
    }

    /// A transaction that writes. Writers take turns, as SQLite makes them: a transaction
    /// that read something can rely on it until it commits. SQLite takes its write lock at
    /// once (else a transaction that read first would fail, SQLITE_BUSY_SNAPSHOT, whenever
    /// another wrote in between); PostgreSQL takes `WRITERS_LOCK`, which every replica shares.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITERS_LOCK).execute(&mut *tx).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// A transaction that only reads, seeing the database as it was when it began.
    pub async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin().await?)),
            Pool::Postgres(pool) => {
                Ok(Tx::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?))
            }
        }
    }

    /// A transaction of its own, for a table no other transaction reads to decide (nonces).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin().await?)),
            Pool::Postgres(pool) => Ok(Tx::Postgres(pool.begin().await?)),
        }
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn executor(&mut self) -> Either<&mut SqliteConnection, &mut PgConnection> {
        match self {
            Tx::Sqlite(tx) => Either::Sqlite(&mut **tx),
            Tx::Postgres(tx) => Either::Postgres(&mut **tx),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Runs `$body` with `$db` bound to `$handle`'s executor on whichever database it is (a
/// `&Pool` of a `Pool`, a `&mut` connection of a `Tx`): the body is compiled for both.
macro_rules! on {
    ($handle:expr, |$db:ident| $body:expr) => {
        match $handle.executor() {
            $crate::store::db::Either::Sqlite($db) => $body,
            $crate::store::db::Either::Postgres($db) => $body,
        }
    };
}
pub(crate) use on;
