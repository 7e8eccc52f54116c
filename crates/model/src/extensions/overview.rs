//! Extension `Overview`: an environment's headline numbers, for the console's environments
//! page. Alibaba has no call that counts batches in progress.

use serde::{Deserialize, Serialize};

/// The instance's packages, batches that are scheduled or running, and their unfinished tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryOTAOverview;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Overview {
    /// Update packages in the instance.
    pub firmware_count: u64,
    /// Batches whose scheduled start has not come.
    pub jobs_planned: u64,
    pub jobs_in_progress: u64,
    /// Tasks of those batches not yet ended (`CONFIRM`, `QUEUED`, `NOTIFIED`, `IN_PROGRESS`).
    pub unfinished_tasks: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOTAOverviewResponse {
    pub data: Overview,
}

parameterless_operation!(QueryOTAOverview, "QueryOTAOverview", QueryOTAOverviewResponse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_reads_with_the_apis_field_names() {
        let json = r#"{"Data":{"FirmwareCount":9,"JobsPlanned":1,"JobsInProgress":4,"UnfinishedTasks":120}}"#;
        let answer: QueryOTAOverviewResponse = serde_json::from_str(json).unwrap();
        assert_eq!(
            answer.data,
            Overview { firmware_count: 9, jobs_planned: 1, jobs_in_progress: 4, unfinished_tasks: 120 }
        );
    }
}
