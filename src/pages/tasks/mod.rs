//! Device tasks by state: a tab per state with its count, a device-name search and pages,
//! for one batch or for a package across its batches. All of it lives in the query string
//! (`state`, `device`, `page`, `size`).

mod actions;
mod table;

pub use self::actions::{ActionFailure, TaskActions};
pub use self::table::TaskTable;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use ota_model::PageRequest;
use ota_model::actions::BatchCancel;
use ota_model::enums::TaskStatus;
use ota_model::extensions::Extension;
use ota_model::task::{MAX_TASK_LIST_DEPTH, ReasonFilter, SimpleOTATaskInfo};

use crate::api::{self, Counted, TaskQuery, TaskScope};
use crate::auth::use_may;
use crate::components::{ConfirmDialog, ErrorPanel, Loaded, Pager, Show, task_reason_label, task_status_label};
use crate::i18n::{Msg, use_i18n};
use crate::live::Live;
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

const PAGE_SIZES: &[u32] = &[10, 20, 50, 100];

/// What the list shows, as read from and written to the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    state: Option<TaskStatus>,
    /// One failure reason's tasks (`reason`: a `ReasonCode`, or `none`).
    reason: Option<ReasonFilter>,
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
        let reason = query.get("reason").and_then(|code| match code.to_ascii_uppercase().as_str() {
            ReasonFilter::NONE => Some(ReasonFilter::Uncoded),
            code => code.parse().ok().map(ReasonFilter::Code),
        });
        Self {
            state,
            reason,
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
        if let Some(reason) = self.reason {
            pairs.push(("reason", reason.to_string()));
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

/// What the list area shows.
#[derive(Clone)]
enum Listing {
    Page(ota_model::task::ListOTATaskByJobResponse),
    /// Past the 100,000-row limit: nothing is asked.
    TooDeep,
    /// The backend cannot list a package's tasks across batches.
    Unsupported,
}

/// `path` and `fixed` (such as the package page's `tab`) make the list's links; `revision` is
/// bumped after every change, so that lists and counts are read again.
#[component]
pub fn TaskList(
    scope: TaskScope,
    path: String,
    #[prop(optional)] fixed: Vec<(&'static str, String)>,
    revision: RwSignal<u32>,
    /// Read again when it says something changed.
    live: Live,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let query = use_query_map();
    let shown = Memo::new(move |_| Shown::from_query(&query.read()));
    // Stored, so that `href` is `Copy` and every link and handler can have it.
    let (site, path, fixed) = (StoredValue::new(use_site()), StoredValue::new(path), StoredValue::new(fixed));
    let href = move |next: &Shown| {
        let query: Vec<_> = fixed.read_value().iter().cloned().chain(next.query()).collect();
        site.read_value().href(&env.get_untracked(), &path.read_value(), &query)
    };
    let scope = StoredValue::new(scope);
    let in_package = matches!(scope.read_value().clone(), TaskScope::Package(_));
    let counts = resource(move || {
        revision.track();
        live.changed.track();
        let (env, scope) = (env.get(), scope.get_value());
        async move { api::task_counts(&env, &scope).await }
    });
    let tasks = resource(move || {
        revision.track();
        live.changed.track();
        let (env, shown, scope) = (env.get(), shown.get(), scope.get_value());
        async move {
            if shown.too_deep() {
                return Ok(Listing::TooDeep);
            }
            let page = PageRequest::new(shown.page, shown.size);
            let query = TaskQuery { status: shown.state, device: shown.device, reason: shown.reason, page };
            Ok(api::list_tasks(&env, &scope, &query).await?.map_or(Listing::Unsupported, Listing::Page))
        }
    });

    let actions = TaskActions::new(revision);
    // A batch's tasks in one unfinished state can be cancelled all at once.
    let cancel_state = move |state: TaskStatus, count: u64| {
        let (TaskScope::Job(job_id), Some(plan)) = (scope.get_value(), BatchCancel::only(state)) else { return };
        let count = count.to_string();
        let message = i18n.fill(Msg::AskCancelState, &[("count", &count), ("state", i18n.t(task_status_label(state)))]);
        actions.ask_then(message, Msg::ActionCancel, move |env| {
            let (job_id, plan) = (job_id.clone(), plan.clone());
            Box::pin(async move { api::cancel_batch(&env, &job_id, &plan).await })
        });
    };

    // A backend without the reason filter lists the state's every task: no reason is said then.
    let filters_reasons = resource(move || {
        let env = env.get();
        async move { api::capabilities(&env).await.is_ok_and(|c| c.offers(Extension::ReasonCodeFilter)) }
    });
    let tabs = move || {
        Suspend::new(async move {
            let filters = filters_reasons.await;
            let (counts, counted) = match counts.await {
                Ok(Some(found)) => (Some(found.0), Some(found.1)),
                _ => (None, None),
            };
            let tab = move |state: Option<TaskStatus>| {
                let label = state.map_or(Msg::StateAll, task_status_label);
                let count = counts.map(|c| state.map_or(c.total, |s| c.of(s)));
                // Tabs keep the device search and page size, whatever they are now.
                let target = move || href(&Shown { state, reason: None, page: 1, ..shown.get() });
                let key = state.map_or("ALL", |s| s.as_str());
                view! {
                    <a href=target aria-current=move || (shown.get().state == state).then_some("page") data-state=key>
                        {move || i18n.t(label)}
                        {count.map(|c| view! { <span class="count">{move || crate::format::count(c)}</span> })}
                    </a>
                }
            };
            let note = move || (counted == Some(Counted::ByListing)).then(|| i18n.t(Msg::CountsByListing));
            let label = if in_package { Msg::PackageStates } else { Msg::BatchStates };
            let bulk = move || {
                let state = shown.get().state?;
                let count = counts?.of(state);
                (!in_package && count > 0 && BatchCancel::only(state).is_some()).then(|| {
                    let text = move || {
                        i18n.fill(
                            Msg::CancelAllInState,
                            &[("count", &count.to_string()), ("state", i18n.t(task_status_label(state)))],
                        )
                    };
                    view! {
                        <button type="button" class="danger bulk-cancel" on:click=move |_| cancel_state(state, count)>
                            {text}
                        </button>
                    }
                })
            };
            // A failure reason narrows the list: said, with the way back to every reason.
            let reason = move || {
                let reason = shown.get().reason.filter(|_| filters)?;
                let name = reason.code().map_or_else(
                    || i18n.t(Msg::ReasonNone).to_owned(),
                    |code| i18n.t(task_reason_label(code)).to_owned(),
                );
                let every = href(&Shown { reason: None, page: 1, ..shown.get() });
                Some(view! {
                    <p class="filter" data-reason=reason.to_string()>
                        {i18n.fill(Msg::OnlyReason, &[("reason", &name)])} " " <a href=every>{i18n.t(Msg::EveryReason)}</a>
                    </p>
                })
            };
            view! {
                <nav class="tabs state-tabs" aria-label=move || i18n.t(label) title=note>
                    {tab(None)}
                    {TaskStatus::ALL.iter().map(|&s| tab(Some(s))).collect_view()}
                </nav>
                {reason}
                {bulk}
            }
            .into_any()
        })
    };

    let search_text = RwSignal::new(shown.get_untracked().device);
    // Back, forward and links change the search too; the box follows.
    Effect::new(move |_| search_text.set(shown.with(|s| s.device.clone())));
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
            let empty =
                |message: Msg| view! { <div class="panel empty"><p>{move || i18n.t(message)}</p></div> }.into_any();
            match tasks.await {
                Ok(Listing::TooDeep) => empty(Msg::TooDeep),
                Ok(Listing::Unsupported) => empty(Msg::PackageTasksUnsupported),
                Ok(Listing::Page(response)) if response.data.items.is_empty() => {
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
                Ok(Listing::Page(response)) => {
                    let page_action = page_action(shown.get_untracked().state, &response.data.items, actions);
                    let page_href = move |page: u32| href(&Shown { page, ..shown.get_untracked() });
                    let resize = move |size: u32| {
                        navigate(&href(&Shown { page: 1, size, ..shown.get_untracked() }), nav::to_href(true))
                    };
                    // Which tab these rows belong to, for tests and the benchmark to wait on.
                    let shown_state = shown.get_untracked().state.map_or("ALL", |s| s.as_str());
                    view! {
                        {page_action}
                        <div class="results" data-shown=shown_state>
                            <TaskTable tasks=response.data.items act=actions.act with_batch=in_package/>
                        </div>
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
            <Loaded view=tabs/>
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
                <button type="submit">{i18n.text(Msg::Search)}</button>
            </form>
            <ActionFailure failure=actions.failure/>
            <Loaded view=results/>
            <ConfirmDialog ask=actions.ask/>
        </section>
    }
}

/// Confirming, or running again, every task on the page at once: offered on the pending
/// confirmation tab, and on the failed and canceled ones.
fn page_action(state: Option<TaskStatus>, tasks: &[SimpleOTATaskInfo], actions: TaskActions) -> Option<AnyView> {
    let i18n = use_i18n();
    let (confirm, button, question) = match state? {
        TaskStatus::Confirm => (true, Msg::ConfirmPage, Msg::AskConfirmPage),
        TaskStatus::Failed | TaskStatus::Canceled => (false, Msg::ReupgradePage, Msg::AskReupgradePage),
        _ => return None,
    };
    let chosen: Vec<(String, String)> = tasks.iter().map(|t| (t.job_id.clone(), t.task_id.clone())).collect();
    let count = chosen.len().to_string();
    let label = {
        let count = count.clone();
        move || i18n.fill(button, &[("count", &count)])
    };
    let ask = move |_| {
        let chosen = chosen.clone();
        let message = i18n.fill(question, &[("count", &count)]);
        let confirm_label = if confirm { Msg::ActionConfirm } else { Msg::ActionReupgrade };
        actions.ask_then(message, confirm_label, move |env| {
            let chosen = chosen.clone();
            Box::pin(async move { api::act_on_tasks(&env, confirm, &chosen).await })
        });
    };
    let action =
        if confirm { ota_model::actions::TaskAction::Confirm } else { ota_model::actions::TaskAction::Reupgrade };
    let may = use_may(action.operation());
    Some(
        view! {
            <Show when=move || may.get()>
                <button type="button" class="page-action" on:click=ask.clone()>{label.clone()}</button>
            </Show>
        }
        .into_any(),
    )
}
