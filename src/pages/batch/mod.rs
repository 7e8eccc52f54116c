//! One batch: what it is and how it is set (QueryOTAJob), then its devices by state. Its
//! place in the console is under its package: `/packages/:id/batches/:job`.

pub mod cancel;
mod tasks;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ota_model::enums::JobStatus;
use ota_model::job::OTAJobInfo;
use ota_model::job::rate::{GrowthOn, RateType};

use self::cancel::CancelBatch;
use self::tasks::TaskList;
use crate::api;
use crate::components::{ErrorPanel, JobStatusBadge, Loading, job_type_label, selection_label};
use crate::format;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};

#[component]
pub fn BatchDetail() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let params = use_params_map();
    let firmware_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let job_id = Memo::new(move |_| params.read().get("job").unwrap_or_default());
    // Bumped after every change made here: the batch and its lists are read again.
    let revision = RwSignal::new(0_u32);
    let batch = LocalResource::new(move || {
        revision.track();
        let (env, job_id) = (env.get(), job_id.get());
        async move { api::query_job(&env, &job_id).await }
    });
    let package_href = {
        let site = site.clone();
        move || site.href(&env.get(), &nav::package_path(&firmware_id.get()), &[])
    };
    let batch_path = Memo::new(move |_| nav::batch_path(&firmware_id.get(), &job_id.get()));
    let content = move || {
        Suspend::new(async move {
            match batch.await {
                Ok(response) => {
                    view! { <BatchHeader job=response.data revision/> <TaskList job_id=job_id.get_untracked() path=batch_path.get_untracked() revision/> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || batch.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="batch-detail">
            <p class="breadcrumb">
                <a href=package_href>{move || i18n.t(Msg::UpdatePackage)}</a>
            </p>
            <Transition fallback=Loading>{content}</Transition>
        </section>
    }
}

/// The batch's identity and the settings an operator checks first.
#[component]
fn BatchHeader(job: OTAJobInfo, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let summary = job.summary.clone();
    let (job_type, selection) = (job_type_label(summary.job_type), selection_label(summary.selection_type));
    let package = job.name.clone().unwrap_or_default();
    let subtitle = move || {
        let kind = format!("{} · {}", i18n.t(job_type), i18n.t(selection));
        i18n.fill(Msg::BatchOf, &[("type", &kind), ("package", &package)])
    };
    let row = move |label: Msg, value: String| {
        view! {
            <div class="field">
                <dt>{move || i18n.t(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let time = move |at: Option<ota_model::UtcTime>| {
        at.map_or_else(|| i18n.t(Msg::NotSet).to_owned(), format::local_time_precise)
    };
    let tags = job.summary.tags.clone().map(|t| t.items).unwrap_or_default();
    let tags = if tags.is_empty() {
        i18n.t(Msg::NotSet).to_owned()
    } else {
        tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect::<Vec<_>>().join(", ")
    };
    let job_for_rows = job.clone();
    let rows = move || {
        let job = &job_for_rows;
        let yes_no = |value: Option<bool>| i18n.t(if value.unwrap_or(false) { Msg::Yes } else { Msg::No }).to_owned();
        vec![
            row(
                Msg::UpdatePackage,
                format!("{} → {}", job.name.clone().unwrap_or_default(), job.dest_version.clone().unwrap_or_default()),
            ),
            row(Msg::PushRate, push_rate(i18n, job)),
            row(Msg::AutomaticRetries, retries(i18n, job)),
            row(
                Msg::DeviceTimeout,
                job.timeout_in_minutes.map_or_else(
                    || i18n.t(Msg::NotSet).to_owned(),
                    |m| i18n.fill(Msg::Minutes, &[("count", &m.to_string())]),
                ),
            ),
            row(Msg::OverwriteRunning, yes_no(job.overwrite_mode.map(|m| m.code() == 2))),
            row(Msg::AppConfirmation, yes_no(job.need_confirm)),
            row(
                Msg::Delivery,
                i18n.t(if job.need_push == Some(false) { Msg::DeliveryPull } else { Msg::DeliveryPush }).to_owned(),
            ),
            row(Msg::BatchTags, tags.clone()),
            row(Msg::ColumnCreated, time(Some(job.summary.utc_create))),
            row(Msg::ColumnStarted, time(job.summary.utc_start_time)),
            row(Msg::ColumnEnded, time(job.summary.utc_end_time)),
        ]
    };
    let title_id = summary.job_id.clone();
    let running = matches!(summary.job_status, JobStatus::InProgress | JobStatus::Planned);
    let cancel = running.then(|| {
        let done = move || revision.update(|r| *r += 1);
        view! { <span class="header-actions"><CancelBatch job_id=summary.job_id.clone() selection=summary.selection_type done/></span> }
    });
    view! {
        <header class="page-header">
            <h1>{move || i18n.fill(Msg::BatchTitle, &[("id", &title_id)])}</h1>
            <JobStatusBadge status=summary.job_status/>
            {cancel}
            <p class="intro">{subtitle}</p>
        </header>
        <dl class="fields compact">{rows}</dl>
    }
}

fn push_rate(i18n: I18n, job: &OTAJobInfo) -> String {
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
