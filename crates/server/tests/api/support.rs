//! A real server on a database of its own (SQLite, or PostgreSQL: `database`) and a temporary
//! file store, seeded with the demo dataset, and helpers to call it the way a client does.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ota_model::signature::{self, AccessKey};
use ota_server::auth::cli::create_key_in;
use ota_server::auth::{Access, MasterKey, Policies};
use ota_server::files::{FileStore, FilesLocation};
use ota_server::http::console::Console;
use ota_server::http::{AllowedHosts, BrokerHooks, Instances, RequestLimits, Settings};
use ota_server::metrics::Metrics;
use ota_server::store::Store;
use ota_server::store::access::Grant;
use serde_json::Value;

use crate::database::Database;
use tower::ServiceExt;

pub struct Server {
    pub app: Router,
    /// What the router counts.
    pub metrics: std::sync::Arc<Metrics>,
    /// The router's database, for tests that need more data than the demo's.
    pub store: Store,
    pub access: Access,
    /// An admin key: what every call is signed with unless a test says otherwise.
    pub key: AccessKey,
    /// The router's database, to change or read behind its back.
    pub database: Database,
    _dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct Options<'a> {
    pub console_path: Option<&'a str>,
    pub cors_origins: Vec<String>,
    pub plain: bool,
    pub limits: RequestLimits,
    pub broker_hooks_secret: Option<&'a str>,
}

impl Server {
    /// The demo dataset in instance `iot-default`, and an empty second instance `iot-lab`.
    pub async fn new() -> Self {
        Self::with(Options::default()).await
    }

    pub async fn with(options: Options<'_>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = Database::with_demo(dir.path());
        let files = FilesLocation::Directory(dir.path().join("files"));
        Self::on(options, database, &files, MasterKey::generate(), dir).await
    }

    /// A server on `database`, its package files in `files`, its secrets sealed with
    /// `master_key`; `dir` lives as long as the server.
    pub async fn on(
        options: Options<'_>,
        database: Database,
        files: &FilesLocation,
        master_key: MasterKey,
        dir: tempfile::TempDir,
    ) -> Self {
        let store = Store::open(&database.location()).await.unwrap();
        let files = FileStore::open(files).await.unwrap();
        let instances = instances();
        let console = options.console_path.map(|path| {
            let dist = dir.path().join("dist");
            std::fs::create_dir(&dist).unwrap();
            std::fs::write(dist.join("index.html"), "<!doctype html><head><base href=\"/\" /><title>console</title>")
                .unwrap();
            std::fs::write(dist.join("ota-console-0123456789abcdef.js"), "export {}").unwrap();
            // A release build's precompressed siblings (cargo xtask precompress), told apart by content.
            std::fs::write(dist.join("ota-console-0123456789abcdef_bg.wasm"), "plain wasm").unwrap();
            std::fs::write(dist.join("ota-console-0123456789abcdef_bg.wasm.br"), "brotli wasm").unwrap();
            std::fs::write(dist.join("ota-console-0123456789abcdef_bg.wasm.gz"), "gzip wasm").unwrap();
            Console::new(&dist, path).unwrap()
        });
        let metrics = Metrics::new();
        let store = store.observed_by(metrics.clone());
        let settings = Settings {
            public_url: None,
            cors_origins: options.cors_origins,
            plain: options.plain,
            stopping: None,
            allowed_hosts: AllowedHosts::new(None, &["ota.test".into()]),
            limits: options.limits,
            metrics: metrics.clone(),
            broker_hooks: options.broker_hooks_secret.map(|secret| BrokerHooks::new(secret.to_owned(), 10)),
            ..Settings::default()
        };
        let access = Access::new(master_key, Policies::default());
        let app = ota_server::http::router(store.clone(), files, instances, settings, access.clone(), console);
        let mut server = Server {
            app,
            metrics,
            store,
            access,
            key: AccessKey { access_key_id: String::new(), access_key_secret: String::new(), security_token: None },
            database,
            _dir: dir,
        };
        server.key = server.new_key("admin", &[]).await;
        server
    }

    /// A new access key with a built-in policy, limited to `instances` (none: all).
    pub async fn new_key(&self, policy: &str, instances: &[&str]) -> AccessKey {
        let grant = Grant { policy: policy.into(), instances: instances.iter().map(|i| i.to_string()).collect() };
        let (access_key_id, access_key_secret) =
            create_key_in(&self.store, &self.access.master_key, &format!("test-{policy}"), grant).await.unwrap();
        AccessKey { access_key_id, access_key_secret, security_token: None }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// A GET; an API call (`/?…`) is signed with the admin key in the v1 form.
    pub async fn get(&self, uri: &str) -> Reply {
        let uri = match uri.strip_prefix("/?") {
            Some(query) => format!("/?{}", signed(&self.key, "GET", query)),
            None => uri.to_owned(),
        };
        self.get_unsigned(&uri).await
    }

    pub async fn get_unsigned(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::HOST, "ota.test").body(Body::empty()).unwrap()).await
    }

    /// A form POST to `/`, signed with the admin key in the v1 form.
    pub async fn post_form(&self, form: &str) -> Reply {
        self.post_form_unsigned(&signed(&self.key, "POST", form)).await
    }

    /// A form POST to `/`, signed with `key`.
    pub async fn post_form_as(&self, key: &AccessKey, form: &str) -> Reply {
        self.post_form_unsigned(&signed(key, "POST", form)).await
    }

    pub async fn post_form_unsigned(&self, form: &str) -> Reply {
        let request = Request::post("/")
            .header(header::HOST, "ota.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .unwrap();
        self.send(request).await
    }

    /// Calls `action` the way the console does: a form-encoded POST.
    pub async fn call(&self, action: &str, params: &[(&str, &str)]) -> Reply {
        let mut pairs = vec![("Action", action)];
        pairs.extend_from_slice(params);
        self.post_form(&serde_urlencoded::to_string(&pairs).unwrap()).await
    }

    /// Calls `action` and expects success; answers the body.
    pub async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        let reply = self.call(action, params).await;
        assert_eq!(reply.status, StatusCode::OK, "{action} {params:?}: {}", reply.text);
        let body = reply.json();
        assert_eq!(body["Success"], true, "{}", reply.text);
        body
    }

    /// Calls `action` and expects it refused with `status` and `code`; answers the message.
    pub async fn refused(&self, action: &str, params: &[(&str, &str)], status: StatusCode, code: &str) -> String {
        let reply = self.call(action, params).await;
        assert_eq!(reply.status, status, "{action} {params:?}: {}", reply.text);
        let body = reply.json();
        assert_eq!(body["Success"], false);
        assert_eq!(body["Code"], code, "{}", reply.text);
        body["ErrorMessage"].as_str().unwrap().to_owned()
    }

    pub async fn put_bytes(&self, url: &str, bytes: Vec<u8>) -> Reply {
        let path = url.split_once("ota.test").map_or(url, |(_, path)| path);
        self.send(Request::put(path).header(header::HOST, "ota.test").body(Body::from(bytes)).unwrap()).await
    }

    /// Uploads `bytes` through GenerateOTAUploadURL; answers the file URL.
    pub async fn upload(&self, bytes: &[u8]) -> String {
        let grant = self.ok("GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
        let url = grant["Data"]["FirmwareUrl"].as_str().unwrap().to_owned();
        let stored = self.put_bytes(&url, bytes.to_vec()).await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.text);
        url
    }

    /// The ID of the demo package named `name`.
    pub async fn firmware_id(&self, name: &str) -> String {
        let list = self.ok("ListOTAFirmware", &[("Keyword", name), ("PageSize", "100")]).await;
        let found = list["FirmwareInfo"]["SimpleFirmwareInfo"].as_array().unwrap();
        let package = found.iter().find(|f| f["FirmwareName"] == name).unwrap_or_else(|| panic!("no package {name}"));
        package["FirmwareId"].as_str().unwrap().to_owned()
    }
}

/// `encoded` (a query string or form body) with v1 signature parameters added for `method`.
pub fn signed(key: &AccessKey, method: &str, encoded: &str) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(encoded).unwrap();
    let now = signature::timestamp(ota_model::UtcTime(chrono::Utc::now()));
    signature::v1::sign_params(method, &mut pairs, key, &uuid::Uuid::new_v4().to_string(), &now);
    serde_urlencoded::to_string(&pairs).unwrap()
}

/// A call in the ACS3 form as the current SDK sends it: action and version in headers, `query`
/// in the query string, `body` form-encoded, signed with `key`.
pub fn acs3_request(key: &AccessKey, action: &str, query: &str, body: &[u8]) -> Request<Body> {
    acs3_request_for("ota.test", key, action, query, body)
}

/// The same, signed for `host`.
pub fn acs3_request_for(host: &str, key: &AccessKey, action: &str, query: &str, body: &[u8]) -> Request<Body> {
    let date = signature::timestamp(ota_model::UtcTime(chrono::Utc::now()));
    let nonce = uuid::Uuid::new_v4().to_string();
    let digest = signature::acs3::content_sha256(body);
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    let mut headers = vec![
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-version", "2018-01-20"),
        ("x-acs-date", &date),
        ("x-acs-signature-nonce", &nonce),
        ("x-acs-content-sha256", &digest),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    if let Some(token) = &key.security_token {
        headers.push(("x-acs-security-token", token));
    }
    let signing = signature::acs3::Request {
        method: "POST",
        path: "/",
        query: pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
        signed_headers: headers.clone(),
        content_sha256: &digest,
    };
    let authorization = signing.authorization(&key.access_key_id, &key.access_key_secret);
    let mut request = Request::post(format!("/?{query}"));
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.header(header::AUTHORIZATION, authorization).body(Body::from(body.to_vec())).unwrap()
}

pub fn instances() -> Instances {
    Instances::new(vec![("iot-default".to_owned(), "Default".to_owned()), ("iot-lab".to_owned(), "Lab".to_owned())])
        .unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

pub async fn assert_refused(reply: Reply, status: StatusCode, code: &str, message_part: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["Success"], false);
    assert_eq!(body["Code"], code);
    let message = body["ErrorMessage"].as_str().unwrap();
    assert!(message.contains(message_part), "{message}");
    assert_eq!(body["Message"], message);
    assert!(!body["RequestId"].as_str().unwrap().is_empty());
}

impl Server {
    /// The batches of a package, newest first: (JobId, JobType, SelectionType, JobStatus).
    pub async fn jobs_of(&self, firmware_id: &str) -> Vec<serde_json::Value> {
        let list = self.ok("ListOTAJobByFirmware", &[("FirmwareId", firmware_id), ("PageSize", "200")]).await;
        list["Data"]["SimpleOTAJobInfo"].as_array().unwrap().clone()
    }

    /// Task statuses of a batch, in order.
    pub async fn task_statuses(&self, job_id: &str) -> Vec<String> {
        let mut statuses = Vec::new();
        for page in 1.. {
            let page = page.to_string();
            let list =
                self.ok("ListOTATaskByJob", &[("JobId", job_id), ("PageSize", "100"), ("CurrentPage", &page)]).await;
            let tasks = list["Data"]["SimpleOTATaskInfo"].as_array().unwrap().clone();
            if tasks.is_empty() {
                break;
            }
            statuses.extend(tasks.iter().map(|t| t["TaskStatus"].as_str().unwrap().to_owned()));
        }
        statuses
    }
}

/// How many of `statuses` are `status`.
pub fn count(statuses: &[String], status: &str) -> usize {
    statuses.iter().filter(|s| *s == status).count()
}
