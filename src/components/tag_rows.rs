//! A batch's tags as editable rows: each key and value with what is wrong with it, a row
//! removable, and rows added up to the API's ten.

use leptos::prelude::*;
use ota_model::ParamError;
use ota_model::job::policy::MAX_TAGS;

use super::rule_text;
use crate::i18n::{Msg, use_i18n};

/// A change to the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagEdit {
    Key(usize, String),
    Value(usize, String),
    Remove(usize),
    Add,
}

impl TagEdit {
    pub fn apply(self, tags: &mut Vec<(String, String)>) {
        match self {
            TagEdit::Key(i, key) => tags.get_mut(i).into_iter().for_each(|tag| tag.0 = key.clone()),
            TagEdit::Value(i, value) => tags.get_mut(i).into_iter().for_each(|tag| tag.1 = value.clone()),
            TagEdit::Remove(i) if i < tags.len() => {
                tags.remove(i);
            }
            TagEdit::Remove(_) => {}
            TagEdit::Add => tags.push(Default::default()),
        }
    }
}

/// `prefix` is the operation's list name: `Tags` (UpdateOTAJob) or `Tag` (the creates).
#[component]
pub fn TagRows(
    prefix: &'static str,
    #[prop(into)] tags: Signal<Vec<(String, String)>>,
    #[prop(into)] edit: Callback<TagEdit>,
    #[prop(into)] problems: Signal<Vec<ParamError>>,
    /// Say that the set sent replaces the batch's tags (when editing a batch).
    #[prop(optional)]
    replaced_whole: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || tags.with(Vec::len);
    let problem_at = move |param: String| {
        problems
            .with(|found| found.iter().find(|p| p.param.as_deref() == Some(param.as_str())).map(|p| rule_text(i18n, p)))
    };
    let whole = move || problem_at(format!("{prefix}.N"));
    let full = move || count() >= MAX_TAGS;
    let rows = move || {
        (0..count())
            .map(|i| {
                let key_error = move || problem_at(format!("{prefix}.{}.Key", i + 1));
                let value_error = move || problem_at(format!("{prefix}.{}.Value", i + 1));
                let cell = move |value: bool| {
                    move || tags.with(|t| t.get(i).map(|t| if value { t.1.clone() } else { t.0.clone() }).unwrap_or_default())
                };
                let number = (i + 1).to_string();
                let key_label = i18n.fill(Msg::TagKeyLabel, &[("n", &number)]);
                let value_label = i18n.fill(Msg::TagValueLabel, &[("n", &number)]);
                view! {
                    <tr data-tag=i>
                        <td>
                            <input type="text" aria-label=key_label aria-invalid=move || key_error().is_some().then_some("true")
                                prop:value=cell(false) on:input:target=move |ev| edit.run(TagEdit::Key(i, ev.target().value()))/>
                            <p class="field-error">{key_error}</p>
                        </td>
                        <td>
                            <input type="text" aria-label=value_label aria-invalid=move || value_error().is_some().then_some("true")
                                prop:value=cell(true) on:input:target=move |ev| edit.run(TagEdit::Value(i, ev.target().value()))/>
                            <p class="field-error">{value_error}</p>
                        </td>
                        <td>
                            <button type="button" class="link" on:click=move |_| edit.run(TagEdit::Remove(i))>
                                {i18n.text(Msg::Remove)}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="tags">
            <legend>{i18n.text(Msg::BatchTags)}</legend>
            {replaced_whole.then(|| view! { <p class="intro">{i18n.text(Msg::TagsReplacedWhole)}</p> })}
            <table class="tag-rows"><tbody>{rows}</tbody></table>
            <p class="field-error">{whole}</p>
            <button type="button" disabled=full on:click=move |_| edit.run(TagEdit::Add)>
                {i18n.text(Msg::AddTag)}
            </button>
        </fieldset>
    }
}
