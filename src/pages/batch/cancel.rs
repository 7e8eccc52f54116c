//! Cancelling a whole batch: a dialog that says exactly what will happen, with the counts it
//! affects, and for a dynamic batch the running states to cancel along (`ota_model::actions`).

use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::actions::BatchCancel;
use ota_model::enums::{SelectionType, TaskStatus};
use ota_model::extensions::TaskCounts;

use super::dialogs::BatchTarget;
use crate::api;
use crate::components::{close_modal, modal_while, task_status_label};
use crate::i18n::{Msg, use_i18n};
use crate::lifetime::Scope;
use crate::nav::use_environment;

/// The one cancel dialog of a page, open while `open` names a batch.
#[component]
pub fn CancelBatchDialog(open: RwSignal<Option<BatchTarget>>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let scope = Scope::here();
    let dialog = NodeRef::<Dialog>::new();
    let counts = RwSignal::new(TaskCounts::default());
    let picked = RwSignal::new(Vec::<TaskStatus>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    modal_while(dialog, open, move |target| {
        failure.set(None);
        picked.set(Vec::new());
        counts.set(TaskCounts::default());
        let env = env.get_untracked();
        scope.spawn(async move {
            let found = api::job_counts(&env, &target.job_id).await;
            // Only for the batch the dialog is still open for.
            if let (Ok((found, _)), true) = (found, open.with_untracked(|now| now.as_ref() == Some(&target))) {
                counts.set(found);
            }
        });
    });
    let close = move || close_modal(dialog);
    let named = move |state: TaskStatus| {
        let count = counts.get().of(state).to_string();
        i18n.fill(Msg::StateWithCount, &[("state", i18n.t(task_status_label(state))), ("count", &count)])
    };
    let explanation = move || {
        match open.with(|target| target.as_ref().map(|target| target.selection)) {
        None => ().into_any(),
        Some(SelectionType::Static) => {
            let states = BatchCancel::plan(SelectionType::Static, &[])
                .states
                .into_iter()
                .map(named)
                .collect::<Vec<_>>()
                .join(", ");
            let keeps = counts.get().in_progress.to_string();
            view! {
                <p>{i18n.fill(Msg::CancelStaticExplain, &[("states", &states)])}</p>
                <p>{i18n.fill(Msg::CancelStaticKeeps, &[("count", &keeps)])}</p>
            }
            .into_any()
        }
        Some(SelectionType::Dynamic) => view! {
            <p>{i18n.t(Msg::CancelDynamicExplain)}</p>
            <fieldset class="choices">
                {BatchCancel::DYNAMIC_CHOICES.into_iter().map(|state| view! { <StateChoice state picked named/> }).collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    };
    let confirm = move |_| {
        let Some(target) = open.get_untracked().filter(|_| !busy.get_untracked()) else { return };
        let (env, plan) = (env.get_untracked(), BatchCancel::plan(target.selection, &picked.get_untracked()));
        busy.set(true);
        scope.spawn(async move {
            let outcome = api::cancel_batch(&env, &target.job_id, &plan).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    close();
                    done.run(());
                }
                Err(error) => failure.set(Some(error.detail())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="confirm cancel-batch" aria-labelledby="cancel-batch-title" on:close=move |_| open.set(None)>
            <h2 id="cancel-batch-title">{i18n.text(Msg::CancelBatch)}</h2>
            {explanation}
            {move || failure.get().map(|why| view! {
                <p class="error" role="alert">{i18n.text(Msg::ActionFailed)} " " {why.clone()}</p>
            })}
            <div class="actions">
                <button type="button" autofocus on:click=move |_| close()>{i18n.text(Msg::KeepAsIs)}</button>
                <button type="button" class="danger" disabled=move || busy.get() on:click=confirm>
                    {i18n.text(Msg::CancelBatch)}
                </button>
            </div>
        </dialog>
    }
}

/// A running state of a dynamic batch whose tasks may be cancelled along with it.
#[component]
fn StateChoice(
    state: TaskStatus,
    picked: RwSignal<Vec<TaskStatus>>,
    named: impl Fn(TaskStatus) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        picked.update(|p| {
            p.retain(|s| *s != state);
            if on {
                p.push(state);
            }
        });
    };
    view! {
        <label data-state=state.as_str()>
            <input type="checkbox" prop:checked=move || picked.get().contains(&state) on:change=toggle/>
            {move || named(state)}
        </label>
    }
}
