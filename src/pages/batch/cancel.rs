//! Cancelling a whole batch: a dialog that says exactly what will happen, with the counts it
//! affects, and for a dynamic batch the running states to cancel along (`ota_model::actions`).

use leptos::html::Dialog;
use leptos::prelude::*;
use ota_model::actions::BatchCancel;
use ota_model::enums::{SelectionType, TaskStatus};
use ota_model::extensions::TaskCounts;

use crate::api;
use crate::components::{close_modal, show_modal, task_status_label};
use crate::i18n::{Msg, use_i18n};
use crate::nav::use_environment;

#[component]
pub fn CancelBatch(
    job_id: String,
    selection: SelectionType,
    #[prop(into)] done: Callback<()>,
    /// In a table row the trigger reads as a link, not as a button.
    #[prop(optional)]
    in_row: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let dialog = NodeRef::<Dialog>::new();
    let counts = RwSignal::new(TaskCounts::default());
    let picked = RwSignal::new(Vec::<TaskStatus>::new());
    let failure = RwSignal::new(None::<String>);
    let count_job = job_id.clone();
    let open = move |_| {
        let (env, job_id) = (env.get_untracked(), count_job.clone());
        failure.set(None);
        picked.set(Vec::new());
        leptos::task::spawn_local(async move {
            if let Ok((found, _)) = api::job_counts(&env, &job_id).await {
                counts.set(found);
            }
        });
        show_modal(dialog);
    };
    let close = move || close_modal(dialog);
    let named = move |state: TaskStatus| {
        let count = counts.get().of(state).to_string();
        i18n.fill(Msg::StateWithCount, &[("state", i18n.t(task_status_label(state))), ("count", &count)])
    };
    let explanation = move || {
        match selection {
        SelectionType::Static => {
            let states = BatchCancel::plan(selection, &[]).states.into_iter().map(named).collect::<Vec<_>>().join(", ");
            let keeps = counts.get().in_progress.to_string();
            view! {
                <p>{i18n.fill(Msg::CancelStaticExplain, &[("states", &states)])}</p>
                <p>{i18n.fill(Msg::CancelStaticKeeps, &[("count", &keeps)])}</p>
            }
            .into_any()
        }
        SelectionType::Dynamic => view! {
            <p>{i18n.t(Msg::CancelDynamicExplain)}</p>
            <fieldset class="choices">
                {BatchCancel::DYNAMIC_CHOICES
                    .into_iter()
                    .map(|state| {
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
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    };
    let confirm = move |_| {
        let (env, job_id, plan) =
            (env.get_untracked(), job_id.clone(), BatchCancel::plan(selection, &picked.get_untracked()));
        leptos::task::spawn_local(async move {
            match api::cancel_batch(&env, &job_id, &plan).await {
                Ok(()) => {
                    close();
                    done.run(());
                }
                Err(error) => failure.set(Some(error.detail())),
            }
        });
    };
    view! {
        <button type="button" class=if in_row { "link" } else { "danger" } on:click=open>
            {move || i18n.t(if in_row { Msg::ActionCancel } else { Msg::CancelBatch })}
        </button>
        <dialog node_ref=dialog class="confirm" aria-labelledby="cancel-batch-title">
            <h2 id="cancel-batch-title">{move || i18n.t(Msg::CancelBatch)}</h2>
            {explanation}
            {move || failure.get().map(|why| view! {
                <p class="error" role="alert">{move || i18n.t(Msg::ActionFailed)} " " {why.clone()}</p>
            })}
            <div class="actions">
                <button type="button" autofocus on:click=move |_| close()>{move || i18n.t(Msg::KeepAsIs)}</button>
                <button type="button" class="danger" on:click=confirm>{move || i18n.t(Msg::CancelBatch)}</button>
            </div>
        </dialog>
    }
}
