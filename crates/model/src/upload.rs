//! Upload grants: where to put a package file (GenerateOTAUploadURL, §3.1) or a device-list
//! file for a static batch (GenerateDeviceNameListURL, §3.9).
//!
//! Alibaba answers with an OSS PostObject form. ota-server answers with the same fields for a
//! form on itself, and also takes a plain `PUT` of the file to the returned URL.

use serde::{Deserialize, Serialize};

use crate::enums::FileSuffix;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::time::UtcTime;

/// Largest package file: 1,000 MB.
pub const MAX_FIRMWARE_FILE_BYTES: u64 = 1000 * 1024 * 1024;
/// Largest device-list file: 5 MB.
pub const MAX_DEVICE_LIST_BYTES: u64 = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerateOTAUploadURL {
    /// Default `bin`.
    pub file_suffix: Option<FileSuffix>,
}

/// Where and how to upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UploadGrant {
    /// Pass it to CreateOTAFirmware. A `PUT` of the file's bytes here stores it.
    pub firmware_url: String,
    /// Where the PostObject form goes (`multipart/form-data` with `key`, …, and `file` last).
    pub host: String,
    pub key: String,
    #[serde(rename = "OSSAccessKeyId")]
    pub oss_access_key_id: String,
    pub policy: String,
    pub signature: String,
    pub object_storage: String,
    pub utc_create: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GenerateOTAUploadURLResponse {
    pub data: UploadGrant,
}

impl Operation for GenerateOTAUploadURL {
    const ACTION: &'static str = "GenerateOTAUploadURL";
    type Response = GenerateOTAUploadURLResponse;

    fn to_params(&self) -> Params {
        Params::new().with_opt("FileSuffix", self.file_suffix)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { file_suffix: params.parse("FileSuffix")? })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerateDeviceNameListURL;

/// Where to upload a device list (CSV, one device name per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceListGrant {
    /// Pass it to CreateOTAStaticUpgradeJob as `DnListFileUrl`. A `PUT` here stores the file.
    pub file_url: String,
    pub host: String,
    pub key: String,
    pub access_key_id: String,
    pub policy: String,
    pub signature: String,
    pub object_storage: String,
    pub utc_create: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GenerateDeviceNameListURLResponse {
    pub data: DeviceListGrant,
}

parameterless_operation!(GenerateDeviceNameListURL, "GenerateDeviceNameListURL", GenerateDeviceNameListURLResponse);
