//! OTA modules and the versions devices report.

use axum::http::StatusCode;

use crate::support::Server;

const METER: (&str, &str) = ("ProductKey", "a1SMtr200Qx");

#[tokio::test]
async fn a_product_lists_its_default_module_first() {
    let server = Server::new().await;
    server
        .ok("CreateOTAModule", &[METER, ("ModuleName", "MCU"), ("AliasName", "main-mcu"), ("Desc", "Main controller")])
        .await;
    let modules = server.ok("ListOTAModuleByProduct", &[METER]).await;
    let names: Vec<&str> =
        modules["Data"].as_array().unwrap().iter().map(|m| m["ModuleName"].as_str().unwrap()).collect();
    assert_eq!(names, ["default", "zigbee", "MCU"]);
    assert_eq!(modules["Data"][2]["AliasName"], "main-mcu");
    assert!(modules["Data"][2]["GmtCreate"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn module_names_are_unique_ignoring_case_and_default_is_reserved() {
    let server = Server::new().await;
    server.ok("CreateOTAModule", &[METER, ("ModuleName", "scanner")]).await;
    server
        .refused(
            "CreateOTAModule",
            &[METER, ("ModuleName", "Scanner")],
            StatusCode::CONFLICT,
            "iot.ota.ModuleNameExisted",
        )
        .await;
    server
        .refused(
            "CreateOTAModule",
            &[METER, ("ModuleName", "Default")],
            StatusCode::CONFLICT,
            "iot.ota.ModuleNameExisted",
        )
        .await;
    server
        .refused("CreateOTAModule", &[METER, ("ModuleName", "has space")], StatusCode::BAD_REQUEST, "InvalidParameter")
        .await;
}

#[tokio::test]
async fn a_product_has_at_most_ten_custom_modules() {
    let server = Server::new().await;
    // The meter has one custom module (zigbee) already.
    for i in 1..=9 {
        server.ok("CreateOTAModule", &[METER, ("ModuleName", &format!("m{i}"))]).await;
    }
    let msg = server
        .refused(
            "CreateOTAModule",
            &[METER, ("ModuleName", "m10")],
            StatusCode::CONFLICT,
            "iot.ota.ModuleLimitExceeded",
        )
        .await;
    assert!(msg.contains("10 custom modules"), "{msg}");
}

#[tokio::test]
async fn only_an_unused_custom_module_can_be_deleted_and_only_its_alias_changes() {
    let server = Server::new().await;
    server.ok("UpdateOTAModule", &[METER, ("ModuleName", "zigbee"), ("AliasName", "radio")]).await;
    server
        .refused("DeleteOTAModule", &[METER, ("ModuleName", "default")], StatusCode::CONFLICT, "iot.ota.ModuleInUse")
        .await;
    server.ok("CreateOTAModule", &[METER, ("ModuleName", "spare")]).await;
    server.ok("DeleteOTAModule", &[METER, ("ModuleName", "SPARE")]).await;
    server
        .refused("DeleteOTAModule", &[METER, ("ModuleName", "spare")], StatusCode::NOT_FOUND, "iot.ota.ModuleNotFound")
        .await;
    server
        .refused("UpdateOTAModule", &[METER, ("ModuleName", "ghost")], StatusCode::NOT_FOUND, "iot.ota.ModuleNotFound")
        .await;
}

#[tokio::test]
async fn a_device_lists_the_version_of_each_module() {
    let server = Server::new().await;
    let versions = server.ok("ListOTAModuleVersionsByDevice", &[METER, ("DeviceName", "meter-0001")]).await;
    assert_eq!(versions["Total"], 2);
    let modules = versions["Data"]["SimpleOTAModuleInfo"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> =
        modules.iter().map(|m| (m["ModuleName"].as_str().unwrap(), m["ModuleVersion"].as_str().unwrap())).collect();
    assert_eq!(pairs, [("default", "3.2.1"), ("zigbee", "1.4.2")]);
    assert_eq!(modules[0]["DeviceName"], "meter-0001");
}
