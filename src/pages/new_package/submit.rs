//! Creating the package: each file hashed, then uploaded, then CreateOTAFirmware with the
//! digests, which the backend checks against what it stored. Progress is shown throughout.

use leptos::prelude::*;
use ota_model::console_config::Environment;
use ota_model::display;
use ota_model::firmware::form::{PackageForm, UploadedFile, file_suffix};
use web_sys::File;

use super::files::ChosenFiles;
use crate::api::{self, ApiError, Stop, UploadProgress};
use crate::components::FormProblems;
use crate::format;
use crate::i18n::{FormMsg, I18n, use_i18n};
use crate::lifetime;
use crate::nav::{self, Site};

/// Where creating the package has got to.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Hashing { file: usize, count: usize, name: String, bytes: UploadProgress },
    Uploading { file: usize, count: usize, name: String, bytes: UploadProgress },
    Creating,
    Done,
    Failed(String),
}

impl Progress {
    pub fn is_running(&self) -> bool {
        matches!(self, Progress::Hashing { .. } | Progress::Uploading { .. } | Progress::Creating)
    }

    pub fn is_done(&self) -> bool {
        *self == Progress::Done
    }
}

/// What a submit works with.
pub struct Submission {
    pub env: Environment,
    pub site: Site,
    pub form: PackageForm,
    pub problems: FormProblems,
    pub progress: RwSignal<Option<Progress>>,
    /// Stopped when the page goes away: hashing and uploading stop, and nothing navigates.
    pub stop: Stop,
    pub i18n: I18n,
}

/// Starts creating the package; on success opens its page.
pub fn run(
    submission: Submission,
    chosen: ChosenFiles,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    let files = chosen.get();
    submission.problems.refusal.set(None);
    lifetime::spawn(async move {
        let Submission { env, site, progress, problems, stop, .. } = &submission;
        let outcome = upload_and_create(&submission, &files).await;
        if stop.stopped() {
            return;
        }
        match outcome {
            Ok(firmware_id) => {
                progress.set(Some(Progress::Done));
                navigate(&site.href(env, &nav::package_path(&firmware_id), &[]), nav::to_href(false));
            }
            // Nothing typed is lost: the form stays as it was, with the reason.
            Err((detail, refusal)) => {
                progress.set(Some(Progress::Failed(detail)));
                problems.refusal.set(refusal);
            }
        }
    });
}

type Failure = (String, Option<ApiError>);

async fn upload_and_create(submission: &Submission, files: &[File]) -> Result<String, Failure> {
    let Submission { env, form, progress, stop, i18n, .. } = submission;
    let (progress, i18n) = (*progress, *i18n);
    let refused = |error: ApiError| (format::failure(i18n, &error), Some(error));
    let count = files.len();
    let mut uploaded = Vec::with_capacity(count);
    for (index, file) in files.iter().enumerate() {
        let name = file.name();
        let param = form.file_param(index);
        let step = |bytes| Progress::Hashing { file: index + 1, count, name: name.clone(), bytes };
        progress.set(Some(step(UploadProgress::default())));
        let on_read = |bytes| drop(progress.try_set(Some(step(bytes))));
        let digests = api::digest_file(file, form.sign_method, form.is_multi_file(), stop, on_read)
            .await
            .map_err(|detail| (i18n.fill(FormMsg::FileUnreadable, &[("name", &name), ("detail", &detail)]), None))?;
        let suffix = file_suffix(&param, &name).map_err(|e| (e.message, None))?;
        let grant = api::upload_grant(env, suffix).await.map_err(refused)?;
        let (file_name, index_shown) = (name.clone(), index + 1);
        let on_sent = move |bytes| {
            let step = Progress::Uploading { file: index_shown, count, name: file_name.clone(), bytes };
            drop(progress.try_set(Some(step)));
        };
        on_sent(UploadProgress { done: 0, total: digests.bytes });
        api::upload_file((&grant).into(), file, stop, on_sent).await.map_err(refused)?;
        uploaded.push(UploadedFile { name, url: grant.firmware_url, digests });
    }
    progress.set(Some(Progress::Creating));
    let request = form.request(&uploaded).map_err(|problems| {
        let first = problems.into_iter().next().map(|p| p.message).unwrap_or_default();
        (first, None)
    })?;
    api::create_firmware(env, &request).await.map_err(refused)
}

/// The current step in words, with a progress bar while bytes move.
#[component]
pub fn ProgressView(progress: RwSignal<Option<Progress>>) -> impl IntoView {
    let i18n = use_i18n();
    let line = move || {
        let step = progress.get()?;
        let bar = |bytes: UploadProgress| {
            let label = format!("{} / {}", display::bytes(bytes.done), display::bytes(bytes.total));
            view! { <progress max=bytes.total.max(1) as f64 value=bytes.done as f64 aria-label=label.clone()></progress> <span>{label}</span> }
        };
        let of = |file: usize, count: usize, name: &str| {
            [("n", file.to_string()), ("count", count.to_string()), ("name", name.to_owned())]
        };
        Some(match step {
            Progress::Hashing { file, count, name, bytes } => {
                let values = of(file, count, &name);
                let text = i18n.fill(FormMsg::HashingFile, &values.each_ref().map(|(k, v)| (*k, v.as_str())));
                view! { <p class="step" data-step="hashing">{text}</p> {bar(bytes)} }.into_any()
            }
            Progress::Uploading { file, count, name, bytes } => {
                let values = of(file, count, &name);
                let text = i18n.fill(FormMsg::UploadingFile, &values.each_ref().map(|(k, v)| (*k, v.as_str())));
                view! { <p class="step" data-step="uploading">{text}</p> {bar(bytes)} }.into_any()
            }
            Progress::Creating => {
                view! { <p class="step" data-step="creating">{i18n.t(FormMsg::CreatingPackage)}</p> }.into_any()
            }
            Progress::Done => {
                view! { <p class="step" data-step="done">{i18n.t(FormMsg::PackageCreated)}</p> }.into_any()
            }
            Progress::Failed(detail) => view! {
                <p class="error" role="alert">{i18n.t(FormMsg::PackageNotCreated)} " " {detail}</p>
            }
            .into_any(),
        })
    };
    view! { <div class="progress-area" role="status" aria-live="polite">{line}</div> }
}
