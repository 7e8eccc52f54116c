//! The principal behind a verified call, and what it may do.

use std::sync::Arc;

use ota_model::access::{AllowedActionList, CallerIdentity, InstanceList, Policy, PrincipalType};
use ota_model::{UtcTime, signature};

use crate::store::access::{AccessKey, Grant, Session};

/// Actions every signed-in caller may call whatever its policy: they concern only itself.
pub const SELF_SERVICE: &[&str] = &["QueryOTACallerIdentity", "RenewOTASession", "EndOTASession"];

/// Who signed a call.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalType,
    /// The key's or the user's name.
    pub name: String,
    pub access_key_id: String,
    pub grant: Grant,
    policy: Arc<Policy>,
    /// When temporary credentials end.
    pub expiration: Option<UtcTime>,
    /// The sign-in that temporary credentials belong to.
    pub login_id: Option<String>,
}

impl Principal {
    pub(super) fn of_key(key: &AccessKey, policy: Arc<Policy>) -> Self {
        Self {
            kind: PrincipalType::AccessKey,
            name: key.name.clone(),
            access_key_id: key.access_key_id.clone(),
            grant: key.grant.clone(),
            policy,
            expiration: None,
            login_id: None,
        }
    }

    pub(super) fn of_session(session: &Session, policy: Arc<Policy>) -> Self {
        Self {
            kind: PrincipalType::User,
            name: session.user.user_name.clone(),
            access_key_id: session.access_key_id.clone(),
            grant: session.user.grant.clone(),
            policy,
            expiration: Some(session.expires_at),
            login_id: Some(session.login_id.clone()),
        }
    }

    /// Whether the principal may call `action` on `instance`: within its instances, and allowed
    /// by its policy.
    pub fn may(&self, action: &str, instance: &str) -> bool {
        if SELF_SERVICE.contains(&action) {
            return true;
        }
        let in_reach = self.grant.instances.is_empty() || self.grant.instances.iter().any(|i| i == instance);
        in_reach && self.policy.allows(action, instance)
    }

    /// Who the principal is and which of `actions` it may call on `instance`.
    pub fn identity<'a>(&self, actions: impl Iterator<Item = &'a str>, instance: &str) -> CallerIdentity {
        let mut allowed: Vec<String> = actions.filter(|a| self.may(a, instance)).map(str::to_owned).collect();
        allowed.sort();
        CallerIdentity {
            principal_type: self.kind,
            principal_name: self.name.clone(),
            access_key_id: self.access_key_id.clone(),
            policy: self.grant.policy.clone(),
            instances: InstanceList { items: self.grant.instances.clone() },
            allowed_actions: AllowedActionList { items: allowed },
            expiration: self.expiration.map(signature::timestamp),
        }
    }
}

#[cfg(test)]
mod tests {
    use ota_model::access::BuiltIn;

    use super::*;

    fn key(policy: BuiltIn, instances: &[&str]) -> Principal {
        let key = AccessKey {
            access_key_id: "LTAIexample".into(),
            name: "ci".into(),
            secret_sealed: Vec::new(),
            grant: Grant { policy: policy.name().into(), instances: instances.iter().map(|i| i.to_string()).collect() },
            enabled: true,
            created_at: UtcTime(chrono::Utc::now()),
        };
        Principal::of_key(&key, Arc::new(policy.policy()))
    }

    #[test]
    fn a_principal_limited_to_instances_reaches_no_other() {
        let lab_admin = key(BuiltIn::Admin, &["iot-lab"]);
        assert!(lab_admin.may("CancelOTATaskByJob", "iot-lab"));
        assert!(!lab_admin.may("QueryOTAJob", "iot-default"));
        assert!(lab_admin.may("QueryOTACallerIdentity", "iot-default"), "it may always ask who it is");
    }

    #[test]
    fn the_identity_lists_what_the_policy_allows() {
        let reader = key(BuiltIn::ReadOnly, &[]);
        let identity = reader.identity(["UpdateOTAJob", "QueryOTAJob", "ListOTAFirmware"].into_iter(), "iot-default");
        assert_eq!(identity.allowed_actions.items, ["ListOTAFirmware", "QueryOTAJob"]);
        assert_eq!(identity.policy, "read-only");
        assert_eq!(identity.expiration, None);
    }
}
