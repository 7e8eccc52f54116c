//! The MQTT part of the robustness campaign: honest devices reporting progress while others
//! flood the broker. MQTT 3.1.1 packets are written by hand here, since half of them are
//! meant to be wrong.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::Sha256;

use super::{DISTURBANCE, HONEST_DEVICES, QUIET, scrape_metrics};
use crate::project::Failure;
use crate::server::{TestServer, get, signed};

/// What the floods did, and what the honest devices saw.
pub struct Floods {
    pub quiet: Vec<Duration>,
    pub flooded: Vec<Duration>,
    /// Honest reports never acknowledged, or devices cut off.
    pub lost: u64,
    pub refusals: String,
    pub what: String,
}

/// A device's name and secret.
#[derive(Clone)]
struct Credentials {
    product_key: String,
    device_name: String,
    secret: String,
}

pub fn run(server: &TestServer) -> Result<Floods, Failure> {
    let fail = |e: String| Failure::new(e, "cargo xtask bench robustness");
    let devices = register(server, HONEST_DEVICES + 1).map_err(fail)?;
    let (flooder, honest) = devices.split_last().ok_or_else(|| fail("no device registered".into()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let flooding = Arc::new(AtomicBool::new(false));
    let lost = Arc::new(AtomicU64::new(0));
    let reporters: Vec<_> = honest
        .iter()
        .map(|device| {
            let (port, device) = (server.mqtt_port, device.clone());
            let (stop, flooding, lost) = (stop.clone(), flooding.clone(), lost.clone());
            std::thread::spawn(move || report_progress(port, &device, &stop, &flooding, &lost))
        })
        .collect();
    std::thread::sleep(QUIET + Duration::from_secs(3));
    let before = scrape_metrics(server.port);
    flooding.store(true, Ordering::Relaxed);
    let floods = start_floods(server.mqtt_port, flooder, &flooding);
    std::thread::sleep(DISTURBANCE);
    flooding.store(false, Ordering::Relaxed);
    for flood in floods {
        let _ = flood.join();
    }
    let after = scrape_metrics(server.port);
    stop.store(true, Ordering::Relaxed);
    let (mut quiet, mut flooded) = (Vec::new(), Vec::new());
    for reporter in reporters {
        if let Ok((q, f)) = reporter.join() {
            quiet.extend(q);
            flooded.extend(f);
        }
    }
    Ok(Floods {
        quiet,
        flooded,
        lost: lost.load(Ordering::Relaxed),
        refusals: refusals_between(&before, &after),
        what: format!(
            "4 threads each: 256 random bytes on a new connection; CONNECTs with a wrong password; \
             connections held open without logging in; one logged-in device sending 70 KB packets, \
             9 KB payloads, other devices' topics and SUBSCRIBE packets as fast as it can; and up to {} \
             connections from {SOURCES} other loopback addresses (127.1.x.y), held open without logging in",
            SOURCES * 3
        ),
    })
}

/// A product with `count` devices, registered through the API.
fn register(server: &TestServer, count: usize) -> Result<Vec<Credentials>, String> {
    let call = |query: &str| -> Result<serde_json::Value, String> {
        let (status, answer) = get(server.port, &signed(query, &server.admin)).map_err(|e| e.to_string())?;
        let json = answer.split_once("\r\n\r\n").map_or("", |(_, json)| json);
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{status}: {e}"))?;
        if status == 200 { Ok(value) } else { Err(format!("{query}: {status} {value}")) }
    };
    let product = call("/?Action=CreateProduct&ProductName=Robustness&NodeType=0")?;
    let product_key = product["Data"]["ProductKey"].as_str().ok_or("no ProductKey")?.to_owned();
    (0..count)
        .map(|n| {
            let device_name = format!("honest-{n:04}");
            let device = call(&format!("/?Action=RegisterDevice&ProductKey={product_key}&DeviceName={device_name}"))?;
            let secret = device["Data"]["DeviceSecret"].as_str().ok_or("no DeviceSecret")?.to_owned();
            Ok(Credentials { product_key: product_key.clone(), device_name, secret })
        })
        .collect()
}

/// Logs in and reports progress twice a second until told to stop: the time from each
/// PUBLISH to its PUBACK, before and during the floods.
fn report_progress(
    port: u16,
    device: &Credentials,
    stop: &AtomicBool,
    flooding: &AtomicBool,
    lost: &AtomicU64,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut quiet, mut flooded) = (Vec::new(), Vec::new());
    // Two hundred devices from one address: a refused connection tries again.
    let mut stream = None;
    for _ in 0..20 {
        stream = log_in(port, device, &device.secret).ok();
        if stream.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let Some(mut stream) = stream else {
        lost.fetch_add(1, Ordering::Relaxed);
        return (quiet, flooded);
    };
    let topic = format!("/ota/device/progress/{}/{}", device.product_key, device.device_name);
    let mut id: u16 = 0;
    while !stop.load(Ordering::Relaxed) {
        id = id.wrapping_add(1).max(1);
        let during = flooding.load(Ordering::Relaxed);
        let started = Instant::now();
        let payload = format!("{{\"id\":\"{id}\",\"params\":{{\"step\":\"50\",\"desc\":\"robustness\"}}}}");
        let acknowledged = stream.write_all(&publish(&topic, payload.as_bytes(), Some(id))).is_ok()
            && read_packet(&mut stream).is_some_and(|(kind, _)| kind == 0x40);
        if !acknowledged {
            lost.fetch_add(1, Ordering::Relaxed);
            break;
        }
        if during {
            flooded.push(started.elapsed())
        } else {
            quiet.push(started.elapsed())
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    (quiet, flooded)
}

/// A logged-in connection, or why not.
fn log_in(port: u16, device: &Credentials, secret: &str) -> Result<TcpStream, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    stream.write_all(&connect(device, secret)).map_err(|e| e.to_string())?;
    match read_packet(&mut stream) {
        Some((0x20, body)) if body.get(1) == Some(&0) => Ok(stream),
        other => Err(format!("no CONNACK 0: {other:?}")),
    }
}

fn start_floods(port: u16, flooder: &Credentials, flooding: &Arc<AtomicBool>) -> Vec<std::thread::JoinHandle<()>> {
    let mut floods = Vec::new();
    for seed in 0..4u64 {
        let on = flooding.clone();
        floods.push(std::thread::spawn(move || {
            let mut rng = StdRng::seed_from_u64(seed);
            while on.load(Ordering::Relaxed) {
                if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
                    let garbage: Vec<u8> = (0..256).map(|_| rng.r#gen()).collect();
                    let _ = stream.write_all(&garbage);
                }
            }
        }));
        let (on, wrong) = (flooding.clone(), flooder.clone());
        floods.push(std::thread::spawn(move || {
            while on.load(Ordering::Relaxed) {
                let _ = log_in(port, &wrong, "not-the-secret");
            }
        }));
        let on = flooding.clone();
        floods.push(std::thread::spawn(move || {
            let mut idle = Vec::new();
            while on.load(Ordering::Relaxed) {
                match TcpStream::connect(("127.0.0.1", port)) {
                    Ok(stream) if idle.len() < 500 => idle.push(stream),
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        }));
    }
    let (on, device) = (flooding.clone(), flooder.clone());
    floods.push(std::thread::spawn(move || misbehave(port, &device, &on)));
    let on = flooding.clone();
    floods.push(std::thread::spawn(move || hold_from_many_addresses(port, &on)));
    floods
}

/// Connections from [`SOURCES`] loopback addresses, a few each, held open without logging in:
/// no address goes over its rate, so what holds them off is the cap on pending logins.
fn hold_from_many_addresses(port: u16, flooding: &AtomicBool) {
    let target = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut held = Vec::new();
    let mut n = 0u32;
    while flooding.load(Ordering::Relaxed) {
        n += 1;
        let source = std::net::SocketAddr::from(([127, 1, (n / 250 % 200) as u8, (n % 250 + 1) as u8], 0));
        match connect_from(source, target) {
            Ok(stream) if held.len() < SOURCES * 3 => held.push(stream),
            Ok(_) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Source addresses of the many-address flood.
const SOURCES: usize = 1000;

fn connect_from(source: std::net::SocketAddr, target: std::net::SocketAddr) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.bind(&source.into())?;
    socket.connect_timeout(&target.into(), Duration::from_secs(1))?;
    Ok(socket.into())
}

/// A logged-in device that breaks every rule it can, logging in again whenever it is cut off.
fn misbehave(port: u16, device: &Credentials, flooding: &AtomicBool) {
    let own = format!("/ota/device/progress/{}/{}", device.product_key, device.device_name);
    let mut turn = 0u32;
    while flooding.load(Ordering::Relaxed) {
        let Ok(mut stream) = log_in(port, device, &device.secret) else {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        };
        while flooding.load(Ordering::Relaxed) {
            turn += 1;
            let packet = match turn % 4 {
                0 => publish(&own, &vec![b'x'; 70 * 1024], None),
                1 => publish(&own, &vec![b'{'; 9 * 1024], None),
                2 => publish("/ota/device/progress/someone/else", b"{}", None),
                _ => subscribe("/ota/device/upgrade/someone/else", turn as u16),
            };
            if stream.write_all(&packet).is_err() {
                break;
            }
        }
    }
}

fn connect(device: &Credentials, secret: &str) -> Vec<u8> {
    let timestamp = chrono::Utc::now().timestamp_millis();
    let client = format!("{}&{}", device.product_key, device.device_name);
    let client_id = format!("{client}|securemode=2,signmethod=hmacsha256,timestamp={timestamp}|");
    let username = format!("{}&{}", device.device_name, device.product_key);
    let content =
        format!("clientId{client}deviceName{}productKey{}timestamp{timestamp}", device.device_name, device.product_key);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(content.as_bytes());
    let password: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let mut body = Vec::new();
    string(&mut body, b"MQTT");
    body.extend_from_slice(&[4, 0b1100_0010, 0, 60]);
    string(&mut body, client_id.as_bytes());
    string(&mut body, username.as_bytes());
    string(&mut body, password.as_bytes());
    packet(0x10, &body)
}

fn publish(topic: &str, payload: &[u8], id: Option<u16>) -> Vec<u8> {
    let mut body = Vec::new();
    string(&mut body, topic.as_bytes());
    if let Some(id) = id {
        body.extend_from_slice(&id.to_be_bytes());
    }
    body.extend_from_slice(payload);
    packet(if id.is_some() { 0x32 } else { 0x30 }, &body)
}

fn subscribe(filter: &str, id: u16) -> Vec<u8> {
    let mut body = id.max(1).to_be_bytes().to_vec();
    string(&mut body, filter.as_bytes());
    body.push(1);
    packet(0x82, &body)
}

fn string(out: &mut Vec<u8>, text: &[u8]) {
    out.extend_from_slice(&(text.len() as u16).to_be_bytes());
    out.extend_from_slice(text);
}

fn packet(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    let mut length = body.len();
    loop {
        let mut byte = (length % 128) as u8;
        length /= 128;
        if length > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if length == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

/// The next packet's type (high nibble kept) and body.
fn read_packet(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut byte = [0u8];
    stream.read_exact(&mut byte).ok()?;
    let kind = byte[0] & 0xF0;
    let (mut length, mut shift) = (0usize, 0);
    loop {
        stream.read_exact(&mut byte).ok()?;
        length |= usize::from(byte[0] & 0x7F) << shift;
        shift += 7;
        if byte[0] & 0x80 == 0 || shift > 21 {
            break;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((kind, body))
}

/// `reason=count` for every refusal counter that grew between two scrapes of /metrics.
fn refusals_between(before: &str, after: &str) -> String {
    let counts = |text: &str| -> Vec<(String, f64)> {
        text.lines()
            .filter_map(|l| l.strip_prefix("ota_refusals_total{reason=\""))
            .filter_map(|l| l.split_once("\"} "))
            .filter_map(|(reason, n)| Some((reason.to_owned(), n.trim().parse().ok()?)))
            .collect()
    };
    let was = counts(before);
    let grew: Vec<String> = counts(after)
        .into_iter()
        .filter_map(|(reason, n)| {
            let old = was.iter().find(|(r, _)| *r == reason).map_or(0.0, |(_, n)| *n);
            (n > old).then(|| format!("{reason} {}", n - old))
        })
        .collect();
    if grew.is_empty() { "none".to_owned() } else { grew.join(", ") }
}
