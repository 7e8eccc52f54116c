//! Error codes carried in the `Code` field of a failed response. Alibaba's own codes where one
//! exists; the console matches on these to explain a failure in the operator's language.

/// An `Action` the backend does not implement.
pub const UNKNOWN_ACTION: &str = "InvalidAction.NotFound";
/// A `Version` other than the one API version we speak.
pub const UNSUPPORTED_VERSION: &str = "InvalidVersion";
/// A parameter that is not of its type, not one of its allowed values, or too long.
pub const INVALID_PARAMETER: &str = "InvalidParameter";
/// `CurrentPage` or `PageSize` out of range.
pub const INVALID_PAGE_PARAMS: &str = "iot.common.InvalidPageParams";
pub const FIRMWARE_NOT_FOUND: &str = "iot.ota.FirmwareNotFound";
/// Something failed on the server side; the request itself may be fine.
pub const SYSTEM_EXCEPTION: &str = "iot.system.SystemException";

/// The code of a required parameter that was not given, e.g. `MissingFirmwareId`.
pub fn missing(name: &str) -> String {
    format!("Missing{name}")
}

/// Whether `code` says a required parameter was missing.
pub fn is_missing(code: &str) -> bool {
    code.starts_with("Missing")
}
