//! Reading batches' tags.

use std::collections::HashMap;

use ota_model::job::OtaTag;
use sqlx::QueryBuilder;

use crate::store::Tx;
use crate::store::db::on;

/// The tags of several batches in one query (a page of them), by batch.
pub(super) async fn tags_of_jobs(db: &mut Tx, job_ids: &[&str]) -> Result<HashMap<String, Vec<OtaTag>>, sqlx::Error> {
    let mut tags: HashMap<String, Vec<OtaTag>> = HashMap::new();
    if job_ids.is_empty() {
        return Ok(tags);
    }
    let rows: Vec<(String, String, String)> = on!(db, |db| {
        let mut query = QueryBuilder::new("SELECT job_id, tag_key, value FROM job_tags WHERE job_id IN (");
        let mut ids = query.separated(", ");
        for id in job_ids {
            ids.push_bind(*id);
        }
        query.push(") ORDER BY job_id, position");
        query.build_query_as().fetch_all(db).await
    })?;
    for (job_id, key, value) in rows {
        tags.entry(job_id).or_default().push(OtaTag { key, value });
    }
    Ok(tags)
}
