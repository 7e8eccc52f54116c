//! Failed tasks across the environment's batches, by reason: a histogram, its table, and for
//! a chosen reason (`?reason=`, from a bar or a row) the batches behind it, each leading to
//! its failed devices.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::analysis::per_mille;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{Extension, FailureReasons};
use ota_model::fleet::{ReasonTotal, jobs_with_reason, reason_totals};
use ota_model::task::TaskReason;

use crate::api;
use crate::charts::{Chart, Clicked, Palette, histogram, use_palette};
use crate::components::{ErrorPanel, Loaded, Loading, Show, task_reason_label};
use crate::format;
use crate::i18n::{AnalysisMsg, I18n, Msg, use_i18n};
use crate::live::{Live, keep_latest};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

/// How a reason is named in the query string: its code, or `none`.
fn reason_key(reason: Option<TaskReason>) -> &'static str {
    reason.map_or("none", |r| r.as_str())
}

fn reason_label(i18n: I18n, reason: Option<TaskReason>) -> String {
    match reason {
        Some(reason) => i18n.t(task_reason_label(reason)).to_owned(),
        None => i18n.t(AnalysisMsg::NoReason).to_owned(),
    }
}

#[component]
pub fn FailureReasonsSection(live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let palette = use_palette();
    let offered = resource(move || {
        let env = env.get();
        async move { api::capabilities(&env).await.map(|c| c.offers(Extension::FailureReasons)) }
    });
    let failures = resource(move || {
        live.changed.track();
        let env = env.get();
        async move {
            if !api::capabilities(&env).await?.offers(Extension::FailureReasons) {
                return Ok(None);
            }
            crate::charts::preload();
            api::failure_reasons(&env, None).await.map(Some)
        }
    });
    // The chart and table stay in place and take each new answer.
    let kept = keep_latest(failures);
    let latest = kept.value;
    let totals = Memo::new(move |_| latest.with(|f| f.as_ref().map(reason_totals).unwrap_or_default()));
    let chosen = Memo::new(move |_| {
        let key = query.read().get("reason")?;
        totals.get().into_iter().map(|t| t.reason).find(|reason| reason_key(*reason) == key)
    });
    let reason_href = {
        let site = site.clone();
        move |reason: Option<TaskReason>| {
            let changes = [("reason", Some(reason_key(reason).to_owned()))];
            site.href_changing(&env.get_untracked(), "/dashboard", &query.get_untracked(), &changes)
        }
    };
    let options = Callback::new(move |()| {
        let palette = palette.get();
        let bars = totals.get().iter().map(|t| (reason_label(i18n, t.reason), t.count)).collect();
        histogram(&palette, i18n.t(AnalysisMsg::ColumnFailed), bars, &Palette::state(TaskStatus::Failed))
    });
    let navigate = use_navigate();
    let on_click = {
        let reason_href = reason_href.clone();
        Callback::new(move |Clicked { name, .. }: Clicked| {
            let reason = totals.get_untracked().into_iter().find(|t| reason_label(i18n, t.reason) == name);
            if let Some(total) = reason {
                navigate(&reason_href(total.reason), nav::to_href(true));
            }
        })
    };
    let whole = move || {
        let total = latest.with(|f| f.as_ref().map_or(0, |f| f.total)).to_string();
        i18n.fill(AnalysisMsg::FailuresOf, &[("total", &total)])
    };
    let rows = move || {
        let total = latest.with(|f| f.as_ref().map_or(0, |f| f.total));
        totals.get().into_iter().map(|t| reason_row(i18n, &t, total, reason_href(t.reason))).collect_view()
    };
    let any = move || latest.with(|f| f.as_ref().is_some_and(|f| f.total > 0));
    let body = move || {
        let rows = rows.clone();
        Suspend::new(async move {
            match offered.await {
                Ok(true) => view! {
                    {move || latest.with(Option::is_none).then(|| view! { <Loading/> })}
                    {move || kept.error.get().map(|error| view! { <ErrorPanel error retry=move || failures.refetch()/> })}
                    <Show when=move || any() fallback=move || latest.with(Option::is_some).then(|| view! {
                        <div class="panel empty"><p>{i18n.text(AnalysisMsg::NoFailures)}</p></div>
                    })>
                        <p class="denominator">{whole}</p>
                        <div class="chart-and-table">
                            <Chart id="failures-chart" options label=Signal::derive(whole) height=280 on_click/>
                            <table class="shares reasons">
                                <thead><tr>
                                    <th scope="col">{i18n.text(AnalysisMsg::ColumnReason)}</th>
                                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnFailed)}</th>
                                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnShare)}</th>
                                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnBatches)}</th>
                                </tr></thead>
                                <tbody>{rows.clone()}</tbody>
                            </table>
                        </div>
                        {move || chosen.get().and_then(|reason| latest.get().map(|f| view! { <ReasonBatches failures=f reason/> }))}
                    </Show>
                }
                .into_any(),
                Ok(false) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoFailureReasons)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || offered.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis failures" aria-labelledby="failures-heading">
            <h2 id="failures-heading">{i18n.text(AnalysisMsg::FailuresHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

fn reason_row(i18n: I18n, total: &ReasonTotal, all: u64, href: String) -> impl IntoView + use<> {
    let share = per_mille(total.count, all).map(format::percent).unwrap_or_default();
    view! {
        <tr data-reason=reason_key(total.reason)>
            <th scope="row"><a href=href>{reason_label(i18n, total.reason)}</a></th>
            <td class="number">{total.count}</td>
            <td class="number">{share}</td>
            <td class="number">{total.jobs}</td>
        </tr>
    }
}

/// The batches with failures for one reason, each leading to its failed devices.
#[component]
fn ReasonBatches(failures: FailureReasons, reason: Option<TaskReason>) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment().get_untracked();
    let heading = move || i18n.fill(AnalysisMsg::BatchesWithReason, &[("reason", &reason_label(i18n, reason))]);
    let rows = jobs_with_reason(&failures, reason)
        .into_iter()
        .map(|job| {
            let query = [("state", "failed".to_owned()), ("reason", reason_key(reason).to_owned())];
            let href = site.href(&env, &nav::batch_path(&job.firmware_id, &job.job_id), &query);
            view! {
                <tr data-job-id=job.job_id.clone()>
                    <td class="mono"><a class="primary" href=href>{job.job_id.clone()}</a></td>
                    <td class="number">{job.count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="reason-batches" aria-labelledby="reason-batches-heading">
            <h3 id="reason-batches-heading">{heading}</h3>
            <p class="hint">{i18n.text(AnalysisMsg::ReasonBatchesHint)}</p>
            <div class="table-scroll"><table class="data reason-batches">
                <thead><tr>
                    <th scope="col">{i18n.text(Msg::ColumnBatch)}</th>
                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnFailed)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}
