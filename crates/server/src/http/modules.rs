//! OTA modules of a product, and the module versions a device reports.

use ota_model::codes;
use ota_model::module::{
    CreateOTAModule, DeleteOTAModule, ListOTAModuleByProduct, ListOTAModuleByProductResponse,
    ListOTAModuleVersionsByDevice, ListOTAModuleVersionsByDeviceResponse, MAX_CUSTOM_MODULES, SimpleOTAModuleInfoList,
    UpdateOTAModule,
};
use ota_model::{Empty, Page, UtcTime};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::store::ModuleChange;

pub fn register(actions: &mut Actions) {
    actions.add(create_module).add(update_module).add(delete_module).add(list_modules).add(list_module_versions);
}

async fn create_module(ctx: Ctx, request: CreateOTAModule) -> Result<Empty, ApiError> {
    ctx.product(&request.product_key).await?;
    let change = ctx
        .store
        .create_module(
            &request.product_key,
            &request.module_name,
            request.alias_name.as_deref(),
            request.desc.as_deref(),
            ctx.now,
        )
        .await?;
    outcome(change, &request.module_name)
}

async fn update_module(ctx: Ctx, request: UpdateOTAModule) -> Result<Empty, ApiError> {
    ctx.product(&request.product_key).await?;
    let change = ctx
        .store
        .update_module(
            &request.product_key,
            &request.module_name,
            request.alias_name.as_deref(),
            request.desc.as_deref(),
            ctx.now,
        )
        .await?;
    outcome(change, &request.module_name)
}

async fn delete_module(ctx: Ctx, request: DeleteOTAModule) -> Result<Empty, ApiError> {
    ctx.product(&request.product_key).await?;
    let change = ctx.store.delete_module(&request.product_key, &request.module_name).await?;
    outcome(change, &request.module_name)
}

fn outcome(change: ModuleChange, name: &str) -> Result<Empty, ApiError> {
    match change {
        ModuleChange::Done => Ok(Empty {}),
        ModuleChange::NotFound => {
            Err(ApiError::not_found(codes::MODULE_NOT_FOUND, format!("The module {name} does not exist.")))
        }
        ModuleChange::NameTaken => Err(ApiError::conflict(
            codes::MODULE_NAME_TAKEN,
            format!("The product has a module named {name} (ignoring case)."),
        )),
        ModuleChange::LimitReached => Err(ApiError::conflict(
            codes::MODULE_LIMIT_REACHED,
            format!("The product has {MAX_CUSTOM_MODULES} custom modules, the most it may have."),
        )),
        ModuleChange::InUse => Err(ApiError::conflict(
            codes::MODULE_IN_USE,
            format!("The module {name} cannot be deleted: it is the default module, or packages use it."),
        )),
    }
}

async fn list_modules(ctx: Ctx, request: ListOTAModuleByProduct) -> Result<ListOTAModuleByProductResponse, ApiError> {
    let product = ctx.product(&request.product_key).await?;
    let created = UtcTime::from_millis(product.utc_create).unwrap_or(ctx.now);
    Ok(ListOTAModuleByProductResponse { data: ctx.store.list_modules(&request.product_key, created).await? })
}

async fn list_module_versions(
    ctx: Ctx,
    request: ListOTAModuleVersionsByDevice,
) -> Result<ListOTAModuleVersionsByDeviceResponse, ApiError> {
    let device = ctx.device(&request.device).await?;
    let (total, items) = ctx.store.module_versions(&device, request.page).await?;
    Ok(ListOTAModuleVersionsByDeviceResponse {
        page: Page::new(request.page, total),
        data: SimpleOTAModuleInfoList { items },
    })
}
