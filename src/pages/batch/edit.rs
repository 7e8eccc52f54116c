//! Editing a running batch: its push rate, its tags, and a dynamic batch's timeout and source
//! versions. The form is `ota_model::job::edit::BatchEdit`, checked as the operator types with
//! the rules the server applies; the whole tag set is always sent back, so that no tag is
//! dropped by accident (UpdateOTAJob replaces them all).

use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::job::OTAJobInfo;
use ota_model::job::edit::{BatchEdit, Editable};

use crate::api;
use crate::components::{FormProblems, TagEdit, TagRows, TextField, close_modal, show_modal};
use crate::i18n::{Msg, use_i18n};
use crate::nav::use_environment;

#[component]
pub fn EditBatch(job: OTAJobInfo, #[prop(into)] done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let dialog = NodeRef::<Dialog>::new();
    let editable = Editable::of(&job);
    let job = StoredValue::new(job);
    let form = RwSignal::new(BatchEdit::default());
    let found = Memo::new(move |_| form.with(|edit| job.with_value(|job| edit.request(job).err().unwrap_or_default())));
    let problems = FormProblems::new(found.into());
    let failure = RwSignal::new(None::<String>);
    let open = move |_| {
        form.set(job.with_value(BatchEdit::of));
        problems.reset();
        failure.set(None);
        show_modal(dialog);
    };
    let close = move || close_modal(dialog);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(request) = form.with_untracked(|edit| job.with_value(|job| edit.request(job))) else { return };
        let env = env.get_untracked();
        leptos::task::spawn_local(async move {
            match api::update_job(&env, &request).await {
                Ok(()) => {
                    close();
                    done.run(());
                }
                // Nothing typed is lost: the dialog stays open with the backend's reason.
                Err(error) => failure.set(Some(error.detail())),
            }
        });
    };

    let text_field = move |id: &'static str,
                           label: Msg,
                           param: &'static str,
                           get: fn(&BatchEdit) -> &String,
                           set: fn(&mut BatchEdit, String)| {
        view! {
            <TextField id param label=Signal::derive(move || i18n.t(label).to_owned())
                value=Signal::derive(move || form.with(|edit| get(edit).clone()))
                set=move |v: String| form.update(|edit| set(edit, v)) problems/>
        }
    };
    let rate_fields = editable.variable_rate.then(|| {
        view! {
            {text_field("edit-start", Msg::StartPerMinuteLabel, "StartPerMinute", |e| &e.start_per_minute, |e, v| e.start_per_minute = v)}
            {text_field("edit-factor", Msg::GrowthFactorLabel, "GrowthFactor", |e| &e.growth_factor, |e, v| e.growth_factor = v)}
            {text_field("edit-every", Msg::GrowthEveryLabel, "GrowthEvery", |e| &e.growth_every, |e, v| e.growth_every = v)}
        }
    });
    let dynamic_fields = editable.dynamic.then(|| {
        view! {
            {text_field("edit-timeout", Msg::TimeoutLabel, "TimeoutInMinutes", |e| &e.timeout_in_minutes, |e, v| e.timeout_in_minutes = v)}
            {text_field("edit-versions", Msg::SourceVersionsLabel, "SrcVersionList", |e| &e.src_versions, |e, v| e.src_versions = v)}
        }
    });
    view! {
        <button type="button" on:click=open>{move || i18n.t(Msg::EditBatch)}</button>
        <dialog node_ref=dialog class="confirm edit-batch" aria-labelledby="edit-batch-title">
            <form on:submit=save novalidate>
                <h2 id="edit-batch-title">{move || i18n.t(Msg::EditBatch)}</h2>
                <div class="form-grid">
                    {text_field("edit-rate", Msg::MaximumPerMinuteLabel, "MaximumPerMinute", |e| &e.maximum_per_minute, |e, v| e.maximum_per_minute = v)}
                    {rate_fields}
                    {dynamic_fields}
                </div>
                <TagRows
                    prefix="Tags"
                    tags=Signal::derive(move || form.with(|edit| edit.tags.clone()))
                    edit=move |change: TagEdit| form.update(|edit| change.apply(&mut edit.tags))
                    problems=problems.found
                    replaced_whole=true
                />
                {move || failure.get().map(|why| view! {
                    <p class="error" role="alert">{move || i18n.t(Msg::ActionFailed)} " " {why.clone()}</p>
                })}
                <div class="actions">
                    <button type="button" on:click=move |_| close()>{move || i18n.t(Msg::KeepAsIs)}</button>
                    <button type="submit" disabled=move || found.with(|p| !p.is_empty())>
                        {move || i18n.t(Msg::SaveChanges)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
