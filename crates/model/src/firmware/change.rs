//! Changing a package from a form (§3.3): its name, description and custom information, the
//! only things ModifyOTAFirmware changes.

use super::FirmwareInfo;
use super::edit::{MAX_UDI_CHARS, ModifyOTAFirmware};
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules;

/// A package's changeable fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageChange {
    pub firmware_name: String,
    pub firmware_desc: String,
    pub udi: String,
}

impl PackageChange {
    /// The form as the package is now.
    pub fn of(info: &FirmwareInfo) -> Self {
        Self {
            firmware_name: info.summary.firmware_name.clone(),
            firmware_desc: info.summary.firmware_desc.clone().unwrap_or_default(),
            udi: info.udi.clone().unwrap_or_default(),
        }
    }

    /// The request for `info`'s package, or every rule the form breaks. A description or
    /// custom information emptied out is sent as blank, which the API takes as "unchanged";
    /// so clearing needs at least one character (as in Alibaba's console).
    pub fn request(&self, info: &FirmwareInfo) -> Result<ModifyOTAFirmware, Vec<ParamError>> {
        let params = Params::new()
            .with("FirmwareId", &info.summary.firmware_id)
            .with("ProductKey", &info.summary.product_key)
            .with("FirmwareName", self.firmware_name.trim())
            .with("FirmwareDesc", self.firmware_desc.trim())
            .with("FirmwareUdi", self.udi.trim());
        let problems: Vec<ParamError> = [
            rules::FIRMWARE_NAME.required(&params, "FirmwareName").map(drop),
            rules::DESCRIPTION.optional(&params, "FirmwareDesc").map(drop),
            params.text("FirmwareUdi", MAX_UDI_CHARS).map(drop),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        ModifyOTAFirmware::from_params(&params).map_err(|problem| vec![problem])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule;

    fn firmware_info() -> FirmwareInfo {
        serde_json::from_value(serde_json::json!({
            "FirmwareId": "fw1", "FirmwareName": "sm200-main", "DestVersion": "4.0.0", "FirmwareSign": "00",
            "SignMethod": "MD5", "FirmwareSize": 1, "ModuleName": "default", "ProductKey": "a1SMtr200Qx",
            "ProductName": "SM-200", "Status": 1, "Type": 0, "UtcCreate": "2026-11-26T00:00:00.000Z",
            "UtcModified": "2026-11-26T00:00:00.000Z", "Udi": "{\"channel\":\"stable\"}", "VerifyProgress": 100
        }))
        .unwrap()
    }

    #[test]
    fn the_form_starts_as_the_package_is_and_sends_its_fields() {
        let info = firmware_info();
        let mut change = PackageChange::of(&info);
        assert_eq!(change.firmware_name, "sm200-main");
        assert_eq!(change.udi, r#"{"channel":"stable"}"#);
        change.firmware_desc = "  Fixes the meter's clock drift ".into();
        let request = change.request(&info).unwrap();
        assert_eq!(request.firmware_id, info.summary.firmware_id);
        assert_eq!(request.firmware_desc.as_deref(), Some("Fixes the meter's clock drift"));
    }

    #[test]
    fn every_broken_rule_is_named() {
        let info = firmware_info();
        let change =
            PackageChange { firmware_name: String::new(), firmware_desc: "d".repeat(101), udi: "u".repeat(4097) };
        let problems = change.request(&info).unwrap_err();
        let named: Vec<_> = problems.iter().map(|p| (p.param.clone().unwrap(), p.rule.clone())).collect();
        assert_eq!(named[0], ("FirmwareName".into(), Rule::Missing));
        assert_eq!(named[1], ("FirmwareDesc".into(), Rule::Length { min: 0, max: 100 }));
        assert_eq!(named[2].0, "FirmwareUdi");
    }
}
