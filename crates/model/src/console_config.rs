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

use serde::Deserialize;

/// `config.json` as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsoleConfigFile {
    pub environments: Vec<EnvironmentEntry>,
}

/// One environment as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentEntry {
    /// Names the environment in URLs (`?env=prod`).
    pub id: String,
    /// Shown in the environment switcher.
    pub name: String,
    /// The backend's RPC endpoint. Absent: the origin the console was loaded from.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Sent as `IotInstanceId` with every request.
    #[serde(default)]
    pub iot_instance_id: Option<String>,
}

/// A checked environment, with its endpoint resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub id: String,
    pub name: String,
    /// An absolute URL.
    pub endpoint: String,
    pub iot_instance_id: Option<String>,
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

impl EnvironmentEntry {
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
        Ok(Environment {
            id: self.id,
            name: self.name,
            endpoint,
            iot_instance_id: self.iot_instance_id.filter(|id| !id.trim().is_empty()),
        })
    }
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
    fn unknown_fields_are_refused_so_typos_do_not_pass_silently() {
        let typo = r#"{"environments":[{"id":"a","name":"A","endpiont":"https://x/"}]}"#;
        assert!(serde_json::from_str::<ConsoleConfigFile>(typo).is_err());
    }
}
