//! Extension `PackageTasks`: a package's tasks across all its batches (the package page's
//! device list). Alibaba lists tasks only batch by batch.

use crate::enums::TaskStatus;
use crate::operation::Operation;
use crate::paging::PageRequest;
use crate::params::{ParamError, Params};
use crate::rules;

use super::{ListOTATaskByJobResponse, ReasonFilter, check_depth, reason_filter};

/// Tasks of every batch of a package: the newest batch first, each batch's in creation
/// order; optionally of one state or one device (its exact name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOTATaskByFirmware {
    pub firmware_id: String,
    pub task_status: Option<TaskStatus>,
    pub device_name: Option<String>,
    /// Extension `ReasonCodeFilter`.
    pub reason_code: Option<ReasonFilter>,
    pub page: PageRequest,
}

impl ListOTATaskByFirmware {
    pub const MAX_PAGE_SIZE: u32 = 100;
}

impl Operation for ListOTATaskByFirmware {
    const ACTION: &'static str = "ListOTATaskByFirmware";
    type Response = ListOTATaskByJobResponse;

    fn to_params(&self) -> Params {
        self.page.to_params(
            Params::new()
                .with("FirmwareId", &self.firmware_id)
                .with_opt("TaskStatus", self.task_status)
                .with_opt("DeviceName", self.device_name.as_ref())
                .with_opt("ReasonCode", self.reason_code),
        )
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let page = PageRequest::from_params(params, Self::MAX_PAGE_SIZE)?;
        check_depth(page)?;
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            task_status: params.parse("TaskStatus")?,
            device_name: rules::DEVICE_NAME.optional(params, "DeviceName")?.map(str::to_owned),
            reason_code: reason_filter(params)?,
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ListOTATaskByFirmware, ParamError> {
        ListOTATaskByFirmware::from_params(&pairs.iter().copied().collect())
    }

    #[test]
    fn a_package_and_nothing_else_lists_all_its_tasks_from_the_first_page() {
        let request = parse(&[("FirmwareId", "fw1")]).unwrap();
        assert_eq!((request.task_status, request.device_name), (None, None));
        assert_eq!(request.page, PageRequest::new(1, 10));
    }

    #[test]
    fn state_device_and_page_round_trip_through_parameters() {
        let request = ListOTATaskByFirmware {
            firmware_id: "fw1".into(),
            task_status: Some(TaskStatus::Failed),
            device_name: Some("meter-0001".into()),
            reason_code: Some(ReasonFilter::Code(crate::task::TaskReason::Timeout)),
            page: PageRequest::new(3, 50),
        };
        assert_eq!(ListOTATaskByFirmware::from_params(&request.to_params()), Ok(request));
    }

    #[test]
    fn listing_needs_a_package_and_stays_within_the_depth_limit() {
        assert!(parse(&[]).is_err());
        assert!(parse(&[("FirmwareId", "fw1"), ("DeviceName", "ab")]).is_err());
        assert!(parse(&[("FirmwareId", "fw1"), ("PageSize", "100"), ("CurrentPage", "1001")]).is_err());
        assert!(parse(&[("FirmwareId", "fw1"), ("PageSize", "100"), ("CurrentPage", "1000")]).is_ok());
    }
}
