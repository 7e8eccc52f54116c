//! The audit log's rows (`migrations/…_audit.sql`).
//!
//! A call that may change something gets a store carrying its [`AuditEntry`]
//! ([`Store::audited`]); every transaction that store begins writes the entry first, so the
//! change and its record commit together or not at all. When the call ends, [`Store::settle`]
//! writes (or corrects) the row with how it ended.

use std::sync::{Arc, Mutex};

use ota_model::access::PrincipalType;
use ota_model::audit::{
    AuditEvent, ListOTAAuditEvents, Outcome, Parameter, ParameterList, SUCCESS, Target, TargetType,
};
use ota_model::{PageRequest, UtcTime};
use sqlx::QueryBuilder;

use super::{Store, corrupt, time};
use crate::store::Tx;
use crate::store::db::on;

/// One call being recorded: everything but how it ends.
#[derive(Debug)]
pub struct AuditEntry {
    pub request_id: String,
    pub at: UtcTime,
    pub principal_type: Option<PrincipalType>,
    pub principal_name: String,
    pub access_key_id: String,
    pub source_ip: String,
    pub action: String,
    pub instance: String,
    /// Secrets already removed (`ota_model::audit::recorded_params`).
    pub parameters: Vec<(String, String)>,
    /// What the call acts on; a call that creates something names it once it exists.
    pub target: Mutex<Option<Target>>,
}

impl AuditEntry {
    fn target(&self) -> Option<Target> {
        self.target.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

impl Store {
    /// This store, recording `entry` with every transaction it begins.
    pub fn audited(&self, entry: Arc<AuditEntry>) -> Store {
        Store { audit: Some(entry), ..self.clone() }
    }

    /// Says that the call this store records acts on `target` (a batch it just created, …).
    pub fn audit_target(&self, target: Target) {
        if let Some(Ok(mut slot)) = self.audit.as_ref().map(|entry| entry.target.lock()) {
            *slot = Some(target);
        }
    }

    /// Records how the call of `entry` ended: `code` is `Success` or the error code it answered.
    pub async fn settle(&self, entry: &AuditEntry, code: &str, message: Option<&str>) -> Result<(), sqlx::Error> {
        // A statement of its own: the call's changes, if any, have committed or rolled back.
        let mut tx = self.pool.begin().await?;
        insert(&mut tx, entry, code, message, true).await?;
        tx.commit().await
    }

    /// One page of `instance`'s events matching `request`, newest first, and how many match.
    pub async fn audit_events(
        &self,
        instance: &str,
        request: &ListOTAAuditEvents,
    ) -> Result<(u64, Vec<AuditEvent>), sqlx::Error> {
        let mut tx = self.read().await?;
        let (total, rows): (i64, Vec<EventRow>) = on!(tx, |db| {
            let filter = |query: &mut QueryBuilder<'_, _>| {
                query.push(" FROM audit_events WHERE instance_id = ").push_bind(instance.to_owned());
                if let Some(start) = request.start_time {
                    query.push(" AND at >= ").push_bind(start.millis());
                }
                if let Some(end) = request.end_time {
                    query.push(" AND at < ").push_bind(end.millis());
                }
                if let Some(principal) = &request.principal {
                    query.push(" AND (principal_name = ").push_bind(principal.clone());
                    query.push(" OR access_key_id = ").push_bind(principal.clone()).push(")");
                }
                if let Some(action) = &request.action_name {
                    query.push(" AND action = ").push_bind(action.clone());
                }
                if let Some(target) = &request.target_id {
                    query.push(" AND target_id = ").push_bind(target.clone());
                }
                if let Some(outcome) = request.outcome {
                    query.push(" AND outcome = ").push_bind(outcome.as_str());
                }
            };
            let mut count = QueryBuilder::new("SELECT count(*)");
            filter(&mut count);
            let (total,): (i64,) = count.build_query_as().fetch_one(&mut *db).await?;
            let mut page = QueryBuilder::new(format!("SELECT {COLUMNS}"));
            filter(&mut page);
            push_page(&mut page, " ORDER BY event_id DESC", request.page);
            let rows: Vec<EventRow> = page.build_query_as().fetch_all(&mut *db).await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        tx.commit().await?;
        Ok((u64::try_from(total).unwrap_or(0), rows.into_iter().map(EventRow::into_event).collect::<Result<_, _>>()?))
    }

    /// A batch's successful changes, oldest first (at most `limit`), and how many there are.
    pub async fn job_history(
        &self,
        instance: &str,
        job_id: &str,
        limit: u32,
    ) -> Result<(u64, Vec<AuditEvent>), sqlx::Error> {
        const FILTER: &str = "FROM audit_events WHERE target_id = $1 AND instance_id = $2 AND target_type = 'Job'
                              AND outcome = 'Success'";
        let mut tx = self.read().await?;
        let (total,): (i64,) = on!(tx, |db| sqlx::query_as(&format!("SELECT count(*) {FILTER}"))
            .bind(job_id)
            .bind(instance)
            .fetch_one(db)
            .await)?;
        let rows: Vec<EventRow> =
            on!(tx, |db| sqlx::query_as(&format!("SELECT {COLUMNS} {FILTER} ORDER BY event_id LIMIT $3"))
                .bind(job_id)
                .bind(instance)
                .bind(i64::from(limit))
                .fetch_all(db)
                .await)?;
        tx.commit().await?;
        Ok((u64::try_from(total).unwrap_or(0), rows.into_iter().map(EventRow::into_event).collect::<Result<_, _>>()?))
    }

    /// Deletes the events recorded before `cutoff`; how many went.
    pub async fn forget_audit_events_before(&self, cutoff: UtcTime) -> Result<u64, sqlx::Error> {
        let done = on!(self.pool, |db| sqlx::query("DELETE FROM audit_events WHERE at < $1")
            .bind(cutoff.millis())
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done)
    }
}

/// Writes `entry`'s row inside the transaction that makes its change.
pub(super) async fn record_change(db: &mut Tx, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    insert(db, entry, SUCCESS, None, false).await
}

/// Inserts `entry`'s row; when it is there already, `settle` says whether to overwrite its
/// outcome (the call has ended) or keep it (a second transaction of the same call).
async fn insert(
    db: &mut Tx,
    entry: &AuditEntry,
    code: &str,
    message: Option<&str>,
    settle: bool,
) -> Result<(), sqlx::Error> {
    let target = entry.target();
    let parameters = serde_json::to_string(&entry.parameters).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let on_conflict = if settle {
        "ON CONFLICT (request_id) DO UPDATE SET outcome = excluded.outcome, code = excluded.code,
         error_message = excluded.error_message,
         target_type = coalesce(excluded.target_type, audit_events.target_type),
         target_id = CASE WHEN excluded.target_id = '' THEN audit_events.target_id ELSE excluded.target_id END"
    } else {
        "ON CONFLICT (request_id) DO NOTHING"
    };
    on!(db, |db| sqlx::query(&format!(
        "INSERT INTO audit_events (at, request_id, principal_type, principal_name, access_key_id, source_ip,
             action, instance_id, target_type, target_id, parameters, outcome, code, error_message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) {on_conflict}"
    ))
    .bind(entry.at.millis())
    .bind(&entry.request_id)
    .bind(entry.principal_type.map(PrincipalType::as_str))
    .bind(&entry.principal_name)
    .bind(&entry.access_key_id)
    .bind(&entry.source_ip)
    .bind(&entry.action)
    .bind(&entry.instance)
    .bind(target.as_ref().map(|t| t.kind.as_str()))
    .bind(target.as_ref().map_or("", |t| t.id.as_str()))
    .bind(parameters)
    .bind(Outcome::of_code(code).as_str())
    .bind(code)
    .bind(message)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .map(drop)
}

fn push_page<DB: sqlx::Database>(query: &mut QueryBuilder<'_, DB>, order: &str, page: PageRequest)
where
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query.push(order).push(" LIMIT ").push_bind(i64::from(page.page_size));
    query.push(" OFFSET ").push_bind(i64::try_from(page.offset()).unwrap_or(i64::MAX));
}

const COLUMNS: &str = "event_id, at, request_id, principal_type, principal_name, access_key_id, source_ip, action,
    instance_id, target_type, target_id, parameters, outcome, code, error_message";

#[derive(sqlx::FromRow)]
struct EventRow {
    event_id: i64,
    at: i64,
    request_id: String,
    principal_type: Option<String>,
    principal_name: String,
    access_key_id: String,
    source_ip: String,
    action: String,
    instance_id: String,
    target_type: Option<String>,
    target_id: String,
    parameters: String,
    outcome: String,
    code: String,
    error_message: Option<String>,
}

impl EventRow {
    fn into_event(self) -> Result<AuditEvent, sqlx::Error> {
        let pairs: Vec<(String, String)> =
            serde_json::from_str(&self.parameters).map_err(|_| corrupt("parameters", &self.parameters))?;
        Ok(AuditEvent {
            event_id: u64::try_from(self.event_id).map_err(|_| corrupt("event_id", self.event_id))?,
            utc_time: time("at", self.at)?,
            principal_type: self.principal_type.as_deref().map(|t| parse("principal_type", t)).transpose()?,
            principal_name: self.principal_name,
            access_key_id: self.access_key_id,
            source_ip: self.source_ip,
            action: self.action,
            iot_instance_id: self.instance_id,
            target_type: self.target_type.as_deref().map(|t| parse::<TargetType>("target_type", t)).transpose()?,
            target_id: self.target_id,
            parameters: ParameterList {
                items: pairs.into_iter().map(|(name, value)| Parameter { name, value }).collect(),
            },
            outcome: parse("outcome", &self.outcome)?,
            code: self.code,
            error_message: self.error_message,
            request_id: self.request_id,
        })
    }
}

fn parse<T: std::str::FromStr>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    text.parse().map_err(|_| corrupt(column, text))
}
