//! One update package, in tabs: its batches (the default), its devices across batches and its
//! information. The tab and each tab's filters and paging live in the query string, so every
//! view can be linked and reloaded.

mod analysis;
mod batches;
mod info;
mod manage;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use self::analysis::PackageAnalysis;
use self::batches::BatchList;
use self::info::PackageInformation;
use self::manage::PackageActions;
use crate::api::{self, TaskScope};
use crate::components::{ErrorPanel, FirmwareStatusBadge, LiveIndicator, Loaded};
use crate::i18n::{Msg, use_i18n};
use crate::live::{Watch, use_live};
use crate::nav::{self, use_environment, use_site};
use crate::pages::tasks::TaskList;
use crate::resource::resource;

/// The package page's tabs, as named in the query string (`tab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Batches,
    Devices,
    Analysis,
    Info,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Batches, Tab::Devices, Tab::Analysis, Tab::Info];

    fn from_query(value: Option<String>) -> Self {
        Tab::ALL.into_iter().find(|tab| Some(tab.name()) == value.as_deref()).unwrap_or(Tab::Batches)
    }

    fn name(self) -> &'static str {
        match self {
            Tab::Batches => "batches",
            Tab::Devices => "devices",
            Tab::Analysis => "analysis",
            Tab::Info => "info",
        }
    }

    fn label(self) -> Msg {
        match self {
            Tab::Batches => Msg::TabBatches,
            Tab::Devices => Msg::TabPackageDevices,
            Tab::Analysis => Msg::TabAnalysis,
            Tab::Info => Msg::PackageInformation,
        }
    }
}

#[component]
pub fn PackageDetail() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let params = use_params_map();
    let query = use_query_map();
    let firmware_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let tab = Memo::new(move |_| Tab::from_query(query.read().get("tab")));
    let live = use_live(Watch::Package(firmware_id.get_untracked()));
    let package = resource(move || {
        let env = env.get();
        let id = firmware_id.get();
        async move { api::query_firmware(&env, &id).await }
    });
    let tab_href = {
        let site = site.clone();
        move |tab: Tab| {
            let path = nav::package_path(&firmware_id.get());
            let query = if tab == Tab::Batches { vec![] } else { vec![("tab", tab.name().to_owned())] };
            site.href(&env.get(), &path, &query)
        }
    };
    let content = move || {
        let tab_href = tab_href.clone();
        Suspend::new(async move {
            match package.await {
                Ok(response) => {
                    let info = response.firmware_info;
                    let id = info.summary.firmware_id.clone();
                    let tabs = Tab::ALL.map(|each| {
                        let href = tab_href.clone();
                        view! {
                            <a
                                href=move || href(each)
                                aria-current=move || (tab.get() == each).then_some("page")
                                data-tab=each.name()
                            >
                                {move || i18n.t(each.label())}
                            </a>
                        }
                    });
                    let body = {
                        let info = info.clone();
                        move || match tab.get() {
                            Tab::Batches => view! { <BatchList firmware_id=id.clone() live/> }.into_any(),
                            Tab::Devices => view! {
                                <TaskList
                                    scope=TaskScope::Package(id.clone())
                                    path=nav::package_path(&id)
                                    fixed=vec![("tab", Tab::Devices.name().to_owned())]
                                    revision=RwSignal::new(0)
                                    live
                                />
                            }
                            .into_any(),
                            Tab::Analysis => view! { <PackageAnalysis info=info.clone()/> }.into_any(),
                            Tab::Info => view! { <PackageInformation info=info.clone()/> }.into_any(),
                        }
                    };
                    view! {
                        <header class="page-header">
                            <h1>{info.summary.firmware_name.clone()}</h1>
                            <FirmwareStatusBadge status=info.summary.status/>
                            <LiveIndicator live/>
                            <PackageActions info=info.clone() changed=move |()| package.refetch()/>
                        </header>
                        <nav class="tabs" aria-label=move || i18n.t(Msg::PackageTabs)>{tabs}</nav>
                        {body}
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || package.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="package-detail">
            <p class="breadcrumb">
                <a href=move || site.packages_href(&env.get())>{i18n.text(Msg::BackToPackages)}</a>
            </p>
            <Loaded view=content/>
        </section>
    }
}
