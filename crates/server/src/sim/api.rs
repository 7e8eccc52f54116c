//! The simulator's HTTP side: the OTA API for the fleet's credentials (as an operator's script
//! would call it) and package downloads (as a device does).

use md5::Md5;
use ota_model::device::DeviceId;
use ota_model::paging::PageRequest;
use ota_model::registry::{DeviceStatus, QueryDevice, QueryProductList, RegisterDevice};
use ota_model::signature::{self, AccessKey};
use ota_model::{API_VERSION, Envelope, Operation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A simulated device's identity, and the version the server last heard from it.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub device: DeviceId,
    pub secret: String,
    pub version: Option<String>,
}

pub struct Api {
    http: reqwest::Client,
    endpoint: String,
    instance: Option<String>,
    key: AccessKey,
}

impl Api {
    pub fn new(http: reqwest::Client, endpoint: &str, instance: Option<String>, key: AccessKey) -> Self {
        Self { http, endpoint: endpoint.to_owned(), instance, key }
    }

    /// One operation, form-encoded as Alibaba's SDKs send it.
    pub async fn call<O: Operation>(&self, request: &O) -> Result<O::Response, String> {
        let params = request.to_params();
        let pairs: Vec<(&str, &str)> = params.pairs().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let json = self.action(O::ACTION, &pairs).await?;
        O::Response::deserialize(&json).map_err(|e| format!("{}: {e}", O::ACTION))
    }

    /// Any action with its parameters, signed (v1); the whole answer, once it says it succeeded.
    pub async fn action(&self, action: &str, params: &[(&str, &str)]) -> Result<serde_json::Value, String> {
        let mut form = vec![("Action", action), ("Version", API_VERSION), ("Format", "JSON")];
        if let Some(instance) = &self.instance {
            form.push(("IotInstanceId", instance));
        }
        form.extend_from_slice(params);
        let mut form: Vec<(String, String)> = form.into_iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
        let nonce = uuid::Uuid::new_v4().to_string();
        let now = signature::timestamp(ota_model::UtcTime(chrono::Utc::now()));
        signature::v1::sign_params("POST", &mut form, &self.key, &nonce, &now);
        let body = serde_urlencoded::to_string(&form).map_err(|e| e.to_string())?;
        let response = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{} cannot be reached: {e}", self.endpoint))?;
        let bytes = response.bytes().await.map_err(|e| format!("{action}: {e}"))?;
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("{} answered {action} with something that is not JSON", self.endpoint))?;
        let envelope = Envelope::deserialize(&json).map_err(|e| format!("{action}: {e}"))?;
        if !envelope.success {
            let code = envelope.code.clone().unwrap_or_default();
            return Err(format!("{action} refused: {code} {}", envelope.error_text().unwrap_or_default()));
        }
        Ok(json)
    }

    /// Up to `wanted` devices of `products` (every product when empty), taken in turn from each
    /// product so that a small fleet still spans them all; missing ones are registered.
    pub async fn fleet(&self, products: &[String], wanted: usize) -> Result<Vec<Credentials>, String> {
        let products = match products {
            [] => self.all_products().await?,
            given => given.to_vec(),
        };
        if products.is_empty() {
            return Err("the server has no products to simulate devices of".into());
        }
        let mut per_product = Vec::new();
        for product in &products {
            per_product.push(self.devices_of(product).await?);
        }
        let mut fleet = interleave(&per_product, wanted);
        let mut n = 0;
        while fleet.len() < wanted {
            n += 1;
            let product_key = &products[n % products.len()];
            let device_name = format!("sim-{n:05}");
            let known = &per_product[n % products.len()];
            if known.iter().any(|d| d.device.device_name == device_name) {
                continue;
            }
            let registered = self
                .call(&RegisterDevice { product_key: product_key.clone(), device_name, nickname: None })
                .await?
                .data;
            fleet.push(Credentials {
                device: DeviceId { product_key: registered.product_key, device_name: registered.device_name },
                secret: registered.device_secret,
                version: None,
            });
        }
        Ok(fleet)
    }

    async fn all_products(&self) -> Result<Vec<String>, String> {
        let page = PageRequest { current_page: 1, page_size: QueryProductList::MAX_PAGE_SIZE };
        let answer = self.call(&QueryProductList { page }).await?;
        Ok(answer.data.list.items.into_iter().map(|p| p.product_key).collect())
    }

    /// Every usable (not disabled) device of a product, in the server's order.
    async fn devices_of(&self, product_key: &str) -> Result<Vec<Credentials>, String> {
        let mut devices = Vec::new();
        for current_page in 1.. {
            let page = PageRequest { current_page, page_size: QueryDevice::MAX_PAGE_SIZE };
            let answer = self.call(&QueryDevice { product_key: product_key.to_owned(), page, version: None }).await?;
            let done = u64::from(current_page) >= answer.page_count;
            devices.extend(answer.data.items.into_iter().filter(|d| d.device_status != DeviceStatus::Disable).map(
                |d| Credentials {
                    device: DeviceId { product_key: d.product_key, device_name: d.device_name },
                    secret: d.device_secret,
                    version: d.firmware_version,
                },
            ));
            if done {
                break;
            }
        }
        Ok(devices)
    }

    /// Downloads a package and checks it against its digest, as a device must before installing.
    pub async fn download(&self, url: &str, sign_method: &str, sign: &str) -> Result<u64, DownloadError> {
        let mut response = self.http.get(url).send().await.map_err(|e| DownloadError::Failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(DownloadError::Failed(format!("HTTP {}", response.status())));
        }
        let mut digest = Digester::for_method(sign_method);
        let mut size = 0;
        while let Some(chunk) = response.chunk().await.map_err(|e| DownloadError::Failed(e.to_string()))? {
            size += chunk.len() as u64;
            digest.update(&chunk);
        }
        let got = digest.hex();
        if !got.eq_ignore_ascii_case(sign) {
            return Err(DownloadError::Corrupt(format!("{sign_method} is {got}, the push said {sign}")));
        }
        Ok(size)
    }
}

/// Why a device could not install what it downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadError {
    Failed(String),
    Corrupt(String),
}

enum Digester {
    Md5(Md5),
    Sha256(Sha256),
}

impl Digester {
    fn for_method(sign_method: &str) -> Self {
        if sign_method.eq_ignore_ascii_case("SHA256") { Self::Sha256(Sha256::new()) } else { Self::Md5(Md5::new()) }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Md5(d) => d.update(bytes),
            Self::Sha256(d) => d.update(bytes),
        }
    }

    fn hex(self) -> String {
        let bytes = match self {
            Self::Md5(d) => d.finalize().to_vec(),
            Self::Sha256(d) => d.finalize().to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The first of each list, then the second of each, … up to `wanted`.
fn interleave(lists: &[Vec<Credentials>], wanted: usize) -> Vec<Credentials> {
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest).flat_map(|i| lists.iter().filter_map(move |list| list.get(i))).take(wanted).cloned().collect()
}
