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
/// A relay (`ota-server relay`) could not reach the backend it forwards to (502).
pub const RELAY_UPSTREAM_UNREACHABLE: &str = "Relay.UpstreamUnreachable";

/// The code of a required parameter that was not given, e.g. `MissingFirmwareId`.
pub fn missing(name: &str) -> String {
    format!("Missing{name}")
}

/// Whether `code` says a required parameter was missing.
pub fn is_missing(code: &str) -> bool {
    code.starts_with("Missing")
}

/// `IotInstanceId` names no instance of this backend.
pub const INSTANCE_NOT_FOUND: &str = "iot.system.InstanceNotFound";
pub const PRODUCT_NOT_FOUND: &str = "iot.prod.NotExistedProduct";
pub const PRODUCT_NAME_TAKEN: &str = "iot.prod.AlreadyExistedProductName";
pub const DEVICE_NOT_FOUND: &str = "iot.device.NotExistedDevice";
pub const DEVICE_NAME_TAKEN: &str = "iot.device.AlreadyExistedDeviceName";
pub const GROUP_NOT_FOUND: &str = "iot.group.NotExistedGroup";
pub const GROUP_NAME_TAKEN: &str = "iot.group.AlreadyExistedGroupName";
pub const MODULE_NOT_FOUND: &str = "iot.ota.ModuleNotFound";
pub const MODULE_NAME_TAKEN: &str = "iot.ota.ModuleNameExisted";
/// A product has its ten custom modules already.
pub const MODULE_LIMIT_REACHED: &str = "iot.ota.ModuleLimitExceeded";
/// The default module, or a module packages still use.
pub const MODULE_IN_USE: &str = "iot.ota.ModuleInUse";
pub const FIRMWARE_NAME_TAKEN: &str = "iot.ota.FirmwareNameExisted";
/// The instance has its 500 packages already.
pub const FIRMWARE_LIMIT_REACHED: &str = "iot.ota.FirmwareLimitExceeded";
/// A package that an unfinished batch still uses.
pub const FIRMWARE_IN_USE: &str = "iot.ota.FirmwareInUse";
/// A batch update of a package that must be verified first.
pub const FIRMWARE_NOT_VERIFIED: &str = "iot.ota.FirmwareNotVerified";
/// A verification of a package that is being or has been verified.
pub const FIRMWARE_ALREADY_VERIFIED: &str = "iot.ota.FirmwareVerifyingOrVerified";
/// The package belongs to another product than the one named.
pub const FIRMWARE_PRODUCT_MISMATCH: &str = "iot.ota.FirmwareProductMismatch";
/// A file URL that names no upload of this backend, or one that has expired.
pub const FILE_NOT_FOUND: &str = "iot.ota.FileNotFound";
/// `FirmwareSign` or `FirmwareSize` does not match the uploaded file.
pub const FILE_MISMATCH: &str = "iot.ota.FileMismatch";
pub const JOB_NOT_FOUND: &str = "iot.ota.JobNotFound";
/// The batch is not in a state that allows the change (finished, or of the other kind).
pub const JOB_STATE_CONFLICT: &str = "iot.ota.JobStateConflict";
/// A second running dynamic batch for one package.
pub const DYNAMIC_JOB_EXISTS: &str = "iot.ota.DynamicJobExisted";
/// Nothing on this backend can serve the request (e.g. dynamic device groups).
pub const NOT_SUPPORTED: &str = "iot.ota.NotSupported";
/// A batch that would take on no device at all.
pub const NO_TARGET_DEVICE: &str = "iot.ota.NoTargetDevice";
pub const TASK_NOT_FOUND: &str = "iot.ota.TaskNotFound";
/// The task is not in a state that allows the change.
pub const TASK_STATE_CONFLICT: &str = "iot.ota.TaskStateConflict";
/// The request is larger than this backend accepts (body size, parameter count).
/// The server is at one of its bounds (concurrent calls, event streams): try again shortly.
pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";
/// An instance with as many open upload grants as it may have (extension).
pub const UPLOAD_GRANT_LIMIT: &str = "iot.ota.UploadGrantLimitExceeded";
/// An instance whose uploaded files fill its storage quota (extension).
pub const STORAGE_QUOTA_EXCEEDED: &str = "iot.ota.StorageQuotaExceeded";
/// An upload URL already receiving (or holding) a file (extension).
pub const UPLOAD_IN_PROGRESS: &str = "iot.ota.UploadInProgress";
pub const REQUEST_TOO_LARGE: &str = "iot.common.RequestTooLarge";

/// The parameter a refusal with `code` is about, where the code alone says (a name taken, a
/// device or group that does not exist): sent as `ErrorParam` so a form can show it in place.
pub fn param_of(code: &str) -> Option<&'static str> {
    Some(match code {
        FIRMWARE_NAME_TAKEN => "FirmwareName",
        MODULE_NAME_TAKEN | MODULE_NOT_FOUND => "ModuleName",
        DEVICE_NOT_FOUND => "TargetDeviceName",
        GROUP_NOT_FOUND => "GroupId",
        PRODUCT_NOT_FOUND => "ProductKey",
        _ => return None,
    })
}

/// Codes of refused signatures and permissions, Alibaba's own, with the HTTP status each comes with.
pub mod auth {
    /// The call is not signed (400).
    pub const MISSING_ACCESS_KEY_ID: &str = "MissingAccessKeyId";
    /// The AccessKeyId is not one of this backend's (404).
    pub const ACCESS_KEY_NOT_FOUND: &str = "InvalidAccessKeyId.NotFound";
    /// The key, or its user, is disabled (400).
    pub const ACCESS_KEY_INACTIVE: &str = "InvalidAccessKeyId.Inactive";
    /// The signature does not match the request (400).
    pub const SIGNATURE_MISMATCH: &str = "SignatureDoesNotMatch";
    /// The request's time is more than 15 minutes from the server's (400).
    pub const TIMESTAMP_EXPIRED: &str = "InvalidTimeStamp.Expired";
    /// The request's time is missing or unreadable (400).
    pub const TIMESTAMP_FORMAT: &str = "InvalidTimeStamp.Format";
    /// The nonce was used before by this key: a replay (400).
    pub const NONCE_USED: &str = "SignatureNonceUsed";
    /// `SignatureMethod`, `SignatureVersion` or the Authorization header's form is unknown (400).
    pub const SIGNATURE_METHOD: &str = "InvalidSignatureMethod";
    /// Temporary credentials have expired or were revoked (400).
    pub const TOKEN_EXPIRED: &str = "InvalidSecurityToken.Expired";
    /// Temporary credentials came without their token, or with another's (400).
    pub const TOKEN_MISMATCH: &str = "InvalidSecurityToken.MismatchWithAccessKey";
    /// The caller's policy does not allow the Action on the instance (403).
    pub const FORBIDDEN: &str = "Forbidden.RAM";
    /// The user name or password is wrong (400); which one is not said.
    pub const WRONG_PASSWORD: &str = "InvalidUser.Password";
    /// Too many failed sign-ins; try again later (400).
    pub const THROTTLED: &str = "Throttling.User";
    /// The request's `Host` is not one this server serves (400).
    pub const HOST_NOT_ALLOWED: &str = "InvalidHost";
}
