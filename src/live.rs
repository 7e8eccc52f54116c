//! Keeping pages with running batches current. Where the backend offers the event stream
//! (`EventStream`), its changes mark the page stale; elsewhere the page polls a small probe,
//! backing off while nothing changes or the backend fails. Either way the page is refreshed at
//! most every two seconds, and never while a dialog is open or the tab is hidden, so that an
//! operator's question, choices and place on the page stay as they are.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use ota_model::PageRequest;
use ota_model::console_config::Environment;
use ota_model::extensions::{Extension, OtaEvent, SubscribeOTAEvents};
use ota_model::job::ListOTAJobByFirmware;
use ota_model::registry::DeviceRef;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api::{self, TaskScope};
use crate::lifetime;
use crate::nav::use_environment;
use crate::resource::Fetched;

/// What a page shows, so what to listen to or to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    /// Every batch of the environment.
    Environment,
    Job(String),
    Package(String),
    Device(DeviceRef),
}

/// How the page learns of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveMode {
    Starting,
    Stream,
    Poll,
}

impl LiveMode {
    pub const fn name(self) -> &'static str {
        match self {
            LiveMode::Starting => "starting",
            LiveMode::Stream => "stream",
            LiveMode::Poll => "poll",
        }
    }
}

/// `changed` is bumped whenever the page should read again; `mode` says how it learns.
#[derive(Clone, Copy)]
pub struct Live {
    pub changed: ReadSignal<u32>,
    pub mode: ReadSignal<LiveMode>,
}

const TICK: Duration = Duration::from_secs(1);
/// A stream the browser gave up on is opened again, with a freshly signed URL (the old one is
/// a replay to the backend), this many ticks later, up to `MAX_REOPENS` times in a row.
const REOPEN_TICKS: u32 = 5;
const MAX_REOPENS: u32 = 3;
/// Refreshes are at least this many ticks apart.
const MIN_TICKS_BETWEEN: u32 = 2;
const FIRST_POLL_TICKS: u32 = 5;
const MAX_POLL_TICKS: u32 = 60;

/// Local state of one page's watch; the page's signals carry only what views need.
struct State {
    stale: Cell<bool>,
    ticks_since_refresh: Cell<u32>,
    poll_every: Cell<u32>,
    ticks_to_poll: Cell<u32>,
    probing: Cell<bool>,
    last_probe: RefCell<Option<String>>,
    stream: RefCell<Option<web_sys::EventSource>>,
    /// Ticks until a lost stream is opened again, and how often that was tried since it last
    /// worked.
    reopen_in: Cell<Option<u32>>,
    reopens: Cell<u32>,
    /// Which streamed changes concern the page.
    filter: RefCell<Filter>,
}

/// Streamed changes that concern a page: all of its batch's (the server filters those), its
/// package's batches', or its device's.
#[derive(Debug, Clone, Default)]
enum Filter {
    #[default]
    All,
    Jobs(Vec<String>),
    Device(String),
}

impl Filter {
    fn concerns(&self, change: &OtaEvent) -> bool {
        match self {
            Filter::All => true,
            // A batch's own change may be a new batch of this package.
            Filter::Jobs(jobs) => change.kind == "job" || jobs.contains(&change.job_id),
            Filter::Device(iot_id) => change.iot_id.as_deref() == Some(iot_id.as_str()),
        }
    }
}

pub fn use_live(watch: Watch) -> Live {
    let env = use_environment().get_untracked();
    let (changed, set_changed) = signal(0_u32);
    let (mode, set_mode) = signal(LiveMode::Starting);
    let state = Rc::new(State {
        stale: Cell::new(false),
        ticks_since_refresh: Cell::new(0),
        poll_every: Cell::new(FIRST_POLL_TICKS),
        ticks_to_poll: Cell::new(FIRST_POLL_TICKS),
        probing: Cell::new(false),
        last_probe: RefCell::new(None),
        stream: RefCell::new(None),
        reopen_in: Cell::new(None),
        reopens: Cell::new(0),
        filter: RefCell::new(Filter::All),
    });

    {
        let (state, env, watch) = (state.clone(), env.clone(), watch.clone());
        // Ends with the page: a page left before the backend answered opens no stream.
        lifetime::spawn(async move {
            let streams = api::capabilities(&env).await.is_ok_and(|c| c.offers(Extension::EventStream));
            let filter = if streams { filter_for(&env, &watch).await } else { None };
            let opened = filter.and_then(|filter| {
                *state.filter.borrow_mut() = filter;
                open_stream(&env, &watch, &state, set_mode)
            });
            if opened.is_none() {
                set_mode.set(LiveMode::Poll);
                // The first probe is the baseline; polling starts from it at once.
                probe(env, watch, state.clone());
            }
            *state.stream.borrow_mut() = opened;
        });
    }

    let tick = {
        let state = state.clone();
        move || {
            if let Some(left) = state.reopen_in.get() {
                state.reopen_in.set(left.checked_sub(1));
                if left == 0 {
                    let reopened = open_stream(&env, &watch, &state, set_mode);
                    *state.stream.borrow_mut() = reopened;
                }
            }
            state.ticks_since_refresh.set(state.ticks_since_refresh.get().saturating_add(1));
            if mode.get_untracked() == LiveMode::Poll && !state.probing.get() {
                let left = state.ticks_to_poll.get().saturating_sub(1);
                state.ticks_to_poll.set(left);
                if left == 0 && !paused() {
                    probe(env.clone(), watch.clone(), state.clone());
                }
            }
            if state.stale.get() && state.ticks_since_refresh.get() >= MIN_TICKS_BETWEEN && !paused() {
                state.stale.set(false);
                state.ticks_since_refresh.set(0);
                set_changed.update(|n| *n += 1);
            }
        }
    };
    let interval = set_interval_with_handle(tick, TICK).ok();
    let state = send_wrapper::SendWrapper::new(state);
    on_cleanup(move || {
        if let Some(interval) = interval {
            interval.clear();
        }
        if let Some(stream) = state.stream.borrow_mut().take() {
            stream.close();
        }
    });
    Live { changed, mode }
}

/// Refreshing waits while the operator is answering a dialog or looking elsewhere.
fn paused() -> bool {
    let document = document();
    document.hidden() || document.query_selector("dialog[open]").ok().flatten().is_some()
}

/// Opens the event stream; a stream the browser gives up on turns into polling.
fn open_stream(
    env: &Environment,
    watch: &Watch,
    state: &Rc<State>,
    set_mode: WriteSignal<LiveMode>,
) -> Option<web_sys::EventSource> {
    let job_id = match watch {
        Watch::Job(job_id) => Some(job_id.as_str()),
        _ => None,
    };
    let mut params = vec![("Action", SubscribeOTAEvents::ACTION)];
    params.extend(job_id.map(|id| ("JobId", id)));
    let url = api::event_stream_url(env, &params)?;
    let stream = web_sys::EventSource::new(&url).ok()?;
    let mark = {
        let (state, env, watch) = (state.clone(), env.clone(), watch.clone());
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let change = message.data().as_string().and_then(|data| serde_json::from_str::<OtaEvent>(&data).ok());
            if change.as_ref().is_none_or(|change| state.filter.borrow().concerns(change)) {
                state.stale.set(true);
            }
            // Perhaps a new batch of the package: the batches are listed again.
            let unknown_job = matches!((&change, &*state.filter.borrow()),
                (Some(change), Filter::Jobs(jobs)) if change.kind == "job" && !jobs.contains(&change.job_id));
            if unknown_job {
                let (state, env, watch) = (state.clone(), env.clone(), watch.clone());
                lifetime::spawn_detached(async move {
                    if let Some(filter) = filter_for(&env, &watch).await {
                        *state.filter.borrow_mut() = filter;
                    }
                });
            }
        })
        .into_js_value()
    };
    for name in ["task", "job"] {
        let _ = stream.add_event_listener_with_callback(name, mark.unchecked_ref());
    }
    // Listening from here on: whatever changed since the page was read is read once more.
    let ready = {
        let state = state.clone();
        Closure::<dyn Fn()>::new(move || {
            state.stale.set(true);
            state.reopens.set(0);
            set_mode.set(LiveMode::Stream);
        })
        .into_js_value()
    };
    for name in ["ready", "gap"] {
        let _ = stream.add_event_listener_with_callback(name, ready.unchecked_ref());
    }
    let on_error = {
        let (state, weak) = (state.clone(), stream.clone());
        Closure::<dyn Fn()>::new(move || {
            // CONNECTING means the browser retries by itself (resuming with Last-Event-ID).
            if weak.ready_state() == web_sys::EventSource::CLOSED {
                state.stream.borrow_mut().take();
                set_mode.set(LiveMode::Poll);
                if state.reopens.get() < MAX_REOPENS {
                    state.reopens.set(state.reopens.get() + 1);
                    state.reopen_in.set(Some(REOPEN_TICKS));
                }
            }
        })
        .into_js_value()
    };
    stream.set_onerror(Some(on_error.unchecked_ref()));
    Some(stream)
}

/// What of the stream concerns the page; `None` when that cannot be learnt (then it polls).
async fn filter_for(env: &Environment, watch: &Watch) -> Option<Filter> {
    match watch {
        Watch::Environment | Watch::Job(_) => Some(Filter::All),
        Watch::Package(firmware_id) => {
            let request = ListOTAJobByFirmware {
                firmware_id: firmware_id.clone(),
                page: PageRequest::new(1, ListOTAJobByFirmware::MAX_PAGE_SIZE),
            };
            let jobs = api::list_jobs(env, &request).await.ok()?;
            Some(Filter::Jobs(jobs.data.items.into_iter().map(|job| job.job_id).collect()))
        }
        Watch::Device(device) => api::query_device(env, device).await.ok().map(|found| Filter::Device(found.iot_id)),
    }
}

/// Asks the backend for a small fingerprint of what the page shows: a change marks the page
/// stale and polls again soon; no change or a failure waits twice as long, up to a minute.
fn probe(env: Environment, watch: Watch, state: Rc<State>) {
    if state.probing.replace(true) {
        return;
    }
    // The page's own state only: whatever it finds is read by the page's next tick, if any.
    lifetime::spawn_detached(async move {
        let found = fingerprint(&env, &watch).await;
        let mut last = state.last_probe.borrow_mut();
        // The baseline counts as a change: something may have moved since the page was read.
        let changed = match (&found, last.as_ref()) {
            (Some(now), Some(before)) => now != before,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let every = if changed { FIRST_POLL_TICKS } else { (state.poll_every.get() * 2).min(MAX_POLL_TICKS) };
        if found.is_some() {
            *last = found;
        }
        if changed {
            state.stale.set(true);
        }
        state.poll_every.set(every);
        state.ticks_to_poll.set(every);
        state.probing.set(false);
    });
}

async fn fingerprint(env: &Environment, watch: &Watch) -> Option<String> {
    match watch {
        // Without the list there is nothing to compare: the page stays as it was read.
        Watch::Environment => {
            if !api::capabilities(env).await.ok()?.offers(Extension::RunningJobs) {
                return None;
            }
            api::running_jobs(env).await.ok().map(|running| format!("{running:?}"))
        }
        // The batch's own changes too (a pause, a resume, a wave started): they move no count.
        Watch::Job(job_id) => {
            let (counts, _) = api::job_counts(env, job_id).await.ok()?;
            let modified = api::query_job(env, job_id).await.ok()?.data.summary.utc_modified;
            Some(format!("{counts:?} {modified:?}"))
        }
        Watch::Package(firmware_id) => {
            let counts = api::task_counts(env, &TaskScope::Package(firmware_id.clone())).await.ok()?;
            let request = ListOTAJobByFirmware {
                firmware_id: firmware_id.clone(),
                page: PageRequest::new(1, ListOTAJobByFirmware::MAX_PAGE_SIZE),
            };
            let jobs = api::list_jobs(env, &request).await.ok()?;
            let statuses: Vec<_> = jobs.data.items.iter().map(|job| (job.job_status, job.utc_modified)).collect();
            Some(format!("{counts:?} {statuses:?} {}", jobs.page.total))
        }
        Watch::Device(device) => api::unfinished_tasks(env, device).await.ok().map(|tasks| format!("{tasks:?}")),
    }
}

/// What a live resource last answered, kept while the next answer is read and when a read
/// fails, so that a chart and its table stay in place as the page follows changes; and why
/// the latest read failed, if it did.
pub struct Latest<T: Send + Sync + 'static> {
    pub value: RwSignal<Option<T>>,
    pub error: Signal<Option<api::ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for Latest<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Latest<T> {}

/// Follows `resource`, which answers `None` when the backend lacks what it reads.
pub fn keep_latest<T: Clone + Send + Sync + 'static>(resource: Fetched<Result<Option<T>, api::ApiError>>) -> Latest<T> {
    let value = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(Ok(Some(answer))) = resource.get() {
            value.set(Some(answer));
        }
    });
    let error = Signal::derive(move || resource.get().and_then(|answer| answer.err()));
    Latest { value, error }
}
