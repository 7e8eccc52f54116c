//! Step 2, update policy: when it starts and stops, how fast devices are pushed, retries,
//! timeout, what happens to devices busy in other batches, confirmation, push or pull, the
//! download protocol, multi-module updates and tags. A verification batch offers only what
//! CreateOTAVerifyJob takes.

use leptos::prelude::*;
use ota_model::enums::{DownloadProtocol, OverwriteMode, RetryCount, RetryInterval};
use ota_model::job::form::BatchKind;
use ota_model::job::rate::{GrowthOn, RateType};

use super::Wizard;
use crate::components::{CheckField, ChoiceField, Show, TagEdit, TagRows, TextField};
use crate::i18n::{WizardMsg, use_i18n};

#[component]
pub fn PolicyStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let updates = wizard.kind() != BatchKind::Verify;
    let label = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let flag = move |get: fn(&ota_model::job::form::BatchForm) -> bool| Signal::derive(move || form.with(get));
    let timeout = view! {
        <TextField id="batch-timeout" param="TimeoutInMinutes" label=label(WizardMsg::TimeoutLabel)
            value=wizard.text(|f| &f.timeout_in_minutes) set=move |v: String| form.update(|f| f.timeout_in_minutes = v)
            problems hint=label(WizardMsg::TimeoutHint)/>
    };
    let protocol_options = Signal::derive(move || {
        DownloadProtocol::ALL.iter().map(|p| (p.as_str().to_owned(), p.as_str().to_owned())).collect::<Vec<_>>()
    });
    let delivery = view! {
        <CheckField id="batch-confirm" label=label(WizardMsg::ConfirmLabel) checked=flag(|f| f.need_confirm)
            set=move |v: bool| form.update(|f| f.need_confirm = v) hint=label(WizardMsg::ConfirmHint)/>
        <CheckField id="batch-push" label=label(WizardMsg::PushLabel) checked=flag(|f| f.need_push)
            set=move |v: bool| form.update(|f| f.need_push = v) hint=label(WizardMsg::PushHint)/>
        <ChoiceField id="batch-protocol" param="DownloadProtocol" label=label(WizardMsg::ProtocolLabel)
            options=protocol_options value=Signal::derive(move || form.with(|f| f.download_protocol.as_str().to_owned()))
            set=move |v: String| form.update(|f| f.download_protocol = v.parse().unwrap_or(DownloadProtocol::Https)) problems/>
    };
    view! {
        <h2>{i18n.text(WizardMsg::StepPolicy)}</h2>
        {(wizard.kind() == BatchKind::Static).then(|| view! { <Schedule wizard/> })}
        <div class="form-grid">
            {updates.then(|| view! { <Rate wizard/> <Retry wizard/> })}
            {timeout}
            {updates.then(|| view! {
                <CheckField id="batch-overwrite" label=label(WizardMsg::OverwriteLabel)
                    checked=Signal::derive(move || form.with(|f| f.overwrite_mode == OverwriteMode::Overwrite))
                    set=move |v: bool| form.update(|f| f.overwrite_mode = if v { OverwriteMode::Overwrite } else { OverwriteMode::Keep })
                    hint=label(WizardMsg::OverwriteHint) param=("OverwriteMode", problems)/>
                <CheckField id="batch-multi-module" label=label(WizardMsg::MultiModuleLabel) checked=flag(|f| f.multi_module_mode)
                    set=move |v: bool| form.update(|f| f.multi_module_mode = v) hint=label(WizardMsg::MultiModuleHint)
                    param=("MultiModuleMode", problems)/>
            })}
            {delivery}
        </div>
        <TagRows
            prefix="Tag"
            tags=Signal::derive(move || form.with(|f| f.tags.clone()))
            edit=move |change: TagEdit| form.update(|f| change.apply(&mut f.tags))
            problems=problems.with_refusal()
        />
        {(updates && wizard.safe_rollout).then(|| view! { <super::safety::SafetyFields wizard/> })}
    }
}

/// Start now, or at a chosen time, with an optional forced end; in the operator's local time.
#[component]
fn Schedule(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let scheduled = move || form.with(|f| f.scheduled);
    let time_field = move |id: &'static str, param: &'static str, msg: WizardMsg, finish: bool| {
        let error = move || problems.text_for(param);
        let value = move || {
            let millis = form.with(|f| if finish { f.schedule_finish_ms } else { f.schedule_start_ms });
            millis.map(local_input_value).unwrap_or_default()
        };
        let set = move |text: String| {
            let millis = parse_local(&text);
            form.update(|f| if finish { f.schedule_finish_ms = millis } else { f.schedule_start_ms = millis });
            problems.touch(param);
        };
        let error_id = format!("{id}-error");
        view! {
            <label for=id>{move || i18n.t(msg)}</label>
            <div>
                <input id=id type="datetime-local" aria-describedby=error_id.clone()
                    aria-invalid=move || error().is_some().then_some("true")
                    prop:value=value on:change:target=move |ev| set(ev.target().value())/>
                <p class="field-error" id=error_id>{error}</p>
            </div>
        }
    };
    view! {
        <fieldset class="choices">
            <legend>{i18n.text(WizardMsg::StartLegend)}</legend>
            <label class="choice">
                <input type="radio" name="batch-start" prop:checked=move || !scheduled()
                    on:change=move |_| form.update(|f| f.scheduled = false)/>
                <span>{i18n.text(WizardMsg::StartNow)}</span>
            </label>
            <label class="choice">
                <input type="radio" name="batch-start" prop:checked=scheduled
                    on:change=move |_| form.update(|f| f.scheduled = true)/>
                <span>{i18n.text(WizardMsg::StartLater)}</span>
            </label>
        </fieldset>
        <Show when=scheduled>
            <div class="form-grid">
                {time_field("batch-start-at", "ScheduleTime", WizardMsg::StartAtLabel, false)}
                {time_field("batch-finish-at", "ScheduleFinishTime", WizardMsg::FinishAtLabel, true)}
            </div>
        </Show>
    }
}

#[component]
fn Rate(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let label = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let rate_options = Signal::derive(move || {
        vec![
            (RateType::Constant.as_str().to_owned(), i18n.t(WizardMsg::RateConstant).to_owned()),
            (RateType::Variable.as_str().to_owned(), i18n.t(WizardMsg::RateVariable).to_owned()),
        ]
    });
    let growth_options = Signal::derive(move || {
        vec![
            (GrowthOn::Notified.as_str().to_owned(), i18n.t(WizardMsg::GrowOnNotified).to_owned()),
            (GrowthOn::Succeeded.as_str().to_owned(), i18n.t(WizardMsg::GrowOnSucceeded).to_owned()),
        ]
    });
    let variable = move || form.with(|f| f.rate_type == RateType::Variable);
    view! {
        <ChoiceField id="batch-rate-type" param="RateType" label=label(WizardMsg::RateTypeLabel) options=rate_options
            value=Signal::derive(move || form.with(|f| f.rate_type.as_str().to_owned()))
            set=move |v: String| form.update(|f| f.rate_type = v.parse().unwrap_or(RateType::Constant)) problems/>
        <TextField id="batch-rate" param="MaximumPerMinute" label=label(WizardMsg::MaximumPerMinuteLabel)
            value=wizard.text(|f| &f.maximum_per_minute) set=move |v: String| form.update(|f| f.maximum_per_minute = v)
            problems hint=label(WizardMsg::MaximumPerMinuteHint)/>
        <Show when=variable>
            <TextField id="batch-rate-start" param="StartPerMinute" label=label(WizardMsg::StartPerMinuteLabel)
                value=wizard.text(|f| &f.start_per_minute) set=move |v: String| form.update(|f| f.start_per_minute = v) problems/>
            <TextField id="batch-rate-factor" param="GrowthFactor" label=label(WizardMsg::GrowthFactorLabel)
                value=wizard.text(|f| &f.growth_factor) set=move |v: String| form.update(|f| f.growth_factor = v) problems/>
            <TextField id="batch-rate-every" param="GrowthEvery" label=label(WizardMsg::GrowthEveryLabel)
                value=wizard.text(|f| &f.growth_every) set=move |v: String| form.update(|f| f.growth_every = v) problems/>
            <ChoiceField id="batch-rate-on" param="GrowthOn" label=label(WizardMsg::GrowthOnLabel) options=growth_options
                value=Signal::derive(move || form.with(|f| f.growth_on.as_str().to_owned()))
                set=move |v: String| form.update(|f| f.growth_on = v.parse().unwrap_or(GrowthOn::Notified)) problems/>
        </Show>
    }
}

#[component]
fn Retry(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let form = wizard.form;
    let problems = wizard.problems;
    let label = move |msg: WizardMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let interval_options = Signal::derive(move || {
        let mut options = vec![(String::new(), i18n.t(WizardMsg::NoRetry).to_owned())];
        options.extend(
            RetryInterval::ALL
                .iter()
                .map(|interval| (interval.to_string(), i18n.t(interval_label(*interval)).to_owned())),
        );
        options
    });
    let count_options = Signal::derive(move || {
        RetryCount::ALL.iter().map(|count| (count.to_string(), count.to_string())).collect::<Vec<_>>()
    });
    let retrying = move || form.with(|f| f.retry_interval.is_some());
    view! {
        <ChoiceField id="batch-retry" param="RetryInterval" label=label(WizardMsg::RetryIntervalLabel) options=interval_options
            value=Signal::derive(move || form.with(|f| f.retry_interval.map(|i| i.to_string()).unwrap_or_default()))
            set=move |v: String| form.update(|f| f.retry_interval = v.parse().ok()) problems/>
        <Show when=retrying>
            <ChoiceField id="batch-retry-count" param="RetryCount" label=label(WizardMsg::RetryCountLabel) options=count_options
                value=Signal::derive(move || form.with(|f| f.retry_count.map(|c| c.to_string()).unwrap_or_default()))
                set=move |v: String| form.update(|f| f.retry_count = v.parse().ok()) problems/>
        </Show>
    }
}

fn interval_label(interval: RetryInterval) -> WizardMsg {
    match interval {
        RetryInterval::Immediately => WizardMsg::RetryImmediately,
        RetryInterval::TenMinutes => WizardMsg::RetryTenMinutes,
        RetryInterval::HalfHour => WizardMsg::RetryHalfHour,
        RetryInterval::OneHour => WizardMsg::RetryOneHour,
        RetryInterval::OneDay => WizardMsg::RetryOneDay,
    }
}

/// A `datetime-local` value (the browser's local time) as UTC milliseconds.
fn parse_local(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
    millis.is_finite().then_some(millis as i64)
}

/// UTC milliseconds as a `datetime-local` value in the browser's local time.
fn local_input_value(millis: i64) -> String {
    use chrono::{Local, TimeZone};
    Local.timestamp_millis_opt(millis).single().map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}
