//! The package's data analysis: which versions the product's devices report for the
//! package's module, and how its update tasks have ended, for all its batches or one. Every
//! chart has a table of the same numbers, computed by `ota_model::analysis`, and says what
//! its percentages are of; a slice of the outcomes leads to the devices it counts.

use charming::Chart as Options;
use charming::component::Legend;
use charming::element::{Tooltip, Trigger};
use charming::series::Pie;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ota_model::PageRequest;
use ota_model::analysis::{Outcome, Share, VersionGroup, outcome_shares, version_shares};
use ota_model::extensions::Extension;
use ota_model::firmware::FirmwareInfo;
use ota_model::job::ListOTAJobByFirmware;

use crate::api::{self, TaskScope};
use crate::charts::Chart;
use crate::components::{ErrorPanel, Loading, task_status_label};
use crate::format;
use crate::i18n::{AnalysisMsg, I18n, use_i18n};
use crate::nav::{self, use_environment, use_site};

#[component]
pub fn PackageAnalysis(info: FirmwareInfo) -> impl IntoView {
    view! {
        <VersionSection info=info.clone()/>
        <OutcomeSection info/>
    }
}

/// A donut of named shares.
fn donut(name: &str, slices: Vec<(u64, String)>) -> Options {
    let data: Vec<(f64, String)> = slices.into_iter().map(|(count, label)| (count as f64, label)).collect();
    Options::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().top("bottom"))
        .series(Pie::new().name(name).radius(vec!["40%", "68%"]).center(vec!["50%", "45%"]).data(data))
}

#[component]
fn VersionSection(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let (product, module) = (info.summary.product_key.clone(), info.summary.module_name.clone());
    let distribution = LocalResource::new(move || {
        let (env, product, module) = (env.get(), product.clone(), module.clone());
        async move {
            if !api::capabilities(&env).await?.offers(Extension::VersionDistribution) {
                return Ok(None);
            }
            api::version_distribution(&env, &product, &module).await.map(Some)
        }
    });
    let group_label = move |group: &VersionGroup| match group {
        VersionGroup::Version(version) => version.clone(),
        VersionGroup::Others { versions } => i18n.fill(AnalysisMsg::OtherVersions, &[("count", &versions.to_string())]),
    };
    let module = info.summary.module_name.clone();
    let body = move || {
        let module = module.clone();
        Suspend::new(async move {
            match distribution.await {
                Ok(Some(distribution)) => {
                    let shares = version_shares(&distribution);
                    let whole = i18n.fill(
                        AnalysisMsg::VersionsOf,
                        &[("total", &distribution.total.to_string()), ("module", &module)],
                    );
                    let slices: Vec<(u64, String)> = shares.iter().map(|s| (s.count, group_label(&s.key))).collect();
                    let options = Signal::derive(move || donut("versions", slices.clone()));
                    let rows =
                        shares.iter().map(|share| row(&group_label(&share.key), share)).collect_view().into_any();
                    view! {
                        <p class="denominator">{whole.clone()}</p>
                        <div class="chart-and-table">
                            <Chart id="versions-chart" options label=whole height=280/>
                            <ShareTable heading=AnalysisMsg::ColumnVersion rows class="versions"/>
                        </div>
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{move || i18n.t(AnalysisMsg::NoDistribution)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || distribution.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis versions" aria-labelledby="versions-heading">
            <h2 id="versions-heading">{move || i18n.t(AnalysisMsg::VersionsHeading)}</h2>
            <Transition fallback=Loading>{body}</Transition>
        </section>
    }
}

#[component]
fn OutcomeSection(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let navigate = use_navigate();
    let firmware_id = info.summary.firmware_id.clone();
    // "" stands for every batch of the package.
    let chosen = RwSignal::new(String::new());
    let jobs = {
        let firmware_id = firmware_id.clone();
        LocalResource::new(move || {
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
    let counts = LocalResource::new(move || {
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
                    let slices: Vec<(u64, String)> =
                        shares.iter().map(|s| (s.count, outcome_label(i18n, s.key))).collect();
                    let options = Signal::derive(move || donut("outcomes", slices.clone()));
                    let keys = StoredValue::new(
                        shares.iter().map(|s| (outcome_label(i18n, s.key), s.key)).collect::<Vec<_>>(),
                    );
                    let on_click = Callback::new(move |name: String| {
                        if let Some(outcome) =
                            keys.with_value(|keys| keys.iter().find(|(label, _)| *label == name).map(|(_, o)| *o))
                        {
                            open(outcome);
                        }
                    });
                    let rows = shares
                        .iter()
                        .map(|share| row(&outcome_label(i18n, share.key), share))
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
                Ok(None) => view! { <p class="hint">{move || i18n.t(AnalysisMsg::NoOutcomes)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || counts.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis outcomes" aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">{move || i18n.t(AnalysisMsg::OutcomesHeading)}</h2>
            <div class="toolbar">
                <label for="outcome-scope">{move || i18n.t(AnalysisMsg::ScopeLabel)}</label>
                <select id="outcome-scope" prop:value=move || chosen.get() on:change:target=move |ev| chosen.set(ev.target().value())>
                    <option value="">{move || i18n.t(AnalysisMsg::AllBatches)}</option>
                    {job_options}
                </select>
            </div>
            <Transition fallback=Loading>{body}</Transition>
        </section>
    }
}

fn outcome_label(i18n: I18n, outcome: Outcome) -> String {
    match outcome.status() {
        Some(status) => i18n.t(task_status_label(status)).to_owned(),
        None => i18n.t(AnalysisMsg::Unfinished).to_owned(),
    }
}

fn row<K>(label: &str, share: &Share<K>) -> impl IntoView + use<K> {
    view! {
        <tr>
            <th scope="row">{label.to_owned()}</th>
            <td class="number">{share.count}</td>
            <td class="number">{format::percent(share.per_mille)}</td>
        </tr>
    }
}

/// The chart's numbers as a table: the accessible alternative, and what tests read.
#[component]
fn ShareTable(heading: AnalysisMsg, rows: AnyView, class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class=format!("shares {class}")>
            <thead><tr>
                <th scope="col">{move || i18n.t(heading)}</th>
                <th scope="col" class="number">{move || i18n.t(AnalysisMsg::ColumnCount)}</th>
                <th scope="col" class="number">{move || i18n.t(AnalysisMsg::ColumnShare)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
