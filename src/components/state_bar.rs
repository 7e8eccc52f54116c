//! A batch's task counts by state as a bar and a list.

use leptos::prelude::*;
use ota_model::enums::TaskStatus;
use ota_model::extensions::TaskCounts;

use super::task_status_label;
use crate::api::Counted;
use crate::i18n::{Msg, use_i18n};

/// Task counts by state: a bar whose segments are proportional to them (for the eye) and the
/// same counts as a list (for everyone).
#[component]
pub fn StateBar(counts: TaskCounts, counted: Counted) -> impl IntoView {
    let i18n = use_i18n();
    let present: Vec<(TaskStatus, u64)> =
        TaskStatus::ALL.iter().map(|&s| (s, counts.of(s))).filter(|(_, count)| *count > 0).collect();
    let segments = present
        .iter()
        .map(|&(status, count)| {
            view! { <span class=format!("segment state-{}", status.as_str()) style=format!("flex-grow: {count}")></span> }
        })
        .collect_view();
    let legend = present
        .into_iter()
        .map(|(status, count)| {
            view! {
                <li data-state=status.as_str()>
                    <span class=format!("swatch state-{}", status.as_str())></span>
                    {move || i18n.t(task_status_label(status))}
                    " "
                    <strong>{move || crate::format::count(count)}</strong>
                </li>
            }
        })
        .collect_view();
    let total = counts.total;
    let note = (counted == Counted::ByListing).then(|| i18n.t(Msg::CountsByListing));
    view! {
        <div class="state-bar" aria-hidden="true">{segments}</div>
        <ul class="state-counts" title=note>
            <li class="total">{move || i18n.fill(Msg::DevicesTotal, &[("total", &crate::format::count(total))])}</li>
            {legend}
        </ul>
    }
}
