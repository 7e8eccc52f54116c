//! The device registry, as far as batches need it: products, devices, device groups.
//! Alibaba's names and shapes (these are IoT Platform operations, not OTA ones).

mod groups;

use serde::{Deserialize, Serialize};

pub use self::groups::*;

use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::rules;
use crate::time::UtcTime;

wire_str_enum! {
    /// A device's connection state.
    pub enum DeviceStatus {
        Online = "ONLINE",
        Offline = "OFFLINE",
        /// Registered, never connected.
        Unactive = "UNACTIVE",
        Disable = "DISABLE",
    }
}

// ---- products ------------------------------------------------------------------------------

/// Creates a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateProduct {
    pub product_name: String,
    /// 0 a directly connected device, 1 a gateway.
    pub node_type: u8,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductCreated {
    pub product_key: String,
    pub product_name: String,
    pub node_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateProductResponse {
    pub product_key: String,
    pub data: ProductCreated,
}

impl Operation for CreateProduct {
    const ACTION: &'static str = "CreateProduct";
    type Response = CreateProductResponse;

    fn to_params(&self) -> Params {
        Params::new()
            .with("ProductName", &self.product_name)
            .with("NodeType", self.node_type)
            .with_opt("Description", self.description.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            product_name: rules::PRODUCT_NAME.required(params, "ProductName")?.to_owned(),
            node_type: params.integer_in("NodeType", 0..=1)?.unwrap_or(0) as u8,
            description: rules::DESCRIPTION.optional(params, "Description")?.map(str::to_owned),
        })
    }
}

/// Lists the instance's products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryProductList {
    pub page: PageRequest,
}

impl QueryProductList {
    pub const MAX_PAGE_SIZE: u32 = 200;
}

/// One product in a list. `GmtCreate` is epoch milliseconds, as Alibaba sends it here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductInfo {
    pub product_key: String,
    pub product_name: String,
    pub node_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub device_count: u64,
    pub gmt_create: i64,
}

list_wrapper!(
    /// `List.ProductInfo[]`.
    ProductInfoList { "ProductInfo": ProductInfo }
);

/// The paged product list; here the paging fields sit inside `Data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductPage {
    #[serde(flatten)]
    pub page: Page,
    pub list: ProductInfoList,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryProductListResponse {
    pub data: ProductPage,
}

impl Operation for QueryProductList {
    const ACTION: &'static str = "QueryProductList";
    type Response = QueryProductListResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(Params::new())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)? })
    }
}

// ---- devices -------------------------------------------------------------------------------

/// A device, named by its `IotId` or by `ProductKey` and `DeviceName`; `IotId` wins when both
/// are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceRef {
    IotId(String),
    Name { product_key: String, device_name: String },
}

impl DeviceRef {
    pub fn from_params(params: &Params) -> Result<Self, ParamError> {
        if let Some(iot_id) = rules::ID.optional(params, "IotId")? {
            return Ok(Self::IotId(iot_id.to_owned()));
        }
        match (params.get("ProductKey"), params.get("DeviceName")) {
            (None, None) => Err(ParamError::missing("IotId")),
            (Some(_), None) => Err(ParamError::missing("DeviceName")),
            (None, Some(_)) => Err(ParamError::missing("ProductKey")),
            (Some(_), Some(_)) => Ok(Self::Name {
                product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
                device_name: rules::DEVICE_NAME.required(params, "DeviceName")?.to_owned(),
            }),
        }
    }

    pub fn to_params(&self, params: Params) -> Params {
        match self {
            Self::IotId(iot_id) => params.with("IotId", iot_id),
            Self::Name { product_key, device_name } => {
                params.with("ProductKey", product_key).with("DeviceName", device_name)
            }
        }
    }
}

/// Registers a device; the answer carries its secret, shown only here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterDevice {
    pub product_key: String,
    pub device_name: String,
    pub nickname: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRegistered {
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
    pub device_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterDeviceResponse {
    pub data: DeviceRegistered,
}

impl Operation for RegisterDevice {
    const ACTION: &'static str = "RegisterDevice";
    type Response = RegisterDeviceResponse;

    fn to_params(&self) -> Params {
        Params::new()
            .with("ProductKey", &self.product_key)
            .with("DeviceName", &self.device_name)
            .with_opt("Nickname", self.nickname.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            device_name: rules::DEVICE_NAME.required(params, "DeviceName")?.to_owned(),
            nickname: rules::DESCRIPTION.optional(params, "Nickname")?.map(str::to_owned),
        })
    }
}

/// Lists a product's devices. Paging fields are `Page`, not `CurrentPage`, in the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDevice {
    pub product_key: String,
    pub page: PageRequest,
    /// Extension `DeviceVersionFilter`: only devices that last reported this version of a module.
    pub version: Option<ModuleVersionFilter>,
}

/// `ModuleName` (default `default`) and `ModuleVersion` on QueryDevice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleVersionFilter {
    pub module_name: String,
    pub version: String,
}

impl QueryDevice {
    pub const MAX_PAGE_SIZE: u32 = 50;
}

/// One device in a list. `FirmwareVersion` is an extension (the default module's version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceInfo {
    pub iot_id: String,
    pub device_id: String,
    pub device_name: String,
    pub product_key: String,
    pub device_secret: String,
    pub device_status: DeviceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    pub utc_create: UtcTime,
    pub utc_modified: UtcTime,
}

list_wrapper!(
    /// `Data.DeviceInfo[]`.
    DeviceInfoList { "DeviceInfo": DeviceInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryDeviceResponse {
    pub total: u64,
    pub page_size: u32,
    pub page_count: u64,
    pub page: u32,
    pub data: DeviceInfoList,
}

impl Operation for QueryDevice {
    const ACTION: &'static str = "QueryDevice";
    type Response = QueryDeviceResponse;

    fn to_params(&self) -> Params {
        let params = Params::new().with("ProductKey", &self.product_key);
        let params = match &self.version {
            Some(filter) => params.with("ModuleName", &filter.module_name).with("ModuleVersion", &filter.version),
            None => params,
        };
        self.page.to_params(params)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let module = rules::MODULE_NAME.optional(params, "ModuleName")?;
        let version = match rules::VERSION.optional(params, "ModuleVersion")? {
            Some(version) => Some(ModuleVersionFilter {
                module_name: module.unwrap_or(crate::module::DEFAULT_MODULE).to_owned(),
                version: version.to_owned(),
            }),
            // A module without a version would filter nothing: every device, not what was asked.
            None if module.is_some() => return Err(ParamError::missing("ModuleVersion")),
            None => None,
        };
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
            version,
        })
    }
}

/// One device in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDeviceDetail {
    pub device: DeviceRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceDetail {
    pub iot_id: String,
    pub product_key: String,
    pub product_name: String,
    pub device_name: String,
    pub device_secret: String,
    /// The version last reported for the default module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    pub status: DeviceStatus,
    pub node_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    pub utc_create: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_active: Option<UtcTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_online: Option<UtcTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryDeviceDetailResponse {
    pub data: DeviceDetail,
}

impl Operation for QueryDeviceDetail {
    const ACTION: &'static str = "QueryDeviceDetail";
    type Response = QueryDeviceDetailResponse;

    fn to_params(&self) -> Params {
        self.device.to_params(Params::new())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { device: DeviceRef::from_params(params)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_iot_id_or_by_product_and_name() {
        let by_id: Params = [("IotId", "Q4h1xFSQbsRLQ0Ylm9yB00"), ("DeviceName", "ignored")].into_iter().collect();
        assert_eq!(DeviceRef::from_params(&by_id), Ok(DeviceRef::IotId("Q4h1xFSQbsRLQ0Ylm9yB00".into())));
        let half: Params = [("ProductKey", "a1SMtr200Qx")].into_iter().collect();
        assert_eq!(DeviceRef::from_params(&half).unwrap_err().code, "MissingDeviceName");
        assert_eq!(DeviceRef::from_params(&Params::new()).unwrap_err().code, "MissingIotId");
    }

    #[test]
    fn devices_are_filtered_by_a_module_version_never_by_a_module_alone() {
        let query = |extra: &[(&'static str, &'static str)]| {
            let params: Params = [("ProductKey", "a1SMtr200Qx")].iter().chain(extra).copied().collect();
            QueryDevice::from_params(&params)
        };
        let alone = query(&[("ModuleName", "zigbee")]).unwrap_err();
        assert_eq!((alone.code.as_str(), alone.param.as_deref()), ("MissingModuleVersion", Some("ModuleVersion")));
        let default = ModuleVersionFilter { module_name: "default".into(), version: "3.1.0".into() };
        assert_eq!(query(&[("ModuleVersion", "3.1.0")]).unwrap().version, Some(default));
        let zigbee = query(&[("ModuleName", "zigbee"), ("ModuleVersion", "1.3.9")]).unwrap().version.unwrap();
        assert_eq!((zigbee.module_name.as_str(), zigbee.version.as_str()), ("zigbee", "1.3.9"));
        assert_eq!(query(&[]).unwrap().version, None);
    }
}
