//! Calls that create, change and delete: packages, their files, modules.

use ota_model::PageRequest;
use ota_model::console_config::Environment;
use ota_model::enums::FileSuffix;
use ota_model::firmware::edit::{CreateOTAFirmware, DeleteOTAFirmware, ModifyOTAFirmware};
use ota_model::module::{CreateOTAModule, DeleteOTAModule, ListOTAModuleByProduct, OtaModule, UpdateOTAModule};
use ota_model::registry::{ProductInfo, QueryProductList};
use ota_model::upload::{GenerateOTAUploadURL, UploadGrant};

use super::{ApiError, call};

/// The instance's products, for choosing one (the first 200; more are named by key).
pub async fn products(env: &Environment) -> Result<Vec<ProductInfo>, ApiError> {
    let request = QueryProductList { page: PageRequest::new(1, QueryProductList::MAX_PAGE_SIZE) };
    Ok(call(env, &request).await?.data.list.items)
}

/// A product's modules, the default one first.
pub async fn modules(env: &Environment, product_key: &str) -> Result<Vec<OtaModule>, ApiError> {
    Ok(call(env, &ListOTAModuleByProduct { product_key: product_key.to_owned() }).await?.data)
}

pub async fn create_module(env: &Environment, request: &CreateOTAModule) -> Result<(), ApiError> {
    call(env, request).await.map(drop)
}

pub async fn update_module(env: &Environment, request: &UpdateOTAModule) -> Result<(), ApiError> {
    call(env, request).await.map(drop)
}

pub async fn delete_module(env: &Environment, product_key: &str, module_name: &str) -> Result<(), ApiError> {
    let request = DeleteOTAModule { product_key: product_key.to_owned(), module_name: module_name.to_owned() };
    call(env, &request).await.map(drop)
}

/// Where to upload one package file.
pub async fn upload_grant(env: &Environment, suffix: FileSuffix) -> Result<UploadGrant, ApiError> {
    Ok(call(env, &GenerateOTAUploadURL { file_suffix: Some(suffix) }).await?.data)
}

/// Creates the package; answers its ID.
pub async fn create_firmware(env: &Environment, request: &CreateOTAFirmware) -> Result<String, ApiError> {
    Ok(call(env, request).await?.data.firmware_id)
}

pub async fn modify_firmware(env: &Environment, request: &ModifyOTAFirmware) -> Result<(), ApiError> {
    call(env, request).await.map(drop)
}

pub async fn delete_firmware(env: &Environment, firmware_id: &str) -> Result<(), ApiError> {
    call(env, &DeleteOTAFirmware { firmware_id: firmware_id.to_owned() }).await.map(drop)
}
