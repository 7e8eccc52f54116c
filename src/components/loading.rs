use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// What a page shows before its first data arrives.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{i18n.text(Msg::Loading)}</p> }
}

/// How a part of a page is made from its data: run again whenever what it reads changes.
pub struct PartView(Arc<dyn Fn() -> Suspend<AnyView> + Send + Sync>);

impl<F> From<F> for PartView
where
    F: Fn() -> Suspend<AnyView> + Send + Sync + 'static,
{
    fn from(make: F) -> Self {
        Self(Arc::new(make))
    }
}

/// A part of a page that waits for its data: `fallback` ([`Loading`] unless given) until the
/// first answer, then what `view` makes of it, kept on screen while a newer answer loads.
/// Every such part shares one copy of Leptos's `Transition` (a copy per part was kilobytes).
#[component]
pub fn Loaded(
    #[prop(into)] view: PartView,
    #[prop(optional, into)] fallback: Option<ViewFnOnce>,
    /// Told whether a newer answer is being waited for.
    #[prop(optional, into)]
    set_pending: Option<SignalSetter<bool>>,
) -> impl IntoView {
    let PartView(view) = view;
    let fallback = fallback.unwrap_or_else(|| ViewFnOnce::from(Loading));
    let children = TypedChildren::to_children(move || move || view());
    let props = TransitionProps::builder().fallback(fallback).children(children);
    match set_pending {
        Some(set_pending) => Transition(props.set_pending(set_pending).build()),
        None => Transition(props.build()),
    }
}
