//! The console's colour theme: light, dark, or the system's. The choice is kept in the
//! browser; the theme in effect is set on `<html data-theme>`, where the stylesheet's colour
//! variables follow it, and charts redraw with the same variables when it changes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::{Msg, use_i18n};

const STORAGE_KEY: &str = "ota-console.theme";
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|choice| choice.key() == key)
    }

    fn label(self) -> Msg {
        match self {
            ThemeChoice::System => Msg::ThemeSystem,
            ThemeChoice::Light => Msg::ThemeLight,
            ThemeChoice::Dark => Msg::ThemeDark,
        }
    }
}

/// The choice, and whether the console is dark because of it.
#[derive(Clone, Copy)]
pub struct Theme {
    pub choice: RwSignal<ThemeChoice>,
    system_dark: RwSignal<bool>,
    pub dark: Memo<bool>,
}

impl Theme {
    /// Switches the theme; the page's colours change before anything that follows `dark` runs.
    pub fn choose(self, choice: ThemeChoice) {
        mark(is_dark(choice, self.system_dark.get_untracked()));
        self.choice.set(choice);
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, choice.key());
        }
    }
}

pub fn use_theme() -> Theme {
    expect_context()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn is_dark(choice: ThemeChoice, system_dark: bool) -> bool {
    match choice {
        ThemeChoice::System => system_dark,
        ThemeChoice::Light => false,
        ThemeChoice::Dark => true,
    }
}

/// Sets `<html data-theme>`, which the stylesheet's colour variables follow.
fn mark(dark: bool) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

/// Provides the theme last chosen in this browser, and follows the system's while it is chosen.
pub fn provide_theme() -> Theme {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let choice = RwSignal::new(stored.as_deref().and_then(ThemeChoice::from_key).unwrap_or(ThemeChoice::System));
    let system_dark = RwSignal::new(false);
    if let Ok(Some(query)) = window().match_media(DARK_QUERY) {
        system_dark.set(query.matches());
        // Lives as long as the page: the system may switch at dusk.
        let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            if let Some(query) = event.target().and_then(|t| t.dyn_into::<web_sys::MediaQueryList>().ok()) {
                mark(is_dark(choice.get_untracked(), query.matches()));
                system_dark.set(query.matches());
            }
        });
        let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    mark(is_dark(choice.get_untracked(), system_dark.get_untracked()));
    let dark = Memo::new(move |_| is_dark(choice.get(), system_dark.get()));
    let theme = Theme { choice, system_dark, dark };
    provide_context(theme);
    theme
}

/// A colour variable of the stylesheet as the theme in effect sets it, e.g. `--state-failed`.
pub fn color(name: &str) -> String {
    let root = document().document_element();
    let style = root.and_then(|root| window().get_computed_style(&root).ok().flatten());
    style.and_then(|style| style.get_property_value(name).ok()).map(|v| v.trim().to_owned()).unwrap_or_default()
}

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let theme = use_theme();
    view! {
        <label>
            <span>{i18n.text(Msg::Theme)}</span>
            <select
                id="theme-switch"
                prop:value=move || theme.choice.get().key()
                on:change:target=move |ev| {
                    if let Some(choice) = ThemeChoice::from_key(&ev.target().value()) {
                        theme.choose(choice);
                    }
                }
            >
                {ThemeChoice::ALL
                    .into_iter()
                    .map(|choice| view! { <option value=choice.key()>{move || i18n.t(choice.label())}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
