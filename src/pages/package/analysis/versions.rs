//! Which versions the product's devices report for the package's module, and the devices on
//! a chosen version.

use leptos::prelude::*;
use ota_model::firmware::FirmwareInfo;

use crate::i18n::{AnalysisMsg, use_i18n};
use crate::nav;
use crate::pages::version_shares::VersionShares;

#[component]
pub fn VersionSection(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let summary = info.summary;
    view! {
        <section class="analysis versions" aria-labelledby="versions-heading">
            <h2 id="versions-heading">{i18n.text(AnalysisMsg::VersionsHeading)}</h2>
            <VersionShares
                path=nav::package_path(&summary.firmware_id)
                product=summary.product_key
                module=summary.module_name
                chart_id="versions-chart"
                table_class="versions"
            />
        </section>
    }
}
