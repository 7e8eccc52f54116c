//! The package information tab: everything QueryOTAFirmware returns, readable.

use leptos::prelude::*;
use ota_model::firmware::FirmwareInfo;

use crate::components::firmware_type_label;
use crate::format;
use crate::i18n::{Msg, use_i18n};

#[component]
pub fn PackageInformation(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let package = info.summary;
    // Values that depend on the language are closures, so that they follow a switch.
    let or_dash = move |value: Option<String>| {
        let value = value.filter(|v| !v.is_empty());
        (move || value.clone().unwrap_or_else(|| i18n.t(Msg::NotSet).to_owned())).into_any()
    };
    let time = |at| (move || format::local_time_precise(at)).into_any();
    let progress = u32::from(info.verify_progress);
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
        view! { <a href=url download="">{i18n.text(Msg::Download)}</a> }
    });
    // A multi-file package lists each of its files with its own download.
    let files = (!info.multi_files.is_empty()).then(|| {
        let rows = info
            .multi_files
            .iter()
            .map(|file| {
                let link = web_link(&file.url).then(|| {
                    view! { <a href=file.url.clone() download="">{i18n.text(Msg::Download)}</a> }
                });
                view! {
                    <tr>
                        <td class="mono">{file.name.clone()}</td>
                        <td>{format::bytes(file.size)}</td>
                        <td><code class="wrap">{file.sign_value.clone()}</code></td>
                        <td class="actions">{link}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h3>{i18n.text(Msg::PackageFiles)}</h3>
            <div class="table-scroll">
                <table class="data files">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.text(Msg::FileName)}</th>
                            <th scope="col">{i18n.text(Msg::ColumnSize)}</th>
                            <th scope="col">{i18n.text(Msg::Signature)}</th>
                            <th scope="col">{i18n.text(Msg::ColumnActions)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <h2>{i18n.text(Msg::PackageInformation)}</h2>
        <dl class="fields">
            {row(Msg::PackageId, view! { <code>{package.firmware_id.clone()}</code> }.into_any())}
            {row(Msg::ColumnProduct, format!("{} ({})", package.product_name, package.product_key).into_any())}
            {row(Msg::ColumnModule, package.module_name.clone().into_any())}
            {row(Msg::ColumnType, (move || i18n.t(firmware_type)).into_any())}
            {row(Msg::SourceVersion, or_dash(package.src_version.clone()))}
            {row(Msg::DestinationVersion, package.dest_version.clone().into_any())}
            {row(Msg::VerifyProgress, (move || format::whole_percent(progress)).into_any())}
            {row(Msg::SignMethod, package.sign_method.as_str().into_any())}
            {row(Msg::Signature, view! { <code class="wrap">{package.firmware_sign.clone()}</code> {download} }.into_any())}
            {row(Msg::ColumnSize, format!("{} ({} B)", format::bytes(package.firmware_size), package.firmware_size).into_any())}
            {row(Msg::Description, or_dash(package.firmware_desc.clone()))}
            {row(Msg::CustomInformation, or_dash(info.udi.clone()))}
            {row(Msg::ColumnCreated, time(package.utc_create))}
            {row(Msg::Modified, time(package.utc_modified))}
        </dl>
        {files}
    }
}
