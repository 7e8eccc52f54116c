//! One device (`/devices/:product/:device`): what it is and runs, its unfinished tasks with
//! the actions they allow, and the batches that included it. Opened from a batch or a
//! package's device list (`?package=` and `?batch=`), it leads back there.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use ota_model::job::SimpleOTAJobInfo;
use ota_model::registry::DeviceDetail;

use crate::api::{self, DEVICE_BATCH_PACKAGES};
use crate::components::{
    ConfirmDialog, ErrorPanel, JobStatusBadge, LiveIndicator, Loaded, device_status, job_type_label, selection_label,
};
use crate::format;
use crate::i18n::{Msg, use_i18n};
use crate::live::{Watch, use_live};
use crate::nav::{self, use_environment, use_site};
use crate::pages::tasks::{ActionFailure, TaskActions, TaskTable};
use crate::resource::resource;

#[component]
pub fn DeviceView() -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let params = use_params_map();
    let product_key = Memo::new(move |_| params.read().get("product").unwrap_or_default());
    let device_name = Memo::new(move |_| params.read().get("device").unwrap_or_default());
    let device = Memo::new(move |_| api::device_ref(&product_key.get(), &device_name.get()));
    // Bumped after a task was confirmed or cancelled here: everything is read again.
    let revision = RwSignal::new(0_u32);
    let live = use_live(Watch::Device(device.get_untracked()));
    let detail = resource(move || {
        revision.track();
        live.changed.track();
        let (env, device) = (env.get(), device.get());
        async move { api::query_device(&env, &device).await }
    });
    let modules = resource(move || {
        revision.track();
        live.changed.track();
        let (env, device) = (env.get(), device.get());
        async move { api::module_versions(&env, &device).await }
    });
    let unfinished = resource(move || {
        revision.track();
        live.changed.track();
        let (env, device) = (env.get(), device.get());
        async move { api::unfinished_tasks(&env, &device).await }
    });
    // The batches that included the device change rarely and cost a call per package: they
    // are read again after a change made here, not on every live change.
    let batches = resource(move || {
        revision.track();
        let (env, product_key, device_name) = (env.get(), product_key.get(), device_name.get());
        async move { api::device_batches(&env, &product_key, &device_name).await }
    });
    let actions = TaskActions::new(revision);

    let header = move || {
        Suspend::new(async move {
            match detail.await {
                Ok(device) => view! { <DeviceHeader device/> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || detail.refetch()/> }.into_any(),
            }
        })
    };
    let module_table = move || {
        Suspend::new(async move {
            match modules.await {
                Ok(modules) if modules.is_empty() => empty(Msg::NoModuleVersions),
                Ok(modules) => view! {
                    <div class="table-scroll"><table class="data modules">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.text(Msg::ColumnModule)}</th>
                                <th scope="col">{i18n.text(Msg::ColumnVersion)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {modules
                                .into_iter()
                                .map(|m| view! { <tr><td>{m.module_name}</td><td class="mono">{m.module_version}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || modules.refetch()/> }.into_any(),
            }
        })
    };
    let task_table = move || {
        Suspend::new(async move {
            match unfinished.await {
                Ok(tasks) if tasks.is_empty() => empty(Msg::NoUnfinishedTasks),
                Ok(tasks) => view! { <TaskTable tasks act=actions.act with_batch=true/> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || unfinished.refetch()/> }.into_any(),
            }
        })
    };
    let batch_table = move || {
        Suspend::new(async move {
            match batches.await {
                Ok(found) if found.is_empty() => empty(Msg::NoDeviceBatches),
                Ok(found) => {
                    view! { <DeviceBatches batches=found device_name=device_name.get_untracked()/> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || batches.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="device-detail">
            <DeviceBreadcrumb/>
            <Loaded view=header/>
            <LiveIndicator live/>
            <h2>{i18n.text(Msg::ModuleVersions)}</h2>
            <Loaded view=module_table/>
            <h2>{i18n.text(Msg::UnfinishedTasks)}</h2>
            <ActionFailure failure=actions.failure/>
            <Loaded view=task_table/>
            <h2>{i18n.text(Msg::DeviceBatches)}</h2>
            <p class="intro">
                {move || i18n.fill(Msg::DeviceBatchesScope, &[("count", &DEVICE_BATCH_PACKAGES.to_string())])}
            </p>
            <Loaded view=batch_table/>
            <ConfirmDialog ask=actions.ask/>
        </section>
    }
}

/// The package list, then the package and the batch the device was opened from, if any.
#[component]
fn DeviceBreadcrumb() -> impl IntoView {
    let i18n = use_i18n();
    let (site, env, query) = (use_site(), use_environment(), use_query_map());
    let came_from = move |name: &str| query.read().get(name).filter(|id| !id.is_empty());
    let package = Memo::new(move |_| came_from("package"));
    let batch = Memo::new(move |_| came_from("batch"));
    // The package is named as its own page names it; its ID stands in until then.
    let package_name = resource(move || {
        let (env, package) = (env.get(), package.get());
        async move {
            match package {
                Some(id) => {
                    api::query_firmware(&env, &id).await.ok().map(|found| found.firmware_info.summary.firmware_name)
                }
                None => None,
            }
        }
    });
    let trail = move || {
        let env = env.get();
        let package_link = package.get().map(|id| {
            // From a package's device list (no batch), back to that list.
            let query = if batch.get().is_none() { vec![("tab", "devices".to_owned())] } else { vec![] };
            let href = site.href(&env, &nav::package_path(&id), &query);
            let name = move || package_name.get().flatten().unwrap_or_else(|| id.clone());
            view! { " › " <a href=href data-crumb="package">{name}</a> }
        });
        let batch_link = package.get().zip(batch.get()).map(|(package, job)| {
            let href = site.href(&env, &nav::batch_path(&package, &job), &[]);
            view! { " › " <a href=href data-crumb="batch">{i18n.text(Msg::BatchDetails)} " " <span class="mono">{job.clone()}</span></a> }
        });
        view! {
            <a href=site.packages_href(&env)>{i18n.text(Msg::BackToPackages)}</a>
            {package_link}
            {batch_link}
        }
    };
    view! { <nav class="breadcrumb" aria-label=move || i18n.t(Msg::Breadcrumb)>{trail}</nav> }
}

fn empty(message: Msg) -> AnyView {
    let i18n = use_i18n();
    view! { <div class="panel empty"><p>{move || i18n.t(message)}</p></div> }.into_any()
}

/// Name, product, connection and what it reports.
#[component]
fn DeviceHeader(device: DeviceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let (label, tone) = device_status(device.status);
    let or_dash =
        move |value: Option<String>| value.filter(|v| !v.is_empty()).unwrap_or_else(|| i18n.t(Msg::NotSet).to_owned());
    let (name, status) = (device.device_name.clone(), device.status);
    // Made again on a language switch: the "not set" text and the times follow it.
    let rows = move || {
        [
            (Msg::ColumnProduct, format!("{} ({})", device.product_name, device.product_key)),
            (Msg::ReportedVersion, or_dash(device.firmware_version.clone())),
            (Msg::Nickname, or_dash(device.nickname.clone())),
            (Msg::IpAddress, or_dash(device.ip_address.clone())),
            (Msg::LastOnline, or_dash(device.utc_online.map(format::local_time_precise))),
            (Msg::Activated, or_dash(device.utc_active.map(format::local_time_precise))),
            (Msg::Registered, format::local_time_precise(device.utc_create)),
        ]
        .map(|(label, value)| {
            view! {
                <div class="field">
                    <dt>{i18n.t(label)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    view! {
        <header class="page-header">
            <h1 class="mono">{name}</h1>
            <span class=format!("badge {tone}") data-status=status.as_str()>{move || i18n.t(label)}</span>
        </header>
        <dl class="fields compact">{rows}</dl>
    }
}

/// The batches that included the device, each linked to its page filtered to the device.
#[component]
fn DeviceBatches(batches: Vec<(String, SimpleOTAJobInfo)>, device_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let (site, env) = (use_site(), use_environment());
    let rows = batches
        .into_iter()
        .map(|(package, job)| {
            let href = site.href(
                &env.get_untracked(),
                &nav::batch_path(&job.firmware_id, &job.job_id),
                &[("device", device_name.clone())],
            );
            let package_href = site.href(&env.get_untracked(), &nav::package_path(&job.firmware_id), &[]);
            let (job_type, selection) = (job_type_label(job.job_type), selection_label(job.selection_type));
            view! {
                <tr data-job-id=job.job_id.clone()>
                    <td><a href=package_href>{package}</a></td>
                    <td class="mono"><a href=href>{job.job_id.clone()}</a></td>
                    <td>{move || format!("{} · {}", i18n.t(job_type), i18n.t(selection))}</td>
                    <td><JobStatusBadge status=job.job_status/></td>
                    <td>{move || format::local_time(job.utc_create)}</td>
                </tr>
            }
        })
        .collect_view();
    let column = move |label: Msg| view! { <th scope="col">{move || i18n.t(label)}</th> };
    view! {
        <div class="table-scroll"><table class="data device-batches">
            <thead>
                <tr>
                    {column(Msg::UpdatePackage)}
                    {column(Msg::ColumnBatch)}
                    {column(Msg::ColumnType)}
                    {column(Msg::ColumnStatus)}
                    {column(Msg::ColumnCreated)}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}
