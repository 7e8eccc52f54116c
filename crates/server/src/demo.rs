//! The demo dataset: a small, believable fleet so that a fresh server has something to show.
//!
//! Deterministic apart from timestamps, which are relative to now: the same names and IDs on
//! every machine, so links and tests can rely on them.

use chrono::{Duration, Utc};
use md5::{Digest, Md5};
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sha2::Sha256;

use crate::store::{self, NewFirmware, NewProduct, Store};

struct DemoProduct {
    key: &'static str,
    name: &'static str,
    description: &'static str,
    packages: &'static [DemoPackage],
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
    DemoPackage {
        module,
        name,
        dest,
        src: None,
        status,
        kib,
        days_old,
        desc: None,
    }
}

impl DemoPackage {
    const fn delta_from(self, src: &'static str) -> Self {
        Self {
            src: Some(src),
            ..self
        }
    }

    const fn described(self, desc: &'static str) -> Self {
        Self {
            desc: Some(desc),
            ..self
        }
    }
}

use FirmwareStatus::{NotRequired, Unverified, VerificationFailed, Verified, Verifying};

#[rustfmt::skip] // a table reads best with one package per line
const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        key: "a1SMtr200Qx",
        name: "Smart meter SM-200",
        description: "Residential electricity meter",
        packages: &[
            package("default", "sm200-main-3_0_0", "3.0.0", Verified, 1_840, 180),
            package("default", "sm200-main-3_1_0", "3.1.0", Verified, 1_872, 121),
            package("default", "sm200-main-3_1_0-delta", "3.1.0", Verified, 212, 120).delta_from("3.0.0"),
            package("zigbee", "sm200-zigbee-1_4_2", "1.4.2", NotRequired, 96, 95),
            package("default", "sm200-main-3_2_0", "3.2.0", Verified, 1_905, 41),
            package("default", "sm200-main-3_2_1", "3.2.1", Verifying, 1_906, 6),
            package("default", "スマートメーター本体_330ベータ", "3.3.0-beta.1", Unverified, 1_931, 2)
                .described("計量精度の改善とセキュリティ修正"),
        ],
    },
    DemoProduct {
        key: "a1GwLte4Kx9",
        name: "LTE gateway GW-4",
        description: "Cellular gateway for substations",
        packages: &[
            package("default", "gw4-os-2_4_11", "2.4.11", Verified, 48_210, 150),
            package("modem", "gw4-modem-fw-8_2", "8.2.0", Verified, 5_120, 140),
            package("default", "gw4-os-2_5_0", "2.5.0", VerificationFailed, 49_002, 64),
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
    PRODUCTS.iter().flat_map(|product| {
        product
            .packages
            .iter()
            .map(move |package| (product, package))
    })
}

/// Fills an empty database with the demo dataset, all of it or (on failure) nothing.
pub async fn seed(store: &Store) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    let mut tx = store.begin().await?;
    for (i, product) in PRODUCTS.iter().enumerate() {
        let created = UtcTime(now - Duration::days(400 - i as i64 * 30));
        let product = NewProduct {
            product_key: product.key.to_owned(),
            product_name: product.name.to_owned(),
            description: Some(product.description.to_owned()),
            created,
        };
        store::insert_product(&mut tx, &product).await?;
    }
    for (i, (product, package)) in packages().enumerate() {
        store::insert_firmware(&mut tx, &firmware(product.key, package, i, now)).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn firmware(
    product_key: &str,
    package: &DemoPackage,
    index: usize,
    now: chrono::DateTime<Utc>,
) -> NewFirmware {
    let identity = format!("{product_key}/{}/{}", package.name, package.dest);
    // Every third package is signed with SHA-256, the rest with MD5, as fleets mix both.
    let (sign_method, firmware_sign) = if index % 3 == 2 {
        (
            SignMethod::Sha256,
            hex(&Sha256::digest(identity.as_bytes())),
        )
    } else {
        (SignMethod::Md5, hex(&Md5::digest(identity.as_bytes())))
    };
    let firmware_type = if package.src.is_some() {
        FirmwareType::Differential
    } else {
        FirmwareType::Full
    };
    let verify_progress = match package.status {
        Verified => 100,
        Verifying => 40,
        VerificationFailed => 50,
        _ => 0,
    };
    let created = now - Duration::days(package.days_old) - Duration::minutes(index as i64 * 37);
    NewFirmware {
        firmware_id: firmware_id(&identity),
        product_key: product_key.to_owned(),
        module_name: package.module.to_owned(),
        firmware_name: package.name.to_owned(),
        firmware_desc: package.desc.map(str::to_owned),
        dest_version: package.dest.to_owned(),
        src_version: package.src.map(str::to_owned),
        firmware_type,
        sign_method,
        firmware_sign,
        firmware_size: package.kib * 1024 + (index as u64 * 313) % 1024,
        firmware_url: None,
        udi: None,
        status: package.status,
        verify_progress,
        created: UtcTime(created),
    }
}

/// A 26-character ID in the style of Alibaba's, derived from the package's identity.
fn firmware_id(identity: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let digest = Sha256::digest(identity.as_bytes());
    digest
        .iter()
        .take(26)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_package_is_valid_for_the_api() {
        for (_, package) in packages() {
            let name = package.name;
            ota_model::rules::FIRMWARE_NAME
                .check("FirmwareName", name)
                .unwrap();
            ota_model::rules::VERSION
                .check("DestVersion", package.dest)
                .unwrap();
        }
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let ids: std::collections::HashSet<_> = packages()
            .map(|(product, p)| firmware_id(&format!("{}/{}/{}", product.key, p.name, p.dest)))
            .collect();
        assert_eq!(ids.len(), packages().count());
        assert_eq!(firmware_id("x"), firmware_id("x"));
        assert_eq!(firmware_id("x").len(), 26);
    }
}
