//! An external broker's questions, in the shapes EMQX 5 and VerneMQ send them: device logins
//! checked against the registry's secrets, topics kept to the device's own, presence recorded,
//! and nobody but the broker (its secret) answered.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ota_model::device::DeviceId;
use ota_model::device::credentials::Login;
use ota_server::metrics::Refusal;
use ota_server::mqtt::auth::password_for;
use serde_json::{Value, json};

use crate::support::{Options, Server};

const SECRET: &str = "a broker hook secret";
const HVAC: &str = "a1Hvac3CtlM";
const DEVICE: &str = "hc3-bldg-a-010";

async fn server() -> Server {
    Server::with(Options { broker_hooks_secret: Some(SECRET), ..Options::default() }).await
}

/// POSTs `body` to `path` as the broker does, with `secret` if any; the status and JSON body.
async fn ask(
    server: &Server,
    path: &str,
    secret: Option<&str>,
    hook: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut request =
        Request::post(path).header(header::HOST, "ota.test").header(header::CONTENT_TYPE, "application/json");
    if let Some(secret) = secret {
        request = request.header(header::AUTHORIZATION, format!("Bearer {secret}"));
    }
    if let Some(hook) = hook {
        request = request.header("vernemq-hook", hook);
    }
    let reply = server.send(request.body(Body::from(body.to_string())).unwrap()).await;
    (reply.status, serde_json::from_str(&reply.text).unwrap_or(Value::Null))
}

/// A fresh login of the demo device: client ID, username, the right password.
async fn login(server: &Server) -> (String, String, String) {
    login_at(server, chrono::Utc::now().timestamp_millis()).await
}

/// A login of the demo device made at `millis`, rightly signed.
async fn login_at(server: &Server, millis: i64) -> (String, String, String) {
    let device = DeviceId { product_key: HVAC.into(), device_name: DEVICE.into() };
    let secret = server.store.device_login(&device).await.unwrap().unwrap().device_secret;
    let client_id = format!("{HVAC}.{DEVICE}|securemode=2,signmethod=hmacsha256,timestamp={millis}|");
    let username = format!("{DEVICE}&{HVAC}");
    let password = password_for(&Login::parse(&client_id, &username).unwrap(), &secret).unwrap();
    (client_id, username, password)
}

#[tokio::test]
async fn only_the_broker_is_answered_and_only_when_hooks_are_on() {
    let off = Server::new().await;
    assert_eq!(ask(&off, "/mqtt/auth", Some(SECRET), None, json!({})).await.0, StatusCode::NOT_FOUND);
    let server = server().await;
    let (client_id, username, password) = login(&server).await;
    let body = json!({"clientid": client_id, "username": username, "password": password});
    assert_eq!(ask(&server, "/mqtt/auth", None, None, body.clone()).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        ask(&server, "/mqtt/auth", Some("a guess at the secret"), None, body.clone()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(ask(&server, "/mqtt/auth", Some(SECRET), None, body).await.0, StatusCode::OK);
}

#[tokio::test]
async fn emqx_logins_are_the_devices_own_credentials_and_topics_their_own() {
    let server = server().await;
    let (client_id, username, password) = login(&server).await;
    let auth = |password: &str| json!({"clientid": client_id, "username": username, "password": password, "peerhost": "10.0.0.7"});
    let (status, answer) = ask(&server, "/mqtt/auth", Some(SECRET), None, auth(&password)).await;
    assert_eq!((status, answer), (StatusCode::OK, json!({"result": "allow", "is_superuser": false})));
    let wrong = password.replace(&password[..4], "0000");
    assert_eq!(ask(&server, "/mqtt/auth", Some(SECRET), None, auth(&wrong)).await.1["result"], "deny");
    let stranger = json!({"clientid": client_id, "username": format!("no-such-device&{HVAC}"), "password": password});
    assert_eq!(ask(&server, "/mqtt/auth", Some(SECRET), None, stranger).await.1["result"], "deny");
    let (stale, _, signed_then) = login_at(&server, chrono::Utc::now().timestamp_millis() - 3_600_000).await;
    let old = json!({"clientid": stale, "username": username, "password": signed_then});
    assert_eq!(ask(&server, "/mqtt/auth", Some(SECRET), None, old).await.1["result"], "deny", "a replayed old login");
    // Ten logins of a device a minute, right or wrong, as the embedded broker allows: three so far.
    for _ in 0..7 {
        assert_eq!(ask(&server, "/mqtt/auth", Some(SECRET), None, auth(&password)).await.1["result"], "allow");
    }
    let (status, answer) = ask(&server, "/mqtt/auth", Some(SECRET), None, auth(&password)).await;
    assert_eq!((status, &answer["result"]), (StatusCode::OK, &json!("deny")), "the eleventh in a minute");
    assert_eq!(server.metrics.refusals(Refusal::MqttDeviceLoginRate), 1);

    let acl = |action: &str, topic: &str| json!({"clientid": client_id, "username": username, "action": action, "topic": topic});
    let cases = [
        ("publish", format!("/ota/device/inform/{HVAC}/{DEVICE}"), "allow"),
        ("publish", format!("/ota/device/progress/{HVAC}/hc3-bldg-a-011"), "deny"),
        ("subscribe", format!("/ota/device/upgrade/{HVAC}/{DEVICE}"), "allow"),
        ("subscribe", "/ota/device/upgrade/+/+".to_owned(), "deny"),
        ("publish", format!("/ota/device/upgrade/{HVAC}/{DEVICE}"), "deny"),
    ];
    for (action, topic, result) in cases {
        let (status, answer) = ask(&server, "/mqtt/acl", Some(SECRET), None, acl(action, &topic)).await;
        assert_eq!((status, answer["result"].as_str()), (StatusCode::OK, Some(result)), "{action} {topic}");
    }
}

#[tokio::test]
async fn emqx_connect_and_disconnect_events_set_the_devices_status() {
    let server = server().await;
    let event = |name: &str| {
        json!({"event": name, "clientid": "c1", "username": format!("{DEVICE}&{HVAC}"), "peername": "10.0.0.7:61003",
               "timestamp": 1694681417729_i64, "node": "emqx@127.0.0.1", "reason": "normal"})
    };
    let detail = || server.ok("QueryDeviceDetail", &[("ProductKey", HVAC), ("DeviceName", DEVICE)]);
    assert_eq!(
        ask(&server, "/mqtt/presence", Some(SECRET), None, event("client.connected")).await.0,
        StatusCode::NO_CONTENT
    );
    let online = detail().await;
    assert_eq!(
        (online["Data"]["Status"].as_str(), online["Data"]["IpAddress"].as_str()),
        (Some("ONLINE"), Some("10.0.0.7"))
    );
    ask(&server, "/mqtt/presence", Some(SECRET), None, event("client.disconnected")).await;
    assert_eq!(detail().await["Data"]["Status"], "OFFLINE");

    // The broker's webhooks may come out of order: the end of an earlier connection, heard
    // after the device connected again, leaves it online; the end of the latest does not.
    let at = |name: &str, connected_at: i64| {
        let mut body = event(name);
        body["connected_at"] = json!(connected_at);
        body
    };
    ask(&server, "/mqtt/presence", Some(SECRET), None, at("client.connected", 1_694_681_500_000)).await;
    ask(&server, "/mqtt/presence", Some(SECRET), None, at("client.disconnected", 1_694_681_400_000)).await;
    assert_eq!(detail().await["Data"]["Status"], "ONLINE", "a late word of the connection before");
    ask(&server, "/mqtt/presence", Some(SECRET), None, at("client.disconnected", 1_694_681_500_000)).await;
    assert_eq!(detail().await["Data"]["Status"], "OFFLINE");
}

#[tokio::test]
async fn vernemq_webhooks_register_and_keep_devices_to_their_topics() {
    let server = server().await;
    let (client_id, username, password) = login(&server).await;
    let register = |password: &str| {
        json!({"peer_addr": "10.0.0.8", "peer_port": 8888, "username": username, "password": password,
               "mountpoint": "", "client_id": client_id, "clean_session": false})
    };
    let ok = json!({"result": "ok"});
    let refused = json!({"result": {"error": "not_allowed"}});
    let hook = |name| Some(name);
    assert_eq!(ask(&server, "/mqtt/vernemq", Some(SECRET), hook("auth_on_register"), register(&password)).await.1, ok);
    assert_eq!(
        ask(&server, "/mqtt/vernemq", Some(SECRET), hook("auth_on_register"), register("nope")).await.1,
        refused
    );
    let publish = json!({"username": username, "client_id": client_id, "mountpoint": "", "qos": 1,
                         "topic": format!("/ota/device/progress/{HVAC}/{DEVICE}"), "payload": "e30=", "retain": false});
    assert_eq!(ask(&server, "/mqtt/vernemq", Some(SECRET), hook("auth_on_publish"), publish).await.1, ok);
    let own = format!("/ota/device/upgrade/{HVAC}/{DEVICE}");
    let subscribe = json!({"username": username, "client_id": client_id, "mountpoint": "",
                           "topics": [{"topic": own, "qos": 1}, {"topic": "/ota/device/upgrade/+/+", "qos": 1}]});
    let (_, answer) = ask(&server, "/mqtt/vernemq", Some(SECRET), hook("auth_on_subscribe"), subscribe).await;
    assert_eq!(
        answer,
        json!({"result": "ok", "topics": [{"topic": own, "qos": 1}, {"topic": "/ota/device/upgrade/+/+", "qos": 128}]})
    );
    let registered = json!({"peer_addr": "10.0.0.8", "peer_port": 8888, "username": username, "mountpoint": "", "client_id": client_id});
    assert_eq!(ask(&server, "/mqtt/vernemq", Some(SECRET), hook("on_register"), registered).await.1, json!({}));
    let detail = server.ok("QueryDeviceDetail", &[("ProductKey", HVAC), ("DeviceName", DEVICE)]).await;
    assert_eq!(detail["Data"]["Status"], "ONLINE");
}
