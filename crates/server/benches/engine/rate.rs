//! Push-rate accuracy: one batch of 30,000 tasks at 10,000 a minute (Alibaba's maximum), the
//! engine running in this process with the system clock, its devices attached to the outbox
//! in-process. 30,000 MQTT connections would be more than this machine's descriptor limit
//! allows, and the rate is the engine's alone: what it pushes through the outbox is what the
//! broker sends. The 10,000-device rollout in `fleet` covers the way over real connections.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use ota_model::device::DeviceId;
use ota_model::signature::AccessKey;
use ota_server::auth::cli::create_key_in;
use ota_server::auth::{Access, MasterKey, Policies};
use ota_server::engine::lease::{self, Leadership};
use ota_server::engine::{Engine, SystemClock};
use ota_server::files::{FileStore, FilesLocation};
use ota_server::http::{AllowedHosts, Instances, Settings};
use ota_server::metrics::Metrics;
use ota_server::mqtt::{DeviceEvent, Outbox};
use ota_server::store::Store;
use ota_server::store::access::Grant;
use serde_json::Value;
use tower::ServiceExt;

const DEVICES: usize = 30_000;
const PER_MINUTE: usize = 10_000;

pub async fn measure() -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(dir.path().join("ota.db").to_str().unwrap()).await.expect("the database");
    let files = FileStore::open(&FilesLocation::Directory(dir.path().join("files"))).await.expect("the file store");
    let default = [("iot-default".to_owned(), "Default".to_owned())];
    store.upsert_instances(&default, ota_model::UtcTime(chrono::Utc::now())).await.expect("the instance");
    let instances = Instances::new(default.to_vec()).unwrap();
    let allowed_hosts = AllowedHosts::new(None, &["bench.local".into()]);
    let settings = Settings {
        public_url: None,
        cors_origins: vec![],
        plain: false,
        stopping: None,
        allowed_hosts,
        ..Settings::default()
    };
    let access = Access::new(MasterKey::generate(), Policies::default());
    let grant = Grant { policy: "admin".into(), instances: vec![] };
    let (access_key_id, access_key_secret) =
        create_key_in(&store, &access.master_key, "bench", grant).await.expect("an access key");
    let key = AccessKey { access_key_id, access_key_secret, security_token: None };
    let downloads = access.downloads.clone();
    let router = ota_server::http::router(store.clone(), files, instances, settings, access, None);
    let app = App { router, key };
    eprintln!("rate: registering {DEVICES} devices");
    let product =
        call(&app, "CreateProduct", &[("ProductName", "Rate bench")]).await["ProductKey"].as_str().unwrap().to_owned();
    let names: Vec<String> = (0..DEVICES).map(|n| format!("rate-{n:05}")).collect();
    for name in &names {
        call(&app, "RegisterDevice", &[("ProductKey", &product), ("DeviceName", name)]).await;
    }
    let firmware = package(&app, &product).await;

    let outbox = Outbox::default();
    let pushes = Arc::new(Mutex::new(Vec::with_capacity(DEVICES)));
    for name in &names {
        let mut inbox = outbox.attach(&DeviceId { product_key: product.clone(), device_name: name.clone() });
        let pushes = pushes.clone();
        tokio::spawn(async move {
            while inbox.recv().await.is_some() {
                pushes.lock().unwrap().push(Instant::now());
            }
        });
    }
    let (metrics, leadership) = (Metrics::new(), Leadership::default());
    tokio::spawn(lease::hold(store.clone(), lease::holder_name("bench"), None, leadership.clone(), metrics.clone()));
    let engine = Engine::new(store, outbox, Arc::new(SystemClock), "http://bench".into(), downloads, metrics);
    let (events, incoming) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(engine.run(incoming, leadership));
    // Online, as the broker would report them.
    for name in &names {
        let device = DeviceId { product_key: product.clone(), device_name: name.clone() };
        events.send(DeviceEvent::Connected { device: device.clone(), ip: None }).await.unwrap();
        events.send(DeviceEvent::Listening { device }).await.unwrap();
    }

    eprintln!("rate: {DEVICES} tasks at {PER_MINUTE} a minute (3 minutes)");
    let rate = PER_MINUTE.to_string();
    let params = [("ProductKey", product.as_str()), ("FirmwareId", &firmware), ("TargetSelection", "ALL")];
    let created = Instant::now();
    call(&app, "CreateOTAStaticUpgradeJob", &[&params[..], &[("MaximumPerMinute", rate.as_str())]].concat()).await;
    let deadline = created + Duration::from_secs(240);
    while pushes.lock().unwrap().len() < DEVICES && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let times = pushes.lock().unwrap().clone();
    report(created, &times)
}

fn report(created: Instant, times: &[Instant]) -> String {
    let Some(&first) = times.first() else {
        return "### Push rate\n\nNo push arrived: the engine did not run.\n".into();
    };
    let seconds: Vec<usize> = per_window(first, times, Duration::from_secs(1));
    let minutes: Vec<usize> = per_window(first, times, Duration::from_secs(60));
    let full_minutes = &minutes[..minutes.len().min(3)];
    let worst_minute = full_minutes.iter().map(|&m| (m as f64 / PER_MINUTE as f64 - 1.0).abs()).fold(0.0, f64::max);
    let busiest_second = seconds[..seconds.len().saturating_sub(1)].iter().copied().max().unwrap_or(0);
    let second_share = busiest_second as f64 / PER_MINUTE as f64;
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    format!(
        "### Push rate\n\n\
         {} tasks at `MaximumPerMinute=10000`, engine in-process on the system clock, devices attached \
         to its outbox (no sockets: see the note below). First push {:.0} ms after the batch was created.\n\n\
         | measure | target | result | |\n|---|---|---|---|\n\
         | pushes in each of the first three minutes | 10,000 ± 1 % | {} | {} |\n\
         | busiest second | ≤ 2 % of a minute's (200) | {busiest_second} ({:.2} %) | {} |\n\
         | all {} pushed | | {} | |\n",
        times.len(),
        first.duration_since(created).as_secs_f64() * 1000.0,
        full_minutes.iter().map(|m| format!("{m}")).collect::<Vec<_>>().join(", "),
        verdict(full_minutes.len() == 3 && worst_minute <= 0.01),
        second_share * 100.0,
        verdict(second_share <= 0.02),
        times.len(),
        super::secs(times.last().unwrap().duration_since(first)),
    )
}

/// Pushes per window of `width`, counted from `first`.
fn per_window(first: Instant, times: &[Instant], width: Duration) -> Vec<usize> {
    let mut counts = Vec::new();
    for time in times {
        let index = (time.duration_since(first).as_secs_f64() / width.as_secs_f64()) as usize;
        if counts.len() <= index {
            counts.resize(index + 1, 0);
        }
        counts[index] += 1;
    }
    counts
}

/// A small full package that needs no verification; its ID.
/// The router, and the key its calls are signed with.
struct App {
    router: Router,
    key: AccessKey,
}

async fn package(app: &App, product: &str) -> String {
    let grant = call(app, "GenerateOTAUploadURL", &[("FileSuffix", "bin")]).await;
    let url = grant["Data"]["FirmwareUrl"].as_str().unwrap().to_owned();
    let path = url.split_once("bench.local").map_or(url.as_str(), |(_, path)| path).to_owned();
    let content = vec![7u8; 4096];
    let put = Request::put(path).header(header::HOST, "bench.local").body(Body::from(content.clone())).unwrap();
    let stored = app.router.clone().oneshot(put).await.unwrap();
    assert!(stored.status().is_success(), "upload: {}", stored.status());
    let sign = format!("{:x}", <md5::Md5 as md5::Digest>::digest(&content));
    let created = call(
        app,
        "CreateOTAFirmware",
        &[
            ("ProductKey", product),
            ("FirmwareName", "rate-bench"),
            ("DestVersion", "2.0.0"),
            ("FirmwareUrl", &url),
            ("FirmwareSign", &sign),
            ("FirmwareSize", "4096"),
            ("NeedToVerify", "False"),
        ],
    )
    .await;
    created["Data"]["FirmwareId"].as_str().unwrap().to_owned()
}

/// One action through the router in-process; its answer, which must be a success.
async fn call(app: &App, action: &str, params: &[(&str, &str)]) -> Value {
    let mut pairs = vec![("Action".to_owned(), action.to_owned())];
    pairs.extend(params.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let now = ota_model::signature::timestamp(ota_model::UtcTime(chrono::Utc::now()));
    ota_model::signature::v1::sign_params("POST", &mut pairs, &app.key, &uuid::Uuid::new_v4().to_string(), &now);
    let request = Request::post("/")
        .header(header::HOST, "bench.local")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["Success"], true, "{action}: {body}");
    body
}
