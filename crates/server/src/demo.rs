//! The demo dataset: a small, believable fleet so that a fresh server has something to show.
//!
//! Deterministic apart from timestamps, which are relative to now: the same names and IDs on
//! every machine, so links and tests can rely on them.

use chrono::{Duration, Utc};
use md5::{Digest, Md5};
use ota_model::{FirmwareStatus, FirmwareType, SignMethod, UtcTime};
use sha2::Sha256;

use crate::store::{NewFirmware, NewProduct, Store};

struct DemoProduct {
    key: &'static str,
    name: &'static str,
    description: &'static str,
}

const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        key: "a1SMtr200Qx",
        name: "Smart meter SM-200",
        description: "Residential electricity meter",
    },
    DemoProduct {
        key: "a1GwLte4Kx9",
        name: "LTE gateway GW-4",
        description: "Cellular gateway for substations",
    },
    DemoProduct {
        key: "a1Cam7IpcZr",
        name: "防犯カメラ IPC-7",
        description: "Outdoor security camera",
    },
    DemoProduct {
        key: "a1Hvac3CtlM",
        name: "HVAC controller HC-3",
        description: "Building climate controller",
    },
];

/// One package: product, module, name, destination version, source version (differential
/// packages), verification state, size in KiB, and age in days.
struct DemoPackage {
    product: &'static str,
    module: &'static str,
    name: &'static str,
    dest: &'static str,
    src: Option<&'static str>,
    status: FirmwareStatus,
    kib: u64,
    days_old: i64,
    desc: Option<&'static str>,
}

const fn package(
    product: &'static str,
    module: &'static str,
    name: &'static str,
    dest: &'static str,
    src: Option<&'static str>,
    status: FirmwareStatus,
    kib: u64,
    days_old: i64,
) -> DemoPackage {
    DemoPackage {
        product,
        module,
        name,
        dest,
        src,
        status,
        kib,
        days_old,
        desc: None,
    }
}

use FirmwareStatus::{NotRequired, Unverified, VerificationFailed, Verified, Verifying};

const METER: &str = "a1SMtr200Qx";
const GATEWAY: &str = "a1GwLte4Kx9";
const CAMERA: &str = "a1Cam7IpcZr";
const HVAC: &str = "a1Hvac3CtlM";

const PACKAGES: &[DemoPackage] = &[
    package(
        METER,
        "default",
        "sm200-main-3_0_0",
        "3.0.0",
        None,
        Verified,
        1_840,
        180,
    ),
    package(
        METER,
        "default",
        "sm200-main-3_1_0",
        "3.1.0",
        None,
        Verified,
        1_872,
        121,
    ),
    package(
        METER,
        "default",
        "sm200-main-3_1_0-delta",
        "3.1.0",
        Some("3.0.0"),
        Verified,
        212,
        120,
    ),
    package(
        METER,
        "zigbee",
        "sm200-zigbee-1_4_2",
        "1.4.2",
        None,
        NotRequired,
        96,
        95,
    ),
    package(
        METER,
        "default",
        "sm200-main-3_2_0",
        "3.2.0",
        None,
        Verified,
        1_905,
        41,
    ),
    package(
        METER,
        "default",
        "sm200-main-3_2_1",
        "3.2.1",
        None,
        Verifying,
        1_906,
        6,
    ),
    DemoPackage {
        desc: Some("計量精度の改善とセキュリティ修正"),
        ..package(
            METER,
            "default",
            "スマートメーター本体_330ベータ",
            "3.3.0-beta.1",
            None,
            Unverified,
            1_931,
            2,
        )
    },
    package(
        GATEWAY,
        "default",
        "gw4-os-2_4_11",
        "2.4.11",
        None,
        Verified,
        48_210,
        150,
    ),
    package(
        GATEWAY,
        "modem",
        "gw4-modem-fw-8_2",
        "8.2.0",
        None,
        Verified,
        5_120,
        140,
    ),
    package(
        GATEWAY,
        "default",
        "gw4-os-2_5_0",
        "2.5.0",
        None,
        VerificationFailed,
        49_002,
        64,
    ),
    package(
        GATEWAY,
        "default",
        "gw4-os-2_5_1",
        "2.5.1",
        None,
        Verified,
        49_010,
        58,
    ),
    package(
        GATEWAY,
        "default",
        "gw4-os-2_5_1-delta",
        "2.5.1",
        Some("2.4.11"),
        Verified,
        7_412,
        57,
    ),
    package(
        GATEWAY,
        "modem",
        "gw4-modem-fw-8_3",
        "8.3.0",
        None,
        NotRequired,
        5_188,
        20,
    ),
    package(
        GATEWAY,
        "default",
        "gw4-os-2_6_0-rc1",
        "2.6.0-rc1",
        None,
        Verifying,
        49_877,
        4,
    ),
    package(
        CAMERA,
        "default",
        "ipc7-fw-5_0_3",
        "5.0.3",
        None,
        Verified,
        22_304,
        170,
    ),
    package(
        CAMERA,
        "ai-model",
        "ipc7-person-detect-v12",
        "12.0.0",
        None,
        NotRequired,
        14_880,
        110,
    ),
    package(
        CAMERA,
        "default",
        "ipc7-fw-5_1_0",
        "5.1.0",
        None,
        Verified,
        22_680,
        77,
    ),
    package(
        CAMERA,
        "ai-model",
        "ipc7-person-detect-v13",
        "13.0.0",
        None,
        NotRequired,
        15_040,
        30,
    ),
    DemoPackage {
        desc: Some("夜間撮影の画質改善"),
        ..package(
            CAMERA,
            "default",
            "防犯カメラ_ファームウェア_520",
            "5.2.0",
            None,
            Verified,
            22_912,
            12,
        )
    },
    package(
        CAMERA,
        "default",
        "ipc7-fw-5_2_0-delta",
        "5.2.0",
        Some("5.1.0"),
        Unverified,
        3_006,
        11,
    ),
    package(
        HVAC,
        "default",
        "hc3-ctrl-1_8_0",
        "1.8.0",
        None,
        Verified,
        640,
        200,
    ),
    package(
        HVAC,
        "default",
        "hc3-ctrl-1_9_0",
        "1.9.0",
        None,
        Verified,
        652,
        88,
    ),
    package(
        HVAC,
        "bacnet",
        "hc3-bacnet-stack-4_1",
        "4.1.0",
        None,
        Verified,
        210,
        45,
    ),
    package(
        HVAC,
        "default",
        "hc3-ctrl-2_0_0",
        "2.0.0",
        None,
        Unverified,
        701,
        1,
    ),
];

/// Fills an empty database with the demo dataset.
pub async fn seed(store: &Store) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    for (i, product) in PRODUCTS.iter().enumerate() {
        store
            .insert_product(&NewProduct {
                product_key: product.key.to_owned(),
                product_name: product.name.to_owned(),
                description: Some(product.description.to_owned()),
                created: UtcTime(now - Duration::days(400 - i as i64 * 30)),
            })
            .await?;
    }
    for (i, package) in PACKAGES.iter().enumerate() {
        store.insert_firmware(&firmware(package, i, now)).await?;
    }
    Ok(())
}

fn firmware(package: &DemoPackage, index: usize, now: chrono::DateTime<Utc>) -> NewFirmware {
    let identity = format!("{}/{}/{}", package.product, package.name, package.dest);
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
        product_key: package.product.to_owned(),
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
        for package in PACKAGES {
            let name = package.name;
            assert!(
                (1..=40).contains(&name.chars().count()),
                "{name} has 1–40 characters"
            );
            assert!(
                name.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '(' | ')')),
                "{name} uses only the characters FirmwareName allows"
            );
            ota_model::firmware::check_version("DestVersion", package.dest).unwrap();
            assert!(
                PRODUCTS.iter().any(|p| p.key == package.product),
                "{name} belongs to a demo product"
            );
        }
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let ids: std::collections::HashSet<_> = PACKAGES
            .iter()
            .map(|p| firmware_id(&format!("{}/{}/{}", p.product, p.name, p.dest)))
            .collect();
        assert_eq!(ids.len(), PACKAGES.len());
        assert_eq!(firmware_id("x"), firmware_id("x"));
        assert_eq!(firmware_id("x").len(), 26);
    }
}
