//! ACS3-HMAC-SHA256: a canonical request (method, path, sorted query, the signed headers and
//! the body's SHA-256), hashed into `ACS3-HMAC-SHA256\n<hex>`, signed with HMAC-SHA256 under
//! `AccessKeySecret` and sent hex-encoded in the `Authorization` header.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{EmptyValue, canonical_query_spelled};

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// One request as signed: headers by lower-case name, the ones to sign among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path, `/` for the RPC API.
    pub path: &'a str,
    pub query: Vec<(&'a str, &'a str)>,
    /// Every header that is signed, with its value as sent.
    pub signed_headers: Vec<(&'a str, &'a str)>,
    /// The hex SHA-256 of the body (`x-acs-content-sha256`).
    pub content_sha256: &'a str,
}

/// The hex SHA-256 of a body, as `x-acs-content-sha256` carries it.
pub fn content_sha256(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

impl Request<'_> {
    /// The signed headers' names, lower-case, sorted and joined by `;`.
    pub fn signed_header_names(&self) -> String {
        let mut names: Vec<String> = self.signed_headers.iter().map(|(name, _)| name.to_ascii_lowercase()).collect();
        names.sort();
        names.dedup();
        names.join(";")
    }

    pub fn canonical_request(&self) -> String {
        self.canonical_request_spelled(EmptyValue::WithEquals)
    }

    fn canonical_request_spelled(&self, empty: EmptyValue) -> String {
        let mut headers: Vec<(String, &str)> =
            self.signed_headers.iter().map(|(name, value)| (name.to_ascii_lowercase(), value.trim())).collect();
        headers.sort();
        let headers: String = headers.iter().map(|(name, value)| format!("{name}:{value}\n")).collect();
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method.to_ascii_uppercase(),
            self.path,
            canonical_query_spelled(self.query.iter().copied(), empty),
            headers,
            self.signed_header_names(),
            self.content_sha256
        )
    }

    pub fn string_to_sign(&self) -> String {
        self.string_to_sign_spelled(EmptyValue::WithEquals)
    }

    fn string_to_sign_spelled(&self, empty: EmptyValue) -> String {
        format!("{ALGORITHM}\n{}", hex(&Sha256::digest(self.canonical_request_spelled(empty).as_bytes())))
    }

    /// The hex signature under `secret`.
    pub fn sign(&self, secret: &str) -> String {
        hex(&self.mac(secret).finalize().into_bytes())
    }

    /// Whether the hex `signature` is right under `secret`, compared in constant time. An empty
    /// query value may have been signed as `Name=` or as `Name`; either is accepted.
    pub fn verify(&self, secret: &str, signature: &str) -> bool {
        let Some(given) = unhex(signature) else { return false };
        let matches = |empty| self.mac_spelled(secret, empty).verify_slice(&given).is_ok();
        matches(EmptyValue::WithEquals) || (self.query.iter().any(|(_, v)| v.is_empty()) && matches(EmptyValue::Bare))
    }

    fn mac(&self, secret: &str) -> Hmac<Sha256> {
        self.mac_spelled(secret, EmptyValue::WithEquals)
    }

    fn mac_spelled(&self, secret: &str, empty: EmptyValue) -> Hmac<Sha256> {
        // HMAC takes a key of any length: no input reaches the expect.
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(self.string_to_sign_spelled(empty).as_bytes());
        mac
    }

    /// The `Authorization` header for `access_key_id` and `secret`.
    pub fn authorization(&self, access_key_id: &str, secret: &str) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_header_names(),
            self.sign(secret)
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from lower- or upper-case hex; none for anything else.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"FirmwareId=kvbixxHteCmMopnCZrUHBk9c62&Tag.1.Key=wave";
    const SDK_CONTENT_SHA256: &str = "bc3bc474d6437d8ab0209196a0bf0fbe3644bcca1e099fe7c7ead3bacb9fa3b7";
    /// As Alibaba's `alibabacloud_openapi_util` 0.2.4 (`Client.get_authorization`, under the
    /// current `alibabacloud-iot20180120` SDK) writes it for the request below, secret `testSecret`.
    const SDK_AUTHORIZATION: &str = "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=568810e39b30b785d9f857c702a556e2a300d5242d0c94c7b55c8c00fb720355";

    fn request(content_sha256: &str) -> Request<'_> {
        Request {
            method: "POST",
            path: "/",
            query: vec![("RegionId", "cn-shanghai"), ("IotInstanceId", "iot-default"), ("Note", "a b*c~")],
            signed_headers: vec![
                ("host", "iot.cn-shanghai.aliyuncs.com"),
                ("x-acs-action", "QueryOTAJob"),
                ("x-acs-version", "2018-01-20"),
                ("x-acs-date", "2026-12-06T09:30:00Z"),
                ("x-acs-signature-nonce", "6a1a0bca0b0c4d0d"),
                ("x-acs-content-sha256", content_sha256),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            content_sha256,
        }
    }

    #[test]
    fn signs_exactly_as_alibabas_python_sdk() {
        let digest = content_sha256(BODY);
        assert_eq!(digest, SDK_CONTENT_SHA256);
        assert_eq!(request(&digest).authorization("LTAI5tExampleKeyId", "testSecret"), SDK_AUTHORIZATION);
        let signature = SDK_AUTHORIZATION.rsplit("Signature=").next().unwrap_or_default();
        assert!(request(&digest).verify("testSecret", signature));
        assert!(request(&digest).verify("testSecret", &signature.to_ascii_uppercase()));
        assert!(!request(&digest).verify("otherSecret", signature));
        assert!(!request(&digest).verify("testSecret", "zz"));
        assert!(!request(&digest).verify("testSecret", "é1"));
    }

    #[test]
    fn the_canonical_request_lists_sorted_lower_case_headers_then_their_names_and_the_digest() {
        let canonical = request(SDK_CONTENT_SHA256).canonical_request();
        let lines: Vec<&str> = canonical.lines().collect();
        assert_eq!(lines[..3], ["POST", "/", "IotInstanceId=iot-default&Note=a%20b%2Ac~&RegionId=cn-shanghai"]);
        assert_eq!(lines[3], "content-type:application/x-www-form-urlencoded");
        assert_eq!(lines[9], "x-acs-version:2018-01-20");
        assert_eq!(lines[10], "");
        assert!(lines[11].starts_with("content-type;host;x-acs-action;"));
        assert_eq!(lines[12], SDK_CONTENT_SHA256);
        // Any change to what is signed changes the signature.
        let mut changed = request(SDK_CONTENT_SHA256);
        changed.query[2].1 = "a b*c";
        assert_ne!(changed.sign("testSecret"), request(SDK_CONTENT_SHA256).sign("testSecret"));
    }

    #[test]
    fn an_empty_query_value_may_be_signed_with_or_without_its_equals_sign() {
        let mut request = request(SDK_CONTENT_SHA256);
        request.query.push(("Keyword", ""));
        let with_equals = request.sign("testSecret");
        assert!(request.canonical_request().contains("Keyword=&Note"));
        let bare = hex(&request.mac_spelled("testSecret", EmptyValue::Bare).finalize().into_bytes());
        assert!(request.canonical_request_spelled(EmptyValue::Bare).contains("&Keyword&Note"));
        assert_ne!(with_equals, bare);
        assert!(request.verify("testSecret", &with_equals));
        assert!(request.verify("testSecret", &bare));
        assert!(!request.verify("otherSecret", &bare));
    }
}
