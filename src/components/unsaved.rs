//! Asking before a form with unsaved changes is left: closing or reloading the tab (the
//! browser asks), following a link inside the console, and the browser's Back and Forward
//! (we ask).

use js_sys::Reflect;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventTarget, HtmlAnchorElement, MouseEvent};

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
    let back_and_forward = guard_back_and_forward(dirty, question);
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
        remove_back_and_forward(&back_and_forward);
    });
}

/// Back and Forward: the Navigation API's `navigate` event comes before the browser moves in
/// the history, and a traversal within the page may be cancelled there, so nothing changes
/// when the operator stays. Browsers without that API only ask on links, reload and closing.
fn guard_back_and_forward(dirty: Signal<bool>, question: Signal<String>) -> Listener {
    let on_navigate = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
        let kind = Reflect::get(&ev, &"navigationType".into()).ok().and_then(|kind| kind.as_string());
        if kind.as_deref() != Some("traverse") || !ev.cancelable() || !dirty.get_untracked() {
            return;
        }
        if !window().confirm_with_message(&question.get_untracked()).unwrap_or(true) {
            ev.prevent_default();
        }
    });
    let navigation = Reflect::get(&window(), &"navigation".into()).ok().and_then(|n| n.dyn_into::<EventTarget>().ok());
    if let Some(navigation) = &navigation {
        let _ = navigation.add_event_listener_with_callback("navigate", on_navigate.as_ref().unchecked_ref());
    }
    SendWrapper::new((navigation, on_navigate))
}

/// What the Back and Forward guard listens with, removed when its page goes.
type Listener = SendWrapper<(Option<EventTarget>, Closure<dyn FnMut(Event)>)>;

fn remove_back_and_forward(listener: &Listener) {
    if let (Some(navigation), on_navigate) = &**listener {
        let _ = navigation.remove_event_listener_with_callback("navigate", on_navigate.as_ref().unchecked_ref());
    }
}
