//! Task lists narrowed beyond one state: to some devices, or to one failure reason. They are
//! short (at most 100 names; one reason's failures), so they are read with LIMIT and OFFSET,
//! each condition written only when asked so that the planner can use its index
//! (`tasks_by_job_reason` for a reason).

use ota_model::enums::TaskStatus;
use ota_model::task::ReasonFilter;

use super::list::{SELECT_JOB_TASK, SELECT_TASK, TaskRow};
use crate::store::Tx;
use crate::store::db::on;

/// Which tasks: of one batch, or of one package's batches.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope<'a> {
    Job(&'a str),
    Package(&'a str),
}

pub(super) struct TaskFilter<'a> {
    pub scope: Scope<'a>,
    pub status: Option<TaskStatus>,
    pub device_names: &'a [String],
    pub reason: Option<ReasonFilter>,
}

impl TaskFilter<'_> {
    /// The WHERE clause and its parameters, all text, numbered from `$1`.
    fn clause(&self, db: &Tx) -> (String, Vec<String>) {
        let mut binds: Vec<String> = Vec::new();
        let mut arg = |value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let mut conditions = vec![match self.scope {
            Scope::Job(job_id) => format!("t.job_id = {}", arg(job_id.to_owned())),
            Scope::Package(firmware_id) => format!("t.firmware_id = {}", arg(firmware_id.to_owned())),
        }];
        if let Some(status) = self.status {
            conditions.push(format!("t.status = {}", arg(status.as_str().to_owned())));
        }
        if !self.device_names.is_empty() {
            let names = serde_json::to_string(self.device_names).unwrap_or_else(|_| "[]".into());
            let table = db.backend().json_values(&arg(names));
            conditions.push(format!("t.device_name IN (SELECT value FROM {table})"));
        }
        match self.reason {
            Some(ReasonFilter::Code(code)) => {
                conditions.push(format!("t.reason_code = {}", arg(code.as_str().to_owned())))
            }
            Some(ReasonFilter::Uncoded) => {
                conditions.push("t.reason_code IS NULL AND t.status IN ('FAILED', 'CANCELED')".to_owned())
            }
            None => {}
        }
        (conditions.join(" AND "), binds)
    }

    pub async fn count(&self, db: &mut Tx) -> Result<i64, sqlx::Error> {
        let (clause, binds) = self.clause(db);
        let sql = format!("SELECT count(*) FROM tasks t WHERE {clause}");
        let (count,): (i64,) = on!(db, |db| {
            let mut query = sqlx::query_as(&sql);
            for value in &binds {
                query = query.bind(value.as_str());
            }
            query.fetch_one(db).await
        })?;
        Ok(count)
    }

    /// Rows `offset..offset + limit`: a batch's in creation order, a package's newest batch first.
    pub async fn page(&self, db: &mut Tx, offset: i64, limit: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
        let (clause, binds) = self.clause(db);
        let (select, order) = match self.scope {
            Scope::Job(_) => (SELECT_JOB_TASK, "t.seq"),
            Scope::Package(_) => (SELECT_TASK, "j.utc_create DESC, t.job_id, t.seq"),
        };
        let (limit_arg, offset_arg) = (binds.len() + 1, binds.len() + 2);
        let sql = format!("{select} WHERE {clause} ORDER BY {order} LIMIT ${limit_arg} OFFSET ${offset_arg}");
        on!(db, |db| {
            let mut query = sqlx::query_as(&sql);
            for value in &binds {
                query = query.bind(value.as_str());
            }
            query.bind(limit).bind(offset).fetch_all(db).await
        })
    }
}
