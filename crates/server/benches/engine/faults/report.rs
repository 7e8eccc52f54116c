//! What a campaign saw, as Markdown: every task of the batch listed and counted, the
//! counters compared with them, and the journal of faults.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use ota_server::sim::api::Api;

use super::super::fleet::ok;
use super::{Campaign, DEVICES, STATES};

impl Campaign {
    pub(super) async fn report(mut self, name: &str, product: &str, completed: Option<Duration>) -> String {
        let job = self.job.clone();
        let job = job.as_str();
        let tasks = every_task(&self.api, job).await;
        let distinct = tasks.keys().count();
        let listed: usize = tasks.values().map(Vec::len).sum();
        let lost = DEVICES.saturating_sub(distinct);
        let duplicated = listed - distinct;
        let mut states: BTreeMap<String, u64> = BTreeMap::new();
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        for (status, reason) in tasks.values().flatten() {
            *states.entry(status.clone()).or_default() += 1;
            if let Some(reason) = reason {
                *reasons.entry(reason.clone()).or_default() += 1;
            }
        }
        let stats = ok(&self.api, "QueryOTATaskStatistics", &[("JobId", job)]).await;
        let counters_agree = STATES.iter().all(|name| {
            let status = api_status(name);
            stats["Data"][name].as_u64().unwrap_or(0) == states.get(status).copied().unwrap_or(0)
        });
        let batch = ok(&self.api, "QueryOTAJob", &[("JobId", job)]).await;
        let spread = ok(&self.api, "ListOTAVersionDistribution", &[("ProductKey", product)]).await;
        let on_new = spread["Data"]["Versions"]["VersionCount"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|v| v["Version"] == "2.0.0")
            .and_then(|v| v["DeviceCount"].as_u64())
            .unwrap_or(0);
        // The last check: after the rollout, with nothing moving.
        self.server.child.kill().expect("SIGKILL");
        let _ = self.server.child.wait();
        let last_check = self.check().await;
        self.journal.push(format!("after the rollout: SIGKILL; database check: {last_check}"));
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let panics = log.matches("panicked at").count();
        let verdict = |met: bool| if met { "met" } else { "**missed**" };
        let shown =
            |map: &BTreeMap<String, u64>| map.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        let findings = if self.findings.is_empty() {
            String::new()
        } else {
            format!("\nFindings:\n\n{}\n", self.findings.iter().map(|f| format!("- `{f}`\n")).collect::<String>())
        };
        format!(
            "#### {name}\n\n\
             | measure | target | result | |\n|---|---|---|---|\n\
             | tasks lost (devices without a task) | 0 | {lost} | {} |\n\
             | tasks duplicated (a second task for a device) | 0 | {duplicated} | {} |\n\
             | database checks with every counter equal to what it counts | {checks} of {checks} | {} of {checks} | {} |\n\
             | counters (QueryOTATaskStatistics) equal to the listed tasks' states at the end | yes | {} | {} |\n\
             | rollout completed (no unfinished task) | yes | {} | {} |\n\
             | batch status | COMPLETED | {} | |\n\
             | tasks by state | | {} | |\n\
             | reasons | | {} | |\n\
             | devices on 2.0.0 | | {on_new} of {DEVICES} | |\n\
             | panics in the server's log | 0 | {panics} | {} |\n\n\
             What happened:\n\n{}{findings}",
            verdict(lost == 0),
            verdict(duplicated == 0),
            self.checks - usize::from(!self.findings.is_empty()).min(self.checks),
            verdict(self.findings.is_empty()),
            if counters_agree { "yes" } else { "no" },
            verdict(counters_agree),
            completed
                .map_or("no, not within 10 minutes".to_owned(), |took| format!("after {}", super::super::secs(took))),
            verdict(completed.is_some()),
            batch["Data"]["JobStatus"].as_str().unwrap_or("?"),
            shown(&states),
            if reasons.is_empty() { "none".to_owned() } else { shown(&reasons) },
            verdict(panics == 0),
            self.journal.iter().map(|line| format!("- {line}\n")).collect::<String>(),
            checks = self.checks,
        )
    }
}

/// The name QueryOTATaskStatistics gives a state, as ListOTATaskByJob spells it.
fn api_status(name: &str) -> &'static str {
    match name {
        "Confirm" => "CONFIRM",
        "Queued" => "QUEUED",
        "Notified" => "NOTIFIED",
        "InProgress" => "IN_PROGRESS",
        "Succeeded" => "SUCCEEDED",
        "Failed" => "FAILED",
        _ => "CANCELED",
    }
}

/// Every task of the batch, by device: its state and reason.
async fn every_task(api: &Api, job: &str) -> HashMap<String, Vec<(String, Option<String>)>> {
    let mut tasks: HashMap<String, Vec<(String, Option<String>)>> = HashMap::new();
    for page in 1.. {
        let page = page.to_string();
        let list = ok(api, "ListOTATaskByJob", &[("JobId", job), ("PageSize", "100"), ("CurrentPage", &page)]).await;
        let rows = list["Data"]["SimpleOTATaskInfo"].as_array().cloned().unwrap_or_default();
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let field = |name: &str| row[name].as_str().map(str::to_owned);
            let name = field("DeviceName").unwrap_or_default();
            tasks.entry(name).or_default().push((field("TaskStatus").unwrap_or_default(), field("ReasonCode")));
        }
    }
    tasks
}
