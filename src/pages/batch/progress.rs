//! A batch's tasks by state over time (`?tab=progress`): stacked areas from its first task to
//! now, read again as the batch changes, with the same numbers in a table. (The device tab
//! lists the devices of each state; an area has no single state's devices to open.)

use leptos::prelude::*;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{Extension, JobProgress, ListOTAJobProgress};

use crate::api;
use crate::charts::{Chart, Named, Palette, stacked_areas, use_palette};
use crate::components::{ErrorPanel, Loading, task_status_label};
use crate::format;
use crate::i18n::{AnalysisMsg, use_i18n};
use crate::live::Live;
use crate::nav::use_environment;

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
    let progress = LocalResource::new(move || {
        live.changed.track();
        let (env, job_id) = (env.get(), job_id.clone());
        async move {
            if !api::capabilities(&env).await?.offers(Extension::JobProgress) {
                return Ok(None);
            }
            api::job_progress(&env, &job_id, ListOTAJobProgress::DEFAULT_POINTS).await.map(Some)
        }
    });
    // The chart keeps the last answer while the next is read, so it never blinks.
    let latest = Memo::new(move |_| progress.get().and_then(|answer| answer.ok().flatten()));
    let options = Signal::derive(move || {
        let palette = palette.get();
        let progress = latest.get();
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
            match progress.await {
                Ok(Some(first)) => {
                    let label = Signal::derive(move || i18n.t(AnalysisMsg::ProgressHeading).to_owned());
                    view! {
                        <p class="denominator">{move || latest.get().map(|p| span_text(i18n, &p))}</p>
                        <Chart id="progress-chart" options label height=320/>
                        <ProgressTable progress=Signal::derive(move || latest.get().unwrap_or_else(|| first.clone()))/>
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{move || i18n.t(AnalysisMsg::NoProgress)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || progress.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{move || i18n.t(AnalysisMsg::ProgressHeading)}</h2>
            <Transition fallback=Loading>{body}</Transition>
        </section>
    }
}

fn span_text(i18n: crate::i18n::I18n, progress: &JobProgress) -> String {
    let interval = progress.interval.to_string();
    let since = progress.points.items.first().map(|p| format::local_time_precise(p.utc_time)).unwrap_or_default();
    i18n.fill(AnalysisMsg::ProgressOf, &[("interval", &interval), ("since", &since)])
}

/// The chart's numbers, newest first, in a disclosure: the accessible alternative.
#[component]
fn ProgressTable(progress: Signal<JobProgress>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        progress
            .get()
            .points
            .items
            .into_iter()
            .rev()
            .map(|point| {
                view! {
                    <tr data-time=point.utc_time.millis()>
                        <th scope="row">{format::local_time_precise(point.utc_time)}</th>
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
            <summary>{move || i18n.t(AnalysisMsg::ShowNumbers)}</summary>
            <div class="table-scroll"><table class="data progress">
                <thead><tr>
                    <th scope="col">{move || i18n.t(AnalysisMsg::ColumnTime)}</th>
                    {STACK.map(|status| view! {
                        <th scope="col" class="number">{move || i18n.t(task_status_label(status))}</th>
                    })}
                    <th scope="col" class="number">{move || i18n.t(AnalysisMsg::ColumnTotal)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </details>
    }
}
