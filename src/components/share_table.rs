//! A chart's shares as a table: the accessible alternative to the chart, and what tests read.

use leptos::prelude::*;
use ota_model::analysis::Share;

use crate::format;
use crate::i18n::{AnalysisMsg, use_i18n};

/// A row of a share table; `label` is its first cell (text or a link).
pub fn share_row<K>(label: AnyView, share: &Share<K>) -> impl IntoView + use<K> {
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td class="number">{share.count}</td>
            <td class="number">{format::percent(share.per_mille)}</td>
        </tr>
    }
}

#[component]
pub fn ShareTable(heading: AnalysisMsg, rows: AnyView, class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class=format!("shares {class}")>
            <thead><tr>
                <th scope="col">{move || i18n.t(heading)}</th>
                <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnCount)}</th>
                <th scope="col" class="number">{i18n.text(AnalysisMsg::ColumnShare)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
