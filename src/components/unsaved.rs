//! Asking before a form with unsaved changes is left: closing or reloading the tab (the
//! browser asks), and following a link inside the console (we ask).

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlAnchorElement, MouseEvent};

thread_local! {
    /// The page's guard, for leaving by other means than a link (the environment switcher).
    static CURRENT: std::cell::RefCell<Option<(Signal<bool>, Signal<String>)>> = const { std::cell::RefCell::new(None) };
}

/// Whether the page may be left: yes when nothing is unsaved, else as the operator answers.
pub fn may_leave() -> bool {
    let Some((dirty, question)) = CURRENT.with_borrow(Clone::clone) else { return true };
    // A guard whose page is gone guards nothing.
    let (Some(true), Some(question)) = (dirty.try_get_untracked(), question.try_get_untracked()) else { return true };
    window().confirm_with_message(&question).unwrap_or(true)
}

/// While `dirty`, leaving the page asks `question` first.
pub fn use_unsaved_guard(dirty: Signal<bool>, question: Signal<String>) {
    CURRENT.with_borrow_mut(|current| *current = Some((dirty, question)));
    let before_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    // Capturing on the document runs before the router's own link handling.
    let on_click = Closure::<dyn FnMut(MouseEvent)>::new(move |ev: MouseEvent| {
        // A click that opens another tab or window leaves nothing behind.
        let elsewhere = ev.ctrl_key() || ev.meta_key() || ev.shift_key();
        if !dirty.get_untracked() || ev.default_prevented() || ev.button() != 0 || elsewhere {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if link.and_then(|l| l.dyn_into::<HtmlAnchorElement>().ok()).is_none() {
            return;
        }
        let stay = !window().confirm_with_message(&question.get_untracked()).unwrap_or(true);
        if stay {
            ev.prevent_default();
            ev.stop_propagation();
        }
    });
    let listener: &js_sys::Function = on_click.as_ref().unchecked_ref();
    let _ = document().add_event_listener_with_callback_and_bool("click", listener, true);
    let on_click = SendWrapper::new(on_click);
    on_cleanup(move || {
        // The next page may have set its own guard already.
        CURRENT.with_borrow_mut(|current| {
            if current.as_ref().is_some_and(|(guarded, _)| *guarded == dirty) {
                *current = None;
            }
        });
        before_unload.remove();
        let listener: &js_sys::Function = on_click.as_ref().unchecked_ref();
        let _ = document().remove_event_listener_with_callback_and_bool("click", listener, true);
    });
}
