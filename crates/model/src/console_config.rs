//! The console's runtime configuration (`config.json`, served beside the console): which OTA
//! backends ("environments") it can talk to. Changing it needs no rebuild.
//!
//! ```json
//! { "environments": [
//!     { "id": "local", "name": "This server" },
//!     { "id": "prod", "name": "Production", "endpoint": "https://ota.example.com/",
//!       "iotInstanceId": "iot-cn-0pp1n8t4f01" } ] }
//! ```

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::extensions::InstanceInfo;

/// `config.json` as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsoleConfigFile {
    pub environments: Vec<EnvironmentEntry>,
}

/// One environment as written (in `config.json`, or kept by the browser for one user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentEntry {
    /// Names the environment in URLs (`?env=prod`).
    pub id: String,
    /// Shown in the environment switcher.
    pub name: String,
    /// The backend's RPC endpoint. Absent: the origin the console was loaded from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Sent as `IotInstanceId` with every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iot_instance_id: Option<String>,
    /// The host calls are signed for (ACS3 signs `host`), when it is not the endpoint's: the
    /// upstream's, for an endpoint that relays to it (`ota-server relay`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_host: Option<String>,
}

/// A checked environment, with its endpoint resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub id: String,
    pub name: String,
    /// An absolute URL.
    pub endpoint: String,
    /// The instance requests go to; none for the backend's default.
    pub iot_instance_id: Option<String>,
    /// The host signatures name, when it is not the endpoint's (a relay's upstream).
    pub signed_host: Option<String>,
}

impl Environment {
    /// The same backend in the instance `chosen` (the console's `?instance=`); as it is when
    /// nothing, or no usable instance ID, is chosen.
    pub fn in_instance(&self, chosen: Option<&str>) -> Environment {
        let chosen = chosen.map(str::trim).filter(|id| !id.is_empty() && is_instance_id(id));
        Environment {
            iot_instance_id: chosen.map(str::to_owned).or_else(|| self.iot_instance_id.clone()),
            ..self.clone()
        }
    }

    /// The same backend in one of the instances it lists. The backend's default instance of an
    /// environment that names none stays unnamed, so that its links stay as they were.
    pub fn for_instance(&self, instance: &InstanceInfo) -> Environment {
        if self.iot_instance_id.is_none() && instance.is_default {
            return self.clone();
        }
        Environment { iot_instance_id: Some(instance.iot_instance_id.clone()), ..self.clone() }
    }

    /// The `?instance=` that selects this environment's instance, given the environment as
    /// configured: none when it is the configured one.
    pub fn instance_param<'a>(&'a self, configured: &Environment) -> Option<&'a str> {
        self.iot_instance_id.as_deref().filter(|_| self.iot_instance_id != configured.iot_instance_id)
    }
}

/// An `IotInstanceId` as the console accepts one: up to 64 letters, digits, `-`, `_` or `.`.
pub fn is_instance_id(id: &str) -> bool {
    id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// What is wrong with a configuration, for the operator who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl ConsoleConfigFile {
    /// Checks every entry and resolves endpoints against `page_origin`
    /// (e.g. `https://cdn.example.com`): absent ones become the origin itself, paths such as
    /// `/api/` are taken on that origin.
    pub fn resolve(self, page_origin: &str) -> Result<Vec<Environment>, ConfigError> {
        if self.environments.is_empty() {
            return Err(ConfigError("\"environments\" lists no environment".into()));
        }
        let mut seen = HashSet::new();
        self.environments
            .into_iter()
            .map(|entry| {
                if !seen.insert(entry.id.clone()) {
                    return Err(ConfigError(format!("the environment id \"{}\" appears twice", entry.id)));
                }
                entry.resolve(page_origin.trim_end_matches('/'))
            })
            .collect()
    }
}

/// What is wrong with an environment a user adds, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvironmentProblem {
    /// The name is blank or longer than [`MAX_NAME_CHARS`].
    Name,
    /// Another environment has this name.
    NameTaken,
    /// Not an `http(s)://` URL with a host.
    Endpoint,
    /// Not 1–64 letters, digits, `-`, `_` or `.`.
    InstanceId,
}

/// The longest environment name.
pub const MAX_NAME_CHARS: usize = 64;

impl EnvironmentEntry {
    /// An environment a user adds in the console, checked against those already known; its
    /// id is made from its name, unique among `known`.
    pub fn added_by_user(
        name: &str,
        endpoint: &str,
        iot_instance_id: &str,
        known: &[Environment],
    ) -> Result<Self, EnvironmentProblem> {
        let (name, endpoint, instance) = (name.trim(), endpoint.trim(), iot_instance_id.trim());
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(EnvironmentProblem::Name);
        }
        if known.iter().any(|env| env.name.trim().eq_ignore_ascii_case(name)) {
            return Err(EnvironmentProblem::NameTaken);
        }
        let rest = endpoint.strip_prefix("https://").or_else(|| endpoint.strip_prefix("http://"));
        // A host first (a name, an IPv4 address or a bracketed IPv6 one), and no spaces.
        let has_host = rest.is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_alphanumeric() || c == '[') && !rest.contains(char::is_whitespace)
        });
        if !has_host {
            return Err(EnvironmentProblem::Endpoint);
        }
        if !is_instance_id(instance) {
            return Err(EnvironmentProblem::InstanceId);
        }
        Ok(Self {
            id: unique_id(name, known),
            name: name.to_owned(),
            endpoint: Some(endpoint.to_owned()),
            iot_instance_id: (!instance.is_empty()).then(|| instance.to_owned()),
            signed_host: None,
        })
    }

    /// Checks an entry and resolves its endpoint against the console's origin.
    pub fn resolve_on(self, page_origin: &str) -> Result<Environment, ConfigError> {
        self.resolve(page_origin.trim_end_matches('/'))
    }

    fn resolve(self, origin: &str) -> Result<Environment, ConfigError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 32
            && self.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return Err(ConfigError(format!(
                "the environment id \"{}\" must be 1–32 letters, digits, '-' or '_'",
                self.id
            )));
        }
        if self.name.trim().is_empty() {
            return Err(ConfigError(format!("the environment \"{}\" has no name", self.id)));
        }
        let endpoint = match self.endpoint.as_deref().map(str::trim) {
            None | Some("") => format!("{origin}/"),
            Some(path) if path.starts_with('/') && !path.starts_with("//") => {
                format!("{origin}{path}")
            }
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => url.to_owned(),
            Some(other) => {
                return Err(ConfigError(format!(
                    "the endpoint \"{other}\" of \"{}\" must be an http(s) URL or a path starting with /",
                    self.id
                )));
            }
        };
        let signed_host = self.signed_host.map(|host| host.trim().to_ascii_lowercase()).filter(|h| !h.is_empty());
        if let Some(host) = signed_host.as_deref().filter(|host| !is_host(host)) {
            return Err(ConfigError(format!(
                "the signedHost \"{host}\" of \"{}\" must be a host name or address, with a port if any",
                self.id
            )));
        }
        Ok(Environment {
            id: self.id,
            name: self.name,
            endpoint,
            iot_instance_id: self.iot_instance_id.filter(|id| !id.trim().is_empty()),
            signed_host,
        })
    }
}

/// `iot.cn-shanghai.aliyuncs.com`, `127.0.0.1:8080`, `[::1]:8080`: what a Host header holds.
fn is_host(host: &str) -> bool {
    (1..=260).contains(&host.len())
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `name` as an id: lower-case ASCII letters and digits joined by `-`, with a number added
/// when another environment has it. Names in other scripts become `env`.
fn unique_id(name: &str, known: &[Environment]) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut stem = words.join("-");
    stem.truncate(24);
    let stem =
        if stem.trim_end_matches('-').is_empty() { "env".to_owned() } else { stem.trim_end_matches('-').to_owned() };
    let taken = |id: &str| known.iter().any(|env| env.id == id);
    if !taken(&stem) {
        return stem;
    }
    (2..).map(|n| format!("{stem}-{n}")).find(|id| !taken(id)).unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(json: &str) -> Result<Vec<Environment>, ConfigError> {
        serde_json::from_str::<ConsoleConfigFile>(json).unwrap().resolve("https://cdn.example.com")
    }

    #[test]
    fn an_environment_without_endpoint_talks_to_the_pages_origin() {
        let envs = resolve(r#"{"environments":[{"id":"local","name":"This server"}]}"#).unwrap();
        assert_eq!(envs[0].endpoint, "https://cdn.example.com/");
        assert_eq!(envs[0].iot_instance_id, None);
    }

    #[test]
    fn endpoints_may_be_absolute_urls_or_paths_on_the_same_origin() {
        let envs = resolve(
            r#"{"environments":[
                {"id":"prod","name":"Production","endpoint":"https://ota.example.com/","iotInstanceId":"iot-1"},
                {"id":"proxy","name":"Proxied","endpoint":"/ota-api/"}]}"#,
        )
        .unwrap();
        assert_eq!(envs[0].endpoint, "https://ota.example.com/");
        assert_eq!(envs[0].iot_instance_id.as_deref(), Some("iot-1"));
        assert_eq!(envs[1].endpoint, "https://cdn.example.com/ota-api/");
    }

    #[test]
    fn a_relayed_environment_names_the_host_its_calls_are_signed_for() {
        let envs = resolve(
            r#"{"environments":[{"id":"ali","name":"Alibaba","endpoint":"https://relay.example.com/",
                "signedHost":" IoT.cn-shanghai.aliyuncs.com "},{"id":"here","name":"Here"}]}"#,
        )
        .unwrap();
        assert_eq!(envs[0].signed_host.as_deref(), Some("iot.cn-shanghai.aliyuncs.com"));
        assert_eq!(envs[1].signed_host, None);
        let err = resolve(r#"{"environments":[{"id":"a","name":"A","signedHost":"x.com/path"}]}"#).unwrap_err();
        assert!(err.0.contains("signedHost"), "{err}");
    }

    #[test]
    fn mistakes_are_named() {
        let err = resolve(r#"{"environments":[]}"#).unwrap_err();
        assert_eq!(err.0, "\"environments\" lists no environment");
        let err = resolve(r#"{"environments":[{"id":"a","name":"A"},{"id":"a","name":"B"}]}"#).unwrap_err();
        assert_eq!(err.0, "the environment id \"a\" appears twice");
        let err = resolve(r#"{"environments":[{"id":"a b","name":"A"}]}"#).unwrap_err();
        assert!(err.0.contains("letters, digits"), "{err}");
        let err = resolve(r#"{"environments":[{"id":"a","name":"A","endpoint":"ftp://x"}]}"#).unwrap_err();
        assert!(err.0.contains("http(s) URL"), "{err}");
    }

    #[test]
    fn an_environment_is_seen_in_another_instance_of_its_backend_and_links_say_which() {
        let envs = resolve(
            r#"{"environments":[{"id":"local","name":"Here"},{"id":"prod","name":"P","iotInstanceId":"iot-1"}]}"#,
        )
        .unwrap();
        let (local, prod) = (&envs[0], &envs[1]);
        let instance = |id: &str, is_default| InstanceInfo { iot_instance_id: id.into(), name: id.into(), is_default };

        let other = local.for_instance(&instance("iot-2", false));
        assert_eq!(other.iot_instance_id.as_deref(), Some("iot-2"));
        assert_eq!(other.instance_param(local), Some("iot-2"));
        assert_eq!(local.in_instance(Some("iot-2")), other, "the link's parameter leads back to it");
        // The default instance of an environment that names none is the environment as it is.
        assert_eq!(local.for_instance(&instance("iot-default", true)), *local);
        assert_eq!(local.instance_param(local), None);
        // An environment that names its instance names the default one when it is chosen.
        let default = prod.for_instance(&instance("iot-default", true));
        assert_eq!(default.instance_param(prod), Some("iot-default"));
        assert_eq!(prod.for_instance(&instance("iot-1", false)).instance_param(prod), None);
        // Nothing, or nothing usable, chosen: as configured.
        assert_eq!(prod.in_instance(None), *prod);
        assert_eq!(prod.in_instance(Some("bad id!")), *prod);
        assert_eq!(prod.in_instance(Some(" ")), *prod);
    }

    #[test]
    fn unknown_fields_are_refused_so_typos_do_not_pass_silently() {
        let typo = r#"{"environments":[{"id":"a","name":"A","endpiont":"https://x/"}]}"#;
        assert!(serde_json::from_str::<ConsoleConfigFile>(typo).is_err());
    }

    fn local() -> Vec<Environment> {
        resolve(r#"{"environments":[{"id":"local","name":"This server"},{"id":"staging","name":"Staging"}]}"#).unwrap()
    }

    #[test]
    fn a_user_adds_an_environment_by_name_endpoint_and_instance() {
        let added =
            EnvironmentEntry::added_by_user(" Factory line 2 ", "https://ota.factory.example/", "iot-2", &local())
                .unwrap();
        assert_eq!(added.id, "factory-line-2");
        assert_eq!(added.name, "Factory line 2");
        assert_eq!(added.endpoint.as_deref(), Some("https://ota.factory.example/"));
        assert_eq!(added.iot_instance_id.as_deref(), Some("iot-2"));
        let resolved = added.resolve_on("https://cdn.example.com").unwrap();
        assert_eq!(resolved.endpoint, "https://ota.factory.example/");
    }

    #[test]
    fn ids_stay_unique_and_names_in_other_scripts_still_get_one() {
        let known = local();
        assert_eq!(EnvironmentEntry::added_by_user("Staging 2", "http://h/", "", &known).unwrap().id, "staging-2");
        assert_eq!(EnvironmentEntry::added_by_user("工場", "http://h/", "", &known).unwrap().id, "env");
        let mut more = known.clone();
        more.push(
            EnvironmentEntry::added_by_user("工場", "http://h/", "", &known).unwrap().resolve_on("http://x").unwrap(),
        );
        assert_eq!(EnvironmentEntry::added_by_user("倉庫", "http://h/", "", &more).unwrap().id, "env-2");
    }

    #[test]
    fn each_field_says_what_is_wrong_with_it() {
        let known = local();
        let add = |name: &str, endpoint: &str, instance: &str| {
            EnvironmentEntry::added_by_user(name, endpoint, instance, &known)
        };
        assert_eq!(add("  ", "https://h/", ""), Err(EnvironmentProblem::Name));
        let long = "x".repeat(65);
        assert_eq!(add(&long, "https://h/", ""), Err(EnvironmentProblem::Name));
        assert_eq!(add("staging", "https://h/", ""), Err(EnvironmentProblem::NameTaken));
        for endpoint in [
            "",
            "ota.example.com",
            "ftp://h/",
            "https://",
            "https:///path",
            "https://a b/",
            "https://?x",
            "https://#",
            "https://:443",
        ] {
            assert_eq!(add("New", endpoint, ""), Err(EnvironmentProblem::Endpoint), "{endpoint:?}");
        }
        assert_eq!(add("New", "https://h/", "iot 1"), Err(EnvironmentProblem::InstanceId));
        assert!(add("New", "http://127.0.0.1:8080/", "").is_ok());
        assert!(add("New", "http://[::1]:8080/", "").is_ok());
    }
}
