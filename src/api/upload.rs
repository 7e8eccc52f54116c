//! Package and device-list files: their digests, computed in the browser as the file is read
//! in slices, and their upload to where the backend's grant says, with progress.

use js_sys::{Promise, Uint8Array};
use ota_model::digest::{Digests, FileDigest};
use ota_model::enums::SignMethod;
use ota_model::upload::{DeviceListGrant, UploadGrant};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, File, FormData, ProgressEvent, XmlHttpRequest};

use super::ApiError;
use ota_model::Envelope;
use serde::Deserialize;

/// Bytes read and hashed at a time: large enough to keep the hashing loop busy, small
/// enough that the page answers between slices.
const SLICE_BYTES: u64 = 4 * 1024 * 1024;

/// Stops hashing and uploads: a page makes one and stops it when it goes away.
#[derive(Clone)]
pub struct Stop(SendWrapper<Option<AbortController>>);

impl Stop {
    pub fn new() -> Self {
        // Every browser the console supports has AbortController; without one nothing stops.
        Self(SendWrapper::new(AbortController::new().ok()))
    }

    pub fn stop(&self) {
        if let Some(controller) = self.0.as_ref() {
            controller.abort();
        }
    }

    pub fn stopped(&self) -> bool {
        self.0.as_ref().is_some_and(|controller| controller.signal().aborted())
    }
}

/// How far a long step has come, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UploadProgress {
    pub done: u64,
    pub total: u64,
}

/// The file's size and the digests its package needs. Between slices the browser gets the
/// thread back (each slice is read asynchronously), so the page stays responsive.
pub async fn digest_file(
    file: &File,
    method: SignMethod,
    also_md5: bool,
    stop: &Stop,
    on_progress: impl Fn(UploadProgress),
) -> Result<Digests, String> {
    let total = file.size() as u64;
    let mut digest = FileDigest::for_sign(method, also_md5);
    let mut buffer = vec![0u8; SLICE_BYTES.min(total) as usize];
    mark("ota-hash-start");
    while digest.bytes() < total {
        if stop.stopped() {
            return Err("stopped".to_owned());
        }
        let start = digest.bytes();
        let end = (start + SLICE_BYTES).min(total);
        let slice = file.slice_with_f64_and_f64(start as f64, end as f64).map_err(|e| format!("{e:?}"))?;
        let read = JsFuture::from(slice.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
        let bytes = Uint8Array::new(&read);
        let length = bytes.length() as usize;
        if length == 0 {
            return Err(format!("{} changed while it was read", file.name()));
        }
        bytes.copy_to(&mut buffer[..length]);
        digest.update(&buffer[..length]);
        on_progress(UploadProgress { done: digest.bytes(), total });
    }
    mark("ota-hash-end");
    Ok(digest.finish())
}

/// Where and how to post a file: the fields of an OSS PostObject form.
pub struct PostTarget<'a> {
    pub host: &'a str,
    pub key: &'a str,
    pub access_key_id: &'a str,
    pub policy: &'a str,
    pub signature: &'a str,
}

impl<'a> From<&'a UploadGrant> for PostTarget<'a> {
    fn from(grant: &'a UploadGrant) -> Self {
        let (host, key, policy, signature) = (&grant.host, &grant.key, &grant.policy, &grant.signature);
        Self { host, key, access_key_id: &grant.oss_access_key_id, policy, signature }
    }
}

impl<'a> From<&'a DeviceListGrant> for PostTarget<'a> {
    fn from(grant: &'a DeviceListGrant) -> Self {
        let (host, key, policy, signature) = (&grant.host, &grant.key, &grant.policy, &grant.signature);
        Self { host, key, access_key_id: &grant.access_key_id, policy, signature }
    }
}

/// Sends `file` as the grant's PostObject form (the OSS way, which ota-server also takes),
/// reporting the bytes sent as they go.
pub async fn upload_file(
    grant: PostTarget<'_>,
    file: &File,
    stop: &Stop,
    on_progress: impl Fn(UploadProgress) + 'static,
) -> Result<(), ApiError> {
    let unreachable = |detail: String| ApiError::Unreachable { endpoint: grant.host.to_owned(), detail };
    let js = |e: wasm_bindgen::JsValue| unreachable(format!("{e:?}"));
    let form = FormData::new().map_err(js)?;
    form.append_with_str("key", grant.key).map_err(js)?;
    form.append_with_str("OSSAccessKeyId", grant.access_key_id).map_err(js)?;
    form.append_with_str("policy", grant.policy).map_err(js)?;
    form.append_with_str("Signature", grant.signature).map_err(js)?;
    form.append_with_str("success_action_status", "200").map_err(js)?;
    form.append_with_blob_and_filename("file", file, &file.name()).map_err(js)?;

    let request = XmlHttpRequest::new().map_err(js)?;
    request.open("POST", grant.host).map_err(js)?;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            on_progress(UploadProgress { done: event.loaded() as u64, total: event.total() as u64 });
        }
    });
    request.upload().map_err(js)?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let finished = Promise::new(&mut |resolve, reject| {
        request.set_onload(Some(&resolve));
        request.set_onerror(Some(&reject));
        request.set_onabort(Some(&reject));
    });
    // Leaving the page stops the upload.
    let abort = {
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || {
            let _ = request.abort();
        })
    };
    let signal = stop.0.as_ref().map(AbortController::signal);
    if let Some(signal) = &signal {
        signal.set_onabort(Some(abort.as_ref().unchecked_ref()));
    }
    request.send_with_opt_form_data(Some(&form)).map_err(js)?;
    let outcome = JsFuture::from(finished).await;
    if let Some(signal) = &signal {
        signal.set_onabort(None);
    }
    // Kept alive until the upload ended: the browser calls them until then.
    drop((progress, abort));
    outcome.map_err(|_| unreachable("the upload was interrupted".to_owned()))?;
    let status = request.status().map_err(js)?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = request.response_text().ok().flatten().unwrap_or_default();
    Err(refusal(status, &text))
}

/// The backend's refusal of an upload: its envelope if it sent one (ota-server does), else
/// the HTTP status.
fn refusal(status: u16, text: &str) -> ApiError {
    let envelope =
        serde_json::from_str::<serde_json::Value>(text).ok().and_then(|json| Envelope::deserialize(&json).ok());
    match envelope {
        Some(envelope) => ApiError::Refused {
            status,
            message: envelope.error_text().unwrap_or_default().to_owned(),
            code: envelope.code.unwrap_or_default(),
            request_id: envelope.request_id,
            param: envelope.error_param,
        },
        None => ApiError::Unreadable { status, detail: format!("the upload was refused with HTTP {status}") },
    }
}

/// A point on the page's performance timeline, which the benchmark reads.
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
