//! The `--config` file: instances, origins, host names, the audit log's retention and custom
//! policies, in TOML; flags win over it.

use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

use super::InstanceSpec;

/// The `--config` file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub instances: Vec<InstanceSpec>,
    #[serde(default)]
    pub cors_origins: Vec<String>,
    #[serde(default)]
    pub public_url: Option<String>,
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Days the audit log keeps an event (400 unless set).
    #[serde(default)]
    pub audit_retention_days: Option<u32>,
    /// Custom policies by name, in the shape of Alibaba RAM's documents.
    #[serde(default)]
    pub policies: std::collections::BTreeMap<String, ota_model::access::Policy>,
}

impl ConfigFile {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let config: Self =
            toml::from_str(&text).map_err(|e| format!("{} is not a valid configuration: {e}", path.display()))?;
        for instance in &config.instances {
            InstanceSpec::from_str(&instance.id).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_names_instances_and_origins() {
        let config: ConfigFile = toml::from_str(
            r#"
            cors_origins = ["https://console.example.com"]
            [[instances]]
            id = "iot-lab"
            name = "Lab"
            "#,
        )
        .unwrap();
        assert_eq!(config.instances[0].id, "iot-lab");
        assert_eq!(config.cors_origins, ["https://console.example.com"]);
        assert!(toml::from_str::<ConfigFile>("listen_port = 3").is_err(), "unknown keys are refused");
    }

    #[test]
    fn a_config_file_defines_policies_in_rams_shape() {
        let config: ConfigFile = toml::from_str(
            r#"
            [policies.deployer]
            Statement = [
              { Effect = "Allow", Action = ["iot:Query*", "iot:CreateOTA*"] },
              { Effect = "Deny", Action = "iot:*", Resource = "acs:iot:*:*:instance/iot-prod" },
            ]
            "#,
        )
        .unwrap();
        let deployer = &config.policies["deployer"];
        assert!(deployer.allows("CreateOTAStaticUpgradeJob", "iot-lab"));
        assert!(!deployer.allows("CreateOTAStaticUpgradeJob", "iot-prod"));
        assert!(!deployer.allows("CancelOTATaskByJob", "iot-lab"));
    }
}
