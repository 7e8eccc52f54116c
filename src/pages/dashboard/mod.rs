//! The environment dashboard (`/dashboard`): the batches under way with their tasks by state,
//! failures across batches by reason, and the versions the fleet runs per product and module.
//! Each chart has a table of the same numbers and leads to the devices it counts; the page
//! follows the environment live.

mod failures;
mod fleet;
mod running;

use leptos::prelude::*;

use crate::components::LiveIndicator;
use crate::i18n::{AnalysisMsg, use_i18n};
use crate::live::{Watch, use_live};

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live(Watch::Environment);
    view! {
        <header class="page-header">
            <h1>{i18n.text(AnalysisMsg::Dashboard)}</h1>
            <LiveIndicator live/>
            <p class="intro">{i18n.text(AnalysisMsg::DashboardIntro)}</p>
        </header>
        <running::RunningBatches live/>
        <failures::FailureReasonsSection live/>
        <fleet::FleetVersions/>
    }
}
