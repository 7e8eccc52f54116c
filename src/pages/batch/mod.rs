//! One batch: what it is and its key settings (QueryOTAJob), then in tabs its devices by
//! state (the default), its progress over time (`?tab=progress`), every setting
//! (`?tab=info`) and who changed it when (`?tab=history`). Its place in the console is under its
//! package: `/packages/:id/batches/:job`.

mod cancel;
pub mod dialogs;
mod edit;
mod history;
mod info;
mod progress;
mod safety;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use ota_model::job::OTAJobInfo;

use self::dialogs::{BatchDialogs, BatchTarget, CancelButton, EditButton, EditPart, Trigger};
use self::history::BatchHistory;
use self::info::{BatchInformation, push_rate};
use self::progress::BatchProgress;
use crate::api::{self, TaskScope};
use crate::components::{ErrorPanel, JobStatusBadge, LiveIndicator, Loaded, job_type_label, selection_label};
use crate::i18n::{AuditMsg, I18n, Msg, use_i18n};
use crate::live::{Live, Watch, use_live};
use crate::nav::{self, use_environment, use_site};
use crate::pages::tasks::{TaskActions, TaskList};
use crate::resource::resource;

#[component]
pub fn BatchDetail() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let params = use_params_map();
    let query = use_query_map();
    let firmware_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let job_id = Memo::new(move |_| params.read().get("job").unwrap_or_default());
    // Bumped after every change made here: the batch and its lists are read again.
    let revision = RwSignal::new(0_u32);
    let dialogs = BatchDialogs::new();
    let safety_actions = TaskActions::new(revision);
    let live = use_live(Watch::Job(job_id.get_untracked()));
    let batch = resource(move || {
        revision.track();
        let (env, job_id) = (env.get(), job_id.get());
        async move { api::query_job(&env, &job_id).await }
    });
    // The History tab is offered only by backends that keep an audit log.
    let keeps_history = resource(move || {
        let env = env.get();
        async move { api::offers_audit_log(&env).await.unwrap_or(false) }
    });
    let tab = Memo::new(move |_| BatchTab::from_query(query.read().get("tab").as_deref()));
    let batch_path = Memo::new(move |_| nav::batch_path(&firmware_id.get(), &job_id.get()));
    let content = move || {
        let site = site.clone();
        Suspend::new(async move {
            match batch.await {
                Ok(response) => {
                    let job = response.data;
                    let env = env.get_untracked();
                    let keeps_history = keeps_history.await;
                    let package_href = site.href(&env, &nav::package_path(&job.summary.firmware_id), &[]);
                    let package_name = job.name.clone().unwrap_or_else(|| job.summary.firmware_id.clone());
                    let path = batch_path.get_untracked();
                    let tabs = BatchTab::ALL
                        .into_iter()
                        .filter(|each| *each != BatchTab::History || keeps_history)
                        .map(|each| {
                            let query = match each {
                                BatchTab::Devices => vec![],
                                other => vec![("tab", other.name().to_owned())],
                            };
                            view! {
                                <a
                                    href=site.href(&env, &path, &query)
                                    aria-current=move || (tab.get() == each).then_some("page")
                                    data-tab=each.name()
                                >
                                    {move || each.label(i18n)}
                                </a>
                            }
                        })
                        .collect_view();
                    let info_job = job.clone();
                    let safety = safety::has_safety(&job)
                        .then(|| view! { <safety::SafetyPanel job=job.clone() live actions=safety_actions dialogs/> });
                    let body = move || {
                        match tab.get() {
                        BatchTab::Info => view! { <BatchInformation job=info_job.clone() dialogs/> }.into_any(),
                        BatchTab::History => {
                            view! { <BatchHistory job_id=job_id.get_untracked() revision/> }.into_any()
                        }
                        BatchTab::Progress => {
                            view! { <BatchProgress job_id=job_id.get_untracked() live/> }
                                .into_any()
                        }
                        BatchTab::Devices => {
                            view! { <TaskList scope=TaskScope::Job(job_id.get_untracked()) path=path.clone() revision live/> }
                                .into_any()
                        }
                    }
                    };
                    view! {
                        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::Breadcrumb)>
                            <a href=site.packages_href(&env)>{i18n.text(Msg::BackToPackages)}</a>
                            " › "
                            <a href=package_href>{package_name}</a>
                        </nav>
                        <BatchHeader job live dialogs/>
                        {safety}
                        <nav class="tabs" aria-label=move || i18n.t(Msg::BatchTabs)>{tabs}</nav>
                        {body}
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || batch.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="batch-detail">
            <Loaded view=content/>
            {dialogs.view(move || revision.update(|r| *r += 1))}
        </section>
    }
}

/// The batch page's tabs, as named in the query string (`tab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BatchTab {
    Devices,
    Progress,
    Info,
    History,
}

impl BatchTab {
    const ALL: [BatchTab; 4] = [BatchTab::Devices, BatchTab::Progress, BatchTab::Info, BatchTab::History];

    fn from_query(value: Option<&str>) -> Self {
        Self::ALL.into_iter().find(|tab| Some(tab.name()) == value).unwrap_or(BatchTab::Devices)
    }

    fn name(self) -> &'static str {
        match self {
            BatchTab::Devices => "devices",
            BatchTab::Progress => "progress",
            BatchTab::Info => "info",
            BatchTab::History => "history",
        }
    }

    fn label(self, i18n: I18n) -> &'static str {
        match self {
            BatchTab::Devices => i18n.t(Msg::TabDevices),
            BatchTab::Progress => i18n.t(Msg::TabProgress),
            BatchTab::Info => i18n.t(Msg::TabBatchInfo),
            BatchTab::History => i18n.t(AuditMsg::TabHistory),
        }
    }
}

/// The batch's identity, its key settings and what can be done to it.
#[component]
fn BatchHeader(job: OTAJobInfo, live: Live, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    // The status follows the batch live; the first answer is the page's own.
    let (initial, status_job) = (job.summary.job_status, job.summary.job_id.clone());
    let status = resource(move || {
        let (changes, env, job_id) = (live.changed.get(), env.get_untracked(), status_job.clone());
        async move {
            if changes == 0 {
                return initial;
            }
            api::query_job(&env, &job_id).await.map_or(initial, |answer| answer.data.summary.job_status)
        }
    });
    let badge = move || Suspend::new(async move { view! { <JobStatusBadge status=status.await/> }.into_any() });
    let summary = job.summary.clone();
    let (job_type, selection) = (job_type_label(summary.job_type), selection_label(summary.selection_type));
    let package = job.name.clone().unwrap_or_default();
    let subtitle = move || {
        let kind = format!("{} · {}", i18n.t(job_type), i18n.t(selection));
        i18n.fill(Msg::BatchOf, &[("type", &kind), ("package", &package)])
    };
    let key_values = move || {
        let timeout = job
            .timeout_in_minutes
            .map_or_else(|| i18n.t(Msg::NotSet).to_owned(), |m| i18n.fill(Msg::Minutes, &[("count", &m.to_string())]));
        let versions =
            format!("{} → {}", info::source_versions(i18n, &job), job.dest_version.clone().unwrap_or_default());
        [(Msg::ColumnVersions, versions), (Msg::PushRate, push_rate(i18n, &job)), (Msg::DeviceTimeout, timeout)].map(
            |(label, value)| {
                view! {
                    <div class="field">
                        <dt>{move || i18n.t(label)}</dt>
                        <dd>{value}</dd>
                    </div>
                }
            },
        )
    };
    let title_id = summary.job_id.clone();
    let actions = summary.job_status.is_running().then(|| {
        let target = BatchTarget::of(&summary);
        view! {
            <span class="header-actions">
                <EditButton dialogs target=target.clone() part=EditPart::Policy trigger=Trigger::Header/>
                <CancelButton dialogs target trigger=Trigger::Header/>
            </span>
        }
    });
    view! {
        <header class="page-header">
            <h1>{i18n.text(Msg::BatchDetails)} " " <span class="mono">{title_id}</span></h1>
            <Loaded view=badge fallback=move || view! { <JobStatusBadge status=initial/> }/>
            <LiveIndicator live/>
            {actions}
            <p class="intro">{subtitle}</p>
        </header>
        <dl class="fields compact key-values">{key_values}</dl>
    }
}
