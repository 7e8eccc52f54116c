//! Resources built one way. Leptos's async machinery (`LocalResource`, its derived value, its
//! futures) is generic over what a resource holds, and each copy of it is kilobytes of wasm.
//! Here every resource holds the same type, a type-erased value, so that machinery exists
//! once; [`Fetched`] gives each page back its own type.

use std::any::Any;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

/// What every resource holds: its fetcher's output, boxed (`Send`, as `Suspend` wants).
type Erased = Arc<dyn Any + Send + Sync>;
type Fetch = Pin<Box<dyn Future<Output = Erased>>>;

/// A `LocalResource` of a `T`: what its fetcher last answered, fetched again whenever what the
/// fetcher reads changes.
pub struct Fetched<T> {
    inner: LocalResource<Erased>,
    holds: PhantomData<fn() -> T>,
}

impl<T> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Fetched<T> {}

/// A resource that runs `fetcher` whenever what it reads changes.
pub fn resource<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> Fetched<T>
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    Fetched {
        inner: erased(Rc::new(move || {
            let answer = fetcher();
            Box::pin(async move { Arc::new(answer.await) as Erased }) as Fetch
        })),
        holds: PhantomData,
    }
}

fn erased(fetcher: Rc<dyn Fn() -> Fetch>) -> LocalResource<Erased> {
    LocalResource::new(move || fetcher())
}

impl<T: Clone + Send + Sync + 'static> Fetched<T> {
    /// The latest answer (tracked), `None` until the first one.
    pub fn get(&self) -> Option<T> {
        self.inner.get().map(|value| typed(&value))
    }

    /// Fetches again.
    pub fn refetch(&self) {
        self.inner.refetch();
    }
}

impl<T: Clone + Send + Sync + 'static> IntoFuture for Fetched<T> {
    type Output = T;
    type IntoFuture = Pin<Box<dyn Future<Output = T> + Send>>;

    /// The answer, once there is one (for `Suspend`).
    fn into_future(self) -> Self::IntoFuture {
        // Now, not when first polled: the resource tells the `Suspense` it is read in.
        let answer = self.inner.into_future();
        Box::pin(async move { typed(&answer.await) })
    }
}

/// The value back as the `T` that [`resource`] boxed; no other type is ever stored in a
/// `Fetched<T>`.
fn typed<T: Clone + Send + Sync + 'static>(value: &Erased) -> T {
    match value.downcast_ref::<T>() {
        Some(value) => value.clone(),
        None => unreachable!("a Fetched<T> holds a T"),
    }
}
