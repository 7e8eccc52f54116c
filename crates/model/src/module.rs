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

/// A module as typed in a form: its name (fixed once created), alias and description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleForm {
    pub module_name: String,
    pub alias_name: String,
    pub desc: String,
}

impl ModuleForm {
    /// The form as `module` is now.
    pub fn of(module: &OtaModule) -> Self {
        Self {
            module_name: module.module_name.clone(),
            alias_name: module.alias_name.clone().unwrap_or_default(),
            desc: module.desc.clone().unwrap_or_default(),
        }
    }

    /// A new module of `product_key`, or every rule the form breaks.
    pub fn create(&self, product_key: &str) -> Result<CreateOTAModule, Vec<ParamError>> {
        let params = self.params(product_key);
        let mut problems: Vec<ParamError> = [
            rules::MODULE_NAME.required(&params, "ModuleName").map(drop),
            rules::MODULE_NAME.optional(&params, "AliasName").map(drop),
            rules::DESCRIPTION.optional(&params, "Desc").map(drop),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect();
        if self.module_name.trim() == DEFAULT_MODULE {
            problems.insert(0, ParamError::invalid("ModuleName", "every product has the default module already"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        CreateOTAModule::from_params(&params).map_err(|problem| vec![problem])
    }

    /// The change of the module's alias and description, or every rule the form breaks.
    pub fn update(&self, product_key: &str) -> Result<UpdateOTAModule, Vec<ParamError>> {
        let params = self.params(product_key);
        let problems: Vec<ParamError> = [
            rules::MODULE_NAME.optional(&params, "AliasName").map(drop),
            rules::DESCRIPTION.optional(&params, "Desc").map(drop),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        UpdateOTAModule::from_params(&params).map_err(|problem| vec![problem])
    }

    fn params(&self, product_key: &str) -> Params {
        Params::new()
            .with("ProductKey", product_key)
            .with("ModuleName", self.module_name.trim())
            .with("AliasName", self.alias_name.trim())
            .with("Desc", self.desc.trim())
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

    #[test]
    fn a_module_form_names_every_broken_rule() {
        let form = ModuleForm { module_name: "mcu module".into(), alias_name: "x".repeat(65), desc: "d".repeat(101) };
        let params: Vec<_> = form.create("pk").unwrap_err().into_iter().filter_map(|p| p.param).collect();
        assert_eq!(params, ["ModuleName", "AliasName", "Desc"]);
        let update: Vec<_> = form.update("pk").unwrap_err().into_iter().filter_map(|p| p.param).collect();
        assert_eq!(update, ["AliasName", "Desc"]);
    }

    #[test]
    fn a_module_form_creates_and_updates_with_blank_fields_left_out() {
        let form =
            ModuleForm { module_name: " mcu ".into(), alias_name: "Main MCU".replace(' ', "_"), desc: String::new() };
        let create = form.create("pk").unwrap();
        assert_eq!(
            (create.module_name.as_str(), create.alias_name.as_deref(), create.desc),
            ("mcu", Some("Main_MCU"), None)
        );
        assert_eq!(form.update("pk").unwrap().module_name, "mcu");
    }

    #[test]
    fn the_default_module_cannot_be_created_again() {
        let form = ModuleForm { module_name: DEFAULT_MODULE.into(), ..ModuleForm::default() };
        assert_eq!(form.create("pk").unwrap_err()[0].param.as_deref(), Some("ModuleName"));
    }
}
