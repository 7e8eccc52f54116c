//! Who is calling: policies, the principals they belong to, and the extension operations that
//! sign a user in (`AssumeOTASession`), say who a caller is (`QueryOTACallerIdentity`) and
//! sign out (`EndOTASession`).

mod policy;

pub use policy::{BuiltIn, Effect, Policy, QUERY_DEVICE_SECRET, SERVICE, Statement, instance_resource};

use serde::{Deserialize, Serialize};

use crate::Empty;
use crate::operation::Operation;
use crate::params::{ParamError, Params};

/// How long temporary credentials from AssumeOTASession last, as Alibaba STS's default.
pub const SESSION_SECONDS: i64 = 3600;

/// How far a signed request's time may be from the server's, either way.
pub const TIMESTAMP_WINDOW_SECONDS: i64 = 15 * 60;

/// How long a server remembers a signature nonce: longer than a request can be valid for.
pub const NONCE_MEMORY_SECONDS: i64 = 31 * 60;

/// The longest user name and password accepted.
pub const MAX_USER_NAME: usize = 64;
pub const MAX_PASSWORD: usize = 256;

/// Exchanges a user's name and password for temporary credentials in the shape of Alibaba
/// STS's. The one operation that is not signed: the password is the proof.
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeOTASession {
    pub user_name: String,
    pub password: String,
}

impl std::fmt::Debug for AssumeOTASession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeOTASession").field("user_name", &self.user_name).finish_non_exhaustive()
    }
}

/// Temporary credentials: sign with the key pair and send the token as `SecurityToken`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: String,
    /// When they stop working, `2026-12-06T20:00:00Z`.
    pub expiration: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumeOTASessionResponse {
    pub credentials: Credentials,
}

impl Operation for AssumeOTASession {
    const ACTION: &'static str = "AssumeOTASession";
    type Response = AssumeOTASessionResponse;

    fn to_params(&self) -> Params {
        Params::new().with("UserName", &self.user_name).with("Password", &self.password)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let user_name = params.text("UserName", MAX_USER_NAME)?.ok_or_else(|| ParamError::missing("UserName"))?;
        let password = params.text("Password", MAX_PASSWORD)?.ok_or_else(|| ParamError::missing("Password"))?;
        Ok(Self { user_name: user_name.to_owned(), password: password.to_owned() })
    }
}

/// Trades the temporary credentials that sign this call for fresh ones of the same sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenewOTASession;

parameterless_operation!(RenewOTASession, "RenewOTASession", AssumeOTASessionResponse);

/// Ends the session whose temporary credentials sign this call, and its renewals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndOTASession;

parameterless_operation!(EndOTASession, "EndOTASession", Empty);

wire_str_enum! {
    /// What kind of principal signed a call.
    pub enum PrincipalType {
        /// A long-lived access key.
        AccessKey = "AccessKey",
        /// A user, through temporary credentials from AssumeOTASession.
        User = "User",
    }
}

list_wrapper!(
    /// `Instances.Instance[]`.
    InstanceList { "Instance": String }
);

list_wrapper!(
    /// `AllowedActions.Action[]`.
    AllowedActionList { "Action": String }
);

/// Who signed a call and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallerIdentity {
    pub principal_type: PrincipalType,
    /// The key's or the user's name.
    pub principal_name: String,
    /// The AccessKeyId that signed the call.
    pub access_key_id: String,
    /// The policy's name (`read-only`, `operator`, `admin` or one of the server's own).
    pub policy: String,
    /// The instances the principal is limited to; empty for all.
    pub instances: InstanceList,
    /// Every Action the principal may call on the instance the call named, sorted.
    pub allowed_actions: AllowedActionList,
    /// When temporary credentials stop working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
}

impl CallerIdentity {
    /// Whether the caller may call `action`. Without an identity (a backend that does not say)
    /// the console offers everything and shows the refusal where it happens.
    pub fn may(&self, action: &str) -> bool {
        self.allowed_actions.items.iter().any(|allowed| allowed == action)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOTACallerIdentity;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTACallerIdentityResponse {
    pub data: CallerIdentity,
}

parameterless_operation!(QueryOTACallerIdentity, "QueryOTACallerIdentity", QueryOTACallerIdentityResponse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let request = AssumeOTASession { user_name: "ops".into(), password: "hunter2".into() };
        assert!(!format!("{request:?}").contains("hunter2"));
        let credentials = Credentials {
            access_key_id: "STS.x".into(),
            access_key_secret: "s3cret".into(),
            security_token: "t0ken".into(),
            expiration: "2026-12-06T20:00:00Z".into(),
        };
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("s3cret") && !shown.contains("t0ken"), "{shown}");
    }

    #[test]
    fn signing_in_needs_a_name_and_a_password() {
        let params = Params::new().with("UserName", "ops");
        assert_eq!(AssumeOTASession::from_params(&params).unwrap_err().code, "MissingPassword");
        let params = params.with("Password", "pw");
        assert_eq!(AssumeOTASession::from_params(&params).unwrap().password, "pw");
    }

    #[test]
    fn the_identity_reads_as_alibaba_style_json() {
        let json = r#"{"PrincipalType":"User","PrincipalName":"ops","AccessKeyId":"STS.a","Policy":"operator",
            "Instances":{"Instance":[]},"AllowedActions":{"Action":["QueryOTAJob"]},"Expiration":"2026-12-06T20:00:00Z"}"#;
        let identity: CallerIdentity = serde_json::from_str(json).unwrap();
        assert!(identity.may("QueryOTAJob"));
        assert!(!identity.may("CancelOTATaskByJob"));
    }
}
