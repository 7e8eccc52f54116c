//! The versions the environment's devices run, for a chosen product and module (`?product=`,
//! `?module=`), and the devices on a chosen version (`?version=`, from a slice or a row).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::analysis::{VersionGroup, version_shares};
use ota_model::extensions::{Extension, ListOTAVersionDistribution};
use ota_model::module::DEFAULT_MODULE;

use crate::api;
use crate::charts::{Chart, Clicked, Named, donut, use_palette};
use crate::components::{ErrorPanel, Loading, ShareTable, share_row};
use crate::i18n::{AnalysisMsg, Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::pages::version_devices::VersionDevices;

/// The dashboard's query for a product, module and version; the version's device list starts
/// again at its first page.
fn fleet_query(product: String, module: String, version: Option<String>) -> [(&'static str, Option<String>); 5] {
    [("product", Some(product)), ("module", Some(module)), ("version", version), ("vpage", None), ("vsize", None)]
}

#[component]
pub fn FleetVersions() -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let navigate = use_navigate();
    let products = LocalResource::new(move || {
        let env = env.get();
        async move { api::products(&env).await }
    });
    // The product in the query, else the first one.
    let product = Memo::new(move |_| {
        query.read().get("product").filter(|p| !p.is_empty()).or_else(|| {
            products.get().and_then(|found| found.ok()).and_then(|found| found.first().map(|p| p.product_key.clone()))
        })
    });
    let module =
        Memo::new(move |_| query.read().get("module").filter(|m| !m.is_empty()).unwrap_or(DEFAULT_MODULE.to_owned()));
    let modules = LocalResource::new(move || {
        let (env, product) = (env.get(), product.get());
        async move {
            match product {
                Some(product) => api::modules(&env, &product).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    // A new product starts at its default module; the other sections' filters stay.
    let choose = {
        let site = site.clone();
        move |product: String, module: String, version: Option<String>| {
            let href = site.href_changing(
                &env.get_untracked(),
                "/dashboard",
                &query.get_untracked(),
                &fleet_query(product, module, version),
            );
            navigate(&href, nav::to_href(true));
        }
    };
    let product_options = move || {
        products.get().and_then(|found| found.ok()).unwrap_or_default().into_iter().map(|p| {
            view! { <option value=p.product_key.clone()>{format!("{} ({})", p.product_name, p.product_key)}</option> }
        }).collect_view()
    };
    let module_options = move || {
        modules
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                view! { <option value=m.module_name.clone()>{m.module_name.clone()}</option> }
            })
            .collect_view()
    };
    let on_product = {
        let choose = choose.clone();
        move |value: String| choose(value, DEFAULT_MODULE.to_owned(), None)
    };
    let on_module = {
        let choose = choose.clone();
        move |value: String| choose(product.get_untracked().unwrap_or_default(), value, None)
    };
    view! {
        <section class="analysis fleet" aria-labelledby="fleet-heading">
            <h2 id="fleet-heading">{move || i18n.t(AnalysisMsg::FleetHeading)}</h2>
            <div class="toolbar">
                <label for="fleet-product">{move || i18n.t(Msg::ColumnProduct)}</label>
                <select id="fleet-product" prop:value=move || product.get().unwrap_or_default()
                    on:change:target=move |ev| on_product(ev.target().value())>
                    {product_options}
                </select>
                <label for="fleet-module">{move || i18n.t(Msg::ColumnModule)}</label>
                <select id="fleet-module" prop:value=move || module.get()
                    on:change:target=move |ev| on_module(ev.target().value())>
                    {module_options}
                </select>
            </div>
            {move || product.get().map(|product| view! { <Distribution product module=module.get() choose=choose.clone()/> })}
        </section>
    }
}

#[component]
fn Distribution(
    product: String,
    module: String,
    choose: impl Fn(String, String, Option<String>) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let palette = use_palette();
    let chosen = Memo::new(move |_| query.read().get("version").filter(|v| !v.is_empty()));
    let distribution = {
        let (product, module) = (product.clone(), module.clone());
        LocalResource::new(move || {
            let (env, product, module) = (env.get(), product.clone(), module.clone());
            async move {
                let offers = api::capabilities(&env).await?;
                if !offers.offers(Extension::VersionDistribution) {
                    return Ok(None);
                }
                let top = ListOTAVersionDistribution::DEFAULT_TOP;
                let distribution = api::version_distribution(&env, &product, &module, top).await?;
                Ok(Some((distribution, offers.offers(Extension::DeviceVersionFilter))))
            }
        })
    };
    let group_label = move |group: &VersionGroup| match group {
        VersionGroup::Version(version) => version.clone(),
        VersionGroup::Others { versions } => i18n.fill(AnalysisMsg::OtherVersions, &[("count", &versions.to_string())]),
    };
    let body = move || {
        let (product, module, choose, site) = (product.clone(), module.clone(), choose.clone(), site.clone());
        Suspend::new(async move {
            match distribution.await {
                Ok(Some((distribution, filter))) => {
                    let shares = version_shares(&distribution);
                    let whole = i18n.fill(
                        AnalysisMsg::VersionsOf,
                        &[("total", &distribution.total.to_string()), ("module", &module)],
                    );
                    let slices: Vec<(String, u64)> = shares.iter().map(|s| (group_label(&s.key), s.count)).collect();
                    let options = Signal::derive(move || {
                        let palette = palette.get();
                        let slices = slices
                            .iter()
                            .enumerate()
                            .map(|(n, (name, count))| (Named { name: name.clone(), color: palette.nth(n) }, *count))
                            .collect();
                        donut(&palette, "fleet-versions", slices)
                    });
                    let versions: Vec<String> = distribution.versions.items.iter().map(|v| v.version.clone()).collect();
                    let on_click = {
                        let (product, module, choose) = (product.clone(), module.clone(), choose.clone());
                        Callback::new(move |Clicked { name, .. }: Clicked| {
                            if filter && versions.contains(&name) {
                                choose(product.clone(), module.clone(), Some(name));
                            }
                        })
                    };
                    let version_href = {
                        let (product, module) = (product.clone(), module.clone());
                        move |version: &str| {
                            let query = [
                                ("product", product.clone()),
                                ("module", module.clone()),
                                ("version", version.to_owned()),
                            ];
                            site.href(&env.get_untracked(), "/dashboard", &query)
                        }
                    };
                    let rows = shares
                        .iter()
                        .map(|share| {
                            let label = match (&share.key, filter) {
                                (VersionGroup::Version(version), true) => {
                                    view! { <a href=version_href(version)>{version.clone()}</a> }.into_any()
                                }
                                (group, _) => group_label(group).into_any(),
                            };
                            share_row(label, share)
                        })
                        .collect_view()
                        .into_any();
                    view! {
                        <p class="denominator">{whole.clone()}</p>
                        <div class="chart-and-table">
                            <Chart id="fleet-chart" options label=whole height=280 on_click/>
                            <ShareTable heading=AnalysisMsg::ColumnVersion rows class="fleet-versions"/>
                        </div>
                        {move || {
                            let (product, module, path) = (product.clone(), module.clone(), "/dashboard".to_owned());
                            chosen.get().filter(|_| filter).map(|version| view! { <VersionDevices path product module version/> })
                        }}
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{move || i18n.t(AnalysisMsg::NoDistribution)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || distribution.refetch()/> }.into_any(),
            }
        })
    };
    view! { <Transition fallback=Loading>{body}</Transition> }
}
