use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// What a page shows before its first data arrives.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{i18n.text(Msg::Loading)}</p> }
}
