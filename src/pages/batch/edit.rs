//! Editing a running batch: its update policy (push rate, tags, and a dynamic batch's timeout
//! and source versions), or its tags alone. The form is `ota_model::job::edit::BatchEdit`,
//! checked as the operator types with the rules the server applies; the whole tag set is
//! always sent back, so that no tag is dropped by accident (UpdateOTAJob replaces them all).
//! The batch is read again when the dialog opens: it may have changed since the page was read.

use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::job::OTAJobInfo;
use ota_model::job::edit::{BatchEdit, Editable};

use super::dialogs::{BatchTarget, EditPart};
use crate::api;
use crate::components::{FormProblems, Loading, OtherProblems, TagEdit, TagRows, TextField, close_modal, modal_while};
use crate::i18n::{Msg, use_i18n};
use crate::lifetime::Scope;
use crate::nav::use_environment;

/// The one edit dialog of a page, open while `open` names a batch and what of it to edit.
#[component]
pub fn EditBatchDialog(open: RwSignal<Option<(BatchTarget, EditPart)>>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let scope = Scope::here();
    let dialog = NodeRef::<Dialog>::new();
    let part = RwSignal::new(EditPart::Policy);
    // The batch as the backend answered when the dialog opened, or why it could not.
    let job = RwSignal::new(None::<Result<OTAJobInfo, String>>);
    let form = RwSignal::new(BatchEdit::default());
    let found = Memo::new(move |_| {
        job.with(|job| match job {
            Some(Ok(job)) => form.with(|edit| edit.request(job).err().unwrap_or_default()),
            _ => Vec::new(),
        })
    });
    let problems = FormProblems::new(found.into());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    modal_while(dialog, open, move |(target, shown)| {
        part.set(shown);
        job.set(None);
        failure.set(None);
        problems.reset();
        let env = env.get_untracked();
        scope.spawn(async move {
            let answer = api::query_job(&env, &target.job_id).await;
            // Closed meanwhile, perhaps opened for another batch: this answer is not for it.
            if !open.with_untracked(|now| now.as_ref().is_some_and(|(now, _)| *now == target)) {
                return;
            }
            if let Ok(answer) = &answer {
                form.set(BatchEdit::of(&answer.data));
            }
            job.set(Some(answer.map(|answer| answer.data).map_err(|error| error.detail())));
        });
    });
    let close = move || close_modal(dialog);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = job.with_untracked(|job| match job {
            Some(Ok(job)) => form.with_untracked(|edit| edit.request(job)).ok(),
            _ => None,
        });
        let Some(request) = request.filter(|_| !busy.get_untracked()) else { return };
        let env = env.get_untracked();
        busy.set(true);
        scope.spawn(async move {
            let outcome = api::update_job(&env, &request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    close();
                    done.run(());
                }
                // Nothing typed is lost: the dialog stays open with the backend's reason.
                Err(error) => failure.set(Some(error.detail())),
            }
        });
    };
    let fields = move || match job.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(why)) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
        Some(Ok(job)) => {
            let editable = Editable::of(&job);
            view! { <EditFields part=part.get_untracked() editable form problems/> }.into_any()
        }
    };
    let title = move || i18n.t(part.get().title());
    view! {
        <dialog node_ref=dialog class="confirm edit-batch" aria-labelledby="edit-batch-title" on:close=move |_| open.set(None)>
            <form on:submit=save novalidate>
                <h2 id="edit-batch-title">{title}</h2>
                {fields}
                {move || failure.get().map(|why| view! {
                    <p class="error" role="alert">{i18n.text(Msg::ActionFailed)} " " {why.clone()}</p>
                })}
                <div class="actions">
                    <button type="button" on:click=move |_| close()>{i18n.text(Msg::KeepAsIs)}</button>
                    <button type="submit" disabled=move || {
                        busy.get() || !matches!(job.with(|j| j.as_ref().map(Result::is_ok)), Some(true))
                            || found.with(|p| !p.is_empty())
                    }>
                        {i18n.text(Msg::SaveChanges)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}

/// The fields of `part` for a batch that allows `editable`.
#[component]
fn EditFields(part: EditPart, editable: Editable, form: RwSignal<BatchEdit>, problems: FormProblems) -> impl IntoView {
    let i18n = use_i18n();
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
    let policy = (part == EditPart::Policy).then(|| {
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
            <div class="form-grid">
                {text_field("edit-rate", Msg::MaximumPerMinuteLabel, "MaximumPerMinute", |e| &e.maximum_per_minute, |e, v| e.maximum_per_minute = v)}
                {rate_fields}
                {dynamic_fields}
            </div>
        }
    });
    // The tags alone send the rest back as the batch has it; a problem there is still named.
    let others = (part == EditPart::Tags).then(|| {
        view! { <OtherProblems problems claimed=|param| param.starts_with("Tags.") at_once=true/> }
    });
    view! {
        {policy}
        <TagRows
            prefix="Tags"
            tags=Signal::derive(move || form.with(|edit| edit.tags.clone()))
            edit=move |change: TagEdit| form.update(|edit| change.apply(&mut edit.tags))
            problems=problems.found
            replaced_whole=true
        />
        {others}
    }
}
