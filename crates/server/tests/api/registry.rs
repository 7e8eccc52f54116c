//! Products, devices, device groups, instances.

use axum::http::StatusCode;

use crate::support::Server;

const LAB: (&str, &str) = ("IotInstanceId", "iot-lab");

#[tokio::test]
async fn products_are_created_and_listed_per_instance() {
    let server = Server::new().await;
    let created =
        server.ok("CreateProduct", &[LAB, ("ProductName", "Water meter WM-1"), ("Description", "pilot")]).await;
    let key = created["ProductKey"].as_str().unwrap();
    assert_eq!(created["Data"]["ProductKey"], key);
    assert!(key.starts_with("a1") && key.len() == 11);

    let lab = server.ok("QueryProductList", &[LAB]).await;
    assert_eq!(lab["Data"]["Total"], 1);
    let product = &lab["Data"]["List"]["ProductInfo"][0];
    assert_eq!((product["ProductName"].as_str(), product["DeviceCount"].as_u64()), (Some("Water meter WM-1"), Some(0)));
    let default = server.ok("QueryProductList", &[("PageSize", "200")]).await;
    assert_eq!(default["Data"]["Total"], 4, "the default instance holds the demo products only");
    let meter =
        default["Data"]["List"]["ProductInfo"].as_array().unwrap().iter().find(|p| p["ProductKey"] == "a1SMtr200Qx");
    assert_eq!(meter.unwrap()["DeviceCount"], 120);

    let msg = server
        .refused(
            "CreateProduct",
            &[LAB, ("ProductName", "Water meter WM-1")],
            StatusCode::CONFLICT,
            "iot.prod.AlreadyExistedProductName",
        )
        .await;
    assert!(msg.contains("Water meter WM-1"), "{msg}");
    server.refused("CreateProduct", &[("ProductName", "ab")], StatusCode::BAD_REQUEST, "InvalidParameter").await;
    server
        .refused(
            "QueryProductList",
            &[("IotInstanceId", "iot-nowhere")],
            StatusCode::NOT_FOUND,
            "iot.system.InstanceNotFound",
        )
        .await;
}

#[tokio::test]
async fn devices_are_registered_with_a_secret_and_read_back() {
    let server = Server::new().await;
    let registered = server
        .ok(
            "RegisterDevice",
            &[("ProductKey", "a1SMtr200Qx"), ("DeviceName", "meter-new-001"), ("Nickname", "Kitchen")],
        )
        .await;
    let device = &registered["Data"];
    assert_eq!(device["DeviceSecret"].as_str().unwrap().len(), 32);
    let iot_id = device["IotId"].as_str().unwrap();

    let detail = server.ok("QueryDeviceDetail", &[("IotId", iot_id)]).await;
    assert_eq!(detail["Data"]["Status"], "UNACTIVE");
    assert_eq!(detail["Data"]["ProductName"], "Smart meter SM-200");
    assert!(detail["Data"].get("FirmwareVersion").is_none(), "it has reported no version yet");

    let by_name = server.ok("QueryDeviceDetail", &[("ProductKey", "a1SMtr200Qx"), ("DeviceName", "meter-0001")]).await;
    assert_eq!(by_name["Data"]["FirmwareVersion"], "3.2.1", "it passed the demo verification of 3.2.1");
    assert_eq!(by_name["Data"]["Status"], "ONLINE");

    server
        .refused(
            "RegisterDevice",
            &[("ProductKey", "a1SMtr200Qx"), ("DeviceName", "meter-0001")],
            StatusCode::CONFLICT,
            "iot.device.AlreadyExistedDeviceName",
        )
        .await;
    server
        .refused(
            "RegisterDevice",
            &[("ProductKey", "a1Nowhere00"), ("DeviceName", "x-0001")],
            StatusCode::NOT_FOUND,
            "iot.prod.NotExistedProduct",
        )
        .await;
    server
        .refused(
            "RegisterDevice",
            &[("ProductKey", "a1SMtr200Qx"), ("DeviceName", "a b")],
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
        )
        .await;
    server
        .refused("QueryDeviceDetail", &[("IotId", "nope")], StatusCode::NOT_FOUND, "iot.device.NotExistedDevice")
        .await;
    server
        .refused(
            "QueryDeviceDetail",
            &[LAB, ("ProductKey", "a1SMtr200Qx"), ("DeviceName", "meter-0001")],
            StatusCode::NOT_FOUND,
            "iot.device.NotExistedDevice",
        )
        .await;
}

#[tokio::test]
async fn a_products_devices_are_paged_with_their_firmware_version() {
    let server = Server::new().await;
    let page =
        server.ok("QueryDevice", &[("ProductKey", "a1Hvac3CtlM"), ("PageSize", "10"), ("CurrentPage", "3")]).await;
    assert_eq!(
        (page["Total"].as_u64(), page["PageCount"].as_u64(), page["Page"].as_u64()),
        (Some(30), Some(3), Some(3))
    );
    let devices = page["Data"]["DeviceInfo"].as_array().unwrap();
    assert_eq!(devices.len(), 10);
    assert_eq!(devices[0]["DeviceName"], "hc3-bldg-a-021");
    assert_eq!(devices[0]["FirmwareVersion"], "1.9.0");
    server
        .refused(
            "QueryDevice",
            &[("ProductKey", "a1Hvac3CtlM"), ("PageSize", "51")],
            StatusCode::BAD_REQUEST,
            "iot.common.InvalidPageParams",
        )
        .await;
}

#[tokio::test]
async fn groups_collect_devices_up_to_ten_groups_each() {
    let server = Server::new().await;
    let group = server.ok("CreateDeviceGroup", &[("GroupName", "osaka_north"), ("GroupDesc", "pilot site")]).await;
    let group_id = group["Data"]["GroupId"].as_str().unwrap();
    let added = server
        .ok(
            "BatchAddDeviceGroupRelations",
            &[
                ("GroupId", group_id),
                ("Device.1.ProductKey", "a1Cam7IpcZr"),
                ("Device.1.DeviceName", "cam-osaka-001"),
                ("Device.2.ProductKey", "a1Cam7IpcZr"),
                ("Device.2.DeviceName", "cam-osaka-002"),
                ("Device.3.ProductKey", "a1Cam7IpcZr"),
                ("Device.3.DeviceName", "no-such-camera"),
            ],
        )
        .await;
    let data = &added["Data"];
    assert_eq!((data["ValidDeviceCount"].as_u64(), data["SuccessAddedDeviceCount"].as_u64()), (Some(2), Some(2)));
    let again = server
        .ok(
            "BatchAddDeviceGroupRelations",
            &[("GroupId", group_id), ("Device.1.ProductKey", "a1Cam7IpcZr"), ("Device.1.DeviceName", "cam-osaka-001")],
        )
        .await;
    assert_eq!(again["Data"]["AlreadyRelatedGroupDeviceCount"], 1);

    let listed = server.ok("QueryDeviceGroupList", &[("GroupName", "NORTH")]).await;
    assert_eq!(listed["Total"], 1);
    assert_eq!(listed["Data"]["GroupInfo"][0]["GroupId"], group_id);
    server
        .refused(
            "CreateDeviceGroup",
            &[("GroupName", "osaka_north")],
            StatusCode::CONFLICT,
            "iot.group.AlreadyExistedGroupName",
        )
        .await;
    server
        .refused(
            "BatchAddDeviceGroupRelations",
            &[("GroupId", "nope"), ("Device.1.ProductKey", "p"), ("Device.1.DeviceName", "dddd")],
            StatusCode::NOT_FOUND,
            "iot.group.NotExistedGroup",
        )
        .await;
}
