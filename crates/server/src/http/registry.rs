//! The device registry: products, devices, device groups.

use ota_model::Page;
use ota_model::codes;
use ota_model::registry::{
    BatchAddDeviceGroupRelations, BatchAddDeviceGroupRelationsResponse, CreateDeviceGroup, CreateDeviceGroupResponse,
    CreateProduct, CreateProductResponse, DeviceInfoList, GroupInfoList, ProductInfoList, ProductPage, QueryDevice,
    QueryDeviceDetail, QueryDeviceDetailResponse, QueryDeviceGroupList, QueryDeviceGroupListResponse,
    QueryDeviceResponse, QueryProductList, QueryProductListResponse, RegisterDevice, RegisterDeviceResponse,
};

use super::rpc::Actions;
use super::{ApiError, Ctx};
use crate::store::is_unique_violation;

pub fn register(actions: &mut Actions) {
    actions
        .add(create_product)
        .add(query_product_list)
        .add(register_device)
        .add(query_device)
        .add(query_device_detail)
        .add(create_device_group)
        .add(query_device_group_list)
        .add(batch_add_device_group_relations);
}

async fn create_product(ctx: Ctx, request: CreateProduct) -> Result<CreateProductResponse, ApiError> {
    let created = ctx
        .store
        .create_product(
            &ctx.instance,
            &request.product_name,
            request.node_type,
            request.description.as_deref(),
            ctx.now,
        )
        .await
        .map_err(|e| {
            taken(e, codes::PRODUCT_NAME_TAKEN, format!("A product named {} exists.", request.product_name))
        })?;
    Ok(CreateProductResponse { product_key: created.product_key.clone(), data: created })
}

async fn query_product_list(ctx: Ctx, request: QueryProductList) -> Result<QueryProductListResponse, ApiError> {
    let (total, items) = ctx.store.list_products(&ctx.instance, request.page).await?;
    Ok(QueryProductListResponse {
        data: ProductPage { page: Page::new(request.page, total), list: ProductInfoList { items } },
    })
}

async fn register_device(ctx: Ctx, request: RegisterDevice) -> Result<RegisterDeviceResponse, ApiError> {
    ctx.product(&request.product_key).await?;
    let data = ctx
        .store
        .register_device(&request.product_key, &request.device_name, request.nickname.as_deref(), ctx.now)
        .await
        .map_err(|e| {
            taken(e, codes::DEVICE_NAME_TAKEN, format!("The product has a device named {}.", request.device_name))
        })?;
    Ok(RegisterDeviceResponse { data })
}

async fn query_device(ctx: Ctx, request: QueryDevice) -> Result<QueryDeviceResponse, ApiError> {
    ctx.product(&request.product_key).await?;
    let (total, mut items) =
        ctx.store.list_devices(&request.product_key, request.version.as_ref(), request.page).await?;
    if !ctx.may_see_secrets() {
        items.iter_mut().for_each(|device| device.device_secret.clear());
    }
    let page = Page::new(request.page, total);
    Ok(QueryDeviceResponse {
        total,
        page_size: page.page_size,
        page_count: page.page_count,
        page: page.current_page,
        data: DeviceInfoList { items },
    })
}

async fn query_device_detail(ctx: Ctx, request: QueryDeviceDetail) -> Result<QueryDeviceDetailResponse, ApiError> {
    let device = ctx.device(&request.device).await?;
    let mut data = ctx.store.device_detail(&ctx.instance, &device.iot_id).await?;
    if !ctx.may_see_secrets() {
        data.iter_mut().for_each(|device| device.device_secret.clear());
    }
    data.map(|data| QueryDeviceDetailResponse { data })
        .ok_or_else(|| ApiError::Internal(format!("device {} vanished while read", device.iot_id)))
}

async fn create_device_group(ctx: Ctx, request: CreateDeviceGroup) -> Result<CreateDeviceGroupResponse, ApiError> {
    let data = ctx
        .store
        .create_group(&ctx.instance, &request.group_name, request.group_desc.as_deref(), ctx.now)
        .await
        .map_err(|e| taken(e, codes::GROUP_NAME_TAKEN, format!("A group named {} exists.", request.group_name)))?;
    Ok(CreateDeviceGroupResponse { data })
}

async fn query_device_group_list(
    ctx: Ctx,
    request: QueryDeviceGroupList,
) -> Result<QueryDeviceGroupListResponse, ApiError> {
    let (total, items) = ctx.store.list_groups(&ctx.instance, request.group_name.as_deref(), request.page).await?;
    Ok(QueryDeviceGroupListResponse { page: Page::new(request.page, total), data: GroupInfoList { items } })
}

async fn batch_add_device_group_relations(
    ctx: Ctx,
    request: BatchAddDeviceGroupRelations,
) -> Result<BatchAddDeviceGroupRelationsResponse, ApiError> {
    if !ctx.store.group_exists(&ctx.instance, &request.group_id).await? {
        return Err(ApiError::not_found(
            codes::GROUP_NOT_FOUND,
            format!("The group {} does not exist.", request.group_id),
        ));
    }
    let data = ctx.store.add_group_members(&ctx.instance, &request.group_id, &request.devices).await?;
    Ok(BatchAddDeviceGroupRelationsResponse { data })
}

/// A unique-constraint failure becomes a 409 with `code`; anything else stays internal.
pub fn taken(error: sqlx::Error, code: &'static str, message: String) -> ApiError {
    if is_unique_violation(&error) { ApiError::conflict(code, message) } else { error.into() }
}
