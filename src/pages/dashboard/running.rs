//! The environment's scheduled and running batches: one stacked bar each, of its tasks by
//! state. A bar's segment opens that batch's devices in that state.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{Extension, RunningJob};

use crate::api::{self, Counted};
use crate::charts::{Chart, Clicked, Named, Palette, stacked_bars, use_palette};
use crate::components::{ErrorPanel, JobStatusBadge, Loaded, Loading, Show, StateBar, task_status_label};
use crate::i18n::{AnalysisMsg, Msg, SafetyMsg, use_i18n};
use crate::live::{Live, keep_latest};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

/// A bar's name: the package and the batch, unique because the batch's ID is.
fn bar_name(job: &RunningJob) -> String {
    format!("{} · {}", job.firmware_name, job.job_id)
}

#[component]
pub fn RunningBatches(live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let palette = use_palette();
    let offered = resource(move || {
        let env = env.get();
        async move { api::capabilities(&env).await.map(|c| c.offers(Extension::RunningJobs)) }
    });
    let running = resource(move || {
        live.changed.track();
        let env = env.get();
        async move {
            if !api::capabilities(&env).await?.offers(Extension::RunningJobs) {
                return Ok(None);
            }
            crate::charts::preload();
            api::running_jobs(&env).await.map(Some)
        }
    });
    // The chart and table stay in place and take each new answer.
    let latest = keep_latest(running);
    let jobs = Signal::derive(move || latest.value.get().map(|r| r.jobs.items).unwrap_or_default());
    let options = Callback::new(move |()| {
        let (palette, jobs) = (palette.get(), jobs.get());
        let names = jobs.iter().map(bar_name).collect();
        let series = TaskStatus::ALL
            .iter()
            .map(|&status| {
                let named = Named { name: i18n.t(task_status_label(status)).to_owned(), color: Palette::state(status) };
                (named, jobs.iter().map(|job| job.counts.of(status)).collect())
            })
            .collect();
        stacked_bars(&palette, names, series)
    });
    let navigate = use_navigate();
    let open = {
        let site = site.clone();
        Callback::new(move |Clicked { name, series }: Clicked| {
            let job = jobs.get_untracked().into_iter().find(|job| bar_name(job) == name);
            let status = TaskStatus::ALL.iter().find(|s| i18n.t(task_status_label(**s)) == series);
            if let Some(job) = job {
                let query: Vec<(&str, String)> =
                    status.map(|s| vec![("state", s.as_str().to_ascii_lowercase())]).unwrap_or_default();
                let href = site.href(&env.get_untracked(), &nav::batch_path(&job.firmware_id, &job.job_id), &query);
                navigate(&href, nav::to_href(false));
            }
        })
    };
    let height = Signal::derive(move || 96 + 40 * jobs.with(|jobs| jobs.len().min(20)) as u32);
    let whole = move || {
        let (shown, total) = latest.value.get().map_or((0, 0), |r| (r.jobs.items.len(), r.total));
        i18n.fill(AnalysisMsg::RunningOf, &[("shown", &shown.to_string()), ("total", &total.to_string())])
    };
    let any = move || latest.value.with(|r| r.as_ref().is_some_and(|r| r.total > 0));
    let body = move || {
        Suspend::new(async move {
            match offered.await {
                Ok(true) => view! {
                    {move || latest.value.with(Option::is_none).then(|| view! { <Loading/> })}
                    {move || latest.error.get().map(|error| view! { <ErrorPanel error retry=move || running.refetch()/> })}
                    <Show when=move || any() fallback=move || latest.value.with(Option::is_some).then(|| view! {
                        <div class="panel empty"><p>{i18n.text(AnalysisMsg::NothingRunning)}</p></div>
                    })>
                        <p class="denominator">{whole}</p>
                        <Chart id="running-chart" options label=Signal::derive(whole) height on_click=open/>
                        <RunningTable jobs/>
                    </Show>
                }
                .into_any(),
                Ok(false) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoRunningJobs)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || offered.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis running" aria-labelledby="running-heading">
            <h2 id="running-heading">{i18n.text(AnalysisMsg::RunningHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

#[component]
fn RunningTable(jobs: Signal<Vec<RunningJob>>) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let row = move |job: RunningJob| {
        let env = env.get_untracked();
        let batch_href = site.href(&env, &nav::batch_path(&job.firmware_id, &job.job_id), &[]);
        let package_href = site.href(&env, &nav::package_path(&job.firmware_id), &[]);
        view! {
            <tr data-job-id=job.job_id.clone()>
                <td class="mono"><a class="primary" href=batch_href>{job.job_id.clone()}</a></td>
                <td>
                    <a href=package_href>{job.firmware_name.clone()}</a>
                    <div class="sub">{format!("{} · {}", job.product_key, job.dest_version)}</div>
                </td>
                <td>
                    <JobStatusBadge status=job.job_status/>
                    {job.paused.is_some_and(|p| p).then(|| view! {
                        <span class="badge warning" data-paused="true">{i18n.text(SafetyMsg::Paused)}</span>
                    })}
                </td>
                <td class="states"><StateBar counts=job.counts counted=Counted::ByBackend/></td>
            </tr>
        }
    };
    view! {
        <div class="table-scroll"><table class="data running-jobs">
            <thead><tr>
                <th scope="col">{i18n.text(Msg::ColumnBatch)}</th>
                <th scope="col">{i18n.text(Msg::ColumnName)}</th>
                <th scope="col">{i18n.text(Msg::ColumnStatus)}</th>
                <th scope="col">{i18n.text(Msg::ColumnDevices)}</th>
            </tr></thead>
            <tbody>
                <For each=move || jobs.get() key=|job| (job.job_id.clone(), job.job_status, job.counts, job.paused) children=row/>
            </tbody>
        </table></div>
    }
}
