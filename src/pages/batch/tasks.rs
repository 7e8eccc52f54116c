//! A batch's devices by state: a tab per state with its count, a device-name search and
//! pages. All of it lives in the query string (`state`, `device`, `page`, `size`).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use ota_model::PageRequest;
use ota_model::actions::TaskAction;
use ota_model::enums::TaskStatus;
use ota_model::task::{ListOTATaskByJob, MAX_TASK_LIST_DEPTH, SimpleOTATaskInfo, WaitReason};

use crate::api::{self, ApiError, Counted};
use crate::components::{
    Ask, ConfirmDialog, ErrorPanel, Loading, Pager, task_reason_label, task_status_label, wait_reason_label,
};
use crate::format;
use crate::i18n::{Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};

const PAGE_SIZES: &[u32] = &[10, 20, 50, 100];

/// What the list shows, as read from and written to the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    state: Option<TaskStatus>,
    device: String,
    page: u32,
    size: u32,
}

impl Shown {
    fn from_query(query: &ParamsMap) -> Self {
        let number = |name: &str| query.get(name).and_then(|v| v.parse::<u32>().ok());
        let state = query
            .get("state")
            .and_then(|s| TaskStatus::ALL.iter().copied().find(|t| t.as_str().eq_ignore_ascii_case(&s)));
        Self {
            state,
            device: query.get("device").unwrap_or_default().trim().to_owned(),
            page: number("page").filter(|p| *p >= 1).unwrap_or(1),
            size: number("size").filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0]),
        }
    }

    /// The query string parameters, leaving out defaults so that links stay short.
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(state) = self.state {
            pairs.push(("state", state.as_str().to_ascii_lowercase()));
        }
        pairs.push(("device", self.device.clone()));
        if self.page != 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.size != PAGE_SIZES[0] {
            pairs.push(("size", self.size.to_string()));
        }
        pairs
    }

    /// Past what the API lists (`CurrentPage × PageSize` ≤ 100,000).
    fn too_deep(&self) -> bool {
        u64::from(self.page) * u64::from(self.size) > MAX_TASK_LIST_DEPTH
    }
}

#[component]
pub fn TaskList(job_id: String, path: String, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let query = use_query_map();
    let shown = Memo::new(move |_| Shown::from_query(&query.read()));
    // Stored, so that `href` is `Copy` and every link and handler can have it.
    let (site, path) = (StoredValue::new(use_site()), StoredValue::new(path));
    let href = move |next: &Shown| site.read_value().href(&env.get_untracked(), &path.read_value(), &next.query());
    let counts_job = job_id.clone();
    let counts = LocalResource::new(move || {
        revision.track();
        let (env, job_id) = (env.get(), counts_job.clone());
        async move { api::job_counts(&env, &job_id).await }
    });
    let tasks = LocalResource::new(move || {
        revision.track();
        let (env, shown, job_id) = (env.get(), shown.get(), job_id.clone());
        async move {
            if shown.too_deep() {
                return Ok(None);
            }
            let request = ListOTATaskByJob {
                job_id,
                task_status: shown.state,
                device_names: if shown.device.is_empty() { vec![] } else { vec![shown.device.clone()] },
                page: PageRequest::new(shown.page, shown.size),
            };
            api::list_tasks(&env, &request).await.map(Some)
        }
    });

    // Row actions ask first, then run, then show the lists and counts as they now are.
    let ask = RwSignal::new(None::<Ask>);
    let failure = RwSignal::new(None::<ApiError>);
    let act = Callback::new(move |(action, task): (TaskAction, SimpleOTATaskInfo)| {
        let (question, label) = match action {
            TaskAction::Confirm => (Msg::AskConfirmTask, Msg::ActionConfirm),
            TaskAction::Cancel => (Msg::AskCancelTask, Msg::ActionCancel),
            TaskAction::Reupgrade => (Msg::AskReupgradeTask, Msg::ActionReupgrade),
        };
        let message = i18n.fill(question, &[("device", &task.device_name)]);
        let on_confirm = Callback::new(move |()| {
            let (env, task) = (env.get_untracked(), task.clone());
            leptos::task::spawn_local(async move {
                let done = match action {
                    TaskAction::Confirm => api::confirm_task(&env, &task.task_id).await,
                    TaskAction::Cancel => api::cancel_device_task(&env, &task).await,
                    TaskAction::Reupgrade => api::reupgrade_task(&env, &task.job_id, &task.task_id).await,
                };
                match done {
                    Ok(()) => {
                        failure.set(None);
                        revision.update(|r| *r += 1);
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        });
        ask.set(Some(Ask { message, confirm: label, on_confirm }));
    });
    let failure_view = move || {
        failure.get().map(|error| {
            let detail = match error {
                ApiError::Refused { code, message, .. } => format!("{message} ({code})"),
                ApiError::Unreachable { detail, .. } | ApiError::Unreadable { detail, .. } => detail,
            };
            view! {
                <div class="panel error" role="alert">
                    <p class="headline">{move || i18n.t(Msg::ActionFailed)}</p>
                    <p>{detail}</p>
                </div>
            }
        })
    };

    let tabs = move || {
        Suspend::new(async move {
            let (counts, counted) = match counts.await {
                Ok(found) => (Some(found.0), Some(found.1)),
                Err(_) => (None, None),
            };
            let tab = move |state: Option<TaskStatus>| {
                let label = state.map_or(Msg::StateAll, task_status_label);
                let count = counts.map(|c| state.map_or(c.total, |s| c.of(s)));
                let target =
                    Shown { state, device: shown.get_untracked().device, page: 1, size: shown.get_untracked().size };
                let key = state.map_or("ALL", |s| s.as_str());
                view! {
                    <a href=href(&target) aria-current=move || (shown.get().state == state).then_some("page") data-state=key>
                        {move || i18n.t(label)}
                        {count.map(|c| view! { <span class="count">{c}</span> })}
                    </a>
                }
            };
            let note = (counted == Some(Counted::ByListing)).then(|| i18n.t(Msg::CountsByListing));
            view! {
                <nav class="tabs state-tabs" aria-label=move || i18n.t(Msg::BatchStates) title=note>
                    {tab(None)}
                    {TaskStatus::ALL.iter().map(|&s| tab(Some(s))).collect_view()}
                </nav>
            }
        })
    };

    let search_text = RwSignal::new(shown.get_untracked().device);
    let navigate = use_navigate();
    let search = {
        let navigate = navigate.clone();
        move || {
            let current = shown.get_untracked();
            let next = Shown { device: search_text.get_untracked().trim().to_owned(), page: 1, ..current };
            navigate(&href(&next), nav::to_href(false));
        }
    };
    let results = move || {
        let navigate = navigate.clone();
        Suspend::new(async move {
            match tasks.await {
                Ok(None) => view! { <div class="panel empty"><p>{move || i18n.t(Msg::TooDeep)}</p></div> }.into_any(),
                Ok(Some(response)) if response.data.items.is_empty() => {
                    let device = shown.get_untracked().device;
                    let message = move || {
                        if device.is_empty() {
                            i18n.t(Msg::NoTasksHere).to_owned()
                        } else {
                            i18n.fill(Msg::NoTaskForDevice, &[("name", &device)])
                        }
                    };
                    view! { <div class="panel empty"><p>{message}</p></div> }.into_any()
                }
                Ok(Some(response)) => {
                    let page_href = move |page: u32| href(&Shown { page, ..shown.get_untracked() });
                    let resize = move |size: u32| {
                        navigate(&href(&Shown { page: 1, size, ..shown.get_untracked() }), nav::to_href(true))
                    };
                    view! {
                        <TaskTable tasks=response.data.items act/>
                        <Pager page=response.page sizes=PAGE_SIZES href=page_href on_size=resize/>
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || tasks.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="task-list">
            <Transition fallback=Loading>{tabs}</Transition>
            <form
                class="toolbar"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    search();
                }
            >
                <input
                    type="search"
                    name="device"
                    aria-label=move || i18n.t(Msg::ColumnDevice)
                    placeholder=move || i18n.t(Msg::DeviceSearchPlaceholder)
                    prop:value=move || search_text.get()
                    on:input:target=move |ev| search_text.set(ev.target().value())
                />
                <button type="submit">{move || i18n.t(Msg::Search)}</button>
            </form>
            {failure_view}
            <Transition fallback=Loading>{results}</Transition>
            <ConfirmDialog ask/>
        </section>
    }
}

#[component]
fn TaskTable(tasks: Vec<SimpleOTATaskInfo>, act: Callback<(TaskAction, SimpleOTATaskInfo)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data tasks">
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t(Msg::ColumnDevice)}</th>
                    <th scope="col">{move || i18n.t(Msg::ColumnStatus)}</th>
                    <th scope="col">{move || i18n.t(Msg::ColumnDetail)}</th>
                    <th scope="col">{move || i18n.t(Msg::ColumnVersions)}</th>
                    <th scope="col">{move || i18n.t(Msg::Modified)}</th>
                    <th scope="col">{move || i18n.t(Msg::ColumnActions)}</th>
                </tr>
            </thead>
            <tbody>{tasks.into_iter().map(|task| view! { <TaskRow task act/> }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn TaskRow(task: SimpleOTATaskInfo, act: Callback<(TaskAction, SimpleOTATaskInfo)>) -> impl IntoView {
    let i18n = use_i18n();
    let status = task.task_status;
    let actions = TaskAction::allowed(status)
        .iter()
        .map(|&action| {
            let label = match action {
                TaskAction::Confirm => Msg::ActionConfirm,
                TaskAction::Cancel => Msg::ActionCancel,
                TaskAction::Reupgrade => Msg::ActionReupgrade,
            };
            let task = task.clone();
            view! {
                <button type="button" class="link" on:click=move |_| act.run((action, task.clone()))>
                    {move || i18n.t(label)}
                </button>
            }
        })
        .collect_view();
    let detail = match status {
        TaskStatus::Queued => task.wait_reason.map(|reason| {
            let at = task.utc_schedule_time.map(format::local_time).unwrap_or_default();
            (move || {
                if reason == WaitReason::Scheduled {
                    i18n.fill(Msg::WaitScheduled, &[("time", &at)])
                } else {
                    i18n.t(wait_reason_label(reason)).to_owned()
                }
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
    let detail =
        detail.unwrap_or_else(|| view! { <span class="muted">{move || i18n.t(Msg::NotSet)}</span> }.into_any());
    let versions = match task.src_version.as_str() {
        "" => task.dest_version.clone(),
        src => format!("{src} → {}", task.dest_version),
    };
    view! {
        <tr data-task-id=task.task_id.clone() data-state=status.as_str()>
            <td class="mono">{task.device_name.clone()}</td>
            <td>
                <span class=format!("swatch state-{}", status.as_str())></span>
                {move || i18n.t(task_status_label(status))}
            </td>
            <td class="detail" title=task.task_desc.clone()>{detail}</td>
            <td class="mono">{versions}</td>
            <td><time datetime=task.utc_modified.to_string()>{format::local_time(task.utc_modified)}</time></td>
            <td class="actions">{actions}</td>
        </tr>
    }
}
