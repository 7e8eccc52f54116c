//! Step 3, review: what the batch will do, in plain sentences, and (extension `DryRun`) to how
//! many devices, counted by the backend exactly as the create would plan it.

use leptos::prelude::*;
use ota_model::Params;
use ota_model::enums::{DownloadProtocol, DynamicMode, JobStatus, OverwriteMode, RetryInterval};
use ota_model::job::form::{BatchForm, BatchKind, Scope, entries as list};
use ota_model::job::rate::RateType;
use ota_model::job::safety::Safety;
use ota_model::job::safety::waves::Waves;
use ota_model::job::{JobCreated, JobPreview};

use super::{Wizard, now};
use crate::api;
use crate::components::{JobStatusBadge, rule_text, safety_text};
use crate::format;
use crate::i18n::{I18n, SafetyMsg, WizardMsg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

#[component]
pub fn ReviewStep(wizard: Wizard, dry_run: bool) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let form = wizard.form;
    let site = use_site();
    let firmware_id = wizard.info.with_value(|i| i.summary.firmware_id.clone());
    let (id, product, package) = wizard.info.with_value(|i| {
        (
            i.summary.firmware_id.clone(),
            i.summary.product_key.clone(),
            format!("{} ({})", i.summary.firmware_name, i.summary.dest_version),
        )
    });
    let preview = resource(move || {
        let request = form.with(|f| f.request(&id, &product, now()));
        let env = env.get();
        async move {
            if !dry_run {
                return None;
            }
            let request = request.ok()?.with_dry_run(true);
            let answer = api::create_batch(&env, &request).await;
            if answer.as_ref().is_ok_and(|a| a.dry_run.is_none()) {
                // It did not count: it created the batch. Never ask it to count again unasked.
                api::forget_capabilities(&env);
            }
            Some(answer)
        }
    });
    let sentences = move || {
        form.with(|f| summary(i18n, f, &package)).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
    };
    let counted = move || {
        let outcome = preview.get().flatten()?;
        let waves = form.with_untracked(|f| safety_of(f).waves);
        Some(match outcome {
            Ok(JobCreated { dry_run: Some(preview), .. }) => view! { <Counts preview waves/> }.into_any(),
            Ok(created) => {
                let href = site.href(&env.get_untracked(), &nav::batch_path(&firmware_id, &created.job_id), &[]);
                let text = i18n.fill(WizardMsg::CreatedInsteadOfCounted, &[("job", &created.job_id)]);
                view! { <p class="error" role="alert" data-dry-run="ignored"><a href=href>{text}</a></p> }.into_any()
            }
            Err(error) => view! {
                <p class="error" role="alert" data-dry-run="refused">{i18n.text(WizardMsg::WouldBeRefused)} " " {error.detail()}</p>
            }
            .into_any(),
        })
    };
    let not_counted = (!dry_run).then(|| view! { <p class="hint">{i18n.text(WizardMsg::NotCounted)}</p> });
    // A last problem (a start that has meanwhile come too close) shows here too.
    let problems = move || {
        wizard.problems.found.get().into_iter().map(|p| view! { <li>{rule_text(i18n, &p)}</li> }).collect_view()
    };
    view! {
        <h2>{i18n.text(WizardMsg::StepReview)}</h2>
        <ul class="review">{sentences}</ul>
        <ul class="field-error">{problems}</ul>
        <section class="dry-run" aria-live="polite">
            <h3>{i18n.text(WizardMsg::DevicesHeading)}</h3>
            {not_counted}
            <Transition fallback=move || view! { <p class="hint">{i18n.text(WizardMsg::Counting)}</p> }>
                {counted}
            </Transition>
        </section>
    }
}

#[component]
fn Counts(preview: JobPreview, waves: Option<Waves>) -> impl IntoView {
    let i18n = use_i18n();
    let n = |count: u64| count.to_string();
    let line = move |msg: WizardMsg, count: u64| {
        (count > 0).then(|| view! { <li>{i18n.fill(msg, &[("count", &n(count))])}</li> })
    };
    let status = preview.job_status;
    view! {
        <p class="headline" data-tasks=preview.tasks data-candidates=preview.candidates>
            {i18n.fill(WizardMsg::WouldUpdate, &[("tasks", &n(preview.tasks)), ("candidates", &n(preview.candidates))])}
        </p>
        <ul>
            {line(WizardMsg::CountQueued, preview.queued)}
            {line(WizardMsg::CountConfirm, preview.awaiting_confirmation)}
            {line(WizardMsg::CountConflicting, preview.conflicting)}
            {line(WizardMsg::CountOverwritten, preview.overwritten)}
            {line(WizardMsg::CountAlreadyUpdated, preview.already_updated)}
            {line(WizardMsg::CountWrongSource, preview.wrong_source)}
            {line(WizardMsg::CountNotSource, preview.not_a_source_version)}
        </ul>
        {waves.map(|waves| {
            let sizes = waves.split((preview.tasks - preview.conflicting) as usize);
            let sizes: Vec<String> = sizes.iter().map(ToString::to_string).collect();
            view! { <p data-wave-sizes=sizes.join(",")>{i18n.fill(SafetyMsg::WaveSizes, &[("sizes", &sizes.join(", "))])}</p> }
        })}
        <p>{i18n.t(WizardMsg::WouldStartAs)} " " <JobStatusBadge status/></p>
        {(status == JobStatus::Completed).then(|| view! { <p class="error">{i18n.t(WizardMsg::NothingToDo)}</p> })}
    }
}

/// The batch in sentences: who, when, how fast, and what happens around it.
fn summary(i18n: I18n, form: &BatchForm, package: &str) -> Vec<String> {
    let fill = |msg: WizardMsg, values: &[(&str, &str)]| i18n.fill(msg, values);
    let devices = list(&form.device_names);
    let versions = list(&form.src_versions).join(", ");
    let mut lines = Vec::new();
    let count = devices.len().to_string();
    lines.push(match (form.kind, form.scope) {
        (BatchKind::Verify, _) => fill(WizardMsg::SayVerify, &[("package", package), ("count", &count)]),
        (BatchKind::Dynamic, _) => match form.dynamic_mode {
            DynamicMode::Continuous => fill(WizardMsg::SayDynamicAll, &[("package", package), ("versions", &versions)]),
            DynamicMode::NewReportsOnly => {
                fill(WizardMsg::SayDynamicNew, &[("package", package), ("versions", &versions)])
            }
        },
        (BatchKind::Static, Scope::All) => fill(WizardMsg::SayAll, &[("package", package)]),
        (BatchKind::Static, Scope::Devices) => fill(WizardMsg::SayDevices, &[("package", package), ("count", &count)]),
        (BatchKind::Static, Scope::ListFile) => fill(WizardMsg::SayListFile, &[("package", package)]),
        (BatchKind::Static, Scope::Gray) => {
            fill(WizardMsg::SayGray, &[("package", package), ("percent", form.gray_percent.trim())])
        }
        (BatchKind::Static, Scope::Group) => {
            fill(WizardMsg::SayGroup, &[("package", package), ("group", form.group_id.trim())])
        }
    });
    if form.kind == BatchKind::Static && !versions.is_empty() {
        lines.push(fill(WizardMsg::SayOnlyVersions, &[("versions", &versions)]));
    }
    if form.kind == BatchKind::Static {
        lines.push(match (form.scheduled, form.schedule_start_ms.and_then(ota_model::UtcTime::from_millis)) {
            (true, Some(start)) => fill(WizardMsg::SayStartsAt, &[("time", &format::local_time(start))]),
            _ => i18n.t(WizardMsg::SayStartsNow).to_owned(),
        });
        if let (true, Some(finish)) =
            (form.scheduled, form.schedule_finish_ms.and_then(ota_model::UtcTime::from_millis))
        {
            lines.push(fill(WizardMsg::SayEndsAt, &[("time", &format::local_time(finish))]));
        }
    }
    if form.kind != BatchKind::Verify {
        let rate = form.maximum_per_minute.trim();
        lines.push(match form.rate_type {
            RateType::Constant => fill(WizardMsg::SayRate, &[("rate", rate)]),
            RateType::Variable => fill(
                WizardMsg::SayVariableRate,
                &[
                    ("start", form.start_per_minute.trim()),
                    ("factor", form.growth_factor.trim()),
                    ("every", form.growth_every.trim()),
                    ("rate", rate),
                ],
            ),
        });
        if let (Some(interval), Some(count)) = (form.retry_interval, form.retry_count) {
            let count = count.to_string();
            lines.push(match interval {
                RetryInterval::Immediately => fill(WizardMsg::SayRetryAtOnce, &[("count", &count)]),
                wait => {
                    fill(WizardMsg::SayRetryAfter, &[("count", &count), ("wait", &format::minutes(i18n, wait as i64))])
                }
            });
        }
        lines.push(
            i18n.t(match form.overwrite_mode {
                OverwriteMode::Overwrite => WizardMsg::SayOverwrite,
                OverwriteMode::Keep => WizardMsg::SayKeep,
            })
            .to_owned(),
        );
    }
    if !form.timeout_in_minutes.trim().is_empty() {
        lines.push(fill(WizardMsg::SayTimeout, &[("minutes", form.timeout_in_minutes.trim())]));
    }
    if form.need_confirm {
        lines.push(i18n.t(WizardMsg::SayConfirm).to_owned());
    }
    lines.push(i18n.t(if form.need_push { WizardMsg::SayPush } else { WizardMsg::SayPull }).to_owned());
    if form.download_protocol == DownloadProtocol::Mqtt {
        lines.push(i18n.t(WizardMsg::SayMqtt).to_owned());
    }
    let tags = form.tags.iter().filter(|(k, v)| !k.trim().is_empty() || !v.trim().is_empty()).count();
    if tags > 0 {
        lines.push(fill(WizardMsg::SayTags, &[("count", &tags.to_string())]));
    }
    let safety = safety_text(i18n, &safety_of(form));
    if !safety.is_empty() {
        lines.push(safety.join("; "));
    }
    lines
}

/// The form's safety rules as the batch would get them (none where the form is not right yet).
fn safety_of(form: &BatchForm) -> Safety {
    let params = form.safety.with_params(Params::new(), form.kind == BatchKind::Static);
    Safety::from_params(&params).unwrap_or_default()
}
