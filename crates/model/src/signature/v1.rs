//! Signature version 1.0 (`SignatureMethod=HMAC-SHA1`): the parameters (query and form body
//! alike, every one but `Signature`) sorted and encoded, then
//! `METHOD&%2F&encode(canonical query)`, signed with HMAC-SHA1 under `AccessKeySecret&`,
//! Base64-encoded.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{canonical_query, encode};

/// The parameter that carries the signature, left out of what is signed.
pub const SIGNATURE: &str = "Signature";

/// What is signed for a request with `method` (`GET`, `POST`) and these parameters.
pub fn string_to_sign<'a>(method: &str, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let query = canonical_query(params.into_iter().filter(|(name, _)| *name != SIGNATURE));
    format!("{}&{}&{}", method.to_ascii_uppercase(), encode("/"), encode(&query))
}

/// The `Signature` of `string_to_sign` under `secret`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    STANDARD.encode(mac(secret, string_to_sign).finalize().into_bytes())
}

/// Whether `signature` is right for `string_to_sign` under `secret`, compared in constant time.
pub fn verify(secret: &str, string_to_sign: &str, signature: &str) -> bool {
    let Ok(given) = STANDARD.decode(signature) else { return false };
    mac(secret, string_to_sign).verify_slice(&given).is_ok()
}

/// Adds the signature parameters to `params`, a request's parameters as they will be sent with
/// `method`; `nonce` must be new for each request and `timestamp` the time now.
pub fn sign_params(
    method: &str,
    params: &mut Vec<(String, String)>,
    key: &super::AccessKey,
    nonce: &str,
    timestamp: &str,
) {
    params.push(("AccessKeyId".into(), key.access_key_id.clone()));
    params.push(("SignatureMethod".into(), "HMAC-SHA1".into()));
    params.push(("SignatureVersion".into(), "1.0".into()));
    params.push(("SignatureNonce".into(), nonce.to_owned()));
    params.push(("Timestamp".into(), timestamp.to_owned()));
    if let Some(token) = &key.security_token {
        params.push(("SecurityToken".into(), token.clone()));
    }
    let signed = string_to_sign(method, params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    params.push((SIGNATURE.into(), sign(&key.access_key_secret, &signed)));
}

fn mac(secret: &str, string_to_sign: &str) -> Hmac<Sha1> {
    // HMAC takes a key of any length: no input reaches the expect.
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form POST as Alibaba's `aliyun-python-sdk-core` 2.16.1 signs it (its own
    /// `rpc_signature_composer` and `sha_hmac1`, secret `testSecret`).
    const PARAMS: &[(&str, &str)] = &[
        ("Action", "CreateOTAStaticUpgradeJob"),
        ("Version", "2018-01-20"),
        ("Format", "JSON"),
        ("AccessKeyId", "LTAI5tExampleKeyId"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("Timestamp", "2026-12-06T09:30:00Z"),
        ("FirmwareId", "kvbixxHteCmMopnCZrUHBk9c62"),
        ("Tag.1.Key", "wave"),
        ("Tag.1.Value", "防犯 カメラ*~/+"),
        ("SrcVersion.1", "1.0.0"),
        ("SrcVersion.10", "1.0.9"),
    ];
    const SDK_STRING_TO_SIGN: &str = "POST&%2F&AccessKeyId%3DLTAI5tExampleKeyId%26Action%3DCreateOTAStaticUpgradeJob%26FirmwareId%3DkvbixxHteCmMopnCZrUHBk9c62%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26SrcVersion.1%3D1.0.0%26SrcVersion.10%3D1.0.9%26Tag.1.Key%3Dwave%26Tag.1.Value%3D%25E9%2598%25B2%25E7%258A%25AF%2520%25E3%2582%25AB%25E3%2583%25A1%25E3%2583%25A9%252A~%252F%252B%26Timestamp%3D2026-12-06T09%253A30%253A00Z%26Version%3D2018-01-20";
    const SDK_SIGNATURE: &str = "qfxHjI8LZUHeUfUrL2D/JPMH3og=";

    #[test]
    fn signs_exactly_as_alibabas_python_sdk() {
        let signed = string_to_sign("post", PARAMS.iter().copied());
        assert_eq!(signed, SDK_STRING_TO_SIGN);
        assert_eq!(sign("testSecret", &signed), SDK_SIGNATURE);
    }

    #[test]
    fn the_signature_itself_is_not_signed_and_verifies_only_under_its_secret() {
        let with_signature = PARAMS.iter().copied().chain([(SIGNATURE, SDK_SIGNATURE)]);
        let signed = string_to_sign("POST", with_signature);
        assert_eq!(signed, SDK_STRING_TO_SIGN);
        assert!(verify("testSecret", &signed, SDK_SIGNATURE));
        assert!(!verify("otherSecret", &signed, SDK_SIGNATURE));
        assert!(!verify("testSecret", &signed.replace("wave", "wavf"), SDK_SIGNATURE));
        assert!(!verify("testSecret", &signed, "not base64!"));
    }

    #[test]
    fn signed_params_carry_the_key_the_time_the_nonce_and_a_signature_that_verifies() {
        let key = super::super::AccessKey {
            access_key_id: "LTAI5tExampleKeyId".into(),
            access_key_secret: "testSecret".into(),
            security_token: Some("tok".into()),
        };
        let mut params = vec![("Action".to_owned(), "QueryOTAJob".to_owned())];
        sign_params("GET", &mut params, &key, "n-1", "2026-12-06T09:30:00Z");
        let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("SecurityToken"), Some("tok"));
        assert_eq!(get("SignatureNonce"), Some("n-1"));
        let signature = get(SIGNATURE).unwrap();
        let signed = string_to_sign("GET", params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert!(verify("testSecret", &signed, signature));
    }
}
