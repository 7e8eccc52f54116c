//! Policies in the shape of Alibaba RAM's: statements that allow or deny Actions (with
//! wildcards) on instances. A Deny wins over any Allow; what no statement allows is denied.

use serde::{Deserialize, Deserializer, Serialize};

/// The service prefix of every Action in a policy: `iot:QueryOTAJob`.
pub const SERVICE: &str = "iot";

/// Not an operation: allowing it lets QueryDevice and QueryDeviceDetail answer device secrets.
pub const QUERY_DEVICE_SECRET: &str = "QueryDeviceSecret";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One rule: `Effect` for every Action matching one of `Action` on every instance matching
/// one of `Resource` (`*`, or `acs:iot:*:*:instance/ID`, wildcards allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub effect: Effect,
    #[serde(deserialize_with = "one_or_many")]
    pub action: Vec<String>,
    #[serde(default = "everything", deserialize_with = "one_or_many")]
    pub resource: Vec<String>,
}

/// A RAM policy document: `{"Version": "1", "Statement": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    #[serde(default = "version_one")]
    pub version: String,
    pub statement: Vec<Statement>,
}

fn version_one() -> String {
    "1".to_owned()
}

fn everything() -> Vec<String> {
    vec!["*".to_owned()]
}

/// RAM accepts a single string wherever a list is expected.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

impl Policy {
    /// Whether `action` (an operation's name, without `iot:`) is allowed on `instance`.
    pub fn allows(&self, action: &str, instance: &str) -> bool {
        let applies = |statement: &&Statement| {
            statement.action.iter().any(|pattern| action_matches(pattern, action))
                && statement.resource.iter().any(|pattern| resource_matches(pattern, instance))
        };
        let mut matching = self.statement.iter().filter(applies).peekable();
        matching.peek().is_some() && matching.all(|statement| statement.effect == Effect::Allow)
    }

    /// What is wrong with the document, if anything: unknown services and malformed resources
    /// would silently allow nothing, which an operator would not notice until refused.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.version != "1" {
            problems.push(format!("Version is \"{}\"; only \"1\" is known", self.version));
        }
        for statement in &self.statement {
            for action in &statement.action {
                if !(action == "*"
                    || action.split_once(':').is_some_and(|(service, _)| service.eq_ignore_ascii_case(SERVICE)))
                {
                    problems.push(format!("the Action \"{action}\" is not \"*\" or \"iot:…\""));
                }
            }
            for resource in &statement.resource {
                if resource != "*" && instance_pattern(resource).is_none() {
                    problems.push(format!("the Resource \"{resource}\" is not \"*\" or \"acs:iot:*:*:instance/…\""));
                }
            }
        }
        problems
    }
}

/// `iot:List*` matches `ListOTAFirmware`; Action names compare without regard to case, as in RAM.
fn action_matches(pattern: &str, action: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.split_once(':') {
        Some((service, name)) if service.eq_ignore_ascii_case(SERVICE) => {
            glob(&name.to_ascii_lowercase(), &action.to_ascii_lowercase())
        }
        _ => false,
    }
}

fn resource_matches(pattern: &str, instance: &str) -> bool {
    pattern == "*" || instance_pattern(pattern).is_some_and(|id| glob(id, instance))
}

/// The instance part of `acs:iot:REGION:ACCOUNT:instance/ID`; region and account are whatever
/// the document says, since this server has neither.
fn instance_pattern(resource: &str) -> Option<&str> {
    let mut parts = resource.splitn(5, ':');
    let (acs, service) = (parts.next()?, parts.next()?);
    let (_region, _account, target) = (parts.next()?, parts.next()?, parts.next()?);
    (acs == "acs" && glob(service, SERVICE)).then_some(())?;
    target.strip_prefix("instance/")
}

/// `*` matches any run of characters, `?` any one.
fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Greedy matching with one backtrack point, the usual linear-time wildcard match.
    let (mut p, mut t, mut star, mut resume) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            resume = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            resume += 1;
            t = resume;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// A resource naming one instance, for policies built by the server.
pub fn instance_resource(instance: &str) -> String {
    format!("acs:{SERVICE}:*:*:instance/{instance}")
}

fn statement(effect: Effect, actions: &[&str]) -> Statement {
    Statement { effect, action: actions.iter().map(|a| format!("{SERVICE}:{a}")).collect(), resource: everything() }
}

/// What only an admin may see, even where a wildcard would otherwise allow it.
const ADMIN_ONLY: &[&str] = &[QUERY_DEVICE_SECRET, "ListOTAAuditEvents"];

/// The policies every server knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    /// Every List and Query operation and the event stream; no device secrets.
    ReadOnly,
    /// Read-only, plus packages, modules, batches, cancel, confirm, re-upgrade and edits.
    Operator,
    /// Everything: registry writes, device secrets, the audit log.
    Admin,
}

impl BuiltIn {
    pub const ALL: [BuiltIn; 3] = [BuiltIn::ReadOnly, BuiltIn::Operator, BuiltIn::Admin];

    pub fn name(self) -> &'static str {
        match self {
            BuiltIn::ReadOnly => "read-only",
            BuiltIn::Operator => "operator",
            BuiltIn::Admin => "admin",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    pub fn policy(self) -> Policy {
        let read = ["List*", "Query*", "SubscribeOTAEvents"];
        let statement = match self {
            BuiltIn::ReadOnly => vec![statement(Effect::Allow, &read), statement(Effect::Deny, ADMIN_ONLY)],
            BuiltIn::Operator => vec![
                statement(Effect::Allow, &read),
                statement(Effect::Allow, &["*OTA*", "GenerateDeviceNameListURL"]),
                statement(Effect::Deny, ADMIN_ONLY),
            ],
            BuiltIn::Admin => vec![statement(Effect::Allow, &["*"])],
        };
        Policy { version: version_one(), statement }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(built_in: BuiltIn, action: &str) -> bool {
        built_in.policy().allows(action, "iot-default")
    }

    #[test]
    fn read_only_reads_everything_and_changes_nothing() {
        for read in ["ListOTAFirmware", "QueryOTAJob", "QueryOTATaskStatistics", "SubscribeOTAEvents", "QueryDevice"] {
            assert!(allows(BuiltIn::ReadOnly, read), "{read}");
        }
        for write in ["CreateOTAFirmware", "CancelOTATaskByJob", "UpdateOTAJob", "RegisterDevice", "ConfirmOTATask"] {
            assert!(!allows(BuiltIn::ReadOnly, write), "{write}");
        }
        assert!(!allows(BuiltIn::ReadOnly, QUERY_DEVICE_SECRET));
        assert!(!allows(BuiltIn::ReadOnly, "ListOTAAuditEvents"));
    }

    #[test]
    fn an_operator_runs_rollouts_but_not_the_registry() {
        for ota in ["CreateOTAStaticUpgradeJob", "CancelOTAStrategyByJob", "ReupgradeOTATask", "GenerateOTAUploadURL"] {
            assert!(allows(BuiltIn::Operator, ota), "{ota}");
        }
        for admin in ["RegisterDevice", "CreateProduct", QUERY_DEVICE_SECRET, "ListOTAAuditEvents"] {
            assert!(!allows(BuiltIn::Operator, admin), "{admin}");
        }
    }

    #[test]
    fn an_admin_may_do_anything() {
        assert!(allows(BuiltIn::Admin, "RegisterDevice"));
        assert!(allows(BuiltIn::Admin, QUERY_DEVICE_SECRET));
    }

    #[test]
    fn deny_wins_and_nothing_is_allowed_by_default() {
        let policy: Policy = serde_json::from_str(
            r#"{"Version":"1","Statement":[
                {"Effect":"Allow","Action":"iot:*"},
                {"Effect":"Deny","Action":["iot:Cancel*"],"Resource":"acs:iot:*:*:instance/iot-prod"}]}"#,
        )
        .unwrap();
        assert!(policy.allows("CancelOTATaskByJob", "iot-lab"));
        assert!(!policy.allows("CancelOTATaskByJob", "iot-prod"));
        assert!(policy.allows("QueryOTAJob", "iot-prod"));
        assert!(!Policy { version: "1".into(), statement: vec![] }.allows("QueryOTAJob", "iot-lab"));
    }

    #[test]
    fn actions_match_without_case_and_resources_name_instances() {
        let policy = Policy {
            version: "1".into(),
            statement: vec![Statement {
                effect: Effect::Allow,
                action: vec!["IOT:list*".into()],
                resource: vec![instance_resource("iot-lab*")],
            }],
        };
        assert!(policy.allows("ListOTAFirmware", "iot-lab"));
        assert!(policy.allows("ListOTAFirmware", "iot-lab-2"));
        assert!(!policy.allows("ListOTAFirmware", "iot-prod"));
        assert!(!policy.allows("QueryOTAJob", "iot-lab"));
        assert!(policy.problems().is_empty());
    }

    #[test]
    fn a_document_that_would_silently_allow_nothing_is_reported() {
        let policy: Policy =
            serde_json::from_str(r#"{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"instance/x"}]}"#)
                .unwrap();
        assert_eq!(policy.problems().len(), 2, "{:?}", policy.problems());
    }

    #[test]
    fn wildcards_match_like_ram() {
        assert!(glob("list*", "listotafirmware"));
        assert!(glob("*ota*", "cancelotataskbyjob"));
        assert!(glob("query?evice", "querydevice"));
        assert!(!glob("*ota*", "registerdevice"));
        assert!(glob("a*b*c", "aXbYbZc"));
        assert!(!glob("a*b", "aXbY"));
    }

    #[test]
    fn built_ins_are_found_by_name() {
        for built_in in BuiltIn::ALL {
            assert_eq!(BuiltIn::from_name(built_in.name()), Some(built_in));
            assert!(built_in.policy().problems().is_empty());
        }
        assert_eq!(BuiltIn::from_name("root"), None);
    }
}
