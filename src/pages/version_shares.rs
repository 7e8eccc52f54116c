//! Which versions a product's devices report for a module: a donut of the largest groups and
//! the rest, a table of the same numbers, and the devices on a chosen version (`?version=`,
//! from a slice or a row) below. Shown on a package's data analysis and on the dashboard.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::analysis::{VersionGroup, version_shares};
use ota_model::extensions::{Extension, ListOTAVersionDistribution};

use crate::api;
use crate::charts::{Chart, Clicked, Named, donut, use_palette};
use crate::components::{ErrorPanel, Loaded, ShareTable, share_row};
use crate::i18n::{AnalysisMsg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::pages::version_devices::VersionDevices;
use crate::resource::resource;

#[component]
pub fn VersionShares(
    /// The page it is on (`/dashboard`, a package's path): links keep that page's query.
    path: String,
    product: String,
    module: String,
    chart_id: &'static str,
    table_class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let palette = use_palette();
    let navigate = use_navigate();
    let chosen = Memo::new(move |_| query.read().get("version").filter(|v| !v.is_empty()));
    let distribution = {
        let (product, module) = (product.clone(), module.clone());
        resource(move || {
            let (env, product, module) = (env.get(), product.clone(), module.clone());
            async move {
                let offers = api::capabilities(&env).await?;
                if !offers.offers(Extension::VersionDistribution) {
                    return Ok(None);
                }
                crate::charts::preload();
                let top = ListOTAVersionDistribution::DEFAULT_TOP;
                let distribution = api::version_distribution(&env, &product, &module, top).await?;
                Ok(Some((distribution, offers.offers(Extension::DeviceVersionFilter))))
            }
        })
    };
    // A version's devices are listed on the same page, its other choices kept.
    let version_href = {
        let path = path.clone();
        move |version: &str| {
            let changes = [("version", Some(version.to_owned())), ("vpage", None), ("vsize", None)];
            site.href_changing(&env.get_untracked(), &path, &query.get_untracked(), &changes)
        }
    };
    let group_label = move |group: &VersionGroup| match group {
        VersionGroup::Version(version) => version.clone(),
        VersionGroup::Others { versions } => i18n.fill(AnalysisMsg::OtherVersions, &[("count", &versions.to_string())]),
    };
    let body = move || {
        let (product, module, path) = (product.clone(), module.clone(), path.clone());
        let (version_href, navigate) = (version_href.clone(), navigate.clone());
        Suspend::new(async move {
            match distribution.await {
                Ok(Some((distribution, filter))) => {
                    let shares = version_shares(&distribution);
                    let whole = i18n.fill(
                        AnalysisMsg::VersionsOf,
                        &[("total", &distribution.total.to_string()), ("module", &module)],
                    );
                    let slices: Vec<(String, u64)> = shares.iter().map(|s| (group_label(&s.key), s.count)).collect();
                    let options = Callback::new(move |()| {
                        let palette = palette.get();
                        let slices = slices
                            .iter()
                            .enumerate()
                            .map(|(n, (name, count))| (Named { name: name.clone(), color: palette.nth(n) }, *count))
                            .collect();
                        donut(&palette, i18n.t(AnalysisMsg::VersionsSeries), slices)
                    });
                    let versions: Vec<String> = distribution.versions.items.iter().map(|v| v.version.clone()).collect();
                    let on_click = {
                        let version_href = version_href.clone();
                        Callback::new(move |Clicked { name, .. }: Clicked| {
                            if filter && versions.contains(&name) {
                                navigate(&version_href(&name), nav::to_href(false));
                            }
                        })
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
                    let hint = filter.then(|| view! { <p class="hint">{i18n.text(AnalysisMsg::PickVersion)}</p> });
                    view! {
                        <p class="denominator">{whole.clone()}</p>
                        {hint}
                        <div class="chart-and-table">
                            <Chart id=chart_id options label=whole height=280 on_click/>
                            <ShareTable heading=AnalysisMsg::ColumnVersion rows class=table_class/>
                        </div>
                        {move || {
                            let (path, product, module) = (path.clone(), product.clone(), module.clone());
                            chosen.get().filter(|_| filter).map(|version| view! { <VersionDevices path product module version/> })
                        }}
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoDistribution)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || distribution.refetch()/> }.into_any(),
            }
        })
    };
    view! { <Loaded view=body/> }
}
