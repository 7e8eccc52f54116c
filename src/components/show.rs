//! `<Show>` as Leptos has it, but with its condition and children type-erased: Leptos's own is
//! generic over both, and its copies were about 2 KiB of wasm for each of the console's uses.
//! Pages import this one by name, which takes precedence over the prelude's.

use leptos::prelude::*;

/// `children` while `when` is true, `fallback` (nothing unless given) while it is false; each
/// made again only when `when` changes.
#[component]
pub fn Show(
    children: ChildrenFn,
    #[prop(into)] when: Signal<bool>,
    #[prop(optional, into)] fallback: ViewFn,
) -> impl IntoView {
    let shown = Memo::new(move |_| when.get());
    move || if shown.get() { children() } else { fallback.run() }
}
