//! Says how a page keeps itself current: pushed changes, or checking now and then.

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::live::{Live, LiveMode};

#[component]
pub fn LiveIndicator(live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match live.mode.get() {
        LiveMode::Starting => "",
        LiveMode::Stream => i18n.t(Msg::LiveStream),
        LiveMode::Poll => i18n.t(Msg::LivePoll),
    };
    view! {
        <span class="live" data-mode=move || live.mode.get().name() role="status">
            <span class="dot" aria-hidden="true"></span>
            {text}
        </span>
    }
}
