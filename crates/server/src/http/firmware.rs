//! Update packages: ListOTAFirmware, QueryOTAFirmware.

use ota_model::Page;
use ota_model::codes;
use ota_model::firmware::{
    ListOTAFirmware, ListOTAFirmwareResponse, QueryOTAFirmware, QueryOTAFirmwareResponse,
    SimpleFirmwareInfoList,
};

use super::rpc::Actions;
use super::{ApiError, AppState};

pub fn register(actions: &mut Actions) {
    actions.add(list_firmware).add(query_firmware);
}

async fn list_firmware(
    state: AppState,
    request: ListOTAFirmware,
) -> Result<ListOTAFirmwareResponse, ApiError> {
    let (total, items) = state.store.list_firmware(&request).await?;
    Ok(ListOTAFirmwareResponse {
        page: Page::new(request.page, total),
        firmware_info: SimpleFirmwareInfoList { items },
    })
}

async fn query_firmware(
    state: AppState,
    request: QueryOTAFirmware,
) -> Result<QueryOTAFirmwareResponse, ApiError> {
    match state.store.query_firmware(&request.firmware_id).await? {
        Some(firmware_info) => Ok(QueryOTAFirmwareResponse { firmware_info }),
        None => Err(ApiError::not_found(
            codes::FIRMWARE_NOT_FOUND,
            format!(
                "The specified firmware {} does not exist.",
                request.firmware_id
            ),
        )),
    }
}
