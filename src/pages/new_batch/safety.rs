//! Step 2's safe-rollout fields (extension `SafeRollout`, offered where the backend announces
//! it): waves (static batches), the automatic pause and maintenance windows, each switched on
//! by its own box. The rules checking them are the server's (`ota_model::job::safety`).

use leptos::prelude::*;
use ota_model::job::form::{BatchForm, BatchKind};
use ota_model::job::safety::pause::DEVICE_FAILURES;
use ota_model::job::safety::waves::PromotionMode;
use ota_model::job::safety::windows::MAX_WINDOWS;
use ota_model::job::safety::{SafetyForm, WindowRow};

use super::Wizard;
use crate::components::{CheckField, ChoiceField, Show, TextField, day_name, task_reason_label};
use crate::i18n::{SafetyMsg, use_i18n};

#[component]
pub fn SafetyFields(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let label = move |msg: SafetyMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let on = move |get: fn(&SafetyForm) -> bool| Signal::derive(move || form.with(|f| get(&f.safety)));
    let set = move |apply: fn(&mut SafetyForm, bool)| move |v: bool| form.update(|f| apply(&mut f.safety, v));
    let waves = (wizard.kind() == BatchKind::Static).then(|| {
        view! {
            <CheckField id="batch-waves-on" label=label(SafetyMsg::WavesOn) checked=on(|s| s.waves_on)
                set=set(|s, v| s.waves_on = v) hint=label(SafetyMsg::WavesOnHint)/>
            <Show when=move || form.with(|f| f.safety.waves_on)><Waves wizard/></Show>
        }
    });
    view! {
        <fieldset class="safety">
            <legend>{i18n.text(SafetyMsg::Legend)}</legend>
            <div class="form-grid">
                {waves}
                <CheckField id="batch-pause-on" label=label(SafetyMsg::PauseOn) checked=on(|s| s.pause_on)
                    set=set(|s, v| s.pause_on = v) hint=label(SafetyMsg::PauseOnHint)/>
                <Show when=move || form.with(|f| f.safety.pause_on)><Pause wizard/></Show>
                <CheckField id="batch-windows-on" label=label(SafetyMsg::WindowsOn) checked=on(|s| s.windows_on)
                    set=move |v: bool| form.update(|f| switch_windows(f, v)) hint=label(SafetyMsg::WindowsOnHint)/>
            </div>
            <Show when=move || form.with(|f| f.safety.windows_on)><Windows wizard/></Show>
        </fieldset>
    }
}

/// Windows switched on for the first time take the browser's time zone.
fn switch_windows(form: &mut BatchForm, on: bool) {
    let safety = &mut form.safety;
    if on
        && safety.zone == SafetyForm::default().zone
        && let Some(zone) = browser_zone()
    {
        safety.zone = zone;
    }
    safety.windows_on = on;
}

fn browser_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let options = format.resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}

#[component]
fn Waves(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let label = move |msg: SafetyMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let text = move |get: fn(&SafetyForm) -> &String| Signal::derive(move || form.with(|f| get(&f.safety).clone()));
    let promotion_options = Signal::derive(move || {
        vec![
            (PromotionMode::Auto.as_str().to_owned(), i18n.t(SafetyMsg::PromotionAuto).to_owned()),
            (PromotionMode::Manual.as_str().to_owned(), i18n.t(SafetyMsg::PromotionManual).to_owned()),
        ]
    });
    let auto = move || form.with(|f| f.safety.promotion == PromotionMode::Auto);
    view! {
        <TextField id="batch-waves" param="Wave" label=label(SafetyMsg::WavesLabel) value=text(|s| &s.waves)
            set=move |v: String| form.update(|f| f.safety.waves = v) problems hint=label(SafetyMsg::WavesHint)/>
        <ChoiceField id="batch-promotion" param="WavePromotion" label=label(SafetyMsg::PromotionLabel)
            options=promotion_options value=Signal::derive(move || form.with(|f| f.safety.promotion.as_str().to_owned()))
            set=move |v: String| form.update(|f| f.safety.promotion = v.parse().unwrap_or(PromotionMode::Auto)) problems/>
        <Show when=auto>
            <TextField id="batch-success-rate" param="WaveSuccessRate" label=label(SafetyMsg::SuccessRateLabel)
                value=text(|s| &s.success_rate) set=move |v: String| form.update(|f| f.safety.success_rate = v) problems/>
            <TextField id="batch-min-finished" param="WaveMinFinished" label=label(SafetyMsg::MinFinishedLabel)
                value=text(|s| &s.min_finished) set=move |v: String| form.update(|f| f.safety.min_finished = v) problems
                hint=label(SafetyMsg::MinFinishedHint)/>
            <TextField id="batch-soak" param="WaveSoakMinutes" label=label(SafetyMsg::SoakLabel)
                value=text(|s| &s.soak_minutes) set=move |v: String| form.update(|f| f.safety.soak_minutes = v) problems
                hint=label(SafetyMsg::SoakHint)/>
        </Show>
    }
}

#[component]
fn Pause(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let label = move |msg: SafetyMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let text = move |get: fn(&SafetyForm) -> &String| Signal::derive(move || form.with(|f| get(&f.safety).clone()));
    let reasons = DEVICE_FAILURES.map(|reason| {
        let checked = move || form.with(|f| f.safety.reasons.contains(&reason));
        let toggle = move |on: bool| {
            form.update(|f| {
                f.safety.reasons.retain(|r| *r != reason);
                if on {
                    f.safety.reasons.push(reason);
                }
            });
            problems.touch("PauseReason");
        };
        view! {
            <label class="choice">
                <input type="checkbox" prop:checked=checked on:change:target=move |ev| toggle(ev.target().checked())/>
                <span>{move || i18n.t(task_reason_label(reason))}</span>
            </label>
        }
    });
    view! {
        <TextField id="batch-failure-rate" param="PauseFailureRate" label=label(SafetyMsg::FailureRateLabel)
            value=text(|s| &s.failure_rate) set=move |v: String| form.update(|f| f.safety.failure_rate = v) problems/>
        <TextField id="batch-sample" param="PauseSampleSize" label=label(SafetyMsg::SampleLabel)
            value=text(|s| &s.sample) set=move |v: String| form.update(|f| f.safety.sample = v) problems/>
        <TextField id="batch-min-sample" param="PauseMinSample" label=label(SafetyMsg::MinSampleLabel)
            value=text(|s| &s.min_sample) set=move |v: String| form.update(|f| f.safety.min_sample = v) problems/>
        <span class="label">{i18n.text(SafetyMsg::ReasonsLegend)}</span>
        <div role="group" aria-label=move || i18n.t(SafetyMsg::ReasonsLegend)>
            <div class="choices">{reasons}</div>
            <p class="field-error">{move || problems.text_for("PauseReason")}</p>
        </div>
        <CheckField id="batch-cancel-pending" label=label(SafetyMsg::CancelPendingLabel)
            checked=Signal::derive(move || form.with(|f| f.safety.cancel_pending))
            set=move |v: bool| form.update(|f| f.safety.cancel_pending = v) hint=label(SafetyMsg::CancelPendingHint)/>
    }
}

#[component]
fn Windows(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let label = move |msg: SafetyMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let rows = move || {
        let count = form.with(|f| f.safety.windows.len());
        (0..count).map(|index| view! { <WindowRowFields wizard index/> }).collect_view()
    };
    let add = move |_| form.update(|f| f.safety.windows.push(WindowRow::default()));
    view! {
        <div class="form-grid">
            <TextField id="batch-zone" param="MaintenanceTimeZone" label=label(SafetyMsg::ZoneLabel)
                value=Signal::derive(move || form.with(|f| f.safety.zone.clone()))
                set=move |v: String| form.update(|f| f.safety.zone = v) problems hint=label(SafetyMsg::ZoneHint)/>
        </div>
        {rows}
        <Show when=move || form.with(|f| f.safety.windows.len() < MAX_WINDOWS)>
            <button type="button" on:click=add>{i18n.text(SafetyMsg::AddWindow)}</button>
        </Show>
    }
}

/// One window: its days, start and end, and a button that removes it (not the last one).
#[component]
fn WindowRowFields(wizard: Wizard, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let n = (index + 1).to_string();
    let param = move |field: &str| format!("MaintenanceWindow.{}.{field}", index + 1);
    let row = move || form.with(|f| f.safety.windows.get(index).cloned().unwrap_or_default());
    let edit = move |apply: Box<dyn FnOnce(&mut WindowRow)>| {
        form.update(|f| {
            if let Some(row) = f.safety.windows.get_mut(index) {
                apply(row);
            }
        });
        problems.touch("MaintenanceWindow");
    };
    let days = (0..7_u32).map(|day| {
        view! {
            <label class="choice">
                <input type="checkbox" prop:checked=move || row().days[day as usize]
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        edit(Box::new(move |row| row.days[day as usize] = on));
                    }/>
                <span>{move || i18n.t(day_name(day))}</span>
            </label>
        }
    });
    let time = move |id: String, label: SafetyMsg, end: bool| {
        let error_param = param(if end { "End" } else { "Start" });
        let error = move || problems.text_under("MaintenanceWindow", &error_param);
        let error_id = format!("{id}-error");
        let invalid = {
            let error = error.clone();
            move || error().is_some().then_some("true")
        };
        view! {
            <label for=id.clone()>{move || i18n.t(label)}</label>
            <div>
                <input id=id type="time" aria-describedby=error_id.clone()
                    aria-invalid=invalid
                    prop:value=move || if end { row().end } else { row().start }
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        edit(Box::new(move |row| if end { row.end = value } else { row.start = value }));
                    }/>
                {end.then(|| view! { <p class="hint">{i18n.text(SafetyMsg::WindowToHint)}</p> })}
                <p class="field-error" id=error_id>{error}</p>
            </div>
        }
    };
    let days_param = param("Days");
    let legend = {
        let n = n.clone();
        move || i18n.fill(SafetyMsg::WindowLegend, &[("n", &n)])
    };
    let remove = move |_| {
        form.update(|f| {
            if f.safety.windows.len() > 1 {
                f.safety.windows.remove(index);
            }
        })
    };
    view! {
        <fieldset class="window-row">
            <legend>{legend}</legend>
            <div class="choices">{days.collect_view()}</div>
            <p class="field-error">{move || problems.text_under("MaintenanceWindow", &days_param)}</p>
            <div class="form-grid">
                {time(format!("batch-window-{n}-start"), SafetyMsg::WindowFrom, false)}
                {time(format!("batch-window-{n}-end"), SafetyMsg::WindowTo, true)}
            </div>
            <Show when=move || form.with(|f| f.safety.windows.len() > 1)>
                <button type="button" on:click=remove>
                    {let n = n.clone(); move || i18n.fill(SafetyMsg::RemoveWindow, &[("n", &n)])}
                </button>
            </Show>
        </fieldset>
    }
}
