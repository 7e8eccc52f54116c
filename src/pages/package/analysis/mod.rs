//! The package's data analysis: which versions the product's devices report for the
//! package's module (and which devices run one), how its update tasks have ended for all its
//! batches or one, and which versions its devices started from. Every chart has a table of
//! the same numbers, computed by `ota_model::analysis`, and says what its percentages are of.

mod outcomes;
mod sources;
mod versions;

use leptos::prelude::*;
use ota_model::firmware::FirmwareInfo;

#[component]
pub fn PackageAnalysis(info: FirmwareInfo) -> impl IntoView {
    crate::charts::preload();
    view! {
        <versions::VersionSection info=info.clone()/>
        <outcomes::OutcomeSection info=info.clone()/>
        <sources::SourceSection info/>
    }
}
