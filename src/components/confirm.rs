//! Asking before an action: a modal `<dialog>` that says what will happen. The browser keeps
//! focus inside it, Escape closes it, and focus returns to where it was.

use std::sync::Arc;

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// A question for the operator, and what a yes does.
#[derive(Clone)]
pub struct Ask {
    pub message: String,
    pub confirm: Msg,
    /// Not a `Callback`: the row or view that asked may be gone by the time of the answer.
    on_confirm: Arc<dyn Fn() + Send + Sync>,
}

impl Ask {
    pub fn new(message: String, confirm: Msg, on_confirm: impl Fn() + Send + Sync + 'static) -> Self {
        Self { message, confirm, on_confirm: Arc::new(on_confirm) }
    }
}

/// Shows `ask` while it is set; clears it when answered either way.
#[component]
pub fn ConfirmDialog(ask: RwSignal<Option<Ask>>) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    super::modal_while(dialog, ask, |_| {});
    let yes = move |_| {
        if let Some(question) = ask.get_untracked() {
            (question.on_confirm)();
        }
        ask.set(None);
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="confirm-question" on:close=move |_| ask.set(None)>
            <p id="confirm-question">{move || ask.get().map(|a| a.message)}</p>
            <div class="actions">
                <button type="button" autofocus on:click=move |_| ask.set(None)>{i18n.text(Msg::KeepAsIs)}</button>
                <button type="button" class="danger" on:click=yes>
                    {move || ask.get().map(|a| i18n.t(a.confirm))}
                </button>
            </div>
        </dialog>
    }
}
