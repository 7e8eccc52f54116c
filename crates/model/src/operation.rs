//! What every OTA operation has in common.

use serde::{Serialize, de::DeserializeOwned};

use crate::params::{ParamError, Params};

/// The API version this project speaks (`Version=2018-01-20`).
pub const API_VERSION: &str = "2018-01-20";

/// One RPC operation: the request is the type implementing this trait, named after its
/// `Action`. Both sides use the same conversions, so a request the console writes is exactly
/// what the server reads, validation included.
///
/// `IotInstanceId`, accepted by every operation, is not part of the request types: the
/// console adds it from the selected environment and the server reads it separately.
pub trait Operation: Sized {
    /// The `Action` parameter, e.g. `ListOTAFirmware`.
    const ACTION: &'static str;

    /// The response fields next to `RequestId` and `Success`.
    type Response: Serialize + DeserializeOwned;

    /// The request as RPC parameters, in the API's spelling (`Name.N` for lists).
    fn to_params(&self) -> Params;

    /// Reads and validates the request; the error names the offending parameter.
    fn from_params(params: &Params) -> Result<Self, ParamError>;
}
