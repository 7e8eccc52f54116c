//! The batch wizard (`/packages/:id/batches/new`): 1. update scope, 2. update policy,
//! 3. review with what will happen and, where the backend offers `DryRun`, to how many
//! devices. The form is `ota_model::job::form::BatchForm`, checked as the operator types with
//! the rules the server applies; a step goes on only when its own fields are right; a refusal
//! of a field takes the operator back to it; leaving with unsaved changes asks first.

mod policy;
mod review;
mod safety;
mod scope;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use ota_model::ParamError;
use ota_model::UtcTime;
use ota_model::enums::FirmwareStatus;
use ota_model::extensions::Extension;
use ota_model::firmware::FirmwareInfo;
use ota_model::job::form::{BatchForm, BatchKind};
use wasm_bindgen::JsCast;

use crate::api::{self, Stop};
use crate::components::{ErrorPanel, FormProblems, Loaded, OtherProblems, Show, use_unsaved_guard};
use crate::format;
use crate::i18n::{FormMsg, Msg, WizardMsg, use_i18n};
use crate::lifetime;
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Scope,
    Policy,
    Review,
}

impl Step {
    const ALL: [Step; 3] = [Step::Scope, Step::Policy, Step::Review];

    fn label(self) -> WizardMsg {
        match self {
            Step::Scope => WizardMsg::StepScope,
            Step::Policy => WizardMsg::StepPolicy,
            Step::Review => WizardMsg::StepReview,
        }
    }

    /// Whether a field of the wizard shows problems with `param`.
    fn claimed(param: &str) -> bool {
        const FIELDS: [&str; 32] = [
            "TargetDeviceName",
            "DnListFileUrl",
            "GrayPercent",
            "GroupId",
            "SrcVersion",
            "ScheduleTime",
            "ScheduleFinishTime",
            "RateType",
            "MaximumPerMinute",
            "StartPerMinute",
            "GrowthFactor",
            "GrowthEvery",
            "GrowthOn",
            "RetryInterval",
            "RetryCount",
            "TimeoutInMinutes",
            "OverwriteMode",
            "MultiModuleMode",
            "DownloadProtocol",
            "Tag",
            "Wave",
            "WavePromotion",
            "WaveSuccessRate",
            "WaveMinFinished",
            "WaveSoakMinutes",
            "PauseFailureRate",
            "PauseSampleSize",
            "PauseMinSample",
            "PauseReason",
            "PauseCancelPending",
            "MaintenanceTimeZone",
            "MaintenanceWindow",
        ];
        FIELDS.contains(&param.split('.').next().unwrap_or_default())
    }

    /// The step whose fields a parameter belongs to.
    fn of(param: &str) -> Step {
        const SCOPE: [&str; 8] = [
            "TargetDeviceName",
            "DnListFileUrl",
            "GrayPercent",
            "GroupId",
            "GroupType",
            "TargetSelection",
            "SrcVersion",
            "DynamicMode",
        ];
        let name = param.split('.').next().unwrap_or_default();
        if SCOPE.contains(&name) { Step::Scope } else { Step::Policy }
    }
}

/// What every step's fields share.
#[derive(Clone, Copy)]
pub struct Wizard {
    pub form: RwSignal<BatchForm>,
    pub problems: FormProblems,
    pub info: StoredValue<FirmwareInfo>,
    pub list_file: RwSignal<scope::ListUpload>,
    /// Stopped when the wizard goes away, which stops an upload under way.
    pub stop: StoredValue<Stop>,
    /// The wizard's lifetime: work started in one step may end after the operator moved on.
    pub scope: lifetime::Scope,
    /// The backend offers waves, the automatic pause and windows (extension `SafeRollout`).
    pub safe_rollout: bool,
}

impl Wizard {
    /// The text of one of the form's fields, for an input.
    pub fn text(self, get: fn(&BatchForm) -> &String) -> Signal<String> {
        let form = self.form;
        Signal::derive(move || form.with(|f| get(f).clone()))
    }

    pub fn kind(self) -> BatchKind {
        self.form.with(|f| f.kind)
    }
}

#[component]
pub fn NewBatch() -> impl IntoView {
    let env = use_environment();
    let params = use_params_map();
    let firmware_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let package = resource(move || {
        let (env, id) = (env.get(), firmware_id.get());
        async move { api::query_firmware(&env, &id).await }
    });
    let capabilities = resource(move || {
        let env = env.get();
        async move { api::capabilities(&env).await }
    });
    let content = move || {
        Suspend::new(async move {
            let offers = capabilities.await.ok();
            let dry_run = offers.as_ref().is_some_and(|c| c.offers(Extension::DryRun));
            let safe_rollout = offers.as_ref().is_some_and(|c| c.offers(Extension::SafeRollout));
            match package.await {
                Ok(answer) => view! { <WizardForm info=answer.firmware_info dry_run safe_rollout/> }.into_any(),
                Err(error) => view! { <ErrorPanel error retry=move || package.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="new-batch">
            <Loaded view=content/>
        </section>
    }
}

#[component]
fn WizardForm(info: FirmwareInfo, dry_run: bool, safe_rollout: bool) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let navigate = use_navigate();
    let (firmware_id, product_key) = (info.summary.firmware_id.clone(), info.summary.product_key.clone());
    let verified = info.summary.status.allows_batch_update();
    let initial =
        BatchForm { kind: if verified { BatchKind::Static } else { BatchKind::Verify }, ..BatchForm::default() };
    let form = RwSignal::new(initial.clone());
    let ids = StoredValue::new((firmware_id.clone(), product_key.clone()));
    let found = Memo::new(move |_| {
        ids.with_value(|(id, pk)| form.with(|f| f.request(id, pk, now()).err().unwrap_or_default()))
    });
    let problems = FormProblems::new(found.into());
    let stop = Stop::new();
    let wizard = Wizard {
        form,
        problems,
        info: StoredValue::new(info.clone()),
        list_file: RwSignal::new(scope::ListUpload::Nothing),
        stop: StoredValue::new(stop.clone()),
        scope: lifetime::Scope::here(),
        safe_rollout,
    };
    on_cleanup(move || stop.stop());
    let step = RwSignal::new(Step::Scope);
    let created = RwSignal::new(false);
    let dirty = Signal::derive(move || !created.get() && form.with(|f| *f != initial));
    use_unsaved_guard(dirty, Signal::derive(move || i18n.t(FormMsg::LeaveUnsaved).to_owned()));

    let problems_in =
        move |at: Step| found.with(|all| all.iter().filter(|p| p.param.as_deref().map(Step::of) == Some(at)).count());
    let go = move |to: Step| {
        step.set(to);
        focus_heading();
    };
    let next_step = move |to: Step| {
        problems.next_step();
        go(to);
    };
    let next = move |_| {
        let at = step.get_untracked();
        if problems_in(at) > 0 {
            problems.submit();
            focus_first_invalid();
            return;
        }
        next_step(if at == Step::Scope { Step::Policy } else { Step::Review });
    };
    let back = move |_| next_step(if step.get_untracked() == Step::Review { Step::Policy } else { Step::Scope });
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let create = {
        let (site, navigate) = (site.clone(), navigate.clone());
        move |_| {
            let request = ids.with_value(|(id, pk)| form.with_untracked(|f| f.request(id, pk, now())));
            let request = match request {
                Ok(request) => request.with_dry_run(false),
                Err(found) => return back_to_problem(step, problems, &found),
            };
            let (env, site, navigate) = (env.get_untracked(), site.clone(), navigate.clone());
            let firmware_id = ids.with_value(|(id, _)| id.clone());
            busy.set(true);
            failure.set(None);
            wizard.scope.spawn(async move {
                match api::create_batch(&env, &request).await {
                    Ok(created_job) => {
                        created.set(true);
                        let path = nav::batch_path(&firmware_id, &created_job.job_id);
                        navigate(&site.href(&env, &path, &[]), nav::to_href(false));
                    }
                    Err(error) => {
                        busy.set(false);
                        match error.param().filter(|p| Step::claimed(p)).map(Step::of) {
                            // The field's step shows the refusal beside it.
                            Some(at) => {
                                go(at);
                                focus_first_invalid();
                            }
                            None => failure.set(Some(format::failure(i18n, &error))),
                        }
                        problems.refusal.set(Some(error));
                    }
                }
            });
        }
    };
    let steps = Step::ALL.map(|each| {
        view! {
            <li aria-current=move || (step.get() == each).then_some("step")>
                {move || i18n.t(each.label())}
            </li>
        }
    });
    let package_href = {
        let site = site.clone();
        let path = nav::package_path(&firmware_id);
        move || site.href(&env.get(), &path, &[])
    };
    let not_verified = (!verified && info.summary.status != FirmwareStatus::Verifying).then(|| {
        view! { <p class="hint">{i18n.text(WizardMsg::VerifyFirst)}</p> }
    });
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Msg::Breadcrumb)>
            <a href=package_href.clone()>{info.summary.firmware_name.clone()}</a>
        </nav>
        <header class="page-header">
            <h1 id="wizard-title" tabindex="-1">{i18n.text(FormMsg::NewBatch)}</h1>
            <p class="intro">
                {move || i18n.fill(WizardMsg::WizardIntro, &[("name", &info.summary.firmware_name), ("version", &info.summary.dest_version)])}
            </p>
        </header>
        {not_verified}
        <ol class="wizard-steps">{steps}</ol>
        <form class="create-form wizard" novalidate on:submit=|ev| ev.prevent_default()>
            {move || match step.get() {
                Step::Scope => view! { <scope::ScopeStep wizard verified/> }.into_any(),
                Step::Policy => view! { <policy::PolicyStep wizard/> }.into_any(),
                Step::Review => view! { <review::ReviewStep wizard dry_run/> }.into_any(),
            }}
            <OtherProblems problems claimed=Step::claimed/>
            {move || failure.get().map(|why| view! {
                <p class="error" role="alert">{i18n.text(WizardMsg::BatchNotCreated)} " " {why.clone()}</p>
            })}
            <div class="actions">
                <a class="button" href=package_href>{i18n.text(FormMsg::CancelForm)}</a>
                <Show when=move || step.get() != Step::Scope>
                    <button type="button" on:click=back>{i18n.text(WizardMsg::Back)}</button>
                </Show>
                <Show
                    when=move || step.get() == Step::Review
                    fallback=move || view! { <button type="button" class="primary" on:click=next>{i18n.text(WizardMsg::Next)}</button> }
                >
                    <button type="button" class="primary" disabled=move || busy.get() on:click=create.clone()>
                        {i18n.text(WizardMsg::CreateBatch)}
                    </button>
                </Show>
            </div>
        </form>
    }
}

/// The form has problems at submit: show them, at the first step that has one.
fn back_to_problem(step: RwSignal<Step>, problems: FormProblems, found: &[ParamError]) {
    problems.submit();
    let first = found.iter().filter_map(|p| p.param.as_deref()).map(Step::of).next().unwrap_or(Step::Scope);
    step.set(first);
    focus_first_invalid();
}

/// Now, for checking a schedule against.
fn now() -> UtcTime {
    UtcTime(chrono::Utc::now())
}

/// After a step change, the heading takes focus so that a screen reader starts there.
fn focus_heading() {
    focus_after_render("#wizard-title");
}

/// The first field that says what is wrong with it takes focus.
fn focus_first_invalid() {
    focus_after_render("form.wizard [aria-invalid=\"true\"]");
}

/// Focuses what `selector` finds once the change being made is on the page.
fn focus_after_render(selector: &'static str) {
    lifetime::spawn(async move {
        lifetime::next_frame().await;
        if let Ok(Some(element)) = document().query_selector(selector) {
            let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}
