//! Authentication and permissions as a client meets them: each refusal with Alibaba's code and
//! status, policies applied to every Action, secrets kept from those not allowed them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ota_model::signature::{self, AccessKey};
use ota_server::auth::cli::create_user_in;
use ota_server::store::access::Grant;

use crate::support::{Server, acs3_request, assert_refused, signed};

/// A v1-signed form whose signature parameters are then changed by `tamper`.
fn tampered(key: &AccessKey, form: &str, tamper: impl Fn(&mut Vec<(String, String)>)) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(&signed(key, "POST", form)).unwrap();
    tamper(&mut pairs);
    serde_urlencoded::to_string(&pairs).unwrap()
}

fn set(pairs: &mut [(String, String)], name: &str, value: &str) {
    pairs.iter_mut().filter(|(n, _)| n == name).for_each(|(_, v)| *v = value.to_owned());
}

#[tokio::test]
async fn an_unsigned_call_does_nothing() {
    let server = Server::new().await;
    let before = server.ok("ListOTAFirmware", &[("PageSize", "1")]).await["Total"].clone();
    let unsigned = server.post_form_unsigned("Action=DeleteOTAFirmware&FirmwareId=x").await;
    assert_refused(unsigned, StatusCode::BAD_REQUEST, "MissingAccessKeyId", "not signed").await;
    let get = server.get_unsigned("/?Action=ListOTAFirmware").await;
    assert_refused(get, StatusCode::BAD_REQUEST, "MissingAccessKeyId", "not signed").await;
    assert_eq!(server.ok("ListOTAFirmware", &[("PageSize", "1")]).await["Total"], before);
}

#[tokio::test]
async fn a_wrong_secret_an_unknown_key_and_a_disabled_key_are_refused() {
    let server = Server::new().await;
    let wrong = AccessKey { access_key_secret: "not-the-secret".into(), ..server.key.clone() };
    let reply = server.post_form_as(&wrong, "Action=ListOTAFirmware").await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "What the server signed: POST&%2F&").await;

    let unknown = AccessKey { access_key_id: "LTAInobody".into(), ..server.key.clone() };
    let reply = server.post_form_as(&unknown, "Action=ListOTAFirmware").await;
    assert_refused(reply, StatusCode::NOT_FOUND, "InvalidAccessKeyId.NotFound", "LTAInobody").await;

    let reader = server.new_key("read-only", &[]).await;
    server.store.set_access_key_enabled(&reader.access_key_id, false).await.unwrap();
    let reply = server.post_form_as(&reader, "Action=ListOTAFirmware").await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "InvalidAccessKeyId.Inactive", "disabled").await;
}

#[tokio::test]
async fn a_stale_request_and_a_replayed_nonce_are_refused() {
    let server = Server::new().await;
    let stale = tampered(&server.key, "Action=ListOTAFirmware", |_| {});
    // Re-sign with a time 16 minutes ago: the signature is right, the time is not.
    let mut pairs: Vec<(String, String)> = vec![("Action".into(), "ListOTAFirmware".into())];
    let old = signature::timestamp(ota_model::UtcTime(chrono::Utc::now() - chrono::Duration::minutes(16)));
    signature::v1::sign_params("POST", &mut pairs, &server.key, "old-nonce", &old);
    let reply = server.post_form_unsigned(&serde_urlencoded::to_string(&pairs).unwrap()).await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "InvalidTimeStamp.Expired", "15 minutes").await;

    let first = server.post_form_unsigned(&stale).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let replay = server.post_form_unsigned(&stale).await;
    assert_refused(replay, StatusCode::BAD_REQUEST, "SignatureNonceUsed", "used before").await;
}

#[tokio::test]
async fn anything_changed_after_signing_breaks_the_signature() {
    let server = Server::new().await;
    let changed = tampered(&server.key, "Action=ListOTAFirmware&PageSize=5", |pairs| set(pairs, "PageSize", "6"));
    let reply = server.post_form_unsigned(&changed).await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "signature does not match").await;

    // ACS3: the body's digest is signed; a body swapped after signing is refused.
    let mut request = acs3_request(&server.key, "ListOTAFirmware", "", b"PageSize=5");
    *request.body_mut() = Body::from("PageSize=6");
    let reply = server.send(request).await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "x-acs-content-sha256").await;

    // ACS3: a query value changed after signing.
    let request = acs3_request(&server.key, "ListOTAFirmware", "PageSize=5", b"");
    let (mut parts, body) = request.into_parts();
    parts.uri = "/?PageSize=7".parse().unwrap();
    let reply = server.send(Request::from_parts(parts, body)).await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "signature does not match").await;

    // ACS3 whose signed headers leave out the host.
    let request = acs3_request(&server.key, "ListOTAFirmware", "", b"");
    let (mut parts, body) = request.into_parts();
    let authorization = parts.headers[header::AUTHORIZATION].to_str().unwrap().replace("host;", "");
    parts.headers.insert(header::AUTHORIZATION, authorization.parse().unwrap());
    let reply = server.send(Request::from_parts(parts, body)).await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "host must be among").await;
}

#[tokio::test]
async fn a_read_only_key_reads_everything_and_changes_nothing() {
    let server = Server::new().await;
    let reader = server.new_key("read-only", &[]).await;
    let firmware = server.firmware_id("sm200-main-3_2_0").await;
    for read in [
        "Action=ListOTAFirmware".to_owned(),
        format!("Action=QueryOTAFirmware&FirmwareId={firmware}"),
        format!("Action=ListOTAJobByFirmware&FirmwareId={firmware}"),
        format!("Action=QueryOTATaskStatistics&FirmwareId={firmware}"),
        "Action=QueryOTAOverview".to_owned(),
    ] {
        let reply = server.post_form_as(&reader, &read).await;
        assert_eq!(reply.status, StatusCode::OK, "{read}: {}", reply.text);
    }
    for write in [
        format!("Action=DeleteOTAFirmware&FirmwareId={firmware}"),
        format!("Action=CreateOTAStaticUpgradeJob&FirmwareId={firmware}&TargetSelection=ALL"),
        "Action=GenerateOTAUploadURL&FileSuffix=bin".to_owned(),
        "Action=CreateProduct&ProductName=x".to_owned(),
    ] {
        let reply = server.post_form_as(&reader, &write).await;
        let action = write.split('&').next().unwrap().trim_start_matches("Action=");
        assert_refused(reply, StatusCode::FORBIDDEN, "Forbidden.RAM", &format!("iot:{action}")).await;
    }
    assert_eq!(
        server.ok("QueryOTAFirmware", &[("FirmwareId", &firmware)]).await["Success"],
        true,
        "nothing was deleted"
    );
}

#[tokio::test]
async fn a_key_limited_to_an_instance_reaches_no_other() {
    let server = Server::new().await;
    let lab = server.new_key("admin", &["iot-lab"]).await;
    let reply = server.post_form_as(&lab, "Action=ListOTAFirmware&IotInstanceId=iot-lab").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let reply = server.post_form_as(&lab, "Action=ListOTAFirmware").await;
    assert_refused(reply, StatusCode::FORBIDDEN, "Forbidden.RAM", "iot-default").await;
    let instances = server.post_form_as(&lab, "Action=ListIotInstances&IotInstanceId=iot-lab").await.json();
    let listed: Vec<&str> = instances["Data"]["InstanceInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["IotInstanceId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["iot-lab"]);
}

#[tokio::test]
async fn device_secrets_go_only_to_those_allowed_them() {
    let server = Server::new().await;
    let operator = server.new_key("operator", &[]).await;
    let products = server.ok("QueryProductList", &[("CurrentPage", "1"), ("PageSize", "10")]).await;
    let product = products["Data"]["List"]["ProductInfo"][0]["ProductKey"].as_str().unwrap().to_owned();
    let list = format!("Action=QueryDevice&ProductKey={product}&PageSize=50");
    let as_operator = server.post_form_as(&operator, &list).await.json();
    let devices = as_operator["Data"]["DeviceInfo"].as_array().unwrap();
    assert!(!devices.is_empty());
    assert!(devices.iter().all(|d| d["DeviceSecret"] == ""), "{as_operator}");
    let name = devices[0]["DeviceName"].as_str().unwrap();
    let detail = format!("Action=QueryDeviceDetail&ProductKey={product}&DeviceName={name}");
    assert_eq!(server.post_form_as(&operator, &detail).await.json()["Data"]["DeviceSecret"], "");

    let as_admin = server.post_form(&list).await.json();
    assert!(
        as_admin["Data"]["DeviceInfo"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["DeviceSecret"].as_str().unwrap().len() == 32)
    );
    assert_eq!(server.post_form(&detail).await.json()["Data"]["DeviceSecret"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn the_caller_learns_who_it_is_and_what_it_may_do() {
    let server = Server::new().await;
    let reader = server.new_key("read-only", &[]).await;
    let identity = server.post_form_as(&reader, "Action=QueryOTACallerIdentity").await.json();
    let data = &identity["Data"];
    assert_eq!(data["PrincipalType"], "AccessKey");
    assert_eq!(data["PrincipalName"], "test-read-only");
    assert_eq!(data["Policy"], "read-only");
    let allowed: Vec<&str> =
        data["AllowedActions"]["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(allowed.contains(&"QueryOTAJob") && allowed.contains(&"SubscribeOTAEvents"), "{allowed:?}");
    assert!(!allowed.contains(&"CancelOTATaskByJob") && !allowed.contains(&"UpdateOTAJob"), "{allowed:?}");
}

/// Signs in as `user` and answers the temporary credentials.
async fn sign_in(server: &Server, user: &str, password: &str) -> AccessKey {
    let form =
        serde_urlencoded::to_string([("Action", "AssumeOTASession"), ("UserName", user), ("Password", password)])
            .unwrap();
    let reply = server.post_form_unsigned(&form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let credentials = &reply.json()["Credentials"];
    assert!(credentials["Expiration"].as_str().unwrap().ends_with('Z'));
    AccessKey {
        access_key_id: credentials["AccessKeyId"].as_str().unwrap().to_owned(),
        access_key_secret: credentials["AccessKeySecret"].as_str().unwrap().to_owned(),
        security_token: credentials["SecurityToken"].as_str().map(str::to_owned),
    }
}

#[tokio::test]
async fn a_user_signs_in_works_with_temporary_credentials_and_signs_out() {
    let server = Server::new().await;
    let grant = Grant { policy: "operator".into(), instances: vec![] };
    assert!(create_user_in(&server.store, "ops", "a long enough password", grant).await.unwrap());
    let session = sign_in(&server, "ops", "a long enough password").await;
    assert!(session.access_key_id.starts_with("STS."));

    let identity = server.post_form_as(&session, "Action=QueryOTACallerIdentity").await.json();
    assert_eq!(identity["Data"]["PrincipalType"], "User");
    assert_eq!(identity["Data"]["PrincipalName"], "ops");
    assert!(identity["Data"]["Expiration"].is_string());
    // The same credentials in the ACS3 form, the token in x-acs-security-token.
    let reply = server.send(acs3_request(&session, "ListOTAFirmware", "PageSize=1", b"")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);

    let without_token = AccessKey { security_token: None, ..session.clone() };
    let reply = server.post_form_as(&without_token, "Action=ListOTAFirmware").await;
    assert_refused(reply, StatusCode::BAD_REQUEST, "InvalidSecurityToken.MismatchWithAccessKey", "SecurityToken").await;

    let renewed = server.post_form_as(&session, "Action=RenewOTASession").await.json();
    let renewed = AccessKey {
        access_key_id: renewed["Credentials"]["AccessKeyId"].as_str().unwrap().to_owned(),
        access_key_secret: renewed["Credentials"]["AccessKeySecret"].as_str().unwrap().to_owned(),
        security_token: renewed["Credentials"]["SecurityToken"].as_str().map(str::to_owned),
    };
    assert_ne!(renewed.access_key_id, session.access_key_id);
    assert_eq!(server.post_form_as(&renewed, "Action=ListOTAFirmware").await.status, StatusCode::OK);

    assert_eq!(server.post_form_as(&session, "Action=EndOTASession").await.status, StatusCode::OK);
    for ended in [&session, &renewed] {
        let reply = server.post_form_as(ended, "Action=ListOTAFirmware").await;
        assert_refused(reply, StatusCode::BAD_REQUEST, "InvalidSecurityToken.Expired", "sign in again").await;
    }
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_then_held_back() {
    let server = Server::new().await;
    let grant = Grant { policy: "read-only".into(), instances: vec![] };
    assert!(create_user_in(&server.store, "viewer", "the right password", grant).await.unwrap());
    let attempt = |user: &str, password: &str| {
        serde_urlencoded::to_string([("Action", "AssumeOTASession"), ("UserName", user), ("Password", password)])
            .unwrap()
    };
    let nobody = server.post_form_unsigned(&attempt("nobody", "whatever")).await;
    assert_refused(nobody, StatusCode::BAD_REQUEST, "InvalidUser.Password", "user name or the password").await;
    for _ in 0..5 {
        let wrong = server.post_form_unsigned(&attempt("viewer", "wrong")).await;
        assert_refused(wrong, StatusCode::BAD_REQUEST, "InvalidUser.Password", "user name or the password").await;
    }
    let held = server.post_form_unsigned(&attempt("viewer", "the right password")).await;
    assert_refused(held, StatusCode::BAD_REQUEST, "Throttling.User", "try again in").await;
}

#[tokio::test]
async fn the_database_holds_no_secret_in_clear() {
    let server = Server::new().await;
    let grant = Grant { policy: "admin".into(), instances: vec![] };
    assert!(create_user_in(&server.store, "root", "correct horse battery staple", grant).await.unwrap());
    let session = sign_in(&server, "root", "correct horse battery staple").await;
    server.store.clone().close().await;
    let bytes = server.database.contents().await;
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains(&server.key.access_key_id), "the key's ID is there, as a check that the grep works");
    for secret in [&server.key.access_key_secret, &session.access_key_secret, session.security_token.as_ref().unwrap()]
    {
        assert!(!contains(secret), "a secret is stored in clear");
    }
    assert!(!contains("correct horse battery staple"));
}

#[tokio::test]
async fn a_request_for_a_host_this_server_does_not_serve_is_refused() {
    let server = Server::new().await;
    let query = signed(&server.key, "GET", "Action=ListOTAFirmware");
    let rebound =
        Request::get(format!("/?{query}")).header(header::HOST, "evil.example:8080").body(Body::empty()).unwrap();
    assert_refused(server.send(rebound).await, StatusCode::MISDIRECTED_REQUEST, "InvalidHost", "evil.example").await;
    let page = Request::get("/").header(header::HOST, "evil.example").body(Body::empty()).unwrap();
    assert_eq!(server.send(page).await.status, StatusCode::MISDIRECTED_REQUEST);
    let by_address = Request::get(format!("/?{}", signed(&server.key, "GET", "Action=ListOTAFirmware")))
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::empty())
        .unwrap();
    assert_eq!(server.send(by_address).await.status, StatusCode::OK);
    let health = Request::get("/healthz").header(header::HOST, "anything.example").body(Body::empty()).unwrap();
    assert_eq!(server.send(health).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_nonce_is_remembered_in_the_database_across_a_restart() {
    let server = Server::new().await;
    let form = signed(&server.key, "POST", "Action=ListOTAFirmware");
    assert_eq!(server.post_form_unsigned(&form).await.status, StatusCode::OK);
    server.access.nonces.flush(&server.store).await.unwrap();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form).unwrap();
    let nonce = &pairs.iter().find(|(n, _)| n == "SignatureNonce").unwrap().1;
    // A restarted server reads the nonces back.
    let restarted = ota_server::auth::nonces::Nonces::default();
    let now = ota_model::UtcTime(chrono::Utc::now());
    restarted.load(&server.store, now).await.unwrap();
    let later = ota_model::UtcTime(now.0 + chrono::Duration::minutes(30));
    assert!(!restarted.first_use(&server.key.access_key_id, nonce, later, now), "a replay after a restart");
    assert!(restarted.first_use(&server.key.access_key_id, "a-new-nonce", later, now));
}

/// What a test's calls write to the log.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_password_signature_or_token_reaches_the_log() {
    let server = Server::new().await;
    let grant = Grant { policy: "read-only".into(), instances: vec![] };
    assert!(create_user_in(&server.store, "auditor", "a secret password!", grant).await.unwrap());
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let session = sign_in(&server, "auditor", "a secret password!").await;
    // The event stream's way: everything, the token too, in the query string.
    let query = signed(&session, "GET", "Action=ListOTAFirmware");
    assert_eq!(server.get_unsigned(&format!("/?{query}")).await.status, StatusCode::OK);
    let refused = server.post_form_as(&session, "Action=DeleteOTAFirmware&FirmwareId=x").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    drop(_logging);
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("request"), "the requests were logged: {text}");
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
    let signature = &pairs.iter().find(|(n, _)| n == "Signature").unwrap().1;
    for secret in
        ["a secret password!", session.security_token.as_deref().unwrap(), &session.access_key_secret, signature]
    {
        assert!(!text.contains(secret), "the log holds a secret: {text}");
    }
}
