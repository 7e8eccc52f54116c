//! One error type for every handler, rendered as Alibaba's failure envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ota_model::{ErrorBody, ParamError, codes};

/// Why an operation failed. The status and `Code` tell a client what to do about it.
#[derive(Debug)]
pub enum ApiError {
    /// The request is wrong: a missing, malformed or out-of-range parameter, an unknown action.
    BadRequest(ParamError),
    /// The request names something that does not exist (404).
    NotFound { code: &'static str, message: String },
    /// The request is fine, but the state of things does not allow it (409).
    Conflict { code: &'static str, message: String },
    /// The request is larger than this server takes (413).
    TooLarge(String),
    /// The caller is not who it claims, or may not do this (400, 403 or 404, Alibaba's codes).
    Denied { status: StatusCode, code: String, message: String },
    /// The server is at one of its bounds; the client should try again shortly (503).
    Unavailable(String),
    /// The server failed; details go to the log, not to the client.
    Internal(String),
}

impl ApiError {
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound { code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Denied { status, .. } => *status,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code and message the caller receives, as the audit log records them.
    pub fn code_and_message(&self) -> (String, String) {
        match self {
            Self::BadRequest(error) => (error.code.clone(), error.message.clone()),
            Self::NotFound { code, message } | Self::Conflict { code, message } => {
                ((*code).to_owned(), message.clone())
            }
            Self::TooLarge(message) => (codes::REQUEST_TOO_LARGE.to_owned(), message.clone()),
            Self::Denied { code, message, .. } => (code.clone(), message.clone()),
            Self::Unavailable(message) => (codes::SERVICE_UNAVAILABLE.to_owned(), message.clone()),
            Self::Internal(_) => (codes::SYSTEM_EXCEPTION.to_owned(), "The server failed; see its log.".to_owned()),
        }
    }

    /// The failure envelope for the request `request_id`.
    pub fn into_response_for(self, request_id: String) -> Response {
        let status = self.status();
        let body = match self {
            Self::BadRequest(error) => ErrorBody::of_param(request_id.clone(), error),
            Self::NotFound { code, message } | Self::Conflict { code, message } => {
                let param = codes::param_of(code).map(str::to_owned);
                ErrorBody { error_param: param, ..ErrorBody::new(request_id.clone(), code, message) }
            }
            Self::TooLarge(message) => ErrorBody::new(request_id.clone(), codes::REQUEST_TOO_LARGE, message),
            Self::Denied { code, message, .. } => ErrorBody::new(request_id.clone(), code, message),
            Self::Unavailable(message) => ErrorBody::new(request_id.clone(), codes::SERVICE_UNAVAILABLE, message),
            Self::Internal(detail) => {
                tracing::error!(request_id, "internal error: {detail}");
                ErrorBody::new(
                    request_id.clone(),
                    codes::SYSTEM_EXCEPTION,
                    format!("The server failed to handle request {request_id}; see its log."),
                )
            }
        };
        super::rpc::answer(status, &request_id, body)
    }
}

impl From<ParamError> for ApiError {
    fn from(error: ParamError) -> Self {
        Self::BadRequest(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if crate::store::is_disk_full(&error) {
            tracing::error!("database: {error}");
            return Self::Unavailable("The server's disk is full: nothing was changed. Try again later.".into());
        }
        Self::Internal(format!("database: {error}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_response_for(super::rpc::new_request_id())
    }
}
