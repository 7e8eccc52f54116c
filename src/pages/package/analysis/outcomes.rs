//! How the package's update tasks have ended, for all its batches or a chosen one, with the
//! success rate; a slice leads to the devices it counts.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ota_model::PageRequest;
use ota_model::analysis::{Outcome, outcome_shares};
use ota_model::enums::TaskStatus;
use ota_model::firmware::FirmwareInfo;
use ota_model::job::ListOTAJobByFirmware;

use crate::api::{self, TaskScope};
use crate::charts::{Chart, Clicked, Named, Palette, donut, use_palette};
use crate::components::{ErrorPanel, Loaded, ShareTable, share_row, task_status_label};
use crate::format;
use crate::i18n::{AnalysisMsg, I18n, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

#[component]
pub fn OutcomeSection(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let navigate = use_navigate();
    let palette = use_palette();
    let firmware_id = info.summary.firmware_id.clone();
    // "" stands for every batch of the package.
    let chosen = RwSignal::new(String::new());
    let jobs = {
        let firmware_id = firmware_id.clone();
        resource(move || {
            let (env, firmware_id) = (env.get(), firmware_id.clone());
            async move {
                let request = ListOTAJobByFirmware {
                    firmware_id,
                    page: PageRequest::new(1, ListOTAJobByFirmware::MAX_PAGE_SIZE),
                };
                api::list_jobs(&env, &request).await.map(|answer| answer.data.items).unwrap_or_default()
            }
        })
    };
    let scope = {
        let firmware_id = firmware_id.clone();
        Memo::new(move |_| match chosen.get() {
            job if job.is_empty() => TaskScope::Package(firmware_id.clone()),
            job => TaskScope::Job(job),
        })
    };
    let counts = resource(move || {
        let (env, scope) = (env.get(), scope.get());
        async move { api::task_counts(&env, &scope).await }
    });
    // A slice leads to the devices it counts: the package's device list, or the batch's.
    let open = move |outcome: Outcome| {
        let state = outcome.status().map(|s| s.as_str().to_ascii_lowercase()).unwrap_or_default();
        let href = match scope.get_untracked() {
            TaskScope::Package(id) => {
                site.href(&env.get_untracked(), &nav::package_path(&id), &[("tab", "devices".into()), ("state", state)])
            }
            TaskScope::Job(job) => {
                site.href(&env.get_untracked(), &nav::batch_path(&firmware_id, &job), &[("state", state)])
            }
        };
        navigate(&href, nav::to_href(false));
    };
    let job_options = move || {
        jobs.get()
            .unwrap_or_default()
            .into_iter()
            .map(|job| view! { <option value=job.job_id.clone()>{job.job_id.clone()}</option> })
            .collect_view()
    };
    let body = move || {
        let open = open.clone();
        Suspend::new(async move {
            match counts.await {
                Ok(Some((counts, _))) => {
                    let shares = outcome_shares(&counts);
                    let whole = i18n.fill(AnalysisMsg::OutcomesOf, &[("total", &counts.total.to_string())]);
                    let rate = counts.success_per_mille().map(|rate| {
                        let ended = (counts.succeeded + counts.failed).to_string();
                        i18n.fill(AnalysisMsg::SuccessRate, &[("rate", &format::percent(rate)), ("ended", &ended)])
                    });
                    let slices: Vec<(Outcome, u64)> = shares.iter().map(|s| (s.key, s.count)).collect();
                    let options = Callback::new(move |()| {
                        let palette = palette.get();
                        let slices = slices
                            .iter()
                            .map(|(outcome, count)| {
                                let color = Palette::state(outcome.status().unwrap_or(TaskStatus::Queued));
                                (Named { name: outcome_label(i18n, *outcome), color }, *count)
                            })
                            .collect();
                        donut(&palette, i18n.t(AnalysisMsg::OutcomesSeries), slices)
                    });
                    let keys = StoredValue::new(
                        shares.iter().map(|s| (outcome_label(i18n, s.key), s.key)).collect::<Vec<_>>(),
                    );
                    let on_click = Callback::new(move |Clicked { name, .. }: Clicked| {
                        if let Some(outcome) =
                            keys.with_value(|keys| keys.iter().find(|(label, _)| *label == name).map(|(_, o)| *o))
                        {
                            open(outcome);
                        }
                    });
                    let rows = shares
                        .iter()
                        .map(|share| share_row(outcome_label(i18n, share.key).into_any(), share))
                        .collect_view()
                        .into_any();
                    view! {
                        <p class="denominator">{whole.clone()}</p>
                        {rate.map(|rate| view! { <p class="success-rate">{rate}</p> })}
                        <div class="chart-and-table">
                            <Chart id="outcomes-chart" options label=whole height=280 on_click/>
                            <ShareTable heading=AnalysisMsg::ColumnOutcome rows class="outcomes"/>
                        </div>
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoOutcomes)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || counts.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis outcomes" aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">{i18n.text(AnalysisMsg::OutcomesHeading)}</h2>
            <div class="toolbar">
                <label for="outcome-scope">{i18n.text(AnalysisMsg::ScopeLabel)}</label>
                <select id="outcome-scope" prop:value=move || chosen.get() on:change:target=move |ev| chosen.set(ev.target().value())>
                    <option value="">{i18n.text(AnalysisMsg::AllBatches)}</option>
                    {job_options}
                </select>
            </div>
            <Loaded view=body/>
        </section>
    }
}

pub fn outcome_label(i18n: I18n, outcome: Outcome) -> String {
    match outcome.status() {
        Some(status) => i18n.t(task_status_label(status)).to_owned(),
        None => i18n.t(AnalysisMsg::Unfinished).to_owned(),
    }
}
