//! OTA modules (§3.7) and the module versions devices report (§3.8).

use serde::{Deserialize, Serialize};

use crate::envelope::Empty;
use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::registry::DeviceRef;
use crate::rules;
use crate::time::UtcTime;

/// The module every product has: the whole firmware. It cannot be created or deleted.
pub const DEFAULT_MODULE: &str = "default";
/// Custom modules a product may have besides the default one.
pub const MAX_CUSTOM_MODULES: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOTAModule {
    pub product_key: String,
    pub module_name: String,
    pub alias_name: Option<String>,
    pub desc: Option<String>,
}

impl Operation for CreateOTAModule {
    const ACTION: &'static str = "CreateOTAModule";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new()
            .with("ProductKey", &self.product_key)
            .with("ModuleName", &self.module_name)
            .with_opt("AliasName", self.alias_name.as_deref())
            .with_opt("Desc", self.desc.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            module_name: rules::MODULE_NAME.required(params, "ModuleName")?.to_owned(),
            alias_name: rules::MODULE_NAME.optional(params, "AliasName")?.map(str::to_owned),
            desc: rules::DESCRIPTION.optional(params, "Desc")?.map(str::to_owned),
        })
    }
}

/// Changes a module's alias and description (its name is fixed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOTAModule {
    pub product_key: String,
    pub module_name: String,
    pub alias_name: Option<String>,
    pub desc: Option<String>,
}

impl Operation for UpdateOTAModule {
    const ACTION: &'static str = "UpdateOTAModule";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new()
            .with("ProductKey", &self.product_key)
            .with("ModuleName", &self.module_name)
            .with_opt("AliasName", self.alias_name.as_deref())
            .with_opt("Desc", self.desc.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let create = CreateOTAModule::from_params(params)?;
        Ok(Self {
            product_key: create.product_key,
            module_name: create.module_name,
            alias_name: create.alias_name,
            desc: create.desc,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteOTAModule {
    pub product_key: String,
    pub module_name: String,
}

impl Operation for DeleteOTAModule {
    const ACTION: &'static str = "DeleteOTAModule";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new().with("ProductKey", &self.product_key).with("ModuleName", &self.module_name)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            module_name: rules::MODULE_NAME.required(params, "ModuleName")?.to_owned(),
        })
    }
}

/// A product's modules, the default one first. Not paged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAModuleByProduct {
    pub product_key: String,
}

/// One module. Its times are `GmtCreate`/`GmtModified` ISO strings, as the API names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OtaModule {
    pub product_key: String,
    pub module_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    pub gmt_create: UtcTime,
    pub gmt_modified: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAModuleByProductResponse {
    pub data: Vec<OtaModule>,
}

impl Operation for ListOTAModuleByProduct {
    const ACTION: &'static str = "ListOTAModuleByProduct";
    type Response = ListOTAModuleByProductResponse;

    fn to_params(&self) -> Params {
        Params::new().with("ProductKey", &self.product_key)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { product_key: rules::ID.required(params, "ProductKey")?.to_owned() })
    }
}

/// The versions a device has reported, one per module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTAModuleVersionsByDevice {
    pub device: DeviceRef,
    pub page: PageRequest,
}

impl ListOTAModuleVersionsByDevice {
    pub const MAX_PAGE_SIZE: u32 = 200;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimpleOTAModuleInfo {
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
    pub module_name: String,
    pub module_version: String,
}

list_wrapper!(
    /// `Data.SimpleOTAModuleInfo[]`.
    SimpleOTAModuleInfoList { "SimpleOTAModuleInfo": SimpleOTAModuleInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOTAModuleVersionsByDeviceResponse {
    #[serde(flatten)]
    pub page: Page,
    pub data: SimpleOTAModuleInfoList,
}

impl Operation for ListOTAModuleVersionsByDevice {
    const ACTION: &'static str = "ListOTAModuleVersionsByDevice";
    type Response = ListOTAModuleVersionsByDeviceResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(self.device.to_params(Params::new()))
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            device: DeviceRef::from_params(params)?,
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_are_plain() {
        let bad: Params = [("ProductKey", "pk"), ("ModuleName", "mcu module")].into_iter().collect();
        assert_eq!(CreateOTAModule::from_params(&bad).unwrap_err().code, "InvalidParameter");
        let request = CreateOTAModule {
            product_key: "pk".into(),
            module_name: "MCU".into(),
            alias_name: Some("main-mcu".into()),
            desc: Some("Main controller".into()),
        };
        assert_eq!(CreateOTAModule::from_params(&request.to_params()), Ok(request));
    }
}
