//! The demo dataset: a small, believable fleet so that a fresh server has something to show,
//! four products with their devices, package files, and batches in every state.
//!
//! Deterministic apart from timestamps (relative to now) and generated IDs: the same names,
//! versions and counts on every machine, so tests can rely on them.

mod batches;

use chrono::Duration;
use ota_model::module::DEFAULT_MODULE;
use ota_model::registry::DeviceStatus;
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sha2::{Digest, Sha256};

use crate::files::{FileStore, StoredFile};
use crate::ids;
use crate::store::modules::insert_module;
use crate::store::registry::{NewDevice, insert_device, insert_product, set_module_version};
use crate::store::uploads::record_stored_upload;
use crate::store::{NewFirmware, Store, firmware::insert_firmware, firmware::set_firmware_status};

/// A failure while seeding, worded for the operator.
pub type SeedError = Box<dyn std::error::Error + Send + Sync>;

struct DemoProduct {
    key: &'static str,
    name: &'static str,
    description: &'static str,
    /// Devices are named `{prefix}{n:03}`, numbered from 1.
    device_prefix: &'static str,
    /// Per module: how many devices (in numbering order) report each version.
    versions: &'static [(&'static str, &'static [(&'static str, usize)])],
    packages: &'static [DemoPackage],
}

impl DemoProduct {
    fn device_count(&self) -> usize {
        self.versions.first().map_or(0, |(_, spread)| spread.iter().map(|(_, n)| n).sum())
    }

    fn device_name(&self, n: usize) -> String {
        format!("{}{n:03}", self.device_prefix)
    }
}

/// One package: module, name, destination version, source version (differential packages),
/// verification state, size in KiB, and age in days.
#[derive(Clone, Copy)]
struct DemoPackage {
    module: &'static str,
    name: &'static str,
    dest: &'static str,
    src: Option<&'static str>,
    status: FirmwareStatus,
    kib: u64,
    days_old: i64,
    desc: Option<&'static str>,
}

/// A full package; `.delta_from()` and `.described()` add the rest.
const fn package(
    module: &'static str,
    name: &'static str,
    dest: &'static str,
    status: FirmwareStatus,
    kib: u64,
    days_old: i64,
) -> DemoPackage {
    DemoPackage { module, name, dest, src: None, status, kib, days_old, desc: None }
}

impl DemoPackage {
    const fn delta_from(self, src: &'static str) -> Self {
        Self { src: Some(src), ..self }
    }

    const fn described(self, desc: &'static str) -> Self {
        Self { desc: Some(desc), ..self }
    }
}

use FirmwareStatus::{NotRequired, Unverified, Verified, Verifying};

#[rustfmt::skip] // a table reads best with one package per line
const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        key: "a1SMtr200Qx",
        name: "Smart meter SM-200",
        description: "Residential electricity meter",
        device_prefix: "meter-0",
        versions: &[
            ("default", &[("3.0.0", 20), ("3.1.0", 97), ("unknown", 3)]),
            ("zigbee", &[("1.4.2", 70), ("1.3.9", 47), ("unknown", 3)]),
        ],
        packages: &[
            package("default", "sm200-main-3_0_0", "3.0.0", Verified, 1_840, 180),
            package("default", "sm200-main-3_1_0", "3.1.0", Verified, 1_872, 121),
            package("default", "sm200-main-3_1_0-delta", "3.1.0", Verified, 212, 120).delta_from("3.0.0"),
            package("zigbee", "sm200-zigbee-1_4_2", "1.4.2", NotRequired, 96, 95),
            package("default", "sm200-main-3_2_0", "3.2.0", Unverified, 1_905, 41),
            package("default", "sm200-main-3_2_1", "3.2.1", Unverified, 1_906, 6),
            package("default", "スマートメーター本体_330ベータ", "3.3.0-beta.1", Unverified, 1_931, 2)
                .described("計量精度の改善とセキュリティ修正"),
        ],
    },
    DemoProduct {
        key: "a1GwLte4Kx9",
        name: "LTE gateway GW-4",
        description: "Cellular gateway for substations",
        device_prefix: "gw4-sub-",
        versions: &[
            ("default", &[("2.4.11", 25), ("2.5.1", 10), ("2.3.8", 5)]),
            ("modem", &[("8.2.0", 28), ("8.3.0", 12)]),
        ],
        packages: &[
            package("default", "gw4-os-2_4_11", "2.4.11", Verified, 48_210, 150),
            package("modem", "gw4-modem-fw-8_2", "8.2.0", Verified, 5_120, 140),
            package("default", "gw4-os-2_5_0", "2.5.0", Unverified, 49_002, 64),
            package("default", "gw4-os-2_5_1", "2.5.1", Verified, 49_010, 58),
            package("default", "gw4-os-2_5_1-delta", "2.5.1", Verified, 7_412, 57).delta_from("2.4.11"),
            package("modem", "gw4-modem-fw-8_3", "8.3.0", NotRequired, 5_188, 20),
            package("default", "gw4-os-2_6_0-rc1", "2.6.0-rc1", Verifying, 49_877, 4),
        ],
    },
    DemoProduct {
        key: "a1Cam7IpcZr",
        name: "防犯カメラ IPC-7",
        description: "Outdoor security camera",
        device_prefix: "cam-osaka-",
        versions: &[
            ("default", &[("5.0.3", 20), ("5.1.0", 30), ("5.2.0", 10)]),
            ("ai-model", &[("12.0.0", 35), ("13.0.0", 25)]),
        ],
        packages: &[
            package("default", "ipc7-fw-5_0_3", "5.0.3", Verified, 22_304, 170),
            package("ai-model", "ipc7-person-detect-v12", "12.0.0", NotRequired, 14_880, 110),
            package("default", "ipc7-fw-5_1_0", "5.1.0", Verified, 22_680, 77),
            package("ai-model", "ipc7-person-detect-v13", "13.0.0", NotRequired, 15_040, 30),
            package("default", "防犯カメラ_ファームウェア_520", "5.2.0", Verified, 22_912, 12)
                .described("夜間撮影の画質改善"),
            package("default", "ipc7-fw-5_2_0-delta", "5.2.0", Unverified, 3_006, 11).delta_from("5.1.0"),
        ],
    },
    DemoProduct {
        key: "a1Hvac3CtlM",
        name: "HVAC controller HC-3",
        description: "Building climate controller",
        device_prefix: "hc3-bldg-a-",
        versions: &[
            ("default", &[("1.8.0", 12), ("1.9.0", 18)]),
            ("bacnet", &[("4.1.0", 30)]),
        ],
        packages: &[
            package("default", "hc3-ctrl-1_8_0", "1.8.0", Verified, 640, 200),
            package("default", "hc3-ctrl-1_9_0", "1.9.0", Verified, 652, 88),
            package("bacnet", "hc3-bacnet-stack-4_1", "4.1.0", Verified, 210, 45),
            package("default", "hc3-ctrl-2_0_0", "2.0.0", Unverified, 701, 1),
        ],
    },
];

/// Every demo package with its product, in a stable order.
fn packages() -> impl Iterator<Item = (&'static DemoProduct, &'static DemoPackage)> {
    PRODUCTS.iter().flat_map(|product| product.packages.iter().map(move |package| (product, package)))
}

/// Fills an empty database with the demo dataset into `instance`.
pub async fn seed(store: &Store, files: &FileStore, instance: &str) -> Result<(), SeedError> {
    let now = UtcTime(chrono::Utc::now());
    let mut tx = store.begin().await?;
    for (i, product) in PRODUCTS.iter().enumerate() {
        let created = UtcTime(now.0 - Duration::days(400 - i as i64 * 30));
        insert_product(&mut tx, instance, product.key, product.name, 0, Some(product.description), created).await?;
        for (module, _) in product.versions.iter().filter(|(module, _)| *module != DEFAULT_MODULE) {
            insert_module(&mut tx, product.key, module, None, created).await?;
        }
        for n in 1..=product.device_count() {
            let iot_id = ids::object_id();
            let name = product.device_name(n);
            let status = device_status(n, product.versions[0].1);
            let device = NewDevice {
                iot_id: iot_id.clone(),
                product_key: product.key,
                device_name: &name,
                device_secret: ids::device_secret(),
                nickname: None,
                status,
            };
            insert_device(&mut tx, &device, created).await?;
            for (module, spread) in product.versions {
                if let Some(version) = version_of(n, spread) {
                    set_module_version(&mut tx, &iot_id, product.key, module, version, now).await?;
                }
            }
        }
    }
    for (i, (product, package)) in packages().enumerate() {
        let (firmware, stored) = firmware(files, product.key, package, i, now).await?;
        let key = firmware.file_key.clone().unwrap_or_default();
        record_stored_upload(&mut tx, instance, &key, "bin", &stored, now).await?;
        if !insert_firmware(&mut tx, instance, &firmware).await? {
            return Err(format!("the demo package {} could not claim its file", firmware.firmware_name).into());
        }
        if package.status != Unverified && package.status != NotRequired {
            let progress = if package.status == Verified { 100 } else { 0 };
            set_firmware_status(&mut tx, &firmware.firmware_id, package.status, progress, firmware.created).await?;
        }
    }
    tx.commit().await?;
    batches::seed(store, instance, now).await
}

/// Versions are handed out in numbering order; `unknown` devices never reported one.
fn version_of(n: usize, spread: &[(&'static str, usize)]) -> Option<&'static str> {
    let mut upto = 0;
    for (version, count) in spread {
        upto += count;
        if n <= upto {
            return Some(*version).filter(|v| *v != "unknown");
        }
    }
    None
}

/// Most devices are online; every seventh is offline, and those that never reported a
/// version never connected.
fn device_status(n: usize, default_spread: &[(&'static str, usize)]) -> DeviceStatus {
    if version_of(n, default_spread).is_none() {
        DeviceStatus::Unactive
    } else if n.is_multiple_of(7) {
        DeviceStatus::Offline
    } else {
        DeviceStatus::Online
    }
}

/// The package, with a real (sparse) file: a header naming it, then zeros up to its size.
async fn firmware(
    files: &FileStore,
    product_key: &str,
    package: &DemoPackage,
    index: usize,
    now: UtcTime,
) -> Result<(NewFirmware, StoredFile), SeedError> {
    let identity = format!("{product_key}/{}/{}", package.name, package.dest);
    let firmware_id = firmware_id(&identity);
    let file_key = format!("demo-{firmware_id}.bin");
    let size = package.kib * 1024 + (index as u64 * 313) % 1024;
    let header = format!("OTA-DEMO {identity}\n");
    let stored = files
        .create_sparse(&file_key, header.as_bytes(), size)
        .await
        .map_err(|e| format!("cannot write the demo package file {file_key}: {e:?}"))?;
    // Every third package is signed with SHA-256, the rest with MD5, as fleets mix both.
    let (sign_method, firmware_sign) =
        if index % 3 == 2 { (SignMethod::Sha256, &stored.sha256) } else { (SignMethod::Md5, &stored.md5) };
    let firmware_type = if package.src.is_some() { FirmwareType::Differential } else { FirmwareType::Full };
    let created = now.0 - Duration::days(package.days_old) - Duration::minutes(index as i64 * 37);
    let firmware = NewFirmware {
        firmware_id,
        product_key: product_key.to_owned(),
        module_name: package.module.to_owned(),
        firmware_name: package.name.to_owned(),
        firmware_desc: package.desc.map(str::to_owned),
        dest_version: package.dest.to_owned(),
        src_version: package.src.map(str::to_owned),
        firmware_type,
        sign_method,
        firmware_sign: firmware_sign.clone(),
        firmware_size: size,
        file_key: Some(file_key),
        files: Vec::new(),
        udi: package.desc.map(|desc| format!("{{\"ota_notice\":\"{desc}\"}}")),
        need_to_verify: package.status != NotRequired,
        created: UtcTime(created),
    };
    Ok((firmware, stored))
}

/// A 26-character ID in the style of Alibaba's, derived from the package's identity.
fn firmware_id(identity: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let digest = Sha256::digest(identity.as_bytes());
    digest.iter().take(26).map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_package_is_valid_for_the_api() {
        for (_, package) in packages() {
            ota_model::rules::FIRMWARE_NAME.check("FirmwareName", package.name).unwrap();
            ota_model::rules::VERSION.check("DestVersion", package.dest).unwrap();
        }
        for product in PRODUCTS {
            ota_model::rules::PRODUCT_NAME.check("ProductName", product.name).unwrap();
            ota_model::rules::DEVICE_NAME.check("DeviceName", &product.device_name(1)).unwrap();
            for (module, spread) in product.versions {
                let count: usize = spread.iter().map(|(_, n)| n).sum();
                assert_eq!(count, product.device_count(), "{} {module} covers every device", product.name);
            }
        }
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let ids: std::collections::HashSet<_> =
            packages().map(|(product, p)| firmware_id(&format!("{}/{}/{}", product.key, p.name, p.dest))).collect();
        assert_eq!(ids.len(), packages().count());
        assert_eq!(firmware_id("x"), firmware_id("x"));
    }

    #[test]
    fn versions_are_handed_out_in_order() {
        let spread: &[(&str, usize)] = &[("1.0", 2), ("unknown", 1)];
        assert_eq!(version_of(1, spread), Some("1.0"));
        assert_eq!(version_of(2, spread), Some("1.0"));
        assert_eq!(version_of(3, spread), None);
        assert_eq!(device_status(3, spread), DeviceStatus::Unactive);
        assert_eq!(device_status(7, &[("1.0", 10)]), DeviceStatus::Offline);
    }
}
