//! Asking before an action: a modal `<dialog>` that says what will happen. The browser keeps
//! focus inside it, Escape closes it, and focus returns to where it was.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// A question for the operator, and what a yes does.
#[derive(Clone)]
pub struct Ask {
    pub message: String,
    pub confirm: Msg,
    pub on_confirm: Callback<()>,
}

/// Shows `ask` while it is set; clears it when answered either way.
#[component]
pub fn ConfirmDialog(ask: RwSignal<Option<Ask>>) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        match ask.get() {
            Some(_) if !element.open() => {
                let _ = element.show_modal();
            }
            None if element.open() => element.close(),
            _ => {}
        }
    });
    let yes = move |_| {
        if let Some(question) = ask.get_untracked() {
            question.on_confirm.run(());
        }
        ask.set(None);
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="confirm-question" on:close=move |_| ask.set(None)>
            <p id="confirm-question">{move || ask.get().map(|a| a.message)}</p>
            <div class="actions">
                <button type="button" autofocus on:click=move |_| ask.set(None)>{move || i18n.t(Msg::KeepAsIs)}</button>
                <button type="button" class="danger" on:click=yes>
                    {move || ask.get().map(|a| i18n.t(a.confirm))}
                </button>
            </div>
        </dialog>
    }
}
