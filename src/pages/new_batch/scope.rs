//! Step 1, update scope: the kind of batch and which devices it takes: test devices for a
//! verification batch; all, named (typed, picked or pasted), an uploaded list, a share or a
//! group for a static one; source versions (offered from what devices report) for both kinds
//! of update batch.

use leptos::prelude::*;
use ota_model::enums::DynamicMode;
use ota_model::extensions::{Extension, ListOTAVersionDistribution};
use ota_model::job::form::{BatchKind, Scope};

use super::Wizard;
use crate::api::{self, UploadProgress};
use crate::components::{FormProblems, TextField};
use crate::format;
use crate::i18n::{WizardMsg, use_i18n};
use crate::nav::use_environment;
use crate::resource::resource;

/// Most devices offered by the picker; any other is typed or pasted.
const PICKER_DEVICES: usize = 200;

#[component]
pub fn ScopeStep(wizard: Wizard, verified: bool) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    // Only a change of kind re-renders the fields below, not every keystroke in them.
    let kind = Memo::new(move |_| form.with(|f| f.kind));
    let kinds = [
        (BatchKind::Verify, WizardMsg::KindVerify, WizardMsg::KindVerifyHint, !verified),
        (BatchKind::Static, WizardMsg::KindStatic, WizardMsg::KindStaticHint, verified),
        (BatchKind::Dynamic, WizardMsg::KindDynamic, WizardMsg::KindDynamicHint, verified),
    ];
    let kind_choices = kinds
        .into_iter()
        .map(|(value, label, hint, allowed)| {
            view! {
                <label class="choice">
                    <input type="radio" name="batch-kind" disabled=!allowed
                        prop:checked=move || kind.get() == value
                        on:change=move |_| form.update(|f| f.kind = value)/>
                    <span><strong>{move || i18n.t(label)}</strong> <span class="hint">{move || i18n.t(hint)}</span></span>
                </label>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.text(WizardMsg::StepScope)}</h2>
        <fieldset class="choices">
            <legend>{i18n.text(WizardMsg::BatchKind)}</legend>
            {kind_choices}
        </fieldset>
        {move || match kind.get() {
            BatchKind::Verify => view! {
                <div class="form-grid">
                    <DeviceNames wizard label=WizardMsg::TestDevicesLabel hint=WizardMsg::TestDevicesHint/>
                </div>
            }.into_any(),
            BatchKind::Static => view! { <StaticScope wizard/> }.into_any(),
            BatchKind::Dynamic => view! { <DynamicScope wizard/> }.into_any(),
        }}
    }
}

#[component]
fn StaticScope(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let scope = Memo::new(move |_| form.with(|f| f.scope));
    let scopes = [
        (Scope::All, WizardMsg::ScopeAll),
        (Scope::Devices, WizardMsg::ScopeDevices),
        (Scope::ListFile, WizardMsg::ScopeListFile),
        (Scope::Gray, WizardMsg::ScopeGray),
        (Scope::Group, WizardMsg::ScopeGroup),
    ];
    let choices = scopes
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="choice">
                    <input type="radio" name="batch-scope" prop:checked=move || scope.get() == value
                        on:change=move |_| form.update(|f| f.scope = value)/>
                    <span>{move || i18n.t(label)}</span>
                </label>
            }
        })
        .collect_view();
    let label = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    view! {
        <fieldset class="choices">
            <legend>{i18n.text(WizardMsg::TargetDevices)}</legend>
            {choices}
        </fieldset>
        <div class="form-grid">
            {move || match scope.get() {
                Scope::All => ().into_any(),
                Scope::Devices => view! { <DeviceNames wizard label=WizardMsg::DeviceNamesLabel hint=WizardMsg::DeviceNamesHint/> }.into_any(),
                Scope::ListFile => view! { <ListFile wizard/> }.into_any(),
                Scope::Gray => view! {
                    <TextField id="batch-gray" param="GrayPercent" label=label(WizardMsg::GrayLabel)
                        value=wizard.text(|f| &f.gray_percent) set=move |v: String| form.update(|f| f.gray_percent = v)
                        problems=wizard.problems hint=label(WizardMsg::GrayHint)/>
                }.into_any(),
                Scope::Group => view! { <GroupChoice wizard/> }.into_any(),
            }}
            <SourceVersions wizard required=false/>
        </div>
    }
}

#[component]
fn DynamicScope(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let mode = move || form.with(|f| f.dynamic_mode);
    let modes = [
        (DynamicMode::Continuous, WizardMsg::ModeContinuous),
        (DynamicMode::NewReportsOnly, WizardMsg::ModeNewReports),
    ];
    let choices = modes
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="choice">
                    <input type="radio" name="dynamic-mode" prop:checked=move || mode() == value
                        on:change=move |_| form.update(|f| f.dynamic_mode = value)/>
                    <span>{move || i18n.t(label)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="form-grid">
            <SourceVersions wizard required=true/>
        </div>
        <fieldset class="choices">
            <legend>{i18n.text(WizardMsg::DynamicModeLegend)}</legend>
            {choices}
        </fieldset>
    }
}

/// Device names: typed or pasted (commas, spaces or new lines), or picked from the product's
/// devices with type-ahead.
#[component]
fn DeviceNames(wizard: Wizard, label: WizardMsg, hint: WizardMsg) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let form = wizard.form;
    let product = wizard.info.with_value(|info| info.summary.product_key.clone());
    let devices = resource(move || {
        let (env, product) = (env.get(), product.clone());
        async move { api::devices(&env, &product, PICKER_DEVICES).await.unwrap_or_default() }
    });
    let picked = RwSignal::new(String::new());
    let add = move || {
        let name = picked.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        form.update(|f| {
            let separator = if f.device_names.trim().is_empty() { "" } else { "\n" };
            f.device_names = format!("{}{separator}{name}", f.device_names.trim_end());
        });
        wizard.problems.touch("TargetDeviceName");
        picked.set(String::new());
    };
    let options = move || {
        devices
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|d| view! { <option value=d.device_name.clone()></option> })
            .collect_view()
    };
    let text = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    view! {
        <TextField id="batch-devices" param="TargetDeviceName" label=text(label) multiline=true
            value=wizard.text(|f| &f.device_names) set=move |v: String| form.update(|f| f.device_names = v)
            problems=wizard.problems hint=text(hint)/>
        <label for="batch-device-pick">{i18n.text(WizardMsg::PickDevice)}</label>
        <div class="pick">
            <input id="batch-device-pick" type="text" list="batch-device-options" autocomplete="off"
                prop:value=move || picked.get() on:input:target=move |ev| picked.set(ev.target().value())
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); }/>
            <datalist id="batch-device-options">{options}</datalist>
            <button type="button" on:click=move |_| add()>{i18n.text(WizardMsg::AddDevice)}</button>
        </div>
    }
}

/// A device-list file (one name per line, or a CSV's first column), uploaded as soon as it
/// is chosen through GenerateDeviceNameListURL. A later choice wins over an earlier upload.
#[component]
fn ListFile(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let form = wizard.form;
    let problems: FormProblems = wizard.problems;
    let upload = wizard.list_file;
    let choose = move |input: web_sys::HtmlInputElement| {
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        let env = env.get_untracked();
        let name = file.name();
        form.update(|f| f.list_file_url.clear());
        let this = ListUpload::Sending { name: name.clone(), bytes: UploadProgress::default() };
        upload.set(this);
        let current = move |name: &str| upload.with_untracked(|u| u.name() == Some(name));
        // The wizard's scope: the upload goes on while the operator moves to the next step.
        wizard.scope.spawn(async move {
            let stop = wizard.stop.get_value();
            let sending = name.clone();
            // Called by the browser's upload events, which may outlive the wizard by a moment.
            let on_sent = move |bytes| {
                if upload.try_with_untracked(|u| u.name() == Some(sending.as_str())) == Some(true) {
                    upload.set(ListUpload::Sending { name: sending.clone(), bytes });
                }
            };
            let outcome = async {
                let grant = api::device_list_grant(&env).await?;
                api::upload_file((&grant).into(), &file, &stop, on_sent).await?;
                Ok::<_, api::ApiError>(grant.file_url)
            }
            .await;
            // The page was left, or another file was chosen meanwhile.
            if stop.stopped() || !current(&name) {
                return;
            }
            match outcome {
                Ok(url) => {
                    form.update(|f| f.list_file_url = url);
                    upload.set(ListUpload::Done { name });
                }
                Err(error) => upload.set(ListUpload::Failed { name, why: format::failure(i18n, &error) }),
            }
            problems.touch("DnListFileUrl");
        });
    };
    let status = move || {
        match upload.get() {
        ListUpload::Nothing => ().into_any(),
        ListUpload::Sending { name, bytes } => {
            let label = i18n.fill(WizardMsg::ListUploading, &[("name", &name)]);
            view! { <p class="hint">{label.clone()}</p> <progress max=bytes.total.max(1) as f64 value=bytes.done as f64 aria-label=label></progress> }.into_any()
        }
        ListUpload::Done { name } => {
            view! { <p class="hint" data-uploaded=name.clone()>{i18n.fill(WizardMsg::ListUploaded, &[("name", &name)])}</p> }.into_any()
        }
        ListUpload::Failed { why, .. } => view! { <p class="error" role="alert">{why}</p> }.into_any(),
    }
    };
    view! {
        <label for="batch-list-file">{i18n.text(WizardMsg::ListFileLabel)}</label>
        <div>
            <input id="batch-list-file" type="file" accept=".csv,.txt,text/csv,text/plain"
                aria-describedby="batch-list-file-hint batch-list-file-error"
                aria-invalid=move || problems.text_for("DnListFileUrl").is_some().then_some("true")
                on:change:target=move |ev| choose(ev.target())/>
            <p class="hint" id="batch-list-file-hint">{i18n.text(WizardMsg::ListFileHint)}</p>
            <div role="status">{status}</div>
            <p class="field-error" id="batch-list-file-error">{move || problems.text_for("DnListFileUrl")}</p>
        </div>
    }
}

/// Where the device-list upload is, kept by the wizard so that it survives a step change.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ListUpload {
    #[default]
    Nothing,
    Sending {
        name: String,
        bytes: UploadProgress,
    },
    Done {
        name: String,
    },
    Failed {
        name: String,
        why: String,
    },
}

impl ListUpload {
    fn name(&self) -> Option<&str> {
        match self {
            ListUpload::Nothing => None,
            ListUpload::Sending { name, .. } | ListUpload::Done { name } | ListUpload::Failed { name, .. } => {
                Some(name)
            }
        }
    }
}

#[component]
fn GroupChoice(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let form = wizard.form;
    let groups = resource(move || {
        let env = env.get();
        async move { api::groups(&env).await }
    });
    let options = move || {
        let mut options = vec![view! { <option value="">{i18n.t(WizardMsg::ChooseGroup)}</option> }.into_any()];
        if let Some(Ok(list)) = groups.get() {
            options.extend(list.into_iter().map(|g| {
                let selected = form.with_untracked(|f| f.group_id == g.group_id);
                view! { <option value=g.group_id.clone() selected=selected>{g.group_name.clone()}</option> }.into_any()
            }));
        }
        options.collect_view()
    };
    let error = move || wizard.problems.text_for("GroupId");
    view! {
        <label for="batch-group">{i18n.text(WizardMsg::GroupLabel)}</label>
        <div>
            <select id="batch-group" aria-describedby="batch-group-error" prop:value=move || form.with(|f| f.group_id.clone()) aria-invalid=move || error().is_some().then_some("true")
                on:change:target=move |ev| { form.update(|f| f.group_id = ev.target().value()); wizard.problems.touch("GroupId"); }>
                {options}
            </select>
            <p class="field-error" id="batch-group-error">{error}</p>
        </div>
    }
}

/// Source versions, with the versions the product's devices report offered to add (from the
/// `VersionDistribution` extension, where the backend has it).
#[component]
fn SourceVersions(wizard: Wizard, required: bool) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let form = wizard.form;
    let (product, module) = wizard.info.with_value(|i| (i.summary.product_key.clone(), i.summary.module_name.clone()));
    let reported = resource(move || {
        let (env, product, module) = (env.get(), product.clone(), module.clone());
        async move {
            let offered = api::capabilities(&env).await.is_ok_and(|c| c.offers(Extension::VersionDistribution));
            if !offered {
                return Vec::new();
            }
            api::version_distribution(&env, &product, &module, ListOTAVersionDistribution::MAX_TOP)
                .await
                .map(|d| d.versions.items)
                .unwrap_or_default()
        }
    });
    let add = move |version: String| {
        form.update(|f| {
            if !f.src_versions.split([',', ' ', '\n']).any(|v| v == version) {
                let separator = if f.src_versions.trim().is_empty() { "" } else { ", " };
                f.src_versions = format!("{}{separator}{version}", f.src_versions.trim_end());
            }
        });
        wizard.problems.touch("SrcVersion");
    };
    let dest = wizard.info.with_value(|i| i.summary.dest_version.clone());
    let chips = move || {
        let dest = dest.clone();
        reported
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v.version != dest)
            .map(|v| {
                let version = v.version.clone();
                let label = i18n
                    .fill(WizardMsg::AddVersion, &[("version", &v.version), ("count", &v.device_count.to_string())]);
                view! { <button type="button" class="chip" on:click=move |_| add(version.clone())>{label}</button> }
            })
            .collect_view()
    };
    let text = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let hint = if required { WizardMsg::SourceVersionsRequiredHint } else { WizardMsg::SourceVersionsHint };
    view! {
        <TextField id="batch-versions" param="SrcVersion" label=text(WizardMsg::SourceVersionsLabel)
            value=wizard.text(|f| &f.src_versions) set=move |v: String| form.update(|f| f.src_versions = v)
            problems=wizard.problems hint=text(hint)/>
        <span></span>
        <div class="chips" role="group" aria-label=move || i18n.t(WizardMsg::ReportedVersions)>{chips}</div>
    }
}
