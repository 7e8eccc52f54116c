//! Update packages (`Firmware`): their shapes, ListOTAFirmware and QueryOTAFirmware
//! (§3.5–3.6). Creating, changing and deleting them is in [`edit`].

pub mod change;
pub mod edit;
pub mod form;

use serde::{Deserialize, Serialize};

use crate::enums::{FirmwareStatus, FirmwareType, SignMethod};
use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::rules;
use crate::time::UtcTime;

/// Longest search text for the `Keyword` extension.
pub const MAX_KEYWORD_CHARS: usize = 64;

/// The `Keyword` extension: trimmed, and absent when only blanks were given.
fn keyword(params: &Params) -> Result<Option<String>, ParamError> {
    let keyword = params.get("Keyword").map(str::trim).filter(|k| !k.is_empty());
    match keyword {
        Some(k) if k.chars().count() > MAX_KEYWORD_CHARS => {
            Err(ParamError::invalid("Keyword", format!("it is longer than {MAX_KEYWORD_CHARS} characters")))
        }
        k => Ok(k.map(str::to_owned)),
    }
}

/// One package in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimpleFirmwareInfo {
    pub firmware_id: String,
    pub firmware_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_desc: Option<String>,
    pub dest_version: String,
    /// Only differential packages have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_version: Option<String>,
    pub firmware_sign: String,
    pub sign_method: SignMethod,
    pub firmware_size: u64,
    pub module_name: String,
    pub product_key: String,
    pub product_name: String,
    pub status: FirmwareStatus,
    #[serde(rename = "Type")]
    pub firmware_type: FirmwareType,
    pub utc_create: UtcTime,
    pub utc_modified: UtcTime,
}

/// One file of a multi-file package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirmwareFile {
    pub name: String,
    pub url: String,
    pub size: u64,
    pub sign_value: String,
    pub file_md5: String,
}

/// One package in full, as QueryOTAFirmware returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirmwareInfo {
    #[serde(flatten)]
    pub summary: SimpleFirmwareInfo,
    /// Single-file packages only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multi_files: Vec<FirmwareFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udi: Option<String>,
    /// 0–100: the share of the verification batch's devices that succeeded.
    pub verify_progress: u8,
}

list_wrapper!(
    /// `FirmwareInfo.SimpleFirmwareInfo[]`.
    SimpleFirmwareInfoList { "SimpleFirmwareInfo": SimpleFirmwareInfo }
);

/// Lists update packages, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOTAFirmware {
    pub page: PageRequest,
    pub product_key: Option<String>,
    /// Exact destination version.
    pub dest_version: Option<String>,
    /// Extension: case-insensitive text found in the package's name, ID or versions.
    pub keyword: Option<String>,
}

impl ListOTAFirmware {
    pub const MAX_PAGE_SIZE: u32 = 100;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAFirmwareResponse {
    #[serde(flatten)]
    pub page: Page,
    pub firmware_info: SimpleFirmwareInfoList,
}

impl Operation for ListOTAFirmware {
    const ACTION: &'static str = "ListOTAFirmware";
    type Response = ListOTAFirmwareResponse;

    fn to_params(&self) -> Params {
        self.page
            .to_params(Params::new())
            .with_opt("ProductKey", self.product_key.as_deref())
            .with_opt("DestVersion", self.dest_version.as_deref())
            .with_opt("Keyword", self.keyword.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let dest_version = rules::VERSION.optional(params, "DestVersion")?;
        Ok(Self {
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
            product_key: rules::ID.optional(params, "ProductKey")?.map(str::to_owned),
            dest_version: dest_version.map(str::to_owned),
            keyword: keyword(params)?,
        })
    }
}

/// One package in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOTAFirmware {
    pub firmware_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTAFirmwareResponse {
    pub firmware_info: FirmwareInfo,
}

impl Operation for QueryOTAFirmware {
    const ACTION: &'static str = "QueryOTAFirmware";
    type Response = QueryOTAFirmwareResponse;

    fn to_params(&self) -> Params {
        Params::new().with("FirmwareId", &self.firmware_id)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::SuccessBody;
    use serde_json::json;

    fn round_trip<O: Operation + PartialEq + std::fmt::Debug>(request: O) {
        assert_eq!(O::from_params(&request.to_params()), Ok(request));
    }

    #[test]
    fn list_requests_survive_the_trip_through_parameters() {
        round_trip(ListOTAFirmware::default());
        round_trip(ListOTAFirmware {
            page: PageRequest::new(3, 100),
            product_key: Some("a1Le6d0meter".into()),
            dest_version: Some("2.1.0-rc_1".into()),
            keyword: Some("カメラ".into()),
        });
        round_trip(QueryOTAFirmware { firmware_id: "nx3xxVvFdwvn6dim50PY03".into() });
    }

    #[test]
    fn list_refuses_pages_over_one_hundred_and_bad_versions() {
        let params: Params = [("PageSize", "101")].into_iter().collect();
        assert_eq!(ListOTAFirmware::from_params(&params).unwrap_err().code, "iot.common.InvalidPageParams");
        let params: Params = [("DestVersion", "1.0 beta")].into_iter().collect();
        let err = ListOTAFirmware::from_params(&params).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("' ' may not appear in a version"), "{}", err.message);
    }

    #[test]
    fn a_keyword_of_blanks_is_no_keyword_and_long_ones_are_refused() {
        let blank: Params = [("Keyword", "   ")].into_iter().collect();
        assert_eq!(ListOTAFirmware::from_params(&blank).unwrap().keyword, None);
        let padded: Params = [("Keyword", " gw4 ")].into_iter().collect();
        assert_eq!(ListOTAFirmware::from_params(&padded).unwrap().keyword.as_deref(), Some("gw4"));
        let long: Params = [("Keyword", "x".repeat(65))].into_iter().collect();
        assert_eq!(ListOTAFirmware::from_params(&long).unwrap_err().code, "InvalidParameter");
    }

    #[test]
    fn query_needs_a_firmware_id() {
        assert_eq!(QueryOTAFirmware::from_params(&Params::new()).unwrap_err().code, "MissingFirmwareId");
    }

    #[test]
    fn a_package_list_reads_and_writes_alibabas_shape() {
        let wire = json!({
            "RequestId": "29EC7245-0FA4-4BB6-B4F5-5F04818FDFB1",
            "Success": true,
            "Total": 1, "PageSize": 10, "PageCount": 1, "CurrentPage": 1,
            "FirmwareInfo": {"SimpleFirmwareInfo": [{
                "FirmwareId": "nx3xxVvFdwvn6dim50PY03", "FirmwareName": "meter-main",
                "DestVersion": "2.0.0", "SrcVersion": "1.0.0",
                "FirmwareSign": "93230c3bde425a9d7984e594ac55ea1e", "SignMethod": "MD5",
                "FirmwareSize": 432945, "ModuleName": "default",
                "ProductKey": "a1Le6d0meter", "ProductName": "Smart meter",
                "Status": 1, "Type": 1,
                "UtcCreate": "2019-11-04T06:22:19.566Z", "UtcModified": "2019-11-04T06:22:19.566Z"
            }]}
        });
        let body: SuccessBody<ListOTAFirmwareResponse> = serde_json::from_value(wire.clone()).unwrap();
        let package = &body.data.firmware_info.items[0];
        assert_eq!(package.status, FirmwareStatus::Verified);
        assert_eq!(package.firmware_type, FirmwareType::Differential);
        assert_eq!(serde_json::to_value(&body).unwrap(), wire);
    }
}
