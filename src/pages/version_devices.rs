//! The devices that last reported one version of a module, a page at a time: where a
//! version chart leads (the package's data analysis, the dashboard).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::PageRequest;
use ota_model::registry::{DeviceInfo, ModuleVersionFilter};

use crate::api;
use crate::components::{ErrorPanel, Loaded, Pager, device_status};
use crate::format;
use crate::i18n::{AnalysisMsg, Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

const PAGE_SIZES: &[u32] = &[20, 50];

/// The devices that last reported `version` of `module`, a page at a time (`vpage`, `vsize`).
#[component]
pub fn VersionDevices(
    /// The page it is on, for its paging links.
    path: String,
    product: String,
    module: String,
    version: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let query = use_query_map();
    let paging = Memo::new(move |_| {
        let number = |name: &str| query.read().get(name).and_then(|v| v.parse::<u32>().ok());
        let size = number("vsize").filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0]);
        PageRequest::new(number("vpage").filter(|p| *p >= 1).unwrap_or(1), size)
    });
    let filter = ModuleVersionFilter { module_name: module.clone(), version: version.clone() };
    let devices = {
        let product = product.clone();
        resource(move || {
            let (env, product, filter, page) = (env.get(), product.clone(), filter.clone(), paging.get());
            async move { api::devices_on_version(&env, &product, filter, page).await }
        })
    };
    // Paging keeps the rest of the query (the tab, the version, other filters).
    let site = use_site();
    let href = move |page: u32, size: u32| {
        let changes = [
            ("vpage", (page != 1).then(|| page.to_string())),
            ("vsize", (size != PAGE_SIZES[0]).then(|| size.to_string())),
        ];
        site.href_changing(&env.get_untracked(), &path, &query.get_untracked(), &changes)
    };
    let heading = {
        let version = version.clone();
        move || i18n.fill(AnalysisMsg::DevicesOnVersion, &[("version", &version)])
    };
    let body = move || {
        let (product, module, version, href) = (product.clone(), module.clone(), version.clone(), href.clone());
        Suspend::new(async move {
            match devices.await {
                Ok(answer) => {
                    let total = answer.total.to_string();
                    let whole = i18n.fill(
                        AnalysisMsg::DevicesOnVersionOf,
                        &[("total", &total), ("version", &version), ("module", &module)],
                    );
                    let size = paging.get_untracked().page_size;
                    let navigate = use_navigate();
                    let resize = {
                        let href = href.clone();
                        move |size: u32| navigate(&href(1, size), nav::to_href(true))
                    };
                    let page = ota_model::Page {
                        total: answer.total,
                        page_size: answer.page_size,
                        page_count: answer.page_count,
                        current_page: answer.page,
                    };
                    let rows = answer
                        .data
                        .items
                        .into_iter()
                        .map(|device| view! { <DeviceRow product=product.clone() device/> })
                        .collect_view();
                    view! {
                        <p class="denominator" data-total=total>{whole}</p>
                        <div class="table-scroll"><table class="data version-devices">
                            <thead><tr>
                                <th scope="col">{i18n.text(Msg::ColumnDevice)}</th>
                                <th scope="col">{i18n.text(Msg::ColumnStatus)}</th>
                                <th scope="col">{i18n.text(Msg::Nickname)}</th>
                                <th scope="col">{i18n.text(AnalysisMsg::ColumnChanged)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                        <Pager page sizes=PAGE_SIZES href=move |n: u32| href(n, size) on_size=resize/>
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || devices.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="version-devices" aria-labelledby="version-devices-heading">
            <h3 id="version-devices-heading">{heading}</h3>
            <Loaded view=body/>
        </section>
    }
}

#[component]
fn DeviceRow(product: String, device: DeviceInfo) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let (label, tone) = device_status(device.device_status);
    let href = site.href(&env.get_untracked(), &nav::device_path(&product, &device.device_name), &[]);
    view! {
        <tr>
            <td><a class="primary" href=href>{device.device_name.clone()}</a></td>
            <td><span class=format!("badge {tone}")>{move || i18n.t(label)}</span></td>
            <td>{device.nickname.clone().unwrap_or_default()}</td>
            <td>{move || format::local_time(device.utc_modified)}</td>
        </tr>
    }
}
