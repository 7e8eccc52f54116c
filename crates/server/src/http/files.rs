//! Package and device-list files: uploads through a grant (`PUT` of the bytes, or an
//! OSS-style PostObject form), and downloads with range requests.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use ota_model::upload::{MAX_DEVICE_LIST_BYTES, MAX_FIRMWARE_FILE_BYTES};
use ota_model::{UtcTime, codes, display};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::{ApiError, AppState};
use crate::auth::downloads::Refused;
use crate::files::{Located, ReceiveError, StoredFile};
use crate::metrics::Refusal;
use crate::store::Purpose;

/// `PUT /ota-files/{key}`: the file's bytes as the body.
/// Form fields beside the file (key, policy, signature, …) are short; longer ones are refused
/// rather than read into memory.
const MAX_FORM_FIELD_BYTES: usize = 8 * 1024;
/// Fields a form may have before its file.
const MAX_FORM_FIELDS: usize = 32;

pub async fn put(State(state): State<AppState>, Path(key): Path<String>, request: Request) -> Response {
    let length = content_length(request.headers());
    let body = request.into_body().into_data_stream();
    match receive(&state, &key, body, length).await {
        Ok(stored) => stored_answer(StatusCode::OK, &key, &stored),
        Err(error) => error.into_response(),
    }
}

/// `POST /ota-files`: an OSS PostObject form, `key` first and `file` last.
pub async fn post_form(State(state): State<AppState>, headers: HeaderMap, mut form: Multipart) -> Response {
    let mut key: Option<String> = None;
    let mut status = StatusCode::NO_CONTENT;
    for _ in 0..MAX_FORM_FIELDS {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return bad_form("the form has no file field".into()),
            Err(error) => return bad_form(format!("the form could not be read: {error}")),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let Some(key) = key.take() else {
                return bad_form("the key field must come before the file".into());
            };
            return match receive(&state, &key, field, content_length(&headers)).await {
                Ok(stored) => stored_answer(status, &key, &stored),
                Err(error) => error.into_response(),
            };
        }
        // Every other field is read within its cap; policy, OSSAccessKeyId, signature, … are
        // not checked on this server.
        let text = match small_field(&mut field).await {
            Ok(text) => text,
            Err(why) => {
                state.settings.metrics.refused(Refusal::UploadField);
                return bad_form(format!("the form field {}: {why}", name.chars().take(64).collect::<String>()));
            }
        };
        match name.as_str() {
            // Clients may send the key with its directory, as OSS keys have.
            "key" => key = Some(text.rsplit('/').next().unwrap_or_default().to_owned()),
            "success_action_status" if text.trim() == "200" => status = StatusCode::OK,
            _ => {}
        }
    }
    bad_form(format!("the form has more than {MAX_FORM_FIELDS} fields before its file"))
}

/// A form field other than the file, read whole if it is at most [`MAX_FORM_FIELD_BYTES`].
async fn small_field(field: &mut axum::extract::multipart::Field<'_>) -> Result<String, String> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() > MAX_FORM_FIELD_BYTES => {
                return Err(format!("is longer than {MAX_FORM_FIELD_BYTES} bytes"));
            }
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => return String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned()),
            Err(error) => return Err(format!("could not be read: {error}")),
        }
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn bad_form(message: String) -> Response {
    ApiError::BadRequest(ota_model::ParamError::new(codes::INVALID_PARAMETER, message)).into_response()
}

/// Stores the body of an upload for the grant `key`.
async fn receive<S, E>(state: &AppState, key: &str, body: S, length: Option<u64>) -> Result<StoredFile, ApiError>
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
    let purpose_limit = match upload.purpose() {
        Purpose::Firmware => MAX_FIRMWARE_FILE_BYTES,
        Purpose::DeviceList => MAX_DEVICE_LIST_BYTES,
    };
    let room = room_for(state, &upload.instance_id, length).await?;
    let limit = purpose_limit.min(room);
    let stored =
        state.files.receive(key, body.map_err(|e| e.to_string()), limit).await.map_err(|error| match error {
            ReceiveError::TooLarge { limit } if limit < purpose_limit => quota_exceeded(state, room),
            ReceiveError::TooLarge { limit } => ApiError::TooLarge(format!(
                "The file is larger than {}, the most this upload takes.",
                display::bytes(limit)
            )),
            ReceiveError::Interrupted(why) => ApiError::BadRequest(ota_model::ParamError::new(
                codes::INVALID_PARAMETER,
                format!("The upload broke off ({why}); nothing was kept."),
            )),
            ReceiveError::Busy => busy(key),
            ReceiveError::Io(error) => ApiError::Internal(format!("storing {key}: {error}")),
        })?;
    if !state.store.complete_upload(key, &stored, now).await? {
        // In a bucket another upload to this key may have completed first: only ours goes.
        let _ = state.files.discard(&stored).await;
        return Err(match state.store.upload(key).await? {
            Some(upload) if upload.stored().is_some() => busy(key),
            _ => not_granted(),
        });
    }
    tracing::info!("stored upload {key}: {} bytes", stored.size);
    Ok(stored)
}

fn busy(key: &str) -> ApiError {
    ApiError::conflict(
        codes::UPLOAD_IN_PROGRESS,
        format!("Another upload to {key} is arriving or has arrived; each upload URL takes one file."),
    )
}

/// How many bytes the instance's quota still takes; refused at once when a file of `length`
/// would not fit, or would leave the disk with less than its reserve.
async fn room_for(state: &AppState, instance: &str, length: Option<u64>) -> Result<u64, ApiError> {
    let limits = state.settings.limits;
    let room = limits.storage_quota.saturating_sub(state.store.stored_bytes(instance).await?);
    if room == 0 || length.is_some_and(|length| length > room) {
        return Err(quota_exceeded(state, room));
    }
    let free = state.files.available_space().map_err(|e| ApiError::Internal(format!("free disk space: {e}")))?;
    if free < limits.min_free_disk.saturating_add(length.unwrap_or(0)) {
        state.settings.metrics.refused(Refusal::DiskSpace);
        tracing::warn!("upload refused: {} free on the files' disk", display::bytes(free));
        return Err(ApiError::Unavailable("The server's disk is too full to take this file now.".into()));
    }
    Ok(room)
}

fn quota_exceeded(state: &AppState, room: u64) -> ApiError {
    state.settings.metrics.refused(Refusal::StorageQuota);
    ApiError::conflict(
        codes::STORAGE_QUOTA_EXCEEDED,
        format!(
            "The instance's files would exceed its storage quota of {} ({} left); delete unused packages first.",
            display::bytes(state.settings.limits.storage_quota),
            display::bytes(room)
        ),
    )
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
    let stored = match state.store.upload(&key).await {
        Ok(Some(upload)) => match upload.stored() {
            Some(stored) => stored,
            None => return missing(),
        },
        Ok(None) => return missing(),
        Err(error) => return ApiError::from(error).into_response(),
    };
    let path = match state.files.locate(&stored.object).await {
        Ok(Located::Path(path)) => path,
        // The object store serves the bytes (and ranges) itself, for a while.
        Ok(Located::Url(url)) => return redirect(&url),
        Err(error) => return ApiError::Internal(format!("locating {key}: {error}")).into_response(),
    };
    let served = ServeFile::new(path).oneshot(request).await;
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

/// A temporary redirect to `url`, which must not be cached: it expires.
fn redirect(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(location) => {
            let headers = [(LOCATION, location), (CACHE_CONTROL, HeaderValue::from_static("no-store"))];
            (StatusCode::TEMPORARY_REDIRECT, headers).into_response()
        }
        // Not the URL itself: it grants the download.
        Err(_) => ApiError::Internal("the object store signed a URL unfit for a header".into()).into_response(),
    }
}
