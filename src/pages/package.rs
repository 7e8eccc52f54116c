//! One update package: its information, as QueryOTAFirmware returns it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ota_model::firmware::FirmwareInfo;

use crate::api;
use crate::components::{ErrorPanel, FirmwareStatusBadge, Loading, firmware_type_label};
use crate::format;
use crate::i18n::{Msg, use_i18n};
use crate::nav::{use_environment, use_site};

#[component]
pub fn PackageDetail() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let params = use_params_map();
    let firmware_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let package = LocalResource::new(move || {
        let env = env.get();
        let id = firmware_id.get();
        async move { api::query_firmware(&env, &id).await }
    });
    let content = move || {
        Suspend::new(async move {
            match package.await {
                Ok(response) => view! { <PackageInformation info=response.firmware_info/> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || package.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="package-detail">
            <p class="breadcrumb">
                <a href=move || site.packages_href(&env.get())>{move || i18n.t(Msg::BackToPackages)}</a>
            </p>
            <Transition fallback=Loading>
                {content}
            </Transition>
        </section>
    }
}

#[component]
fn PackageInformation(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let package = info.summary;
    let or_dash =
        move |value: Option<String>| value.filter(|v| !v.is_empty()).unwrap_or_else(|| i18n.t(Msg::NotSet).to_owned());
    let firmware_type = firmware_type_label(package.firmware_type);
    let row = move |label: Msg, value: AnyView| {
        view! {
            <div class="field">
                <dt>{move || i18n.t(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    // Only web links: a backend's URL must not become a script to run on click.
    let web_link = |url: &String| url.starts_with("https://") || url.starts_with("http://");
    let download = info.firmware_url.filter(web_link).map(|url| {
        view! { <a href=url download="">{move || i18n.t(Msg::Download)}</a> }
    });
    view! {
        <header class="page-header">
            <h1>{package.firmware_name.clone()}</h1>
            <FirmwareStatusBadge status=package.status/>
        </header>
        <h2>{move || i18n.t(Msg::PackageInformation)}</h2>
        <dl class="fields">
            {row(Msg::PackageId, view! { <code>{package.firmware_id.clone()}</code> }.into_any())}
            {row(Msg::ColumnProduct, format!("{} ({})", package.product_name, package.product_key).into_any())}
            {row(Msg::ColumnModule, package.module_name.clone().into_any())}
            {row(Msg::ColumnType, (move || i18n.t(firmware_type)).into_any())}
            {row(Msg::SourceVersion, or_dash(package.src_version.clone()).into_any())}
            {row(Msg::DestinationVersion, package.dest_version.clone().into_any())}
            {row(Msg::VerifyProgress, format!("{} %", info.verify_progress).into_any())}
            {row(Msg::SignMethod, package.sign_method.as_str().into_any())}
            {row(Msg::Signature, view! { <code class="wrap">{package.firmware_sign.clone()}</code> {download} }.into_any())}
            {row(Msg::ColumnSize, format!("{} ({} B)", format::bytes(package.firmware_size), package.firmware_size).into_any())}
            {row(Msg::Description, or_dash(package.firmware_desc.clone()).into_any())}
            {row(Msg::CustomInformation, or_dash(info.udi.clone()).into_any())}
            {row(Msg::ColumnCreated, format::local_time_precise(package.utc_create).into_any())}
            {row(Msg::Modified, format::local_time_precise(package.utc_modified).into_any())}
        </dl>
    }
}
