//! The dialogs that change a running batch, one of each per page, and the buttons that open
//! them: Edit and Cancel in a row of the batch list (as the seed puts them in the Actions
//! column), Edit batch and Cancel batch in the batch page's header, and Edit beside the batch
//! information's tags.

use leptos::prelude::*;
use ota_model::Operation;
use ota_model::enums::SelectionType;
use ota_model::job::{SimpleOTAJobInfo, UpdateOTAJob};
use ota_model::task::CancelOTATaskByJob;

use super::cancel::CancelBatchDialog;
use super::edit::EditBatchDialog;
use crate::auth::use_may;
use crate::components::Show;
use crate::i18n::{FormMsg, Msg, use_i18n};

/// The batch a dialog is open for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTarget {
    pub job_id: String,
    pub selection: SelectionType,
}

impl BatchTarget {
    pub fn of(job: &SimpleOTAJobInfo) -> Self {
        Self { job_id: job.job_id.clone(), selection: job.selection_type }
    }
}

/// What of a batch the edit dialog shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditPart {
    /// The update policy: push rate, tags, and a dynamic batch's timeout and versions.
    Policy,
    /// The tags alone (the rest is sent back as it is).
    Tags,
}

impl EditPart {
    pub fn title(self) -> Msg {
        match self {
            EditPart::Policy => Msg::EditPolicyTitle,
            EditPart::Tags => Msg::EditTagsTitle,
        }
    }
}

/// A page's batch dialogs: each is open while its signal names a batch.
#[derive(Clone, Copy)]
pub struct BatchDialogs {
    edit: RwSignal<Option<(BatchTarget, EditPart)>>,
    cancel: RwSignal<Option<BatchTarget>>,
}

impl BatchDialogs {
    pub fn new() -> Self {
        Self { edit: RwSignal::new(None), cancel: RwSignal::new(None) }
    }

    /// The dialogs themselves, once per page; `done` runs after a batch was changed.
    pub fn view(self, done: impl Fn() + Send + Sync + 'static) -> impl IntoView {
        let done = Callback::new(move |()| done());
        view! {
            <EditBatchDialog open=self.edit done/>
            <CancelBatchDialog open=self.cancel done/>
        }
    }
}

/// How a button that opens a dialog reads where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A link-like action in a table row or beside a field: "Edit", "Cancel".
    Inline,
    /// A button in the page's header: "Edit batch", "Cancel batch".
    Header,
}

/// Opens the edit dialog on `part` of `target`.
#[component]
pub fn EditButton(dialogs: BatchDialogs, target: BatchTarget, part: EditPart, trigger: Trigger) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || match trigger {
        Trigger::Inline => i18n.t(FormMsg::Edit),
        Trigger::Header => i18n.t(Msg::EditBatch),
    };
    // Beside the tags or in a row, "Edit" alone would not say what it edits to a screen reader.
    let described = {
        let id = target.job_id.clone();
        move || match (part, trigger) {
            (EditPart::Tags, _) => Some(i18n.t(Msg::EditTagsTitle).to_owned()),
            (EditPart::Policy, Trigger::Inline) => Some(i18n.fill(Msg::EditBatchNamed, &[("id", &id)])),
            (EditPart::Policy, Trigger::Header) => None,
        }
    };
    let class = if trigger == Trigger::Inline { "link" } else { "" };
    // Not offered to a caller whose policy would refuse it.
    let may = use_may(UpdateOTAJob::ACTION);
    view! {
        <Show when=move || may.get()>
            <button
                type="button"
                class=class
                data-action=if part == EditPart::Tags { "edit-tags" } else { "edit" }
                aria-label=described.clone()
                on:click={
                    let target = target.clone();
                    move |_| dialogs.edit.set(Some((target.clone(), part)))
                }
            >
                {label}
            </button>
        </Show>
    }
}

/// Opens the cancel dialog for `target`.
#[component]
pub fn CancelButton(dialogs: BatchDialogs, target: BatchTarget, trigger: Trigger) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match trigger {
        Trigger::Inline => ("link", Msg::ActionCancel),
        Trigger::Header => ("danger", Msg::CancelBatch),
    };
    // In a row, "Cancel" alone would not say which batch to a screen reader.
    let described = {
        let id = target.job_id.clone();
        move || (trigger == Trigger::Inline).then(|| i18n.fill(Msg::CancelBatchNamed, &[("id", &id)]))
    };
    let may = use_may(CancelOTATaskByJob::ACTION);
    view! {
        <Show when=move || may.get()>
            <button type="button" class=class data-action="cancel" aria-label=described.clone()
                on:click={
                    let target = target.clone();
                    move |_| dialogs.cancel.set(Some(target.clone()))
                }>
                {move || i18n.t(label)}
            </button>
        </Show>
    }
}
