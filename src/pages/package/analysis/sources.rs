//! Which versions the package's devices updated from, and how each group's tasks ended: a
//! failing source version stands out before the next rollout.

use leptos::prelude::*;
use ota_model::analysis::Outcome;
use ota_model::enums::TaskStatus;
use ota_model::extensions::{Extension, SourceVersionCount};
use ota_model::firmware::FirmwareInfo;

use super::outcomes::outcome_label;
use crate::api::{self, TaskScope};
use crate::charts::{Chart, Named, Palette, stacked_bars, use_palette};
use crate::components::{ErrorPanel, Loaded};
use crate::format;
use crate::i18n::{AnalysisMsg, I18n, use_i18n};
use crate::resource::resource;

/// A group's tasks with this outcome.
fn count_of(group: &SourceVersionCount, outcome: Outcome) -> u64 {
    match outcome.status() {
        Some(status) => group.counts.of(status),
        None => group.counts.unfinished(),
    }
}

fn version_label(i18n: I18n, group: &SourceVersionCount) -> String {
    if group.src_version.is_empty() {
        i18n.t(AnalysisMsg::NoSourceVersion).to_owned()
    } else {
        group.src_version.clone()
    }
}

#[component]
pub fn SourceSection(info: FirmwareInfo) -> impl IntoView {
    let i18n = use_i18n();
    let env = crate::nav::use_environment();
    let palette = use_palette();
    let firmware_id = info.summary.firmware_id.clone();
    let sources = resource(move || {
        let (env, scope) = (env.get(), TaskScope::Package(firmware_id.clone()));
        async move {
            if !api::capabilities(&env).await?.offers(Extension::SourceVersions) {
                return Ok(None);
            }
            api::source_versions(&env, &scope).await.map(Some)
        }
    });
    let body = move || {
        Suspend::new(async move {
            match sources.await {
                Ok(Some(sources)) if sources.total == 0 => {
                    view! { <p class="hint">{i18n.text(AnalysisMsg::NoTasksYet)}</p> }.into_any()
                }
                Ok(Some(sources)) => {
                    let groups = sources.source_versions.items;
                    let whole = i18n.fill(AnalysisMsg::SourcesOf, &[("total", &sources.total.to_string())]);
                    let chart_groups = groups.clone();
                    let options = Callback::new(move |()| {
                        let palette = palette.get();
                        let names = chart_groups.iter().map(|g| version_label(i18n, g)).collect();
                        let series = Outcome::ALL
                            .into_iter()
                            .map(|outcome| {
                                let color = Palette::state(outcome.status().unwrap_or(TaskStatus::Queued));
                                let values = chart_groups.iter().map(|g| count_of(g, outcome)).collect();
                                (Named { name: outcome_label(i18n, outcome), color }, values)
                            })
                            .collect();
                        stacked_bars(&palette, names, series)
                    });
                    let height = 96 + 36 * groups.len().min(12) as u32;
                    let rows = groups.iter().map(|group| source_row(i18n, group)).collect_view();
                    view! {
                        <p class="denominator">{whole.clone()}</p>
                        <div class="chart-and-table wide">
                            <Chart id="sources-chart" options label=whole height/>
                            <div class="table-scroll"><table class="data sources">
                                <thead><tr>
                                    <th scope="col">{i18n.text(AnalysisMsg::ColumnSourceVersion)}</th>
                                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnCount)}</th>
                                    {Outcome::ALL.map(|outcome| view! {
                                        <th scope="col" class="number">{move || outcome_label(i18n, outcome)}</th>
                                    })}
                                    <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnSuccessRate)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                        </div>
                    }
                    .into_any()
                }
                Ok(None) => view! { <p class="hint">{i18n.text(AnalysisMsg::NoSources)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || sources.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="analysis sources" aria-labelledby="sources-heading">
            <h2 id="sources-heading">{i18n.text(AnalysisMsg::SourcesHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

fn source_row(i18n: I18n, group: &SourceVersionCount) -> impl IntoView + use<> {
    let rate = group.counts.success_per_mille().map(format::percent).unwrap_or_else(|| "–".to_owned());
    view! {
        <tr>
            <th scope="row">{version_label(i18n, group)}</th>
            <td class="number">{group.counts.total}</td>
            {Outcome::ALL.map(|outcome| view! { <td class="number">{count_of(group, outcome)}</td> })}
            <td class="number">{rate}</td>
        </tr>
    }
}
