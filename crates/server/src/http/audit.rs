//! The audit log's side of a call (what is learnt of it as it is dispatched, and its row when
//! it ends) and the two extensions that read the log back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use ota_model::access::{AssumeOTASession, PrincipalType};
use ota_model::audit::{
    AuditEventList, ListOTAAuditEvents, ListOTAAuditEventsResponse, ListOTAJobHistory, ListOTAJobHistoryResponse,
    Outcome, SUCCESS, Target, changes_state, recorded_params,
};
use ota_model::{Page, Params, UtcTime};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::auth::Principal;
use crate::store::{AuditEntry, Store};

pub fn register(actions: &mut Actions) {
    actions.add(list_audit_events).add(list_job_history);
}

async fn list_audit_events(ctx: Ctx, request: ListOTAAuditEvents) -> Result<ListOTAAuditEventsResponse, ApiError> {
    let (total, events) = ctx.store.audit_events(&ctx.instance, &request).await?;
    Ok(ListOTAAuditEventsResponse { page: Page::new(request.page, total), data: AuditEventList { items: events } })
}

async fn list_job_history(ctx: Ctx, request: ListOTAJobHistory) -> Result<ListOTAJobHistoryResponse, ApiError> {
    let job = ctx.job(&request.job_id).await?;
    let (total, events) = ctx.store.job_history(&ctx.instance, &job.job_id, ListOTAJobHistory::LIMIT).await?;
    Ok(ListOTAJobHistoryResponse { total, data: AuditEventList { items: events } })
}

/// What is known of one call so far, filled in as it is dispatched.
pub(super) struct Call {
    request_id: String,
    source: Option<SocketAddr>,
    at: Option<UtcTime>,
    action: String,
    parameters: Vec<(String, String)>,
    target: Option<Target>,
    instance: String,
    access_key_id: String,
    principal: Option<(PrincipalType, String)>,
    /// Made once the call is allowed to run, when it may change something.
    entry: Option<Arc<AuditEntry>>,
}

impl Call {
    /// The Action the call named (empty before the request was read).
    pub fn action(&self) -> &str {
        &self.action
    }

    pub fn new(request_id: &str, source: Option<SocketAddr>) -> Self {
        Self {
            request_id: request_id.to_owned(),
            source,
            at: None,
            action: String::new(),
            parameters: Vec::new(),
            target: None,
            instance: String::new(),
            access_key_id: String::new(),
            principal: None,
            entry: None,
        }
    }

    pub fn learn_request(&mut self, action: Option<&str>, params: &Params, default_instance: &str, now: UtcTime) {
        self.at = Some(now);
        self.action = action.unwrap_or_default().chars().take(128).collect();
        self.parameters = recorded_params(params);
        self.target = Target::of_call(params);
        // Until the instance is known to exist, the one the call named, as it named it.
        self.instance = params.get("IotInstanceId").unwrap_or(default_instance).chars().take(128).collect();
        if self.action == <AssumeOTASession as ota_model::Operation>::ACTION {
            let tried = params.get("UserName").unwrap_or_default();
            self.principal = Some((PrincipalType::User, tried.chars().take(64).collect()));
        }
    }

    pub fn learn_key(&mut self, access_key_id: &str) {
        self.access_key_id = access_key_id.chars().take(128).collect();
    }

    pub fn learn_principal(&mut self, principal: &Principal) {
        self.principal = Some((principal.kind, principal.name.clone()));
    }

    pub fn learn_instance(&mut self, instance: &str) {
        self.instance = instance.to_owned();
    }

    /// The record a call that may change something carries into its transactions.
    pub fn entry_for_change(&mut self) -> Option<Arc<AuditEntry>> {
        if !changes_state(&self.action) {
            return None;
        }
        let entry = Arc::new(self.entry());
        self.entry = Some(entry.clone());
        Some(entry)
    }

    fn entry(&self) -> AuditEntry {
        AuditEntry {
            request_id: self.request_id.clone(),
            at: self.at.unwrap_or_else(|| UtcTime(chrono::Utc::now())),
            principal_type: self.principal.as_ref().map(|(kind, _)| *kind),
            principal_name: self.principal.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
            access_key_id: self.access_key_id.clone(),
            source_ip: self.source.map(|s| s.ip().to_string()).unwrap_or_default(),
            action: self.action.clone(),
            instance: self.instance.clone(),
            parameters: self.parameters.clone(),
            target: Mutex::new(self.target.clone()),
        }
    }

    /// Records how the call ended (`failure`: the error it answered), if it is one the log
    /// keeps: a change, or a refusal.
    pub async fn settle(self, store: &Store, failure: Option<&ApiError>) {
        let (code, message) = match failure {
            None => (SUCCESS.to_owned(), None),
            Some(error) => {
                let (code, message) = error.code_and_message();
                (code, Some(message))
            }
        };
        let entry = match self.entry {
            Some(entry) => entry,
            None if Outcome::of_code(&code) == Outcome::Refused => Arc::new(self.entry()),
            None => return,
        };
        if let Err(error) = store.settle(&entry, &code, message.as_deref()).await {
            tracing::error!(request_id = entry.request_id, "cannot record the call in the audit log: {error}");
        }
    }
}
