//! Update packages: the list, with search and pages. All of its state lives in the query
//! string (`q`, `page`, `size`), so every view of it can be linked, reloaded and navigated
//! back to.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use ota_model::extensions::Extension;
use ota_model::firmware::{ListOTAFirmware, ListOTAFirmwareResponse, MAX_KEYWORD_CHARS, SimpleFirmwareInfo};
use ota_model::{FirmwareType, Page, PageRequest};
use wasm_bindgen::JsCast;

use crate::api;
use crate::auth::use_may;
use crate::components::{ErrorPanel, FirmwareStatusBadge, Loaded, PagedList, Show, firmware_type_label};
use crate::format;
use crate::i18n::{FormMsg, Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

const PAGE_SIZES: &[u32] = &[10, 20, 50, ListOTAFirmware::MAX_PAGE_SIZE];
/// Typing pauses this long before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// What the list shows, as read from and written to the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    keyword: String,
    page: u32,
    size: u32,
}

impl Filter {
    fn from_query(query: &ParamsMap) -> Self {
        let number = |name: &str| query.get(name).and_then(|v| v.parse::<u32>().ok());
        Self {
            // The backend refuses longer keywords; a hand-edited URL should not make it fail.
            keyword: query.get("q").unwrap_or_default().trim().chars().take(MAX_KEYWORD_CHARS).collect(),
            page: number("page").filter(|p| *p >= 1).unwrap_or(1),
            size: number("size").filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0]),
        }
    }

    /// The query string parameters, leaving out defaults so that links stay short.
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("q", self.keyword.clone())];
        if self.page != 1 {
            query.push(("page", self.page.to_string()));
        }
        if self.size != PAGE_SIZES[0] {
            query.push(("size", self.size.to_string()));
        }
        query
    }

    /// The list request. A backend without the `Keyword` extension can only match an exact
    /// destination version, so the search text is sent as one (when it could be one).
    fn request(&self, keyword_search: bool) -> ListOTAFirmware {
        let text = Some(self.keyword.clone()).filter(|k| !k.is_empty());
        let (keyword, dest_version) = if keyword_search {
            (text, None)
        } else {
            (None, text.filter(|t| ota_model::rules::VERSION.check("DestVersion", t).is_ok()))
        };
        ListOTAFirmware { page: PageRequest::new(self.page, self.size), keyword, dest_version, ..Default::default() }
    }
}

#[component]
pub fn PackageList() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let query = use_query_map();
    let filter = Memo::new(move |_| Filter::from_query(&query.read()));
    let packages = resource(move || {
        let env = env.get();
        let filter = filter.get();
        async move {
            let keyword_search = api::capabilities(&env).await?.offers(Extension::Keyword);
            let request = filter.request(keyword_search);
            if !filter.keyword.is_empty() && request.keyword.is_none() && request.dest_version.is_none() {
                // Searching by exact version, text that cannot be a version matches nothing.
                return Ok(ListOTAFirmwareResponse {
                    page: Page::new(request.page, 0),
                    firmware_info: Default::default(),
                });
            }
            api::list_firmware(&env, &request).await
        }
    });

    let href = {
        let site = site.clone();
        move |filter: &Filter| site.href(&env.get_untracked(), "/packages", &filter.query())
    };
    let go = {
        let navigate = use_navigate();
        let href = href.clone();
        move |filter: Filter| navigate(&href(&filter), nav::to_href(true))
    };

    // The search box runs the search once typing pauses; Enter runs it at once.
    let search_text = RwSignal::new(filter.get_untracked().keyword);
    let pending_search = StoredValue::new(None::<TimeoutHandle>);
    // A search still waiting when the page is left must not run: its signals are gone.
    on_cleanup(move || {
        if let Some(handle) = pending_search.try_get_value().flatten() {
            handle.clear();
        }
    });
    let run_search = {
        let go = go.clone();
        move || {
            if let Some(handle) = pending_search.get_value() {
                handle.clear();
            }
            pending_search.set_value(None);
            let keyword = search_text.get_untracked().trim().to_owned();
            if keyword != filter.get_untracked().keyword {
                go(Filter { keyword, page: 1, size: filter.get_untracked().size });
            }
        }
    };
    let on_input = {
        let run_search = run_search.clone();
        move |text: String| {
            search_text.set(text);
            if let Some(handle) = pending_search.get_value() {
                handle.clear();
            }
            let run_search = run_search.clone();
            pending_search.set_value(set_timeout_with_handle(run_search, SEARCH_DELAY).ok());
        }
    };
    // A link chosen while a search waits leaves the page, so the search must not run: the next
    // page's code may still be on its way, and the search would bring the operator back here.
    let leave_by_link = move |event: leptos::ev::MouseEvent| {
        let on_link = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| element.closest("a[href]").ok().flatten().is_some());
        if on_link && let Some(handle) = pending_search.get_value() {
            handle.clear();
            pending_search.set_value(None);
        }
    };
    // Back and forward change the URL, not the box: bring the box along.
    Effect::new(move |_| {
        let keyword = filter.get().keyword;
        if pending_search.get_value().is_none() {
            search_text.set(keyword);
        }
    });
    let clear_search = {
        let run_search = run_search.clone();
        move || {
            search_text.set(String::new());
            run_search();
        }
    };

    let (loading, set_loading) = signal(false);
    let results = move || {
        let href = href.clone();
        let go = go.clone();
        let clear_search = clear_search.clone();
        Suspend::new(async move {
            match packages.await {
                Ok(response) => {
                    let current = filter.get_untracked();
                    let page_href = {
                        let current = current.clone();
                        move |page: u32| href(&Filter { page, ..current.clone() })
                    };
                    let resize = move |size: u32| go(Filter { size, page: 1, ..filter.get_untracked() });
                    view! { <Results response keyword=current.keyword page_href resize clear_search/> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || packages.refetch()/> }.into_any(),
            }
        })
    };

    let new_href = {
        let site = use_site();
        move || site.href(&env.get(), "/packages/new", &[])
    };
    let may_create = use_may("CreateOTAFirmware");
    view! {
        <section class="package-list" aria-busy=move || loading.get().to_string() on:click=leave_by_link>
            <header class="page-header">
                <h1>{i18n.text(Msg::UpdatePackages)}</h1>
                <div class="header-actions">
                    <Show when=move || may_create.get()>
                        <a class="button primary" href=new_href.clone()>{i18n.text(FormMsg::NewPackage)}</a>
                    </Show>
                </div>
                <p class="intro">{i18n.text(Msg::UpdatePackagesIntro)}</p>
            </header>
            <form
                class="toolbar"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run_search();
                }
            >
                <input
                    type="search"
                    name="q"
                    aria-label=move || i18n.t(Msg::Search)
                    placeholder=move || i18n.t(Msg::SearchPlaceholder)
                    maxlength=MAX_KEYWORD_CHARS
                    prop:value=move || search_text.get()
                    on:input:target=move |ev| on_input(ev.target().value())
                />
                <button type="submit">{i18n.text(Msg::Search)}</button>
                <span class="busy" hidden=move || !loading.get()>{i18n.text(Msg::Loading)}</span>
            </form>
            <Loaded view=results set_pending=set_loading/>
        </section>
    }
}

/// One page of results, or why there are none.
#[component]
fn Results(
    response: ListOTAFirmwareResponse,
    keyword: String,
    page_href: impl Fn(u32) -> String + Send + Sync + 'static,
    resize: impl Fn(u32) + Send + Sync + 'static,
    clear_search: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let packages = response.firmware_info.items;
    if response.page.total == 0 {
        let filtered = !keyword.is_empty();
        let message = move || {
            if filtered {
                i18n.fill(Msg::NoPackagesMatch, &[("query", &keyword)])
            } else {
                i18n.t(Msg::NoPackagesYet).to_owned()
            }
        };
        return view! {
            <div class="panel empty">
                <p>{message}</p>
                {filtered.then(|| view! {
                    <button type="button" on:click=move |_| clear_search()>{i18n.text(Msg::ClearSearch)}</button>
                })}
            </div>
        }
        .into_any();
    }
    let has_rows = !packages.is_empty();
    view! {
        <PagedList page=response.page sizes=PAGE_SIZES has_rows href=page_href on_size=resize>
            <PackageTable packages=packages.clone()/>
        </PagedList>
    }
    .into_any()
}

#[component]
fn PackageTable(packages: Vec<SimpleFirmwareInfo>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll"><table class="data">
            <thead>
                <tr>
                    <th scope="col">{i18n.text(Msg::ColumnName)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnProduct)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnModule)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnVersion)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnType)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnStatus)}</th>
                    <th scope="col" class="number">{i18n.text(Msg::ColumnSize)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnCreated)}</th>
                    <th scope="col">{i18n.text(Msg::ColumnActions)}</th>
                </tr>
            </thead>
            <tbody>
                {packages.into_iter().map(|package| view! { <PackageRow package/> }).collect_view()}
            </tbody>
        </table></div>
    }
}

#[component]
fn PackageRow(package: SimpleFirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let id = package.firmware_id.clone();
    let detail_href = move || site.href(&env.get(), &nav::package_path(&id), &[]);
    let version = match (&package.src_version, package.firmware_type) {
        (Some(src), FirmwareType::Differential) => format!("{src} → {}", package.dest_version),
        _ => package.dest_version.clone(),
    };
    let firmware_type = firmware_type_label(package.firmware_type);
    view! {
        <tr data-firmware-id=package.firmware_id.clone()>
            <td>
                <a class="primary" href=detail_href.clone()>{package.firmware_name.clone()}</a>
                <div class="sub mono">{package.firmware_id.clone()}</div>
            </td>
            <td title=package.product_key.clone()>{package.product_name.clone()}</td>
            <td>{package.module_name.clone()}</td>
            <td class="mono">{version}</td>
            <td>{move || i18n.t(firmware_type)}</td>
            <td><FirmwareStatusBadge status=package.status/></td>
            <td class="number">{format::bytes(package.firmware_size)}</td>
            <td><time datetime=package.utc_create.to_string()>{move || format::local_time(package.utc_create)}</time></td>
            <td><a href=detail_href>{i18n.text(Msg::View)}</a></td>
        </tr>
    }
}
