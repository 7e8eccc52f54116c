//! QueryDevice's version filter, and the version distribution kept as counters: each checked
//! against the other and against the devices listed one by one.

use std::collections::BTreeMap;

use super::{Devices, HVAC, METER, items};
use crate::support::Server;

// ---- devices by version, and the version distribution ---------------------------------------

/// Every page of QueryDevice with `filter`: the `Total` of the first page and every device's
/// (name, firmware version).
async fn devices_of(server: &Server, product: &str, filter: &[(&str, &str)]) -> (u64, Vec<(String, String)>) {
    let (mut total, mut devices) = (None, Vec::new());
    for page in 1.. {
        let page = page.to_string();
        let mut params = vec![("ProductKey", product), ("PageSize", "7"), ("CurrentPage", page.as_str())];
        params.extend_from_slice(filter);
        let answer = server.ok("QueryDevice", &params).await;
        let count = answer["Total"].as_u64().unwrap();
        let page_count = answer["PageCount"].as_u64().unwrap();
        assert_eq!(page_count, count.div_ceil(7), "{answer}");
        total.get_or_insert(count);
        let found = items(&answer, &["Data", "DeviceInfo"]);
        if found.is_empty() {
            break;
        }
        devices.extend(found.iter().map(|d| {
            let version = d["FirmwareVersion"].as_str().unwrap_or("").to_owned();
            (d["DeviceName"].as_str().unwrap().to_owned(), version)
        }));
    }
    (total.unwrap_or_default(), devices)
}

#[tokio::test]
async fn devices_can_be_listed_by_the_version_they_run() {
    let server = Server::new().await;
    let (all_total, all) = devices_of(&server, METER, &[]).await;
    assert_eq!(all_total, 120);
    let on_310: Vec<(String, String)> = all.iter().filter(|(_, v)| v == "3.1.0").cloned().collect();
    assert!(!on_310.is_empty());
    let (total, listed) = devices_of(&server, METER, &[("ModuleVersion", "3.1.0")]).await;
    assert_eq!((total, &listed), (on_310.len() as u64, &on_310), "the same devices, in the same order, paged");

    // Another module: each listed meter reports that version of it.
    let (zigbee_total, zigbee) =
        devices_of(&server, METER, &[("ModuleName", "zigbee"), ("ModuleVersion", "1.3.9")]).await;
    assert_eq!((zigbee_total, zigbee.len()), (47, 47));
    let (name, _) = &zigbee[0];
    let modules = server.ok("ListOTAModuleVersionsByDevice", &[("ProductKey", METER), ("DeviceName", name)]).await;
    let reported = items(&modules, &["Data", "SimpleOTAModuleInfo"]);
    assert!(reported.iter().any(|m| m["ModuleName"] == "zigbee" && m["ModuleVersion"] == "1.3.9"), "{modules}");

    assert_eq!(devices_of(&server, METER, &[("ModuleVersion", "9.9.9")]).await, (0, vec![]), "nobody runs it");
    assert_eq!(devices_of(&server, HVAC, &[("ModuleVersion", "3.1.0")]).await, (0, vec![]), "another product's");
}

/// The distribution of a product's module against the devices counted one by one (QueryDevice
/// with the version filter, which reads the devices themselves).
async fn assert_distribution_is_a_count(server: &Server, product: &str, module: &str) -> BTreeMap<String, u64> {
    let spread = server
        .ok("ListOTAVersionDistribution", &[("ProductKey", product), ("ModuleName", module), ("Top", "50")])
        .await;
    let data = &spread["Data"];
    assert_eq!(data["OthersVersionCount"], 0, "every version is shown");
    let shown: BTreeMap<String, u64> = items(data, &["Versions", "VersionCount"])
        .iter()
        .map(|v| (v["Version"].as_str().unwrap().to_owned(), v["DeviceCount"].as_u64().unwrap()))
        .collect();
    assert_eq!(data["Total"].as_u64(), Some(shown.values().sum()));
    for (version, count) in &shown {
        let filter = [("ModuleName", module), ("ModuleVersion", version.as_str())];
        let answer =
            server.ok("QueryDevice", &[&[("ProductKey", product), ("PageSize", "1")][..], &filter[..]].concat()).await;
        assert_eq!(answer["Total"].as_u64(), Some(*count), "{version}");
        assert!(*count > 0, "a version nobody runs any more is not shown");
    }
    shown
}

#[tokio::test]
async fn the_version_distribution_follows_every_report() {
    let server = Server::new().await;
    let (_, meters) = devices_of(&server, METER, &[]).await;
    let mut direct: BTreeMap<String, u64> = BTreeMap::new();
    for (_, version) in meters.iter().filter(|(_, v)| !v.is_empty()) {
        *direct.entry(version.clone()).or_default() += 1;
    }
    assert_eq!(assert_distribution_is_a_count(&server, METER, "default").await, direct);

    // Every 3.0.0 meter moves to 3.1.0, a meter never heard from reports 3.0.0, two meters
    // report a version new to the fleet, and one reports the version it had.
    let mut devices = Devices::new(&server);
    let on_300: Vec<&String> = meters.iter().filter(|(_, v)| v == "3.0.0").map(|(n, _)| n).collect();
    for name in &on_300 {
        devices.version(METER, name, "default", "3.1.0").await;
    }
    let silent = &meters.iter().find(|(_, v)| v.is_empty()).unwrap().0;
    devices.version(METER, silent, "default", "3.0.0").await;
    let on_310: Vec<&String> = meters.iter().filter(|(_, v)| v == "3.1.0").map(|(n, _)| n).collect();
    devices.version(METER, on_310[0], "default", "4.0.0-dev").await;
    devices.version(METER, on_310[1], "default", "4.0.0-dev").await;
    devices.version(METER, on_310[2], "default", "3.1.0").await;
    devices.version(METER, on_310[3], "zigbee", "1.5.0").await;

    let after = assert_distribution_is_a_count(&server, METER, "default").await;
    let mut expected = direct.clone();
    *expected.get_mut("3.1.0").unwrap() += on_300.len() as u64 - 2;
    expected.insert("3.0.0".into(), 1);
    expected.insert("4.0.0-dev".into(), 2);
    assert_eq!(after, expected);
    assert_eq!(assert_distribution_is_a_count(&server, METER, "zigbee").await["1.5.0"], 1);
}
