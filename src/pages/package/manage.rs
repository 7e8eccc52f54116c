//! A package's own actions, in its page's header: start a batch, change its name, description
//! and custom information (`ota_model::firmware::change::PackageChange`), or delete it, which
//! the backend refuses while batches of it run (the reason is shown).

use leptos::html::Dialog;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ota_model::firmware::FirmwareInfo;
use ota_model::firmware::change::PackageChange;

use crate::api::{self, ApiError};
use crate::auth::use_may;
use crate::components::{Ask, ConfirmDialog, FormProblems, Show, TextField, close_modal, show_modal};
use crate::i18n::{FormMsg, Msg, use_i18n};
use crate::lifetime;
use crate::nav::{self, use_environment, use_site};

#[component]
pub fn PackageActions(info: FirmwareInfo, #[prop(into)] changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let id = info.summary.firmware_id.clone();
    let new_batch = {
        let site = site.clone();
        let path = format!("{}/batches/new", nav::package_path(&id));
        move || site.href(&env.get(), &path, &[])
    };
    let (may_start, may_edit, may_delete) =
        (use_may("CreateOTAStaticUpgradeJob"), use_may("ModifyOTAFirmware"), use_may("DeleteOTAFirmware"));
    let edited = info.clone();
    view! {
        <div class="header-actions">
            <Show when=move || may_start.get()>
                <a class="button primary" href=new_batch.clone()>{i18n.text(FormMsg::NewBatch)}</a>
            </Show>
            <Show when=move || may_edit.get()>
                <EditPackage info=edited.clone() changed/>
            </Show>
            <Show when=move || may_delete.get()>
                <DeletePackage info=info.clone()/>
            </Show>
        </div>
    }
}

#[component]
fn EditPackage(info: FirmwareInfo, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let dialog = NodeRef::<Dialog>::new();
    let info = StoredValue::new(info);
    let form = RwSignal::new(PackageChange::default());
    let found = Memo::new(move |_| form.with(|f| info.with_value(|info| f.request(info).err().unwrap_or_default())));
    let problems = FormProblems::new(found.into());
    let busy = RwSignal::new(false);
    let open = move |_| {
        form.set(info.with_value(PackageChange::of));
        problems.reset();
        show_modal(dialog);
    };
    let close = move || close_modal(dialog);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !problems.submit() {
            return;
        }
        let Ok(request) = form.with_untracked(|f| info.with_value(|info| f.request(info))) else { return };
        let env = env.get_untracked();
        busy.set(true);
        lifetime::spawn(async move {
            let outcome = api::modify_firmware(&env, &request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    close();
                    changed.run(());
                }
                Err(error) => problems.refusal.set(Some(error)),
            }
        });
    };
    let text = move |get: fn(&PackageChange) -> &String| Signal::derive(move || form.with(|f| get(f).clone()));
    let label = move |msg: FormMsg| Signal::derive(move || i18n.t(msg).to_owned());
    // A refusal no field claims shows above the buttons.
    let general = move || {
        problems.refusal.with(|r| {
            r.as_ref()
                .filter(|r| !matches!(r.param(), Some("FirmwareName" | "FirmwareDesc" | "FirmwareUdi")))
                .map(ApiError::detail)
        })
    };
    view! {
        <button type="button" on:click=open>{i18n.text(FormMsg::EditPackage)}</button>
        <dialog node_ref=dialog class="confirm edit-package" aria-labelledby="edit-package-title">
            <form on:submit=save novalidate>
                <h2 id="edit-package-title">{i18n.text(FormMsg::EditPackage)}</h2>
                <div class="form-grid">
                    <TextField id="edit-pkg-name" param="FirmwareName" label=label(FormMsg::PackageNameLabel)
                        value=text(|f| &f.firmware_name) set=move |v: String| form.update(|f| f.firmware_name = v) problems/>
                    <TextField id="edit-pkg-desc" param="FirmwareDesc" label=label(FormMsg::DescriptionLabel) multiline=true
                        value=text(|f| &f.firmware_desc) set=move |v: String| form.update(|f| f.firmware_desc = v) problems/>
                    <TextField id="edit-pkg-udi" param="FirmwareUdi" label=label(FormMsg::CustomInfoLabel) multiline=true
                        value=text(|f| &f.udi) set=move |v: String| form.update(|f| f.udi = v) problems/>
                </div>
                <p class="hint">{i18n.text(FormMsg::BlankKeepsValue)}</p>
                {move || general().map(|why| view! { <p class="error" role="alert">{i18n.text(Msg::ActionFailed)} " " {why.clone()}</p> })}
                <div class="actions">
                    <button type="button" on:click=move |_| close()>{i18n.text(Msg::KeepAsIs)}</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>{i18n.text(Msg::SaveChanges)}</button>
                </div>
            </form>
        </dialog>
    }
}

#[component]
fn DeletePackage(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let navigate = use_navigate();
    let ask = RwSignal::new(None::<Ask>);
    let failure = RwSignal::new(None::<ApiError>);
    let scope = lifetime::Scope::here();
    let (id, name) = (info.summary.firmware_id.clone(), info.summary.firmware_name.clone());
    let question = move || {
        let on_confirm = {
            let (id, site, navigate) = (id.clone(), site.clone(), navigate.clone());
            move || {
                let (id, site, navigate, env) = (id.clone(), site.clone(), navigate.clone(), env.get_untracked());
                scope.spawn(async move {
                    match api::delete_firmware(&env, &id).await {
                        Ok(()) => navigate(&site.packages_href(&env), nav::to_href(true)),
                        Err(error) => failure.set(Some(error)),
                    }
                });
            }
        };
        failure.set(None);
        let message = i18n.fill(FormMsg::AskDeletePackage, &[("name", &name)]);
        ask.set(Some(Ask::new(message, Msg::Delete, on_confirm)));
    };
    view! {
        <button type="button" class="danger" on:click=move |_| question()>{i18n.text(Msg::Delete)}</button>
        {move || failure.get().map(|error| view! {
            <p class="error" role="alert">{i18n.text(FormMsg::PackageNotDeleted)} " " {error.detail()}</p>
        })}
        <ConfirmDialog ask/>
    }
}
