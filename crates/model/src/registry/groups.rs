//! Device groups: named sets of devices a static batch can target.

use serde::{Deserialize, Serialize};

use crate::operation::Operation;
use crate::paging::{Page, PageRequest};
use crate::params::{ParamError, Params};
use crate::rules;
use crate::time::UtcTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateDeviceGroup {
    pub group_name: String,
    pub group_desc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupInfo {
    pub group_id: String,
    pub group_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_desc: Option<String>,
    pub utc_create: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateDeviceGroupResponse {
    pub data: GroupInfo,
}

impl Operation for CreateDeviceGroup {
    const ACTION: &'static str = "CreateDeviceGroup";
    type Response = CreateDeviceGroupResponse;

    fn to_params(&self) -> Params {
        Params::new().with("GroupName", &self.group_name).with_opt("GroupDesc", self.group_desc.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            group_name: rules::GROUP_NAME.required(params, "GroupName")?.to_owned(),
            group_desc: rules::DESCRIPTION.optional(params, "GroupDesc")?.map(str::to_owned),
        })
    }
}

/// Lists the instance's device groups; `GroupName` filters by part of the name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryDeviceGroupList {
    pub page: PageRequest,
    pub group_name: Option<String>,
}

impl QueryDeviceGroupList {
    pub const MAX_PAGE_SIZE: u32 = 200;
}

list_wrapper!(
    /// `Data.GroupInfo[]`.
    GroupInfoList { "GroupInfo": GroupInfo }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryDeviceGroupListResponse {
    #[serde(flatten)]
    pub page: Page,
    pub data: GroupInfoList,
}

impl Operation for QueryDeviceGroupList {
    const ACTION: &'static str = "QueryDeviceGroupList";
    type Response = QueryDeviceGroupListResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(Params::new()).with_opt("GroupName", self.group_name.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            page: PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?,
            group_name: params.text("GroupName", 30)?.map(str::to_owned),
        })
    }
}

/// Adds devices (`Device.N.ProductKey`, `Device.N.DeviceName`) to a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchAddDeviceGroupRelations {
    pub group_id: String,
    /// (product key, device name)
    pub devices: Vec<(String, String)>,
}

impl BatchAddDeviceGroupRelations {
    pub const MAX_DEVICES: usize = 1000;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRelationsAdded {
    /// Devices that exist.
    pub valid_device_count: u64,
    /// Devices already in the group.
    pub already_related_group_device_count: u64,
    /// Devices that would be in more than ten groups (not added).
    pub exceed_ten_group_device_count: u64,
    pub success_added_device_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchAddDeviceGroupRelationsResponse {
    pub data: GroupRelationsAdded,
}

impl Operation for BatchAddDeviceGroupRelations {
    const ACTION: &'static str = "BatchAddDeviceGroupRelations";
    type Response = BatchAddDeviceGroupRelationsResponse;

    fn to_params(&self) -> Params {
        let records: Vec<[(&str, &str); 2]> =
            self.devices.iter().map(|(pk, dn)| [("ProductKey", pk.as_str()), ("DeviceName", dn.as_str())]).collect();
        Params::new().with("GroupId", &self.group_id).with_records("Device", records.iter().map(|r| &r[..]))
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let devices = params
            .records("Device", Self::MAX_DEVICES)?
            .iter()
            .map(|record| {
                let field =
                    |f: &str| record.get(f).ok_or_else(|| ParamError::missing(&format!("Device.{}.{f}", record.index)));
                Ok((field("ProductKey")?.to_owned(), field("DeviceName")?.to_owned()))
            })
            .collect::<Result<Vec<_>, ParamError>>()?;
        if devices.is_empty() {
            return Err(ParamError::missing("Device.1.DeviceName"));
        }
        Ok(Self { group_id: rules::ID.required(params, "GroupId")?.to_owned(), devices })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_relations_need_both_fields_of_every_device() {
        let request = BatchAddDeviceGroupRelations {
            group_id: "g1".into(),
            devices: vec![("pk".into(), "meter-0001".into()), ("pk".into(), "meter-0002".into())],
        };
        assert_eq!(BatchAddDeviceGroupRelations::from_params(&request.to_params()), Ok(request));
        let half: Params = [("GroupId", "g1"), ("Device.1.DeviceName", "meter-0001")].into_iter().collect();
        assert_eq!(BatchAddDeviceGroupRelations::from_params(&half).unwrap_err().code, "MissingDevice.1.ProductKey");
    }
}
