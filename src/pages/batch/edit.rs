//! Editing a running batch: its push rate, its tags, and a dynamic batch's timeout and source
//! versions. The form is `ota_model::job::edit::BatchEdit`, checked as the operator types with
//! the rules the server applies; the whole tag set is always sent back, so that no tag is
//! dropped by accident (UpdateOTAJob replaces them all).

use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::ParamError;
use ota_model::job::OTAJobInfo;
use ota_model::job::edit::{BatchEdit, Editable};
use ota_model::job::policy::MAX_TAGS;

use crate::api;
use crate::components::rule_text;
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
    let problems =
        Memo::new(move |_| form.with(|edit| job.with_value(|job| edit.request(job).err().unwrap_or_default())));
    let failure = RwSignal::new(None::<String>);
    let open = move |_| {
        form.set(job.with_value(BatchEdit::of));
        failure.set(None);
        if let Some(element) = dialog.get() {
            let _ = element.show_modal();
        }
    };
    let close = move || {
        if let Some(element) = dialog.get() {
            element.close();
        }
    };
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

    // The problem with one parameter, in the user's words, beside its field.
    let problem_of = move |param: &'static str| {
        move || {
            problems.with(|found| found.iter().find(|p| p.param.as_deref() == Some(param)).map(|p| rule_text(i18n, p)))
        }
    };
    let text_field = move |id: &'static str,
                           label: Msg,
                           param: &'static str,
                           get: fn(&BatchEdit) -> &String,
                           set: fn(&mut BatchEdit, String)| {
        let error = problem_of(param);
        let error_id = format!("{id}-error");
        view! {
            <label for=id>{move || i18n.t(label)}</label>
            <div>
                <input
                    id=id
                    type="text"
                    aria-invalid=move || error().is_some().then_some("true")
                    aria-describedby=error_id.clone()
                    prop:value=move || form.with(|edit| get(edit).clone())
                    on:input:target=move |ev| form.update(|edit| set(edit, ev.target().value()))
                />
                <p class="field-error" id=error_id>{error}</p>
            </div>
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
            {text_field("edit-versions", Msg::SourceVersionsLabel, "SrcVersionList.1", |e| &e.src_versions, |e, v| e.src_versions = v)}
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
                <TagRows form problems/>
                {move || failure.get().map(|why| view! {
                    <p class="error" role="alert">{move || i18n.t(Msg::ActionFailed)} " " {why.clone()}</p>
                })}
                <div class="actions">
                    <button type="button" on:click=move |_| close()>{move || i18n.t(Msg::KeepAsIs)}</button>
                    <button type="submit" disabled=move || problems.with(|p| !p.is_empty())>
                        {move || i18n.t(Msg::SaveChanges)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}

/// The batch's tags, each row editable or removable, and a row to add one (at most ten).
#[component]
fn TagRows(form: RwSignal<BatchEdit>, problems: Memo<Vec<ParamError>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || form.with(|edit| edit.tags.len());
    let problem_at = move |param: String| {
        problems
            .with(|found| found.iter().find(|p| p.param.as_deref() == Some(param.as_str())).map(|p| rule_text(i18n, p)))
    };
    let whole = move || problem_at("Tags.N".to_owned());
    let full = move || count() >= MAX_TAGS;
    let rows = move || {
        (0..count())
            .map(|i| {
                let key_error = move || problem_at(format!("Tags.{}.Key", i + 1));
                let value_error = move || problem_at(format!("Tags.{}.Value", i + 1));
                let cell = move |field: usize| {
                    move || form.with(|edit| edit.tags.get(i).map(|t| if field == 0 { t.0.clone() } else { t.1.clone() }).unwrap_or_default())
                };
                let set = move |field: usize, value: String| {
                    form.update(|edit| {
                        if let Some(tag) = edit.tags.get_mut(i) {
                            if field == 0 { tag.0 = value } else { tag.1 = value }
                        }
                    })
                };
                let number = (i + 1).to_string();
                let key_label = i18n.fill(Msg::TagKeyLabel, &[("n", &number)]);
                let value_label = i18n.fill(Msg::TagValueLabel, &[("n", &number)]);
                view! {
                    <tr data-tag=i>
                        <td>
                            <input type="text" aria-label=key_label aria-invalid=move || key_error().is_some().then_some("true")
                                prop:value=cell(0) on:input:target=move |ev| set(0, ev.target().value())/>
                            <p class="field-error">{key_error}</p>
                        </td>
                        <td>
                            <input type="text" aria-label=value_label aria-invalid=move || value_error().is_some().then_some("true")
                                prop:value=cell(1) on:input:target=move |ev| set(1, ev.target().value())/>
                            <p class="field-error">{value_error}</p>
                        </td>
                        <td>
                            <button type="button" class="link" on:click=move |_| form.update(|edit| { edit.tags.remove(i); })>
                                {move || i18n.t(Msg::Remove)}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="tags">
            <legend>{move || i18n.t(Msg::BatchTags)}</legend>
            <p class="intro">{move || i18n.t(Msg::TagsReplacedWhole)}</p>
            <table class="tag-rows"><tbody>{rows}</tbody></table>
            <p class="field-error">{whole}</p>
            <button type="button" disabled=full
                on:click=move |_| form.update(|edit| edit.tags.push(Default::default()))>
                {move || i18n.t(Msg::AddTag)}
            </button>
        </fieldset>
    }
}
