//! The batch management tab: a package's batches, newest first, each with its task counts by
//! state as a stacked bar. Paging lives in the query string (`page`, `size`).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::PageRequest;
use ota_model::job::{ListOTAJobByFirmware, SimpleOTAJobInfo};

use crate::api;
use crate::components::{ErrorPanel, JobStatusBadge, Loaded, Pager, StateBar, job_type_label, selection_label};
use crate::format;
use crate::i18n::{Msg, use_i18n};
use crate::live::Live;
use crate::nav::{self, use_environment, use_site};
use crate::pages::batch::dialogs::{BatchDialogs, BatchTarget, CancelButton, EditButton, EditPart, Trigger};
use crate::resource::resource;

const PAGE_SIZES: &[u32] = &[10, 20, 50];

#[component]
pub fn BatchList(firmware_id: String, live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let query = use_query_map();
    let paging = Memo::new(move |_| {
        let number = |name: &str| query.read().get(name).and_then(|v| v.parse::<u32>().ok());
        let size = number("size").filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0]);
        PageRequest::new(number("page").filter(|p| *p >= 1).unwrap_or(1), size)
    });
    let id = firmware_id.clone();
    // Bumped when a batch is edited or cancelled from its row: the list is read again.
    let revision = RwSignal::new(0_u32);
    let dialogs = BatchDialogs::new();
    let request = move || ListOTAJobByFirmware { firmware_id: id.clone(), page: paging.get() };
    let jobs = {
        let request = request.clone();
        resource(move || {
            revision.track();
            let (env, request) = (env.get(), request());
            async move { api::list_jobs(&env, &request).await }
        })
    };
    // Live changes read the page again beside the first answer, so that rows stay in place.
    let live_jobs = resource(move || {
        revision.track();
        let (changes, env, request) = (live.changed.get(), env.get_untracked(), request());
        async move { if changes == 0 { None } else { api::list_jobs(&env, &request).await.ok() } }
    });
    let href = move |page: u32, size: u32| {
        let path = nav::package_path(&firmware_id);
        let mut query = vec![];
        if page != 1 {
            query.push(("page", page.to_string()));
        }
        if size != PAGE_SIZES[0] {
            query.push(("size", size.to_string()));
        }
        site.href(&env.get_untracked(), &path, &query)
    };
    let results = move || {
        let href = href.clone();
        Suspend::new(async move {
            match jobs.await {
                Ok(response) if response.page.total == 0 => {
                    view! { <div class="panel empty"><p>{i18n.text(Msg::NoBatchesYet)}</p></div> }.into_any()
                }
                Ok(response) => {
                    let size = paging.get_untracked().page_size;
                    let page_href = {
                        let href = href.clone();
                        move |page: u32| href(page, size)
                    };
                    let navigate = use_navigate();
                    let resize = move |size: u32| navigate(&href(1, size), nav::to_href(true));
                    let first = response.data.items.clone();
                    let shown = Signal::derive(move || {
                        live_jobs.get().flatten().map_or_else(|| first.clone(), |answer| answer.data.items)
                    });
                    view! {
                        <BatchTable jobs=shown live dialogs/>
                        <Pager page=response.page sizes=PAGE_SIZES href=page_href on_size=resize/>
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || jobs.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="batch-list" aria-labelledby="batches-heading">
            <h2 id="batches-heading">{i18n.text(Msg::TabBatches)}</h2>
            <p class="intro">{i18n.text(Msg::BatchesIntro)}</p>
            <Loaded view=results/>
            {dialogs.view(move || revision.update(|r| *r += 1))}
        </section>
    }
}

#[component]
fn BatchTable(jobs: Signal<Vec<SimpleOTAJobInfo>>, live: Live, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll"><table class="data batches">
            <thead>
                <tr>
                    <th scope="col">{i18n.text(Msg::ColumnBatch)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnType)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnStatus)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnCreated)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnStarted)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnEnded)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnDevices)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnActions)}</th>
                </tr>
            </thead>
            <tbody>
                // A row is made again only when its batch's status or times change.
                <For
                    each=move || jobs.get()
                    key=|job| (job.job_id.clone(), job.job_status, job.utc_start_time, job.utc_end_time)
                    let:job
                >
                    <BatchRow job live dialogs/>
                </For>
            </tbody>
        </table></div>
    }
}

#[component]
fn BatchRow(job: SimpleOTAJobInfo, live: Live, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let job_id = job.job_id.clone();
    let counts = resource(move || {
        live.changed.track();
        let (env, job_id) = (env.get(), job_id.clone());
        async move { api::job_counts(&env, &job_id).await }
    });
    let (job_type, selection) = (job_type_label(job.job_type), selection_label(job.selection_type));
    let site = use_site();
    let href = site.href(&env.get_untracked(), &nav::batch_path(&job.firmware_id, &job.job_id), &[]);
    // A running batch's policy can change, or the batch can end (the seed's Edit and Cancel).
    let changes = job.job_status.is_running().then(|| {
        let target = BatchTarget::of(&job);
        view! {
            <EditButton dialogs target=target.clone() part=EditPart::Policy trigger=Trigger::Inline/>
            <CancelButton dialogs target trigger=Trigger::Inline/>
        }
    });
    let time = |at: Option<ota_model::UtcTime>| match at {
        Some(at) => view! { <time datetime=at.to_string()>{move || format::local_time(at)}</time> }.into_any(),
        None => view! { <span class="muted">{i18n.text(Msg::NotSet)}</span> }.into_any(),
    };
    let bar = move || {
        Suspend::new(async move {
            match counts.await {
                Ok((counts, counted)) => view! { <StateBar counts counted/> }.into_any(),
                Err(_) => view! { <span class="muted">{i18n.text(Msg::CountsUnavailable)}</span> }.into_any(),
            }
        })
    };
    view! {
        <tr data-job-id=job.job_id.clone()>
            <td class="mono"><a class="primary" href=href.clone()>{job.job_id.clone()}</a></td>
            <td>{move || format!("{} · {}", i18n.t(job_type), i18n.t(selection))}</td>
            <td><JobStatusBadge status=job.job_status/></td>
            <td>{time(Some(job.utc_create))}</td>
            <td>{time(job.utc_start_time)}</td>
            <td>{time(job.utc_end_time)}</td>
            <td class="states"><Loaded view=bar/></td>
            <td class="actions">
                <a href=href>{i18n.text(Msg::View)}</a>
                {changes}
            </td>
        </tr>
    }
}
