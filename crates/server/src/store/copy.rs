//! `ota-server migrate-store`: a whole SQLite database copied into an empty PostgreSQL one
//! (keys, users, sessions, audit log, registry, packages, batches, tasks, counters, change
//! feed, nonces), row for row, then verified table by table. The copy is one transaction with
//! the target's triggers off: counters and the change feed are copied as they are, not made
//! again by the inserts (which would double them and lose their history).

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgConnection, PgPool, QueryBuilder, Row, SqliteConnection};

use super::Store;
use super::db::Pool;

/// Every table, parents before children (foreign keys hold at every insert). A copy refuses
/// to start when the schema has a table this does not name (but `NOT_COPIED`).
const TABLES: &[&str] = &[
    "instances",
    "products",
    "devices",
    "device_modules",
    "device_groups",
    "device_group_members",
    "ota_modules",
    "uploads",
    "firmware",
    "firmware_files",
    "jobs",
    "job_src_versions",
    "job_tags",
    "tasks",
    "job_task_counts",
    "firmware_task_counts",
    "job_task_blocks",
    "job_progress",
    "job_source_counts",
    "job_failure_counts",
    "job_wave_counts",
    "module_version_counts",
    "events",
    "access_keys",
    "users",
    "sessions",
    "audit_events",
    "nonce_fingerprints",
];

/// What only running servers hold, and sqlx's own bookkeeping.
const NOT_COPIED: &[&str] = &["engine_lease", "servers", "_sqlx_migrations"];

/// The tables whose triggers keep the counters and the change feed.
const TRIGGERED: &[&str] = &["tasks", "jobs", "device_modules"];

/// The identity columns whose sequences must continue after the copied values.
const IDENTITIES: &[(&str, &str)] =
    &[("jobs", "rowid"), ("tasks", "rowid"), ("devices", "rowid"), ("events", "seq"), ("audit_events", "event_id")];

/// Rows per INSERT: under PostgreSQL's 65,535 parameters for the widest table.
const ROWS_PER_INSERT: usize = 1_000;

/// How one table's copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub rows: u64,
}

/// A column and how its values travel: PostgreSQL's type decides.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Integer,
    Boolean,
    Text,
    Bytes,
}

impl Store {
    /// Copies this SQLite store into `target`, an empty PostgreSQL store, and verifies the
    /// copy; answers each table's rows.
    pub async fn copy_into(&self, target: &Store) -> Result<Vec<Copied>, String> {
        let (Pool::Sqlite(source), Pool::Sqlite(nonces)) = (&self.pool, &self.nonces) else {
            return Err("the source must be a SQLite database".into());
        };
        let Pool::Postgres(destination) = &target.pool else {
            return Err("the target must be a PostgreSQL database (postgres://…)".into());
        };
        if !target.is_empty().await.map_err(|e| e.to_string())? || has_keys(destination).await? {
            return Err("the target database already holds data; migrate-store fills only an empty one".into());
        }
        // One snapshot of each source file for the copy and its verification.
        let fail = |e: sqlx::Error| e.to_string();
        let (mut source, mut nonces) = (source.begin().await.map_err(fail)?, nonces.begin().await.map_err(fail)?);
        let mut tx = destination.begin().await.map_err(fail)?;
        unknown_tables(&mut tx).await?;
        for table in TRIGGERED {
            run(&mut tx, &format!("ALTER TABLE {table} DISABLE TRIGGER USER")).await?;
        }
        let mut copied = Vec::new();
        for &table in TABLES {
            let columns = columns_of(&mut tx, table).await?;
            let from = if table == "nonce_fingerprints" { &mut *nonces } else { &mut *source };
            let rows = copy_table(from, &mut tx, table, &columns).await.map_err(|e| format!("{table}: {e}"))?;
            copied.push(Copied { table, rows });
        }
        for table in TRIGGERED {
            run(&mut tx, &format!("ALTER TABLE {table} ENABLE TRIGGER USER")).await?;
        }
        for (table, column) in IDENTITIES {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), coalesce(max({column}), 0) + 1, false)
                 FROM {table}"
            );
            run(&mut tx, &sql).await?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        for &table in TABLES {
            let from = if table == "nonce_fingerprints" { &mut *nonces } else { &mut *source };
            verify(from, destination, table).await?;
        }
        Ok(copied)
    }
}

/// Refuses a schema with a table the copy would leave behind.
async fn unknown_tables(db: &mut PgConnection) -> Result<(), String> {
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_all(db)
            .await
            .map_err(|e| e.to_string())?;
    let unknown: Vec<String> = tables
        .into_iter()
        .map(|(table,)| table)
        .filter(|table| !TABLES.contains(&table.as_str()) && !NOT_COPIED.contains(&table.as_str()))
        .collect();
    match unknown.is_empty() {
        true => Ok(()),
        false => Err(format!("migrate-store does not know the tables {}; nothing was copied", unknown.join(", "))),
    }
}

/// Whether the target has access keys or users already (a server that only ever started).
async fn has_keys(pool: &PgPool) -> Result<bool, String> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM access_keys) OR EXISTS (SELECT 1 FROM users)")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())
}

async fn run(db: &mut PgConnection, sql: &str) -> Result<(), String> {
    sqlx::query(sql).execute(db).await.map(drop).map_err(|e| format!("{sql}: {e}"))
}

/// The table's columns in order, with how each travels.
async fn columns_of(db: &mut PgConnection, table: &str) -> Result<Vec<(String, Kind)>, String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(db)
    .await
    .map_err(|e| e.to_string())?;
    columns
        .into_iter()
        .map(|(name, data_type)| {
            let kind = match data_type.as_str() {
                "bigint" | "integer" => Kind::Integer,
                "boolean" => Kind::Boolean,
                "text" => Kind::Text,
                "bytea" => Kind::Bytes,
                other => return Err(format!("{table}.{name} is of type {other}, which migrate-store cannot copy")),
            };
            Ok((name, kind))
        })
        .collect()
}

/// One value, as read from SQLite and written to PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Integer(Option<i64>),
    Boolean(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

fn read_sqlite(row: &SqliteRow, i: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Kind::Integer => Value::Integer(row.try_get(i)?),
        Kind::Boolean => Value::Boolean(row.try_get(i)?),
        Kind::Text => Value::Text(row.try_get(i)?),
        Kind::Bytes => Value::Bytes(row.try_get(i)?),
    })
}

fn read_postgres(row: &PgRow, i: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Kind::Integer => Value::Integer(row.try_get(i)?),
        Kind::Boolean => Value::Boolean(row.try_get(i)?),
        Kind::Text => Value::Text(row.try_get(i)?),
        Kind::Bytes => Value::Bytes(row.try_get(i)?),
    })
}

/// The source's rows of `table`: the named columns, in the order every verification reads.
fn select(table: &str, columns: &[(String, Kind)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    // SQLite's nonce file has no unique key; the server never writes one twice, but a copy
    // must not fail on it.
    let list = names.join(", ");
    let source = if table == "nonce_fingerprints" {
        "(SELECT fingerprint, max(expires_at) AS expires_at FROM nonce_fingerprints GROUP BY fingerprint)".to_owned()
    } else {
        table.to_owned()
    };
    // Non-NULL first, then by value, column after column: the same order on both databases.
    let order: Vec<String> = names.iter().map(|name| format!("{name} IS NULL, {name}")).collect();
    format!("SELECT {list} FROM {source} AS t ORDER BY {}", order.join(", "))
}

async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &str,
    columns: &[(String, Kind)],
) -> Result<u64, sqlx::Error> {
    let sql = select(table, columns);
    let mut rows = sqlx::query(&sql).fetch(source);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
    let mut copied = 0;
    while let Some(row) = rows.try_next().await? {
        batch.push(
            columns.iter().enumerate().map(|(i, (_, kind))| read_sqlite(&row, i, *kind)).collect::<Result<_, _>>()?,
        );
        if batch.len() == ROWS_PER_INSERT {
            copied += insert(target, table, columns, std::mem::take(&mut batch)).await?;
        }
    }
    copied += insert(target, table, columns, batch).await?;
    Ok(copied)
}

async fn insert(
    target: &mut PgConnection,
    table: &str,
    columns: &[(String, Kind)],
    rows: Vec<Vec<Value>>,
) -> Result<u64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    // An identity column takes the copied values only when told to.
    let overriding = if IDENTITIES.iter().any(|(t, _)| *t == table) { " OVERRIDING SYSTEM VALUE" } else { "" };
    let mut query = QueryBuilder::new(format!("INSERT INTO {table} ({}){overriding} ", names.join(", ")));
    query.push_values(rows, |mut row, values| {
        for value in values {
            match value {
                Value::Integer(v) => row.push_bind(v),
                Value::Boolean(v) => row.push_bind(v),
                Value::Text(v) => row.push_bind(v),
                Value::Bytes(v) => row.push_bind(v),
            };
        }
    });
    Ok(query.build().execute(target).await?.rows_affected())
}

/// Whether `table` holds the same rows on both sides: counted, and digested in one order.
async fn verify(source: &mut SqliteConnection, target: &PgPool, table: &str) -> Result<(), String> {
    let fail = |e: sqlx::Error| format!("verifying {table}: {e}");
    let mut db = target.acquire().await.map_err(fail)?;
    let columns = columns_of(&mut db, table).await?;
    let sql = select(table, &columns);
    let (mut from, mut to) = ((0_u64, Sha256::new()), (0_u64, Sha256::new()));
    let mut rows = sqlx::query(&sql).fetch(source);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        let values = columns.iter().enumerate().map(|(i, (_, k))| read_sqlite(&row, i, *k));
        digest(&mut from, values.collect::<Result<_, _>>().map_err(fail)?);
    }
    let mut rows = sqlx::query(&sql).fetch(&mut *db);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        let values = columns.iter().enumerate().map(|(i, (_, k))| read_postgres(&row, i, *k));
        digest(&mut to, values.collect::<Result<_, _>>().map_err(fail)?);
    }
    let (from, to) = ((from.0, from.1.finalize()), (to.0, to.1.finalize()));
    if from != to {
        return Err(format!(
            "the copy of {table} differs from its source: {} rows there, {} here{}",
            from.0,
            to.0,
            if from.0 == to.0 { ", with different values" } else { "" }
        ));
    }
    Ok(())
}

/// Adds a row to a running count and digest.
fn digest((count, hash): &mut (u64, Sha256), values: Vec<Value>) {
    *count += 1;
    hash.update(format!("{values:?}\n").as_bytes());
}
