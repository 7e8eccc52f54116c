//! The envelope around every response: `RequestId`, `Success`, and on failure `Code` and
//! `ErrorMessage`. The operation's own fields sit next to them at the top level.

use serde::{Deserialize, Serialize};

/// A successful response: the operation's fields flattened beside `RequestId` and `Success`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SuccessBody<T> {
    pub request_id: String,
    pub success: bool,
    #[serde(flatten)]
    pub data: T,
}

impl<T> SuccessBody<T> {
    pub fn new(request_id: String, data: T) -> Self {
        Self { request_id, success: true, data }
    }
}

/// The answer of operations that return no data: just the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}

/// A failed response. The text is in `ErrorMessage` (the IoT Platform's field) and again in
/// `Message`, which is what Alibaba's SDKs put into the exception they raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody {
    pub request_id: String,
    pub success: bool,
    pub code: String,
    pub error_message: String,
    pub message: String,
    /// Extension: the parameter at fault, when one is, so that a form can show the refusal
    /// beside its field. Alibaba's clients ignore fields they do not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_param: Option<String>,
}

impl ErrorBody {
    pub fn new(request_id: String, code: impl Into<String>, error_message: impl Into<String>) -> Self {
        let error_message = error_message.into();
        Self {
            request_id,
            success: false,
            code: code.into(),
            message: error_message.clone(),
            error_message,
            error_param: None,
        }
    }

    /// The refusal of a parameter: its code, message and name.
    pub fn of_param(request_id: String, error: crate::ParamError) -> Self {
        Self { error_param: error.param, ..Self::new(request_id, error.code, error.message) }
    }
}

/// Just the envelope of any response, to tell success from failure before reading the rest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Envelope {
    #[serde(default)]
    pub request_id: String,
    /// Gateway-level failures (signature, throttling) leave it out; absent means failed.
    #[serde(default)]
    pub success: bool,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// See [`ErrorBody::error_param`].
    #[serde(default)]
    pub error_param: Option<String>,
}

impl Envelope {
    /// The failure's text, from whichever field the backend filled.
    pub fn error_text(&self) -> Option<&str> {
        self.error_message.as_deref().or(self.message.as_deref()).filter(|m| !m.is_empty())
    }
}
