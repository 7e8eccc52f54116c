//! The batch page's safe rollout (extension `SafeRollout`): the rules in words, a pause and
//! why with Resume, Cancel waiting devices and Cancel batch, the waves with their progress
//! and the rule the running one waits for, and the maintenance windows. It follows the batch
//! live: a pause the rule makes shows without a reload.

use leptos::prelude::*;
use ota_model::actions::BatchCancel;
use ota_model::enums::TaskStatus;
use ota_model::job::OTAJobInfo;
use ota_model::job::safety::waves::Promotion;
use ota_model::job::safety::{PauseOTAJob, ResumeOTAJob, StartOTAJobNextWave};
use ota_model::job::safety::{PausedBy, SafetyInfo, WaveInfo};
use ota_model::{Operation, UtcTime};

use super::dialogs::{BatchDialogs, BatchTarget, CancelButton, Trigger};
use crate::api::{self, Steer};
use crate::auth::use_may;
use crate::components::{ConfirmDialog, Loaded, Show, safety_text, windows_text};
use crate::format;
use crate::i18n::{I18n, Msg, SafetyMsg, use_i18n};
use crate::live::Live;
use crate::nav::use_environment;
use crate::pages::tasks::{ActionFailure, TaskActions};
use crate::resource::resource;

/// Whether a batch has any safety rule to show.
pub fn has_safety(job: &OTAJobInfo) -> bool {
    let info = &job.safety;
    info.waves.is_some()
        || info.pause_failure_rate.is_some()
        || info.maintenance_windows.is_some()
        || info.paused.is_some()
}

/// `actions` are the page's, made outside what a change re-renders, so that a refusal shows
/// after the page reads the batch again.
#[component]
pub fn SafetyPanel(job: OTAJobInfo, live: Live, actions: TaskActions, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let (job_id, first) = (job.summary.job_id.clone(), job.clone());
    // The page's answer first; the batch again on each change the live view reports.
    let current = resource(move || {
        let (changes, env, job_id, first) = (live.changed.get(), env.get_untracked(), job_id.clone(), first.clone());
        async move {
            if changes == 0 {
                return first;
            }
            api::query_job(&env, &job_id).await.map_or(first, |answer| answer.data)
        }
    });
    let body =
        move || Suspend::new(async move { view! { <SafetyBody job=current.await actions dialogs/> }.into_any() });
    view! {
        <section class="safety-panel" aria-labelledby="safety-heading">
            <h2 id="safety-heading">{i18n.text(SafetyMsg::Heading)}</h2>
            <Loaded view=body fallback=|| ()/>
            <ActionFailure failure=actions.failure/>
            <ConfirmDialog ask=actions.ask/>
        </section>
    }
}

#[component]
fn SafetyBody(job: OTAJobInfo, actions: TaskActions, dialogs: BatchDialogs) -> impl IntoView {
    let i18n = use_i18n();
    let info = job.safety.clone();
    let running = job.summary.job_status.is_running();
    let job_id = job.summary.job_id.clone();
    let rules = {
        let safety = info.safety();
        move || safety_text(i18n, &safety).join("; ")
    };
    let steer = move |steer: Steer, question: SafetyMsg, confirm: Msg, values: Vec<(&'static str, String)>| {
        let job_id = job_id.clone();
        move |_| {
            let mut values = values.clone();
            values.push(("job", job_id.clone()));
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let job_id = job_id.clone();
            actions.ask_then(i18n.fill(question, &pairs), confirm, move |env| {
                let job_id = job_id.clone();
                Box::pin(async move { api::steer_batch(&env, &job_id, steer).await })
            });
        }
    };
    let paused = (running && info.paused.is_some()).then(|| {
        let job_id = job.summary.job_id.clone();
        let cancel_pending = move |_| {
            let job_id = job_id.clone();
            actions.ask_then(i18n.fill(SafetyMsg::AskCancelPending, &[("job", &job_id)]), Msg::ActionCancelPending, move |env| {
                let (job_id, plan) = (job_id.clone(), BatchCancel { stop_policy: false, states: vec![TaskStatus::Confirm, TaskStatus::Queued] });
                Box::pin(async move { api::cancel_batch(&env, &job_id, &plan).await })
            });
        };
        let (may_resume, may_cancel) = (use_may(ResumeOTAJob::ACTION), use_may(ota_model::task::CancelOTATaskByJob::ACTION));
        let resume = steer(Steer::Resume, SafetyMsg::AskResume, Msg::ActionResume, vec![]);
        let reason = pause_reason(i18n, &info);
        let by = info.paused_by.map(|b| b.as_str()).unwrap_or_default();
        let target = BatchTarget::of(&job.summary);
        view! {
            <div class="panel warning paused" role="status" data-paused-by=by>
                <p class="headline">{reason}</p>
                <p>{i18n.text(SafetyMsg::PausedNote)}</p>
                <div class="actions">
                    <Show when=move || may_resume.get()>
                        <button type="button" class="primary" data-action="resume" on:click=resume.clone()>{i18n.text(Msg::ActionResume)}</button>
                    </Show>
                    <Show when=move || may_cancel.get()>
                        <button type="button" data-action="cancel-pending" on:click=cancel_pending.clone()>{i18n.text(Msg::ActionCancelPending)}</button>
                    </Show>
                    <CancelButton dialogs target trigger=Trigger::Header/>
                </div>
            </div>
        }
    });
    let pause = (running && info.paused.is_none()).then(|| {
        let may = use_may(PauseOTAJob::ACTION);
        let pause = steer(Steer::Pause, SafetyMsg::AskPause, Msg::ActionPause, vec![]);
        view! {
            <Show when=move || may.get()>
                <button type="button" data-action="pause" on:click=pause.clone()>{i18n.text(Msg::ActionPause)}</button>
            </Show>
        }
    });
    let windows = info.maintenance_windows.is_some().then(|| {
        let safety = info.safety();
        let schedule =
            safety.windows.as_ref().map(|w| format!("{} ({})", windows_text(i18n, w), w.zone)).unwrap_or_default();
        let state = match (info.in_maintenance_window, info.utc_next_window) {
            (Some(true), _) => i18n.t(SafetyMsg::WindowOpen).to_owned(),
            (_, Some(next)) => i18n.fill(SafetyMsg::WindowClosed, &[("time", &format::local_time(next))]),
            _ => String::new(),
        };
        let open = if info.in_maintenance_window == Some(true) { "open" } else { "closed" };
        view! { <p class="windows" data-window=open>{schedule} " · " {state}</p> }
    });
    let waves = info.waves.as_ref().map(|list| {
        let current = info.current_wave.unwrap_or(1);
        let last = list.items.iter().map(|w| w.number).max().unwrap_or(1);
        let next_wave = (running && current < last).then(|| {
            let may = use_may(StartOTAJobNextWave::ACTION);
            let start = steer(Steer::NextWave, SafetyMsg::AskNextWave, Msg::ActionStartNextWave, vec![("n", (current + 1).to_string())]);
            view! {
                <Show when=move || may.get()>
                    <button type="button" data-action="next-wave" on:click=start.clone()>{i18n.text(Msg::ActionStartNextWave)}</button>
                </Show>
            }
        });
        let waits_for = (current < last).then(|| waits_for(i18n, &info, list.items.iter().find(|w| w.number == current)));
        let rows = list.items.iter().map(|wave| wave_row(i18n, wave, current)).collect_view();
        view! {
            <ol class="waves">{rows}</ol>
            <p class="wave-rule" data-current-wave=current>{waits_for} " " {next_wave}</p>
        }
    });
    view! {
        <p class="rules">{rules}</p>
        {paused}
        {windows}
        {waves}
        <div class="actions">{pause}</div>
    }
}

/// Why the batch is paused, with the numbers that tripped its rule.
fn pause_reason(i18n: I18n, info: &SafetyInfo) -> String {
    let at = info.utc_paused.map(format::local_time).unwrap_or_default();
    match (info.paused_by, info.pause_failed, info.pause_sample) {
        (Some(PausedBy::Rule), Some(failed), Some(sample)) => {
            let rate = info.pause_failure_rate.clone().unwrap_or_default();
            let values = [
                ("time", at.as_str()),
                ("failed", &failed.to_string()),
                ("sample", &sample.to_string()),
                ("rate", &rate),
            ];
            i18n.fill(SafetyMsg::PausedByRule, &values)
        }
        _ => i18n.fill(SafetyMsg::PausedByOperator, &[("time", &at)]),
    }
}

fn wave_row(i18n: I18n, wave: &WaveInfo, current: u32) -> impl IntoView {
    let (state, label) = match wave.number {
        n if n == current => ("running", SafetyMsg::WaveRunning),
        n if n < current => ("started", SafetyMsg::WaveStarted),
        _ => ("waiting", SafetyMsg::WaveWaiting),
    };
    let counts = wave.counts;
    let done = counts.succeeded + counts.failed + counts.canceled;
    let text = {
        let values = [
            ("done", done.to_string()),
            ("total", counts.total.to_string()),
            ("succeeded", counts.succeeded.to_string()),
            ("failed", counts.failed.to_string()),
        ];
        move || {
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            i18n.fill(SafetyMsg::WaveCounts, &pairs)
        }
    };
    let n = wave.number.to_string();
    view! {
        <li data-wave=wave.number data-state=state data-total=counts.total data-succeeded=counts.succeeded>
            <strong>{move || i18n.fill(SafetyMsg::WaveNumber, &[("n", &n)])}</strong>
            " · " {move || i18n.t(label)} " · " {text}
            <progress max=counts.total.max(1) value=done></progress>
        </li>
    }
}

/// What the running wave waits for: its rule with the numbers, its soak, or an operator.
fn waits_for(i18n: I18n, info: &SafetyInfo, running: Option<&WaveInfo>) -> String {
    let Some(Promotion::Auto { min_finished, success_rate, soak_minutes }) = info.safety().waves.map(|w| w.promotion)
    else {
        return i18n.t(SafetyMsg::WaveManualWait).to_owned();
    };
    if let Some(met) = info.utc_wave_rule_met {
        let until = UtcTime(met.0 + chrono::TimeDelta::minutes(i64::from(soak_minutes)));
        return i18n.fill(SafetyMsg::WaveSoaking, &[("time", &format::local_time(until))]);
    }
    let can_finish = running.map_or(0, |w| w.counts.total.saturating_sub(w.counts.canceled));
    let needed = min_finished.map_or(can_finish, |n| u64::from(n).min(can_finish));
    i18n.fill(SafetyMsg::WaveNeeds, &[("needed", &needed.to_string()), ("rate", &success_rate.to_string())])
}
