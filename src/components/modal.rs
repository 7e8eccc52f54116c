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
