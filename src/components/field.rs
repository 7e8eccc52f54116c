//! Form fields that say what is wrong beside themselves: the model's broken rules once the
//! operator has touched a field (or tried to submit), and the backend's refusal of it.

use std::collections::HashSet;

use leptos::prelude::*;
use ota_model::ParamError;

use super::Show;
use super::rule_text;
use crate::api::ApiError;
use crate::i18n::use_i18n;

/// What a form's fields need to show their problems. `Copy`, so every field can hold it.
#[derive(Clone, Copy)]
pub struct FormProblems {
    /// Every rule the form breaks now, from the model.
    pub found: Signal<Vec<ParamError>>,
    /// The backend's refusal of the last submit, if any.
    pub refusal: RwSignal<Option<ApiError>>,
    touched: RwSignal<HashSet<&'static str>>,
    submitted: RwSignal<bool>,
}

impl FormProblems {
    pub fn new(found: Signal<Vec<ParamError>>) -> Self {
        Self {
            found,
            refusal: RwSignal::new(None),
            touched: RwSignal::new(HashSet::new()),
            submitted: RwSignal::new(false),
        }
    }

    /// The operator changed the field for `param`: its problems show from now on, and a
    /// refusal of it is answered.
    pub fn touch(self, param: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(param)) {
            self.touched.update(|t| {
                t.insert(param);
            });
        }
        if self.refusal.with_untracked(|r| r.as_ref().and_then(|r| r.param()).is_some_and(|p| covers(param, p))) {
            self.refusal.set(None);
        }
    }

    /// Back to a fresh form: no problem shows until a field is touched or a submit is tried.
    pub fn reset(self) {
        self.touched.set(HashSet::new());
        self.submitted.set(false);
        self.refusal.set(None);
    }

    /// A new step of a form: its untouched fields stay quiet until the next submit.
    pub fn next_step(self) {
        self.submitted.set(false);
    }

    /// The model's problems and the backend's refusal together, for a widget that shows both.
    pub fn with_refusal(self) -> Signal<Vec<ParamError>> {
        Signal::derive(move || {
            let mut all = self.found.get();
            if let Some(refusal) = self.refusal.get() {
                let param = refusal.param().map(str::to_owned);
                all.push(ParamError { param, ..ParamError::new(String::new(), refusal.detail()) });
            }
            all
        })
    }

    /// A submit was tried: every problem shows. Answers whether there are none.
    pub fn submit(self) -> bool {
        self.submitted.set(true);
        self.found.with_untracked(Vec::is_empty)
    }

    /// What to say beside the field for `param` (and the parameters under it), if anything.
    pub fn text_for(self, param: &'static str) -> Option<String> {
        self.text_under(param, param)
    }

    /// What to say about `param`, which shows once the field `field` is touched.
    pub fn text_under(self, field: &'static str, param: &str) -> Option<String> {
        let i18n = use_i18n();
        let shown = self.submitted.get() || self.touched.with(|t| t.contains(field));
        let rule = shown
            .then(|| {
                self.found.with(|found| {
                    found
                        .iter()
                        .find(|p| p.param.as_deref().is_some_and(|p| covers(param, p)))
                        .map(|p| rule_text(i18n, p))
                })
            })
            .flatten();
        rule.or_else(|| {
            self.refusal.with(|refusal| {
                let refusal = refusal.as_ref()?;
                refusal.param().filter(|p| covers(param, p)).map(|_| refusal.detail())
            })
        })
    }
}

/// Whether a field for `field` shows a problem with `param`: the same name, or one under it
/// (`MultiFiles` covers `MultiFiles.2.Name`; `Tags` covers `Tags.1.Key`).
fn covers(field: &str, param: &str) -> bool {
    param == field || param.strip_prefix(field).is_some_and(|rest| rest.starts_with('.'))
}

/// A labelled one-line (or, `multiline`, several-line) text field.
#[component]
pub fn TextField(
    id: &'static str,
    param: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    problems: FormProblems,
    #[prop(optional)] multiline: bool,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let error = move || problems.text_for(param);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{error_id} {hint_id}") } else { error_id.clone() };
    let invalid = move || error().is_some().then_some("true");
    let input = move |text: String| {
        set.run(text);
        problems.touch(param);
    };
    let control = if multiline {
        view! {
            <textarea id=id rows="3" aria-invalid=invalid aria-describedby=described.clone()
                prop:value=move || value.get() on:input:target=move |ev| input(ev.target().value())></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id type="text" aria-invalid=invalid aria-describedby=described.clone()
                prop:value=move || value.get() on:input:target=move |ev| input(ev.target().value())/>
        }
        .into_any()
    };
    view! {
        <label for=id>{move || label.get()}</label>
        <div>
            {control}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || hint.get()}</p> })}
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// A labelled choice among a few values, as a `<select>`.
#[component]
pub fn ChoiceField(
    id: &'static str,
    param: &'static str,
    #[prop(into)] label: Signal<String>,
    /// `(value, text)` pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    problems: FormProblems,
) -> impl IntoView {
    let error = move || problems.text_for(param);
    let error_id = format!("{id}-error");
    view! {
        <label for=id>{move || label.get()}</label>
        <div>
            <select id=id aria-describedby=error_id.clone() prop:value=move || value.get()
                aria-invalid=move || error().is_some().then_some("true")
                on:change:target=move |ev| { set.run(ev.target().value()); problems.touch(param); }>
                {move || options.get().into_iter().map(|(option, text)| {
                    let selected = value.with(|v| *v == option);
                    view! { <option value=option selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// A labelled yes/no, with what a yes means beside the box, and (with `param`) what is wrong.
#[component]
pub fn CheckField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] set: Callback<bool>,
    #[prop(into)] hint: Signal<String>,
    #[prop(optional)] param: Option<(&'static str, FormProblems)>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = move || param.and_then(|(param, problems)| problems.text_for(param));
    view! {
        <label for=id>{move || label.get()}</label>
        <div>
            <div class="check">
                <input id=id type="checkbox" aria-describedby=format!("{hint_id} {error_id}")
                    aria-invalid=move || error().is_some().then_some("true") prop:checked=move || checked.get()
                    on:change:target=move |ev| {
                        set.run(ev.target().checked());
                        if let Some((param, problems)) = param {
                            problems.touch(param);
                        }
                    }/>
                <span class="hint" id=hint_id>{move || hint.get()}</span>
            </div>
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// The form's problems that no field claims (`claimed` says which parameters have one), listed
/// together once a submit was tried (or `at_once`), so that nothing blocks the operator silently.
#[component]
pub fn OtherProblems(
    problems: FormProblems,
    claimed: fn(&str) -> bool,
    #[prop(optional)] at_once: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let others = move || {
        if !at_once && !problems.submitted.get() {
            return Vec::new();
        }
        problems.found.with(|found| {
            found
                .iter()
                .filter(|p| !p.param.as_deref().is_some_and(claimed))
                .map(|p| rule_text(i18n, p))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !others().is_empty()>
            <div class="other-problems" role="alert">
                <p>{move || i18n.t(crate::i18n::FormMsg::UnshownProblems)}</p>
                <ul>{move || others().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}
