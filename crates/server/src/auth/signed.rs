//! What a request presents as proof of who sent it: one of Alibaba's two signature forms, read
//! from the request as sent, ready to check against a secret.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use ota_model::codes::auth as codes;
use ota_model::signature::{acs3, parse_timestamp, v1};
use ota_model::{Params, UtcTime};

use super::Refusal;

/// One request as it arrived.
pub struct Arrived<'a> {
    pub method: &'a str,
    pub headers: &'a HeaderMap,
    /// The query string's pairs, decoded.
    pub query: &'a Params,
    /// Every parameter: the query's, then a form body's.
    pub params: &'a Params,
    pub body: &'a [u8],
}

/// A signed request's claims, before its signature is checked.
#[derive(Debug)]
pub struct Signed<'a> {
    pub access_key_id: String,
    pub nonce: String,
    pub timestamp: UtcTime,
    pub security_token: Option<String>,
    form: Form<'a>,
}

#[derive(Debug)]
enum Form<'a> {
    V1 { string_to_sign: String, signature: String },
    Acs3 { request: acs3::Request<'a>, signature: String },
}

impl Signed<'_> {
    /// Whether the signature is right under `secret` (constant-time comparison).
    pub fn verify(&self, secret: &str) -> bool {
        match &self.form {
            Form::V1 { string_to_sign, signature } => v1::verify(secret, string_to_sign, signature),
            Form::Acs3 { request, signature } => request.verify(secret, signature),
        }
    }

    /// What the server signed, for the refusal's message (as Alibaba shows it): a client can
    /// compare it with its own and find what differs.
    pub fn string_to_sign(&self) -> String {
        match &self.form {
            Form::V1 { string_to_sign, .. } => string_to_sign.clone(),
            Form::Acs3 { request, .. } => request.canonical_request(),
        }
    }
}

/// Reads the signature a request carries: an `ACS3-HMAC-SHA256` Authorization header, or v1
/// `Signature…` parameters.
pub fn read<'a>(arrived: &'a Arrived<'a>) -> Result<Signed<'a>, Refusal> {
    if let Some(authorization) = arrived.headers.get(AUTHORIZATION) {
        let authorization =
            authorization.to_str().map_err(|_| Refusal::method("The Authorization header is not text."))?;
        return acs3_form(arrived, authorization);
    }
    if arrived.params.get("AccessKeyId").is_some() || arrived.params.get(v1::SIGNATURE).is_some() {
        return v1_form(arrived);
    }
    Err(Refusal::bad(
        codes::MISSING_ACCESS_KEY_ID,
        "The request is not signed: every call needs an AccessKeyId and a signature (docs/api.md, Authentication).",
    ))
}

fn v1_form<'a>(arrived: &'a Arrived<'a>) -> Result<Signed<'a>, Refusal> {
    let params = arrived.params;
    let required = |name: &str| {
        params.get(name).filter(|v| !v.is_empty()).map(str::to_owned).ok_or_else(|| {
            let code =
                if name == "AccessKeyId" { codes::MISSING_ACCESS_KEY_ID.to_owned() } else { format!("Missing{name}") };
            Refusal::bad_owned(code, format!("A v1 signature needs the parameter {name}."))
        })
    };
    let access_key_id = required("AccessKeyId")?;
    let signature = required(v1::SIGNATURE)?;
    let method = required("SignatureMethod")?;
    let version = required("SignatureVersion")?;
    if method != "HMAC-SHA1" || version != "1.0" {
        return Err(Refusal::method(&format!(
            "SignatureMethod {method} version {version} is not known; use HMAC-SHA1 version 1.0 or ACS3-HMAC-SHA256."
        )));
    }
    let nonce = required("SignatureNonce")?;
    let timestamp = timestamp(&required("Timestamp")?)?;
    let string_to_sign =
        v1::string_to_sign(arrived.method, params.pairs().iter().map(|(n, v)| (n.as_str(), v.as_str())));
    Ok(Signed {
        access_key_id,
        nonce,
        timestamp,
        security_token: params.get("SecurityToken").map(str::to_owned),
        form: Form::V1 { string_to_sign, signature },
    })
}

/// `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex`.
fn acs3_form<'a>(arrived: &'a Arrived<'a>, authorization: &'a str) -> Result<Signed<'a>, Refusal> {
    let fields = authorization
        .strip_prefix(acs3::ALGORITHM)
        .filter(|rest| rest.starts_with(' '))
        .ok_or_else(|| Refusal::method("The Authorization header is not ACS3-HMAC-SHA256."))?;
    let field = |name: &str| -> Result<&'a str, Refusal> {
        fields
            .split(',')
            .find_map(|part| part.trim().strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| Refusal::method(&format!("The Authorization header has no {name}.")))
    };
    let access_key_id = field("Credential")?.to_owned();
    let signature = field("Signature")?.to_owned();
    let signed_names: Vec<&'a str> = field("SignedHeaders")?.split(';').collect();
    let header = |name: &str| arrived.headers.get(name).and_then(|v| v.to_str().ok());
    for name in must_sign(arrived.headers) {
        if !signed_names.iter().any(|signed| signed.eq_ignore_ascii_case(name)) {
            return Err(Refusal::mismatch(format!("The header {name} must be among the SignedHeaders.")));
        }
    }
    let mut signed_headers = Vec::with_capacity(signed_names.len());
    for name in signed_names {
        let value = header(name).ok_or_else(|| Refusal::mismatch(format!("The signed header {name} was not sent.")))?;
        signed_headers.push((name, value));
    }
    let required = |name: &str| {
        header(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            Refusal::bad_owned(format!("Missing{name}"), format!("An ACS3 signature needs the header {name}."))
        })
    };
    let content_sha256 = required("x-acs-content-sha256")?;
    if !content_sha256.eq_ignore_ascii_case(&acs3::content_sha256(arrived.body)) {
        return Err(Refusal::mismatch("The body's SHA-256 is not the x-acs-content-sha256 that was signed.".into()));
    }
    let nonce = required("x-acs-signature-nonce")?.to_owned();
    let timestamp = timestamp(required("x-acs-date")?)?;
    let request = acs3::Request {
        method: arrived.method,
        path: "/",
        query: arrived.query.pairs().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
        signed_headers,
        content_sha256,
    };
    Ok(Signed {
        access_key_id,
        nonce,
        timestamp,
        security_token: header("x-acs-security-token").map(str::to_owned),
        form: Form::Acs3 { request, signature },
    })
}

/// The headers an ACS3 signature must cover when they are sent: the host, every `x-acs-` header,
/// and the body's type.
fn must_sign(headers: &HeaderMap) -> Vec<&str> {
    let mut names: Vec<&str> = headers.keys().map(|n| n.as_str()).filter(|n| n.starts_with("x-acs-")).collect();
    names.push(HOST.as_str());
    if headers.contains_key(CONTENT_TYPE) {
        names.push(CONTENT_TYPE.as_str());
    }
    names
}

fn timestamp(text: &str) -> Result<UtcTime, Refusal> {
    parse_timestamp(text).ok_or_else(|| {
        Refusal::bad(
            codes::TIMESTAMP_FORMAT,
            "The request's time is not an ISO 8601 UTC time such as 2026-12-06T09:30:00Z.",
        )
    })
}
