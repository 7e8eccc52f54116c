//! Sending one operation: form-encoded as Alibaba's SDKs send it, signed with ACS3-HMAC-SHA256
//! (the key never leaves the browser), and, when the backend wants a sign-in, waiting for the
//! operator to sign in and sending it once more.

use std::future::Future;
use std::pin::Pin;

use gloo_net::http::Request;
use ota_model::console_config::Environment;
use ota_model::read_json::from_json;
use ota_model::signature::{self, AccessKey, acs3, v1};
use ota_model::{API_VERSION, Envelope, Operation, Params, UtcTime};
use serde::Deserialize;
use web_sys::{AbortSignal, UrlSearchParams};

use super::ApiError;
use super::credentials::{self, Credentials};

/// How long a call may take before the console gives up on it.
const TIMEOUT_MS: u32 = 20_000;

/// A call's answer before it is read as its operation's response.
type Answer = Pin<Box<dyn Future<Output = Result<(u16, serde_json::Value), ApiError>>>>;

/// Sends one operation, signed with what is kept for `env`'s backend (unsigned without). When
/// the backend wants a sign-in, it asks the operator (at most once), waits, and sends again; a
/// backend that cannot be reached says so without a prompt.
pub(crate) async fn call<O: Operation>(env: &Environment, request: &O) -> Result<O::Response, ApiError> {
    read::<O>(exchange(env.clone(), O::ACTION, request.to_params()).await)
}

/// Sends one operation signed with `credentials` (unsigned without), once.
pub(super) async fn send<O: Operation>(
    env: &Environment,
    request: &O,
    credentials: Option<&Credentials>,
) -> Result<O::Response, ApiError> {
    read::<O>(send_once(env.clone(), O::ACTION, request.to_params(), credentials.cloned()).await)
}

/// The operation's response from an answer. The one part of a call that is per operation: the
/// rest is the same code for all of them, boxed, so that no operation carries its own copy.
fn read<O: Operation>(answer: Result<(u16, serde_json::Value), ApiError>) -> Result<O::Response, ApiError> {
    let (status, json) = answer?;
    from_json::<O::Response>(&json).map_err(|e| ApiError::Unreadable { status, detail: e.to_string() })
}

/// [`call`] for any operation, by its action and parameters.
fn exchange(env: Environment, action: &'static str, params: Params) -> Answer {
    Box::pin(async move {
        let mut asked = false;
        loop {
            let credentials = credentials::current(&env).await;
            let answer = send_once(env.clone(), action, params.clone(), credentials.clone()).await;
            if let Err(ApiError::Refused { code, .. }) = &answer
                && !asked
                && credentials::wants_sign_in(code)
            {
                asked = true;
                if let Some(used) = &credentials {
                    credentials::forget_if_kept(&env.endpoint, used);
                }
                if credentials::ask(&env).await {
                    continue;
                }
            }
            return answer;
        }
    })
}

/// [`send`] for any operation: the answer's JSON once its envelope says it succeeded.
fn send_once(env: Environment, action: &'static str, params: Params, credentials: Option<Credentials>) -> Answer {
    Box::pin(async move {
        let unreachable = |detail: String| ApiError::Unreachable { endpoint: env.endpoint.clone(), detail };
        let form = UrlSearchParams::new().map_err(|e| unreachable(format!("{e:?}")))?;
        form.append("Format", "JSON");
        if let Some(instance) = &env.iot_instance_id {
            form.append("IotInstanceId", instance);
        }
        for (name, value) in params.pairs() {
            form.append(name, value);
        }
        let body = String::from(form.to_string());
        let signal = AbortSignal::timeout_with_u32(TIMEOUT_MS);
        let mut builder = Request::post(&env.endpoint).abort_signal(Some(&signal));
        for (name, value) in signed_headers(&env, action, &body, credentials.as_ref()) {
            builder = builder.header(&name, &value);
        }
        let response = builder
            .body(body)
            .map_err(|e| unreachable(e.to_string()))?
            .send()
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| ApiError::Unreadable { status, detail: e.to_string() })?;
        let unreadable = |detail: String| ApiError::Unreadable { status, detail };
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| unreadable("the answer is not JSON".into()))?;
        let envelope = Envelope::deserialize(&json).map_err(|e| unreadable(e.to_string()))?;
        if !envelope.success || !response.ok() {
            return Err(ApiError::Refused {
                status,
                message: envelope.error_text().unwrap_or_default().to_owned(),
                code: envelope.code.unwrap_or_default(),
                request_id: envelope.request_id,
                param: envelope.error_param,
            });
        }
        Ok((status, json))
    })
}

/// The headers of a call: the action and version as the current SDKs send them and, with
/// credentials, the ACS3 signature over them, the body's digest and the host.
fn signed_headers(
    env: &Environment,
    action: &str,
    body: &str,
    credentials: Option<&Credentials>,
) -> Vec<(String, String)> {
    let date = signature::timestamp(UtcTime(chrono::Utc::now()));
    let nonce = nonce();
    let digest = acs3::content_sha256(body.as_bytes());
    let mut headers: Vec<(&str, &str)> = vec![
        ("x-acs-action", action),
        ("x-acs-version", API_VERSION),
        ("x-acs-date", &date),
        ("x-acs-signature-nonce", &nonce),
        ("x-acs-content-sha256", &digest),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let Some(credentials) = credentials else {
        return headers.into_iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    };
    let key = credentials.signing_key();
    if let Some(token) = &key.security_token {
        headers.push(("x-acs-security-token", token));
    }
    // The browser sends Host itself: the endpoint's, unless a relay forwards the call to the
    // host it was signed for.
    let host = env
        .signed_host
        .clone()
        .unwrap_or_else(|| web_sys::Url::new(&env.endpoint).map(|url| url.host()).unwrap_or_default());
    let mut signed = headers.clone();
    signed.push(("host", &host));
    let request =
        acs3::Request { method: "POST", path: "/", query: Vec::new(), signed_headers: signed, content_sha256: &digest };
    let authorization = request.authorization(&key.access_key_id, &key.access_key_secret);
    let mut headers: Vec<(String, String)> = headers.into_iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    headers.push(("authorization".to_owned(), authorization));
    headers
}

/// 128 random bits from the browser's CSPRNG, as hex (works outside secure contexts too).
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The event stream's URL for `params`, signed in the v1 form in its query string: a browser's
/// EventSource cannot send headers. Unsigned when nothing is kept (the backend then refuses it
/// and the page polls instead).
pub fn event_stream_url(env: &Environment, params: &[(&str, &str)]) -> Option<String> {
    let url = web_sys::Url::new(&env.endpoint).ok()?;
    let mut pairs: Vec<(String, String)> = vec![("Version".into(), API_VERSION.into())];
    if let Some(instance) = &env.iot_instance_id {
        pairs.push(("IotInstanceId".into(), instance.clone()));
    }
    pairs.extend(params.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    if let Some((credentials, _)) = credentials::stored(&env.endpoint) {
        let key: AccessKey = credentials.signing_key();
        let now = signature::timestamp(UtcTime(chrono::Utc::now()));
        v1::sign_params("GET", &mut pairs, &key, &nonce(), &now);
    }
    let query: Vec<String> =
        pairs.iter().map(|(n, v)| format!("{}={}", signature::encode(n), signature::encode(v))).collect();
    url.set_search(&query.join("&"));
    Some(url.href())
}
