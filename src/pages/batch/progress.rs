//! A batch's tasks by state over time (`?tab=progress`): stacked areas from its first task to
//! now, read again as the batch changes, with the same numbers in a table. The chart and the
//! table stay in place and take each new answer. (The device tab lists the devices of each
//! state; an area has no single state's devices to open.)

use leptos::prelude::*;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{Extension, JobProgress, ListOTAJobProgress};

use crate::api;
use crate::charts::{Chart, Named, Palette, stacked_areas, use_palette};
use crate::components::{ErrorPanel, Loaded, Loading, task_status_label};
use crate::format;
use crate::i18n::{AnalysisMsg, I18n, use_i18n};
use crate::live::{Live, keep_latest};
use crate::nav::use_environment;
use crate::resource::resource;

/// Stacked from the bottom: ended tasks first, then those under way, then those waiting.
const STACK: [TaskStatus; 7] = [
    TaskStatus::Succeeded,
    TaskStatus::Failed,
    TaskStatus::Canceled,
    TaskStatus::InProgress,
    TaskStatus::Notified,
    TaskStatus::Queued,
    TaskStatus::Confirm,
];

#[component]
pub fn BatchProgress(job_id: String, live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let palette = use_palette();
    let offered = resource(move || {
        let env = env.get();
        async move { api::capabilities(&env).await.map(|c| c.offers(Extension::JobProgress)) }
    });
    let progress = resource(move || {
        live.changed.track();
        let (env, job_id) = (env.get(), job_id.clone());
        async move {
            if !api::capabilities(&env).await?.offers(Extension::JobProgress) {
                return Ok(None);
            }
            crate::charts::preload();
            api::job_progress(&env, &job_id, ListOTAJobProgress::DEFAULT_POINTS).await.map(Some)
        }
    });
    let latest = keep_latest(progress);
    let options = Callback::new(move |()| {
        let palette = palette.get();
        let progress = latest.value.get();
        let points = progress.as_ref().map(|p| p.points.items.as_slice()).unwrap_or_default();
        let times = points.iter().map(|p| format::local_time_precise(p.utc_time)).collect();
        let series = STACK
            .into_iter()
            .map(|status| {
                let named = Named { name: i18n.t(task_status_label(status)).to_owned(), color: Palette::state(status) };
                (named, points.iter().map(|p| p.counts.of(status)).collect())
            })
            .collect();
        stacked_areas(&palette, times, series)
    });
    let body = move || {
        Suspend::new(async move {
            match offered.await {
                Ok(true) => {
                    let label = Signal::derive(move || i18n.t(AnalysisMsg::ProgressHeading).to_owned());
                    view! {
                        <p class="denominator">{move || latest.value.get().map(|p| span_text(i18n, &p))}</p>
                        {move || latest.value.with(Option::is_none).then(|| view! { <Loading/> })}
                        {move || latest.error.get().map(|error| view! { <ErrorPanel error retry=move || progress.refetch()/> })}
                        <Chart id="progress-chart" options label height=320/>
                        <ProgressTable progress=latest.value/>
                    }
                    .into_any()
                }
                Ok(false) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoProgress)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || offered.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{i18n.text(AnalysisMsg::ProgressHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

/// "Every N seconds since …": the start of the first interval, where the chart begins.
fn span_text(i18n: I18n, progress: &JobProgress) -> String {
    let interval = progress.interval.to_string();
    let first = progress.points.items.first().map(|p| p.utc_time);
    let since = first
        .and_then(|end| ota_model::UtcTime::from_millis(end.millis() - i64::from(progress.interval) * 1000))
        .map(format::local_time_precise)
        .unwrap_or_default();
    i18n.fill(AnalysisMsg::ProgressOf, &[("interval", &interval), ("since", &since)])
}

/// The chart's numbers, newest first, in a disclosure: the accessible alternative.
#[component]
fn ProgressTable(progress: RwSignal<Option<JobProgress>>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let points = progress.get().map(|p| p.points.items).unwrap_or_default();
        points
            .into_iter()
            .rev()
            .map(|point| {
                view! {
                    <tr data-time=point.utc_time.millis()>
                        <th scope="row">{move || format::local_time_precise(point.utc_time)}</th>
                        {STACK.map(|status| view! {
                            <td class="number" data-state=status.as_str()>{point.counts.of(status)}</td>
                        })}
                        <td class="number" data-state="TOTAL">{point.counts.total}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <details class="progress-numbers">
            <summary>{i18n.text(AnalysisMsg::ShowNumbers)}</summary>
            <div class="table-scroll"><table class="data progress">
                <thead><tr>
                    <th scope="col">{i18n.text(AnalysisMsg::ColumnTime)}</th>
                    {STACK.map(|status| view! {
                        <th scope="col" class="number">{move || i18n.t(task_status_label(status))}</th>
                    })}
                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnTotal)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </details>
    }
}
