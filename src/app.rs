//! The application shell: context, header (environment and language switchers), navigation
//! and routes.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use leptos_router::{Lazy, LazyRoute};
use ota_model::console_config::Environment;

use crate::api;
use crate::auth::{Account, SignInDialog, use_may};
use crate::components::Show;
use crate::i18n::{AnalysisMsg, AuditMsg, FormMsg, I18n, Lang, Message, Msg, use_i18n};
use crate::nav::{self, Site, use_environment, use_site};
use crate::pages::{
    AuditLog, BatchDetail, Dashboard, DeviceView, EnvironmentList, ModuleList, NewBatch, NewPackage, NotFound,
    PackageDetail, PackageList,
};
use crate::resource::resource;
use crate::theme::ThemeSwitch;

const LANG_STORAGE_KEY: &str = "ota-console.lang";

/// The language chosen before, else the browser's, else English.
pub fn initial_lang() -> Lang {
    let stored = window().local_storage().ok().flatten().and_then(|s| s.get_item(LANG_STORAGE_KEY).ok().flatten());
    stored.or_else(|| window().navigator().language()).and_then(|tag| Lang::from_tag(&tag)).unwrap_or(Lang::En)
}

/// Provides the catalogue and keeps the document's language, title and the stored choice in
/// step with it.
fn provide_i18n(lang: Lang) -> I18n {
    let i18n = I18n { lang: RwSignal::new(lang) };
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        document().set_title(Msg::AppName.text(lang));
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(LANG_STORAGE_KEY, lang.tag());
        }
    });
    i18n
}

#[component]
pub fn App(environments: Vec<Environment>, lang: Lang) -> impl IntoView {
    provide_i18n(lang);
    crate::theme::provide_theme();
    crate::auth::provide_auth();
    let added = RwSignal::new(Site::load_added(&environments));
    let site = Site { base: nav::mount_point(), configured: Arc::new(environments), added };
    let base = site.base.clone();
    provide_context(site);
    view! {
        <Router base>
            <Shell/>
        </Router>
    }
}

/// Everything inside the router: who the console is signed in as is asked per environment.
#[component]
fn Shell() -> impl IntoView {
    crate::auth::provide_identity();
    view! {
            <Header/>
            <main class="page">
                // A new top-level section must also join `sections` in index.html, which finds
                // the mount point on static hosts.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=EnvironmentList/>
                    <Route path=path!("/packages") view={Lazy::<PackageListRoute>::new()}/>
                    <Route path=path!("/packages/new") view={Lazy::<NewPackageRoute>::new()}/>
                    <Route path=path!("/packages/:id") view={Lazy::<PackageDetailRoute>::new()}/>
                    <Route path=path!("/packages/:id/batches/new") view={Lazy::<NewBatchRoute>::new()}/>
                    <Route path=path!("/packages/:id/batches/:job") view={Lazy::<BatchDetailRoute>::new()}/>
                    <Route path=path!("/devices/:product/:device") view={Lazy::<DeviceViewRoute>::new()}/>
                    <Route path=path!("/modules") view={Lazy::<ModuleListRoute>::new()}/>
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()}/>
                    <Route path=path!("/audit") view={Lazy::<AuditLogRoute>::new()}/>
                </Routes>
            </main>
            <SignInDialog/>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let navigate = use_navigate();
    let packages_href = {
        let site = site.clone();
        move || site.packages_href(&env.get())
    };
    // Another backend has other packages and batches, so switching starts at its package list.
    let switch_environment = {
        let site = site.clone();
        move |select: web_sys::HtmlSelectElement| {
            if !crate::components::may_leave() {
                select.set_value(&env.get_untracked().id);
                return;
            }
            let id = select.value();
            if let Some(target) = site.all().into_iter().find(|e| e.id == id) {
                navigate(&site.packages_href(&target), nav::to_href(false));
            }
        }
    };
    let modules_href = {
        let site = site.clone();
        move || site.href(&env.get(), "/modules", &[])
    };
    let dashboard_href = {
        let site = site.clone();
        move || site.href(&env.get(), "/dashboard", &[])
    };
    let environments_href = {
        let site = site.clone();
        move || site.href(&env.get(), "/", &[])
    };
    let audit_href = {
        let site = site.clone();
        move || site.href(&env.get(), "/audit", &[])
    };
    // Offered to those who may read it, on backends that keep one.
    let may_audit = use_may("ListOTAAuditEvents");
    let keeps_audit = resource(move || {
        let env = env.get();
        async move { api::offers_audit_log(&env).await.unwrap_or(false) }
    });
    let show_audit = move || may_audit.get() && keeps_audit.get().unwrap_or(false);
    view! {
        <header class="topbar">
            <a class="brand" href=packages_href.clone()>{i18n.text(Msg::AppName)}</a>
            <nav aria-label=move || i18n.t(Msg::MainNavigation)>
                <A href=environments_href exact=true>{i18n.text(Msg::Environments)}</A>
                <A href=dashboard_href>{i18n.text(AnalysisMsg::Dashboard)}</A>
                <A href=packages_href>{i18n.text(Msg::UpdatePackages)}</A>
                <A href=modules_href>{i18n.text(FormMsg::Modules)}</A>
                <Show when=show_audit>
                    <A href=audit_href.clone()>{i18n.text(AuditMsg::AuditLog)}</A>
                </Show>
            </nav>
            <div class="switchers">
                <label>
                    <span>{i18n.text(Msg::Environment)}</span>
                    <select
                        prop:value=move || env.get().id
                        on:change:target=move |ev| switch_environment(ev.target())
                    >
                        {move || {
                            site.all()
                                .into_iter()
                                .map(|e| view! { <option value=e.id.clone()>{e.name.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                // Which of the backend's instances the pages show, when the environment names one.
                {move || env.get().iot_instance_id.map(|id| view! {
                    <span class="instance mono" title=move || i18n.t(Msg::InstanceId)>{id}</span>
                })}
                <LanguageSwitch/>
                <ThemeSwitch/>
                <Account/>
            </div>
        </header>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{i18n.text(Msg::Language)}</span>
            <select
                prop:value=move || i18n.lang.get().tag()
                on:change:target=move |ev| {
                    if let Some(lang) = Lang::from_tag(&ev.target().value()) {
                        i18n.lang.set(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| view! { <option value=lang.tag()>{lang.native_name()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Shown instead of the app when `config.json` is missing or wrong.
#[component]
pub fn ConfigProblem(detail: String, lang: Lang) -> impl IntoView {
    let i18n = provide_i18n(lang);
    view! {
        <main class="page">
            <div class="panel error" role="alert">
                <p>{i18n.text(Msg::ConfigUnavailable)}</p>
                <pre>{detail}</pre>
            </div>
        </main>
    }
}

/// Pages whose code is fetched apart from the start page's (each group a part of the split wasm,
/// xtask/src/split.rs): when one of them is first opened, or before, in the background, once the
/// console is up. Pages an operator opens one after another share a group, so that a deep link
/// fetches a few files rather than one per piece of code two pages share.
macro_rules! lazy_pages {
    ($($group:ident: $which:ident { $($route:ident => $page:ident),* $(,)? })*) => {
        $(
            #[derive(Clone, Copy)]
            enum $which {
                $($page),*
            }

            #[leptos::lazy]
            fn $group(page: $which) -> AnyView {
                match page {
                    $($which::$page => view! { <$page/> }.into_any()),*
                }
            }

            $(
                struct $route;
                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }
                    async fn view(_this: Self) -> AnyView {
                        $group($which::$page).await
                    }
                }
            )*
        )*
    };
}

lazy_pages! {
    package_list: PackageListPage { PackageListRoute => PackageList }
    package_pages: PackagePage {
        PackageDetailRoute => PackageDetail,
        BatchDetailRoute => BatchDetail,
        NewBatchRoute => NewBatch,
        DeviceViewRoute => DeviceView,
        NewPackageRoute => NewPackage,
    }
    dashboard: DashboardPage { DashboardRoute => Dashboard }
    admin_pages: AdminPage { ModuleListRoute => ModuleList, AuditLogRoute => AuditLog }
}
