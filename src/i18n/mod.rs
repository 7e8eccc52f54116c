//! The user's language and the catalogue in it (the messages themselves are `ota-i18n`).

use leptos::prelude::*;

pub use ota_i18n::{AnalysisMsg, AuditMsg, AuthMsg, FormMsg, Lang, Message, Msg, SafetyMsg, WizardMsg};

/// The user's language, shared through context. `Copy`, so closures can capture it freely.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// The message in the current language (tracked: views re-render on a switch).
    pub fn t(self, msg: impl Message) -> &'static str {
        msg.text(self.lang.get())
    }

    /// The message as a view that follows the language. Use it rather than
    /// `move || i18n.t(msg)` in a view: that closure is a type of its own at every place it is
    /// written, and each brings its own copy of the rendering code into the wasm; this one is
    /// one type per catalogue.
    pub fn text<M: Message + Send + Sync + 'static>(self, msg: M) -> impl IntoView + use<M> {
        move || self.t(msg)
    }

    /// The message with its `{name}` placeholders replaced.
    pub fn fill(self, msg: impl Message, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.t(msg).to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }
}

/// The catalogue of the current page.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
