//! Charts: options built with charming, drawn by ECharts. ECharts (vendor/echarts, built with
//! only the series and components options.rs uses: 556 kB, 190 kB gzipped) is fetched the first
//! time a page shows a chart, so pages without charts never load it. A chart follows its data,
//! resizes with the window, is disposed with its component, and reports clicks on its slices
//! or bars by the item's name.

mod options;

pub use self::options::{Named, Palette, donut, histogram, stacked_areas, stacked_bars};

use std::cell::RefCell;

use charming::{Chart as Options, ChartResize, Echarts, WasmRenderer};
use js_sys::{Function, Promise, Reflect};
use leptos::html::Div;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{AnalysisMsg, use_i18n};
use crate::lifetime;

/// The theme's chart colours, read again whenever the theme changes.
pub fn use_palette() -> Memo<Palette> {
    let theme = crate::theme::use_theme();
    Memo::new(move |_| {
        // Read (not only tracked) so that the memo is subscribed to the theme's changes.
        let _dark = theme.dark.get();
        Palette::current()
    })
}

/// Where the vendored script is, relative to the page's `<base>` (always on the page's origin).
const ECHARTS_SRC: &str = "vendor/echarts/echarts.min.js";
/// Its SHA-384 (build.rs): the browser refuses any other file at that address.
const ECHARTS_INTEGRITY: &str = env!("ECHARTS_INTEGRITY");

/// What was clicked: the item's name (a slice, or a bar's category) and its series' name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clicked {
    pub name: String,
    pub series: String,
}

/// A drawn chart, and what listens to its clicks (kept as long as the chart).
type Instance = SendWrapper<Echarts>;
type ClickHandler = SendWrapper<Closure<dyn Fn(JsValue)>>;

thread_local! {
    /// The one load of ECharts, shared by every chart that waits for it.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Makes sure ECharts is on the page, loading it on first use.
async fn load_echarts() -> Result<(), String> {
    if Reflect::has(&window(), &JsValue::from_str("echarts")).unwrap_or(false) {
        return Ok(());
    }
    let promise = LOADING.with_borrow_mut(|loading| {
        loading
            .get_or_insert_with(|| {
                Promise::new(&mut |resolve, reject| {
                    let added = document().create_element("script").and_then(|script| {
                        script.set_attribute("integrity", ECHARTS_INTEGRITY)?;
                        script.set_attribute("src", ECHARTS_SRC)?;
                        let script: web_sys::HtmlScriptElement = script.unchecked_into();
                        script.set_onload(Some(&resolve));
                        script.set_onerror(Some(&reject));
                        document().head().map_or(Ok(()), |head| head.append_child(&script).map(drop))
                    });
                    if let Err(error) = added {
                        let _ = reject.call1(&JsValue::NULL, &error);
                    }
                })
            })
            .clone()
    });
    let loaded = JsFuture::from(promise).await;
    if loaded.is_err() {
        // A later chart tries again (the file may have been unreachable for a moment).
        LOADING.with_borrow_mut(|loading| *loading = None);
    }
    loaded.map(drop).map_err(|_| format!("{ECHARTS_SRC} could not be loaded"))
}

/// Starts loading ECharts while a page that will show charts still waits for their data, so
/// that the script and the data arrive together (a chart loads it anyway if this was not called).
pub fn preload() {
    lifetime::spawn_detached(async {
        let _ = load_echarts().await;
    });
}

/// A chart `height` pixels high, as wide as its container. `label` names it for assistive
/// technology (each chart also has a table of the same numbers beside it).
#[component]
pub fn Chart(
    id: &'static str,
    /// Called (and followed) whenever the chart is drawn. Not a `Signal`: that would need
    /// charming's option types to be cloned, and their clones are 30 KiB of wasm.
    options: Callback<(), Options>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] height: Signal<u32>,
    /// Called with what was clicked (a slice or a bar).
    #[prop(optional)]
    on_click: Option<Callback<Clicked>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<Div>::new();
    let instance = StoredValue::new(None::<Instance>);
    let failed = RwSignal::new(None::<String>);
    // Kept for the chart's lifetime: ECharts calls it on every click.
    let clicks = StoredValue::new(None::<ClickHandler>);
    // Each drawing is one task of the effect's run: a newer run, or leaving the page, ends it
    // at its next wait (for ECharts, or for a frame).
    Effect::new(move |_| {
        let options = options.run(());
        if node.get().is_none() {
            return;
        }
        lifetime::spawn(async move {
            if let Err(why) = load_echarts().await {
                failed.set(Some(why));
                return;
            }
            // ECharts looks for the element by its ID: wait (a frame at least) until it is in
            // the document, where a page still being put together may not have it yet.
            for _ in 0..FRAMES_TO_WAIT {
                lifetime::next_frame().await;
                if document().get_element_by_id(id).is_some() {
                    break;
                }
            }
            let drawing = Drawing { id, height: height.get_untracked(), instance, clicks, on_click, failed };
            draw(drawing, &options);
        });
    });
    // Follows the window's width and its own height (a list that grows gets a taller chart).
    let fit = move || {
        let width = node.get_untracked().map(|element| element.client_width()).unwrap_or_default();
        let height = height.get_untracked();
        instance.with_value(|chart| {
            if let (Some(chart), Ok(width)) = (chart, u32::try_from(width)) {
                WasmRenderer::resize_chart(chart, ChartResize::new(width, height, false, None));
            }
        });
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| fit());
    let scope = lifetime::Scope::here();
    Effect::new(move |first: Option<()>| {
        height.track();
        if first.is_some() {
            scope.next_frame(fit);
        }
    });
    on_cleanup(move || {
        resize.remove();
        let _ = instance.try_with_value(|chart| chart.as_ref().map(|chart| dispose(chart)));
    });
    view! {
        <div class="chart-box">
            <div class="chart" id=id node_ref=node role="img" aria-label=move || label.get()
                style=move || format!("height: {}px", height.get())></div>
            {move || failed.get().map(|why| view! {
                <p class="error" role="alert">{i18n.text(AnalysisMsg::ChartUnavailable)} " (" {why} ")"</p>
            })}
        </div>
    }
}

/// How many frames a chart waits for its element to join the document, about a second.
const FRAMES_TO_WAIT: u32 = 60;

/// One chart's drawing: where, how high, and what it keeps.
#[derive(Clone, Copy)]
struct Drawing {
    id: &'static str,
    height: u32,
    instance: StoredValue<Option<Instance>>,
    clicks: StoredValue<Option<ClickHandler>>,
    on_click: Option<Callback<Clicked>>,
    failed: RwSignal<Option<String>>,
}

fn draw(drawing: Drawing, options: &Options) {
    let Drawing { id, height, instance, clicks, on_click, failed } = drawing;
    let drawn = instance.try_with_value(|chart| chart.as_ref().map(|chart| WasmRenderer::update(chart, options)));
    match drawn {
        // The component is gone.
        None => {}
        Some(Some(())) => {}
        Some(None) => match WasmRenderer::new_opt(None, Some(height)).render(id, options) {
            Ok(chart) => {
                if let Some(on_click) = on_click {
                    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                        let text = |key: &str| Reflect::get(&event, &JsValue::from_str(key)).ok()?.as_string();
                        if let Some(name) = text("name") {
                            on_click.run(Clicked { name, series: text("seriesName").unwrap_or_default() });
                        }
                    });
                    listen(&chart, "click", &handler);
                    clicks.set_value(Some(SendWrapper::new(handler)));
                }
                instance.set_value(Some(SendWrapper::new(chart)));
            }
            Err(error) => failed.set(Some(format!("{error:?}"))),
        },
    }
}

/// A method of the chart's JavaScript object: charming 0.6 binds neither `on` nor `dispose`.
fn method(chart: &Echarts, name: &str) -> Option<(JsValue, Function)> {
    let chart: &JsValue = chart.as_ref();
    let function = Reflect::get(chart, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()?;
    Some((chart.clone(), function))
}

/// `chart.on(event, handler)`.
fn listen(chart: &Echarts, event: &str, handler: &Closure<dyn Fn(JsValue)>) {
    if let Some((chart, on)) = method(chart, "on") {
        let _ = on.call2(&chart, &JsValue::from_str(event), handler.as_ref());
    }
}

/// `chart.dispose()`.
fn dispose(chart: &Echarts) {
    if let Some((chart, dispose)) = method(chart, "dispose") {
        let _ = dispose.call0(&chart);
    }
}
