//! Changing tasks from a list: every action is asked first in a dialog, then run, and the
//! page's `revision` is bumped so that its lists and counts are read again.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use ota_model::actions::TaskAction;
use ota_model::console_config::Environment;
use ota_model::task::SimpleOTATaskInfo;

use crate::api::{self, ApiError};
use crate::components::Ask;
use crate::i18n::{Msg, use_i18n};
use crate::lifetime::Scope;
use crate::nav::use_environment;

/// The question being asked, the last failure, and the row actions' entry point.
#[derive(Clone, Copy)]
pub struct TaskActions {
    pub ask: RwSignal<Option<Ask>>,
    pub failure: RwSignal<Option<ApiError>>,
    pub act: Callback<(TaskAction, SimpleOTATaskInfo)>,
    revision: RwSignal<u32>,
    /// The page's: an action's answer is awaited even if its row was made anew meanwhile.
    scope: Scope,
    /// The page's too: what asked may be gone by the time of the answer.
    env: Memo<Environment>,
}

type Work = Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

impl TaskActions {
    pub fn new(revision: RwSignal<u32>) -> Self {
        let i18n = use_i18n();
        let env = use_environment();
        let ask = RwSignal::new(None::<Ask>);
        let failure = RwSignal::new(None::<ApiError>);
        let scope = Scope::here();
        let act = Callback::new(move |(action, task): (TaskAction, SimpleOTATaskInfo)| {
            let (question, label) = match action {
                TaskAction::Confirm => (Msg::AskConfirmTask, Msg::ActionConfirm),
                TaskAction::Cancel => (Msg::AskCancelTask, Msg::ActionCancel),
                TaskAction::Reupgrade => (Msg::AskReupgradeTask, Msg::ActionReupgrade),
            };
            let message = i18n.fill(question, &[("device", &task.device_name)]);
            let work = move |env: Environment| -> Work {
                let task = task.clone();
                Box::pin(async move {
                    match action {
                        TaskAction::Confirm => api::confirm_task(&env, &task.task_id).await,
                        TaskAction::Cancel => api::cancel_device_task(&env, &task).await,
                        TaskAction::Reupgrade => api::reupgrade_task(&env, &task.job_id, &task.task_id).await,
                    }
                })
            };
            ask.set(Some(Ask::new(message, label, move || Self::run(scope, failure, revision, env, &work))));
        });
        Self { ask, failure, act, revision, scope, env }
    }

    /// Asks `message`; on yes runs `work` in the page's environment (made when answered).
    pub fn ask_then(self, message: String, confirm: Msg, work: impl Fn(Environment) -> Work + Send + Sync + 'static) {
        let Self { scope, failure, revision, env, .. } = self;
        self.ask.set(Some(Ask::new(message, confirm, move || Self::run(scope, failure, revision, env, &work))));
    }

    fn run(
        scope: Scope,
        failure: RwSignal<Option<ApiError>>,
        revision: RwSignal<u32>,
        env: Memo<Environment>,
        work: &dyn Fn(Environment) -> Work,
    ) {
        // The page is gone (and its dialog with it): nothing to answer.
        let Some(env) = env.try_get_untracked() else { return };
        let work = work(env);
        scope.spawn(async move {
            // Read again either way: a failure part-way may still have changed some tasks.
            failure.set(work.await.err());
            revision.update(|r| *r += 1);
        });
    }
}

/// Why the last action did not work, until the next one does.
#[component]
pub fn ActionFailure(failure: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        failure.get().map(|error| {
            let detail = error.detail();
            view! {
                <div class="panel error" role="alert">
                    <p class="headline">{i18n.text(Msg::ActionFailed)}</p>
                    <p>{detail}</p>
                </div>
            }
        })
    }
}
