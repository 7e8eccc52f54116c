//! Calls that create, change and delete: packages, their files, modules.

use ota_model::PageRequest;
use ota_model::console_config::Environment;
use ota_model::enums::FileSuffix;
use ota_model::extensions::{ListOTAVersionDistribution, VersionDistribution};
use ota_model::firmware::edit::{CreateOTAFirmware, DeleteOTAFirmware, ModifyOTAFirmware};
use ota_model::job::JobCreated;
use ota_model::job::form::NewBatch;
use ota_model::module::{CreateOTAModule, DeleteOTAModule, ListOTAModuleByProduct, OtaModule, UpdateOTAModule};
use ota_model::registry::{DeviceInfo, GroupInfo, QueryDevice, QueryDeviceGroupList};
use ota_model::registry::{ProductInfo, QueryProductList};
use ota_model::upload::{DeviceListGrant, GenerateDeviceNameListURL};
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

/// Creates the batch, or with `DryRun` says what it would do; answers the backend's `Data`.
pub async fn create_batch(env: &Environment, request: &NewBatch) -> Result<JobCreated, ApiError> {
    let answer = match request {
        NewBatch::Verify(job) => call(env, job).await?,
        NewBatch::Static(job) => call(env, job).await?,
        NewBatch::Dynamic(job) => call(env, job).await?,
    };
    Ok(answer.data)
}

/// Devices of a product to pick from: the first `most`, in the backend's order.
pub async fn devices(env: &Environment, product_key: &str, most: usize) -> Result<Vec<DeviceInfo>, ApiError> {
    let mut found = Vec::new();
    let mut page = 1;
    while found.len() < most {
        let request = QueryDevice {
            product_key: product_key.to_owned(),
            page: PageRequest::new(page, QueryDevice::MAX_PAGE_SIZE),
            version: None,
        };
        let answer = call(env, &request).await?;
        let done = answer.data.items.is_empty() || u64::from(page) >= answer.page_count;
        found.extend(answer.data.items);
        if done {
            break;
        }
        page += 1;
    }
    found.truncate(most);
    Ok(found)
}

/// The instance's device groups (the first 200).
pub async fn groups(env: &Environment) -> Result<Vec<GroupInfo>, ApiError> {
    let request =
        QueryDeviceGroupList { page: PageRequest::new(1, QueryDeviceGroupList::MAX_PAGE_SIZE), group_name: None };
    Ok(call(env, &request).await?.data.items)
}

/// The versions a product's devices report for a module, the `top` most common first and the
/// rest summed (extension).
pub async fn version_distribution(
    env: &Environment,
    product_key: &str,
    module: &str,
    top: u32,
) -> Result<VersionDistribution, ApiError> {
    let request =
        ListOTAVersionDistribution { product_key: product_key.to_owned(), module_name: module.to_owned(), top };
    Ok(call(env, &request).await?.data)
}

/// Where to upload a device list for a static batch.
pub async fn device_list_grant(env: &Environment) -> Result<DeviceListGrant, ApiError> {
    Ok(call(env, &GenerateDeviceNameListURL).await?.data)
}
