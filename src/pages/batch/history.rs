//! A batch's History tab: its creation and every change since, who made it and when, oldest
//! first (ListOTAJobHistory, an extension; the tab is offered only where the backend has it).

use leptos::prelude::*;
use ota_model::audit::{AuditEvent, JobChange, ListOTAJobHistoryResponse};

use crate::api;
use crate::components::{ErrorPanel, Loaded};
use crate::format;
use crate::i18n::{AuditMsg, I18n, use_i18n};
use crate::nav::use_environment;
use crate::pages::audit::{EventDetails, Who};
use crate::resource::resource;

#[component]
pub fn BatchHistory(job_id: String, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let history = resource(move || {
        revision.track();
        let (env, job_id) = (env.get(), job_id.clone());
        async move { api::job_history(&env, &job_id).await }
    });
    let body = move || {
        Suspend::new(async move {
            match history.await {
                Ok(Some(history)) => view! { <HistoryTable history/> }.into_any(),
                Ok(None) => view! { <p class="hint">{i18n.text(AuditMsg::HistoryUnavailable)}</p> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || history.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="batch-history" aria-labelledby="history-heading">
            <h2 id="history-heading">{i18n.text(AuditMsg::HistoryHeading)}</h2>
            <Loaded view=body/>
        </section>
    }
}

fn change_label(i18n: I18n, action: &str) -> String {
    let label = JobChange::of_action(action).map(|change| match change {
        JobChange::Created => AuditMsg::ChangeCreated,
        JobChange::Edited => AuditMsg::ChangeEdited,
        JobChange::Cancelled => AuditMsg::ChangeCancelled,
        JobChange::Stopped => AuditMsg::ChangeStopped,
        JobChange::Confirmed => AuditMsg::ChangeConfirmed,
        JobChange::Retried => AuditMsg::ChangeRetried,
        JobChange::CancelledDevices => AuditMsg::ChangeCancelledDevices,
    });
    label.map_or_else(|| action.to_owned(), |label| i18n.t(label).to_owned())
}

#[component]
fn HistoryTable(history: ListOTAJobHistoryResponse) -> impl IntoView {
    let i18n = use_i18n();
    let events = history.data.items;
    if events.is_empty() {
        return view! { <div class="panel empty"><p>{i18n.text(AuditMsg::NoHistory)}</p></div> }.into_any();
    }
    let shown = events.len() as u64;
    let more = (history.total > shown).then(|| {
        let text =
            i18n.fill(AuditMsg::HistoryMore, &[("shown", &shown.to_string()), ("total", &history.total.to_string())]);
        view! { <p class="denominator">{text}</p> }
    });
    let row = move |event: AuditEvent| {
        let action = event.action.clone();
        let marker = action.clone();
        let label = move || change_label(i18n, &action);
        view! {
            <tr data-action=marker>
                <td class="nowrap">{move || format::local_time_precise(event.utc_time)}</td>
                <td><Who event=event.clone()/></td>
                <td>{label}</td>
                <td><EventDetails event/></td>
            </tr>
        }
    };
    view! {
        {more}
        <div class="table-scroll"><table class="data job-history">
            <thead><tr>
                <th scope="col">{i18n.text(AuditMsg::ColumnTime)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnWho)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnChange)}</th>
                <th scope="col">{i18n.text(AuditMsg::Details)}</th>
            </tr></thead>
            <tbody>{events.into_iter().map(row).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}
