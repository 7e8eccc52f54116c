//! A batch as its row is stored, and how it is read back into what the API answers.

use ota_model::enums::DynamicMode;
use ota_model::job::safety::SafetyInfo;
use ota_model::job::{OTAJobInfo, OtaTag, SimpleOTAJobInfo, SrcVersions, Tags};
use sqlx::FromRow;

use super::RateColumns;
use crate::store::{corrupt, time};

#[derive(FromRow)]
pub(super) struct JobRow {
    pub(super) job_id: String,
    firmware_id: String,
    product_key: String,
    firmware_name: String,
    dest_version: String,
    job_type: String,
    selection_type: String,
    target_selection: String,
    job_status: String,
    job_desc: Option<String>,
    gray_percent: Option<String>,
    group_id: Option<String>,
    group_name: Option<String>,
    dynamic_mode: Option<i64>,
    schedule_time: Option<i64>,
    schedule_finish_time: Option<i64>,
    retry_interval: Option<i64>,
    retry_count: Option<i64>,
    timeout_in_minutes: Option<i64>,
    maximum_per_minute: i64,
    #[sqlx(flatten)]
    rate: RateColumns,
    overwrite_mode: i64,
    need_push: bool,
    need_confirm: bool,
    download_protocol: String,
    multi_module_mode: bool,
    utc_create: i64,
    utc_modified: i64,
    utc_start: Option<i64>,
    utc_end: Option<i64>,
}

pub(super) const SELECT_JOB_COLUMNS: &str = "
    SELECT j.job_id, j.firmware_id, j.product_key,
           (SELECT firmware_name FROM firmware f WHERE f.firmware_id = j.firmware_id) AS firmware_name,
           (SELECT dest_version FROM firmware f WHERE f.firmware_id = j.firmware_id) AS dest_version,
           j.job_type, j.selection_type, j.target_selection, j.job_status, j.job_desc, j.gray_percent,
           j.group_id, (SELECT group_name FROM device_groups g WHERE g.group_id = j.group_id) AS group_name,
           j.dynamic_mode, j.schedule_time, j.schedule_finish_time, j.retry_interval, j.retry_count,
           j.timeout_in_minutes, j.maximum_per_minute, j.rate_start_per_minute, j.rate_growth_factor,
           j.rate_growth_every, j.rate_growth_on, j.overwrite_mode, j.need_push, j.need_confirm,
           j.download_protocol, j.multi_module_mode, j.utc_create, j.utc_modified, j.utc_start, j.utc_end";

impl JobRow {
    pub(super) fn into_info(self, tags: Vec<OtaTag>, versions: Vec<String>) -> Result<OTAJobInfo, sqlx::Error> {
        let parse = |column: &str, value: &str| corrupt(column, value);
        let opt_time = |column: &str, value: Option<i64>| value.map(|t| time(column, t)).transpose();
        let code = |column: &'static str, value: Option<i64>| value.ok_or_else(|| corrupt(column, "NULL"));
        let summary = SimpleOTAJobInfo {
            job_status: self.job_status.parse().map_err(|_| parse("job_status", &self.job_status))?,
            job_type: self.job_type.parse().map_err(|_| parse("job_type", &self.job_type))?,
            selection_type: self.selection_type.parse().map_err(|_| parse("selection_type", &self.selection_type))?,
            target_selection: Some(
                self.target_selection.parse().map_err(|_| parse("target_selection", &self.target_selection))?,
            ),
            tags: (!tags.is_empty()).then_some(Tags { items: tags }),
            utc_create: time("utc_create", self.utc_create)?,
            utc_modified: time("utc_modified", self.utc_modified)?,
            utc_start_time: opt_time("utc_start", self.utc_start)?,
            utc_end_time: opt_time("utc_end", self.utc_end)?,
            job_id: self.job_id,
            firmware_id: self.firmware_id,
            product_key: self.product_key,
        };
        let retry_interval = self.retry_interval.map(|c| code("retry_interval", Some(c))).transpose()?;
        let rate = self.rate.push_rate()?.to_params();
        Ok(OTAJobInfo {
            summary,
            name: Some(self.firmware_name),
            dest_version: Some(self.dest_version),
            job_desc: self.job_desc,
            gray_percent: self.gray_percent,
            group_id: self.group_id,
            group_name: self.group_name,
            src_versions: (!versions.is_empty()).then_some(SrcVersions { items: versions }),
            dynamic_mode: self.dynamic_mode.and_then(DynamicMode::from_code),
            maximum_per_minute: u32::try_from(self.maximum_per_minute).ok(),
            rate_type: rate.rate_type,
            start_per_minute: rate.start_per_minute,
            growth_factor: rate.factor.map(|f| f.to_string()),
            growth_every: rate.every,
            growth_on: rate.on,
            retry_interval: retry_interval.and_then(ota_model::RetryInterval::from_code),
            retry_count: self.retry_count.and_then(ota_model::RetryCount::from_code),
            timeout_in_minutes: self.timeout_in_minutes.and_then(|t| u32::try_from(t).ok()),
            overwrite_mode: ota_model::OverwriteMode::from_code(self.overwrite_mode),
            need_push: Some(self.need_push),
            need_confirm: Some(self.need_confirm),
            download_protocol: self.download_protocol.parse().ok(),
            multi_module_mode: Some(self.multi_module_mode),
            utc_schedule_time: opt_time("schedule_time", self.schedule_time)?,
            utc_schedule_finish_time: opt_time("schedule_finish_time", self.schedule_finish_time)?,
            safety: SafetyInfo::default(),
        })
    }
}
