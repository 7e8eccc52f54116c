//! The batch information tab: every field QueryOTAJob answers, in words rather than codes,
//! with Edit beside the tag information while the batch runs.

use leptos::prelude::*;
use ota_model::UtcTime;
use ota_model::enums::{DynamicMode, SelectionType, TargetSelection};
use ota_model::job::OTAJobInfo;
use ota_model::job::rate::{GrowthOn, RateType};

use super::dialogs::{BatchDialogs, BatchTarget, EditButton, EditPart, Trigger};
use crate::components::{job_type_label, selection_label};
use crate::format;
use crate::i18n::{I18n, Msg, use_i18n};

#[component]
pub fn BatchInformation(job: OTAJobInfo, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    let tags_target = job.summary.job_status.is_running().then(|| BatchTarget::of(&job.summary));
    let rows = move || {
        let job = &job;
        let summary = &job.summary;
        let not_set = || i18n.t(Msg::NotSet).to_owned();
        let text = |value: &Option<String>| value.clone().filter(|v| !v.is_empty()).unwrap_or_else(not_set);
        let yes_no = |value: Option<bool>| i18n.t(if value.unwrap_or(false) { Msg::Yes } else { Msg::No }).to_owned();
        let time = |at: Option<UtcTime>| at.map_or_else(not_set, format::local_time_precise);
        let mut rows = vec![
            (Msg::BatchId, summary.job_id.clone()),
            (Msg::UpdatePackage, format!("{} ({})", text(&job.name), summary.firmware_id)),
            (Msg::ColumnProduct, summary.product_key.clone()),
            (
                Msg::ColumnType,
                format!(
                    "{} · {}",
                    i18n.t(job_type_label(summary.job_type)),
                    i18n.t(selection_label(summary.selection_type))
                ),
            ),
            (Msg::Target, target(i18n, job)),
            (Msg::SourceVersions, source_versions(i18n, job)),
            (Msg::DestinationVersion, text(&job.dest_version)),
        ];
        if summary.selection_type == SelectionType::Dynamic {
            let mode = match job.dynamic_mode {
                Some(DynamicMode::NewReportsOnly) => Msg::DynamicNewReportsOnly,
                _ => Msg::DynamicContinuous,
            };
            rows.push((Msg::DynamicModeLabel, i18n.t(mode).to_owned()));
        }
        rows.extend([
            (Msg::PushRate, push_rate(i18n, job)),
            (Msg::AutomaticRetries, retries(i18n, job)),
            (
                Msg::DeviceTimeout,
                job.timeout_in_minutes.map_or_else(not_set, |m| i18n.fill(Msg::Minutes, &[("count", &m.to_string())])),
            ),
            (Msg::OverwriteRunning, yes_no(job.overwrite_mode.map(|m| m.code() == 2))),
            (Msg::AppConfirmation, yes_no(job.need_confirm)),
            (
                Msg::Delivery,
                i18n.t(if job.need_push == Some(false) { Msg::DeliveryPull } else { Msg::DeliveryPush }).to_owned(),
            ),
            (
                Msg::DownloadProtocol,
                job.download_protocol.map_or_else(|| "HTTPS".to_owned(), |p| p.as_str().to_owned()),
            ),
            (Msg::MultiModule, yes_no(job.multi_module_mode)),
            (Msg::BatchTags, tags(i18n, job)),
            (Msg::ScheduledStart, time(job.utc_schedule_time)),
            (Msg::ScheduledFinish, time(job.utc_schedule_finish_time)),
            (Msg::ColumnCreated, time(Some(summary.utc_create))),
            (Msg::ColumnStarted, time(summary.utc_start_time)),
            (Msg::ColumnEnded, time(summary.utc_end_time)),
            (Msg::Modified, time(Some(summary.utc_modified))),
            (Msg::Description, text(&job.job_desc)),
        ]);
        rows.into_iter()
            .map(|(label, value)| {
                let edit = tags_target.clone().filter(|_| label == Msg::BatchTags).map(|target| {
                    view! { <EditButton dialogs target part=EditPart::Tags trigger=Trigger::Inline/> }
                });
                view! {
                    <div class="field">
                        <dt>{move || i18n.t(label)}</dt>
                        <dd>{value} {edit}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    view! { <dl class="fields batch-info">{rows}</dl> }
}

/// Which devices the batch is for.
fn target(i18n: I18n, job: &OTAJobInfo) -> String {
    match job.summary.target_selection {
        Some(TargetSelection::All) | None => i18n.t(Msg::TargetAll).to_owned(),
        Some(TargetSelection::Specific) => i18n.t(Msg::TargetSpecific).to_owned(),
        Some(TargetSelection::Gray) => {
            i18n.fill(Msg::TargetGray, &[("percent", job.gray_percent.as_deref().unwrap_or("?"))])
        }
        Some(TargetSelection::Group) => {
            let name = job.group_name.clone().or_else(|| job.group_id.clone()).unwrap_or_default();
            i18n.fill(Msg::TargetGroup, &[("group", &name)])
        }
    }
}

/// The versions devices must run to be updated, or "any".
pub fn source_versions(i18n: I18n, job: &OTAJobInfo) -> String {
    let versions = job.src_versions.as_ref().map(|v| v.items.clone()).unwrap_or_default();
    if versions.is_empty() { i18n.t(Msg::AnyVersion).to_owned() } else { versions.join(", ") }
}

fn tags(i18n: I18n, job: &OTAJobInfo) -> String {
    let tags = job.summary.tags.clone().map(|t| t.items).unwrap_or_default();
    if tags.is_empty() {
        return i18n.t(Msg::NotSet).to_owned();
    }
    tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect::<Vec<_>>().join(", ")
}

pub fn push_rate(i18n: I18n, job: &OTAJobInfo) -> String {
    let max = job.maximum_per_minute.map(|m| m.to_string()).unwrap_or_default();
    match (job.rate_type, job.start_per_minute, &job.growth_factor, job.growth_every) {
        (Some(RateType::Variable), Some(start), Some(factor), Some(every)) => {
            let on =
                if job.growth_on == Some(GrowthOn::Succeeded) { Msg::GrowthOnSucceeded } else { Msg::GrowthOnNotified };
            i18n.fill(
                Msg::VariableRateValue,
                &[
                    ("start", &start.to_string()),
                    ("factor", factor),
                    ("every", &every.to_string()),
                    ("on", i18n.t(on)),
                    ("max", &max),
                ],
            )
        }
        _ if max.is_empty() => i18n.t(Msg::NotSet).to_owned(),
        _ => i18n.fill(Msg::PerMinute, &[("count", &max)]),
    }
}

fn retries(i18n: I18n, job: &OTAJobInfo) -> String {
    match (job.retry_count, job.retry_interval) {
        (Some(count), Some(interval)) => i18n.fill(
            Msg::RetriesValue,
            &[("count", &count.code().to_string()), ("minutes", &interval.code().to_string())],
        ),
        _ => i18n.t(Msg::NotSet).to_owned(),
    }
}
