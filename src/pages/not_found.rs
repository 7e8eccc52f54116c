use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::nav::{use_environment, use_site};

/// Any URL the console has no page for.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    view! {
        <section class="panel">
            <h1>{i18n.text(Msg::PageNotFound)}</h1>
            <p>
                <a href=move || site.packages_href(&env.get())>{i18n.text(Msg::BackToPackages)}</a>
            </p>
        </section>
    }
}
