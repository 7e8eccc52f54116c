//! Work that finishes later than it starts (an answer awaited, a frame, a timer) and the
//! component that started it, which may be gone by then: the operator left the page.
//!
//! A signal read after its component is gone panics, and a panic stops the whole console. So
//! every later piece of work runs in a [`Scope`] and stops when the scope ends: a task is
//! never polled again, a frame callback never runs. Clippy refuses the raw `spawn_local`,
//! `request_animation_frame`, `set_timeout` and `set_interval` everywhere else (clippy.toml).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::Promise;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The lifetime of the reactive owner it was made in (a component, or an effect's run): it
/// ends when that owner is cleaned up. `Copy`, so handlers and callbacks can keep it.
#[derive(Clone, Copy)]
pub struct Scope(StoredValue<()>);

impl Scope {
    /// The lifetime of the current owner. Made in a component's body, it is the component's;
    /// made where there is no owner (inside a task or a browser callback) it never ends.
    pub fn here() -> Self {
        Self(StoredValue::new(()))
    }

    pub fn alive(self) -> bool {
        !self.0.is_disposed()
    }

    /// Runs `work` while the scope lives; once it ends, `work` is dropped at its next await.
    pub fn spawn(self, work: impl Future<Output = ()> + 'static) {
        #[allow(clippy::disallowed_methods)] // The one place that spawns: the scope guards every poll.
        leptos::task::spawn_local(WhileAlive { scope: self, work: Box::pin(work) });
    }

    /// Runs `then` on the next animation frame, if the scope still lives.
    pub fn next_frame(self, then: impl FnOnce() + 'static) {
        #[allow(clippy::disallowed_methods)] // Guarded by the scope.
        request_animation_frame(move || {
            if self.alive() {
                then();
            }
        });
    }
}

/// Runs `work` for as long as the current owner lives (see [`Scope::here`]). In an event
/// handler that is the view the handler belongs to; work that must outlive a part of the page
/// re-rendering is started from a [`Scope`] made in the component's body instead.
pub fn spawn(work: impl Future<Output = ()> + 'static) {
    Scope::here().spawn(work);
}

/// Runs `work` to its end whatever becomes of the page. Only for work that touches no signal,
/// stored value or callback (state of its own, the network, the DOM by ID).
pub fn spawn_detached(work: impl Future<Output = ()> + 'static) {
    #[allow(clippy::disallowed_methods)] // Touches nothing reactive, as its callers promise.
    leptos::task::spawn_local(work);
}

/// Resolves on the next animation frame: the DOM of the last change is in the document.
pub async fn next_frame() {
    let frame = Promise::new(&mut |resolve, _| {
        #[allow(clippy::disallowed_methods)] // Resolves a promise; whoever awaits it is scoped.
        let _ = window().request_animation_frame(&resolve);
    });
    let _ = JsFuture::from(frame).await;
}

/// A future that is polled only while its scope lives.
struct WhileAlive {
    scope: Scope,
    work: Pin<Box<dyn Future<Output = ()>>>,
}

impl Future for WhileAlive {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if !self.scope.alive() {
            return Poll::Ready(());
        }
        self.work.as_mut().poll(context)
    }
}
