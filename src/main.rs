//! ota-console: the browser console for over-the-air firmware updates.
//!
//! Start-up loads the runtime configuration (`config.json`) first, so the app itself always
//! knows its environments; a broken configuration gets an explanation instead of a blank page.

mod api;
mod app;
mod auth;
mod charts;
mod components;
mod crash;
mod format;
mod i18n;
mod lifetime;
mod live;
mod nav;
mod pages;
mod resource;
mod theme;

use leptos::prelude::*;

fn main() {
    crash::install();
    let lang = app::initial_lang();
    // Leptos' own executor starts with the mount, and the configuration is loaded before that.
    #[allow(clippy::disallowed_methods)] // Before the app exists: no signal to outlive.
    wasm_bindgen_futures::spawn_local(async move {
        let environments =
            api::load_config().await.and_then(|file| file.resolve(&nav::page_origin()).map_err(|e| e.to_string()));
        match environments {
            Ok(environments) => mount_to_body(move || view! { <app::App environments lang/> }),
            Err(detail) => mount_to_body(move || view! { <app::ConfigProblem detail lang/> }),
        }
    });
}
