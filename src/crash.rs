//! When the console itself fails. A panic in WebAssembly stops the console for good: the page
//! would still look right, yet ignore every click. Instead the operator is told, in their
//! language, and offered a reload that keeps their place (the address holds it).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::i18n::{Lang, Message, Msg};

const NOTICE_ID: &str = "console-stopped";

/// Logs every panic to the browser's console, as before, and then shows the notice.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_notice();
    }));
}

/// Stops the console as a panic would, so that what the operator then sees can be checked
/// (the browser tests do). Reachable from the page's own scripts only, which can do more.
#[wasm_bindgen(js_name = otaConsoleCrashDrill)]
pub fn crash_drill() {
    panic!("crash drill: the console was stopped on purpose");
}

/// A modal notice over the stopped page. Built with the DOM alone, and nothing in it needs
/// the console: the reload is a plain link (`rel="external"`, so the router, which is stopped
/// too, leaves it to the browser), and the dialog cannot be closed (`closedby`, and a
/// `cancel` listener for browsers without it, which touches nothing of the console's).
fn show_notice() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    if document.get_element_by_id(NOTICE_ID).is_some() {
        return;
    }
    let lang = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::En);
    let here = document.location().and_then(|location| location.href().ok()).unwrap_or_default();
    let built = (|| -> Result<web_sys::HtmlDialogElement, wasm_bindgen::JsValue> {
        let dialog = document.create_element("dialog")?;
        dialog.set_id(NOTICE_ID);
        dialog.set_class_name("confirm stopped");
        dialog.set_attribute("role", "alertdialog")?;
        dialog.set_attribute("aria-labelledby", "console-stopped-title")?;
        dialog.set_attribute("closedby", "none")?;
        let title = document.create_element("h2")?;
        title.set_id("console-stopped-title");
        title.set_text_content(Some(Msg::ConsoleStopped.text(lang)));
        let explanation = document.create_element("p")?;
        explanation.set_text_content(Some(Msg::ConsoleStoppedExplain.text(lang)));
        let actions = document.create_element("div")?;
        actions.set_class_name("actions");
        let reload = document.create_element("a")?;
        reload.set_class_name("button primary");
        reload.set_attribute("href", &here)?;
        reload.set_attribute("rel", "external")?;
        reload.set_text_content(Some(Msg::ReloadConsole.text(lang)));
        actions.append_child(&reload)?;
        for part in [&title, &explanation, &actions] {
            dialog.append_child(part)?;
        }
        document.body().ok_or("no body")?.append_child(&dialog)?;
        Ok(dialog.unchecked_into())
    })();
    if let Ok(dialog) = built {
        let stay_open = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| event.prevent_default());
        let _ = dialog.add_event_listener_with_callback("cancel", stay_open.as_ref().unchecked_ref());
        stay_open.forget();
        // Modal: over any dialog already open, with the dead page behind it inert.
        let _ = dialog.show_modal();
    }
}
