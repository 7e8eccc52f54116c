//! The audit log (an extension): every call that changes something and every refused call,
//! with who made it, from where, on what, and how it ended. `ListOTAAuditEvents` reads the
//! whole log (admins); `ListOTAJobHistory` reads one batch's changes (anyone who may read it).

mod record;

pub use record::{JobChange, Outcome, REMOVED, SUCCESS, Target, TargetType, changes_state, recorded_params};

use serde::{Deserialize, Serialize};

use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::{UtcTime, rules};

/// How long a server keeps events unless told otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 400;

/// One parameter of a recorded call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    pub name: String,
    pub value: String,
}

list_wrapper!(
    /// `Parameters.Parameter[]`.
    ParameterList { "Parameter": Parameter }
);

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuditEvent {
    /// Increases with every event.
    pub event_id: u64,
    pub utc_time: UtcTime,
    /// Who signed the call; absent when it was not signed, or signed with an unknown key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<crate::access::PrincipalType>,
    /// The key's or the user's name (for a refused sign-in, the name that was tried).
    #[serde(default)]
    pub principal_name: String,
    /// The AccessKeyId the call was signed with, even one that turned out unknown.
    #[serde(default)]
    pub access_key_id: String,
    /// The address the call came from.
    #[serde(default)]
    pub source_ip: String,
    /// The operation called (`CancelOTATaskByJob`); empty when the call named none.
    pub action: String,
    pub iot_instance_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    #[serde(default)]
    pub target_id: String,
    #[serde(default)]
    pub parameters: ParameterList,
    pub outcome: Outcome,
    /// `Success`, or the error code the caller received.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub request_id: String,
}

list_wrapper!(
    /// `Data.AuditEvent[]`.
    AuditEventList { "AuditEvent": AuditEvent }
);

/// The log, newest first, filtered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOTAAuditEvents {
    /// From this instant on (inclusive).
    pub start_time: Option<UtcTime>,
    /// Before this instant (exclusive): fixing it keeps later pages still while events arrive.
    pub end_time: Option<UtcTime>,
    /// A principal's name or an AccessKeyId.
    pub principal: Option<String>,
    /// The operation called.
    pub action_name: Option<String>,
    /// A batch's, package's, task's or device's ID (a device as `ProductKey/DeviceName` or IotId).
    pub target_id: Option<String>,
    pub outcome: Option<Outcome>,
    pub page: PageRequest,
}

impl ListOTAAuditEvents {
    pub const MAX_PAGE_SIZE: u32 = 100;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAAuditEventsResponse {
    #[serde(flatten)]
    pub page: Page,
    pub data: AuditEventList,
}

/// The longest filter text accepted (principal, action, target).
const MAX_FILTER: usize = 128;

impl Operation for ListOTAAuditEvents {
    const ACTION: &'static str = "ListOTAAuditEvents";
    type Response = ListOTAAuditEventsResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(
            Params::new()
                .with_opt("StartTime", self.start_time.map(UtcTime::millis))
                .with_opt("EndTime", self.end_time.map(UtcTime::millis))
                .with_opt("Principal", self.principal.as_ref())
                .with_opt("ActionName", self.action_name.as_ref())
                .with_opt("TargetId", self.target_id.as_ref())
                .with_opt("Outcome", self.outcome),
        )
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let text = |name: &str| Ok::<_, ParamError>(params.text(name, MAX_FILTER)?.map(str::to_owned));
        let request = Self {
            start_time: params.instant("StartTime")?,
            end_time: params.instant("EndTime")?,
            principal: text("Principal")?,
            action_name: text("ActionName")?,
            target_id: text("TargetId")?,
            outcome: params.parse("Outcome")?,
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
        };
        if let (Some(start), Some(end)) = (request.start_time, request.end_time)
            && start >= end
        {
            return Err(ParamError::invalid("EndTime", "the end must come after StartTime"));
        }
        Ok(request)
    }
}

/// One batch's history: its creation and every successful change to it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAJobHistory {
    pub job_id: String,
}

impl ListOTAJobHistory {
    /// The most events one answer lists; `Total` says how many there are.
    pub const LIMIT: u32 = 200;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAJobHistoryResponse {
    pub total: u64,
    pub data: AuditEventList,
}

impl Operation for ListOTAJobHistory {
    const ACTION: &'static str = "ListOTAJobHistory";
    type Response = ListOTAJobHistoryResponse;

    fn to_params(&self) -> Params {
        Params::new().with("JobId", &self.job_id)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { job_id: rules::ID.required(params, "JobId")?.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ListOTAAuditEvents, ParamError> {
        ListOTAAuditEvents::from_params(&pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn every_filter_round_trips_through_parameters() {
        let request = ListOTAAuditEvents {
            start_time: UtcTime::from_millis(1_000),
            end_time: UtcTime::from_millis(2_000),
            principal: Some("ops".into()),
            action_name: Some("UpdateOTAJob".into()),
            target_id: Some("job1".into()),
            outcome: Some(Outcome::Refused),
            page: PageRequest::new(2, 50),
        };
        assert_eq!(ListOTAAuditEvents::from_params(&request.to_params()), Ok(request));
    }

    #[test]
    fn no_filter_means_the_first_page_of_everything() {
        assert_eq!(parse(&[]), Ok(ListOTAAuditEvents::default()));
    }

    #[test]
    fn nonsense_filters_are_refused() {
        assert!(parse(&[("StartTime", "2000"), ("EndTime", "1000")]).is_err());
        assert!(parse(&[("StartTime", "yesterday")]).is_err());
        assert!(parse(&[("Outcome", "Maybe")]).is_err());
        assert!(parse(&[("PageSize", "101")]).is_err());
        assert!(parse(&[("Principal", &"x".repeat(129))]).is_err());
    }

    #[test]
    fn an_event_reads_back_from_its_json() {
        let json = r#"{"EventId":7,"UtcTime":"2026-12-06T10:00:00.000Z","PrincipalType":"User",
            "PrincipalName":"ops","AccessKeyId":"STS.x","SourceIp":"127.0.0.1","Action":"UpdateOTAJob",
            "IotInstanceId":"iot-1","TargetType":"Job","TargetId":"j1",
            "Parameters":{"Parameter":[{"Name":"JobId","Value":"j1"}]},"Outcome":"Success","Code":"Success",
            "RequestId":"R"}"#;
        let event: AuditEvent = serde_json::from_str(json).unwrap();
        assert_eq!(event.target_type, Some(TargetType::Job));
        assert_eq!(event.parameters.items[0].value, "j1");
        assert_eq!(serde_json::from_str::<AuditEvent>(&serde_json::to_string(&event).unwrap()).unwrap(), event);
    }
}
