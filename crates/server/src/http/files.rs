//! Package and device-list files: uploads through a grant (`PUT` of the bytes, or an
//! OSS-style PostObject form), and downloads with range requests.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use ota_model::upload::{MAX_DEVICE_LIST_BYTES, MAX_FIRMWARE_FILE_BYTES};
use ota_model::{UtcTime, codes, display};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::{ApiError, AppState};
use crate::auth::downloads::Refused;
use crate::files::{ReceiveError, StoredFile};
use crate::store::Purpose;

/// `PUT /ota-files/{key}`: the file's bytes as the body.
pub async fn put(State(state): State<AppState>, Path(key): Path<String>, request: Request) -> Response {
    let body = request.into_body().into_data_stream();
    match receive(&state, &key, body).await {
        Ok(stored) => stored_answer(StatusCode::OK, &key, &stored),
        Err(error) => error.into_response(),
    }
}

/// `POST /ota-files`: an OSS PostObject form, `key` first and `file` last.
pub async fn post_form(State(state): State<AppState>, mut form: Multipart) -> Response {
    let mut key: Option<String> = None;
    let mut status = StatusCode::NO_CONTENT;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return bad_form(format!("the form could not be read: {error}")),
        };
        match field.name().unwrap_or_default() {
            "key" => match field.text().await {
                // Clients may send the key with its directory, as OSS keys have.
                Ok(text) => key = Some(text.rsplit('/').next().unwrap_or_default().to_owned()),
                Err(error) => return bad_form(format!("the key could not be read: {error}")),
            },
            "success_action_status" => {
                let wants_ok = field.text().await.is_ok_and(|t| t.trim() == "200");
                status = if wants_ok { StatusCode::OK } else { status };
            }
            "file" => {
                let Some(key) = key.take() else {
                    return bad_form("the key field must come before the file".into());
                };
                return match receive(&state, &key, field).await {
                    Ok(stored) => stored_answer(status, &key, &stored),
                    Err(error) => error.into_response(),
                };
            }
            _ => {} // policy, OSSAccessKeyId, signature, …: not checked on this server.
        }
    }
    bad_form("the form has no file field".into())
}

fn bad_form(message: String) -> Response {
    ApiError::BadRequest(ota_model::ParamError::new(codes::INVALID_PARAMETER, message)).into_response()
}

/// Stores the body of an upload for the grant `key`.
async fn receive<S, E>(state: &AppState, key: &str, body: S) -> Result<StoredFile, ApiError>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
    E: std::fmt::Display,
{
    let now = UtcTime(chrono::Utc::now());
    let not_granted =
        || ApiError::not_found(codes::FILE_NOT_FOUND, format!("No upload to {key} has been granted, or it expired."));
    let upload = state.store.upload(key).await?.ok_or_else(not_granted)?;
    if upload.state != "granted" || upload.utc_expire < now.millis() {
        return Err(not_granted());
    }
    let limit = match upload.purpose() {
        Purpose::Firmware => MAX_FIRMWARE_FILE_BYTES,
        Purpose::DeviceList => MAX_DEVICE_LIST_BYTES,
    };
    let stored =
        state.files.receive(key, body.map_err(|e| e.to_string()), limit).await.map_err(|error| match error {
            ReceiveError::TooLarge { limit } => ApiError::TooLarge(format!(
                "The file is larger than {}, the most this upload takes.",
                display::bytes(limit)
            )),
            ReceiveError::Interrupted(why) => ApiError::BadRequest(ota_model::ParamError::new(
                codes::INVALID_PARAMETER,
                format!("The upload broke off ({why}); nothing was kept."),
            )),
            ReceiveError::Busy => ApiError::conflict(
                codes::UPLOAD_IN_PROGRESS,
                format!("Another upload to {key} is arriving or has arrived; each upload URL takes one file."),
            ),
            ReceiveError::Io(error) => ApiError::Internal(format!("storing {key}: {error}")),
        })?;
    if !state.store.complete_upload(key, &stored, now).await? {
        let _ = state.files.remove(key).await;
        return Err(not_granted());
    }
    tracing::info!("stored upload {key}: {} bytes", stored.size);
    Ok(stored)
}

fn stored_answer(status: StatusCode, key: &str, stored: &StoredFile) -> Response {
    let body = serde_json::json!({"Key": key, "Size": stored.size, "ContentMd5": stored.md5, "Sha256": stored.sha256});
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::NO_CONTENT {
        response = StatusCode::NO_CONTENT.into_response();
    }
    // OSS answers with the MD5 as ETag; clients compare it.
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", stored.md5.to_uppercase())) {
        response.headers_mut().insert(ETAG, value);
    }
    response
}

/// `GET /ota-files/{key}?Expires=…&Signature=…`: a stored file, with range requests (devices
/// resume downloads), through a download URL the server signed.
pub async fn download(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let now = UtcTime(chrono::Utc::now());
    let (expires, signature) = (query.get("Expires").map(String::as_str), query.get("Signature").map(String::as_str));
    if let Err(refused) = state.access.downloads.check(&key, expires, signature, now) {
        let why = match refused {
            Refused::Unsigned => "This download URL is not signed: use the URL the API or the update notice gives.",
            Refused::Expired => "This download URL has expired: ask the API for the package again.",
            Refused::Altered => "This download URL's signature does not match it.",
        };
        let denied =
            ApiError::Denied { status: StatusCode::FORBIDDEN, code: "AccessDenied".into(), message: why.into() };
        return denied.into_response();
    }
    let missing =
        || ApiError::not_found(codes::FILE_NOT_FOUND, format!("No file {key} is stored here.")).into_response();
    match state.store.upload(&key).await {
        Ok(Some(upload)) if upload.stored().is_some() => {}
        Ok(_) => return missing(),
        Err(error) => return ApiError::from(error).into_response(),
    }
    let served = ServeFile::new(state.files.path(&key)).oneshot(request).await;
    let mut response = match served {
        Ok(response) => response.into_response(),
        Err(infallible) => match infallible {},
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{key}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}
