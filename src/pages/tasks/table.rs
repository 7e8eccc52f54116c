//! Device tasks as a table: a row per task with its state, the reason it waits or ended, its
//! progress, versions and last change, and the actions its state allows.

use leptos::prelude::*;
use ota_model::actions::TaskAction;
use ota_model::enums::TaskStatus;
use ota_model::task::{SimpleOTATaskInfo, WaitReason};

use crate::auth::use_may;
use crate::components::{Show, task_reason_label, task_status_label, wait_reason_label};
use crate::format;
use crate::i18n::{Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};

/// `with_batch`: a column naming each task's batch, linked to it filtered to the device
/// (the package's device list spans batches).
#[component]
pub fn TaskTable(
    tasks: Vec<SimpleOTATaskInfo>,
    act: Callback<(TaskAction, SimpleOTATaskInfo)>,
    with_batch: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let column = move |label: Msg| view! { <th scope="col">{move || i18n.t(label)}</th> };
    view! {
        <div class="table-scroll"><table class="data tasks">
            <thead>
                <tr>
                    {column(Msg::ColumnDevice)}
                    {column(Msg::ColumnStatus)}
                    {column(Msg::ColumnDetail)}
                    {column(Msg::ColumnVersions)}
                    {with_batch.then(|| column(Msg::ColumnBatch))}
                    {column(Msg::Modified)}
                    {column(Msg::ColumnActions)}
                </tr>
            </thead>
            <tbody>{tasks.into_iter().map(|task| view! { <TaskRow task act with_batch/> }).collect_view()}</tbody>
        </table></div>
    }
}

#[component]
fn TaskRow(task: SimpleOTATaskInfo, act: Callback<(TaskAction, SimpleOTATaskInfo)>, with_batch: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (site, env) = (use_site(), use_environment());
    let status = task.task_status;
    let batch_href = {
        let path = nav::batch_path(&task.firmware_id, &task.job_id);
        site.href(&env.get_untracked(), &path, &[("device", task.device_name.clone())])
    };
    // The device page leads back to where it was opened from: the batch, or the package's list.
    let came_from = [
        ("package", task.firmware_id.clone()),
        ("batch", if with_batch { String::new() } else { task.job_id.clone() }),
    ];
    let device_href =
        site.href(&env.get_untracked(), &nav::device_path(&task.product_key, &task.device_name), &came_from);
    let view_link = with_batch.then(|| {
        view! { <a class="link" href=batch_href.clone()>{i18n.text(Msg::View)}</a> }
    });
    let actions = TaskAction::allowed(status)
        .iter()
        .map(|&action| {
            let label = match action {
                TaskAction::Confirm => Msg::ActionConfirm,
                TaskAction::Cancel => Msg::ActionCancel,
                TaskAction::Reupgrade => Msg::ActionReupgrade,
            };
            let task = task.clone();
            let may = use_may(action.operation());
            view! {
                <Show when=move || may.get()>
                    <button type="button" class="link" on:click={
                        let task = task.clone();
                        move |_| act.run((action, task.clone()))
                    }>
                        {move || i18n.t(label)}
                    </button>
                </Show>
            }
        })
        .collect_view();
    let versions = match task.src_version.as_str() {
        "" => task.dest_version.clone(),
        src => format!("{src} → {}", task.dest_version),
    };
    let batch = with_batch.then(|| view! { <td class="mono"><a href=batch_href>{task.job_id.clone()}</a></td> });
    view! {
        <tr data-task-id=task.task_id.clone() data-state=status.as_str()>
            <td class="mono"><a href=device_href>{task.device_name.clone()}</a></td>
            <td>
                <span class=format!("swatch state-{}", status.as_str())></span>
                {move || i18n.t(task_status_label(status))}
            </td>
            <td class="detail" title=task.task_desc.clone()>{detail(&task)}</td>
            <td class="mono">{versions}</td>
            {batch}
            <td><time datetime=task.utc_modified.to_string()>{move || format::local_time(task.utc_modified)}</time></td>
            <td class="actions">{view_link}{actions}</td>
        </tr>
    }
}

/// Why a task waits, how far it got, or why it ended; "not set" when there is nothing to say.
fn detail(task: &SimpleOTATaskInfo) -> AnyView {
    let i18n = use_i18n();
    let detail = match task.task_status {
        TaskStatus::Queued => task.wait_reason.map(|reason| {
            let at = match reason {
                WaitReason::MaintenanceWindow => task.utc_next_window,
                _ => task.utc_schedule_time,
            };
            let wave = task.wave.map(|w| w.to_string()).unwrap_or_default();
            (move || {
                let label = wait_reason_label(reason);
                let at = at.map(format::local_time).unwrap_or_default();
                i18n.fill(label, &[("time", &at), ("wave", &wave)])
            })
            .into_any()
        }),
        TaskStatus::InProgress => {
            let percent: f64 = task.progress.as_deref().and_then(|p| p.parse().ok()).unwrap_or(0.0);
            Some(
                view! {
                    <progress max="100" value=percent></progress>
                    <span class="percent">{format!("{percent:.0} %")}</span>
                }
                .into_any(),
            )
        }
        TaskStatus::Failed | TaskStatus::Canceled => match (task.reason_code, task.task_desc.clone()) {
            (Some(reason), _) => Some((move || i18n.t(task_reason_label(reason))).into_any()),
            (None, Some(desc)) => Some(desc.into_any()),
            (None, None) => None,
        },
        _ => None,
    };
    detail.unwrap_or_else(|| view! { <span class="muted">{i18n.text(Msg::NotSet)}</span> }.into_any())
}
