//! A new update package: its fields, checked as the operator types by
//! `ota_model::firmware::form::PackageForm`, and its files, whose digests the browser computes
//! before uploading them where GenerateOTAUploadURL says. The backend checks the digests
//! against the bytes it stored when the package is created.

mod files;
mod submit;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ota_model::enums::{FirmwareType, SignMethod};
use ota_model::firmware::form::PackageForm;
use ota_model::module::DEFAULT_MODULE;

use crate::api::{self, Stop};
use crate::components::{CheckField, ChoiceField, FormProblems, Show, TextField, use_unsaved_guard};
use crate::i18n::{FormMsg, Msg, use_i18n};
use crate::nav::{use_environment, use_site};
use crate::resource::resource;
use files::{ChosenFiles, FileList};
use submit::{Progress, ProgressView, Submission};

#[component]
pub fn NewPackage() -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let blank = || PackageForm { module_name: DEFAULT_MODULE.to_owned(), ..PackageForm::default() };
    let form = RwSignal::new(blank());
    let chosen = ChosenFiles::new();
    let problems = FormProblems::new(Memo::new(move |_| form.with(PackageForm::problems)).into());
    let progress = RwSignal::new(None::<Progress>);
    let busy = move || progress.with(|p| p.as_ref().is_some_and(Progress::is_running));
    let dirty = Signal::derive(move || {
        form.with(|f| *f != blank()) && !progress.with(|p| p.as_ref().is_some_and(Progress::is_done))
    });
    use_unsaved_guard(dirty, Signal::derive(move || i18n.t(FormMsg::LeaveUnsaved).to_owned()));

    let products = resource(move || {
        let env = env.get();
        async move { api::products(&env).await }
    });
    let product = Memo::new(move |_| form.with(|f| f.product_key.clone()));
    let modules = resource(move || {
        let env = env.get();
        let product = product.get();
        async move { if product.is_empty() { Ok(Vec::new()) } else { api::modules(&env, &product).await } }
    });
    let product_options = Signal::derive(move || {
        let mut options = vec![(String::new(), i18n.t(FormMsg::ChooseProduct).to_owned())];
        if let Some(Ok(list)) = products.get() {
            options.extend(
                list.into_iter().map(|p| (p.product_key.clone(), format!("{} ({})", p.product_name, p.product_key))),
            );
        }
        options
    });
    let module_options = Signal::derive(move || match modules.get() {
        Some(Ok(list)) if !list.is_empty() => list
            .into_iter()
            .map(|m| {
                let text = m
                    .alias_name
                    .filter(|a| !a.is_empty())
                    .map_or(m.module_name.clone(), |a| format!("{} ({a})", m.module_name));
                (m.module_name, text)
            })
            .collect(),
        _ => vec![(DEFAULT_MODULE.to_owned(), DEFAULT_MODULE.to_owned())],
    });
    let product_problem = move || match products.get() {
        Some(Err(error)) => Some(error.detail()),
        Some(Ok(list)) if list.is_empty() => Some(i18n.t(FormMsg::NoProducts).to_owned()),
        _ => None,
    };

    let text = move |get: fn(&PackageForm) -> &String| Signal::derive(move || form.with(|f| get(f).clone()));
    let label = move |msg: FormMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let type_options = Signal::derive(move || {
        vec![
            ("0".to_owned(), i18n.t(Msg::TypeFull).to_owned()),
            ("1".to_owned(), i18n.t(Msg::TypeDifferential).to_owned()),
        ]
    });
    let sign_options = Signal::derive(move || {
        SignMethod::ALL.iter().map(|m| (m.as_str().to_owned(), m.as_str().to_owned())).collect::<Vec<_>>()
    });
    let differential = move || form.with(|f| f.firmware_type == FirmwareType::Differential);

    let navigate = use_navigate();
    // Leaving the page stops hashing and uploading.
    let stop = Stop::new();
    let stop_on_leave = stop.clone();
    on_cleanup(move || stop_on_leave.stop());
    let submit_site = site.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy() || !problems.submit() {
            return;
        }
        let submission = Submission {
            env: env.get_untracked(),
            site: submit_site.clone(),
            form: form.get_untracked(),
            problems,
            progress,
            stop: stop.clone(),
            i18n,
        };
        submit::run(submission, chosen, navigate.clone());
    };
    let cancel_href = move || site.packages_href(&env.get());

    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::Breadcrumb)>
            <a href=cancel_href.clone()>{i18n.text(Msg::UpdatePackages)}</a>
        </nav>
        <h1>{i18n.text(FormMsg::NewPackage)}</h1>
        <p class="intro">{i18n.text(FormMsg::NewPackageIntro)}</p>
        <form class="create-form" on:submit=submit novalidate>
            <fieldset disabled=busy>
                <div class="form-grid">
                    <ChoiceField id="pkg-product" param="ProductKey" label=label(FormMsg::ProductLabel)
                        options=product_options value=text(|f| &f.product_key)
                        set=move |v: String| form.update(|f| { f.product_key = v; f.module_name = DEFAULT_MODULE.to_owned(); }) problems/>
                    {move || product_problem().map(|why| view! { <span></span><p class="error" role="alert">{why}</p> })}
                    <ChoiceField id="pkg-module" param="ModuleName" label=label(FormMsg::ModuleLabel)
                        options=module_options value=text(|f| &f.module_name)
                        set=move |v: String| form.update(|f| f.module_name = v) problems/>
                    <TextField id="pkg-name" param="FirmwareName" label=label(FormMsg::PackageNameLabel)
                        value=text(|f| &f.firmware_name) set=move |v: String| form.update(|f| f.firmware_name = v) problems/>
                    <ChoiceField id="pkg-type" param="Type" label=label(FormMsg::PackageTypeLabel)
                        options=type_options value=Signal::derive(move || form.with(|f| (f.firmware_type as u8).to_string()))
                        set=move |v: String| form.update(|f| f.firmware_type = if v == "1" { FirmwareType::Differential } else { FirmwareType::Full })
                        problems/>
                    <Show when=differential>
                        <TextField id="pkg-src" param="SrcVersion" label=label(FormMsg::SourceVersionLabel)
                            value=text(|f| &f.src_version) set=move |v: String| form.update(|f| f.src_version = v) problems/>
                    </Show>
                    <TextField id="pkg-version" param="DestVersion" label=label(FormMsg::DestVersionLabel)
                        value=text(|f| &f.dest_version) set=move |v: String| form.update(|f| f.dest_version = v) problems
                        hint=label(FormMsg::DestVersionHint)/>
                    <ChoiceField id="pkg-sign" param="SignMethod" label=label(FormMsg::SignMethodLabel)
                        options=sign_options value=Signal::derive(move || form.with(|f| f.sign_method.as_str().to_owned()))
                        set=move |v: String| form.update(|f| f.sign_method = v.parse().unwrap_or(SignMethod::Md5)) problems/>
                    <FileList form chosen problems/>
                    <CheckField id="pkg-verify" label=label(FormMsg::NeedVerifyLabel)
                        checked=Signal::derive(move || form.with(|f| f.need_to_verify))
                        set=move |v: bool| form.update(|f| f.need_to_verify = v) hint=label(FormMsg::NeedVerifyHint)/>
                    <TextField id="pkg-desc" param="FirmwareDesc" label=label(FormMsg::DescriptionLabel) multiline=true
                        value=text(|f| &f.firmware_desc) set=move |v: String| form.update(|f| f.firmware_desc = v) problems/>
                    <TextField id="pkg-udi" param="Udi" label=label(FormMsg::CustomInfoLabel) multiline=true
                        value=text(|f| &f.udi) set=move |v: String| form.update(|f| f.udi = v) problems
                        hint=label(FormMsg::CustomInfoHint)/>
                </div>
            </fieldset>
            <ProgressView progress/>
            <div class="actions">
                <a class="button" href=cancel_href>{i18n.text(FormMsg::CancelForm)}</a>
                <button type="submit" class="primary" disabled=busy>
                    {i18n.text(FormMsg::UploadAndCreate)}
                </button>
            </div>
        </form>
    }
}
