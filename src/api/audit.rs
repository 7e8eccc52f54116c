//! The audit log's calls: extensions, offered when the backend announces `AuditLog`.

use ota_model::audit::{ListOTAAuditEvents, ListOTAAuditEventsResponse, ListOTAJobHistory, ListOTAJobHistoryResponse};
use ota_model::console_config::Environment;
use ota_model::extensions::Extension;

use super::{ApiError, call, capabilities};

/// Whether the backend keeps an audit log at all.
pub async fn offers_audit_log(env: &Environment) -> Result<bool, ApiError> {
    Ok(capabilities(env).await?.offers(Extension::AuditLog))
}

/// A page of the log, newest first.
pub async fn audit_events(
    env: &Environment,
    request: &ListOTAAuditEvents,
) -> Result<ListOTAAuditEventsResponse, ApiError> {
    call(env, request).await
}

/// A batch's changes, oldest first; `None` from a backend without the log.
pub async fn job_history(env: &Environment, job_id: &str) -> Result<Option<ListOTAJobHistoryResponse>, ApiError> {
    if !offers_audit_log(env).await? {
        return Ok(None);
    }
    call(env, &ListOTAJobHistory { job_id: job_id.to_owned() }).await.map(Some)
}
