//! The versions the environment's devices run, for a chosen product and module (`?product=`,
//! `?module=`), and the devices on a chosen version (`?version=`, from a slice or a row).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::module::DEFAULT_MODULE;

use crate::api;
use crate::components::{ErrorPanel, Loaded};
use crate::i18n::{AnalysisMsg, Msg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::pages::version_shares::VersionShares;
use crate::resource::resource;

#[component]
pub fn FleetVersions() -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let products = resource(move || {
        let env = env.get();
        async move { api::products(&env).await }
    });
    let body = move || {
        Suspend::new(async move {
            match products.await {
                Ok(found) if found.is_empty() => {
                    view! { <p class="hint">{i18n.text(AnalysisMsg::NoProducts)}</p> }.into_any()
                }
                Ok(found) => {
                    let choices: Vec<(String, String)> = found
                        .into_iter()
                        .map(|p| (p.product_key.clone(), format!("{} ({})", p.product_name, p.product_key)))
                        .collect();
                    view! { <ProductAndModule choices/> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || products.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis fleet" aria-labelledby="fleet-heading">
            <h2 id="fleet-heading">{i18n.text(AnalysisMsg::FleetHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

/// The product and module choice (the first product and its default module unless the query
/// names others), and their versions.
#[component]
fn ProductAndModule(choices: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let navigate = use_navigate();
    let first = choices.first().map(|(key, _)| key.clone()).unwrap_or_default();
    let product = Memo::new(move |_| query.read().get("product").filter(|p| !p.is_empty()).unwrap_or(first.clone()));
    let module =
        Memo::new(move |_| query.read().get("module").filter(|m| !m.is_empty()).unwrap_or(DEFAULT_MODULE.to_owned()));
    let modules = resource(move || {
        let (env, product) = (env.get(), product.get());
        async move { api::modules(&env, &product).await }
    });
    // A new product starts at its default module and no version; other sections' filters stay.
    let choose = move |product: String, module: String| {
        let changes =
            [("product", Some(product)), ("module", Some(module)), ("version", None), ("vpage", None), ("vsize", None)];
        let href = site.href_changing(&env.get_untracked(), "/dashboard", &query.get_untracked(), &changes);
        navigate(&href, nav::to_href(true));
    };
    let module_options = move || match modules.get() {
        Some(Ok(found)) => found
            .into_iter()
            .map(|m| view! { <option value=m.module_name.clone()>{m.module_name.clone()}</option> })
            .collect_view()
            .into_any(),
        // Until the modules are known (or if they cannot be), the one every product has.
        _ => view! { <option value=DEFAULT_MODULE>{DEFAULT_MODULE}</option> }.into_any(),
    };
    let on_product = {
        let choose = choose.clone();
        move |value: String| choose(value, DEFAULT_MODULE.to_owned())
    };
    let on_module = move |value: String| choose(product.get_untracked(), value);
    view! {
        <div class="toolbar">
            <label for="fleet-product">{i18n.text(Msg::ColumnProduct)}</label>
            <select id="fleet-product" prop:value=move || product.get()
                on:change:target=move |ev| on_product(ev.target().value())>
                {choices.into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
            </select>
            <label for="fleet-module">{i18n.text(Msg::ColumnModule)}</label>
            <select id="fleet-module" prop:value=move || module.get()
                on:change:target=move |ev| on_module(ev.target().value())>
                {module_options}
            </select>
        </div>
        {move || {
            let (product, module) = (product.get(), module.get());
            view! { <VersionShares path="/dashboard".to_owned() product module chart_id="fleet-chart" table_class="fleet-versions"/> }
        }}
    }
}
