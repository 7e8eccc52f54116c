//! Opening and closing a modal `<dialog>` by its node: the browser keeps focus inside it while
//! open and gives it back to where it was when closed.

use leptos::html::Dialog;
use leptos::prelude::*;

pub fn show_modal(dialog: NodeRef<Dialog>) {
    if let Some(element) = dialog.get_untracked() {
        let _ = element.show_modal();
    }
}

pub fn close_modal(dialog: NodeRef<Dialog>) {
    if let Some(element) = dialog.get_untracked() {
        element.close();
    }
}

/// Keeps `dialog` open while `open` holds something, and calls `opened` with it each time the
/// dialog opens. The dialog's own closing (Escape, a button) must empty `open`, in `on:close`.
pub fn modal_while<T>(dialog: NodeRef<Dialog>, open: RwSignal<Option<T>>, opened: impl Fn(T) + 'static)
where
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        match open.get() {
            Some(what) if !element.open() => {
                // What `opened` reads is not what the dialog follows.
                untrack(|| opened(what));
                let _ = element.show_modal();
            }
            None if element.open() => element.close(),
            _ => {}
        }
    });
}
